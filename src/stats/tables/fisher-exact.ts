import { brentRoot } from "../distributions/brent-root.js";

/** Internal result of {@link fisherExact2x2}. Infinite odds ratios/bounds are reported as null. */
export interface FisherExactParts {
  /** Two-sided p-value (R fisher.test: sum of probabilities ≤ the observed one × (1 + 1e-7)). */
  readonly pValue: number;
  /** Conditional MLE of the odds ratio; null when infinite (x at the top of the support). */
  readonly oddsRatio: number | null;
  readonly lower: number;
  /** Upper exact bound; null when infinite. */
  readonly upper: number | null;
  /** True when the support has a single point (a zero margin): nothing is estimable. */
  readonly degenerate: boolean;
}

/**
 * Internal: Fisher's exact test for the 2×2 table [[a, b], [c, d]], reproducing R's `fisher.test`
 * equations: the noncentral hypergeometric distribution of a given the margins, the two-sided
 * p-value with relative tolerance 1e-7, the conditional maximum-likelihood odds ratio (root of
 * E[a; ψ] = a) and the exact interval (roots of P(X ≥ a; ψ) = α/2 and P(X ≤ a; ψ) = α/2). Roots are
 * solved on log ψ with Brent's method to machine precision (R's `uniroot` stops near 1e-4).
 *
 * Log densities come from the ratio recurrence d(x + 1)/d(x) = (m − x)(k − x) / ((x + 1)(n − k + x + 1)),
 * anchored at the mode, so they are accurate to a few ulps times the support size.
 */
export function fisherExact2x2(
  a: number,
  b: number,
  c: number,
  d: number,
  confLevel: number,
): FisherExactParts {
  const m = a + c; // first column total
  const n = b + d; // second column total
  const k = a + b; // first row total
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const size = hi - lo + 1;
  const x = a;
  if (size === 1) return { pValue: 1, oddsRatio: null, lower: 0, upper: null, degenerate: true };

  // Log central hypergeometric densities up to a constant, from the mode outwards.
  const logdc = new Float64Array(size);
  const mode = Math.floor(((k + 1) * (m + 1)) / (m + n + 2));
  const im = Math.min(Math.max(mode, lo), hi) - lo;
  logdc[im] = 0;
  for (let i = im; i < size - 1; i++) {
    const s = lo + i;
    logdc[i + 1] = (logdc[i] as number) + Math.log(((m - s) * (k - s)) / ((s + 1) * (n - k + s + 1)));
  }
  for (let i = im; i > 0; i--) {
    const s = lo + i; // d(s − 1)/d(s) = s(n − k + s) / ((m − s + 1)(k − s + 1))
    logdc[i - 1] = (logdc[i] as number) + Math.log((s * (n - k + s)) / ((m - s + 1) * (k - s + 1)));
  }

  const dens = new Float64Array(size);
  /** Normalised noncentral densities for log odds ratio θ (R's dnhyper). */
  const dnhyper = (theta: number): Float64Array => {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < size; i++) {
      const v = (logdc[i] as number) + theta * (lo + i);
      dens[i] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let i = 0; i < size; i++) {
      const e = Math.exp((dens[i] as number) - max);
      dens[i] = e;
      sum += e;
    }
    for (let i = 0; i < size; i++) dens[i] = (dens[i] as number) / sum;
    return dens;
  };
  const mean = (theta: number): number => {
    const dd = dnhyper(theta);
    let s = 0;
    for (let i = 0; i < size; i++) s += (lo + i) * (dd[i] as number);
    return s;
  };
  const lowerTail = (theta: number): number => {
    const dd = dnhyper(theta);
    let s = 0;
    for (let i = 0; i <= x - lo; i++) s += dd[i] as number;
    return s;
  };
  const upperTail = (theta: number): number => {
    const dd = dnhyper(theta);
    let s = 0;
    for (let i = x - lo; i < size; i++) s += dd[i] as number;
    return s;
  };

  // Two-sided p-value at ψ = 1.
  const d1 = dnhyper(0);
  const cutoff = (d1[x - lo] as number) * (1 + 1e-7);
  let pValue = 0;
  for (let i = 0; i < size; i++) if ((d1[i] as number) <= cutoff) pValue += d1[i] as number;
  pValue = Math.min(1, pValue);

  const alpha = (1 - confLevel) / 2;
  const solve = (f: (theta: number) => number): number => {
    // f is monotone in θ; expand a bracket around 0 until the sign changes.
    let lo_ = -1;
    let hi_ = 1;
    let step = 1;
    while (f(lo_) * f(hi_) > 0 && step < 1e4) {
      step *= 2;
      lo_ -= step;
      hi_ += step;
    }
    return brentRoot(f, lo_, hi_);
  };
  const oddsRatio = x === lo ? 0 : x === hi ? null : Math.exp(solve((t) => mean(t) - x));
  const lower = x === lo ? 0 : Math.exp(solve((t) => upperTail(t) - alpha));
  const upper = x === hi ? null : Math.exp(solve((t) => lowerTail(t) - alpha));
  return { pValue, oddsRatio, lower, upper, degenerate: false };
}
