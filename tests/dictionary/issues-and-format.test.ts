/** Issue construction, capping with exact counts, and the human-readable summary. */
import { describe, expect, it } from "vitest";
import { formatFileCounts, formatIssues } from "../../src/dictionary/format-issues.js";
import {
  IssueCollector,
  LOAD_ISSUE_SEVERITY,
  makeIssue,
  truncateValue,
} from "../../src/dictionary/issues.js";
import { LOAD_CODES } from "../../src/messages/load.js";

const at = (file: string, row: number, column: string, value: string) => ({
  file,
  row,
  line: row + 1,
  column,
  value,
  rule: "r",
});

describe("issues", () => {
  it("gives every code a severity and a description", () => {
    expect(Object.keys(LOAD_ISSUE_SEVERITY).sort()).toEqual(Object.keys(LOAD_CODES).sort());
    expect(LOAD_ISSUE_SEVERITY.AFTER_DEATH).toBe("warning");
    expect(LOAD_ISSUE_SEVERITY.ORPHAN).toBe("error");
  });

  it("truncates values to 200 characters plus an ellipsis", () => {
    expect(truncateValue("abc")).toBe("abc");
    expect(truncateValue("x".repeat(200))).toBe("x".repeat(200));
    expect(truncateValue("x".repeat(201))).toBe(`${"x".repeat(200)}…`);
    expect(truncateValue(null)).toBeNull();
    const issue = makeIssue("TYPE_INVALID", at("a.csv", 1, "c", "v"));
    expect(issue).toMatchObject({
      code: "TYPE_INVALID",
      severity: "error",
      message: LOAD_CODES.TYPE_INVALID,
    });
  });

  it("caps listed issues per file and code, keeps exact counts, and says so", () => {
    const c = new IssueCollector(2);
    for (let i = 1; i <= 5; i++) c.add("RANGE", at("a.csv", i, "x", String(i)));
    c.add("RANGE", at("b.csv", 1, "x", "1"));
    c.add("AFTER_DEATH", at("a.csv", 9, "d", "2024-01-01"));
    expect(c.errors).toBe(6);
    expect(c.countsOf("a.csv")).toEqual({ RANGE: 5, AFTER_DEATH: 1 });
    const issues = c.finish();
    expect(issues.filter((i) => i.code === "RANGE").map((i) => [i.file, i.row])).toEqual([
      ["a.csv", 1],
      ["a.csv", 2],
      ["b.csv", 1],
    ]);
    expect(issues.filter((i) => i.code === "ISSUES_TRUNCATED").map((i) => i.message)).toEqual([
      "5 RANGE issues in a.csv; the first 2 are listed",
    ]);
  });
});

describe("formatIssues", () => {
  it("groups by code, errors first, with counts and the first locations", () => {
    const issues = [
      makeIssue("AFTER_DEATH", at("e.csv", 4, "start_date", "2024-05-01")),
      ...[1, 2, 3].map((r) => makeIssue("DATE_INVALID", at("e.csv", r, "start_date", `2024-02-3${r}`))),
      makeIssue("ORPHAN", at("e.csv", 7, "person_id", "P9")),
    ];
    const text = formatIssues(issues, { examples: 2 });
    expect(text.split("\n")).toEqual([
      `ERROR DATE_INVALID (3): ${LOAD_CODES.DATE_INVALID}`,
      `  e.csv:1:start_date (line 2) value "2024-02-31": ${LOAD_CODES.DATE_INVALID} [rule: r]`,
      `  e.csv:2:start_date (line 3) value "2024-02-32": ${LOAD_CODES.DATE_INVALID} [rule: r]`,
      "  … and 1 more",
      `ERROR ORPHAN (1): ${LOAD_CODES.ORPHAN}`,
      `  e.csv:7:person_id (line 8) value "P9": ${LOAD_CODES.ORPHAN} [rule: r]`,
      `WARNING AFTER_DEATH (1): ${LOAD_CODES.AFTER_DEATH}`,
      `  e.csv:4:start_date (line 5) value "2024-05-01": ${LOAD_CODES.AFTER_DEATH} [rule: r]`,
    ]);
    expect(formatIssues([])).toBe("No issues.");
  });

  it("prints per-file counts", () => {
    const text = formatFileCounts([
      {
        table: "persons",
        file: "persons.csv",
        bytes: 10,
        read: 3,
        accepted: 2,
        rejected: 1,
        issueCounts: {},
      },
    ]);
    expect(text.split("\n")[1]).toMatch(/^persons\.csv\s+3\s+2\s+1$/);
  });
});
