/**
 * Human-readable summaries of load issues and file counts (plain text, for the terminal or a log):
 * issues grouped by code, errors first, each group with its count and the first few locations as
 * file:row:column with the raw value.
 */
import { LOAD_CODES } from "../messages/load.js";
import type { LoadIssue } from "./issues.js";
import type { FileCount } from "./load-result.js";

/** Options of `formatIssues`. */
export interface FormatIssuesOptions {
  /** Locations shown per code (default 5). */
  readonly examples?: number;
}

function location(issue: LoadIssue): string {
  let where = issue.file;
  if (issue.row !== null) where += `:${issue.row}`;
  if (issue.column !== null) where += `:${issue.column}`;
  if (issue.line !== null && issue.row !== null && issue.row > 0) where += ` (line ${issue.line})`;
  return where;
}

/** Groups issues by code (errors first, then by count) and lists the first locations of each. */
export function formatIssues(issues: readonly LoadIssue[], options: FormatIssuesOptions = {}): string {
  if (issues.length === 0) return "No issues.";
  const examples = options.examples ?? 5;
  const groups = new Map<string, LoadIssue[]>();
  for (const issue of issues) {
    const g = groups.get(issue.code);
    if (g) g.push(issue);
    else groups.set(issue.code, [issue]);
  }
  const ordered = [...groups.values()].sort((a, b) => {
    const sa = a[0]?.severity === "error" ? 0 : 1;
    const sb = b[0]?.severity === "error" ? 0 : 1;
    return sa - sb || b.length - a.length;
  });
  const lines: string[] = [];
  for (const group of ordered) {
    const first = group[0] as LoadIssue;
    lines.push(
      `${first.severity === "error" ? "ERROR" : "WARNING"} ${first.code} (${group.length}): ${LOAD_CODES[first.code]}`,
    );
    for (const issue of group.slice(0, examples)) {
      const value = issue.value === null ? "" : ` value ${JSON.stringify(issue.value)}`;
      lines.push(`  ${location(issue)}${value}: ${issue.message} [rule: ${issue.rule}]`);
    }
    if (group.length > examples) lines.push(`  … and ${group.length - examples} more`);
  }
  return lines.join("\n");
}

/** One line per file: rows read, accepted, rejected, and error/warning counts. */
export function formatFileCounts(files: readonly FileCount[]): string {
  if (files.length === 0) return "No table files were read.";
  const width = Math.max(...files.map((f) => f.file.length), 4);
  const num = (n: number) => String(n).padStart(9);
  const lines = [`${"file".padEnd(width)}      read  accepted  rejected`];
  for (const f of files)
    lines.push(`${f.file.padEnd(width)} ${num(f.read)} ${num(f.accepted)} ${num(f.rejected)}`);
  return lines.join("\n");
}
