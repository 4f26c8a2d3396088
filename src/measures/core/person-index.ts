/**
 * Person interning and CSR ("compressed sparse row") grouping: every event table is sorted once by
 * (person, day, tie-breaker) with a counting sort on the person and a per-person insertion sort on the
 * day, and its rows are then reached as `order[offsets[p] .. offsets[p+1])`. This is the only sort the
 * measures do; every measure then sweeps one person at a time over typed arrays.
 */
import { type KeyColumn, RefColumn } from "../../dictionary/typed-columns.js";
import { InvalidInputError } from "../../stats/errors.js";

/** Maps person_id strings to dense integers 0..size−1 (in order of first appearance). */
export class PersonIndex {
  readonly ids: string[] = [];
  readonly map = new Map<string, number>();

  /** The integer of a person id, adding it when new. */
  intern(id: string): number {
    let k = this.map.get(id);
    if (k === undefined) {
      k = this.ids.length;
      this.ids.push(id);
      this.map.set(id, k);
    }
    return k;
  }

  /** The integer of a person id, or -1 when unknown. */
  lookup(id: string): number {
    return this.map.get(id) ?? -1;
  }

  get size(): number {
    return this.ids.length;
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
    if (guess < index.ids.length && index.ids[guess] === x) lastK = guess;
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
 * then row number (insertion sort for small groups, comparator sort for large ones).
 */
export function buildCsr(
  person: Int32Array,
  nPersons: number,
  key?: ArrayLike<number>,
  key2?: ArrayLike<number>,
): Csr {
  const n = person.length;
  const offsets = new Int32Array(nPersons + 1);
  for (let i = 0; i < n; i++) offsets[person[i]! + 1]!++;
  for (let p = 0; p < nPersons; p++) offsets[p + 1]! += offsets[p]!;
  const cursor = offsets.slice(0, nPersons);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[cursor[person[i]!]!++] = i;
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
    if (hi - lo < 2) continue;
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
