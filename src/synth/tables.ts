/**
 * Table and column names written by the synthetic generator and the allowed values of each code
 * column, taken from the data dictionary (tests/synth/contract.ts keeps an independent transcription
 * of columns.md to check both).
 */
import { tables } from "../../data-dictionary/index.js";

/** The eleven tables, in the order they are written. */
export const SYNTH_TABLES = [
  "persons",
  "observation_periods",
  "arms",
  "index_events",
  "encounters",
  "medication_events",
  "peer_contacts",
  "uds_results",
  "daily_use",
  "assessments",
  "co_interventions",
] as const;

export type SynthTableName = (typeof SYNTH_TABLES)[number];

/** Header columns of every table, in dictionary order (the data dictionary is the one source). */
export const SYNTH_COLUMNS: Readonly<Record<SynthTableName, readonly string[]>> = Object.fromEntries(
  SYNTH_TABLES.map((t) => [t, tables[t].columns.map((c) => c.name)]),
) as unknown as Record<SynthTableName, readonly string[]>;

/** The CSV header line (with trailing newline) of a table. */
export function synthHeader(table: SynthTableName): string {
  return `${SYNTH_COLUMNS[table].join(",")}\n`;
}

/** Allowed values of every code (and list-of-code) column, keyed "table.column" (from the dictionary). */
export const SYNTH_CODE_SETS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  SYNTH_TABLES.flatMap((t) =>
    tables[t].columns
      .filter((c) => c.codes !== null)
      .map((c) => [`${t}.${c.name}`, (c.codes ?? []).map((k) => k.code)] as const),
  ),
);
