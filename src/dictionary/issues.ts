/**
 * Load issues: located, coded findings about a data folder. Errors reject the row (or the file);
 * warnings keep it. Codes and their descriptions live in `src/messages/load.ts`.
 *
 * Location convention: `row` is the 1-based data row (the record after the header; blank lines are
 * not rows), `row = 0` means the header, `row = null` the whole file. `line` is the 1-based physical
 * line where the record starts (a quoted field may span lines), or null for file-level issues.
 */
import { LOAD_CODES, type LoadIssueCode } from "../messages/load.js";

export type { LoadIssueCode } from "../messages/load.js";

/** Severity of an issue: an error rejects the row (or the file), a warning keeps it. */
export type LoadIssueSeverity = "error" | "warning";

/** One located issue. */
export interface LoadIssue {
  readonly code: LoadIssueCode;
  readonly severity: LoadIssueSeverity;
  /** File name within the data folder, e.g. "encounters.csv". */
  readonly file: string;
  /** 1-based data row; 0 = header; null = the whole file. */
  readonly row: number | null;
  /** 1-based physical line where the record starts; null for file-level issues. */
  readonly line: number | null;
  /** Column (for keys over several columns, the names joined by "+"); null when not about one column. */
  readonly column: string | null;
  /** Raw text of the value, truncated to 200 characters (then ending in "…"); null when none. */
  readonly value: string | null;
  /** The rule that was broken, e.g. "date: ISO YYYY-MM-DD, a real calendar day". */
  readonly rule: string;
  /** Human-readable explanation. */
  readonly message: string;
}

/** Severity of every code. */
export const LOAD_ISSUE_SEVERITY: Readonly<Record<LoadIssueCode, LoadIssueSeverity>> = {
  MISSING_TABLE: "error",
  EMPTY_FILE: "error",
  FILE_UNREADABLE: "error",
  ENCODING_INVALID: "warning",
  UNKNOWN_FILE: "warning",
  MISSING_COLUMN: "error",
  DUPLICATE_COLUMN: "error",
  UNKNOWN_COLUMN: "warning",
  ISSUES_TRUNCATED: "warning",
  PARSE_QUOTES: "error",
  PARSE_TOO_FEW_FIELDS: "error",
  PARSE_TOO_MANY_FIELDS: "error",
  FIELD_TOO_LONG: "error",
  REQUIRED_MISSING: "error",
  TYPE_INVALID: "error",
  DATE_INVALID: "error",
  CODE_NOT_ALLOWED: "error",
  RANGE: "error",
  END_BEFORE_START: "error",
  ITEM_NOT_IN_INSTRUMENT: "error",
  DUPLICATE_KEY: "error",
  ORPHAN: "error",
  FK_NOT_CHECKED: "warning",
  AFTER_DEATH: "warning",
  OUTSIDE_OBSERVATION: "warning",
};

/** Longest raw value kept in an issue. */
export const ISSUE_VALUE_MAX_LENGTH = 200;

/** Copies a string so that a short excerpt does not keep a huge parent string alive. */
function copyString(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** Truncates a raw value for display (200 characters, then "…"). */
export function truncateValue(value: string | null): string | null {
  if (value === null) return null;
  if (value.length <= ISSUE_VALUE_MAX_LENGTH) return value.length > 12 ? copyString(value) : value;
  return copyString(`${value.slice(0, ISSUE_VALUE_MAX_LENGTH)}…`);
}

/** Location and details of an issue (everything but the code's severity). */
export interface IssueInput {
  readonly file: string;
  readonly row: number | null;
  readonly line: number | null;
  readonly column: string | null;
  readonly value: string | null;
  readonly rule: string;
  readonly message?: string;
}

/** Builds an issue; the message defaults to the code's description. */
export function makeIssue(code: LoadIssueCode, input: IssueInput): LoadIssue {
  return {
    code,
    severity: LOAD_ISSUE_SEVERITY[code],
    file: input.file,
    row: input.row,
    line: input.line,
    column: input.column,
    value: truncateValue(input.value),
    rule: input.rule,
    message: input.message ?? LOAD_CODES[code],
  };
}

/** The state of an issue collector, as data another thread can send (see `IssueCollector.merge`). */
export interface IssueCollectorState {
  readonly issues: readonly LoadIssue[];
  readonly counts: readonly (readonly [string, readonly (readonly [LoadIssueCode, number])[]])[];
  readonly firstRows: readonly (readonly [string, number | null])[];
  readonly errors: number;
}

/**
 * Collects issues, keeping at most `maxPerCode` per file and code (memory stays bounded on a file
 * where every row is wrong); exact counts are kept and one ISSUES_TRUNCATED warning per file and code
 * reports the overflow.
 */
export class IssueCollector {
  readonly issues: LoadIssue[] = [];
  private readonly counts = new Map<string, Map<LoadIssueCode, number>>();
  /** Row of the first issue of each file and code (orders the ISSUES_TRUNCATED warnings). */
  private readonly firstRows = new Map<string, number | null>();
  private errorCount = 0;

  constructor(private readonly maxPerCode: number = 1000) {}

  /** Adds an issue (or only counts it, beyond the limit). */
  add(code: LoadIssueCode, input: IssueInput): void {
    let perFile = this.counts.get(input.file);
    if (!perFile) {
      perFile = new Map();
      this.counts.set(input.file, perFile);
    }
    const n = (perFile.get(code) ?? 0) + 1;
    perFile.set(code, n);
    if (n === 1) this.firstRows.set(`${input.file}\u0000${code}`, input.row);
    if (LOAD_ISSUE_SEVERITY[code] === "error") this.errorCount++;
    if (n <= this.maxPerCode) this.issues.push(makeIssue(code, input));
  }

  /**
   * Orders the issues listed since position `from` by row (stable; the header's row 0 first, issues
   * about the whole file last). A loader that reports some issues at the end of its file (repeated
   * keys, cross-table warnings) calls it so that the list reads in row order.
   */
  sortFrom(from: number): void {
    const tail = this.issues.slice(from);
    const rank = (i: LoadIssue) => (i.row === null ? Number.POSITIVE_INFINITY : i.row);
    const order = tail.map((issue, k) => ({ issue, k }));
    order.sort((a, b) => rank(a.issue) - rank(b.issue) || a.k - b.k);
    for (let k = 0; k < order.length; k++) this.issues[from + k] = (order[k] as { issue: LoadIssue }).issue;
    // Codes of the files concerned, in order of their first row (as if reported in row order).
    for (const file of new Set(tail.map((i) => i.file))) {
      const perFile = this.counts.get(file);
      if (!perFile) continue;
      const first = (code: LoadIssueCode) => {
        const row = this.firstRows.get(`${file}\u0000${code}`);
        return row === null || row === undefined ? Number.POSITIVE_INFINITY : row;
      };
      const entries = [...perFile].map((e, k) => ({ e, k }));
      entries.sort((a, b) => first(a.e[0]) - first(b.e[0]) || a.k - b.k);
      perFile.clear();
      for (const { e } of entries) perFile.set(e[0], e[1]);
    }
  }

  /** Position of the next issue listed (for `sortFrom`). */
  get listed(): number {
    return this.issues.length;
  }

  /** The collected issues and counts as data (before `finish`). */
  state(): IssueCollectorState {
    return {
      issues: this.issues,
      counts: [...this.counts].map(([file, m]) => [file, [...m]] as const),
      firstRows: [...this.firstRows],
      errors: this.errorCount,
    };
  }

  /**
   * Adds the issues another collector gathered about other files (same limit per file and code), then
   * orders every issue as if all files had been read one after another in `fileOrder` (issues about
   * files not listed come first, as UNKNOWN_FILE warnings do).
   */
  merge(other: IssueCollectorState, fileOrder: readonly string[]): void {
    for (const issue of other.issues) this.issues.push(issue);
    for (const [file, entries] of other.counts) this.counts.set(file, new Map(entries));
    for (const [key, row] of other.firstRows) this.firstRows.set(key, row);
    this.errorCount += other.errors;
    const rank = (file: string) => fileOrder.indexOf(file);
    const order = this.issues.map((issue, k) => ({ issue, k }));
    order.sort((a, b) => rank(a.issue.file) - rank(b.issue.file) || a.k - b.k);
    for (let k = 0; k < order.length; k++) this.issues[k] = (order[k] as { issue: LoadIssue }).issue;
    const files = [...this.counts.keys()].sort((a, b) => rank(a) - rank(b));
    const counts = new Map(files.map((f) => [f, this.counts.get(f) as Map<LoadIssueCode, number>]));
    this.counts.clear();
    for (const [f, m] of counts) this.counts.set(f, m);
  }

  /** Number of errors seen (including those beyond the limit). */
  get errors(): number {
    return this.errorCount;
  }

  /** Exact issue counts of a file, by code. */
  countsOf(file: string): Partial<Record<LoadIssueCode, number>> {
    return Object.fromEntries(this.counts.get(file) ?? []);
  }

  /** Appends the ISSUES_TRUNCATED warnings and returns every kept issue. */
  finish(): LoadIssue[] {
    for (const [file, perFile] of this.counts) {
      for (const [code, n] of perFile) {
        if (n > this.maxPerCode) {
          this.issues.push(
            makeIssue("ISSUES_TRUNCATED", {
              file,
              row: null,
              line: null,
              column: null,
              value: null,
              rule: `at most ${this.maxPerCode} issues listed per file and code`,
              message: `${n} ${code} issues in ${file}; the first ${this.maxPerCode} are listed`,
            }),
          );
        }
      }
    }
    return this.issues;
  }
}
