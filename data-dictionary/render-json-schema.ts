/**
 * Renders one JSON Schema (draft 2020-12) per table with `z.toJSONSchema(schema, { io: "input" })`:
 * the schema describes a CSV data row as TEXT, before conversion (keys = header names). Column
 * metadata (labels, units, codes with labels, missing codes) rides along under `x-prss`; the table's
 * keys and rules under `x-prss-table`.
 */
import * as z from "zod";
import type { TableDefinition } from "./define-table.js";
import type { Dictionary } from "./index.js";

/** The JSON Schema of one table's CSV row (as text). */
export function tableJsonSchema(table: TableDefinition, version: string): Record<string, unknown> {
  const schema = z.toJSONSchema(table.schema, { io: "input", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    title: `${table.label} (${table.fileName})`,
    description: `${table.description} This schema describes one CSV data row as TEXT, before conversion: keys are header names, every value is a string. Optional columns may be absent; required columns must be present and not missing (empty or NA). The loader then converts each field (dates to day numbers, numbers, booleans, lists) and checks what this schema does not express: real calendar dates, that a required id or text is not NA, rules across columns, keys and foreign keys. Dictionary version ${version}.`,
    required: table.columns.filter((c) => c.required).map((c) => c.name),
    "x-prss-table": {
      name: table.name,
      fileName: table.fileName,
      required: table.required,
      primaryKey: table.primaryKey,
      foreignKeys: table.foreignKeys,
      rules: table.rules,
      eventDates: table.eventDates,
      dictionaryVersion: version,
    },
  };
}

/** Every table's JSON Schema, as file name → pretty-printed JSON text. */
export function renderJsonSchemas(dictionary: Dictionary): Map<string, string> {
  const out = new Map<string, string>();
  for (const table of dictionary.tables) {
    out.set(
      `${table.name}.schema.json`,
      `${JSON.stringify(tableJsonSchema(table, dictionary.version), null, 2)}\n`,
    );
  }
  return out;
}
