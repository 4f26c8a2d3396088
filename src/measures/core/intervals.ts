/**
 * Whole-day interval sets. An interval is inclusive `[start, end]` in day numbers; a set is sorted by
 * start, disjoint and non-adjacent after `mergeSorted`. Per-person sets live in CSR form
 * (`offsets`, `starts`, `ends`), so every query is a short linear scan over typed arrays.
 */
import { NULL_DAY as NULL_DAY_IMPORTED } from "./columns.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

/** Per-person interval sets in CSR form: person p owns indices offsets[p] … offsets[p+1]−1. */
export interface IntervalSets {
  readonly offsets: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/**
 * MEASURES §1.2 window helper: true when `lo ≤ d ≤ hi` (both bounds inclusive; callers record lo and hi
 * in their definition's parameters).
 */
export function inWindow(d: number, lo: number, hi: number): boolean {
  return d >= lo && d <= hi;
}

/**
 * Sorts `count` intervals held in the scratch arrays at positions from … from+count−1 by start
 * (insertion sort; per-person counts are small) and merges overlapping or adjacent ones (next start ≤
 * current end + 1) in place, the merged intervals starting at `from`. Returns the merged count.
 */
export function sortAndMerge(s: Int32Array, e: Int32Array, count: number, from = 0): number {
  const end = from + count;
  for (let i = from + 1; i < end; i++) {
    const xs = s[i]!;
    const xe = e[i]!;
    let j = i - 1;
    while (j >= from && s[j]! > xs) {
      s[j + 1] = s[j]!;
      e[j + 1] = e[j]!;
      j--;
    }
    s[j + 1] = xs;
    e[j + 1] = xe;
  }
  if (count === 0) return 0;
  let m = from;
  for (let i = from + 1; i < end; i++) {
    if (s[i]! <= e[m]! + 1) {
      if (e[i]! > e[m]!) e[m] = e[i]!;
    } else {
      m++;
      s[m] = s[i]!;
      e[m] = e[i]!;
    }
  }
  return m - from + 1;
}

/** Growable Int32 buffer used to assemble CSR interval sets. */
export class IntBuffer {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  /** The filled part as a view (no copy: a copy would allocate again and invite another major GC). */
  toArray(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** Number of days of [a, b] covered by the set's intervals lo … hi−1 (sorted, disjoint). */
export function coveredDays(
  starts: Int32Array,
  ends: Int32Array,
  lo: number,
  hi: number,
  a: number,
  b: number,
): number {
  if (b < a) return 0;
  let total = 0;
  for (let i = lo; i < hi; i++) {
    const s = starts[i]!;
    if (s > b) break;
    const e = ends[i]!;
    if (e < a) continue;
    total += Math.min(e, b) - Math.max(s, a) + 1;
  }
  return total;
}

/** Index of the interval (within lo … hi−1) containing day d, or −1. */
export function intervalContaining(
  starts: Int32Array,
  ends: Int32Array,
  lo: number,
  hi: number,
  d: number,
): number {
  for (let i = lo; i < hi; i++) {
    if (starts[i]! > d) return -1;
    if (ends[i]! >= d) return i;
  }
  return -1;
}

/**
 * Longest run of consecutive days in [a, b] not covered by intervals lo … hi−1 (includes a leading
 * and a trailing uncovered run).
 */
export function longestUncoveredRun(
  starts: Int32Array,
  ends: Int32Array,
  lo: number,
  hi: number,
  a: number,
  b: number,
): number {
  if (b < a) return 0;
  let cursor = a; // first day not yet accounted for
  let best = 0;
  for (let i = lo; i < hi && cursor <= b; i++) {
    const s = starts[i]!;
    const e = ends[i]!;
    if (e < cursor) continue;
    if (s > b) break;
    if (s > cursor) best = Math.max(best, s - cursor);
    cursor = e + 1;
  }
  if (cursor <= b) best = Math.max(best, b - cursor + 1);
  return best;
}

/** Builds per-person merged interval sets from raw (person, start, end) rows; rows with NULL_DAY start are skipped. */
export function buildIntervalSets(
  person: Int32Array,
  start: Int32Array,
  end: Int32Array,
  nPersons: number,
  keep?: (row: number) => boolean,
): IntervalSets {
  const n = person.length;
  const counts = new Int32Array(nPersons + 1);
  for (let i = 0; i < n; i++) {
    if (start[i] === NULL_DAY || (keep !== undefined && !keep(i))) continue;
    counts[person[i]! + 1]!++;
  }
  for (let p = 0; p < nPersons; p++) counts[p + 1]! += counts[p]!;
  const total = counts[nPersons]!;
  const s = new Int32Array(total);
  const e = new Int32Array(total);
  const cursor = counts.slice(0, nPersons);
  for (let i = 0; i < n; i++) {
    if (start[i] === NULL_DAY || (keep !== undefined && !keep(i))) continue;
    const k = cursor[person[i]!]!++;
    s[k] = start[i]!;
    e[k] = end[i] === NULL_DAY ? start[i]! : Math.max(end[i]!, start[i]!);
  }
  // merge per person, compacting in place
  const offsets = new Int32Array(nPersons + 1);
  let w = 0;
  for (let p = 0; p < nPersons; p++) {
    const lo = counts[p]!;
    const hi = counts[p + 1]!;
    offsets[p] = w;
    if (hi - lo === 1) {
      s[w] = s[lo]!;
      e[w] = e[lo]!;
      w++;
      continue;
    }
    if (hi === lo) continue;
    const m = sortAndMerge(s, e, hi - lo, lo);
    for (let k = 0; k < m; k++) {
      s[w + k] = s[lo + k]!;
      e[w + k] = e[lo + k]!;
    }
    w += m;
  }
  offsets[nPersons] = w;
  return { offsets, starts: s.subarray(0, w), ends: e.subarray(0, w) };
}
