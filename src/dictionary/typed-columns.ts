/**
 * Compact column storage of loaded tables. Each class is an arquero column (`length`, `at(row)`,
 * iterable), so `table.array(name)`, `table.get(name, row)`, `table.objects()` and every arquero verb
 * see the values the loader contract documents (null for missing, numbers, booleans, strings, frozen
 * string arrays) — while the table holds 1 to 8 bytes per cell instead of a JS array slot (8 bytes) plus
 * a heap object per number or string.
 *
 * Readers that want the storage itself (the measures layer) test `instanceof` and read the typed arrays:
 * `IntColumn.data` (with its null sentinel), `NumColumn.data` (NaN = null), `BoolColumn.data` (−1/0/1),
 * `DictColumn.index` into `DictColumn.values` (−1 = null), `RefColumn.index` into the parent table's rows
 * (−1 = null), `KeyColumn` (key bytes).
 */

/** Null sentinel of an Int32Array day/int column (also the measures layer's NULL_DAY). */
export const INT32_NULL = -2147483648;

/** Integer storage of an `IntColumn`. */
export type IntStorage = Int8Array | Int16Array | Int32Array | Float64Array;

/** The null sentinel of an integer storage type: the type's minimum, or NaN for Float64Array. */
export function intNullOf(data: IntStorage): number {
  if (data instanceof Int8Array) return -128;
  if (data instanceof Int16Array) return -32768;
  if (data instanceof Int32Array) return INT32_NULL;
  return Number.NaN;
}

abstract class BaseColumn<T> implements Iterable<T> {
  constructor(readonly length: number) {}
  abstract at(row: number): T;
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
  /** The values as a plain array (what arquero's `table.array(name)` returns). */
  toArray(): T[] {
    const out = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.at(i);
    return out;
  }
}

/**
 * Nullable integers or day numbers: `data[i]`, or null where `data[i]` is the storage's null sentinel
 * (`intNullOf(data)`: −128, −32768, −2³¹, or NaN for Float64Array).
 */
export class IntColumn extends BaseColumn<number | null> {
  readonly nullValue: number;
  constructor(
    readonly data: IntStorage,
    length: number,
  ) {
    super(length);
    this.nullValue = intNullOf(data);
  }
  at(row: number): number | null {
    const v = this.data[row] as number;
    return v === this.nullValue || Number.isNaN(v) ? null : v;
  }
}

/** Nullable finite numbers: `data[i]`, or null where it is NaN. */
export class NumColumn extends BaseColumn<number | null> {
  constructor(
    readonly data: Float64Array,
    length: number,
  ) {
    super(length);
  }
  at(row: number): number | null {
    const v = this.data[row] as number;
    return Number.isNaN(v) ? null : v;
  }
}

/** Nullable booleans: 1 true, 0 false, −1 null. */
export class BoolColumn extends BaseColumn<boolean | null> {
  constructor(
    readonly data: Int8Array,
    length: number,
  ) {
    super(length);
  }
  at(row: number): boolean | null {
    const v = this.data[row] as number;
    return v < 0 ? null : v === 1;
  }
}

/**
 * Dictionary-encoded values (codes, interned strings and ids, lists): `values[index[i]]`, or null where
 * `index[i]` is −1. Equal values share one instance.
 */
export class DictColumn<V> extends BaseColumn<V | null> {
  constructor(
    readonly index: Int8Array | Int16Array | Int32Array,
    readonly values: readonly V[],
    length: number,
  ) {
    super(length);
  }
  at(row: number): V | null {
    const k = this.index[row] as number;
    return k < 0 ? null : (this.values[k] as V);
  }
}

/**
 * Primary-key ids, stored as UTF-8 bytes: key i is `bytes[offsets[i] .. offsets[i+1])`. `at(i)` decodes
 * a new string each time (a table of ten million event ids keeps no string objects); `cached(i)`
 * remembers the decoded string (used through `RefColumn`, where few keys are read many times).
 */
export class KeyColumn extends BaseColumn<string> {
  private memo: (string | undefined)[] | null = null;
  constructor(
    readonly bytes: Buffer,
    readonly offsets: Uint32Array,
    length: number,
    /** Every key is ASCII (decoded as Latin-1, which is faster). */
    readonly ascii: boolean,
  ) {
    super(length);
  }
  at(row: number): string {
    const a = this.offsets[row] as number;
    const b = this.offsets[row + 1] as number;
    return this.ascii ? this.bytes.toString("latin1", a, b) : this.bytes.toString("utf8", a, b);
  }
  /** `at(row)`, decoded once and remembered. */
  cached(row: number): string {
    let memo = this.memo;
    if (memo === null) {
      memo = new Array<string | undefined>(this.length);
      this.memo = memo;
    }
    let s = memo[row];
    if (s === undefined) {
      s = this.at(row);
      memo[row] = s;
    }
    return s;
  }
}

/**
 * Foreign-key ids: `index[i]` is the row of the referenced table (−1 = null); the value is that row's
 * key (one shared string per referenced row).
 */
export class RefColumn extends BaseColumn<string | null> {
  constructor(
    readonly index: Int32Array,
    readonly parent: KeyColumn,
    length: number,
  ) {
    super(length);
  }
  at(row: number): string | null {
    const k = this.index[row] as number;
    return k < 0 ? null : this.parent.cached(k);
  }
}

/**
 * A loaded column in a form that `postMessage` can copy or transfer (typed arrays, strings, plain
 * arrays): how a load worker hands its tables to the main thread. Foreign-key columns name their
 * parent table; the receiver supplies that table's key column.
 */
export type ColumnParts =
  | { readonly kind: "int32"; readonly data: Int32Array }
  | { readonly kind: "int"; readonly data: IntStorage; readonly length: number }
  | { readonly kind: "num"; readonly data: Float64Array; readonly length: number }
  | { readonly kind: "bool"; readonly data: Int8Array; readonly length: number }
  | {
      readonly kind: "dict";
      readonly index: Int8Array | Int16Array | Int32Array;
      readonly values: readonly unknown[];
      readonly lists: boolean;
      readonly length: number;
    }
  | {
      readonly kind: "key";
      readonly bytes: Uint8Array;
      readonly offsets: Uint32Array;
      readonly length: number;
      readonly ascii: boolean;
    }
  | { readonly kind: "ref"; readonly index: Int32Array; readonly parent: string; readonly length: number };

/** A column as parts (`parentOf` names the table a key column belongs to, for foreign keys). */
export function columnParts(column: unknown, parentOf: (keys: KeyColumn) => string): ColumnParts {
  if (column instanceof Int32Array) return { kind: "int32", data: column };
  if (column instanceof IntColumn) return { kind: "int", data: column.data, length: column.length };
  if (column instanceof NumColumn) return { kind: "num", data: column.data, length: column.length };
  if (column instanceof BoolColumn) return { kind: "bool", data: column.data, length: column.length };
  if (column instanceof DictColumn) {
    return {
      kind: "dict",
      index: column.index,
      values: column.values,
      lists: column.values.some((v) => Array.isArray(v)),
      length: column.length,
    };
  }
  if (column instanceof KeyColumn) {
    return {
      kind: "key",
      bytes: column.bytes,
      offsets: column.offsets,
      length: column.length,
      ascii: column.ascii,
    };
  }
  if (column instanceof RefColumn) {
    return { kind: "ref", index: column.index, parent: parentOf(column.parent), length: column.length };
  }
  throw new TypeError("columnParts: not a loader column");
}

/** The column back from its parts (`keysOf` gives the key column of a parent table). */
export function columnFromParts(parts: ColumnParts, keysOf: (table: string) => KeyColumn): unknown {
  switch (parts.kind) {
    case "int32":
      return parts.data;
    case "int":
      return new IntColumn(parts.data, parts.length);
    case "num":
      return new NumColumn(parts.data, parts.length);
    case "bool":
      return new BoolColumn(parts.data, parts.length);
    case "dict": {
      // Lists are frozen (a copy made by postMessage is not).
      const values = parts.lists
        ? parts.values.map((v) => (Array.isArray(v) ? Object.freeze(v) : v))
        : parts.values;
      return new DictColumn(parts.index, values, parts.length);
    }
    case "key": {
      const bytes = Buffer.from(parts.bytes.buffer, parts.bytes.byteOffset, parts.bytes.byteLength);
      return new KeyColumn(bytes, parts.offsets, parts.length, parts.ascii);
    }
    case "ref":
      return new RefColumn(parts.index, keysOf(parts.parent), parts.length);
  }
}

/** The ArrayBuffers of a column's parts (to transfer rather than copy). */
export function partsBuffers(parts: ColumnParts): ArrayBuffer[] {
  const views: ArrayBufferView[] = [];
  if ("data" in parts) views.push(parts.data);
  if ("index" in parts) views.push(parts.index);
  if (parts.kind === "key") views.push(parts.bytes, parts.offsets);
  return views.map((v) => v.buffer as ArrayBuffer);
}

/** The part of an arquero table these helpers read. */
interface TableLike {
  isFiltered(): boolean;
  isOrdered(): boolean;
  columnIndex(name: string): number;
  column(name: string): unknown;
}

/**
 * A loaded table's primary-key column as strings, each decoded once and shared with every reader of
 * the keys through foreign keys (`KeyColumn.cached`): for keys that are read again (person ids),
 * unlike `table.array(name)`, which decodes a new string per row. Null when the column is not a loader
 * key column or the table is filtered or ordered.
 */
export function sharedKeyStrings(table: TableLike, column: string): string[] | null {
  if (table.isFiltered() || table.isOrdered() || table.columnIndex(column) < 0) return null;
  const c = table.column(column);
  if (!(c instanceof KeyColumn)) return null;
  const out = new Array<string>(c.length);
  for (let i = 0; i < c.length; i++) out[i] = c.cached(i);
  return out;
}

/**
 * For a loaded table's foreign-key column (e.g. encounters.person_id, index_events.encounter_id): the
 * row of the referenced table each row points to (−1 = null), read from the storage without building
 * any string. Null when the column is not a loader foreign-key column or the table is filtered or
 * ordered (then use `table.array(name)`).
 */
export function foreignKeyRows(table: TableLike, column: string): Int32Array | null {
  if (table.isFiltered() || table.isOrdered() || table.columnIndex(column) < 0) return null;
  const c = table.column(column);
  return c instanceof RefColumn ? c.index : null;
}
