/**
 * Shared input checks and small numeric helpers of the compare layer (not exported publicly).
 */
import { InvalidInputError } from "../stats/errors.js";
import { solveSymmetric } from "../stats/linalg/index.js";

/** A unit or cluster label. */
export type Label = string | number;

/** Reads a 0/1 treatment column into a Uint8Array; anything else throws. */
export function readTreat(fn: string, treat: ArrayLike<number | boolean>, name = "treat"): Uint8Array {
  const n = treat.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = treat[i] as number | boolean | null | undefined;
    if (v === 1 || v === true) out[i] = 1;
    else if (v === 0 || v === false) out[i] = 0;
    else throw new InvalidInputError(fn, `${name} must be 0/1 (row ${i}: ${String(v)})`);
  }
  return out;
}

/** Counts of each arm. */
export function armCounts(t: Uint8Array): { treated: number; control: number } {
  let treated = 0;
  for (let i = 0; i < t.length; i++) treated += t[i]!;
  return { treated, control: t.length - treated };
}

/** Throws unless both arms are present. */
export function requireBothArms(fn: string, t: Uint8Array): { treated: number; control: number } {
  const c = armCounts(t);
  if (c.treated === 0 || c.control === 0) {
    const who = c.treated === 0 ? "control" : "treated";
    throw new InvalidInputError(
      fn,
      `all ${t.length} units are ${who}: a comparison needs both a treated and a comparison (control) arm`,
    );
  }
  return c;
}

/** Throws unless `v` has length n. */
export function requireLength(fn: string, name: string, v: { length: number } | undefined, n: number): void {
  if (v !== undefined && v.length !== n)
    throw new InvalidInputError(fn, `${name} has ${v.length} values, expected ${n}`);
}

/** Reads a numeric column into a Float64Array; null/undefined become NaN; ±Infinity throws. */
export function readNumbers(fn: string, name: string, v: ArrayLike<number | null | undefined>): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = v[i];
    if (a === null || a === undefined) out[i] = Number.NaN;
    else if (typeof a !== "number") throw new InvalidInputError(fn, `${name} is not a number at row ${i}`);
    else if (a === Number.POSITIVE_INFINITY || a === Number.NEGATIVE_INFINITY) {
      throw new InvalidInputError(fn, `${name} is infinite at row ${i}`);
    } else out[i] = a;
  }
  return out;
}

/**
 * Validates analysis weights: NaN, ±Infinity and negative values throw (a clear error, never a silent
 * NaN); zeros are allowed and counted.
 */
export function readWeights(
  fn: string,
  w: ArrayLike<number>,
  n: number,
): { weights: Float64Array; nZero: number } {
  requireLength(fn, "weights", w, n);
  const out = new Float64Array(n);
  let nZero = 0;
  for (let i = 0; i < n; i++) {
    const a = w[i] as number | null | undefined;
    if (typeof a !== "number" || Number.isNaN(a)) {
      throw new InvalidInputError(
        fn,
        `weight at row ${i} is missing or NaN: every unit needs a weight (0 to leave it out)`,
      );
    }
    if (!Number.isFinite(a)) {
      throw new InvalidInputError(
        fn,
        `weight at row ${i} is infinite (a propensity score of 0 or 1?): trim the weights or restrict to the region of overlap`,
      );
    }
    if (a < 0) throw new InvalidInputError(fn, `weight at row ${i} is negative (${a})`);
    if (a === 0) nZero++;
    out[i] = a;
  }
  return { weights: out, nZero };
}

/** Unique string keys → rank in code-unit order (the stable tie-break key). Throws on duplicates. */
export function rankIds(fn: string, ids: ArrayLike<Label>): Int32Array {
  const n = ids.length;
  const keys: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = ids[i];
    if (v === null || v === undefined || v === "")
      throw new InvalidInputError(fn, `id is missing at row ${i}`);
    keys[i] = String(v);
  }
  // The default sort compares strings by UTF-16 code units, natively.
  const sorted = keys.slice().sort();
  const byKey = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    const k = sorted[r]!;
    if (r > 0 && k === sorted[r - 1]) throw new InvalidInputError(fn, `duplicate id "${k}"`);
    byKey.set(k, r);
  }
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[i] = byKey.get(keys[i]!)!;
  return rank;
}

/** Codes labels 0..k−1 in sorted label order (numbers numerically, strings by code unit); null/"" throw. */
export function codeLabels(
  fn: string,
  name: string,
  labels: ArrayLike<Label | null | undefined>,
): { codes: Int32Array; levels: Label[] } {
  const n = labels.length;
  const seen = new Map<Label, number>();
  const levels: Label[] = [];
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v))) {
      throw new InvalidInputError(fn, `${name} is missing at row ${i}`);
    }
    if (!seen.has(v)) {
      seen.set(v, 0);
      levels.push(v);
    }
  }
  levels.sort(compareLabels);
  levels.forEach((l, k) => {
    seen.set(l, k);
  });
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = seen.get(labels[i] as Label)!;
  return { codes, levels };
}

/** Numbers before strings; numbers numerically; strings by UTF-16 code units. */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Seeded uniform generator on [0, 1): SplitMix32-seeded xorshift-multiply (mulberry32 core). Only
 * used to shuffle the match order; reproducible from the seed.
 */
export function uniformGenerator(seed: number): () => number {
  if (!Number.isSafeInteger(seed))
    throw new InvalidInputError("uniformGenerator", "seed must be a safe integer");
  let a = (seed ^ Math.floor(seed / 4294967296) ^ 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Sample quantile of R's type 3 (SAS: nearest even order statistic), as `quantile(x, p, type = 3)`,
 * which WeightIt's trim() uses. `sorted` must be ascending.
 */
export function quantileType3(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  const nppm = n * p - 0.5;
  const j = Math.floor(nppm + 4 * Number.EPSILON);
  const h = nppm !== j || j % 2 === 1;
  // 1-based order statistic x_k with x_0 = x_1 and x_{n+1} = x_n.
  const k = h ? j + 1 : j;
  const idx = Math.min(Math.max(k, 1), n) - 1;
  return sorted[idx]!;
}

/** log(p/(1−p)). */
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** Σ w, Σ w² and ESS = (Σw)²/Σw² over units where mask[i] === value. */
export function essOf(
  w: Float64Array,
  mask: Uint8Array,
  value: number,
): { sum: number; ess: number; n: number } {
  let s = 0;
  let s2 = 0;
  let n = 0;
  for (let i = 0; i < w.length; i++) {
    if (mask[i] !== value) continue;
    const a = w[i]!;
    s += a;
    s2 += a * a;
    if (a > 0) n++;
  }
  return { sum: s, ess: s2 > 0 ? (s * s) / s2 : 0, n };
}

/**
 * Stable ascending argsort of finite doubles: LSD radix sort on the IEEE-754 bits mapped to unsigned
 * order (8 passes of 8 bits; keys travel with the indices so reads stay sequential; passes whose digit
 * is constant are skipped). Equal keys keep index order. O(n), for eCDF statistics over millions of rows.
 */
export function argsortNumbers(keys: Float64Array): Uint32Array {
  const n = keys.length;
  const src = new Uint32Array(keys.buffer, keys.byteOffset, n * 2);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = src[2 * i + 1]!;
    const l = src[2 * i]!;
    if (h & 0x80000000) {
      lo[i] = ~l;
      hi[i] = ~h;
    } else {
      lo[i] = l;
      hi[i] = h | 0x80000000;
    }
    idx[i] = i;
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let idx2 = new Uint32Array(n);
  const count = new Int32Array(256);
  for (let pass = 0; pass < 8; pass++) {
    const shift = (pass & 3) * 8;
    const key = pass >= 4 ? hi : lo;
    count.fill(0);
    for (let k = 0; k < n; k++) {
      const d = (key[k]! >>> shift) & 255;
      count[d] = count[d]! + 1;
    }
    let constant = false;
    for (let d = 0; d < 256; d++) {
      if (count[d] === n) {
        constant = true;
        break;
      }
    }
    if (constant) continue;
    let sum = 0;
    for (let d = 0; d < 256; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const d = (key[k]! >>> shift) & 255;
      const p = count[d]!;
      count[d] = p + 1;
      lo2[p] = lo[k]!;
      hi2[p] = hi[k]!;
      idx2[p] = idx[k]!;
    }
    let s = lo;
    lo = lo2;
    lo2 = s;
    s = hi;
    hi = hi2;
    hi2 = s;
    s = idx;
    idx = idx2;
    idx2 = s;
  }
  return idx;
}

/** bᵀ V⁻¹ b for a small symmetric positive-definite V (null when not finite): a joint Wald statistic. */
export function quadForm(V: readonly (readonly (number | null)[])[], b: readonly number[]): number | null {
  const k = b.length;
  const flat = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const v = V[i]![j];
      if (v === null || v === undefined || !Number.isFinite(v)) return null;
      flat[i * k + j] = v;
    }
  }
  const x = solveSymmetric(flat, k, b);
  let s = 0;
  for (let i = 0; i < k; i++) s += x[i]! * b[i]!;
  return Number.isFinite(s) ? s : null;
}
