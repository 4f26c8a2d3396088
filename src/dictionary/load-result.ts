/** Types of a dataset load: the dataset, per-file counts and the result. */
import type { ColumnTable } from "arquero";
import type { TableName } from "../../data-dictionary/index.js";
import type { LoadIssue, LoadIssueCode } from "./issues.js";

/**
 * One arquero table per table file present. Columns are the dictionary's, in its order, with CSV
 * names: required dates → Int32Array of day numbers (days since 1970-01-01); every other column a
 * plain array with null for missing — dates and ints/nums as numbers, bools as true/false, codes,
 * ids and strings as strings, lists as frozen string arrays (shared between equal lists). Columns
 * with special missing codes (GPRA -7/-8/-9) get a companion `<name>_missing_reason` column
 * (REFUSED, DONT_KNOW, MISSING or null). Optional columns absent from a file are all null.
 */
export type Dataset = { readonly [T in TableName]?: ColumnTable };

/** Row counts of one file; `read = accepted + rejected` always. */
export interface FileCount {
  readonly table: TableName;
  readonly file: string;
  readonly bytes: number;
  /** Data rows read (records after the header; blank lines are not rows). */
  readonly read: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Exact number of issues of each code in this file (issues listed may be capped). */
  readonly issueCounts: Partial<Record<LoadIssueCode, number>>;
}

/** Options of `loadDataset`. */
export interface LoadOptions {
  /** Any error makes the whole load fail: `ok` false and an empty dataset (issues still returned). */
  readonly strict?: boolean;
  /** Tables to load (persons is always loaded: every other table refers to it). Default: all. */
  readonly tables?: readonly TableName[];
  /** Issues listed per file and code (exact counts are always kept). Default 1000. */
  readonly maxIssuesPerCode?: number;
}

/** Result of loading a data folder. */
export interface LoadResult {
  /** True when no issue is an error (warnings allowed). */
  readonly ok: boolean;
  readonly dataset: Dataset;
  readonly issues: readonly LoadIssue[];
  readonly files: readonly FileCount[];
  /** SHA-256 (lower-case hex) of every table file read, by file name. */
  readonly checksums: Readonly<Record<string, string>>;
  readonly dictionaryVersion: string;
}
