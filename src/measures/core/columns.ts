/**
 * Column readers for the measures layer: turn a loader table (arquero, snake_case columns,
 * MEASURES.md §8 / columns contract) into typed arrays once, so the measure sweeps run over
 * Int32Array/Float64Array instead of row objects.
 *
 * Conventions: a missing day or integer is the sentinel `NULL_DAY` (-2^31); a missing boolean is -1;
 * a missing code is -1. Dates arrive as integer day numbers (src/dates.ts); an ISO `YYYY-MM-DD` string
 * is accepted too and parsed once. Lists arrive as arrays of strings or as a semicolon-separated string.
 */
import type { ColumnTable } from "arquero";
import { parseIsoDate } from "../../dates.js";
import {
  BoolColumn,
  DictColumn,
  IntColumn,
  KeyColumn,
  NumColumn,
  RefColumn,
} from "../../dictionary/typed-columns.js";
import { InvalidInputError } from "../../stats/errors.js";

/** Sentinel for a missing day number or integer in an Int32Array column. */
export const NULL_DAY = -2147483648;

/** A loader table: an arquero ColumnTable (the only table type the measures read). */
export type Table = ColumnTable;

/** True when the table has a column of this name. */
export function hasColumn(t: Table | undefined, name: string): boolean {
  return t !== undefined && t.columnIndex(name) >= 0;
}

/**
 * The loader's column object (typed storage, `src/dictionary/typed-columns.ts`) when the table is
 * unfiltered and unordered, else null: readers then convert from the typed arrays directly.
 */
function storage(t: Table, name: string): unknown {
  if (t.isFiltered() || t.isOrdered() || t.columnIndex(name) < 0) return null;
  return t.column(name) as unknown;
}

/** Position of the first null of an integer storage (its sentinel, or NaN), or −1. */
function firstNull(c: IntColumn): number {
  const d = c.data;
  const nul = c.nullValue;
  for (let i = 0; i < c.length; i++) {
    const v = d[i] as number;
    if (v === nul || Number.isNaN(v)) return i;
  }
  return -1;
}

/** An IntColumn as Int32Array with NULL_DAY for null (the storage itself when it already is one). */
function intsOf(c: IntColumn, fn: string, name: string, required: boolean, what: string): Int32Array {
  const d = c.data;
  if (required) {
    const i = firstNull(c);
    if (i >= 0) bad(fn, name, i, null, `${what} (required)`);
  }
  if (d instanceof Int32Array && c.nullValue === NULL_DAY) return d;
  const n = c.length;
  const out = new Int32Array(n);
  const nul = c.nullValue;
  for (let i = 0; i < n; i++) {
    const v = d[i] as number;
    if (v === nul || Number.isNaN(v)) out[i] = NULL_DAY;
    else if (v <= NULL_DAY || v > 2147483647) bad(fn, name, i, v, `an integer`);
    else out[i] = v;
  }
  return out;
}

function values(t: Table, name: string, fn: string, required: boolean): ArrayLike<unknown> | null {
  if (t.columnIndex(name) < 0) {
    if (required) throw new InvalidInputError(fn, `input table has no column "${name}"`);
    return null;
  }
  // An unfiltered, unordered table exposes its column storage directly (array or typed array):
  // read it in place instead of copying 10⁷ values.
  if (!t.isFiltered() && !t.isOrdered()) {
    const c = t.column(name) as unknown;
    if (Array.isArray(c) || ArrayBuffer.isView(c)) return c as ArrayLike<unknown>;
  }
  return t.array(name) as ArrayLike<unknown>;
}

function bad(fn: string, name: string, row: number, value: unknown, what: string): never {
  throw new InvalidInputError(
    fn,
    `column "${name}", row ${row + 1}: ${JSON.stringify(value)} is not ${what}`,
  );
}

/**
 * Reads a date column as day numbers (NULL_DAY for null). `required` columns must exist and hold no
 * nulls; optional columns may be absent (all NULL_DAY).
 */
export function readDays(t: Table, name: string, fn: string, required: boolean): Int32Array {
  const n = t.numRows();
  const raw = storage(t, name);
  if (raw instanceof IntColumn && raw.length === n) return intsOf(raw, fn, name, required, "a date");
  const v = values(t, name, fn, required);
  // the loader stores required dates as Int32Array: use it in place (no copy, no null possible)
  if (v instanceof Int32Array && v.length === n && !v.includes(NULL_DAY)) return v;
  const out = new Int32Array(n).fill(NULL_DAY);
  if (v === null) return out;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x === null || x === undefined || x === "" || x === "NA") {
      if (required) bad(fn, name, i, x, "a date (required)");
      continue;
    }
    if (typeof x === "number") {
      if (!Number.isInteger(x) || x <= NULL_DAY || x > 2147483647)
        bad(fn, name, i, x, "an integer day number");
      out[i] = x;
    } else if (typeof x === "string") {
      const d = parseIsoDate(x);
      if (d === null) bad(fn, name, i, x, "an ISO date");
      out[i] = d;
    } else bad(fn, name, i, x, "a day number");
  }
  return out;
}

/** Reads an integer column (NULL_DAY for null). Non-integers are an input error. */
export function readInts(t: Table, name: string, fn: string, required: boolean): Int32Array {
  const n = t.numRows();
  const raw = storage(t, name);
  if (raw instanceof IntColumn && raw.length === n) return intsOf(raw, fn, name, required, "an integer");
  const v = values(t, name, fn, required);
  if (v instanceof Int32Array && v.length === n && !v.includes(NULL_DAY)) return v;
  const out = new Int32Array(n).fill(NULL_DAY);
  if (v === null) return out;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x === null || x === undefined || x === "" || x === "NA") {
      if (required) bad(fn, name, i, x, "an integer (required)");
      continue;
    }
    const num = typeof x === "string" ? Number(x) : x;
    if (typeof num !== "number" || !Number.isInteger(num) || num <= NULL_DAY || num > 2147483647) {
      bad(fn, name, i, x, "an integer");
    }
    out[i] = num;
  }
  return out;
}

/** Reads a numeric column (NaN for null — callers test with Number.isNaN and never let NaN escape). */
export function readNums(t: Table, name: string, fn: string, required: boolean): Float64Array {
  const n = t.numRows();
  const raw = storage(t, name);
  if ((raw instanceof NumColumn || raw instanceof IntColumn) && raw.length === n) {
    const d = raw.data;
    const nul = raw instanceof IntColumn ? raw.nullValue : Number.NaN;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = d[i] as number;
      if (v === nul || Number.isNaN(v)) {
        if (required) bad(fn, name, i, null, "a number (required)");
        out[i] = Number.NaN;
      } else out[i] = v;
    }
    return out;
  }
  const out = new Float64Array(n).fill(Number.NaN);
  const v = values(t, name, fn, required);
  if (v === null) return out;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x === null || x === undefined || x === "" || x === "NA") {
      if (required) bad(fn, name, i, x, "a number (required)");
      continue;
    }
    const num = typeof x === "string" ? Number(x) : x;
    if (typeof num !== "number" || !Number.isFinite(num)) bad(fn, name, i, x, "a finite number");
    out[i] = num;
  }
  return out;
}

/** Reads a boolean column as Int8Array: 1 true, 0 false, -1 missing. Accepts true/false, 1/0, "1"/"0". */
export function readBools(t: Table, name: string, fn: string, required: boolean): Int8Array {
  const n = t.numRows();
  const raw = storage(t, name);
  if (raw instanceof BoolColumn && raw.length === n) {
    // Same convention (1, 0, −1 missing): the storage itself.
    if (required) {
      const i = raw.data.indexOf(-1);
      if (i >= 0) bad(fn, name, i, null, "a boolean (required)");
    }
    return raw.data;
  }
  const out = new Int8Array(n).fill(-1);
  const v = values(t, name, fn, required);
  if (v === null) return out;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x === null || x === undefined || x === "" || x === "NA") {
      if (required) bad(fn, name, i, x, "a boolean (required)");
      continue;
    }
    if (x === true || x === 1 || x === "1" || x === "true" || x === "TRUE") out[i] = 1;
    else if (x === false || x === 0 || x === "0" || x === "false" || x === "FALSE") out[i] = 0;
    else bad(fn, name, i, x, "a boolean");
  }
  return out;
}

/** Reads a string column (null for missing). */
export function readStrings(
  t: Table,
  name: string,
  fn: string,
  required: boolean,
): readonly (string | null)[] {
  const n = t.numRows();
  const raw = storage(t, name);
  if (
    (raw instanceof DictColumn || raw instanceof KeyColumn || raw instanceof RefColumn) &&
    raw.length === n
  ) {
    const out = new Array<string | null>(n);
    // key strings are decoded once and shared (with foreign keys and other readers of the column)
    const keys = raw instanceof KeyColumn ? raw : null;
    for (let i = 0; i < n; i++) {
      const x = (keys === null ? raw.at(i) : keys.cached(i)) as unknown;
      if (x === null || x === "") {
        if (required) bad(fn, name, i, x, "a non-empty string (required)");
        out[i] = null;
      } else out[i] = typeof x === "string" ? x : String(x);
    }
    return out;
  }
  const v = values(t, name, fn, required);
  if (v === null) return new Array<string | null>(n).fill(null);
  if (Array.isArray(v)) {
    // already clean (non-empty strings and nulls): use the column as is, no copy
    let clean = true;
    for (let i = 0; i < n && clean; i++) {
      const x = v[i];
      if (x === null ? required : typeof x !== "string" || x === "") clean = false;
    }
    if (clean) return v as (string | null)[];
  }
  const out: (string | null)[] = new Array(n).fill(null);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x === null || x === undefined || x === "") {
      if (required) bad(fn, name, i, x, "a non-empty string (required)");
      continue;
    }
    out[i] = typeof x === "string" ? x : String(x);
  }
  return out;
}

/** `readStrings(t, name, fn, false)` at the given rows only (ids of a few of ten million events). */
export function readStringsAt(
  t: Table,
  name: string,
  fn: string,
  rows: ArrayLike<number>,
): (string | null)[] {
  const out = new Array<string | null>(rows.length).fill(null);
  const put = (u: number, x: unknown): void => {
    if (x !== null && x !== undefined && x !== "") out[u] = typeof x === "string" ? x : String(x);
  };
  const raw = storage(t, name);
  if (
    (raw instanceof DictColumn || raw instanceof KeyColumn || raw instanceof RefColumn) &&
    raw.length === t.numRows()
  ) {
    for (let u = 0; u < rows.length; u++) put(u, raw.at(rows[u]!));
    return out;
  }
  const v = values(t, name, fn, false);
  if (v !== null) for (let u = 0; u < rows.length; u++) put(u, v[rows[u]!]);
  return out;
}

/** A string column as a dictionary: row i holds `values[index[i]]`, or null where `index[i]` is −1. */
export interface CodeIndex {
  readonly index: ArrayLike<number>;
  /** Distinct non-empty strings. */
  readonly values: readonly string[];
}

/**
 * Reads a string column as a dictionary (`readStrings` semantics: "" and null are null; other values
 * become strings): the loader's dictionary column as it is, anything else interned once. Per-value work
 * (value-set matching, code tests) then runs once per distinct value instead of once per row.
 */
export function readCodeIndex(t: Table, name: string, fn: string): CodeIndex {
  const n = t.numRows();
  const raw = storage(t, name);
  if (raw instanceof DictColumn && raw.length === n) {
    const vals = raw.values as readonly unknown[];
    if (vals.every((x) => typeof x === "string" && x !== "")) {
      return { index: raw.index, values: vals as readonly string[] };
    }
  }
  const v = values(t, name, fn, false);
  const index = new Int32Array(n).fill(-1);
  const out: string[] = [];
  if (v === null) return { index, values: out };
  const pos = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x === null || x === undefined || x === "") continue;
    const str = typeof x === "string" ? x : String(x);
    let k = pos.get(str);
    if (k === undefined) {
      k = out.length;
      out.push(str);
      pos.set(str, k);
    }
    index[i] = k;
  }
  return { index, values: out };
}

/**
 * Reads a code column into small integers: index into `codes`, -1 for missing. An unknown code is an
 * input error (the loader validated codes; a stray value here is a located defect, not a silent skip).
 */
export function readCodes(
  t: Table,
  name: string,
  codes: readonly string[],
  fn: string,
  required: boolean,
): Int8Array {
  const n = t.numRows();
  const out = new Int8Array(n).fill(-1);
  const lookup = new Map<string, number>();
  codes.forEach((c, k) => {
    lookup.set(c, k);
    lookup.set(c.toLowerCase(), k);
  });
  const raw = storage(t, name);
  if (raw instanceof DictColumn && raw.length === n) {
    // Map each distinct value once; rows then only translate their dictionary position.
    const remap = new Int8Array(raw.values.length);
    for (let k = 0; k < raw.values.length; k++) {
      const x = raw.values[k];
      remap[k] = lookup.get(String(x)) ?? lookup.get(String(x).toUpperCase()) ?? -2;
    }
    const index = raw.index;
    for (let i = 0; i < n; i++) {
      const k = index[i] as number;
      if (k < 0) {
        if (required) bad(fn, name, i, null, `one of ${codes.join("/")} (required)`);
        continue;
      }
      const code = remap[k] as number;
      if (code === -2) bad(fn, name, i, raw.values[k], `one of ${codes.join("/")}`);
      out[i] = code;
    }
    return out;
  }
  const v = values(t, name, fn, required);
  if (v === null) return out;
  let last: unknown;
  let lastK = -1;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x === last) {
      out[i] = lastK;
      continue;
    }
    if (x === null || x === undefined || x === "" || x === "NA") {
      if (required) bad(fn, name, i, x, `one of ${codes.join("/")} (required)`);
      continue;
    }
    const k = lookup.get(String(x)) ?? lookup.get(String(x).toUpperCase());
    if (k === undefined) bad(fn, name, i, x, `one of ${codes.join("/")}`);
    out[i] = k;
    last = x;
    lastK = k;
  }
  return out;
}

const EMPTY: readonly string[] = Object.freeze([]);

/** Splits one list cell: an array of strings, or a semicolon-separated string. Null/empty → []. */
export function parseListCell(x: unknown): readonly string[] {
  if (x === null || x === undefined || x === "" || x === "NA") return EMPTY;
  if (Array.isArray(x)) return x.filter((s) => s !== null && s !== undefined && s !== "").map(String);
  if (typeof x === "string") {
    if (x.indexOf(";") < 0) return [x.trim()];
    return x
      .split(";")
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }
  return [String(x)];
}

/** A list column read lazily: cells are split only when a measure asks for them. */
export class ListColumn {
  private readonly parsed: (readonly string[])[] | null = null;
  private readonly index: ArrayLike<number> | null = null;

  constructor(
    private readonly raw: ArrayLike<unknown> | null,
    dict: DictColumn<unknown> | null = null,
  ) {
    if (dict !== null) {
      // The loader's dictionary-encoded lists: each distinct list parsed once.
      this.index = dict.index;
      this.parsed = dict.values.map((x) => parseListCell(x));
    }
  }

  /**
   * The dictionary of a dictionary-encoded list column: row i holds `lists[index[i]]` ([] where
   * `index[i]` is −1). Null for lists read row by row (use `get`).
   */
  dictionary(): { readonly index: ArrayLike<number>; readonly lists: readonly (readonly string[])[] } | null {
    return this.parsed === null ? null : { index: this.index as ArrayLike<number>, lists: this.parsed };
  }

  /** The cell's codes ([] for a missing cell or an absent column). */
  get(i: number): readonly string[] {
    if (this.parsed !== null) {
      const k = (this.index as ArrayLike<number>)[i] as number;
      return k < 0 ? EMPTY : (this.parsed[k] as readonly string[]);
    }
    return this.raw === null ? EMPTY : parseListCell(this.raw[i]);
  }
}

/** Reads a list column (arrays of strings or semicolon-separated strings); absent → every cell []. */
export function readLists(t: Table, name: string, fn: string): ListColumn {
  const raw = storage(t, name);
  if (raw instanceof DictColumn && raw.length === t.numRows()) return new ListColumn(null, raw);
  return new ListColumn(values(t, name, fn, false));
}

/** Accepts a day number or an ISO date string for a parameter; null/undefined pass through as null. */
export function toDay(x: number | string | null | undefined, fn: string, what: string): number | null {
  if (x === null || x === undefined) return null;
  if (typeof x === "number") {
    if (!Number.isInteger(x)) throw new InvalidInputError(fn, `${what} must be an integer day number`);
    return x;
  }
  const d = parseIsoDate(x);
  if (d === null) throw new InvalidInputError(fn, `${what} "${x}" is not an ISO date`);
  return d;
}
