/**
 * `defineTable` turns column specs into a table definition: the zod row schema (text row in, typed row
 * out; column metadata attached with `.meta()`; multi-column rules as `superRefine`) plus the
 * iterable description the loader and the codebook use (keys, foreign keys, rules, per-column
 * metadata read back from the schema, so the schema is the only place it lives).
 */
import * as z from "zod";
import { type ColumnMeta, columnMetaSchema, META_KEY } from "./column-meta.js";
import type { ColumnSpec } from "./columns.js";
import { compileRowRule, type EventDateCheck, type RowRule } from "./rules.js";

/** A column as listed in the dictionary: its name and metadata. */
export interface ColumnInfo extends ColumnMeta {
  readonly name: string;
}

/** A foreign key: `column` refers to `table.references`. */
export interface ForeignKey {
  readonly column: string;
  readonly table: string;
  readonly references: string;
}

type SchemaShape<C extends Record<string, ColumnSpec>> = { -readonly [K in keyof C]: C[K]["schema"] };

/** A table of the data dictionary. */
export interface TableDefinition<N extends string = string, S extends z.ZodObject = z.ZodObject> {
  readonly name: N;
  readonly fileName: string;
  readonly label: string;
  readonly description: string;
  /** True when a dataset must contain this table's file. */
  readonly required: boolean;
  readonly primaryKey: readonly string[];
  readonly foreignKeys: readonly ForeignKey[];
  readonly rules: readonly RowRule[];
  readonly eventDates: readonly EventDateCheck[];
  readonly columns: readonly ColumnInfo[];
  /** The zod row schema: decodes a row of CSV text (keyed by header name) into the typed row. */
  readonly schema: S;
}

/** Input of `defineTable`. */
export interface TableInput<N extends string, C extends Record<string, ColumnSpec>> {
  readonly name: N;
  readonly label: string;
  readonly description: string;
  readonly required?: boolean;
  readonly primaryKey: readonly (keyof C & string)[];
  readonly columns: C;
  readonly rules?: readonly RowRule[];
  readonly eventDates?: readonly EventDateCheck[];
}

/** Reads a column's metadata back from its zod schema (validated by the meta-schema). */
export function columnMetaOf(schema: z.ZodType): ColumnMeta {
  const meta = schema.meta();
  return columnMetaSchema.parse(meta?.[META_KEY]);
}

/** Defines a table of the data dictionary. */
export function defineTable<const N extends string, const C extends Record<string, ColumnSpec>>(
  input: TableInput<N, C>,
): TableDefinition<N, z.ZodObject<SchemaShape<C>>> {
  const names = Object.keys(input.columns);
  const shape: Record<string, z.ZodType> = {};
  for (const name of names) {
    const spec = input.columns[name] as ColumnSpec;
    shape[name] = spec.schema.meta({
      title: spec.meta.label,
      description: spec.meta.description,
      [META_KEY]: columnMetaSchema.parse(spec.meta),
    });
  }
  const rules = input.rules ?? [];
  const compiled = rules.map((rule) => compileRowRule(rule, (column) => names.indexOf(column)));
  const schema = z
    .object(shape)
    .superRefine((row, ctx) => {
      const record = row as Record<string, unknown>;
      const values = names.map((n) => record[n]);
      for (const check of compiled) {
        for (const v of check(values) ?? []) {
          ctx.addIssue({
            code: "custom",
            path: [v.column],
            input: record[v.column],
            message: v.message,
            params: { loadCode: v.code, rule: v.rule },
          });
        }
      }
    })
    .meta({ title: input.label, description: input.description });
  const columns = names.map((name) => ({ name, ...columnMetaOf(shape[name] as z.ZodType) }));
  for (const key of input.primaryKey) {
    if (!columns.find((c) => c.name === key)?.required) throw new Error(`key column ${key} must be required`);
  }
  const foreignKeys = columns.flatMap((c) =>
    c.references ? [{ column: c.name, table: c.references.table, references: c.references.column }] : [],
  );
  for (const check of input.eventDates ?? []) {
    if (columns.find((c) => c.name === check.column)?.kind !== "date") {
      throw new Error(`event date ${check.column} of ${input.name} is not a date column`);
    }
  }
  return {
    name: input.name,
    fileName: `${input.name}.csv`,
    label: input.label,
    description: input.description,
    required: input.required ?? false,
    primaryKey: [...input.primaryKey],
    foreignKeys,
    rules,
    eventDates: input.eventDates ?? [],
    columns,
    schema: schema as unknown as z.ZodObject<SchemaShape<C>>,
  };
}
