/** Data-quality summary for the report: rows per file and issues per rule, with one located example. */
import type { LoadResult } from "../dictionary/load-result.js";
import type { DataQuality, IssueCount } from "../report/types.js";

/** Summarises a load: files with read/accepted/rejected and issue counts by code (no raw values). */
export function dataQualityOf(load: LoadResult): DataQuality {
  const files = load.files.map((f) => ({
    file: f.file,
    read: f.read,
    accepted: f.accepted,
    rejected: f.rejected,
  }));
  const byCode = new Map<string, IssueCount>();
  for (const f of load.files) {
    for (const [code, count] of Object.entries(f.issueCounts)) {
      if (!count) continue;
      const prev = byCode.get(code);
      const example = load.issues.find((i) => i.code === code);
      byCode.set(code, {
        code,
        severity: example?.severity ?? "warning",
        count: (prev?.count ?? 0) + count,
        // Location only: the raw value may be personal data, so it never enters the report.
        ...(example ? { example: locationOf(example) } : {}),
      });
    }
  }
  const issuesByCode = [...byCode.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return { files, issuesByCode };
}

function locationOf(issue: LoadResult["issues"][number]): string {
  const parts = [issue.file];
  if (issue.row !== null && issue.row !== undefined) parts.push(`row ${issue.row}`);
  if (issue.column) parts.push(`column ${issue.column}`);
  return `${parts.join(", ")}: ${issue.rule}`;
}
