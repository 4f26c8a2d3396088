/**
 * Loads and validates a data folder: one CSV per table (`<table>.csv`, header row with the
 * dictionary's column names), streamed once each, every row converted by its dictionary entry and
 * checked within and across tables. Never stops at the first problem; every issue is located.
 *
 * Policies (see also `src/dictionary/table-loader.ts`):
 * - Tables are optional except persons. A missing persons.csv is a MISSING_TABLE error; when persons.csv
 *   is absent or unusable as a whole (empty, unreadable, header rejected), no other table is loaded.
 * - Tables are read in `LOAD_ORDER` (parents before children, observation periods before events).
 * - A 0-byte or blank file is EMPTY_FILE (error); a header-only file is fine (0 rows, no issue).
 * - A CSV file in the folder that is not a dictionary table is UNKNOWN_FILE (warning, ignored).
 * - Strict mode: any error → `ok` false and an empty dataset; all issues are still returned.
 */
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ColumnTable } from "arquero";
import * as aq from "arquero";
import {
  DICTIONARY_VERSION,
  LOAD_ORDER,
  type TableDefinition,
  type TableName,
  tables,
} from "../../data-dictionary/index.js";
import { DatasetContext } from "../dictionary/dataset-context.js";
import { IssueCollector } from "../dictionary/issues.js";
import type { FileCount, LoadOptions, LoadResult } from "../dictionary/load-result.js";
import { columnFromParts } from "../dictionary/typed-columns.js";
import { ChecksumWorker } from "./checksum.js";
import { errorText, loadTableFile } from "./load-table-file.js";
import { LoadWorker, splitTables, type WorkerDone } from "./parallel-load.js";

/** Folders with at least this many bytes of table files are hashed on a worker thread. */
const CHECKSUM_WORKER_BYTES = 64 * 1024 * 1024;

/** Folders with at least this many bytes of table files are loaded on two threads (`parallel: "auto"`). */
const PARALLEL_LOAD_BYTES = 256 * 1024 * 1024;

/** Tables loaded before the others are split between threads (every other table's checks use them). */
const LOADED_FIRST: readonly TableName[] = ["persons", "observation_periods"];

/** Thrown when the data folder itself cannot be listed (absent, not a folder, no permission). */
export class DataFolderError extends Error {
  override readonly name = "DataFolderError";
}

/**
 * Frees the hash indexes of loaded tables that no table still to load refers to (each index of ten
 * million keys holds about 120 MB); key columns keep their bytes.
 */
function releaseUnneededKeys(ctx: DatasetContext, stillToLoad: readonly TableName[]): void {
  for (const table of LOAD_ORDER) {
    if (!ctx.loaded.has(table)) continue;
    const needed = stillToLoad.some((t) => tables[t].foreignKeys.some((fk) => fk.table === table));
    if (!needed) ctx.keysOf(table).release();
  }
}

async function listFolder(dir: string): Promise<Dirent[]> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new DataFolderError(`${dir} is not a folder`);
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (error instanceof DataFolderError) throw error;
    throw new DataFolderError(`cannot read the data folder ${dir}: ${errorText(error)}`);
  }
}

/**
 * Loads and validates every dictionary table found in `dir`.
 *
 * @param dir folder holding `<table>.csv` files
 * @param options `strict` (any error empties the dataset), `tables` (subset to load; persons always),
 *   `maxIssuesPerCode` (issues listed per file and code, default 1000; counts stay exact)
 * @returns `{ ok, dataset, issues, files, checksums, dictionaryVersion }`; `ok` is true when no issue
 *   is an error
 * @throws DataFolderError when `dir` is not a readable folder
 */
export async function loadDataset(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const entries = await listFolder(dir);
  const issues = new IssueCollector(options.maxIssuesPerCode ?? 1000);
  const ctx = new DatasetContext();
  const wanted = new Set<TableName>(options.tables ?? LOAD_ORDER);
  wanted.add("persons");
  const present = new Set(entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name));
  const known = new Set(LOAD_ORDER.map((name) => tables[name].fileName));
  for (const name of [...present].sort()) {
    if (name.toLowerCase().endsWith(".csv") && !known.has(name)) {
      issues.add("UNKNOWN_FILE", {
        file: name,
        row: null,
        line: null,
        column: null,
        value: null,
        rule: `table files: ${[...known].join(", ")}`,
        message: `${name} is not a table of the data dictionary and was ignored (file names are case-sensitive)`,
      });
    }
  }
  const sizes = new Map<string, number>();
  for (const e of entries) {
    if (e.isFile() && known.has(e.name))
      sizes.set(e.name, (await stat(join(dir, e.name)).catch(() => null))?.size ?? 0);
  }
  const csvBytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  const bytesOf = (name: TableName) => sizes.get(tables[name].fileName) ?? 0;
  // Large folders use a second thread: a worker loads about half of the event tables (see
  // parallel-load.ts); smaller ones at least hash on another thread while this one parses.
  const parallel = options.parallel ?? "auto";
  let loadWorker =
    parallel === true || (parallel === "auto" && csvBytes >= PARALLEL_LOAD_BYTES) ? LoadWorker.start() : null;
  const checksumWorker =
    loadWorker === null && csvBytes >= CHECKSUM_WORKER_BYTES ? new ChecksumWorker() : null;
  const loadedTables = new Map<TableName, { table: ColumnTable; count: FileCount; sha256: string | null }>();
  // Tables this thread has still to load (their parents' key indexes are kept until then).
  const pending = new Set<TableName>(LOAD_ORDER.filter((t) => wanted.has(t)));
  const loadHere = async (name: TableName, def: TableDefinition<TableName>): Promise<boolean> => {
    const outcome = await loadTableFile(dir, def, ctx, issues, checksumWorker);
    pending.delete(name);
    releaseUnneededKeys(ctx, [...pending]);
    loadedTables.set(name, outcome);
    return !(def.required && outcome.fileRejected);
  };
  try {
    const rest: TableName[] = [];
    let stop = false;
    for (const name of LOAD_ORDER) {
      if (!wanted.has(name) || stop) continue;
      const def = tables[name] as TableDefinition<TableName>;
      if (!present.has(def.fileName)) {
        if (def.required) {
          issues.add("MISSING_TABLE", {
            file: def.fileName,
            row: null,
            line: null,
            column: null,
            value: null,
            rule: `${def.fileName} is required: every other table refers to it`,
            message: `${def.fileName} is absent from ${dir}; no other table was loaded`,
          });
          stop = true;
        }
        continue;
      }
      // Persons and observation periods first, here: every other table's checks need them.
      if (loadWorker !== null && !LOADED_FIRST.includes(name)) rest.push(name);
      else if (!(await loadHere(name, def))) stop = true;
    }
    if (loadWorker !== null && !stop && rest.length > 0) {
      const split = splitTables(rest, bytesOf);
      const referenced = [
        ...new Set(split.worker.flatMap((t) => tables[t].foreignKeys.map((fk) => fk.table as TableName))),
      ].filter((t) => ctx.loaded.has(t));
      const fromWorker = loadWorker.load({
        dir,
        tables: split.worker,
        context: ctx.toParts(referenced),
        maxIssuesPerCode: options.maxIssuesPerCode ?? 1000,
      });
      fromWorker.catch(() => {});
      // (The worker's tables stay pending here: their parents' keys are kept in case it fails.)
      for (const name of split.main) await loadHere(name, tables[name] as TableDefinition<TableName>);
      let done: WorkerDone | null = null;
      try {
        done = await fromWorker;
      } catch {
        // The worker failed: load its tables here (nothing of its work is kept).
        for (const name of split.worker) await loadHere(name, tables[name] as TableDefinition<TableName>);
      }
      const keysOf = (t: string) => ctx.keysOf(t as TableName).keyColumn();
      for (const w of done?.tables ?? []) {
        const data: Record<string, unknown> = {};
        for (const [c, parts] of w.columns) data[c] = columnFromParts(parts, keysOf);
        loadedTables.set(w.name, { table: aq.table(data), count: w.count, sha256: w.sha256 });
      }
      // Issues in file order, as one thread reading the files one after another lists them.
      issues.merge(
        done?.issues ?? { issues: [], counts: [], firstRows: [], errors: 0 },
        LOAD_ORDER.map((t) => tables[t].fileName),
      );
    } else {
      for (const name of rest) {
        if (!(await loadHere(name, tables[name] as TableDefinition<TableName>))) break;
      }
    }
  } finally {
    await checksumWorker?.close();
    await loadWorker?.close();
    loadWorker = null;
  }
  const dataset: Partial<Record<TableName, ColumnTable>> = {};
  const files: FileCount[] = [];
  const checksums: Record<string, string> = {};
  for (const name of LOAD_ORDER) {
    const t = loadedTables.get(name);
    if (!t) continue;
    dataset[name] = t.table;
    files.push(t.count);
    if (t.sha256 !== null) checksums[tables[name].fileName] = t.sha256;
  }
  const allIssues = issues.finish();
  const ok = issues.errors === 0;
  return {
    ok,
    dataset: options.strict && !ok ? {} : dataset,
    issues: allIssues,
    files,
    checksums,
    dictionaryVersion: DICTIONARY_VERSION,
  };
}
