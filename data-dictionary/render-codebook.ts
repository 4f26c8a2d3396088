/**
 * Renders the Markdown codebook (`data-dictionary/codebook.md`) from the dictionary: conventions, then
 * one section per table with its keys, rules, cross-table checks and a row per column.
 */
import type { ColumnInfo, TableDefinition } from "./define-table.js";
import type { Dictionary } from "./index.js";
import type { RowRule } from "./rules.js";

const KIND_TEXT: Readonly<Record<ColumnInfo["kind"], string>> = {
  id: "id",
  date: "date",
  int: "integer",
  num: "number",
  bool: "boolean",
  code: "code",
  list: "list",
  string: "text",
};

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function allowedValues(c: ColumnInfo): string {
  const parts: string[] = [];
  if (c.kind === "code" && c.codes) parts.push(c.codes.map((x) => `\`${x.code}\` ${x.label}`).join("; "));
  if (c.kind === "list") {
    parts.push(
      c.codes
        ? `codes separated by \`;\`, each one of: ${c.codes.map((x) => `\`${x.code}\` ${x.label}`).join("; ")}`
        : "non-empty elements separated by `;`",
    );
  }
  if (c.kind === "date") parts.push("ISO `YYYY-MM-DD`, a real calendar day");
  if (c.kind === "bool") parts.push("`1`/`true` = yes; `0`/`false` = no");
  if (c.kind === "int" || c.kind === "num") {
    const range: string[] = [];
    if (c.minimum !== null) range.push(`${c.exclusiveMinimum ? ">" : "≥"} ${c.minimum}`);
    if (c.maximum !== null) range.push(`≤ ${c.maximum}`);
    parts.push(
      range.length > 0 ? range.join(" and ") : c.kind === "int" ? "any integer" : "any finite number",
    );
  }
  if (c.kind === "id") parts.push("no leading or trailing white space");
  if (c.kind === "string" && c.patternDescription) parts.push(c.patternDescription);
  if (c.references) parts.push(`refers to \`${c.references.table}.${c.references.column}\``);
  if (c.kind === "id" || c.kind === "string" || c.kind === "list")
    parts.push(`at most ${c.maxLength} characters`);
  return parts.join("; ");
}

function missingCodes(c: ColumnInfo): string {
  if (c.required) return "— (required)";
  const codes = c.missingCodes.map((m) => (m === "" ? "empty" : `\`${m}\``));
  for (const s of c.specialMissing) codes.push(`\`${s.code}\` ${s.label} (reason ${s.reason})`);
  return codes.join(", ");
}

function ruleText(rule: RowRule): string {
  if (rule.kind === "dateOrder") {
    return `\`${rule.end}\` ≥ \`${rule.start}\` when both are present — otherwise END_BEFORE_START (error, row rejected).`;
  }
  const lines = Object.entries(rule.instruments).map(([name, spec]) => {
    const range =
      spec.minimum === null && spec.maximum === null
        ? "range not checked"
        : `each ${spec.minimum}–${spec.maximum}`;
    return `  - \`${name}\`: items 1–${spec.items}${spec.items > 0 ? `, ${range}` : ""} (${spec.source})`;
  });
  return `Items by \`${rule.instrumentColumn}\` — an item beyond the instrument's items is ITEM_NOT_IN_INSTRUMENT, a value outside its range is RANGE (errors, row rejected):\n${lines.join("\n")}`;
}

function tableSection(t: TableDefinition): string {
  const out: string[] = [];
  out.push(`## ${t.name} — ${t.label}`, "", t.description, "");
  out.push(`- File: \`${t.fileName}\` (${t.required ? "required: the load stops without it" : "optional"})`);
  out.push(
    `- Primary key: ${t.primaryKey.map((k) => `\`${k}\``).join(" + ")} (unique; later duplicates are rejected)`,
  );
  out.push(
    `- Foreign keys: ${
      t.foreignKeys.length === 0
        ? "none"
        : t.foreignKeys.map((fk) => `\`${fk.column}\` → \`${fk.table}.${fk.references}\``).join(", ")
    }${t.foreignKeys.length > 0 ? " (a value not found is ORPHAN: error, row rejected)" : ""}`,
  );
  if (t.rules.length > 0) {
    out.push("- Rules:");
    for (const r of t.rules) out.push(`  - ${ruleText(r)}`);
  }
  for (const e of t.eventDates) {
    const checks: string[] = [];
    if (e.afterDeath) checks.push("after the person's death_date → AFTER_DEATH");
    if (e.withinObservation)
      checks.push("outside every observation period of the person → OUTSIDE_OBSERVATION");
    out.push(`- Event date \`${e.column}\`: ${checks.join("; ")} (warnings, row kept)`);
  }
  const reasons = t.columns.filter((c) => c.specialMissing.length > 0);
  if (reasons.length > 0) {
    out.push(
      `- Loaded table adds ${reasons
        .map((c) => `\`${c.name}_missing_reason\``)
        .join(", ")} (${reasons[0]?.specialMissing.map((s) => s.reason).join(", ")} or null)`,
    );
  }
  out.push("");
  out.push("| Column | Label | Type | Unit | Required | Allowed values | Missing codes | Description |");
  out.push("|---|---|---|---|---|---|---|---|");
  for (const c of t.columns) {
    out.push(
      `| \`${c.name}\` | ${cell(c.label)} | ${KIND_TEXT[c.kind]} | ${cell(c.unit ?? "")} | ${c.required ? "yes" : "no"} | ${cell(
        allowedValues(c),
      )} | ${cell(missingCodes(c))} | ${cell(c.description)} |`,
    );
  }
  out.push("");
  return out.join("\n");
}

/** The codebook as Markdown. */
export function renderCodebook(dictionary: Dictionary): string {
  const out: string[] = [
    "# prss-eval data dictionary — codebook",
    "",
    `Dictionary version **${dictionary.version}**. Generated by \`npx tsx data-dictionary/generate.ts\` from the zod schemas in \`data-dictionary/\`; do not edit by hand (a test fails when this file is out of date).`,
    "",
    "## Conventions",
    "",
    "- One CSV file per table, named `<table>.csv`, UTF-8 (a byte-order mark is allowed), LF or CRLF line endings, comma-separated, RFC 4180 quoting, a header row with the column names below (exact, case-sensitive; any order). Blank lines are ignored.",
    "- Values are never guessed or trimmed. Dates are ISO `YYYY-MM-DD` and load as integer day numbers (days since 1970-01-01). Booleans are `0`/`1`/`true`/`false`. Lists are separated by `;`.",
    "- Optional columns may be absent from the header (then all null) and accept the missing codes: empty and `NA`. Required columns must be present and never missing (REQUIRED_MISSING).",
    "- A column that is not in the dictionary is ignored with an UNKNOWN_COLUMN warning. A missing required column rejects the whole file (MISSING_COLUMN).",
    "- Errors reject the row (every other row is kept); warnings keep it. Row numbers count data rows (the header is row 0); issues also give the physical line.",
    "- Loaded tables (arquero): required dates are Int32Array day numbers; other columns are arrays with null for missing; lists are frozen string arrays.",
    "",
    "## Tables",
    "",
    "| Table | File | Required | Primary key | Columns |",
    "|---|---|---|---|---|",
    ...dictionary.tables.map(
      (t) =>
        `| [${t.name}](#${t.name}--${t.label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}) | \`${t.fileName}\` | ${
          t.required ? "yes" : "no"
        } | ${t.primaryKey.join(" + ")} | ${t.columns.length} |`,
    ),
    "",
  ];
  for (const t of dictionary.tables) out.push(tableSection(t));
  return `${out.join("\n").trimEnd()}\n`;
}
