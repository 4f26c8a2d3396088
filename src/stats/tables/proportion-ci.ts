import type { Warning } from "../../messages.js";
import { warning } from "../../messages.js";
import { betaDistQuantile, normalQuantile } from "../distributions/index.js";
import { InvalidInputError } from "../errors.js";
import { type Estimate, makeEstimate } from "../result.js";
import { requireConfLevel, requireCount } from "./validate.js";

/** Confidence-interval method for a single binomial proportion. */
export type ProportionCiMethod = "wilson" | "clopper-pearson" | "wald";

/** Options for {@link proportionCI}. */
export interface ProportionCiOptions {
  /** Interval method; default "wilson". */
  readonly method?: ProportionCiMethod;
  /** Coverage level in (0, 1); default 0.95. */
  readonly confLevel?: number;
}

const METHOD_NAMES: Record<ProportionCiMethod, string> = {
  wilson: "Wilson score interval without continuity correction (R prop.test(correct = FALSE))",
  "clopper-pearson": "Clopper-Pearson exact interval (R binom.test)",
  wald: "Wald interval p ± z·√(p(1−p)/n), truncated to [0, 1]",
};

/**
 * Binomial proportion x/n with a two-sided confidence interval.
 *
 * Variants: `wilson` — Wilson (1927) score interval without continuity correction, computed exactly
 * as R's `prop.test(x, n, correct = FALSE)$conf.int` (bounds exactly 0 at x = 0 and 1 at x = n);
 * `clopper-pearson` — the exact interval from beta quantiles, as R's `binom.test` (Clopper & Pearson
 * 1934); `wald` — p ± z·√(p(1−p)/n), truncated to [0, 1] (zero width at x = 0 or x = n, flagged).
 * `se` is always the Wald standard error √(p(1−p)/n).
 *
 * Reference: Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion:
 * comparison of seven methods. Statistics in Medicine 17, 857–872.
 *
 * @param x - number of events (integer, 0 ≤ x ≤ n)
 * @param n - number of trials (integer ≥ 0); n = 0 gives a not-evaluable estimate (null) with an
 *   EMPTY_DENOMINATOR warning
 * @param options - method (default "wilson") and confLevel (default 0.95)
 * @returns a frozen Estimate of the proportion
 * @throws InvalidInputError for non-integer or negative counts, x > n, or confLevel outside (0, 1)
 * @example proportionCI(7, 20, { method: "wilson" }) // estimate 0.35, ci ≈ [0.1812, 0.5671]
 */
export function proportionCI(x: number, n: number, options: ProportionCiOptions = {}): Estimate {
  const fn = "proportionCI";
  const method = options.method ?? "wilson";
  const level = options.confLevel ?? 0.95;
  requireCount(fn, "x", x);
  requireCount(fn, "n", n);
  requireConfLevel(fn, level);
  if (x > n) throw new InvalidInputError(fn, `x (${x}) must not exceed n (${n})`);
  if (!(method in METHOD_NAMES)) throw new InvalidInputError(fn, `unknown method "${String(method)}"`);
  if (n === 0) {
    return makeEstimate({
      estimate: null,
      se: null,
      ci: { lower: null, upper: null, level },
      n: 0,
      method: METHOD_NAMES[method],
      warnings: [warning("EMPTY_DENOMINATOR", "n = 0")],
    });
  }
  const p = x / n;
  const se = Math.sqrt((p * (1 - p)) / n);
  const bounds = proportionBounds(x, n, method, level);
  const warnings: Warning[] = [];
  if (method === "wald" && (x === 0 || x === n)) {
    warnings.push(warning("ZERO_WIDTH_INTERVAL", `Wald interval at x = ${x}, n = ${n}`));
  }
  return makeEstimate({
    estimate: p,
    se,
    ci: { lower: bounds[0], upper: bounds[1], level },
    n,
    method: METHOD_NAMES[method],
    warnings,
  });
}

/** Internal: the two-sided interval bounds for x/n (n > 0, counts already validated). */
export function proportionBounds(
  x: number,
  n: number,
  method: ProportionCiMethod,
  level: number,
): [number, number] {
  const alpha = 1 - level;
  const p = x / n;
  if (method === "wilson") {
    // R prop.test (k = 1, YATES = 0): the same expression, so x = 0 and x = n give exactly 0 and 1.
    const z = normalQuantile((1 + level) / 2);
    const z22n = (z * z) / (2 * n);
    const spread = z * Math.sqrt((p * (1 - p)) / n + z22n / (2 * n));
    const upper = p >= 1 ? 1 : (p + z22n + spread) / (1 + 2 * z22n);
    const lower = p <= 0 ? 0 : (p + z22n - spread) / (1 + 2 * z22n);
    return [lower, upper];
  }
  if (method === "clopper-pearson") {
    const lower = x === 0 ? 0 : betaDistQuantile(alpha / 2, x, n - x + 1);
    const upper = x === n ? 1 : betaDistQuantile(1 - alpha / 2, x + 1, n - x);
    return [lower, upper];
  }
  const z = normalQuantile(1 - alpha / 2);
  const half = z * Math.sqrt((p * (1 - p)) / n);
  return [Math.max(0, p - half), Math.min(1, p + half)];
}
