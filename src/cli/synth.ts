/**
 * `prss synth` — writes a synthetic PRSS evaluation dataset (all eleven tables of the column
 * contract, one CSV each) plus truth.json into a directory. The generation itself is pure
 * (src/synth); this file owns the file system: a streaming CSV sink with back-pressure.
 *
 * Runnable on its own too: `npx tsx src/cli/synth.ts --n 1000 --seed 1 --out out/synth`.
 */

import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  generateCohort,
  resolveSynthOptions,
  SYNTH_TABLES,
  type SynthOptions,
  type SynthSink,
  type SynthTableName,
  truthJson,
} from "../synth/index.js";
import type { CliIo } from "./io.js";

export const SYNTH_USAGE = `Usage: prss synth --n N --seed S --out DIR [options]

Writes DIR/<table>.csv for all eleven tables (persons, observation_periods, arms, index_events,
encounters, medication_events, peer_contacts, uds_results, daily_use, assessments,
co_interventions) and DIR/truth.json (every true parameter, the seed, derived true quantities).
Same seed and options give byte-identical files.

Required:
  --n N                  number of people (1 … 50,000,000)
  --seed S               non-negative integer seed
  --out DIR              output directory (created if missing; existing files are replaced)

Options:
  --design D             observational (default; arms.design = COHORT) or rct (1:1, design RCT)
  --randomization R      rct only: individual (default) or cluster (sites randomised)
  --moud-hr X            true hazard ratio of MOUD initiation, PEER vs COMPARISON (default 1.5)
  --ed-rr X              true ED-visit rate ratio, PEER vs COMPARISON (default 0.8)
  --barc-effect X        true effect on the 6-month BARC-10 change, points (default 2)
  --dirty F              fraction of people (0–1) given one injected data error (default 0)
  --start-date YYYY-MM-DD  first possible index date (default 2022-01-01)
  --follow-up-days N     maximum follow-up after the index (default 365)
  --truth-samples N      Monte-Carlo sample for the derived truth (default 100000; 0 = skip)
  --json                 print a JSON summary instead of text
  --help                 show this help
`;

class UsageError extends Error {}

type Flag = { key: keyof SynthOptions | "out" | "json"; kind: "int" | "num" | "str" | "bool" };

const FLAGS: Record<string, Flag> = {
  "--n": { key: "n", kind: "int" },
  "--seed": { key: "seed", kind: "int" },
  "--out": { key: "out", kind: "str" },
  "--design": { key: "design", kind: "str" },
  "--randomization": { key: "randomization", kind: "str" },
  "--moud-hr": { key: "moudHazardRatio", kind: "num" },
  "--ed-rr": { key: "edRateRatio", kind: "num" },
  "--barc-effect": { key: "barcChangeEffect", kind: "num" },
  "--dirty": { key: "dirty", kind: "num" },
  "--start-date": { key: "startDate", kind: "str" },
  "--follow-up-days": { key: "followUpDays", kind: "int" },
  "--truth-samples": { key: "truthSamples", kind: "int" },
  "--json": { key: "json", kind: "bool" },
};

interface ParsedArgs {
  readonly options: SynthOptions;
  readonly out: string;
  readonly json: boolean;
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const values: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const eq = raw.indexOf("=");
    const name = raw.startsWith("--") && eq > 0 ? raw.slice(0, eq) : raw;
    const flag = FLAGS[name];
    if (flag === undefined) throw new UsageError(`unknown argument "${raw}"`);
    if (flag.key in values) throw new UsageError(`${name} given twice`);
    if (flag.kind === "bool") {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      values[flag.key] = true;
      continue;
    }
    let text: string;
    if (raw.startsWith("--") && eq > 0) text = raw.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (
        next === undefined ||
        (next.startsWith("--") && FLAGS[next.split("=")[0] as string] !== undefined)
      ) {
        throw new UsageError(`${name} needs a value`);
      }
      text = next;
      i++;
    }
    if (flag.kind === "str") {
      if (text === "") throw new UsageError(`${name} needs a value`);
      values[flag.key] = text;
    } else {
      const v = Number(text);
      if (text.trim() === "" || !Number.isFinite(v))
        throw new UsageError(`${name} must be a number (got "${text}")`);
      if (flag.kind === "int" && !Number.isSafeInteger(v)) {
        throw new UsageError(`${name} must be an integer (got "${text}")`);
      }
      values[flag.key] = v;
    }
  }
  for (const required of ["--n", "--seed", "--out"]) {
    const key = FLAGS[required]!.key;
    if (!(key in values)) throw new UsageError(`${required} is required`);
  }
  const design = values.design;
  if (design !== undefined && design !== "observational" && design !== "rct") {
    throw new UsageError(`--design must be observational or rct (got "${String(design)}")`);
  }
  const randomization = values.randomization;
  if (randomization !== undefined && randomization !== "individual" && randomization !== "cluster") {
    throw new UsageError(`--randomization must be individual or cluster (got "${String(randomization)}")`);
  }
  const { out, json, ...rest } = values;
  return { options: rest as unknown as SynthOptions, out: out as string, json: json === true };
}

/** A sink that streams each table to DIR/<table>.csv with back-pressure. */
export interface CsvDirectorySink extends SynthSink {
  /** Ends every stream and resolves once all bytes are flushed; returns bytes per table. */
  close(): Promise<Record<SynthTableName, number>>;
  /** Closes the streams after a failure (files may be incomplete). */
  abort(): void;
}

/** Opens DIR/<table>.csv for every table (creating DIR). */
export async function createCsvDirectorySink(dir: string): Promise<CsvDirectorySink> {
  await mkdir(dir, { recursive: true });
  const streams = new Map<SynthTableName, WriteStream>();
  const bytes = Object.fromEntries(SYNTH_TABLES.map((t) => [t, 0])) as Record<SynthTableName, number>;
  let failure: Error | null = null;
  for (const t of SYNTH_TABLES) {
    const s = createWriteStream(join(dir, `${t}.csv`), { highWaterMark: 1 << 20 });
    s.on("error", (e) => {
      failure ??= e;
    });
    streams.set(t, s);
  }
  return {
    write(table, text) {
      if (failure !== null) throw failure;
      const s = streams.get(table)!;
      bytes[table] += Buffer.byteLength(text);
      if (s.write(text)) return undefined;
      return new Promise<void>((resolveDrain, rejectDrain) => {
        const onDrain = (): void => {
          s.off("error", onError);
          resolveDrain();
        };
        const onError = (e: Error): void => {
          s.off("drain", onDrain);
          rejectDrain(e);
        };
        s.once("drain", onDrain);
        s.once("error", onError);
      });
    },
    async close() {
      const waits = [...streams.values()].map((s) => {
        const done = once(s, "finish");
        s.end();
        return done;
      });
      await Promise.all(waits);
      if (failure !== null) throw failure;
      return bytes;
    },
    abort() {
      for (const s of streams.values()) s.destroy();
    },
  };
}

function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * Runs `prss synth`. Returns the exit code: 0 success, 1 failure while generating or writing,
 * 2 usage error. Never throws and never prints a stack trace.
 */
export async function synthCommand(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(SYNTH_USAGE);
    return 0;
  }
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    io.stderr(`prss synth: ${describeError(e)}\n\n${SYNTH_USAGE}`);
    return 2;
  }
  const dir = resolve(parsed.out);
  const started = performance.now();
  let sink: CsvDirectorySink | null = null;
  try {
    try {
      const st = await stat(dir);
      if (!st.isDirectory()) {
        io.stderr(`prss synth: --out ${parsed.out} exists and is not a directory\n`);
        return 2;
      }
    } catch {
      // does not exist yet: created below
    }
    // Validate options before touching the file system.
    try {
      resolveSynthOptions(parsed.options);
    } catch (e) {
      io.stderr(`prss synth: ${describeError(e).replace(/^generateCohort: /, "")}\n`);
      return 2;
    }
    sink = await createCsvDirectorySink(dir);
    const result = await generateCohort(parsed.options, sink);
    const bytes = await sink.close();
    sink = null;
    const truthText = truthJson(result.truth);
    await writeFile(join(dir, "truth.json"), truthText);
    const seconds = (performance.now() - started) / 1000;
    const files = SYNTH_TABLES.map((t) => ({
      table: t,
      file: `${t}.csv`,
      rows: result.rowCounts[t],
      bytes: bytes[t],
    }));
    if (parsed.json) {
      io.stdout(
        `${JSON.stringify(
          {
            out: dir,
            n: result.options.n,
            seed: result.options.seed,
            design: result.options.design,
            files,
            truth: { file: "truth.json", bytes: Buffer.byteLength(truthText) },
            seconds,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      const lines = files.map((f) => `  ${f.file.padEnd(24)} ${String(f.rows).padStart(10)} rows`);
      io.stdout(
        `prss synth: ${result.options.n} people (${result.options.design}, seed ${result.options.seed}) → ${dir}\n${lines.join("\n")}\n  truth.json\n  ${seconds.toFixed(1)} s\n`,
      );
    }
    return 0;
  } catch (e) {
    sink?.abort();
    io.stderr(`prss synth: failed: ${describeError(e)}\n`);
    return 1;
  }
}

// Direct execution: `tsx src/cli/synth.ts …`.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  synthCommand(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 1;
    },
  );
}
