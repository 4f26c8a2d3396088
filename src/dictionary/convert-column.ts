/**
 * Fast per-column converters compiled from the dictionary's column metadata: text → typed value, or a
 * `ConversionFailure` naming the broken rule. They implement exactly the text rules of the zod column
 * schemas in `data-dictionary/columns.ts` (a test compares both on valid and invalid values), without
 * allocating on the success path, so a million rows validate in about a second.
 *
 * Check order: length (FIELD_TOO_LONG), missing codes (REQUIRED_MISSING, or null), special missing codes
 * (null), then the kind's rule (TYPE_INVALID, DATE_INVALID, CODE_NOT_ALLOWED) and range (RANGE).
 */
import { type ColumnInfo, DATE_PATTERN, NUM_PATTERN } from "../../data-dictionary/index.js";
import { parseIsoDate } from "../dates.js";
import type { LoadIssueCode } from "../messages/load.js";

/** A converted value: day numbers and numbers, booleans, strings, frozen string arrays, or null. */
export type ColumnValue = string | number | boolean | readonly string[] | null;

/** Why a text value could not be converted. */
export class ConversionFailure {
  constructor(
    readonly code: LoadIssueCode,
    readonly rule: string,
    readonly message: string,
  ) {}
}

/** Text → value or failure. */
export type ColumnConverter = (text: string) => ColumnValue | ConversionFailure;

/** Largest number of distinct list texts whose arrays are shared (interned) per column. */
const LIST_CACHE_LIMIT = 10_000;

/** Entries of a column's string-interning table. */
const INTERN_LIMIT = 1 << 16;

/**
 * Returns a function that maps equal strings to one shared instance, so a million rows with a few
 * thousand distinct values (providers, diagnosis codes) keep a few thousand strings alive, not a million.
 * It switches itself off when the table fills up with mostly distinct values (e.g. unique ids).
 */
function createInterner(): (s: string) => string {
  const table = new Map<string, string>();
  let hits = 0;
  let enabled = true;
  return (s) => {
    if (!enabled) return s;
    const hit = table.get(s);
    if (hit !== undefined) {
      hits++;
      return hit;
    }
    if (table.size < INTERN_LIMIT) {
      // Copy long strings so the table does not keep the whole input chunk alive (V8 sliced strings).
      const own = s.length >= 13 ? ` ${s}`.slice(1) : s;
      table.set(own, own);
      return own;
    }
    if (hits < table.size) {
      enabled = false;
      table.clear();
    }
    return s;
  };
}

/** True for the characters JavaScript's `\s` matches. */
function isWhiteSpace(c: number): boolean {
  if (c > 32 && c < 127) return false;
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function isIntText(s: string): boolean {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i >= n) return false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Human-readable rule of a column's type, used in issues and in the codebook. */
export function typeRuleOf(column: ColumnInfo): string {
  switch (column.kind) {
    case "id":
      return "id: non-empty text without leading or trailing white space";
    case "date":
      return "date: ISO YYYY-MM-DD, a real calendar day";
    case "int":
      return "int: digits, optionally preceded by a minus sign";
    case "num":
      return "num: a finite decimal number (e.g. 12, -0.5, 1e3)";
    case "bool":
      return "bool: 0, 1, true or false";
    case "code":
      return `code: one of ${(column.codes ?? []).map((c) => c.code).join(", ")}`;
    case "list":
      return column.codes
        ? `list: codes separated by ";", each one of ${column.codes.map((c) => c.code).join(", ")}`
        : 'list: non-empty elements separated by ";"';
    case "string":
      return column.patternDescription ? `string: ${column.patternDescription}` : "string: non-empty text";
  }
}

/** Human-readable range of a numeric column, or null when it has none. */
export function rangeRuleOf(column: ColumnInfo): string | null {
  const parts: string[] = [];
  if (column.minimum !== null) parts.push(`${column.exclusiveMinimum ? ">" : "≥"} ${column.minimum}`);
  if (column.maximum !== null) parts.push(`≤ ${column.maximum}`);
  return parts.length > 0 ? parts.join(" and ") : null;
}

function kindConverter(column: ColumnInfo): ColumnConverter {
  const typeRule = typeRuleOf(column);
  const invalid = (code: LoadIssueCode, message: string) => new ConversionFailure(code, typeRule, message);
  switch (column.kind) {
    case "id": {
      // Foreign keys are replaced by the parent's string instance, so only other ids are interned.
      const intern = column.references === null ? createInterner() : (s: string) => s;
      return (s) =>
        isWhiteSpace(s.charCodeAt(0)) || isWhiteSpace(s.charCodeAt(s.length - 1))
          ? invalid("TYPE_INVALID", "an id must not start or end with white space")
          : intern(s);
    }
    case "string": {
      const intern = createInterner();
      const pattern = column.pattern === null ? null : new RegExp(column.pattern);
      if (!pattern) return intern;
      return (s) =>
        pattern.test(s) ? intern(s) : invalid("TYPE_INVALID", `expected ${column.patternDescription}`);
    }
    case "date":
      return (s) => {
        const day = parseIsoDate(s);
        if (day !== null) return day;
        return DATE_PATTERN.test(s)
          ? invalid("DATE_INVALID", "not a real calendar date")
          : invalid("DATE_INVALID", "expected an ISO date YYYY-MM-DD");
      };
    case "int":
      return (s) => (isIntText(s) ? Number(s) : invalid("TYPE_INVALID", "expected an integer"));
    case "num":
      return (s) => {
        if (!NUM_PATTERN.test(s)) return invalid("TYPE_INVALID", "expected a decimal number");
        const x = Number(s);
        return Number.isFinite(x) ? x : invalid("TYPE_INVALID", "the number is not finite");
      };
    case "bool":
      return (s) => {
        if (s === "1" || s === "true") return true;
        if (s === "0" || s === "false") return false;
        return invalid("TYPE_INVALID", "expected 0, 1, true or false");
      };
    case "code": {
      const allowed = new Map((column.codes ?? []).map((c) => [c.code, c.code] as const));
      return (s) => allowed.get(s) ?? invalid("CODE_NOT_ALLOWED", "not an allowed code");
    }
    case "list": {
      const allowed = column.codes ? new Set(column.codes.map((c) => c.code)) : null;
      const cache = new Map<string, readonly string[]>();
      return (s) => {
        const hit = cache.get(s);
        if (hit) return hit;
        const items = s.split(";");
        for (const item of items) {
          if (item.length === 0) return invalid("TYPE_INVALID", "empty list element");
        }
        if (allowed) {
          for (const item of items) {
            if (!allowed.has(item)) return invalid("CODE_NOT_ALLOWED", `"${item}" is not an allowed code`);
          }
        }
        const frozen = Object.freeze(items);
        if (cache.size < LIST_CACHE_LIMIT) cache.set(s, frozen);
        return frozen;
      };
    }
  }
}

function withRange(column: ColumnInfo, convert: ColumnConverter): ColumnConverter {
  if (column.kind !== "int" && column.kind !== "num") return convert;
  const min = column.minimum ?? -Infinity;
  const max = column.maximum ?? Infinity;
  const exclusive = column.exclusiveMinimum;
  const rule = `${typeRuleOf(column)}${rangeRuleOf(column) ? `, ${rangeRuleOf(column)}` : ""}`;
  const isInt = column.kind === "int";
  return (s) => {
    const v = convert(s);
    if (typeof v !== "number") return v;
    if (isInt && !Number.isSafeInteger(v))
      return new ConversionFailure("RANGE", rule, "outside the safe integer range");
    if (v < min || v > max || (exclusive && v === min)) {
      return new ConversionFailure("RANGE", rule, `outside the allowed range ${rangeRuleOf(column)}`);
    }
    return v;
  };
}

/** Compiles a column's metadata into its text → value converter. */
export function compileColumnConverter(column: ColumnInfo): ColumnConverter {
  const convert = withRange(column, kindConverter(column));
  const { maxLength, required } = column;
  const special = new Set(column.specialMissing.map((m) => m.code));
  const missingRule = "a value is required (not empty, not NA)";
  const lengthRule = `at most ${maxLength} characters`;
  return (s) => {
    if (s.length > maxLength) {
      return new ConversionFailure("FIELD_TOO_LONG", lengthRule, `the value has ${s.length} characters`);
    }
    if (s === "" || s === "NA") {
      return required
        ? new ConversionFailure("REQUIRED_MISSING", missingRule, "a required value is missing")
        : null;
    }
    if (special.size > 0 && special.has(s)) return null;
    return convert(s);
  };
}

/**
 * For a column with special missing codes (GPRA -7/-8/-9): text → reason code (REFUSED, DONT_KNOW,
 * MISSING) or null. Returns null when the column has none.
 */
export function compileMissingReason(column: ColumnInfo): ((text: string) => string | null) | null {
  if (column.specialMissing.length === 0) return null;
  const reasons = new Map(column.specialMissing.map((m) => [m.code, m.reason] as const));
  return (s) => reasons.get(s) ?? null;
}

/** Name of the companion column holding a special-missing reason. */
export function missingReasonColumnName(column: string): string {
  return `${column}_missing_reason`;
}
