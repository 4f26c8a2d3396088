/**
 * The fast per-column converters (used by the loader) and the zod schemas (the source of truth) must
 * agree: on every column of every table, for a sample of valid and invalid texts, both accept with the
 * same value or both reject with the same load code; and on whole rows (fixtures, rule violations),
 * the same rows are accepted with the same values.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileRowRule, dictionary, type TableName } from "../../data-dictionary/index.js";
import { ConversionFailure, compileColumnConverter } from "../../src/dictionary/convert-column.js";
import { checkRowWithZod, loadCodeOfZodIssue } from "../../src/dictionary/zod-row-check.js";

const GENERIC = [
  "",
  "NA",
  "na",
  " ",
  "0",
  "1",
  "-1",
  "007",
  "6",
  "7",
  "30",
  "31",
  "-7",
  "-8",
  "-9",
  "1.5",
  ".5",
  "5.",
  "1e3",
  "1e999",
  "-1e-400",
  "NaN",
  "Infinity",
  "0x10",
  "1,000",
  "99999999999999999999",
  "abc",
  "true",
  "false",
  "TRUE",
  "yes",
  "2024-02-29",
  "2024-02-30",
  "2023-02-29",
  "2024-13-01",
  "24-1-1",
  "2024-1-01",
  "2024/01/01",
  "P1",
  " P1",
  "P1 ",
  "P 1",
  "P1\t",
  "\u00a0P1",
  "A;B",
  "A;;B",
  ";",
  "A;",
  "09:30",
  "23:59",
  "24:00",
  "9:30",
  "é",
];

function samplesFor(column: (typeof dictionary.tables)[number]["columns"][number]): string[] {
  const out = [...GENERIC, "x".repeat(column.maxLength), "x".repeat(column.maxLength + 1)];
  for (const c of column.codes ?? []) out.push(c.code, c.code.toLowerCase(), ` ${c.code}`);
  const codes = (column.codes ?? []).map((c) => c.code);
  if (codes.length >= 2)
    out.push(`${codes[0]};${codes[1]}`, `${codes[1]};${codes[0]};${codes[0]}`, `${codes[0]};NOPE`);
  for (const s of column.specialMissing) out.push(s.code);
  return out;
}

describe("fast converters agree with the zod column schemas", () => {
  const codesSeen = new Set<string>();
  for (const table of dictionary.tables) {
    it(table.name, () => {
      let compared = 0;
      for (const column of table.columns) {
        const convert = compileColumnConverter(column);
        const schema = table.schema.shape[column.name as keyof typeof table.schema.shape] as unknown as {
          safeParse: (x: unknown) => { success: boolean; data?: unknown; error?: { issues: unknown[] } };
        };
        for (const text of samplesFor(column)) {
          const fast = convert(text);
          const slow = schema.safeParse(text);
          const label = `${table.name}.${column.name} ${JSON.stringify(text.slice(0, 20))}`;
          if (fast instanceof ConversionFailure) {
            expect(slow.success, label).toBe(false);
            const code = loadCodeOfZodIssue(slow.error?.issues[0] as never, column, text);
            expect(code, label).toBe(fast.code);
            codesSeen.add(code);
          } else {
            expect(slow.success, label).toBe(true);
            expect(fast, label).toEqual(slow.data);
          }
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(table.columns.length * GENERIC.length);
    });
  }
  it("exercised every field-level code", () => {
    expect([...codesSeen].sort()).toEqual(
      [
        "CODE_NOT_ALLOWED",
        "DATE_INVALID",
        "FIELD_TOO_LONG",
        "RANGE",
        "REQUIRED_MISSING",
        "TYPE_INVALID",
      ].sort(),
    );
  });
});

/** Parses a small fixture CSV (no quotes) into text rows keyed by header name. */
function rowsOf(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, "utf8")
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .filter(Boolean);
  const names = (header as string).split(",");
  return lines
    .map((l) => l.split(","))
    .filter((f) => f.length === names.length)
    .map((f) => Object.fromEntries(names.map((n, i) => [n, f[i] as string])));
}

/** The loader's per-row path (converters, then rules) on one text row. */
function fastRow(table: TableName, row: Record<string, string>) {
  const def = dictionary.table(table);
  const names = def.columns.map((c) => c.name);
  const values: unknown[] = [];
  const failures: [string, string][] = [];
  for (const c of def.columns) {
    const v = compileColumnConverter(c)(row[c.name] ?? "");
    if (v instanceof ConversionFailure) failures.push([c.name, v.code]);
    values.push(v);
  }
  if (failures.length === 0) {
    for (const rule of def.rules) {
      for (const v of compileRowRule(rule, (n) => names.indexOf(n))(values) ?? [])
        failures.push([v.column, v.code]);
    }
  }
  return { failures, value: Object.fromEntries(names.map((n, i) => [n, values[i]])) };
}

describe("fast row validation agrees with zod safeParse on whole rows", () => {
  const FIXTURES = join(import.meta.dirname, "..", "fixtures");
  const files: [TableName, string][] = [];
  for (const t of dictionary.tables) files.push([t.name, join(FIXTURES, "good", t.fileName)]);
  files.push(
    ["medication_events", join(FIXTURES, "bad", "wrong-types", "medication_events.csv")],
    ["peer_contacts", join(FIXTURES, "bad", "wrong-types", "peer_contacts.csv")],
    ["encounters", join(FIXTURES, "bad", "impossible-dates", "encounters.csv")],
    ["encounters", join(FIXTURES, "bad", "end-before-start", "encounters.csv")],
    ["observation_periods", join(FIXTURES, "bad", "end-before-start", "observation_periods.csv")],
    ["persons", join(FIXTURES, "bad", "end-before-start", "persons.csv")],
    ["assessments", join(FIXTURES, "bad", "instrument-items", "assessments.csv")],
  );
  for (const [table, path] of files) {
    it(`${table} ← ${path.split("fixtures/")[1]}`, () => {
      const rows = rowsOf(path);
      expect(rows.length).toBeGreaterThan(0);
      for (const [i, row] of rows.entries()) {
        const fast = fastRow(table, row);
        const slow = checkRowWithZod(dictionary.table(table), row);
        if (slow.ok) {
          expect(fast.failures, `row ${i + 1}`).toEqual([]);
          expect(fast.value, `row ${i + 1}`).toEqual(slow.value);
        } else {
          const zodFailures = slow.issues.map((x) => [x.column, x.code]);
          expect(fast.failures.sort(), `row ${i + 1}`).toEqual(zodFailures.sort());
        }
      }
    });
  }
});
