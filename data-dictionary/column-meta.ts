/**
 * The metadata every dictionary column carries (attached to its zod schema with `.meta()` under the
 * key `x-prss`), and the zod meta-schema that validates it. The codebook, the JSON Schema files and
 * the loader's fast converters are all derived from this metadata.
 */
import * as z from "zod";

/** The text values that mean "missing" in every optional column. */
export const MISSING_CODES = ["", "NA"] as const;

/** Column kinds (columns.md "Types"). */
export const COLUMN_KINDS = ["id", "date", "int", "num", "bool", "code", "list", "string"] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

/** Longest text accepted per kind unless a column says otherwise (FIELD_TOO_LONG beyond it). */
export const DEFAULT_MAX_LENGTH: Readonly<Record<ColumnKind, number>> = {
  id: 256,
  date: 64,
  int: 64,
  num: 64,
  bool: 64,
  code: 64,
  list: 4000,
  string: 1000,
};

/** The meta-schema: every column's metadata must satisfy it (checked when a table is defined). */
export const columnMetaSchema = z.strictObject({
  kind: z.enum(COLUMN_KINDS),
  label: z.string().min(1),
  description: z.string().min(1),
  unit: z.string().min(1).nullable(),
  required: z.boolean(),
  missingCodes: z.array(z.string()),
  specialMissing: z.array(
    z.strictObject({ code: z.string().min(1), reason: z.string().regex(/^[A-Z_]+$/), label: z.string() }),
  ),
  codes: z.array(z.strictObject({ code: z.string().min(1), label: z.string().min(1) })).nullable(),
  minimum: z.number().nullable(),
  exclusiveMinimum: z.boolean(),
  maximum: z.number().nullable(),
  maxLength: z.int().positive(),
  pattern: z.string().nullable(),
  patternDescription: z.string().nullable(),
  references: z.strictObject({ table: z.string(), column: z.string() }).nullable(),
});

/** Metadata of one column. */
export type ColumnMeta = z.infer<typeof columnMetaSchema>;

/** The `.meta()` key under which a column's metadata is stored on its zod schema. */
export const META_KEY = "x-prss";
