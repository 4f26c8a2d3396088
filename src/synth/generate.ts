/**
 * `generateCohort`: the synthetic cohort generator's entry point. Generation is pure: CSV text is
 * handed to a sink in chunks (header first), so a caller can stream a million people to disk
 * without holding the tables in memory; the file-writing sink lives in the CLI.
 */

import { injectError } from "./dirty.js";
import { DOMAIN, type ModelContext, makeModelContext, STREAM, seedStream } from "./model.js";
import { type ResolvedSynthOptions, resolveSynthOptions, type SynthOptions } from "./options.js";
import { type PersonSummary, PersonWriter } from "./person.js";
import { Rng } from "./rng.js";
import { SYNTH_TABLES, type SynthTableName, synthHeader } from "./tables.js";
import { buildTruth, computeDerivedTruth, type DirtyError, type SynthTruth } from "./truth.js";

/** Receives CSV text per table: first the header line, then chunks of complete lines. */
export interface SynthSink {
  write(table: SynthTableName, text: string): void | Promise<void>;
}

/** What a run produced. */
export interface SynthResult {
  readonly options: ResolvedSynthOptions;
  readonly rowCounts: Readonly<Record<SynthTableName, number>>;
  readonly truth: SynthTruth;
}

/** Hook for tests: sees every person's summary right after their rows were written. */
export type PersonObserver = (person: PersonSummary) => void;

/**
 * Generates a synthetic PRSS evaluation dataset — all eleven tables of the column contract — for
 * `options.n` people from `options.seed`, and returns the truth (every parameter and the derived true
 * quantities, see truth.ts). Deterministic: the same options give byte-identical text whatever the
 * chunk size. Memory is bounded by one chunk of people (`chunkPersons`).
 *
 * @throws InvalidInputError when an option is out of range.
 */
export async function generateCohort(
  options: SynthOptions,
  sink: SynthSink,
  observer?: PersonObserver,
): Promise<SynthResult> {
  const opts = resolveSynthOptions(options);
  const ctx = makeModelContext(opts);
  const derived = opts.truthSamples > 0 ? computeDerivedTruth(ctx, opts.truthSamples) : null;
  const counts = Object.fromEntries(SYNTH_TABLES.map((t) => [t, 0])) as Record<SynthTableName, number>;
  const dirtyLog: DirtyError[] = [];
  for (const t of SYNTH_TABLES) await sink.write(t, synthHeader(t));
  const writer = new PersonWriter(ctx);
  const dirtyRng = new Rng();
  for (let from = 0; from < opts.n; from += opts.chunkPersons) {
    const to = Math.min(opts.n, from + opts.chunkPersons);
    for (let i = from; i < to; i++) {
      const person = writer.writePerson(i);
      if (opts.dirty > 0) maybeDirty(ctx, dirtyRng, i, person, writer, dirtyLog);
      observer?.(person);
    }
    for (let t = 0; t < SYNTH_TABLES.length; t++) {
      const lines = writer.rows[t]!;
      if (lines.length === 0) continue;
      counts[SYNTH_TABLES[t]!] += lines.length;
      const pending = sink.write(SYNTH_TABLES[t]!, `${lines.join("\n")}\n`);
      if (pending !== undefined) await pending;
    }
    writer.clear();
  }
  return { options: opts, rowCounts: counts, truth: buildTruth(ctx, derived, counts, dirtyLog) };
}

function maybeDirty(
  ctx: ModelContext,
  rng: Rng,
  i: number,
  person: PersonSummary,
  writer: PersonWriter,
  log: DirtyError[],
): void {
  seedStream(ctx, rng, DOMAIN.COHORT, i, STREAM.DIRTY);
  if (rng.uniform() < ctx.opts.dirty) injectError(rng, person, writer.rows, writer.dates, log);
}

/**
 * Generates a cohort into memory: one CSV string per table (header included) plus the truth. For
 * small n (tests, examples); use {@link generateCohort} with a streaming sink for large n.
 */
export async function generateCohortText(
  options: SynthOptions,
  observer?: PersonObserver,
): Promise<SynthResult & { readonly files: Readonly<Record<SynthTableName, string>> }> {
  const parts = Object.fromEntries(SYNTH_TABLES.map((t) => [t, [] as string[]])) as Record<
    SynthTableName,
    string[]
  >;
  const result = await generateCohort(options, { write: (t, text) => void parts[t].push(text) }, observer);
  const files = Object.fromEntries(SYNTH_TABLES.map((t) => [t, parts[t].join("")])) as Record<
    SynthTableName,
    string
  >;
  return { ...result, files };
}

/** Serialises the truth as pretty JSON (NaN/Infinity become null). */
export function truthJson(truth: SynthTruth): string {
  return `${JSON.stringify(truth, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`;
}
