/**
 * Column builders. Each returns a `ColumnSpec`: a zod schema that decodes one CSV field (text) into
 * its typed value — a codec where text and value differ (dates, numbers, booleans, lists) — and the
 * column's metadata. `defineTable` attaches the metadata to the schema with `.meta()`, so the zod
 * schema is the single source of truth for types, allowed values and documentation.
 *
 * Text rules (the same in the loader's fast converters, which a test checks against these schemas):
 * no trimming anywhere; ids have no leading or trailing white space; dates are strict ISO
 * `YYYY-MM-DD` real calendar days; ints are `-?digits`; nums are decimal (optional exponent);
 * bools are `0`/`1`/`true`/`false`; lists are codes separated by `;` with no empty element.
 */
import * as z from "zod";
import { formatIsoDate, parseIsoDate } from "../src/dates.js";
import { type ColumnKind, type ColumnMeta, DEFAULT_MAX_LENGTH, MISSING_CODES } from "./column-meta.js";

/** A column's zod schema (text in, typed value out) and its metadata. */
export interface ColumnSpec<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  readonly meta: ColumnMeta;
}

/** Options common to every column. */
export interface ColumnOptions {
  readonly label: string;
  readonly description: string;
  readonly unit?: string;
  readonly maxLength?: number;
  /** Foreign key target, e.g. `{ table: "persons", column: "person_id" }`. */
  readonly references?: { readonly table: string; readonly column: string };
}

/** Range options of numeric columns (inclusive unless `exclusiveMinimum`). */
export interface RangeOptions extends ColumnOptions {
  readonly minimum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly maximum?: number;
}

/** Shape of an id: non-empty, no leading or trailing white space. */
export const ID_PATTERN = /^\S(?:[\s\S]*\S)?$/;
/** Shape of an ISO date before the calendar check. */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** Shape of an integer. */
export const INT_PATTERN = /^-?\d+$/;
/** Shape of a decimal number (no NaN, no Infinity, no hexadecimal, no thousands separators). */
export const NUM_PATTERN = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
/** Shape of a boolean. */
export const BOOL_PATTERN = /^(?:0|1|true|false)$/;
/** Shape of a list: non-empty elements separated by semicolons. */
export const LIST_PATTERN = /^[^;]+(?:;[^;]+)*$/;

function baseMeta(kind: ColumnKind, o: ColumnOptions): ColumnMeta {
  return {
    kind,
    label: o.label,
    description: o.description,
    unit: o.unit ?? null,
    required: true,
    missingCodes: [],
    specialMissing: [],
    codes: null,
    minimum: null,
    exclusiveMinimum: false,
    maximum: null,
    maxLength: o.maxLength ?? DEFAULT_MAX_LENGTH[kind],
    pattern: null,
    patternDescription: null,
    references: o.references ? { table: o.references.table, column: o.references.column } : null,
  };
}

function rangeMeta(kind: ColumnKind, o: RangeOptions): ColumnMeta {
  return {
    ...baseMeta(kind, o),
    minimum: o.minimum ?? null,
    exclusiveMinimum: o.exclusiveMinimum ?? false,
    maximum: o.maximum ?? null,
  };
}

const isMissingCode = (text: string): boolean => text === "" || text === "NA";

function text(meta: ColumnMeta): z.ZodString {
  return z.string().max(meta.maxLength);
}

function boundedNumber<T extends z.ZodNumber>(schema: T, meta: ColumnMeta): T {
  let s = schema;
  if (meta.minimum !== null) s = (meta.exclusiveMinimum ? s.gt(meta.minimum) : s.gte(meta.minimum)) as T;
  if (meta.maximum !== null) s = s.lte(meta.maximum) as T;
  return s;
}

/** An identifier: non-empty text without leading or trailing white space. */
export function id(o: ColumnOptions) {
  const meta: ColumnMeta = { ...baseMeta("id", o), pattern: ID_PATTERN.source };
  const schema = text(meta)
    .refine((s) => !isMissingCode(s), { abort: true, message: "required value is missing" })
    .regex(ID_PATTERN);
  return { schema, meta } satisfies ColumnSpec;
}

/** Free text, optionally constrained by a pattern. */
export function string(
  o: ColumnOptions & { readonly pattern?: RegExp; readonly patternDescription?: string },
) {
  const meta: ColumnMeta = {
    ...baseMeta("string", o),
    pattern: o.pattern?.source ?? null,
    patternDescription: o.patternDescription ?? null,
  };
  let schema = text(meta).refine((s) => !isMissingCode(s), {
    abort: true,
    message: "required value is missing",
  });
  if (o.pattern) schema = schema.regex(o.pattern);
  return { schema, meta } satisfies ColumnSpec;
}

/** A calendar date, ISO `YYYY-MM-DD` text → integer day number (days since 1970-01-01). */
export function date(o: ColumnOptions) {
  const meta: ColumnMeta = { ...baseMeta("date", o), unit: o.unit ?? "day number (days since 1970-01-01)" };
  const schema = z.codec(text(meta).regex(DATE_PATTERN), z.int(), {
    decode: (s, ctx) => {
      const day = parseIsoDate(s);
      if (day === null) {
        ctx.issues.push({
          code: "custom",
          input: s,
          message: "not a real calendar date",
          params: { loadCode: "DATE_INVALID" },
        });
        return z.NEVER;
      }
      return day;
    },
    encode: (day) => formatIsoDate(day),
  });
  return { schema, meta } satisfies ColumnSpec;
}

/** An integer (text `-?digits` → number), with an optional inclusive range. */
export function int(o: RangeOptions) {
  const meta = rangeMeta("int", o);
  const schema = z.codec(text(meta).regex(INT_PATTERN), boundedNumber(z.int(), meta), {
    decode: (s) => Number(s),
    encode: (n) => String(n),
  });
  return { schema, meta } satisfies ColumnSpec;
}

/** A finite decimal number, with an optional range. */
export function num(o: RangeOptions) {
  const meta = rangeMeta("num", o);
  const schema = z.codec(text(meta).regex(NUM_PATTERN), boundedNumber(z.number(), meta), {
    decode: (s) => Number(s),
    encode: (n) => String(n),
  });
  return { schema, meta } satisfies ColumnSpec;
}

/** A boolean: `1`/`true` → true, `0`/`false` → false. */
export function bool(o: ColumnOptions) {
  const meta = baseMeta("bool", o);
  const schema = z.codec(text(meta).regex(BOOL_PATTERN), z.boolean(), {
    decode: (s) => s === "1" || s === "true",
    encode: (b) => (b ? "1" : "0"),
  });
  return { schema, meta } satisfies ColumnSpec;
}

/** One code of a closed set; `codes` maps each code to its label. */
export function code<const C extends Readonly<Record<string, string>>>(codes: C, o: ColumnOptions) {
  const values = Object.keys(codes) as [keyof C & string, ...(keyof C & string)[]];
  const meta: ColumnMeta = {
    ...baseMeta("code", o),
    codes: values.map((value) => ({ code: value, label: codes[value] as string })),
  };
  const schema = z.enum(values);
  return { schema, meta } satisfies ColumnSpec;
}

/**
 * A semicolon-separated list → array of strings. With `codes`, every element must be one of them;
 * without, any non-empty element is accepted (e.g. CPT/HCPCS or ICD-10-CM codes).
 */
export function list<const C extends Readonly<Record<string, string>>>(
  o: ColumnOptions & { readonly codes?: C },
) {
  const values = o.codes ? (Object.keys(o.codes) as [keyof C & string, ...(keyof C & string)[]]) : null;
  const meta: ColumnMeta = {
    ...baseMeta("list", o),
    codes:
      values && o.codes ? values.map((value) => ({ code: value, label: o.codes?.[value] as string })) : null,
  };
  const element = values ? z.enum(values) : z.string().min(1);
  const schema = z.codec(text(meta).regex(LIST_PATTERN), z.array(element as z.ZodType<keyof C & string>), {
    decode: (s) => s.split(";") as (keyof C & string)[],
    encode: (items) => items.join(";"),
  });
  return { schema, meta } satisfies ColumnSpec;
}

const missingCodec = z.codec(z.enum(MISSING_CODES), z.null(), {
  decode: () => null,
  encode: () => "" as const,
});

/**
 * Makes a column optional: the missing codes `""` and `"NA"` decode to null. `specialMissing` adds
 * further codes that decode to null with a recorded reason (GPRA -7 refused, -8 don't know, -9 missing);
 * the loader writes the reason to a companion column `<name>_missing_reason`.
 */
export function optional<S extends z.ZodType>(
  spec: ColumnSpec<S>,
  specialMissing: readonly { readonly code: string; readonly reason: string; readonly label: string }[] = [],
) {
  const meta: ColumnMeta = {
    ...spec.meta,
    required: false,
    missingCodes: [...MISSING_CODES],
    specialMissing: specialMissing.map((m) => ({ code: m.code, reason: m.reason, label: m.label })),
  };
  const special = specialMissing.map((m) => m.code);
  const schema =
    special.length > 0
      ? z.union([
          missingCodec,
          z.codec(z.enum(special as [string, ...string[]]), z.null(), {
            decode: () => null,
            encode: () => special[0] as string,
          }),
          spec.schema,
        ])
      : z.union([missingCodec, spec.schema]);
  return { schema: schema as z.ZodType<z.output<S> | null, string>, meta } satisfies ColumnSpec;
}

/** GPRA special missing codes for day counts (SAMHSA GPRA client outcome tool conventions). */
export const GPRA_SPECIAL_MISSING = [
  { code: "-7", reason: "REFUSED", label: "refused" },
  { code: "-8", reason: "DONT_KNOW", label: "don't know" },
  { code: "-9", reason: "MISSING", label: "missing data" },
] as const;
