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
import { TableLoader } from "../dictionary/table-loader.js";
import { streamCsvFile } from "./read-csv-file.js";

/** Thrown when the data folder itself cannot be listed (absent, not a folder, no permission). */
export class DataFolderError extends Error {
  override readonly name = "DataFolderError";
}

interface TableOutcome {
  readonly table: ColumnTable;
  readonly count: FileCount;
  readonly sha256: string | null;
  /** The file as a whole was unusable (empty, unreadable, header rejected). */
  readonly fileRejected: boolean;
}

function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT") return "it does not exist";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a folder";
  return error instanceof Error ? error.message : String(error);
}

async function loadTableFile(
  dir: string,
  def: TableDefinition<TableName>,
  ctx: DatasetContext,
  issues: IssueCollector,
): Promise<TableOutcome> {
  const file = def.fileName;
  const path = join(dir, file);
  const loader = new TableLoader(def, ctx, issues);
  const fileIssue = (
    code: "EMPTY_FILE" | "FILE_UNREADABLE" | "ENCODING_INVALID",
    message: string,
    rule: string,
  ) => issues.add(code, { file, row: null, line: null, column: null, value: null, rule, message });
  let sha256: string | null = null;
  let bytes = 0;
  let unusable = false;
  try {
    const stats = await streamCsvFile(path, (parser) => ({
      record: (fields, line) => {
        if (loader.hasHeader) loader.record(fields, line);
        else {
          loader.header(fields, line);
          parser.setExpectedFields(fields.length);
        }
      },
      plainLine: (text, start, end, line) => {
        if (loader.hasHeader) loader.recordLine(text, start, end, line);
        else {
          const fields = text.slice(start, end).split(",");
          loader.header(fields, line);
          parser.setExpectedFields(fields.length);
        }
      },
      malformed: (line, text, reason) => {
        if (loader.hasHeader) loader.malformed(line, text, reason);
        else {
          issues.add("PARSE_QUOTES", {
            file,
            row: 0,
            line,
            column: null,
            value: text,
            rule: "RFC 4180 quoting",
            message: `the header could not be split (${reason}); the file is rejected`,
          });
          loader.rejectFile();
        }
      },
    }));
    sha256 = stats.sha256;
    bytes = stats.bytes;
    if (stats.invalidUtf8) {
      fileIssue("ENCODING_INVALID", "invalid UTF-8 bytes were replaced by U+FFFD", "files are UTF-8 encoded");
    }
    if (!loader.hasHeader) {
      unusable = true;
      fileIssue(
        "EMPTY_FILE",
        stats.bytes === 0 ? "the file has 0 bytes" : "the file has no header row (only blank lines)",
        "a table file starts with a header row",
      );
    }
  } catch (error) {
    unusable = !loader.hasHeader;
    fileIssue("FILE_UNREADABLE", `${file} could not be read: ${errorText(error)}`, "the file is readable");
  }
  const table = loader.finish();
  const counts = loader.counts;
  return {
    table,
    sha256,
    fileRejected: unusable || loader.fileRejected,
    count: {
      table: def.name,
      file,
      bytes,
      read: counts.read,
      accepted: counts.accepted,
      rejected: counts.rejected,
      issueCounts: issues.countsOf(file),
    },
  };
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
  const dataset: Partial<Record<TableName, ColumnTable>> = {};
  const files: FileCount[] = [];
  const checksums: Record<string, string> = {};
  for (const name of LOAD_ORDER) {
    if (!wanted.has(name)) continue;
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
        break;
      }
      continue;
    }
    const outcome = await loadTableFile(dir, def, ctx, issues);
    dataset[name] = outcome.table;
    files.push(outcome.count);
    if (outcome.sha256 !== null) checksums[def.fileName] = outcome.sha256;
    if (def.required && outcome.fileRejected) break;
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
