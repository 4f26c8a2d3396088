/**
 * Covariate balance before and after matching or weighting: standardised mean differences (cobalt and
 * MatchIt conventions, both labelled), variance ratios and Kolmogorov–Smirnov statistics.
 */
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import type { DesignColumn } from "../stats/regression/index.js";
import { freezeResult } from "../stats/result.js";
import { toDesignColumns } from "./design-matrix.js";
import { argsortNumbers, essOf, readTreat, readWeights, requireBothArms } from "./util.js";

export type BalanceEstimand = "ATE" | "ATT" | "ATC" | "ATO";

export interface BalanceInput {
  readonly treat: ArrayLike<number | boolean>;
  readonly covariates: readonly DesignColumn[] | Readonly<Record<string, ArrayLike<number>>>;
  /** Matching or weighting weights of the adjusted sample (0 = not in it). Omit for the unadjusted table only. */
  readonly weights?: ArrayLike<number>;
}

export interface BalanceOptions {
  /** Sets the SD denominator: ATT → treated SD, ATC → control SD, ATE/ATO → pooled √((s₁² + s₀²)/2). */
  readonly estimand: BalanceEstimand;
  /** |SMD| threshold for the pass/fail summary (default 0.1). */
  readonly threshold?: number;
  /** Compute the Kolmogorov–Smirnov statistics (default true; false skips sorting each continuous covariate). */
  readonly ks?: boolean;
}

/** Balance statistics of one covariate in one sample. */
export interface BalanceStats {
  readonly meanTreated: number;
  readonly meanControl: number;
  /** meanTreated − meanControl. */
  readonly meanDifference: number;
  /** cobalt `bal.tab` default: continuous standardised, binary the raw difference in proportions. */
  readonly smdCobalt: number | null;
  /** MatchIt `summary.matchit` (standardize = TRUE): binary standardised too, with variance p(1 − p). */
  readonly smdMatchIt: number | null;
  /** Weighted variance of treated / control (reliability weights); null for binary covariates. */
  readonly varianceRatio: number | null;
  /**
   * Kolmogorov–Smirnov statistic of the (weighted) eCDFs; |difference in proportions| for binaries;
   * null for a continuous covariate when not requested (`ks: false`).
   */
  readonly ks: number | null;
}

export interface BalanceRow {
  readonly name: string;
  readonly type: "binary" | "continuous";
  /** SD used to standardise (from the unadjusted sample; for binaries the MatchIt √(p(1 − p)) form). */
  readonly sdDenominator: number | null;
  readonly unadjusted: BalanceStats;
  readonly adjusted: BalanceStats | null;
  /** |smdCobalt| < threshold in the adjusted sample (the unadjusted one when no weights); null if not evaluable. */
  readonly balanced: boolean | null;
}

export interface BalanceSampleSize {
  readonly n: number;
  readonly sumWeights: number;
  readonly ess: number;
}

export interface BalanceSummary {
  readonly threshold: number;
  readonly nCovariates: number;
  readonly nImbalancedUnadjusted: number;
  readonly nImbalancedAdjusted: number | null;
  readonly maxAbsSmdUnadjusted: number | null;
  readonly maxAbsSmdAdjusted: number | null;
  /** Every evaluable covariate under the threshold in the adjusted sample (unadjusted when no weights). */
  readonly allBalanced: boolean;
  readonly imbalanced: readonly string[];
}

export interface BalanceResult {
  readonly estimand: BalanceEstimand;
  readonly rows: readonly BalanceRow[];
  readonly summary: BalanceSummary;
  readonly sampleSize: {
    readonly unadjusted: { readonly treated: BalanceSampleSize; readonly control: BalanceSampleSize };
    readonly adjusted: { readonly treated: BalanceSampleSize; readonly control: BalanceSampleSize } | null;
  };
  readonly method: string;
  readonly warnings: readonly Warning[];
}

const FN = "balanceTable";
const SQRT_EPS = Math.sqrt(Number.EPSILON);

interface Moments {
  mean: number;
  variance: number;
}

/** Weighted mean and variance (reliability weights: Σw(x−m)²·Σw/((Σw)² − Σw²); p(1 − p) for binaries). */
function armMoments(
  x: Float64Array,
  t: Uint8Array,
  w: Float64Array | null,
  binary: boolean,
): [Moments, Moments] {
  const sw = new Float64Array(2);
  const sw2 = new Float64Array(2);
  const swx = new Float64Array(2);
  const n = t.length;
  for (let i = 0; i < n; i++) {
    const a = t[i]!;
    const wi = w ? w[i]! : 1;
    if (wi === 0) continue;
    sw[a] = sw[a]! + wi;
    sw2[a] = sw2[a]! + wi * wi;
    swx[a] = swx[a]! + wi * x[i]!;
  }
  const m0 = swx[0]! / sw[0]!;
  const m1 = swx[1]! / sw[1]!;
  if (binary) {
    return [
      { mean: m0, variance: m0 * (1 - m0) },
      { mean: m1, variance: m1 * (1 - m1) },
    ];
  }
  let ss0 = 0;
  let ss1 = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    if (wi === 0) continue;
    if (t[i]) {
      const d = x[i]! - m1;
      ss1 += wi * d * d;
    } else {
      const d = x[i]! - m0;
      ss0 += wi * d * d;
    }
  }
  const v = (ss: number, a: number): number => (ss * sw[a]!) / (sw[a]! * sw[a]! - sw2[a]!);
  return [
    { mean: m0, variance: v(ss0, 0) },
    { mean: m1, variance: v(ss1, 1) },
  ];
}

/** MatchIt pooled_sd(contribution = "proportional") on the unadjusted sample: the fallback denominator. */
function pooledProportional(x: ArrayLike<number>, t: Uint8Array, binary: boolean): number {
  const n = t.length;
  let s1 = 0;
  let s0 = 0;
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    if (t[i]) {
      s1 += x[i]!;
      n1++;
    } else s0 += x[i]!;
  }
  const n0 = n - n1;
  if (binary) return Math.sqrt((s1 * (1 - s1 / n1) + s0 * (1 - s0 / n0)) / n);
  const m1 = s1 / n1;
  const m0 = s0 / n0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - (t[i] ? m1 : m0);
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 2));
}

/** Covariate values with arm and weight in ascending order of the value (gathered once). */
interface SortedCovariate {
  readonly x: Float64Array;
  readonly t: Uint8Array;
  readonly order: Uint32Array;
}

/** Max |F₁ − F₀| of the weighted eCDFs (weights normalised within arm), evaluated at every distinct value. */
function ksStatistic(sc: SortedCovariate, w: Float64Array | null): number {
  const { x, t, order } = sc;
  const n = x.length;
  let s1 = 0;
  let s0 = 0;
  let ws: Float64Array | null = null;
  if (w) {
    ws = new Float64Array(n);
    for (let k = 0; k < n; k++) ws[k] = w[order[k]!]!;
  }
  for (let k = 0; k < n; k++) {
    const wi = ws ? ws[k]! : 1;
    if (t[k]) s1 += wi;
    else s0 += wi;
  }
  let cum = 0;
  let best = 0;
  for (let k = 0; k < n; k++) {
    const wi = ws ? ws[k]! : 1;
    cum += t[k] ? wi / s1 : -wi / s0;
    if (k === n - 1 || x[k + 1] !== x[k]) {
      const a = Math.abs(cum);
      if (a > best) best = a;
    }
  }
  return best;
}

function stats(
  x: Float64Array,
  t: Uint8Array,
  w: Float64Array | null,
  binary: boolean,
  sdCont: number | null,
  sdBin: number | null,
  sorted: SortedCovariate | null,
  pre: [Moments, Moments] | null = null,
): BalanceStats {
  const [m0, m1] = pre ?? armMoments(x, t, w, binary);
  const diff = m1.mean - m0.mean;
  const smdMatchIt = binary ? (sdBin === null ? null : diff / sdBin) : sdCont === null ? null : diff / sdCont;
  const smdCobalt = binary ? diff : smdMatchIt;
  return {
    meanTreated: m1.mean,
    meanControl: m0.mean,
    meanDifference: diff,
    smdCobalt,
    smdMatchIt,
    varianceRatio: binary ? null : m0.variance > 0 ? m1.variance / m0.variance : null,
    ks: binary ? Math.abs(diff) : sorted ? ksStatistic(sorted, w) : null,
  };
}

function sampleSize(t: Uint8Array, w: Float64Array | null, arm: number): BalanceSampleSize {
  if (!w) {
    let n = 0;
    for (let i = 0; i < t.length; i++) if (t[i] === arm) n++;
    return { n, sumWeights: n, ess: n };
  }
  const e = essOf(w, t, arm);
  return { n: e.n, sumWeights: e.sum, ess: e.ess };
}

/**
 * Balance table for a binary treatment, before and (with `weights`) after adjustment.
 *
 * Standardised mean difference: (weighted) mean difference / an SD from the **unadjusted** sample:
 * ATT → treated SD, ATC → control SD, ATE/ATO → √((s₁² + s₀²)/2) (cobalt `s.d.denom`, MatchIt
 * `summary.matchit`). Continuous variances use n − 1; binary covariates (all values 0/1) are reported
 * both ways: `smdCobalt` = the raw difference in proportions (cobalt `bal.tab` default `binary =
 * "raw"`), `smdMatchIt` = standardised with variance p(1 − p) (MatchIt). When the chosen SD is 0,
 * MatchIt's fallback (pooled SD with proportional contributions) is used; if that is 0 too the SMD is
 * null (BALANCE_CONSTANT_COVARIATE). Weighted means Σwx/Σw; weighted variances with reliability
 * weights Σw(x − x̄)²·Σw/((Σw)² − Σw²) (cobalt `col_w_var`, MatchIt `wvar`); variance ratio
 * treated/control (not for binaries); KS = max |F₁ − F₀| of the weighted eCDFs (|Δp| for binaries).
 * The pass/fail summary uses |smdCobalt| < threshold (default 0.1).
 *
 * Missing covariate values throw (balance on complete cases only). Reference: Austin (2009), Stat
 * Med 28:3083–3107; Greifer, cobalt 4.x `bal.tab`; MatchIt 4.x `summary.matchit`.
 */
export function balanceTable(input: BalanceInput, options: BalanceOptions): BalanceResult {
  const t = readTreat(FN, input.treat);
  const n = t.length;
  requireBothArms(FN, t);
  const estimand = options.estimand;
  if (!["ATE", "ATT", "ATC", "ATO"].includes(estimand))
    throw new InvalidInputError(FN, `unknown estimand "${estimand}"`);
  const threshold = options.threshold ?? 0.1;
  if (!(threshold > 0)) throw new InvalidInputError(FN, "threshold must be positive");
  const cols = toDesignColumns(FN, input.covariates, n);
  if (cols.length === 0) throw new InvalidInputError(FN, "no covariates given");
  let w: Float64Array | null = null;
  if (input.weights) {
    w = readWeights(FN, input.weights, n).weights;
    let s1 = 0;
    let s0 = 0;
    for (let i = 0; i < n; i++) {
      if (t[i]) s1 += w[i]!;
      else s0 += w[i]!;
    }
    if (!(s1 > 0 && s0 > 0)) throw new InvalidInputError(FN, "the adjusted sample has no weight in one arm");
  }
  const warnings: Warning[] = [];
  const constant: string[] = [];
  const rows: BalanceRow[] = [];
  for (const c of cols) {
    const x = new Float64Array(n);
    let binary = true;
    for (let i = 0; i < n; i++) {
      const v = c.values[i] as number | null | undefined;
      if (v === null || v === undefined || Number.isNaN(v)) {
        throw new InvalidInputError(
          FN,
          `covariate "${c.name}" is missing at row ${i}: balance needs complete cases`,
        );
      }
      if (!Number.isFinite(v))
        throw new InvalidInputError(FN, `covariate "${c.name}" is infinite at row ${i}`);
      x[i] = v;
      if (v !== 0 && v !== 1) binary = false;
    }
    const un = armMoments(x, t, null, binary);
    const [m0, m1] = un;
    let v: number;
    if (estimand === "ATT") v = m1.variance;
    else if (estimand === "ATC") v = m0.variance;
    else v = (m1.variance + m0.variance) / 2;
    let sd: number | null = Math.sqrt(v);
    if (!(sd >= SQRT_EPS)) {
      const fallback = pooledProportional(x, t, binary);
      sd = fallback >= SQRT_EPS ? fallback : null;
    }
    if (sd === null) constant.push(c.name);
    let sorted: SortedCovariate | null = null;
    if (!binary && options.ks !== false) {
      const order = argsortNumbers(x);
      const xs = new Float64Array(n);
      const ts = new Uint8Array(n);
      for (let k = 0; k < n; k++) {
        const i = order[k]!;
        xs[k] = x[i]!;
        ts[k] = t[i]!;
      }
      sorted = { x: xs, t: ts, order };
    }
    const unadjusted = stats(x, t, null, binary, sd, sd, sorted, un);
    const adjusted = w ? stats(x, t, w, binary, sd, sd, sorted) : null;
    const ref = adjusted ?? unadjusted;
    rows.push({
      name: c.name,
      type: binary ? "binary" : "continuous",
      sdDenominator: sd,
      unadjusted,
      adjusted,
      balanced: ref.smdCobalt === null ? null : Math.abs(ref.smdCobalt) < threshold,
    });
  }
  if (constant.length > 0) {
    warnings.push(warning("BALANCE_CONSTANT_COVARIATE", constant.join(", "), { covariates: constant }));
  }
  const absMax = (f: (r: BalanceRow) => number | null | undefined): number | null => {
    let m: number | null = null;
    for (const r of rows) {
      const s = f(r);
      if (s === null || s === undefined) continue;
      const a = Math.abs(s);
      if (m === null || a > m) m = a;
    }
    return m;
  };
  const countOver = (f: (r: BalanceRow) => number | null | undefined): number =>
    rows.filter((r) => {
      const s = f(r);
      return s !== null && s !== undefined && Math.abs(s) >= threshold;
    }).length;
  const imbalanced = rows.filter((r) => r.balanced === false).map((r) => r.name);
  if (w && imbalanced.length > 0) {
    warnings.push(
      warning("BALANCE_NOT_ACHIEVED", `${imbalanced.join(", ")} (|SMD| ≥ ${threshold})`, {
        covariates: imbalanced,
      }),
    );
  }
  const summary: BalanceSummary = {
    threshold,
    nCovariates: rows.length,
    nImbalancedUnadjusted: countOver((r) => r.unadjusted.smdCobalt),
    nImbalancedAdjusted: w ? countOver((r) => r.adjusted?.smdCobalt) : null,
    maxAbsSmdUnadjusted: absMax((r) => r.unadjusted.smdCobalt),
    maxAbsSmdAdjusted: w ? absMax((r) => r.adjusted?.smdCobalt) : null,
    allBalanced: imbalanced.length === 0,
    imbalanced,
  };
  const denom =
    estimand === "ATT" ? "treated SD" : estimand === "ATC" ? "control SD" : "pooled SD √((s₁² + s₀²)/2)";
  return freezeResult({
    estimand,
    rows,
    summary,
    sampleSize: {
      unadjusted: { treated: sampleSize(t, null, 1), control: sampleSize(t, null, 0) },
      adjusted: w ? { treated: sampleSize(t, w, 1), control: sampleSize(t, w, 0) } : null,
    },
    method: `Balance: SMD with the ${denom} of the unadjusted sample (cobalt: binary = raw difference; MatchIt: binary standardised by √(p(1 − p))); reliability-weighted variances; variance ratio; weighted-eCDF KS; threshold ${threshold}`,
    warnings,
  });
}
