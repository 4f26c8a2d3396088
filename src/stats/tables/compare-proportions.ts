import { type Warning, warning } from "../../messages.js";
import { normalQuantile } from "../distributions/index.js";
import { InvalidInputError } from "../errors.js";
import { type Estimate, freezeResult, makeEstimate, type TestResult } from "../result.js";
import { chiSquared2x2 } from "./chi-squared-2x2.js";
import { fisherExact2x2 } from "./fisher-exact.js";
import { proportionBounds, proportionCI } from "./proportion-ci.js";
import { requireConfLevel, requireCount } from "./validate.js";

/** A 2×2 table: a, b = events and non-events in group 1; c, d = events and non-events in group 2. */
export interface TwoByTwoCounts {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

/** Two binomial samples: x1 events of n1 in group 1, x2 events of n2 in group 2. */
export interface TwoProportionCounts {
  readonly x1: number;
  readonly n1: number;
  readonly x2: number;
  readonly n2: number;
}

/** Options for {@link compareProportions}. */
export interface CompareProportionsOptions {
  /** Coverage of every interval, in (0, 1); default 0.95. */
  readonly confLevel?: number;
  /**
   * What to do when a zero cell makes the risk ratio or Woolf odds ratio infinite or undefined:
   * "none" (default) reports them as not evaluable (null, ZERO_CELL warning); "add-0.5" adds 0.5 to
   * every cell of the table for those two contrasts (Haldane–Anscombe), with a CONTINUITY_CORRECTION
   * warning. Never affects the risk difference, tests or the conditional odds ratio.
   */
  readonly zeroCellCorrection?: "none" | "add-0.5";
  /**
   * Whether the event is harmful (default; fewer events in group 1 is a benefit) or beneficial (more
   * events in group 1 is a benefit). Only labels the number needed to treat as NNTB or NNTH.
   */
  readonly eventIs?: "harmful" | "beneficial";
}

/** One end of the NNT interval in Altman's (1998) notation; `value` null means infinity. */
export interface NntBound {
  readonly kind: "NNTB" | "NNTH";
  readonly value: number | null;
}

/**
 * Number needed to treat, 1/|risk difference|. `estimate` is the positive number of people
 * (null when the risk difference is 0); `direction` says whether it is a number needed to treat for
 * one to benefit (NNTB) or to be harmed (NNTH). When the risk-difference interval excludes 0, `ci`
 * holds both finite bounds in the same units; when it includes 0 the interval runs through infinity
 * (Altman 1998): `ci.lower` is the bound on the estimate's side, `ci.upper` is null (unbounded),
 * and `ciEnds` gives both ends in NNTB/NNTH terms (the images of the lower and upper RD bounds).
 * `se` is null (no standard error is defined for NNT).
 */
export interface NntEstimate extends Estimate {
  readonly direction: "NNTB" | "NNTH" | null;
  readonly ciThroughInfinity: boolean;
  readonly ciEnds: readonly [NntBound, NntBound] | null;
}

/** The result of {@link compareProportions}: every contrast an Estimate, every test a TestResult. */
export interface ProportionComparison {
  readonly table: TwoByTwoCounts;
  /** Group 1 risk a/(a + b) with its Wilson interval. */
  readonly risk1: Estimate;
  /** Group 2 risk c/(c + d) with its Wilson interval. */
  readonly risk2: Estimate;
  /** p1 − p2 with Newcombe's hybrid score interval (method 10). */
  readonly riskDifference: Estimate;
  /** p1 − p2 with the Wald interval. */
  readonly riskDifferenceWald: Estimate;
  /** p1 / p2 with the Katz log interval; `se` is the SE of log(RR). */
  readonly riskRatio: Estimate;
  /** ad / bc with the Woolf log interval; `se` is the SE of log(OR). */
  readonly oddsRatio: Estimate;
  /** Conditional maximum-likelihood odds ratio with its exact interval (R fisher.test). */
  readonly oddsRatioConditional: Estimate;
  /** 1 / |p1 − p2| with the interval from inverting the Newcombe RD interval (Altman 1998). */
  readonly numberNeededToTreat: NntEstimate;
  /** Pearson chi-squared without continuity correction (the toolkit default). */
  readonly chiSquared: TestResult;
  /** Pearson chi-squared with Yates' correction (R chisq.test / prop.test default). */
  readonly chiSquaredYates: TestResult;
  /** Fisher's exact test, two-sided (statistic and df null: the test has none). */
  readonly fisherExact: TestResult;
  readonly n: number;
  readonly nExcluded: number;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

const FN = "compareProportions";

function toTable(counts: TwoByTwoCounts | TwoProportionCounts): TwoByTwoCounts {
  if (counts === null || typeof counts !== "object")
    throw new InvalidInputError(FN, "counts must be an object");
  if ("a" in counts) {
    const { a, b, c, d } = counts;
    requireCount(FN, "a", a);
    requireCount(FN, "b", b);
    requireCount(FN, "c", c);
    requireCount(FN, "d", d);
    return { a, b, c, d };
  }
  if ("x1" in counts) {
    const { x1, n1, x2, n2 } = counts;
    requireCount(FN, "x1", x1);
    requireCount(FN, "n1", n1);
    requireCount(FN, "x2", x2);
    requireCount(FN, "n2", n2);
    if (x1 > n1) throw new InvalidInputError(FN, `x1 (${x1}) must not exceed n1 (${n1})`);
    if (x2 > n2) throw new InvalidInputError(FN, `x2 (${x2}) must not exceed n2 (${n2})`);
    return { a: x1, b: n1 - x1, c: x2, d: n2 - x2 };
  }
  throw new InvalidInputError(FN, "counts must be { a, b, c, d } or { x1, n1, x2, n2 }");
}

function notEvaluable(n: number, level: number, method: string, warnings: readonly Warning[]): Estimate {
  return makeEstimate({
    estimate: null,
    se: null,
    ci: { lower: null, upper: null, level },
    n,
    method,
    warnings,
  });
}

/**
 * Compares two independent binomial proportions from a 2×2 table: risk difference, risk ratio,
 * odds ratio, number needed to treat, chi-squared and Fisher's exact tests.
 *
 * Variants: risk difference with Newcombe's hybrid score interval (method 10: Wilson intervals
 * without continuity correction for each risk, combined by the square-and-add rule) and with the
 * Wald interval (truncated to [−1, 1]); risk ratio with the Katz log interval
 * exp(log RR ± z·√(1/a − 1/(a+b) + 1/c − 1/(c+d))); odds ratio with the Woolf log interval
 * exp(log OR ± z·√(1/a + 1/b + 1/c + 1/d)); the conditional MLE odds ratio with its exact interval
 * and Fisher's two-sided p-value as R's `fisher.test` (roots solved to machine precision rather than
 * uniroot's ~1e-4); Pearson's chi-squared with and without Yates' correction as `chisq.test`;
 * NNT = 1/|RD| with the interval from inverting the Newcombe RD interval (Altman 1998: through
 * infinity when that interval includes 0). Zero cells never produce Infinity: a risk or odds ratio
 * that would be infinite or undefined is null with a ZERO_CELL warning unless
 * `zeroCellCorrection: "add-0.5"` is set.
 *
 * References: Newcombe, R. G. (1998). Interval estimation for the difference between independent
 * proportions: comparison of eleven methods. Statistics in Medicine 17, 873–890. Katz, D. et al.
 * (1978) Biometrics 34, 469–474. Woolf, B. (1955) Ann Hum Genet 19, 251–253. Altman, D. G. (1998).
 * Confidence intervals for the number needed to treat. BMJ 317, 1309–1312. R `fisher.test`,
 * `chisq.test`.
 *
 * @param counts - { a, b, c, d } (group 1 events/non-events, group 2 events/non-events) or
 *   { x1, n1, x2, n2 }
 * @param options - confLevel (0.95), zeroCellCorrection ("none"), eventIs ("harmful")
 * @returns a frozen ProportionComparison
 * @throws InvalidInputError for non-integer or negative counts, x > n, or a bad option
 * @example compareProportions({ x1: 56, n1: 70, x2: 48, n2: 80 }).riskDifference
 *   // estimate 0.2, ci ≈ [0.0524, 0.3339] (Newcombe 1998, Table II, method 10)
 */
export function compareProportions(
  counts: TwoByTwoCounts | TwoProportionCounts,
  options: CompareProportionsOptions = {},
): ProportionComparison {
  const level = options.confLevel ?? 0.95;
  requireConfLevel(FN, level);
  const correction = options.zeroCellCorrection ?? "none";
  if (correction !== "none" && correction !== "add-0.5") {
    throw new InvalidInputError(FN, `zeroCellCorrection must be "none" or "add-0.5"`);
  }
  const eventIs = options.eventIs ?? "harmful";
  if (eventIs !== "harmful" && eventIs !== "beneficial") {
    throw new InvalidInputError(FN, `eventIs must be "harmful" or "beneficial"`);
  }
  const table = toTable(counts);
  const { a, b, c, d } = table;
  const n1 = a + b;
  const n2 = c + d;
  const total = n1 + n2;
  const z = normalQuantile(1 - (1 - level) / 2);

  const topWarnings: Warning[] = [];
  const zeroCells = (["a", "b", "c", "d"] as const).filter((key) => table[key] === 0);
  if (zeroCells.length > 0) {
    topWarnings.push(warning("ZERO_CELL", `zero cells: ${zeroCells.join(", ")}`, { cells: zeroCells }));
  }
  const emptyGroups: string[] = [];
  if (n1 === 0) emptyGroups.push("group 1");
  if (n2 === 0) emptyGroups.push("group 2");
  const emptyWarning =
    emptyGroups.length > 0 ? warning("EMPTY_DENOMINATOR", emptyGroups.join(" and ")) : null;
  if (emptyWarning) topWarnings.push(emptyWarning);

  const risk1 = proportionCI(a, n1, { method: "wilson", confLevel: level });
  const risk2 = proportionCI(c, n2, { method: "wilson", confLevel: level });

  // Risk difference: Newcombe hybrid score (method 10) and Wald.
  const rdNewcombeMethod =
    "risk difference p1 − p2, Newcombe hybrid score interval (method 10, Wilson without continuity correction)";
  const rdWaldMethod = "risk difference p1 − p2, Wald interval truncated to [−1, 1]";
  let riskDifference: Estimate;
  let riskDifferenceWald: Estimate;
  if (emptyWarning) {
    riskDifference = notEvaluable(total, level, rdNewcombeMethod, [emptyWarning]);
    riskDifferenceWald = notEvaluable(total, level, rdWaldMethod, [emptyWarning]);
  } else {
    const p1 = a / n1;
    const p2 = c / n2;
    const rd = p1 - p2;
    const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
    const [l1, u1] = proportionBounds(a, n1, "wilson", level);
    const [l2, u2] = proportionBounds(c, n2, "wilson", level);
    riskDifference = makeEstimate({
      estimate: rd,
      se,
      ci: { lower: rd - Math.hypot(p1 - l1, u2 - p2), upper: rd + Math.hypot(u1 - p1, p2 - l2), level },
      n: total,
      method: rdNewcombeMethod,
    });
    riskDifferenceWald = makeEstimate({
      estimate: rd,
      se,
      ci: { lower: Math.max(-1, rd - z * se), upper: Math.min(1, rd + z * se), level },
      n: total,
      method: rdWaldMethod,
      warnings: se === 0 ? [warning("ZERO_WIDTH_INTERVAL", "Wald risk difference")] : [],
    });
  }

  // Risk ratio (Katz) and odds ratio (Woolf), with the optional 0.5 correction.
  const ratio = (kind: "rr" | "or"): Estimate => {
    const base =
      kind === "rr"
        ? "risk ratio p1 / p2, Katz log interval (se on the log scale)"
        : "odds ratio ad / bc, Woolf log interval (se on the log scale)";
    if (emptyWarning) return notEvaluable(total, level, base, [emptyWarning]);
    const needed = kind === "rr" ? a === 0 || c === 0 : a === 0 || b === 0 || c === 0 || d === 0;
    let [aa, bb, cc, dd] = [a, b, c, d];
    let method = base;
    const warnings: Warning[] = [];
    if (needed) {
      const cells = (kind === "rr" ? (["a", "c"] as const) : (["a", "b", "c", "d"] as const)).filter(
        (key) => table[key] === 0,
      );
      const zw = warning(
        "ZERO_CELL",
        `${kind === "rr" ? "risk" : "odds"} ratio: zero cells ${cells.join(", ")}`,
        {
          cells,
        },
      );
      if (correction === "none") return notEvaluable(total, level, base, [zw]);
      [aa, bb, cc, dd] = [a + 0.5, b + 0.5, c + 0.5, d + 0.5];
      method = `${base}, 0.5 added to every cell`;
      warnings.push(zw, warning("CONTINUITY_CORRECTION", kind === "rr" ? "risk ratio" : "odds ratio"));
    }
    let logEst: number;
    let seLog: number;
    if (kind === "rr") {
      const m1 = aa + bb;
      const m2 = cc + dd;
      logEst = Math.log(aa / m1) - Math.log(cc / m2);
      seLog = Math.sqrt(Math.max(0, 1 / aa - 1 / m1 + 1 / cc - 1 / m2));
    } else {
      logEst = Math.log(aa) + Math.log(dd) - Math.log(bb) - Math.log(cc);
      seLog = Math.sqrt(1 / aa + 1 / bb + 1 / cc + 1 / dd);
    }
    if (seLog === 0) warnings.push(warning("ZERO_WIDTH_INTERVAL", base));
    return makeEstimate({
      estimate: Math.exp(logEst),
      se: seLog,
      ci: { lower: Math.exp(logEst - z * seLog), upper: Math.exp(logEst + z * seLog), level },
      n: total,
      method,
      warnings,
    });
  };
  const riskRatio = ratio("rr");
  const oddsRatio = ratio("or");

  // Conditional MLE odds ratio and Fisher's exact test.
  const fisherMethod =
    "Fisher's exact test, two-sided (R fisher.test: probabilities ≤ observed × (1 + 1e-7))";
  const condMethod =
    "conditional maximum-likelihood odds ratio with exact interval (R fisher.test, roots to machine precision)";
  const fisher = fisherExact2x2(a, b, c, d, level);
  let oddsRatioConditional: Estimate;
  const fisherWarnings: Warning[] = [];
  if (fisher.degenerate) {
    const zm = warning("ZERO_MARGIN", "conditional odds ratio");
    fisherWarnings.push(zm);
    oddsRatioConditional = notEvaluable(total, level, condMethod, [zm]);
  } else {
    const w: Warning[] = [];
    if (fisher.oddsRatio === null || fisher.oddsRatio === 0) {
      w.push(
        warning(
          "ZERO_CELL",
          "the conditional odds ratio is at the boundary (0 or infinite); infinite values are null",
          {
            estimateInfinite: fisher.oddsRatio === null,
            upperInfinite: fisher.upper === null,
          },
        ),
      );
    }
    oddsRatioConditional = makeEstimate({
      estimate: fisher.oddsRatio,
      se: null,
      ci: { lower: fisher.lower, upper: fisher.upper, level },
      n: total,
      method: condMethod,
      warnings: w,
    });
  }
  const fisherExact: TestResult = freezeResult({
    statistic: null,
    df: null,
    pValue: fisher.pValue,
    n: total,
    nExcluded: 0,
    method: fisherMethod,
    alternative: "two-sided" as const,
    nullDistribution: "hypergeometric (margins fixed)",
    warnings: fisherWarnings,
  });

  const numberNeededToTreat = nnt(riskDifference, eventIs, total, level);

  return freezeResult({
    table: { a, b, c, d },
    risk1,
    risk2,
    riskDifference,
    riskDifferenceWald,
    riskRatio,
    oddsRatio,
    oddsRatioConditional,
    numberNeededToTreat,
    chiSquared: chiSquared2x2(a, b, c, d, false),
    chiSquaredYates: chiSquared2x2(a, b, c, d, true),
    fisherExact,
    n: total,
    nExcluded: 0,
    method: "comparison of two independent proportions (group 1 − group 2)",
    warnings: topWarnings,
  });
}

/** Internal: NNT from a risk-difference Estimate (Altman 1998). */
function nnt(rd: Estimate, eventIs: "harmful" | "beneficial", n: number, level: number): NntEstimate {
  const method = `number needed to treat 1/|p1 − p2|, interval by inverting the Newcombe risk-difference interval (Altman 1998), event ${eventIs}`;
  // A positive RD means more events in group 1: harm when events are harmful.
  const kindOf = (diff: number): "NNTB" | "NNTH" => (diff > 0 === (eventIs === "harmful") ? "NNTH" : "NNTB");
  const empty = (warnings: readonly Warning[]): NntEstimate =>
    freezeResult({
      ...makeEstimate({
        estimate: null,
        se: null,
        ci: { lower: null, upper: null, level },
        n,
        method,
        warnings,
      }),
      direction: null,
      ciThroughInfinity: false,
      ciEnds: null,
    });
  const est = rd.estimate;
  const lo = rd.ci.lower;
  const hi = rd.ci.upper;
  if (est === null || lo === null || hi === null) return empty(rd.warnings);
  const ends: [NntBound, NntBound] = [
    { kind: kindOf(lo), value: lo === 0 ? null : 1 / Math.abs(lo) },
    { kind: kindOf(hi), value: hi === 0 ? null : 1 / Math.abs(hi) },
  ];
  const through = lo <= 0 && hi >= 0;
  const warnings: Warning[] = [];
  if (through) warnings.push(warning("NNT_CI_THROUGH_INFINITY"));
  if (est === 0) {
    warnings.push(warning("NNT_INFINITE"));
    return freezeResult({
      ...makeEstimate({
        estimate: null,
        se: null,
        ci: { lower: null, upper: null, level },
        n,
        method,
        warnings,
      }),
      direction: null,
      ciThroughInfinity: through,
      ciEnds: ends,
    });
  }
  const value = 1 / Math.abs(est);
  let ci: { lower: number | null; upper: number | null; level: number };
  if (!through) {
    const a = 1 / Math.abs(lo);
    const b = 1 / Math.abs(hi);
    ci = { lower: Math.min(a, b), upper: Math.max(a, b), level };
  } else {
    const sameSide = est > 0 ? hi : lo;
    ci = { lower: sameSide === 0 ? null : 1 / Math.abs(sameSide), upper: null, level };
  }
  return freezeResult({
    ...makeEstimate({ estimate: value, se: null, ci, n, method, warnings }),
    direction: kindOf(est),
    ciThroughInfinity: through,
    ciEnds: ends,
  });
}
