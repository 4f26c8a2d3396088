/**
 * Benchmark of `prss synth`: generates n people and streams all eleven tables to CSV files in a
 * temporary directory (or to a counting sink with `toDisk: false`), then reports time, rows, bytes
 * and memory. Run directly: `npx tsx bench/synth.ts [n] [--memory-only]`.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createCsvDirectorySink } from "../src/cli/synth.js";
import { generateCohort, SYNTH_TABLES, type SynthSink, type SynthTableName } from "../src/synth/index.js";

/** Result of one benchmark run. */
export interface SynthBenchResult {
  readonly n: number;
  readonly toDisk: boolean;
  readonly seconds: number;
  readonly truthSeconds: number;
  readonly rows: number;
  readonly rowsByTable: Readonly<Record<SynthTableName, number>>;
  readonly bytes: number;
  readonly peerSharePeople: number;
  /** Largest RSS seen at chunk boundaries during generation (MiB). */
  readonly peakRssMiB: number;
  /** Process-lifetime maximum RSS from getrusage (MiB); includes anything run before. */
  readonly maxRssMiB: number;
  readonly rowsPerSecond: number;
}

/**
 * Generates `n` people (observational design, seed 1) and streams them out. Includes the truth
 * Monte-Carlo (`truthSamples`, default 100,000), timed separately.
 */
export async function runSynthBench(
  n: number,
  options: { toDisk?: boolean; truthSamples?: number; seed?: number } = {},
): Promise<SynthBenchResult> {
  const toDisk = options.toDisk ?? true;
  const truthSamples = options.truthSamples ?? 100_000;
  const dir = toDisk ? await mkdtemp(join(tmpdir(), "prss-synth-bench-")) : "";
  let peakRss = process.memoryUsage().rss;
  let bytes = 0;
  let writes = 0;
  let truthDone = 0;
  const started = performance.now();
  try {
    const inner = toDisk ? await createCsvDirectorySink(dir) : null;
    const sink: SynthSink = {
      write(table, text) {
        if (truthDone === 0) truthDone = performance.now();
        if (++writes % 11 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (inner === null) {
          bytes += text.length;
          return undefined;
        }
        return inner.write(table, text);
      },
    };
    const result = await generateCohort({ n, seed: options.seed ?? 1, truthSamples }, sink);
    if (inner !== null) {
      const perTable = await inner.close();
      bytes = SYNTH_TABLES.reduce((s, t) => s + perTable[t], 0);
    }
    const seconds = (performance.now() - started) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const rows = SYNTH_TABLES.reduce((s, t) => s + result.rowCounts[t], 0);
    return {
      n,
      toDisk,
      seconds,
      truthSeconds: (truthDone - started) / 1000,
      rows,
      rowsByTable: result.rowCounts,
      bytes,
      peerSharePeople: result.truth.derived?.peerShare ?? Number.NaN,
      peakRssMiB: peakRss / 2 ** 20,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      rowsPerSecond: rows / seconds,
    };
  } finally {
    if (toDisk) await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const toDisk = !process.argv.includes("--memory-only");
  const r = await runSynthBench(n, { toDisk });
  console.log(
    `synth n=${r.n.toLocaleString("en")} ${toDisk ? "to disk" : "in memory"}: ${r.seconds.toFixed(1)} s ` +
      `(truth ${r.truthSeconds.toFixed(1)} s), ${r.rows.toLocaleString("en")} rows ` +
      `(${Math.round(r.rowsPerSecond).toLocaleString("en")}/s), ${(r.bytes / 2 ** 20).toFixed(0)} MiB, ` +
      `peak RSS ${r.peakRssMiB.toFixed(0)} MiB (getrusage max ${r.maxRssMiB.toFixed(0)} MiB)`,
  );
  console.log(JSON.stringify(r.rowsByTable));
}
