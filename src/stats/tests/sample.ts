import { InvalidInputError } from "../errors.js";

/** Internal: a cleaned numeric sample and the number of missing values removed from it. */
export interface CleanSample {
  readonly values: Float64Array;
  readonly nExcluded: number;
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

function check(fn: string, name: string, v: unknown, i: number): number {
  if (typeof v !== "number") throw new InvalidInputError(fn, `${name}[${i}] is not a number`);
  if (!Number.isFinite(v))
    throw new InvalidInputError(fn, `${name}[${i}] is ${v}; only finite values are allowed`);
  return v;
}

/**
 * Internal: copies the finite values of `x` into a Float64Array, counting NaN/null/undefined as
 * missing (excluded) and throwing InvalidInputError on ±Infinity or non-numbers. The copy is sorted
 * ascending so sums do not depend on row order. Never mutates `x`.
 */
export function cleanSample(fn: string, name: string, x: ArrayLike<number>): CleanSample {
  if (x === null || typeof x !== "object" || typeof x.length !== "number") {
    throw new InvalidInputError(fn, `${name} must be an array of numbers`);
  }
  const out = new Float64Array(x.length);
  let k = 0;
  let missing = 0;
  for (let i = 0; i < x.length; i++) {
    const v: unknown = x[i];
    if (isMissing(v)) {
      missing++;
      continue;
    }
    out[k++] = check(fn, name, v, i);
  }
  // Sorted so that sums, and hence results, do not depend on row order.
  return { values: out.slice(0, k).sort(), nExcluded: missing };
}

/**
 * Internal: paired differences x − y over complete pairs (R `complete.cases`), counting pairs with a
 * missing member as excluded (sorted ascending). Throws if the lengths differ or a value is ±Infinity.
 */
export function pairedDifferences(fn: string, x: ArrayLike<number>, y: ArrayLike<number>): CleanSample {
  if (x.length !== y.length) {
    throw new InvalidInputError(fn, `paired samples must have equal lengths (${x.length} vs ${y.length})`);
  }
  const out = new Float64Array(x.length);
  let k = 0;
  let missing = 0;
  for (let i = 0; i < x.length; i++) {
    const a: unknown = x[i];
    const b: unknown = y[i];
    if (isMissing(a) || isMissing(b)) {
      missing++;
      if (!isMissing(a)) check(fn, "x", a, i);
      if (!isMissing(b)) check(fn, "y", b, i);
      continue;
    }
    out[k++] = check(fn, "x", a, i) - check(fn, "y", b, i);
  }
  return { values: out.slice(0, k).sort(), nExcluded: missing };
}

/** Internal: mean with a second correction pass (as R's `mean`), for arrays of finite values. */
export function mean(x: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] as number;
  let m = s / n;
  let r = 0;
  for (let i = 0; i < n; i++) r += (x[i] as number) - m;
  m += r / n;
  return m;
}

/** Internal: sample variance with divisor n − 1 (two-pass), given the mean. */
export function sampleVariance(x: Float64Array, m: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const dev = (x[i] as number) - m;
    s += dev * dev;
  }
  return s / (x.length - 1);
}
