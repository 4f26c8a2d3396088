import { type Warning, warning } from "../../messages.js";
import { chiSquaredUpperTail } from "../distributions/index.js";
import { freezeResult, type TestResult } from "../result.js";

/**
 * Internal: Pearson's chi-squared test of independence for the 2×2 table [[a, b], [c, d]], with or
 * without Yates' continuity correction, exactly as R's `chisq.test(x, correct = yates)`:
 * E = row total × column total / N; with correction each |O − E| is reduced by min(0.5, |O − E|).
 * Adds SMALL_EXPECTED_COUNTS when any E < 5 (R's "approximation may be incorrect"); a zero row or
 * column total makes the test not evaluable (statistic and p null, ZERO_MARGIN).
 */
export function chiSquared2x2(a: number, b: number, c: number, d: number, yates: boolean): TestResult {
  const total = a + b + c + d;
  const method = yates
    ? "Pearson chi-squared test with Yates' continuity correction (R chisq.test(correct = TRUE))"
    : "Pearson chi-squared test without continuity correction (R chisq.test(correct = FALSE))";
  const r1 = a + b;
  const r2 = c + d;
  const c1 = a + c;
  const c2 = b + d;
  const warnings: Warning[] = [];
  if (r1 === 0 || r2 === 0 || c1 === 0 || c2 === 0) {
    warnings.push(warning("ZERO_MARGIN", "chi-squared test"));
    return freezeResult({
      statistic: null,
      df: 1,
      pValue: null,
      n: total,
      nExcluded: 0,
      method,
      alternative: "two-sided" as const,
      nullDistribution: "chi-squared(1)",
      warnings,
    });
  }
  const observed = [a, b, c, d];
  const expected = [(r1 * c1) / total, (r1 * c2) / total, (r2 * c1) / total, (r2 * c2) / total];
  let correction = 0;
  if (yates) {
    correction = 0.5;
    for (let i = 0; i < 4; i++) {
      correction = Math.min(correction, Math.abs((observed[i] as number) - (expected[i] as number)));
    }
  }
  let statistic = 0;
  let minExpected = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 4; i++) {
    const e = expected[i] as number;
    const dev = Math.abs((observed[i] as number) - e) - correction;
    statistic += (dev * dev) / e;
    if (e < minExpected) minExpected = e;
  }
  if (minExpected < 5) {
    warnings.push(
      warning("SMALL_EXPECTED_COUNTS", `smallest expected count ${minExpected}`, { minExpected }),
    );
  }
  return freezeResult({
    statistic,
    df: 1,
    pValue: chiSquaredUpperTail(statistic, 1),
    n: total,
    nExcluded: 0,
    method,
    alternative: "two-sided" as const,
    nullDistribution: "chi-squared(1)",
    warnings,
  });
}
