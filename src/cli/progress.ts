/** Step progress on stderr, drawn only when stderr is a terminal (never in pipes, logs or CI). */
import type { CliIo } from "./io.js";

export interface Progress {
  step(label: string): void;
  done(): void;
}

/** A progress indicator that prints "[k] label" steps with elapsed time on a TTY, and nothing otherwise. */
export function progress(io: CliIo | undefined, name: string): Progress {
  if (!io?.isTTY) return { step() {}, done() {} };
  const start = Date.now();
  let k = 0;
  return {
    step(label) {
      k++;
      io.stderr(`${name} [${k}] ${label} … (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    },
    done() {
      io.stderr(`${name} done in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    },
  };
}
