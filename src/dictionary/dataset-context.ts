/**
 * State shared across the tables of one load, for the cross-table checks: accepted and rejected
 * primary keys of every table (duplicates, orphans), the persons' death dates (AFTER_DEATH) and
 * their observation periods (OUTSIDE_OBSERVATION).
 */
import type { TableName } from "../../data-dictionary/index.js";
import { KeyIndex, type KeyIndexParts } from "./key-index.js";
import { INT32_NULL } from "./typed-columns.js";

/** The parts of a load's cross-table state another thread needs to load more tables. */
export interface DatasetContextParts {
  readonly loaded: readonly TableName[];
  readonly keys: readonly (readonly [TableName, KeyIndexParts])[];
  readonly rejected: readonly (readonly [TableName, readonly (readonly [string, number])[]])[];
  readonly deathDays: Int32Array;
  readonly offsets: Int32Array | null;
  readonly bounds: Int32Array;
}

/** Cross-table state of one load. */
export class DatasetContext {
  /** Tables whose file has been loaded (possibly with zero accepted rows). */
  readonly loaded = new Set<TableName>();
  private readonly accepted = new Map<TableName, KeyIndex>();
  private readonly rejected = new Map<TableName, Map<string, number>>();
  /** Death day by person (accepted-row index), INT32_NULL when none. */
  private deathDays: Int32Array = new Int32Array(0);
  /** Periods as added: person, start, end (flat triples). */
  private periodTriples: Int32Array = new Int32Array(3 * 1024);
  private nPeriods = 0;
  /** CSR layout of the merged periods: person p's periods are bounds[offsets[p] .. offsets[p+1]). */
  private offsets: Int32Array | null = null;
  private bounds: Int32Array = new Int32Array(0);

  /**
   * The state another thread needs to load tables that refer to `referenced` (their keys and rejected
   * keys), with the death dates and observation periods. Copies.
   */
  toParts(referenced: readonly TableName[]): DatasetContextParts {
    return {
      loaded: [...this.loaded],
      keys: referenced.map((t) => [t, this.keysOf(t).toParts()] as const),
      rejected: referenced.map((t) => [t, [...(this.rejected.get(t) ?? [])]] as const),
      deathDays: this.deathDays.slice(),
      offsets: this.offsets === null ? null : this.offsets.slice(),
      bounds: this.bounds.slice(),
    };
  }

  /** A context from `toParts` data. */
  static fromParts(parts: DatasetContextParts): DatasetContext {
    const ctx = new DatasetContext();
    for (const t of parts.loaded) ctx.loaded.add(t);
    for (const [t, k] of parts.keys) ctx.accepted.set(t, KeyIndex.fromParts(k));
    for (const [t, entries] of parts.rejected) ctx.rejected.set(t, new Map(entries));
    ctx.deathDays = parts.deathDays;
    ctx.offsets = parts.offsets;
    ctx.bounds = parts.bounds;
    return ctx;
  }

  /** The accepted keys of a table (created empty on first use). */
  keysOf(table: TableName): KeyIndex {
    let k = this.accepted.get(table);
    if (!k) {
      k = new KeyIndex();
      this.accepted.set(table, k);
    }
    return k;
  }

  /** Records the key of a rejected row (first rejection kept), for orphan messages. */
  rejectKey(table: TableName, key: string, row: number): void {
    let m = this.rejected.get(table);
    if (!m) {
      m = new Map();
      this.rejected.set(table, m);
    }
    if (!m.has(key)) m.set(key, row);
  }

  /** Data row of a rejected row with this key, or undefined. */
  rejectedRow(table: TableName, key: string): number | undefined {
    return this.rejected.get(table)?.get(key);
  }

  /**
   * Sets the death date of every accepted person, by accepted-row index: day numbers, null (or
   * INT32_NULL) for none.
   */
  setDeathDays(days: ArrayLike<number | null> | Float64Array): void {
    const out = new Int32Array(days.length);
    for (let i = 0; i < days.length; i++) {
      const d = days[i];
      out[i] = d === null || d === undefined ? INT32_NULL : d;
    }
    this.deathDays = out;
  }

  /** Death day of a person (accepted-row index), or null. */
  deathDay(person: number): number | null {
    if (person >= this.deathDays.length) return null;
    const d = this.deathDays[person] as number;
    return d === INT32_NULL ? null : d;
  }

  /** Adds an observation period [start, end] (inclusive day numbers) of a person. */
  addPeriod(person: number, start: number, end: number): void {
    if (person < 0) return;
    let t = this.periodTriples;
    const k = 3 * this.nPeriods;
    if (k + 3 > t.length) {
      const grown = new Int32Array(Math.ceil(t.length * 1.5) + 3);
      grown.set(t);
      this.periodTriples = grown;
      t = grown;
    }
    t[k] = person;
    t[k + 1] = start;
    t[k + 2] = end;
    this.nPeriods++;
  }

  /** Sorts and merges each person's periods; from now on OUTSIDE_OBSERVATION is checked. */
  finishPeriods(): void {
    const persons = this.keysOf("persons").size;
    const t = this.periodTriples;
    const n = this.nPeriods;
    // Counting sort of the periods by person, then each person's periods by start.
    const first = new Int32Array(persons + 1);
    for (let k = 0; k < n; k++) {
      const p = (t[3 * k] as number) + 1;
      first[p] = (first[p] as number) + 1;
    }
    for (let p = 0; p < persons; p++) first[p + 1] = (first[p + 1] as number) + (first[p] as number);
    const cursor = first.slice(0, persons);
    const order = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const p = t[3 * k] as number;
      const at = cursor[p] as number;
      order[at] = k;
      cursor[p] = at + 1;
    }
    const offsets = new Int32Array(persons + 1);
    const bounds = new Int32Array(2 * n);
    let used = 0;
    for (let person = 0; person < persons; person++) {
      offsets[person] = used;
      const lo = first[person] as number;
      const hi = first[person + 1] as number;
      if (hi === lo) continue;
      // Insertion sort by start (a person has few periods).
      for (let i = lo + 1; i < hi; i++) {
        const x = order[i] as number;
        const sx = t[3 * x + 1] as number;
        let j = i - 1;
        while (j >= lo && (t[3 * (order[j] as number) + 1] as number) > sx) {
          order[j + 1] = order[j] as number;
          j--;
        }
        order[j + 1] = x;
      }
      const start = used;
      for (let i = lo; i < hi; i++) {
        const k = order[i] as number;
        const s = t[3 * k + 1] as number;
        const e = t[3 * k + 2] as number;
        if (used > start && s <= (bounds[used - 1] as number) + 1) {
          if (e > (bounds[used - 1] as number)) bounds[used - 1] = e;
        } else {
          bounds[used++] = s;
          bounds[used++] = e;
        }
      }
    }
    offsets[persons] = used;
    this.offsets = offsets;
    this.bounds = bounds.slice(0, used);
    this.periodTriples = new Int32Array(0);
    this.nPeriods = 0;
  }

  /** True once observation periods are loaded (so OUTSIDE_OBSERVATION is checked). */
  get checksObservation(): boolean {
    return this.offsets !== null;
  }

  /** True when the day lies in some observation period of the person. */
  inObservation(person: number, day: number): boolean {
    const offsets = this.offsets;
    if (!offsets) return true;
    const b = this.bounds;
    const end = offsets[person + 1] as number;
    for (let k = offsets[person] as number; k < end; k += 2) {
      if (day >= (b[k] as number) && day <= (b[k + 1] as number)) return true;
    }
    return false;
  }
}
