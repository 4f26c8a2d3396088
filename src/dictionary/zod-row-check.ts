/**
 * The slow, reference path: validates one text row with the table's zod schema (`safeParse`) and maps
 * zod's issues onto load issue codes. The loader uses the compiled fast converters instead; a test
 * runs both on the same rows and requires the same accepted values and the same failing columns and
 * codes. Useful on its own for checking a handful of rows (e.g. from a form) with full zod detail.
 */
import type * as z from "zod";
import type { ColumnInfo, TableDefinition, TableName } from "../../data-dictionary/index.js";
import type { LoadIssueCode } from "../messages/load.js";

/** One failing column of a row, as found by zod. */
export interface ZodColumnIssue {
  readonly column: string;
  readonly code: LoadIssueCode;
  readonly message: string;
}

/** Result of checking one text row with zod. */
export type ZodRowCheck =
  | { readonly ok: true; readonly value: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly issues: readonly ZodColumnIssue[] };

type RawIssue = z.core.$ZodIssue;

function isLoadCode(x: unknown): x is LoadIssueCode {
  return typeof x === "string" && /^[A-Z_]+$/.test(x);
}

/** Maps one zod issue about a column to a load issue code (precedence as in the fast converters). */
export function loadCodeOfZodIssue(issue: RawIssue, column: ColumnInfo, text: string): LoadIssueCode {
  const params = (issue as { params?: { loadCode?: unknown } }).params;
  if (issue.code === "custom" && isLoadCode(params?.loadCode)) return params.loadCode;
  if (text.length > column.maxLength) return "FIELD_TOO_LONG";
  if (column.required && (text === "" || text === "NA")) return "REQUIRED_MISSING";
  switch (issue.code) {
    case "invalid_union": {
      const branches = issue.errors;
      const last = branches[branches.length - 1]?.[0];
      return last ? loadCodeOfZodIssue(last, column, text) : "TYPE_INVALID";
    }
    case "invalid_format":
      return column.kind === "date" ? "DATE_INVALID" : "TYPE_INVALID";
    case "invalid_value":
      return column.kind === "code" || column.kind === "list" ? "CODE_NOT_ALLOWED" : "TYPE_INVALID";
    case "too_big":
    case "too_small":
      return issue.origin === "string"
        ? issue.code === "too_big"
          ? "FIELD_TOO_LONG"
          : "TYPE_INVALID"
        : "RANGE";
    default:
      return "TYPE_INVALID";
  }
}

/**
 * Checks one row of CSV text (keyed by column name; absent optional columns count as missing) with
 * the table's zod schema.
 */
export function checkRowWithZod(
  def: TableDefinition<TableName>,
  textRow: Readonly<Record<string, string>>,
): ZodRowCheck {
  const input: Record<string, string> = {};
  for (const c of def.columns) input[c.name] = textRow[c.name] ?? "";
  const parsed = def.schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data as Record<string, unknown> };
  const byName = new Map(def.columns.map((c) => [c.name, c] as const));
  const issues: ZodColumnIssue[] = [];
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0] ?? "");
    const column = byName.get(name);
    if (!column) continue;
    issues.push({
      column: name,
      code: loadCodeOfZodIssue(issue, column, input[name] ?? ""),
      message: issue.message,
    });
  }
  return { ok: false, issues };
}
