/**
 * Loads one table file of a data folder (streamed once: checksum, split, validate, convert) into a
 * table, with its counts and file-level issues. Used by `loadDataset`, on the main thread or on the
 * load worker.
 */

import { join } from "node:path";
import type { ColumnTable } from "arquero";
import type { TableDefinition, TableName } from "../../data-dictionary/index.js";
import type { DatasetContext } from "../dictionary/dataset-context.js";
import type { IssueCollector } from "../dictionary/issues.js";
import type { FileCount } from "../dictionary/load-result.js";
import { TableLoader } from "../dictionary/table-loader.js";
import type { ChecksumWorker } from "./checksum.js";
import { streamCsvFile } from "./read-csv-file.js";

/** What loading one table file gives. */
export interface TableOutcome {
  readonly table: ColumnTable;
  readonly count: FileCount;
  readonly sha256: string | null;
  /** The file as a whole was unusable (empty, unreadable, header rejected). */
  readonly fileRejected: boolean;
}

/** Human-readable reason of an I/O error. */
export function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT") return "it does not exist";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a folder";
  return error instanceof Error ? error.message : String(error);
}

/** Loads and validates one table file (see `loadDataset` for the policies). */
export async function loadTableFile(
  dir: string,
  def: TableDefinition<TableName>,
  ctx: DatasetContext,
  issues: IssueCollector,
  checksums: ChecksumWorker | null,
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
    const stats = await streamCsvFile(
      path,
      (parser) => ({
        record: (fields, line) => {
          if (loader.hasHeader) loader.record(fields, line);
          else {
            loader.header(fields, line);
            parser.setExpectedFields(fields.length);
          }
        },
        plainBytes: (buf, start, end, line) => {
          if (loader.hasHeader) loader.recordBytes(buf, start, end, line);
          else {
            const fields = buf.toString("latin1", start, end).split(",");
            loader.header(fields, line);
            parser.setExpectedFields(fields.length);
          }
        },
        expectLines: (lines) => loader.expectRows(lines),
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
      }),
      checksums === null ? {} : { checksum: (p) => checksums.sha256(p) },
    );
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
