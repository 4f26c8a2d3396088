/**
 * Pre/post change within the same people: paired t for continuous outcomes, McNemar for binary ones.
 */
import { type Warning, warning } from "../messages.js";
import {
  binomialDistCdf,
  chiSquaredUpperTail,
  normalQuantile,
  normalTwoSidedP,
} from "../stats/distributions/index.js";
import { InsufficientDataError, InvalidInputError } from "../stats/errors.js";
import { freezeResult, type TestResult } from "../stats/result.js";
import { tTest } from "../stats/tests/index.js";
import { mapToFloat64 } from "../util/typed-map.js";
import type { EffectMeasure } from "./effects.js";
import { readNumbers, requireLength } from "./util.js";

export interface PairedInput {
  readonly pre: ArrayLike<number>;
  readonly post: ArrayLike<number>;
  readonly type: "continuous" | "binary";
}

export interface PairedResult {
  readonly type: "continuous" | "binary";
  /** Complete pairs. */
  readonly n: number;
  /** Pairs with a missing member. */
  readonly nExcluded: number;
  /** Mean (or proportion) before and after. */
  readonly pre: number;
  readonly post: number;
  /** Binary: a = 1→1, b = 1→0, c = 0→1, d = 0→0. */
  readonly table: { readonly a: number; readonly b: number; readonly c: number; readonly d: number } | null;
  /** post − pre. */
  readonly absolute: EffectMeasure;
  /** Continuous: mean change / SD(pre) (SD fixed); binary: p_post / p_pre. */
  readonly relative: EffectMeasure;
  readonly other: readonly EffectMeasure[];
  /** Paired t (continuous) or McNemar without correction (binary). */
  readonly test: TestResult;
  /** Binary only: McNemar with continuity correction (R mcnemar.test default) and the exact binomial test. */
  readonly testCorrected: TestResult | null;
  readonly testExact: TestResult | null;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

const FN = "pairedChange";

function em(
  name: string,
  scale: "absolute" | "relative",
  nullValue: 0 | 1,
  est: number | null,
  se: number | null,
  lo: number | null,
  hi: number | null,
  level: number,
  stat: number | null,
  p: number | null,
  n: number,
  nEx: number,
  method: string,
): EffectMeasure {
  return {
    measure: name,
    scale,
    nullValue,
    estimate: est,
    se,
    ci: { lower: lo, upper: hi, level },
    statistic: stat,
    pValue: p,
    n,
    nExcluded: nEx,
    method,
    warnings: [],
  };
}

/**
 * Change from pre to post in the same units. Continuous: mean change post − pre with the paired
 * t-test and t interval (R `t.test(post, pre, paired = TRUE)`); relative = standardised mean change
 * (mean change / SD of the pre scores, Becker 1988; CI = the t interval / SD, SD treated as fixed).
 * Binary: difference in paired proportions (c − b)/n with the Wald interval
 * SE = √(b + c − (c − b)²/n)/n (Agresti 2013 §11.1); ratio of paired proportions (a + c)/(a + b)
 * with log-scale SE √((b + c)/((a + b)(a + c))) (Agresti 2013 §11.1.4); conditional odds ratio c/b
 * with SE √(1/b + 1/c); McNemar χ² = (b − c)²/(b + c) without correction (test), with the
 * continuity correction (R `mcnemar.test` default) and the exact binomial test (2·P(X ≤ min(b, c)),
 * X ~ Bin(b + c, ½)). Pairs with a missing member are excluded and counted.
 */
export function pairedChange(
  input: PairedInput,
  options: { readonly confLevel?: number } = {},
): PairedResult {
  const level = options.confLevel ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InvalidInputError(FN, "confLevel must be in (0, 1)");
  const pre = readNumbers(FN, "pre", input.pre);
  const post = readNumbers(FN, "post", input.post);
  requireLength(FN, "post", post, pre.length);
  const keep: number[] = [];
  for (let i = 0; i < pre.length; i++) if (!Number.isNaN(pre[i]!) && !Number.isNaN(post[i]!)) keep.push(i);
  const n = keep.length;
  const nEx = pre.length - n;
  const warnings: Warning[] = [];
  if (nEx > 0)
    warnings.push(warning("MISSING_DROPPED", `${nEx} pair(s) with a missing member`, { count: nEx }));
  if (input.type === "continuous") {
    if (n < 2) throw new InsufficientDataError(FN, 2, n);
    const x = mapToFloat64(keep, (i) => post[i]!);
    const y = mapToFloat64(keep, (i) => pre[i]!);
    const tt = tTest(x, y, { type: "paired", confLevel: level });
    let mPre = 0;
    for (const v of y) mPre += v;
    mPre /= n;
    let mPost = 0;
    for (const v of x) mPost += v;
    mPost /= n;
    let ss = 0;
    for (const v of y) ss += (v - mPre) ** 2;
    const sdPre = Math.sqrt(ss / (n - 1));
    const absolute = em(
      "mean change",
      "absolute",
      0,
      tt.estimate,
      tt.se,
      tt.ci.lower,
      tt.ci.upper,
      level,
      tt.statistic,
      tt.pValue,
      n,
      nEx,
      tt.method,
    );
    const ok = sdPre > 0 && tt.estimate !== null;
    const relative = em(
      "standardised mean change",
      "relative",
      0,
      ok ? tt.estimate! / sdPre : null,
      ok && tt.se !== null ? tt.se / sdPre : null,
      ok && tt.ci.lower !== null ? tt.ci.lower / sdPre : null,
      ok && tt.ci.upper !== null ? tt.ci.upper / sdPre : null,
      level,
      tt.statistic,
      tt.pValue,
      n,
      nEx,
      "Standardised mean change: mean change / SD of the pre scores (SD treated as fixed)",
    );
    const test: TestResult = {
      statistic: tt.statistic,
      df: tt.df,
      pValue: tt.pValue,
      n,
      nExcluded: nEx,
      method: tt.method,
      alternative: "two-sided",
      nullDistribution: "t",
      warnings: tt.warnings,
    };
    return freezeResult({
      type: "continuous" as const,
      n,
      nExcluded: nEx,
      pre: mPre,
      post: mPost,
      table: null,
      absolute,
      relative,
      other: [],
      test,
      testCorrected: null,
      testExact: null,
      method: "Paired change (post − pre): paired t-test (R t.test paired = TRUE)",
      warnings,
    });
  }
  if (input.type !== "binary") throw new InvalidInputError(FN, `unknown type "${String(input.type)}"`);
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (const i of keep) {
    const u = pre[i]!;
    const v = post[i]!;
    if ((u !== 0 && u !== 1) || (v !== 0 && v !== 1))
      throw new InvalidInputError(FN, `binary values must be 0/1 (row ${i})`);
    if (u === 1 && v === 1) a++;
    else if (u === 1) b++;
    else if (v === 1) c++;
    else d++;
  }
  if (n === 0) throw new InsufficientDataError(FN, 1, 0);
  const z = normalQuantile(0.5 + level / 2);
  const pPre = (a + b) / n;
  const pPost = (a + c) / n;
  const rd = (c - b) / n;
  const seRd = Math.sqrt(Math.max(b + c - (c - b) ** 2 / n, 0)) / n;
  const disc = b + c;
  const stat = disc > 0 ? (b - c) ** 2 / disc : null;
  const pMc = stat === null ? null : chiSquaredUpperTail(stat, 1);
  const statC = disc > 0 ? (Math.abs(b - c) - 1) ** 2 / disc : null;
  const pMcC = statC === null ? null : chiSquaredUpperTail(statC, 1);
  const pExact = disc > 0 ? Math.min(1, 2 * binomialDistCdf(Math.min(b, c), disc, 0.5)) : null;
  const absolute = em(
    "difference in paired proportions",
    "absolute",
    0,
    rd,
    seRd,
    rd - z * seRd,
    rd + z * seRd,
    level,
    seRd > 0 ? rd / seRd : null,
    seRd > 0 ? normalTwoSidedP(rd / seRd) : null,
    n,
    nEx,
    "Difference in paired proportions (c − b)/n, Wald interval (Agresti 2013 §11.1)",
  );
  let relative: EffectMeasure;
  if (a + b > 0 && a + c > 0) {
    const rr = (a + c) / (a + b);
    const se = Math.sqrt(disc / ((a + b) * (a + c)));
    relative = em(
      "ratio of paired proportions",
      "relative",
      1,
      rr,
      se,
      rr * Math.exp(-z * se),
      rr * Math.exp(z * se),
      level,
      se > 0 ? Math.log(rr) / se : null,
      se > 0 ? normalTwoSidedP(Math.log(rr) / se) : null,
      n,
      nEx,
      "Ratio of paired proportions (a + c)/(a + b), log-scale Wald interval, SE √((b + c)/((a + b)(a + c)))",
    );
  } else {
    relative = em(
      "ratio of paired proportions",
      "relative",
      1,
      null,
      null,
      null,
      null,
      level,
      null,
      null,
      n,
      nEx,
      "not evaluable: no events before or after",
    );
    warnings.push(warning("EFFECT_NOT_EVALUABLE", "ratio of paired proportions: no events before or after"));
  }
  const other: EffectMeasure[] = [];
  if (b > 0 && c > 0) {
    const or = c / b;
    const se = Math.sqrt(1 / b + 1 / c);
    other.push(
      em(
        "conditional odds ratio",
        "relative",
        1,
        or,
        se,
        or * Math.exp(-z * se),
        or * Math.exp(z * se),
        level,
        Math.log(or) / se,
        normalTwoSidedP(Math.log(or) / se),
        n,
        nEx,
        "Conditional (McNemar) odds ratio c/b, log-scale Wald interval",
      ),
    );
  }
  if (disc < 25)
    warnings.push(warning("FEW_DISCORDANT_PAIRS", `${disc} discordant pair(s)`, { discordant: disc }));
  const mk = (
    s: number | null,
    p: number | null,
    method: string,
    dist: string,
    df: number | null,
  ): TestResult => ({
    statistic: s,
    df,
    pValue: p,
    n,
    nExcluded: nEx,
    method,
    alternative: "two-sided",
    nullDistribution: dist,
    warnings: [],
  });
  return freezeResult({
    type: "binary" as const,
    n,
    nExcluded: nEx,
    pre: pPre,
    post: pPost,
    table: { a, b, c, d },
    absolute,
    relative,
    other,
    test: mk(stat, pMc, "McNemar's chi-squared test without continuity correction", "chi-squared", 1),
    testCorrected: mk(
      statC,
      pMcC,
      "McNemar's chi-squared test with continuity correction (R mcnemar.test default)",
      "chi-squared",
      1,
    ),
    testExact: mk(
      null,
      pExact,
      "Exact McNemar test (two-sided binomial on the discordant pairs)",
      "binomial",
      null,
    ),
    method: "Paired binary change: difference and ratio of paired proportions; McNemar tests",
    warnings,
  });
}
