/**
 * Quantiles of a survival curve and their confidence limits by R survival's rule
 * (`quantile.survfit`, internal `findq`).
 */
import { mapToFloat64, mapToInt32 } from "../../util/typed-map.js";

/** Default tolerance of quantile.survfit: √(machine ε). */
export const QUANTILE_TOLERANCE = Math.sqrt(2 ** -52);

/**
 * R `approx(x, y, v, method = "constant", f = 1)` with x strictly increasing after removing NA:
 * the y of the right end of the bracketing interval (exact hits return their own y); NaN outside.
 */
function approxConstantRight(xs: Float64Array, ys: Int32Array, v: number): number {
  const n = xs.length;
  if (n === 0) return Number.NaN;
  if (v < (xs[0] as number) || v > (xs[n - 1] as number)) return Number.NaN;
  let i = 0;
  let j = n - 1;
  while (i < j - 1) {
    const ij = (i + j) >>> 1;
    if (v < (xs[ij] as number)) j = ij;
    else i = ij;
  }
  if (v === xs[j]) return ys[j] as number;
  if (v === xs[i]) return ys[i] as number;
  return ys[j] as number;
}

/**
 * survival's `findq(x, y, p, tol)`: x = (firstx, times…), y = (0, 1 − curve…) with null or NaN = NA.
 * The quantile for p is the first x where y reaches p; if y equals p within `tol` on a flat, the
 * midpoint between the flat's first time and the next distinct level's time (or the last time
 * for the final flat). Null when not reached.
 */
export function findQuantiles(
  x: ArrayLike<number>,
  y: ArrayLike<number | null>,
  probs: readonly number[],
  tol = QUANTILE_TOLERANCE,
  allowFast = true,
): (number | null)[] {
  let ymax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v !== null && v !== undefined && v > ymax) ymax = v; // NaN never compares greater
  }
  let pmin = Number.POSITIVE_INFINITY;
  for (const p of probs) if (p < pmin) pmin = p;
  if (ymax < pmin) return probs.map(() => null);
  const xmax = x[x.length - 1] as number;
  const fast = allowFast ? findQuantilesMonotone(x, y, probs, tol, xmax) : null;
  if (fast) return fast;
  // drop duplicated y values (first occurrence kept; NA counts as one value)
  const xs: number[] = [];
  const yv: (number | null)[] = [];
  const seen = new Set<number | null>();
  for (let i = 0; i < y.length; i++) {
    const raw = y[i] ?? null;
    const v = raw === null || Number.isNaN(raw) ? null : raw;
    if (seen.has(v)) continue;
    seen.add(v);
    xs.push(x[i] as number);
    yv.push(v);
  }
  const n = yv.length;
  // approx() drops NA pairs and sorts by x (here y ± tol); the interpolated value is the 1-based index
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (yv[i] !== null) idx.push(i);
  idx.sort((a, b) => (yv[a] as number) - (yv[b] as number));
  const ys = mapToInt32(idx, (i) => i + 1);
  const xsPlus = mapToFloat64(idx, (i) => (yv[i] as number) + tol);
  const xsMinus = mapToFloat64(idx, (i) => (yv[i] as number) - tol);
  const lastY = yv[n - 1] ?? null;
  return probs.map((p) => {
    const i1 = approxConstantRight(xsPlus, ys, p);
    const i2 = approxConstantRight(xsMinus, ys, p);
    let q: number | null =
      Number.isNaN(i1) || Number.isNaN(i2) ? null : ((xs[i1 - 1] as number) + (xs[i2 - 1] as number)) / 2;
    if (p === 0) q = xs[0] as number;
    if (lastY !== null && Math.abs(p - lastY) < tol) {
      q = Number.isNaN(i1) ? null : ((xs[i1 - 1] as number) + xmax) / 2;
    }
    return q;
  });
}

/**
 * The same rule in O(m + k log m) when the non-NA y values are non-decreasing in order (always for
 * 1 − Ŝ and for the lower CI curves; usually for the upper ones): duplicates are then consecutive,
 * and approx's sort is the identity. Returns null when y is not monotone (caller falls back).
 */
function findQuantilesMonotone(
  x: ArrayLike<number>,
  y: ArrayLike<number | null>,
  probs: readonly number[],
  tol: number,
  xmax: number,
): (number | null)[] | null {
  const len = y.length;
  const ys = new Float64Array(len);
  const xs = new Float64Array(len);
  let k = 0;
  let seenNull = false;
  let lastIsNull = false;
  for (let i = 0; i < len; i++) {
    const raw = y[i] ?? null;
    const v = raw === null || Number.isNaN(raw) ? null : raw;
    if (v === null) {
      if (!seenNull) {
        seenNull = true;
        lastIsNull = true;
      }
      continue;
    }
    if (k > 0) {
      const prev = ys[k - 1] as number;
      if (v < prev) return null;
      if (v === prev) continue;
    }
    ys[k] = v;
    xs[k] = x[i] as number;
    k++;
    lastIsNull = false;
  }
  // first position with ys[j] ± tol ≥ p, constant-right approx (exact hits return their own index)
  const locate = (shift: number, p: number): number => {
    if (k === 0 || p < (ys[0] as number) + shift || p > (ys[k - 1] as number) + shift) return -1;
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ys[mid] as number) + shift < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lastY = lastIsNull || k === 0 ? null : (ys[k - 1] as number);
  return probs.map((p) => {
    const i1 = locate(tol, p);
    const i2 = locate(-tol, p);
    let q: number | null = i1 < 0 || i2 < 0 ? null : ((xs[i1] as number) + (xs[i2] as number)) / 2;
    if (p === 0) q = x[0] as number;
    if (lastY !== null && Math.abs(p - lastY) < tol) q = i1 < 0 ? null : ((xs[i1] as number) + xmax) / 2;
    return q;
  });
}

/** A quantile of a survival curve with its confidence limits (null = not reached / not evaluable). */
export interface SurvivalQuantile {
  /** Probability p: the time by which a fraction p has had the event, i.e. S(t) = 1 − p. */
  readonly p: number;
  readonly estimate: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

/**
 * Quantiles of one curve: `estimate` from Ŝ, `lower` where the lower confidence curve reaches 1 − p
 * (it falls first) and `upper` where the upper curve does (R `quantile.survfit`, so the limits
 * inherit the curve's `conf.type`).
 * `firstTime` is the curve's origin (0, or the start time).
 */
export function curveQuantiles(
  time: ArrayLike<number>,
  surv: ArrayLike<number>,
  lower: ArrayLike<number | null>,
  upper: ArrayLike<number | null>,
  probs: readonly number[],
  firstTime = 0,
  tol = QUANTILE_TOLERANCE,
): SurvivalQuantile[] {
  const q = curveFindq(time, surv, probs, firstTime, tol);
  const ql = curveFindq(time, lower, probs, firstTime, tol);
  const qu = curveFindq(time, upper, probs, firstTime, tol);
  return probs.map((p, i) => ({ p, estimate: q[i] ?? null, lower: ql[i] ?? null, upper: qu[i] ?? null }));
}

/**
 * findq on x = (firstTime, time…), y = (0, 1 − curve…) without building those arrays: when the
 * curve's NA values (null/NaN) form at most a leading and a trailing run and 1 − curve is
 * non-decreasing in between, R's dedup + approx reduce to binary searches for the first index
 * reaching p ± tol (that index is the first occurrence of its value). Otherwise the general rule.
 */
export function curveFindq(
  time: ArrayLike<number>,
  curve: ArrayLike<number | null>,
  probs: readonly number[],
  firstTime = 0,
  tol = QUANTILE_TOLERANCE,
): (number | null)[] {
  const m = time.length;
  const na = (v: number | null | undefined): boolean => v === null || v === undefined || Number.isNaN(v);
  // scan: leading NA run, values a..b, trailing NA run; check monotone
  let a = -1;
  let b = -1;
  let firstNa = -1;
  let eligible = true;
  let prev = 0; // y at index 0
  let ymax = 0;
  let firstOfMax = 0; // virtual index (0 = firstTime) of the first occurrence of ymax
  for (let i = 0; i < m; i++) {
    const v = curve[i];
    if (na(v)) {
      if (firstNa < 0) firstNa = i + 1;
      continue;
    }
    if (b >= 0 && b !== i - 1) {
      eligible = false; // a value after an NA that followed values
      break;
    }
    const y = 1 - (v as number);
    if (y < prev) {
      eligible = false;
      break;
    }
    if (y > ymax) {
      ymax = y;
      firstOfMax = i + 1;
    }
    prev = y;
    if (a < 0) a = i;
    b = i;
  }
  if (!eligible) {
    const x = new Float64Array(m + 1);
    const y = new Float64Array(m + 1);
    x[0] = firstTime;
    for (let i = 0; i < m; i++) {
      x[i + 1] = time[i] as number;
      const v = curve[i];
      y[i + 1] = na(v) ? Number.NaN : 1 - (v as number);
    }
    return findQuantiles(x, y, probs, tol, false);
  }
  let pmin = Number.POSITIVE_INFINITY;
  for (const p of probs) if (p < pmin) pmin = p;
  if (ymax < pmin) return probs.map(() => null);
  // virtual array: v = 0 → (firstTime, 0); v ≥ 1 → (time[a + v − 1], 1 − curve[a + v − 1])
  const L = a < 0 ? 1 : 1 + (b - a + 1);
  const yv = (v: number): number => (v === 0 ? 0 : 1 - (curve[a + v - 1] as number));
  const xv = (v: number): number => (v === 0 ? firstTime : (time[a + v - 1] as number));
  const xmax = m > 0 ? (time[m - 1] as number) : firstTime;
  const locate = (shift: number, p: number): number => {
    if (p < yv(0) + shift || p > yv(L - 1) + shift) return -1;
    let lo = 0;
    let hi = L - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (yv(mid) + shift < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lastIsNa = firstNa > firstOfMax;
  return probs.map((p) => {
    const i1 = locate(tol, p);
    const i2 = locate(-tol, p);
    let q: number | null = i1 < 0 || i2 < 0 ? null : (xv(i1) + xv(i2)) / 2;
    if (p === 0) q = firstTime;
    if (!lastIsNa && Math.abs(p - ymax) < tol) q = i1 < 0 ? null : (xv(i1) + xmax) / 2;
    return q;
  });
}
