/**
 * Person interning and CSR ("compressed sparse row") grouping: every event table is sorted once by
 * (person, day, tie-breaker) with a counting sort on the person and a per-person insertion sort on the
 * day, and its rows are then reached as `order[offsets[p] .. offsets[p+1])`. This is the only sort the
 * measures do; every measure then sweeps one person at a time over typed arrays.
 */
import { type KeyColumn, RefColumn } from "../../dictionary/typed-columns.js";
import { InvalidInputError } from "../../stats/errors.js";

/**
 * Maps person_id strings to dense integers 0..size−1 (in order of first appearance). A primary-key
 * column adopted first (`adoptKeys`, the loader's persons.person_id) gives integers 0..n−1 in row order
 * without any string work; its ids are decoded and the lookup map built only when first asked for.
 */
export class PersonIndex {
  private list: string[] = [];
  private byId: Map<string, number> | null = new Map();
  /** Adopted keys not yet decoded into `list` (persons 0..pending.length−1). */
  private pending: KeyColumn | null = null;

  /** Person ids by integer. */
  get ids(): string[] {
    const keys = this.pending;
    if (keys !== null) {
      const list = new Array<string>(keys.length);
      for (let k = 0; k < keys.length; k++) list[k] = keys.cached(k);
      this.list = list;
      this.pending = null;
    }
    return this.list;
  }

  /** Integer by person id. */
  get map(): Map<string, number> {
    let m = this.byId;
    if (m === null) {
      const ids = this.ids;
      m = new Map();
      for (let k = 0; k < ids.length; k++) m.set(ids[k]!, k);
      this.byId = m;
    }
    return m;
  }

  /**
   * Takes the keys of a primary-key column (unique, non-empty) as persons 0..n−1, in row order. Only
   * for an empty index: afterwards `intern`/`lookup` behave as if every key had been interned in order.
   */
  adoptKeys(keys: KeyColumn): void {
    if (this.size !== 0) throw new Error("PersonIndex.adoptKeys: the index is not empty");
    this.pending = keys;
    this.byId = null;
  }

  /** The integer of a person id, adding it when new. */
  intern(id: string): number {
    const map = this.map;
    let k = map.get(id);
    if (k === undefined) {
      const ids = this.ids;
      k = ids.length;
      ids.push(id);
      map.set(id, k);
    }
    return k;
  }

  /** The integer of a person id, or -1 when unknown. */
  lookup(id: string): number {
    return this.map.get(id) ?? -1;
  }

  get size(): number {
    return this.pending !== null ? this.pending.length : this.list.length;
  }
}

/** Interns a person_id column (strings or numbers); a missing id is an input error. */
export function internColumn(
  index: PersonIndex,
  ids: ArrayLike<unknown>,
  fn: string,
  table: string,
): Int32Array {
  const out = new Int32Array(ids.length);
  const known = index.ids; // grows as `intern` adds ids
  let last: unknown;
  let lastK = -1;
  for (let i = 0; i < ids.length; i++) {
    const x = ids[i];
    if (x === last) {
      out[i] = lastK; // rows of one person are usually adjacent: skip the hash lookup
      continue;
    }
    if (x === null || x === undefined || x === "") {
      throw new InvalidInputError(fn, `${table}.person_id, row ${i + 1}: missing person id`);
    }
    // tables sorted like the persons table: the next person is usually the next interned id
    const guess = lastK + 1;
    if (guess < known.length && known[guess] === x) lastK = guess;
    else lastK = index.intern(typeof x === "string" ? x : String(x));
    last = x;
    out[i] = lastK;
  }
  return out;
}

/**
 * `internColumn` for the loader's id columns, without building an array of strings: a primary-key
 * column (persons.person_id) or a foreign-key column (rows of the persons table). `parentMaps`
 * remembers, per key column, the integer of each key already interned (shared across tables, so ten
 * million event rows cost one array read each). Same integers, same order, same errors as
 * `internColumn` on the column's values.
 */
export function internIdColumn(
  index: PersonIndex,
  column: KeyColumn | RefColumn,
  parentMaps: Map<KeyColumn, Int32Array>,
  fn: string,
  table: string,
): Int32Array {
  const keys = column instanceof RefColumn ? column.parent : column;
  let map = parentMaps.get(keys);
  if (map === undefined) {
    map = new Int32Array(keys.length).fill(-1);
    parentMaps.set(keys, map);
  }
  const n = column.length;
  const out = new Int32Array(n);
  const refs = column instanceof RefColumn ? column.index : null;
  if (refs === null && index.size === 0) {
    // The first column is a primary key (persons.person_id): person k is key k.
    for (let k = 0; k < n; k++) {
      if (keys.offsets[k + 1] === keys.offsets[k]) {
        throw new InvalidInputError(fn, `${table}.person_id, row ${k + 1}: missing person id`);
      }
      map[k] = k;
      out[k] = k;
    }
    index.adoptKeys(keys);
    return out;
  }
  for (let i = 0; i < n; i++) {
    const k = refs === null ? i : (refs[i] as number);
    if (k < 0) throw new InvalidInputError(fn, `${table}.person_id, row ${i + 1}: missing person id`);
    let p = map[k] as number;
    if (p < 0) {
      const id = keys.cached(k);
      if (id === "") throw new InvalidInputError(fn, `${table}.person_id, row ${i + 1}: missing person id`);
      p = index.intern(id);
      map[k] = p;
    }
    out[i] = p;
  }
  return out;
}

/** Rows grouped by person: rows of person p are `order[offsets[p]] … order[offsets[p+1]-1]`. */
export interface Csr {
  readonly offsets: Int32Array;
  readonly order: Int32Array;
}

/**
 * Groups rows by person (counting sort, stable) and sorts each person's rows by `key` then `key2`
 * then row number (insertion sort for small groups, comparator sort for large ones; a group already in
 * order, as in files sorted by person and date, is only checked).
 */
export function buildCsr(
  person: Int32Array,
  nPersons: number,
  key?: ArrayLike<number>,
  key2?: ArrayLike<number>,
): Csr {
  const n = person.length;
  const offsets = new Int32Array(nPersons + 1);
  let grouped = true; // rows already grouped by person in person order (files sorted by person)
  let last = 0;
  for (let i = 0; i < n; i++) {
    const p = person[i]!;
    offsets[p + 1]!++;
    if (p < last) grouped = false;
    last = p;
  }
  for (let p = 0; p < nPersons; p++) offsets[p + 1]! += offsets[p]!;
  const order = new Int32Array(n);
  if (grouped) for (let i = 0; i < n; i++) order[i] = i;
  else {
    const cursor = offsets.slice(0, nPersons);
    for (let i = 0; i < n; i++) order[cursor[person[i]!]!++] = i;
  }
  if (key === undefined) return { offsets, order };
  const less = (a: number, b: number): boolean => {
    const ka = key[a]!;
    const kb = key[b]!;
    if (ka !== kb) return ka < kb;
    if (key2 !== undefined) {
      const a2 = key2[a]!;
      const b2 = key2[b]!;
      if (a2 !== b2) return a2 < b2;
    }
    return a < b;
  };
  for (let p = 0; p < nPersons; p++) {
    const lo = offsets[p]!;
    const hi = offsets[p + 1]!;
    if (hi - lo < 2 || inOrder(order, lo, hi, key, key2)) continue;
    if (hi - lo <= 48) {
      for (let i = lo + 1; i < hi; i++) {
        const x = order[i]!;
        let j = i - 1;
        while (j >= lo && less(x, order[j]!)) {
          order[j + 1] = order[j]!;
          j--;
        }
        order[j + 1] = x;
      }
    } else {
      const part = Array.from(order.subarray(lo, hi));
      part.sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
      order.set(part, lo);
    }
  }
  return { offsets, order };
}

/**
 * True when order[lo … hi) is already sorted by (key, key2, row). The counting sort leaves each person's
 * rows in increasing row order, so a pair is out of order only when its keys are.
 */
function inOrder(
  order: Int32Array,
  lo: number,
  hi: number,
  key: ArrayLike<number>,
  key2: ArrayLike<number> | undefined,
): boolean {
  for (let i = lo + 1; i < hi; i++) {
    const a = order[i - 1]!;
    const b = order[i]!;
    const ka = key[a]!;
    const kb = key[b]!;
    if (ka > kb) return false;
    if (ka === kb && key2 !== undefined && key2[a]! > key2[b]!) return false;
  }
  return true;
}
