/**
 * Wald-type confidence intervals and normal-theory p-values shared by the estimators.
 * An estimator supplies an estimate and its standard error; these helpers add the interval or the
 * p-value. Bounds that cannot be evaluated are `null`, never NaN or ±Infinity.
 */
import { normalQuantile, normalTwoSidedP } from "../distributions/index.js";
import { InvalidInputError } from "../errors.js";
import type { ConfidenceInterval } from "../result.js";

/** Transform applied to a probability before the Wald interval is formed (R survfit `conf.type`). */
export type ProbabilityCiTransform = "plain" | "log" | "log-log";

/** Throws unless `level` is a coverage probability strictly between 0 and 1. */
export function checkConfLevel(level: number, fn: string): void {
  if (!(typeof level === "number" && level > 0 && level < 1)) {
    throw new InvalidInputError(fn, `confLevel must be strictly between 0 and 1 (received ${level})`);
  }
}

/**
 * Two-sided normal critical value z_{1−(1−level)/2} (R `qnorm(1 - (1 - level)/2)`); 1.959964 for 0.95.
 */
export function zCritical(level: number): number {
  return normalQuantile(1 - (1 - level) / 2);
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Plain Wald interval estimate ± z·se on the estimate's own scale.
 * Returns null bounds when the estimate or the SE is not finite.
 */
export function waldCi(estimate: number | null, se: number | null, level: number): ConfidenceInterval {
  if (estimate === null || se === null || !Number.isFinite(estimate) || !Number.isFinite(se)) {
    return { lower: null, upper: null, level };
  }
  const h = zCritical(level) * se;
  return { lower: finiteOrNull(estimate - h), upper: finiteOrNull(estimate + h), level };
}

/**
 * Wald interval for a positive quantity formed on the log scale: exp(log θ ± z·se/θ), where `se`
 * is the SE of θ itself (delta method). Null bounds when θ ≤ 0 or the SE is not finite.
 */
export function waldCiLog(estimate: number | null, se: number | null, level: number): ConfidenceInterval {
  if (estimate === null || se === null || !(estimate > 0) || !Number.isFinite(se)) {
    return { lower: null, upper: null, level };
  }
  const h = (zCritical(level) * se) / estimate;
  return {
    lower: finiteOrNull(estimate * Math.exp(-h)),
    upper: finiteOrNull(estimate * Math.exp(h)),
    level,
  };
}

/**
 * Pointwise interval for a probability p with standard error `se` (of p itself), by R survival's
 * `survfit_confint` rules (conf.lower = "usual"):
 * - `plain`: p ± z·se, clipped to [0, 1];
 * - `log`: exp(log p ± z·se/p), upper capped at 1; not evaluable (null) when p = 0;
 * - `log-log`: exp(−exp(log(−log p) ∓ z·(se/p)/log p)) — equivalently p^exp(±z·se/(p·log p)), the
 *   "cloglog" form of tidycmprsk and Stata; not evaluable when p is 0 or 1.
 * An SE of 0 gives a degenerate interval (both bounds = p) except where the transform is undefined.
 * `z` may be passed to avoid recomputing the critical value in loops.
 */
export function probabilityCi(
  p: number,
  se: number | null,
  transform: ProbabilityCiTransform,
  z: number,
): { lower: number | null; upper: number | null } {
  if (se === null || Number.isNaN(se) || Number.isNaN(p)) return { lower: null, upper: null };
  // se on the log scale, as survfit_confint does with logse = FALSE: se/p (0 stays 0)
  if (transform === "plain") {
    const h = z * se;
    if (!Number.isFinite(h)) return { lower: null, upper: null };
    return { lower: Math.max(p - h, 0), upper: Math.min(p + h, 1) };
  }
  if (p === 0) return { lower: null, upper: null };
  const seLog = se === 0 ? 0 : se / p;
  if (transform === "log") {
    const h = z * seLog;
    if (!Number.isFinite(h)) return { lower: null, upper: null };
    const lp = Math.log(p);
    return { lower: Math.exp(lp - h), upper: Math.min(Math.exp(lp + h), 1) };
  }
  if (p === 1) return { lower: null, upper: null };
  const lp = Math.log(p);
  const h = (z * seLog) / lp;
  if (!Number.isFinite(h)) return { lower: null, upper: null };
  const ll = Math.log(-lp);
  return { lower: Math.exp(-Math.exp(ll - h)), upper: Math.exp(-Math.exp(ll + h)) };
}

/** Two-sided Wald z test of estimate = nullValue: z = (estimate − nullValue)/se and 2·P(Z > |z|). */
export function zTest(
  estimate: number | null,
  se: number | null,
  nullValue = 0,
): { statistic: number | null; pValue: number | null } {
  if (estimate === null || se === null || !Number.isFinite(estimate) || !(se > 0) || !Number.isFinite(se)) {
    return { statistic: null, pValue: null };
  }
  const z = (estimate - nullValue) / se;
  return { statistic: z, pValue: normalTwoSidedP(z) };
}

/**
 * `probabilityCi` over whole curves without per-point allocation: p[i] with SE se[i] (of p itself;
 * NaN = not evaluable); bounds are written to `lower`/`upper`, NaN where not evaluable.
 */
export function probabilityCiInto(
  p: ArrayLike<number>,
  se: ArrayLike<number>,
  transform: ProbabilityCiTransform,
  z: number,
  lower: Float64Array,
  upper: Float64Array,
): void {
  const m = p.length;
  for (let i = 0; i < m; i++) {
    const pi = p[i] as number;
    const s = se[i] as number;
    let lo = Number.NaN;
    let up = Number.NaN;
    if (!Number.isNaN(s) && !Number.isNaN(pi)) {
      if (transform === "plain") {
        const h = z * s;
        if (Number.isFinite(h)) {
          lo = Math.max(pi - h, 0);
          up = Math.min(pi + h, 1);
        }
      } else if (pi !== 0) {
        const seLog = s === 0 ? 0 : s / pi;
        if (transform === "log") {
          const h = z * seLog;
          if (Number.isFinite(h)) {
            const lp = Math.log(pi);
            lo = Math.exp(lp - h);
            up = Math.min(Math.exp(lp + h), 1);
          }
        } else if (pi !== 1) {
          const lp = Math.log(pi);
          const h = (z * seLog) / lp;
          if (Number.isFinite(h)) {
            const ll = Math.log(-lp);
            lo = Math.exp(-Math.exp(ll - h));
            up = Math.exp(-Math.exp(ll + h));
          }
        }
      }
    }
    lower[i] = lo;
    upper[i] = up;
  }
}

/** `probabilityCi` over whole curves, returning plain arrays with null where not evaluable. */
export function probabilityCiArrays(
  p: ArrayLike<number>,
  se: ArrayLike<number | null>,
  transform: ProbabilityCiTransform,
  z: number,
): { lower: (number | null)[]; upper: (number | null)[] } {
  const m = p.length;
  const s = new Float64Array(m);
  for (let i = 0; i < m; i++) s[i] = se[i] ?? Number.NaN;
  const lo = new Float64Array(m);
  const up = new Float64Array(m);
  probabilityCiInto(p, s, transform, z, lo, up);
  const lower = new Array<number | null>(m);
  const upper = new Array<number | null>(m);
  for (let i = 0; i < m; i++) {
    const a = lo[i] as number;
    const b = up[i] as number;
    lower[i] = Number.isNaN(a) ? null : a;
    upper[i] = Number.isNaN(b) ? null : b;
  }
  return { lower, upper };
}
