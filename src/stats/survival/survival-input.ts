/**
 * Shared input preparation for the non-Cox survival estimators (Kaplan–Meier, log-rank,
 * Aalen–Johansen, RMST): validation, the missing-value policy, group/strata coding, one sort by
 * time, and survival's `aeqSurv` near-equal time merging.
 *
 * Missing-value policy (same for every function here): a row whose time, status, entry, weight,
 * group or stratum is NaN, null or undefined is excluded and counted in `nExcluded`, with one
 * `MISSING_DROPPED` warning (R `na.omit`). Values that are present but impossible — ±Infinity,
 * a negative time, an entry time not below the exit time, a status outside the allowed codes, a
 * negative or infinite weight, arrays of different lengths — throw `InvalidInputError`.
 * Zero weights are kept, as R `survfit` keeps them (they add nothing to any count but a row with
 * a distinct time still appears in the curve).
 */
import { InvalidInputError } from "../errors.js";
import { type Warning, warning } from "../../messages.js";

/** A group or stratum label: numbers sort numerically, strings by UTF-16 code units. */
export type GroupLabel = string | number;

/** Column input accepted for labels: numeric codes or strings; null/undefined/NaN = missing. */
export type LabelColumn = ArrayLike<number> | readonly (string | number | null | undefined)[];

/** Numeric column input; NaN (or null/undefined in a plain array) = missing. */
export type NumberColumn = ArrayLike<number> | readonly (number | null | undefined)[];

export interface PreparedSurvival {
  /** Rows kept. */
  readonly n: number;
  readonly nExcluded: number;
  /** Exit (event/censoring) time per kept row, after time merging. */
  readonly time: Float64Array;
  /** Entry time per kept row ((start, stop] data), after time merging; null for right-censored. */
  readonly entry: Float64Array | null;
  /** Status code per kept row. */
  readonly status: Int32Array;
  /** Case weight per kept row; null when no weights were given. */
  readonly weights: Float64Array | null;
  /** Group code (0-based, index into groupLabels). */
  readonly group: Int32Array;
  readonly groupLabels: readonly GroupLabel[];
  readonly strata: Int32Array | null;
  readonly strataLabels: readonly GroupLabel[];
  readonly warnings: Warning[];
  /** True when some weight is not an integer (R survfit then uses the robust variance). */
  readonly nonIntegerWeights: boolean;
  /** Number of distinct time values that were merged into a neighbour by aeqSurv. */
  readonly nTimesMerged: number;
  /** Rows dropped because their exit time is before `startTime` (not counted as excluded). */
  readonly nBeforeStart: number;
}

export interface SurvivalInputSpec {
  readonly fn: string;
  readonly time: NumberColumn;
  readonly status: NumberColumn;
  readonly entry?: NumberColumn | undefined;
  readonly weights?: NumberColumn | undefined;
  readonly group?: LabelColumn | undefined;
  readonly strata?: LabelColumn | undefined;
  /** Largest allowed status code (1 for survival data, K for K competing event types). */
  readonly maxStatus: number;
  /** Apply survival's aeqSurv near-equal time merging (default true, as R's `timefix = TRUE`). */
  readonly timefix?: boolean | undefined;
  /** Drop rows whose exit time is below this value (R `start.time`). */
  readonly startTime?: number | undefined;
}

const isMissing = (v: unknown): boolean => v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));

/** Codes a label column to 0-based integers by sorted unique label. Missing entries become -1. */
function codeLabels(fn: string, name: string, col: LabelColumn, n: number): { codes: Int32Array; labels: GroupLabel[] } {
  const codes = new Int32Array(n);
  let kind: "number" | "string" | null = null;
  // Fast path: small non-negative integers.
  let allSmallInts = true;
  for (let i = 0; i < n; i++) {
    const v = col[i];
    if (isMissing(v)) continue;
    const t = typeof v;
    if (t === "number") {
      if (kind === "string") throw new InvalidInputError(fn, `${name} mixes numbers and strings`);
      kind = "number";
      const x = v as number;
      if (!Number.isFinite(x)) throw new InvalidInputError(fn, `${name} contains ${x}`);
      if (allSmallInts && !(Number.isInteger(x) && x >= 0 && x < 1 << 20)) allSmallInts = false;
    } else if (t === "string") {
      if (kind === "number") throw new InvalidInputError(fn, `${name} mixes numbers and strings`);
      kind = "string";
    } else {
      throw new InvalidInputError(fn, `${name} values must be numbers or strings`);
    }
  }
  if (kind === null) {
    codes.fill(-1);
    return { codes, labels: [] };
  }
  if (kind === "number" && allSmallInts) {
    let max = 0;
    for (let i = 0; i < n; i++) {
      const v = col[i] as number | null | undefined;
      if (!isMissing(v) && (v as number) > max) max = v as number;
    }
    const seen = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < n; i++) {
      const v = col[i] as number | null | undefined;
      if (!isMissing(v)) seen[v as number] = 1;
    }
    const labels: number[] = [];
    for (let v = 0; v <= max; v++) {
      if (seen[v] === 1) {
        seen[v] = labels.length;
        labels.push(v);
      }
    }
    for (let i = 0; i < n; i++) {
      const v = col[i] as number | null | undefined;
      codes[i] = isMissing(v) ? -1 : (seen[v as number] as number);
    }
    return { codes, labels };
  }
  const map = new Map<GroupLabel, number>();
  for (let i = 0; i < n; i++) {
    const v = col[i] as GroupLabel | null | undefined;
    if (!isMissing(v) && !map.has(v as GroupLabel)) map.set(v as GroupLabel, 0);
  }
  const labels = [...map.keys()];
  if (kind === "number") (labels as number[]).sort((a, b) => a - b);
  else (labels as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  labels.forEach((l, k) => map.set(l, k));
  for (let i = 0; i < n; i++) {
    const v = col[i] as GroupLabel | null | undefined;
    codes[i] = isMissing(v) ? -1 : (map.get(v as GroupLabel) as number);
  }
  return { codes, labels };
}

/** Validates and compacts survival input (see the module comment for the missing-value policy). */
export function prepareSurvivalInput(spec: SurvivalInputSpec): PreparedSurvival {
  const { fn } = spec;
  const nIn = spec.time.length;
  const check = (col: { length: number } | undefined, name: string) => {
    if (col !== undefined && col.length !== nIn) {
      throw new InvalidInputError(fn, `${name} has length ${col.length} but time has length ${nIn}`);
    }
  };
  check(spec.status, "status");
  check(spec.entry, "entry");
  check(spec.weights, "weights");
  check(spec.group, "group");
  check(spec.strata, "strata");
  if (spec.startTime !== undefined && !Number.isFinite(spec.startTime)) {
    throw new InvalidInputError(fn, "startTime must be a finite number");
  }

  const g = spec.group ? codeLabels(fn, "group", spec.group, nIn) : null;
  const s = spec.strata ? codeLabels(fn, "strata", spec.strata, nIn) : null;

  const keep = new Uint8Array(nIn);
  let n = 0;
  let nMissing = 0;
  let nBeforeStart = 0;
  const { time, status, entry, weights } = spec;
  for (let i = 0; i < nIn; i++) {
    const t = time[i];
    const st = status[i];
    const e = entry ? entry[i] : 0;
    const w = weights ? weights[i] : 1;
    if (
      isMissing(t) ||
      isMissing(st) ||
      isMissing(e) ||
      isMissing(w) ||
      (g !== null && g.codes[i] === -1) ||
      (s !== null && s.codes[i] === -1)
    ) {
      nMissing++;
      continue;
    }
    const tt = t as number;
    if (typeof tt !== "number" || !Number.isFinite(tt)) throw new InvalidInputError(fn, `time[${i}] is ${String(t)}`);
    if (tt < 0) throw new InvalidInputError(fn, `time[${i}] is negative (${tt})`);
    const ss = st as number;
    if (!(Number.isInteger(ss) && ss >= 0 && ss <= spec.maxStatus)) {
      throw new InvalidInputError(
        fn,
        `status[${i}] is ${String(st)}; allowed codes are 0 (censored) to ${spec.maxStatus}`,
      );
    }
    if (entry) {
      const ee = e as number;
      if (!Number.isFinite(ee)) throw new InvalidInputError(fn, `entry[${i}] is ${String(e)}`);
      if (ee < 0) throw new InvalidInputError(fn, `entry[${i}] is negative (${ee})`);
      if (!(ee < tt)) throw new InvalidInputError(fn, `entry[${i}] (${ee}) is not below time[${i}] (${tt})`);
    }
    if (weights) {
      const ww = w as number;
      if (!Number.isFinite(ww) || ww < 0) throw new InvalidInputError(fn, `weights[${i}] is ${String(w)}`);
    }
    if (spec.startTime !== undefined && tt < spec.startTime) {
      nBeforeStart++;
      continue;
    }
    keep[i] = 1;
    n++;
  }

  const timeOut = new Float64Array(n);
  const statusOut = new Int32Array(n);
  const entryOut = entry ? new Float64Array(n) : null;
  const wOut = weights ? new Float64Array(n) : null;
  const groupOut = new Int32Array(n);
  const strataOut = s ? new Int32Array(n) : null;
  let nonIntegerWeights = false;
  for (let i = 0, k = 0; i < nIn; i++) {
    if (keep[i] === 0) continue;
    timeOut[k] = (time[i] as number) + 0; // -0 → 0
    statusOut[k] = status[i] as number;
    if (entryOut) entryOut[k] = (entry![i] as number) + 0;
    if (wOut) {
      const w = weights![i] as number;
      wOut[k] = w;
      if (w !== Math.floor(w)) nonIntegerWeights = true;
    }
    if (g) groupOut[k] = g.codes[i] as number;
    if (strataOut) strataOut[k] = s!.codes[i] as number;
    k++;
  }

  // Labels of groups/strata that lost all their rows are dropped (R drops unused factor levels).
  let groupLabels: GroupLabel[] = g ? g.labels : [];
  if (g) groupLabels = recode(groupOut, g.labels);
  let strataLabels: GroupLabel[] = [];
  if (s && strataOut) strataLabels = recode(strataOut, s.labels);

  const warnings: Warning[] = [];
  if (nMissing > 0) {
    warnings.push(
      warning("MISSING_DROPPED", `${nMissing} of ${nIn} rows had a missing value`, { nExcluded: nMissing }),
    );
  }

  let nTimesMerged = 0;
  if (spec.timefix !== false && n > 1) {
    nTimesMerged = applyTimefix(fn, timeOut, entryOut);
    if (nTimesMerged > 0) {
      warnings.push(
        warning("TIMES_MERGED", `${nTimesMerged} near-equal time values were merged (aeqSurv)`, {
          nMerged: nTimesMerged,
        }),
      );
    }
  }

  return {
    n,
    nExcluded: nMissing,
    time: timeOut,
    entry: entryOut,
    status: statusOut,
    weights: wOut,
    group: groupOut,
    groupLabels: g ? groupLabels : [],
    strata: strataOut,
    strataLabels,
    warnings,
    nonIntegerWeights,
    nTimesMerged,
    nBeforeStart,
  };
}

/** Renumbers codes so that only labels still present remain, keeping their sorted order. */
function recode(codes: Int32Array, labels: GroupLabel[]): GroupLabel[] {
  const present = new Uint8Array(labels.length);
  for (let i = 0; i < codes.length; i++) present[codes[i] as number] = 1;
  let all = true;
  for (let k = 0; k < labels.length; k++) if (present[k] === 0) all = false;
  if (all) return labels;
  const map = new Int32Array(labels.length);
  const out: GroupLabel[] = [];
  for (let k = 0; k < labels.length; k++) {
    if (present[k] === 1) {
      map[k] = out.length;
      out.push(labels[k] as GroupLabel);
    }
  }
  for (let i = 0; i < codes.length; i++) codes[i] = map[codes[i] as number] as number;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sorting

/**
 * Indices 0..n-1 ordered by ascending `keys` (stable). Non-negative keys only. Integer keys in a
 * modest range use a counting sort; others an LSD radix sort on the IEEE-754 bits (16-bit digits,
 * passes whose digit is constant are skipped).
 */
export function orderByTime(keys: Float64Array): Uint32Array {
  const n = keys.length;
  const out = new Uint32Array(n);
  if (n === 0) return out;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let allInt = true;
  for (let i = 0; i < n; i++) {
    const x = keys[i] as number;
    if (x < min) min = x;
    if (x > max) max = x;
    if (allInt && x !== Math.floor(x)) allInt = false;
  }
  const range = max - min;
  if (allInt && range <= Math.max(4 * n, 1 << 16) && range < 2 ** 31) {
    const m = range + 1;
    const count = new Uint32Array(m + 1);
    for (let i = 0; i < n; i++) count[(keys[i] as number) - min + 1]!++;
    for (let k = 1; k <= m; k++) count[k]! += count[k - 1]!;
    for (let i = 0; i < n; i++) out[count[(keys[i] as number) - min]!++] = i;
    return out;
  }
  // Radix sort on the 64 bits of the (non-negative) doubles: little-endian words lo, hi.
  const bits = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n);
  const hist = new Uint32Array(4 * 65536);
  for (let i = 0; i < n; i++) {
    const lo = bits[2 * i] as number;
    const hi = bits[2 * i + 1] as number;
    hist[lo & 0xffff]!++;
    hist[65536 + (lo >>> 16)]!++;
    hist[131072 + (hi & 0xffff)]!++;
    hist[196608 + (hi >>> 16)]!++;
  }
  let src = new Uint32Array(n);
  for (let i = 0; i < n; i++) src[i] = i;
  let dst = out;
  for (let pass = 0; pass < 4; pass++) {
    const off = pass * 65536;
    // skip if one bucket holds everything
    let skip = false;
    for (let b = 0; b < 65536; b++) {
      const c = hist[off + b] as number;
      if (c === n) {
        skip = true;
        break;
      }
      if (c !== 0) break;
    }
    if (skip) continue;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = hist[off + b] as number;
      hist[off + b] = sum;
      sum += c;
    }
    const word = pass < 2 ? 0 : 1;
    const shift = pass % 2 === 0 ? 0 : 16;
    for (let i = 0; i < n; i++) {
      const r = src[i] as number;
      const w = bits[2 * r + word] as number;
      const d = shift === 0 ? w & 0xffff : w >>> 16;
      dst[hist[off + d]!++] = r;
    }
    const tmp = src;
    src = dst;
    dst = tmp;
  }
  if (src !== out) out.set(src);
  return out;
}

/**
 * Stable partition of an order by an integer key in 0..nKeys-1: returns the reordered indices and
 * the start offset of each key's block (length nKeys + 1).
 */
export function partitionByKey(
  order: Uint32Array,
  key: Int32Array,
  nKeys: number,
): { order: Uint32Array; start: Uint32Array } {
  const start = new Uint32Array(nKeys + 1);
  for (let i = 0; i < key.length; i++) start[(key[i] as number) + 1]!++;
  for (let k = 1; k <= nKeys; k++) start[k]! += start[k - 1]!;
  if (nKeys <= 1) return { order, start };
  const pos = start.slice(0, nKeys);
  const out = new Uint32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const r = order[i] as number;
    out[pos[key[r] as number]!++] = r;
  }
  return { order: out, start };
}

// ---------------------------------------------------------------------------------------------
// aeqSurv

/**
 * survival's `aeqSurv` (applied by survfit/survdiff/coxph when `timefix = TRUE`): take the sorted
 * unique finite values of all time columns; a value is tied to its predecessor when the gap is
 * ≤ √ε or gap / mean(|unique values|) ≤ √ε (ε = 2^-52); every value is replaced by the first value
 * of its run of ties (chains merge). Modifies the arrays in place; returns how many distinct values
 * were merged away. Throws if merging makes an entry equal to its exit time.
 */
export function applyTimefix(fn: string, time: Float64Array, entry: Float64Array | null): number {
  const tol = Math.sqrt(2 ** -52);
  const all = entry ? new Float64Array(time.length + entry.length) : new Float64Array(time);
  if (entry) {
    all.set(time);
    all.set(entry, time.length);
  }
  all.sort();
  // unique values
  let m = 0;
  for (let i = 0; i < all.length; i++) {
    if (i === 0 || all[i] !== all[m - 1]) all[m++] = all[i] as number;
  }
  if (m < 2) return 0;
  let sumAbs = 0;
  for (let i = 0; i < m; i++) sumAbs += Math.abs(all[i] as number);
  const meanAbs = sumAbs / m;
  let nTied = 0;
  for (let i = 1; i < m; i++) {
    const dy = (all[i] as number) - (all[i - 1] as number);
    if (dy <= tol || dy / meanAbs <= tol) nTied++;
  }
  if (nTied === 0) return 0;
  const cuts = new Float64Array(m - nTied);
  let c = 0;
  cuts[c++] = all[0] as number;
  for (let i = 1; i < m; i++) {
    const dy = (all[i] as number) - (all[i - 1] as number);
    if (!(dy <= tol || dy / meanAbs <= tol)) cuts[c++] = all[i] as number;
  }
  const snap = (x: number): number => {
    // largest cut ≤ x
    let lo = 0;
    let hi = cuts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((cuts[mid] as number) <= x) lo = mid;
      else hi = mid - 1;
    }
    return cuts[lo] as number;
  };
  for (let i = 0; i < time.length; i++) time[i] = snap(time[i] as number);
  if (entry) {
    for (let i = 0; i < entry.length; i++) {
      entry[i] = snap(entry[i] as number);
      if (entry[i] === time[i]) {
        throw new InvalidInputError(fn, `aeqSurv: row ${i} has an interval of effective length 0 after time merging`);
      }
    }
  }
  return nTied;
}

// ---------------------------------------------------------------------------------------------
// Output helpers

/** Copies a typed array to a plain array (results hold plain arrays, so they serialise as JSON). */
export function toPlain(a: Float64Array, len = a.length): number[] {
  const out = new Array<number>(len);
  for (let i = 0; i < len; i++) out[i] = a[i] as number;
  return out;
}

/** Copies a typed array to a plain array, mapping NaN and ±Infinity to null. */
export function toPlainNullable(a: Float64Array, len = a.length): (number | null)[] {
  const out = new Array<number | null>(len);
  for (let i = 0; i < len; i++) {
    const x = a[i] as number;
    out[i] = Number.isFinite(x) ? x : null;
  }
  return out;
}

/**
 * Deep-freezes a plain result. Arrays whose first element is not an object are frozen without
 * visiting their elements (a 10^6-row curve freezes in O(1) per array).
 */
export function freezeDeep<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    const first = value[0] as unknown;
    if (first !== null && typeof first === "object") for (const v of value) freezeDeep(v);
    return Object.freeze(value);
  }
  for (const k of Object.keys(value as object)) freezeDeep((value as Record<string, unknown>)[k]);
  return Object.freeze(value);
}
