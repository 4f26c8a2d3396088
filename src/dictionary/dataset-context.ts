/**
 * State shared across the tables of one load, for the cross-table checks: accepted and rejected
 * primary keys of every table (duplicates, orphans), the persons' death dates (AFTER_DEATH) and
 * their observation periods (OUTSIDE_OBSERVATION).
 */
import type { TableName } from "../../data-dictionary/index.js";
import { KeyIndex } from "./key-index.js";

/** Cross-table state of one load. */
export class DatasetContext {
  /** Tables whose file has been loaded (possibly with zero accepted rows). */
  readonly loaded = new Set<TableName>();
  private readonly accepted = new Map<TableName, KeyIndex>();
  private readonly rejected = new Map<TableName, Map<string, number>>();
  private deathDays: readonly (number | null)[] = [];
  private periodLists: (number[] | undefined)[] = [];
  /** CSR layout of the merged periods: person p's periods are bounds[offsets[p] .. offsets[p+1]). */
  private offsets: Int32Array | null = null;
  private bounds: Int32Array = new Int32Array(0);

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

  /** Sets the death date (day number or null) of every accepted person, by accepted-row index. */
  setDeathDays(days: readonly (number | null)[]): void {
    this.deathDays = days;
  }

  /** Death day of a person (accepted-row index), or null. */
  deathDay(person: number): number | null {
    return this.deathDays[person] ?? null;
  }

  /** Adds an observation period [start, end] (inclusive day numbers) of a person. */
  addPeriod(person: number, start: number, end: number): void {
    while (this.periodLists.length <= person) this.periodLists.push(undefined);
    let p = this.periodLists[person];
    if (!p) {
      p = [];
      this.periodLists[person] = p;
    }
    p.push(start, end);
  }

  /** Sorts and merges each person's periods; from now on OUTSIDE_OBSERVATION is checked. */
  finishPeriods(): void {
    const persons = this.keysOf("persons").keys.length;
    const offsets = new Int32Array(persons + 1);
    const bounds: number[] = [];
    for (let person = 0; person < persons; person++) {
      offsets[person] = bounds.length;
      const p = this.periodLists[person];
      if (!p) continue;
      const pairs: [number, number][] = [];
      for (let k = 0; k < p.length; k += 2) pairs.push([p[k] as number, p[k + 1] as number]);
      pairs.sort((a, b) => a[0] - b[0]);
      const first = bounds.length;
      for (const [s, e] of pairs) {
        const last = bounds.length - 1;
        if (last > first && s <= (bounds[last] as number) + 1)
          bounds[last] = Math.max(bounds[last] as number, e);
        else bounds.push(s, e);
      }
    }
    offsets[persons] = bounds.length;
    this.offsets = offsets;
    this.bounds = Int32Array.from(bounds);
    this.periodLists = [];
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
