/** Types of a dataset load: the dataset, per-file counts and the result. */
import type { ColumnTable } from "arquero";
import type { TableName } from "../../data-dictionary/index.js";
import type { LoadIssue, LoadIssueCode } from "./issues.js";

/**
 * One arquero table per table file present. Columns are the dictionary's, in its order, with CSV
 * names. Through `table.array(name)`, `table.get`, `table.objects()` and every arquero verb the values
 * are: dates as day numbers (days since 1970-01-01), ints and nums as numbers, bools as true/false,
 * codes, ids and strings as strings, lists as frozen string arrays (shared between equal lists), and
 * null for missing. Columns with special missing codes (GPRA -7/-8/-9) get a companion
 * `<name>_missing_reason` column (REFUSED, DONT_KNOW, MISSING or null). Optional columns absent from a
 * file are all null.
 *
 * Storage (`table.column(name)`, see `typed-columns.ts`): required dates are an Int32Array; every other
 * column is a compact column class (IntColumn, NumColumn, BoolColumn, DictColumn, KeyColumn for
 * primary-key ids, RefColumn for foreign keys — `foreignKeyRows` gives the referenced rows without
 * building strings). Fast readers may use the storage; everyone else sees the values above.
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
  /**
   * Load about half of the event tables on a worker thread: `true`, `false`, or `"auto"` (default:
   * when the folder holds at least 256 MB of table files). The result is the same either way.
   */
  readonly parallel?: boolean | "auto";
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
