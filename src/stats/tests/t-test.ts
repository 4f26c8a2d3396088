import { type Warning, warning } from "../../messages.js";
import { studentTQuantile, studentTTwoSidedP, studentTUpperTail } from "../distributions/index.js";
import { InsufficientDataError, InvalidInputError } from "../errors.js";
import { type Estimate, freezeResult, type TestResult } from "../result.js";
import { cleanSample, mean, pairedDifferences, sampleVariance } from "./sample.js";

/** Which t-test: Welch (unequal variances, the default, as R), Student (pooled variance) or paired. */
export type TTestType = "welch" | "student" | "paired";

/** Options for {@link tTest}. */
export interface TTestOptions {
  /** Test type for two samples; default "welch". Ignored (must not be "paired") for one sample. */
  readonly type?: TTestType;
  /** Null value of the mean (one-sample/paired) or of the mean difference; default 0. */
  readonly mu?: number;
  /** Alternative hypothesis; default "two-sided". */
  readonly alternative?: "two-sided" | "less" | "greater";
  /** Coverage level in (0, 1); default 0.95. */
  readonly confLevel?: number;
}

/**
 * A t-test result: the estimate (mean, mean of differences, or mean(x) − mean(y)) with its standard
 * error and interval, plus the test. One-sided alternatives give a one-sided interval whose open
 * end is null (unbounded).
 */
export interface TTestResult extends Estimate, TestResult {
  readonly mu: number;
  /** Mean of x (of the differences for a paired test). */
  readonly meanX: number;
  /** Mean of y; null for one-sample and paired tests. */
  readonly meanY: number | null;
  readonly alternative: "two-sided" | "less" | "greater";
}

/**
 * Student's t-test for one mean, paired means, or two independent means, as R's `t.test`.
 *
 * Variants: one-sample (y omitted); paired (differences x − y over complete pairs); Welch's
 * two-sample test with Welch–Satterthwaite df (default, R `var.equal = FALSE`); Student's pooled-
 * variance test (R `var.equal = TRUE`). The interval is mu + (t ± t_{df, 1−α/2})·se, one-sided for
 * "less"/"greater". p-values come from the regularized incomplete beta function, so they keep full
 * relative precision in the tail.
 *
 * Missing values (NaN, null) are excluded and counted (pairs with a missing member for paired
 * tests) with a MISSING_DROPPED warning; ±Infinity throws.
 *
 * Reference: R `stats::t.test`; Welch, B. L. (1947). Biometrika 34, 28–35.
 *
 * @param x - first sample
 * @param y - second sample (omit for a one-sample test; same length as x for a paired test)
 * @param options - type ("welch"), mu (0), alternative ("two-sided"), confLevel (0.95)
 * @returns a frozen TTestResult
 * @throws InsufficientDataError when a sample is too small (one-sample/paired/Welch need 2 per
 *   sample; Student needs 1 per sample and 3 in total)
 * @throws InvalidInputError on ±Infinity, bad options, or "data are essentially constant" (standard
 *   error ≤ 10·ε·|mean|, R's check; includes a standard error of 0)
 * @example tTest([1, 2, 3, 4], [2, 4, 6, 8.5]) // Welch: t ≈ −1.713, df ≈ 4.236
 */
export function tTest(x: ArrayLike<number>, y?: ArrayLike<number>, options: TTestOptions = {}): TTestResult {
  const fn = "tTest";
  const type = options.type ?? "welch";
  const mu = options.mu ?? 0;
  const alternative = options.alternative ?? "two-sided";
  const level = options.confLevel ?? 0.95;
  if (type !== "welch" && type !== "student" && type !== "paired") {
    throw new InvalidInputError(fn, `type must be "welch", "student" or "paired"`);
  }
  if (alternative !== "two-sided" && alternative !== "less" && alternative !== "greater") {
    throw new InvalidInputError(fn, `alternative must be "two-sided", "less" or "greater"`);
  }
  if (typeof mu !== "number" || !Number.isFinite(mu)) throw new InvalidInputError(fn, "mu must be finite");
  if (typeof level !== "number" || !(level > 0 && level < 1)) {
    throw new InvalidInputError(fn, "confLevel must be strictly between 0 and 1");
  }

  let estimate: number;
  let se: number;
  let df: number;
  let n: number;
  let nExcluded: number;
  let meanX: number;
  let meanY: number | null = null;
  let method: string;
  const eps = Number.EPSILON;

  if (y === undefined || type === "paired") {
    if (type === "paired" && y === undefined) throw new InvalidInputError(fn, "a paired test needs y");
    const sample = y === undefined ? cleanSample(fn, "x", x) : pairedDifferences(fn, x, y);
    const v = sample.values;
    if (v.length < 2) throw new InsufficientDataError(fn, 2, v.length);
    meanX = mean(v);
    se = Math.sqrt(sampleVariance(v, meanX) / v.length);
    if (se <= 10 * eps * Math.abs(meanX)) throw new InvalidInputError(fn, "data are essentially constant");
    estimate = meanX;
    df = v.length - 1;
    n = v.length;
    nExcluded = sample.nExcluded;
    method = y === undefined ? "one-sample t-test" : "paired t-test (mean of differences x − y)";
  } else {
    const sx = cleanSample(fn, "x", x);
    const sy = cleanSample(fn, "y", y);
    const nx = sx.values.length;
    const ny = sy.values.length;
    const need = type === "welch" ? 2 : 1;
    if (nx < need) throw new InsufficientDataError(fn, need, nx);
    if (ny < need) throw new InsufficientDataError(fn, need, ny);
    if (nx + ny < 3) throw new InsufficientDataError(fn, 3, nx + ny);
    meanX = mean(sx.values);
    meanY = mean(sy.values);
    const vx = nx > 1 ? sampleVariance(sx.values, meanX) : 0;
    const vy = ny > 1 ? sampleVariance(sy.values, meanY) : 0;
    if (type === "student") {
      df = nx + ny - 2;
      const pooled = ((nx - 1) * vx + (ny - 1) * vy) / df;
      se = Math.sqrt(pooled * (1 / nx + 1 / ny));
      method = "Student two-sample t-test (pooled variance)";
    } else {
      const ex = vx / nx;
      const ey = vy / ny;
      se = Math.sqrt(ex + ey);
      df = (ex + ey) ** 2 / ((ex * ex) / (nx - 1) + (ey * ey) / (ny - 1));
      method = "Welch two-sample t-test (Welch-Satterthwaite df)";
    }
    if (se <= 10 * eps * Math.max(Math.abs(meanX), Math.abs(meanY))) {
      throw new InvalidInputError(fn, "data are essentially constant");
    }
    estimate = meanX - meanY;
    n = nx + ny;
    nExcluded = sx.nExcluded + sy.nExcluded;
  }

  const t = (estimate - mu) / se;
  let pValue: number;
  let lower: number | null;
  let upper: number | null;
  if (alternative === "less") {
    pValue = studentTUpperTail(-t, df);
    lower = null;
    upper = mu + (t + studentTQuantile(level, df)) * se;
  } else if (alternative === "greater") {
    pValue = studentTUpperTail(t, df);
    lower = mu + (t - studentTQuantile(level, df)) * se;
    upper = null;
  } else {
    pValue = studentTTwoSidedP(t, df);
    const q = studentTQuantile(1 - (1 - level) / 2, df);
    lower = mu + (t - q) * se;
    upper = mu + (t + q) * se;
  }
  const warnings: Warning[] = [];
  if (nExcluded > 0) warnings.push(warning("MISSING_DROPPED", `${nExcluded} excluded`, { nExcluded }));
  return freezeResult({
    estimate,
    se,
    ci: { lower, upper, level },
    statistic: t,
    df,
    pValue,
    n,
    nExcluded,
    method,
    alternative,
    nullDistribution: `t(${df})`,
    mu,
    meanX,
    meanY,
    warnings,
  });
}
