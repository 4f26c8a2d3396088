/**
 * Growable typed storage of one loaded column, written row slot by row slot (the slot of the next
 * accepted row; a rejected row's slot is simply overwritten by the next one). The loader's fast path
 * writes the typed arrays directly (`data[row] = …`); the general path calls `setValue(row, value,
 * text)` with the converted value and its field text. `finish(n)` returns the arquero column
 * (`typed-columns.ts`): required dates as an Int32Array, everything else as a compact column class.
 */
import type { ColumnInfo } from "../../data-dictionary/index.js";
import type { ColumnValue } from "./convert-column.js";
import { KeyIndex } from "./key-index.js";
import {
  BoolColumn,
  DictColumn,
  INT32_NULL,
  IntColumn,
  type IntStorage,
  intNullOf,
  type KeyColumn,
  NumColumn,
  RefColumn,
} from "./typed-columns.js";

/** Entries of a dictionary column's direct-mapped lookup cache (a power of two). */
const QUICK_SIZE = 1 << 13;

/** Distinct texts a dictionary column remembers by string for the general path. */
const TEXT_CACHE_LIMIT = 1 << 16;

/** Storage of one column while a file loads. */
export interface ColumnStore {
  /** Makes room for `capacity` row slots (keeps the first `used`). */
  reserve(capacity: number, used: number): void;
  /** Writes a converted value (general path); `text` is the field's raw text. */
  setValue(row: number, value: ColumnValue, text: string): void;
  /** Removes the row slots at `slots` (ascending) from the first `used`; later rows move down. */
  remove(slots: Int32Array, used: number): void;
  /** The finished column of `n` rows. */
  finish(n: number): unknown;
}

/** Removes the entries at `slots` (ascending) from `a[0, used)` in place, moving later ones down. */
export function removeSlots(
  a: Int8Array | Int16Array | Int32Array | Float64Array,
  slots: Int32Array,
  used: number,
): void {
  let w = 0;
  let r = 0;
  for (let i = 0; i < used; i++) {
    if (r < slots.length && slots[r] === i) {
      r++;
      continue;
    }
    a[w++] = a[i] as number;
  }
}

function trimmed<T extends Int8Array | Int16Array | Int32Array | Float64Array | Uint32Array>(
  a: T,
  n: number,
): T {
  // Keep a view when little would be saved (up to 1/8); copy when the spare capacity is worth freeing.
  return (a.length > n * 1.125 + 1024 ? a.slice(0, n) : a.subarray(0, n)) as T;
}

function grownLike<T extends IntStorage | Int8Array>(a: T, capacity: number, used: number, fill: number): T {
  const ctor = a.constructor as new (n: number) => T;
  const out = new ctor(capacity);
  out.set(a.subarray(0, used) as never);
  if (fill !== 0) out.fill(fill, used);
  return out;
}

/** A required date column: day numbers in an Int32Array (the column is the Int32Array itself). */
export class DateStore implements ColumnStore {
  data = new Int32Array(0);
  reserve(capacity: number, used: number): void {
    if (capacity > this.data.length) this.data = grownLike(this.data, capacity, used, 0);
  }
  setValue(row: number, value: ColumnValue): void {
    this.data[row] = value as number;
  }
  remove(slots: Int32Array, used: number): void {
    removeSlots(this.data, slots, used);
  }
  finish(n: number): Int32Array {
    return trimmed(this.data, n);
  }
}

/**
 * Nullable integers and optional dates. The storage starts as narrow as the dictionary's range allows
 * (Int8 when it gives none) and is widened (Int16, Int32, then Float64) when a value does not fit;
 * null is the storage's sentinel (`intNullOf`). Dates are Int32.
 */
export class IntStore implements ColumnStore {
  data: IntStorage;
  /** Inclusive bounds of values the current storage holds (its null sentinel excluded). */
  lo: number;
  hi: number;
  nullValue: number;

  constructor(minimum: number | null, maximum: number | null, isDate: boolean) {
    // Without a range, start narrow: most integer columns hold small counts.
    const lo = minimum ?? 0;
    const hi = maximum ?? 0;
    this.data = isDate
      ? new Int32Array(0)
      : lo >= -127 && hi <= 127
        ? new Int8Array(0)
        : lo >= -32767 && hi <= 32767
          ? new Int16Array(0)
          : lo > INT32_NULL && hi <= 2147483647
            ? new Int32Array(0)
            : new Float64Array(0);
    this.nullValue = intNullOf(this.data);
    [this.lo, this.hi] = IntStore.bounds(this.data);
  }

  private static bounds(data: IntStorage): [number, number] {
    if (data instanceof Int8Array) return [-127, 127];
    if (data instanceof Int16Array) return [-32767, 32767];
    if (data instanceof Int32Array) return [INT32_NULL + 1, 2147483647];
    return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  }

  reserve(capacity: number, used: number): void {
    if (capacity > this.data.length) this.data = grownLike(this.data, capacity, used, this.nullValue);
  }

  /** Writes an integer at row slot `row` (rows before it are kept), widening the storage when needed. */
  put(row: number, v: number): void {
    if (v < this.lo || v > this.hi) this.widen(v, row);
    this.data[row] = v;
  }

  private widen(v: number, used: number): void {
    const old = this.data;
    const next: IntStorage =
      v >= -32767 && v <= 32767 && old instanceof Int8Array
        ? new Int16Array(old.length)
        : v > INT32_NULL && v <= 2147483647 && !(old instanceof Int32Array)
          ? new Int32Array(old.length)
          : new Float64Array(old.length);
    const nullNext = intNullOf(next);
    const nullOld = this.nullValue;
    for (let i = 0; i < used; i++) {
      const x = old[i] as number;
      next[i] = x === nullOld ? nullNext : x;
    }
    next.fill(nullNext, used);
    this.data = next;
    this.nullValue = nullNext;
    [this.lo, this.hi] = IntStore.bounds(next);
  }

  setValue(row: number, value: ColumnValue): void {
    if (value === null) this.data[row] = this.nullValue;
    else this.put(row, value as number);
  }

  remove(slots: Int32Array, used: number): void {
    removeSlots(this.data, slots, used);
  }

  finish(n: number): IntColumn {
    return new IntColumn(trimmed(this.data, n), n);
  }
}

/** Nullable finite numbers (NaN = null). */
export class NumStore implements ColumnStore {
  data = new Float64Array(0);
  reserve(capacity: number, used: number): void {
    if (capacity > this.data.length) this.data = grownLike(this.data, capacity, used, Number.NaN);
  }
  setValue(row: number, value: ColumnValue): void {
    this.data[row] = value === null ? Number.NaN : (value as number);
  }
  remove(slots: Int32Array, used: number): void {
    removeSlots(this.data, slots, used);
  }
  finish(n: number): NumColumn {
    return new NumColumn(trimmed(this.data, n), n);
  }
}

/** Nullable booleans (1, 0, −1 = null). */
export class BoolStore implements ColumnStore {
  data = new Int8Array(0);
  reserve(capacity: number, used: number): void {
    if (capacity > this.data.length) this.data = grownLike(this.data, capacity, used, -1);
  }
  setValue(row: number, value: ColumnValue): void {
    this.data[row] = value === null ? -1 : value ? 1 : 0;
  }
  remove(slots: Int32Array, used: number): void {
    removeSlots(this.data, slots, used);
  }
  finish(n: number): BoolColumn {
    return new BoolColumn(trimmed(this.data, n), n);
  }
}

/**
 * Dictionary-encoded values: codes (a fixed list, given up front) or distinct texts met while loading
 * (strings, non-key ids, lists), looked up by their raw text bytes.
 */
export class DictStore<V> implements ColumnStore {
  index: Int8Array | Int16Array | Int32Array;
  /** Raw text → position in `values`. */
  readonly keys = new KeyIndex();
  readonly values: V[] = [];
  /** The same for the general path, by string (bounded). */
  private readonly byText = new Map<string, number>();

  /** `fixed`: the complete list of values (codes) with their texts; otherwise values are added. */
  constructor(fixed: readonly V[] | null = null) {
    const size = fixed === null ? 0 : fixed.length;
    this.index = size <= 128 ? new Int8Array(0) : size <= 32768 ? new Int16Array(0) : new Int32Array(0);
    if (fixed !== null) {
      for (const v of fixed) this.add(String(v), v);
    }
  }

  /** Appends a new value; the index storage is widened when its positions no longer fit. */
  private push(value: V): number {
    const k = this.values.length;
    this.values.push(value);
    if (k === 128 && this.index instanceof Int8Array) this.index = Int16Array.from(this.index);
    else if (k === 32768 && this.index instanceof Int16Array) this.index = Int32Array.from(this.index);
    return k;
  }

  reserve(capacity: number, used: number): void {
    if (capacity > this.index.length) this.index = grownLike(this.index, capacity, used, -1);
  }

  /**
   * Two direct-mapped caches of positions (−1 = none): by a cheap signature (length, first, middle and
   * last byte: enough for code lists), then by a hash of every byte (many distinct texts).
   */
  private readonly quickSig = new Int32Array(QUICK_SIZE).fill(-1);
  private readonly quickHash = new Int32Array(QUICK_SIZE).fill(-1);

  /** Position of the value whose text is `buf[start, end)`, or −1 (a non-empty text). */
  find(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    const sig =
      (len * 7919 +
        (buf[start] as number) * 31 +
        (buf[end - 1] as number) * 131 +
        (buf[start + (len >> 1)] as number)) &
      (QUICK_SIZE - 1);
    const q = this.quickSig[sig] as number;
    if (q >= 0 && this.keys.equalsBytes(q, buf, start, end)) return q;
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
    const slot = (h ^ (h >>> 15)) & (QUICK_SIZE - 1);
    let k = this.quickHash[slot] as number;
    if (k < 0 || !this.keys.equalsBytes(k, buf, start, end)) {
      k = this.keys.findBytes(buf, start, end);
      if (k < 0) return -1;
      this.quickHash[slot] = k;
    }
    this.quickSig[sig] = k;
    return k;
  }

  /** Adds a value under its text (unless the text is known); returns its position. */
  add(text: string, value: V): number {
    const hit = this.byText.get(text);
    if (hit !== undefined) return hit;
    let k = this.keys.insert(text);
    if (k < 0) k = this.push(value);
    if (this.byText.size < TEXT_CACHE_LIMIT) this.byText.set(text, k);
    return k;
  }

  /** Adds a value under the text `buf[start, end)`; returns its position. */
  addBytes(buf: Uint8Array, start: number, end: number, value: V): number {
    const k = this.keys.insertBytes(buf, start, end);
    return k >= 0 ? k : this.push(value);
  }

  setValue(row: number, value: ColumnValue, text: string): void {
    // `add` may widen the index storage: read `this.index` after it.
    const k = value === null ? -1 : this.add(text, value as V);
    this.index[row] = k;
  }

  remove(slots: Int32Array, used: number): void {
    removeSlots(this.index, slots, used);
  }

  finish(n: number): DictColumn<V> {
    return new DictColumn<V>(trimmed(this.index, n), this.values, n);
  }
}

/** Foreign-key ids: the referenced row of the parent table (−1 = null). */
export class RefStore implements ColumnStore {
  index = new Int32Array(0);
  constructor(readonly parent: KeyIndex) {}
  reserve(capacity: number, used: number): void {
    if (capacity > this.index.length) this.index = grownLike(this.index, capacity, used, -1);
  }
  /** General path: the value was checked against the parent; `target` is set by the loader. */
  setValue(): void {}
  remove(slots: Int32Array, used: number): void {
    removeSlots(this.index, slots, used);
  }
  finish(n: number): RefColumn {
    return new RefColumn(trimmed(this.index, n), this.parent.keyColumn(), n);
  }
}

/** A single-column primary key that is not a foreign key: the table's key index holds the values. */
export class KeyStore implements ColumnStore {
  constructor(readonly keys: KeyIndex) {}
  reserve(): void {}
  setValue(): void {}
  /** The loader removes repeated keys from the key index itself. */
  remove(): void {}
  finish(): KeyColumn {
    return this.keys.keyColumn();
  }
}

/** The store of a column, given its metadata and role. */
export function createColumnStore(
  column: ColumnInfo,
  role: { readonly primaryKey: KeyIndex | null; readonly parent: KeyIndex | null },
): ColumnStore {
  if (role.parent !== null) return new RefStore(role.parent);
  if (role.primaryKey !== null) return new KeyStore(role.primaryKey);
  switch (column.kind) {
    case "date":
      return column.required ? new DateStore() : new IntStore(null, null, true);
    case "int":
      return new IntStore(column.minimum, column.maximum, false);
    case "num":
      return new NumStore();
    case "bool":
      return new BoolStore();
    case "code":
      return new DictStore<string>((column.codes ?? []).map((c) => c.code));
    default:
      return new DictStore<ColumnValue>();
  }
}
