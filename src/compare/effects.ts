/**
 * Treatment effects in an adjusted (matched or weighted) or randomised sample: one absolute and one
 * relative contrast with CIs for every outcome type (MEASURES §1.6), arm-level estimates, E-values.
 */
import { type Warning, warning } from "../messages.js";
import { normalQuantile, normalTwoSidedP } from "../stats/distributions/index.js";
import { InvalidInputError } from "../stats/errors.js";
import { type DesignColumn, type GlmResult, glm } from "../stats/regression/index.js";
import { type Estimate, freezeResult } from "../stats/result.js";
import { type CoxPHResult, coxPH } from "../stats/survival/cox.js";
import { type KaplanMeierResult, kaplanMeier } from "../stats/survival/kaplan-meier.js";
import { kaplanMeierAtTimes } from "../stats/survival/kaplan-meier-at-times.js";
import { mapToFloat64 } from "../util/typed-map.js";
import { toDesignColumns } from "./design-matrix.js";
import { type EValueResult, eValue } from "./evalue.js";
import { stackedVcov } from "./m-estimation.js";
import {
  essOf,
  type Label,
  readNumbers,
  readTreat,
  readWeights,
  requireBothArms,
  requireLength,
} from "./util.js";
import type { WeightEstimand } from "./weighting.js";

/** The outcome of a comparison, one value per unit. NaN/null = missing (excluded and counted). */
export type Outcome =
  | { readonly type: "binary"; readonly y: ArrayLike<number> }
  | { readonly type: "continuous"; readonly y: ArrayLike<number> }
  | { readonly type: "count"; readonly y: ArrayLike<number>; readonly personTime: ArrayLike<number> }
  | {
      readonly type: "timeToEvent";
      readonly time: ArrayLike<number>;
      readonly status: ArrayLike<number>;
      /** Horizon (same unit as time) for the absolute contrast: difference in cumulative incidence at it. */
      readonly horizon: number;
    };

/**
 * "stacked": M-estimation sandwich that includes the propensity-score model (needs `input.propensity`;
 * clustered when `cluster` is given); others as sandwich::vcovHC / vcovCL, the weights treated as known.
 */
export type EffectVariance = "model" | "HC0" | "HC1" | "cluster" | "stacked";

/** The propensity model behind inverse-probability weights, for the "stacked" variance. */
export interface PropensityAdjustment {
  /** The propensity-model covariates (no intercept), same rows as the effect input. */
  readonly covariates: readonly DesignColumn[] | Readonly<Record<string, ArrayLike<number>>>;
  /** Fitted scores e_i (same rows). */
  readonly ps: ArrayLike<number>;
  /** Estimand of the weights (which must be the untrimmed, unstabilised weights of this estimand). */
  readonly estimand: WeightEstimand;
}

export interface EffectInput {
  readonly treat: ArrayLike<number | boolean>;
  readonly outcome: Outcome;
  /** Matching or weighting weights (0 = outside the adjusted sample). */
  readonly weights?: ArrayLike<number>;
  /** Cluster per unit (matched set, site, shift) for cluster-robust variance. */
  readonly cluster?: ArrayLike<Label>;
  /** Propensity model of the weights: enables (and defaults to) the "stacked" M-estimation variance. */
  readonly propensity?: PropensityAdjustment;
}

export interface EffectOptions {
  /**
   * Default: "stacked" when `propensity` is given (WeightIt glm_weightit's "asympt"), else "cluster" when a
   * cluster is given, else "HC0".
   */
  readonly variance?: EffectVariance;
  /** Small-sample factor of the cluster variance: "HC0" (default) G/(G−1), or "HC1" G/(G−1)·(n−1)/(n−k). */
  readonly clusterAdjust?: "HC0" | "HC1";
  readonly confLevel?: number;
  /** Estimand whose SD (of the unadjusted sample) standardises a mean difference: ATT → treated SD, else pooled. */
  readonly estimand?: "ATE" | "ATT" | "ATC" | "ATO";
  /** Override the rare-outcome rule (< 15 % in the control arm) used for the E-value of OR and HR. */
  readonly rareOutcome?: boolean;
}

/** One contrast between the arms. `se` is on the scale the CI is built on (log scale for ratios). */
export interface EffectMeasure extends Estimate {
  readonly measure: string;
  readonly scale: "absolute" | "relative";
  /** Value of no effect: 0 for differences, 1 for ratios. */
  readonly nullValue: 0 | 1;
  readonly statistic: number | null;
  readonly pValue: number | null;
}

/** Outcome summary within one arm (risk, mean, rate or cumulative incidence) with its CI. */
export interface ArmEstimate extends Estimate {
  readonly arm: "treated" | "control";
  readonly quantity: string;
  readonly sumWeights: number;
  readonly ess: number;
}

export interface EffectResult {
  readonly outcomeType: Outcome["type"];
  readonly arms: { readonly treated: ArmEstimate; readonly control: ArmEstimate };
  readonly absolute: EffectMeasure;
  readonly relative: EffectMeasure;
  /** Further contrasts (odds ratio, ratio of means, Newcombe/Katz intervals …). */
  readonly other: readonly EffectMeasure[];
  /** E-value of the relative contrast (null when not evaluable). */
  readonly evalue: EValueResult | null;
  /**
   * Binary outcomes: E-value of the odds ratio (rare-outcome rule: control-arm risk < 15 %, or
   * `options.rareOutcome`); null otherwise.
   */
  readonly evalueOddsRatio: EValueResult | null;
  /** Weighted Kaplan–Meier curves by arm (time-to-event outcomes only). */
  readonly survival: KaplanMeierResult | null;
  readonly n: number;
  readonly nExcluded: number;
  readonly variance: EffectVariance;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

/** The outcome restricted to rows `idx` (in that order). */
export function subsetOutcome(o: Outcome, idx: readonly number[]): Outcome {
  const pick = (a: ArrayLike<number>): Float64Array => mapToFloat64(idx, (i) => a[i]!);
  switch (o.type) {
    case "binary":
      return { type: "binary", y: pick(o.y) };
    case "continuous":
      return { type: "continuous", y: pick(o.y) };
    case "count":
      return { type: "count", y: pick(o.y), personTime: pick(o.personTime) };
    default:
      return { type: "timeToEvent", time: pick(o.time), status: pick(o.status), horizon: o.horizon };
  }
}

const FN = "estimateEffect";
const SILENT = new Set(["NON_INTEGER_COUNTS"]);

interface TreatFit {
  fit: GlmResult;
  b0: number;
  b1: number;
  v00: number;
  v01: number;
  v11: number;
  /** Coefficient of treat: SE, statistic, p-value and CI under the variance in use. */
  se1: number | null;
  stat1: number | null;
  p1: number | null;
  lo1: number | null;
  hi1: number | null;
}

/** Shared settings of one estimateEffect call. */
interface FitContext {
  readonly t: Float64Array;
  readonly w: Float64Array | null;
  readonly cluster: ArrayLike<Label> | undefined;
  readonly variance: EffectVariance;
  readonly clusterAdjust: "HC0" | "HC1";
  readonly level: number;
  readonly stacked: {
    readonly x: Float64Array[];
    readonly e: Float64Array;
    readonly estimand: WeightEstimand;
    readonly clusterCodes: Int32Array | null;
    readonly nClusters: number;
  } | null;
}

/** A treatment fit that must exist: an aliased treatment coefficient is a clear input error. */
function mustFit(f: TreatFit | null): TreatFit {
  if (f === null)
    throw new InvalidInputError(
      FN,
      "the treatment coefficient is not estimable (aliased: e.g. one arm has no weight or no variation)",
    );
  return f;
}

function fitTreat(
  ctx: FitContext,
  family: "gaussian" | "poisson" | "binomial",
  y: Float64Array,
  offset: Float64Array | null,
  glmWeights: Float64Array | null = ctx.w,
  a: Float64Array | null = null,
): TreatFit | null {
  const { t, cluster, clusterAdjust, level } = ctx;
  const glmVariance = ctx.variance === "stacked" ? "HC0" : ctx.variance;
  const fit = glm(
    {
      y,
      x: [{ name: "treat", values: t }],
      ...(glmWeights ? { weights: glmWeights } : {}),
      ...(offset ? { offset } : {}),
      ...(glmVariance === "cluster" && cluster ? { cluster } : {}),
    },
    { family, variance: glmVariance, clusterAdjust, confLevel: level },
  );
  const c0 = fit.coefficients[0]!;
  const c1 = fit.coefficients[1]!;
  if (c0.estimate === null || c1.estimate === null) return null;
  const b0 = c0.estimate;
  const b1 = c1.estimate;
  if (ctx.stacked && ctx.w) {
    const n = t.length;
    const eta = new Float64Array(n);
    const yy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      eta[i] = (offset ? offset[i]! : 0) + b0 + b1 * t[i]!;
      const bad = Number.isNaN(y[i]!) || (offset !== null && Number.isNaN(offset[i]!));
      yy[i] = bad ? Number.NaN : y[i]!;
    }
    const v = stackedVcov({
      x: ctx.stacked.x,
      e: ctx.stacked.e,
      t,
      w: ctx.w,
      estimand: ctx.stacked.estimand,
      y: yy,
      eta,
      family,
      a,
      cluster: ctx.stacked.clusterCodes,
      nClusters: ctx.stacked.nClusters,
    });
    const se = v[3]! >= 0 ? Math.sqrt(v[3]!) : null;
    const z = normalQuantile(0.5 + level / 2);
    const stat = se !== null && se > 0 ? b1 / se : null;
    return {
      fit,
      b0,
      b1,
      v00: v[0]!,
      v01: v[1]!,
      v11: v[3]!,
      se1: se,
      stat1: stat,
      p1: stat === null ? null : normalTwoSidedP(stat),
      lo1: se === null ? null : b1 - z * se,
      hi1: se === null ? null : b1 + z * se,
    };
  }
  const v = fit.vcov;
  return {
    fit,
    b0,
    b1,
    v00: v[0]![0]!,
    v01: v[0]![1]!,
    v11: v[1]![1]!,
    se1: c1.se,
    stat1: c1.statistic,
    p1: c1.pValue,
    lo1: c1.ci.lower,
    hi1: c1.ci.upper,
  };
}

function measure(
  name: string,
  scale: "absolute" | "relative",
  est: number | null,
  se: number | null,
  lower: number | null,
  upper: number | null,
  level: number,
  statistic: number | null,
  pValue: number | null,
  n: number,
  nExcluded: number,
  method: string,
  warnings: readonly Warning[] = [],
): EffectMeasure {
  return {
    measure: name,
    scale,
    nullValue: scale === "absolute" ? 0 : 1,
    estimate: est,
    se,
    ci: { lower, upper, level },
    statistic,
    pValue,
    n,
    nExcluded,
    method,
    warnings: [...warnings],
  };
}

/** Coefficient of `treat` as an absolute contrast (identity link). */
function differenceFrom(f: TreatFit, name: string, level: number, method: string): EffectMeasure {
  return measure(
    name,
    "absolute",
    f.b1,
    f.se1,
    f.lo1,
    f.hi1,
    level,
    f.stat1,
    f.p1,
    f.fit.n,
    f.fit.nExcluded,
    method,
  );
}

/** exp(coefficient of `treat`) as a ratio; `se` is the SE of the log ratio. */
function ratioFrom(f: TreatFit, name: string, level: number, method: string): EffectMeasure {
  const z = normalQuantile(0.5 + level / 2);
  const se = f.se1;
  return measure(
    name,
    "relative",
    Math.exp(f.b1),
    se,
    se === null ? null : Math.exp(f.b1 - z * se),
    se === null ? null : Math.exp(f.b1 + z * se),
    level,
    f.stat1,
    f.p1,
    f.fit.n,
    f.fit.nExcluded,
    method,
  );
}

function notEvaluable(
  name: string,
  scale: "absolute" | "relative",
  level: number,
  n: number,
  why: string,
): EffectMeasure {
  return measure(name, scale, null, null, null, null, level, null, null, n, 0, name, [
    warning("EFFECT_NOT_EVALUABLE", why),
  ]);
}

/** Arm quantity from the linear predictor b0 (+ b1) through the inverse link, CI on the link scale. */
function armFromLink(
  f: TreatFit,
  treated: boolean,
  link: "identity" | "logit" | "log",
  quantity: string,
  level: number,
  sumWeights: number,
  ess: number,
  nArm: number,
  method: string,
): ArmEstimate {
  const eta = treated ? f.b0 + f.b1 : f.b0;
  const v = treated ? f.v00 + 2 * f.v01 + f.v11 : f.v00;
  const seEta = v >= 0 ? Math.sqrt(v) : Number.NaN;
  const z = normalQuantile(0.5 + level / 2);
  const inv = (e: number): number =>
    link === "identity" ? e : link === "log" ? Math.exp(e) : 1 / (1 + Math.exp(-e));
  const est = inv(eta);
  const deriv = link === "identity" ? 1 : link === "log" ? est : est * (1 - est);
  const ok = Number.isFinite(seEta);
  return {
    arm: treated ? "treated" : "control",
    quantity,
    estimate: est,
    se: ok ? deriv * seEta : null,
    ci: { lower: ok ? inv(eta - z * seEta) : null, upper: ok ? inv(eta + z * seEta) : null, level },
    n: nArm,
    nExcluded: 0,
    sumWeights,
    ess,
    method,
    warnings: [],
  };
}

function mergeWarnings(target: Warning[], from: readonly Warning[]): void {
  for (const w of from) {
    if (SILENT.has(w.code)) continue;
    if (!target.some((x) => x.code === w.code && x.message === w.message)) target.push(w);
  }
}

function evalueOrNull(f: () => EValueResult): EValueResult | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/**
 * Estimates the treatment effect on one outcome in a (weighted) two-arm sample; every outcome gets an
 * absolute and a relative contrast with CIs (MEASURES §1.6):
 *
 * - binary: risk difference from a weighted linear-probability GLM (gaussian/identity; t CI), risk
 *   ratio from a weighted Poisson GLM with log link ("modified Poisson", Zou 2004), odds ratio from a
 *   weighted logistic GLM; arm risks from the logistic fit (logit-scale CIs);
 * - continuous: mean difference (weighted gaussian GLM, t CI); relative = standardised mean difference
 *   (mean difference and CI divided by the unadjusted-sample SD of the estimand, treated as fixed);
 *   also the ratio of means (Poisson quasi-likelihood, log link) when y ≥ 0;
 * - count: rate ratio from a weighted Poisson GLM with offset log(person-time); rate difference from
 *   a gaussian GLM of y/person-time with weights w·person-time (= the linearised ratio estimator);
 * - timeToEvent: weighted Kaplan–Meier by arm (robust IJ variance for non-integer weights); absolute
 *   = difference in cumulative incidence 1 − Ŝ at `horizon` (SE √(se₁² + se₀²), arms independent);
 *   relative = hazard ratio from a weighted Cox model (Efron ties) with robust variance (clustered
 *   when `cluster` is given; R coxph(robust = TRUE), no small-sample factor).
 *
 * GLM variances: sandwich HC0/HC1 (sandwich::vcovHC) or cluster-robust (sandwich::vcovCL, G/(G−1)),
 * the matched set being the cluster after matching without replacement (Austin 2011; MatchIt
 * "Estimating effects" vignette). Ratios carry `se` on the log scale. The E-value (VanderWeele &
 * Ding 2017) is attached to the relative contrast.
 */
export function estimateEffect(input: EffectInput, options: EffectOptions = {}): EffectResult {
  const tt = readTreat(FN, input.treat);
  const n = tt.length;
  requireBothArms(FN, tt);
  const level = options.confLevel ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InvalidInputError(FN, "confLevel must be in (0, 1)");
  const variance: EffectVariance =
    options.variance ?? (input.propensity ? "stacked" : input.cluster ? "cluster" : "HC0");
  if (!["model", "HC0", "HC1", "cluster", "stacked"].includes(variance))
    throw new InvalidInputError(FN, `unknown variance "${variance}"`);
  if (variance === "cluster" && !input.cluster)
    throw new InvalidInputError(FN, 'variance "cluster" needs input.cluster');
  if (variance === "stacked" && !(input.propensity && input.weights))
    throw new InvalidInputError(FN, 'variance "stacked" needs input.propensity and input.weights');
  requireLength(FN, "cluster", input.cluster, n);
  const clusterAdjust = options.clusterAdjust ?? "HC0";
  const w = input.weights ? readWeights(FN, input.weights, n).weights : null;
  const t = Float64Array.from(tt);
  const warnings: Warning[] = [];
  const out = input.outcome;
  let stacked: FitContext["stacked"] = null;
  if (variance === "stacked") {
    const pa = input.propensity!;
    requireLength(FN, "propensity.ps", pa.ps, n);
    const cols = toDesignColumns(FN, pa.covariates, n);
    const x = [new Float64Array(n).fill(1), ...cols.map((c) => readNumbers(FN, c.name, c.values))];
    for (const c of x) {
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(c[i]!)) throw new InvalidInputError(FN, "propensity covariates must be complete");
      }
    }
    const e = readNumbers(FN, "propensity.ps", pa.ps);
    for (let i = 0; i < n; i++) {
      if (!(e[i]! > 0 && e[i]! < 1))
        throw new InvalidInputError(FN, `propensity.ps at row ${i} is not in (0, 1)`);
    }
    let clusterCodes: Int32Array | null = null;
    let nClusters = 0;
    if (input.cluster) {
      const map = new Map<Label, number>();
      clusterCodes = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const lab = input.cluster[i]!;
        let c = map.get(lab);
        if (c === undefined) {
          c = map.size;
          map.set(lab, c);
        }
        clusterCodes[i] = c;
      }
      nClusters = map.size;
    }
    stacked = { x, e, estimand: pa.estimand, clusterCodes, nClusters };
  }
  const ctx: FitContext = { t, w, cluster: input.cluster, variance, clusterAdjust, level, stacked };
  const varianceLabel =
    variance === "stacked"
      ? `M-estimation sandwich including the propensity model (stacked equations${input.cluster ? ", clustered" : ""}), z CI`
      : variance === "cluster"
        ? `cluster-robust variance (vcovCL ${clusterAdjust}, G/(G−1))`
        : variance === "model"
          ? "model-based variance"
          : `${variance} sandwich variance`;
  const armWeights = (
    mask: Float64Array,
  ): {
    treated: { sum: number; ess: number; n: number };
    control: { sum: number; ess: number; n: number };
  } => {
    const ww = new Float64Array(n);
    for (let i = 0; i < n; i++) ww[i] = Number.isNaN(mask[i]!) ? 0 : w ? w[i]! : 1;
    return { treated: essOf(ww, tt, 1), control: essOf(ww, tt, 0) };
  };

  if (out.type === "binary" || out.type === "continuous") {
    const y = readNumbers(FN, "y", out.y);
    requireLength(FN, "y", y, n);
    if (out.type === "binary") {
      for (let i = 0; i < n; i++) {
        const v = y[i]!;
        if (!Number.isNaN(v) && v !== 0 && v !== 1)
          throw new InvalidInputError(FN, `binary outcome must be 0/1 (row ${i}: ${v})`);
      }
    }
    const aw = armWeights(y);
    const lin = fitTreat(ctx, "gaussian", y, null);
    if (!lin)
      throw new InvalidInputError(
        FN,
        "the arm indicator is constant in the analysed sample (one arm has no weight)",
      );
    mergeWarnings(warnings, lin.fit.warnings);
    const nUsed = lin.fit.n;
    const nEx = lin.fit.nExcluded;
    if (out.type === "binary") {
      const absolute = differenceFrom(
        lin,
        "risk difference",
        level,
        `Risk difference: weighted linear-probability GLM, ${varianceLabel}, t CI`,
      );
      let events1 = 0;
      let events0 = 0;
      for (let i = 0; i < n; i++) {
        const wi = w ? w[i]! : 1;
        if (y[i] === 1 && wi > 0) {
          if (tt[i]) events1 += wi;
          else events0 += wi;
        }
      }
      let relative: EffectMeasure;
      const other: EffectMeasure[] = [];
      let arms: { treated: ArmEstimate; control: ArmEstimate };
      const riskMethod = `Weighted risk from a logistic GLM, ${varianceLabel}, logit-scale CI`;
      if (events1 === 0 || events0 === 0) {
        relative = notEvaluable(
          "risk ratio",
          "relative",
          level,
          nUsed,
          `no events in the ${events1 === 0 ? "treated" : "control"} arm`,
        );
        const p1 = aw.treated.sum > 0 ? events1 / aw.treated.sum : 0;
        const p0 = aw.control.sum > 0 ? events0 / aw.control.sum : 0;
        const mk = (
          arm: "treated" | "control",
          p: number,
          a: { sum: number; ess: number; n: number },
        ): ArmEstimate => ({
          arm,
          quantity: "risk",
          estimate: p,
          se: null,
          ci: { lower: null, upper: null, level },
          n: a.n,
          nExcluded: 0,
          sumWeights: a.sum,
          ess: a.ess,
          method: "weighted proportion",
          warnings: [],
        });
        arms = { treated: mk("treated", p1, aw.treated), control: mk("control", p0, aw.control) };
        warnings.push(warning("EFFECT_NOT_EVALUABLE", "risk ratio and odds ratio: an arm has no events"));
      } else {
        const pois = mustFit(fitTreat(ctx, "poisson", y, null));
        mergeWarnings(warnings, pois.fit.warnings);
        relative = ratioFrom(
          pois,
          "risk ratio",
          level,
          `Risk ratio: weighted Poisson GLM with log link (modified Poisson, Zou 2004), ${varianceLabel}, log-scale Wald CI`,
        );
        const logit = mustFit(fitTreat(ctx, "binomial", y, null));
        mergeWarnings(warnings, logit.fit.warnings);
        other.push(
          ratioFrom(
            logit,
            "odds ratio",
            level,
            `Odds ratio: weighted logistic GLM, ${varianceLabel}, log-scale Wald CI`,
          ),
        );
        arms = {
          treated: armFromLink(
            logit,
            true,
            "logit",
            "risk",
            level,
            aw.treated.sum,
            aw.treated.ess,
            aw.treated.n,
            riskMethod,
          ),
          control: armFromLink(
            logit,
            false,
            "logit",
            "risk",
            level,
            aw.control.sum,
            aw.control.ess,
            aw.control.n,
            riskMethod,
          ),
        };
      }
      const ev =
        relative.estimate !== null
          ? evalueOrNull(() =>
              eValue({
                measure: "RR",
                estimate: relative.estimate!,
                lower: relative.ci.lower,
                upper: relative.ci.upper,
              }),
            )
          : null;
      return freezeResult({
        outcomeType: "binary" as const,
        arms,
        absolute,
        relative,
        other,
        evalue: ev,
        evalueOddsRatio: (() => {
          const or = other.find((m) => m.measure === "odds ratio");
          if (!or || or.estimate === null) return null;
          const rare = options.rareOutcome ?? (arms.control.estimate ?? 1) < 0.15;
          return evalueOrNull(() =>
            eValue({
              measure: "OR",
              estimate: or.estimate!,
              lower: or.ci.lower,
              upper: or.ci.upper,
              rareOutcome: rare,
            }),
          );
        })(),
        survival: null,
        n: nUsed,
        nExcluded: nEx,
        variance,
        method: `Binary outcome: risk difference (linear-probability GLM), risk ratio (modified Poisson), odds ratio (logistic); ${w ? "weighted; " : ""}${varianceLabel}`,
        warnings,
      });
    }
    // Continuous.
    const absolute = differenceFrom(
      lin,
      "mean difference",
      level,
      `Mean difference: weighted gaussian GLM, ${varianceLabel}, t CI`,
    );
    const meanMethod = `Weighted mean from a gaussian GLM, ${varianceLabel}, normal-approximation CI`;
    const arms = {
      treated: armFromLink(
        lin,
        true,
        "identity",
        "mean",
        level,
        aw.treated.sum,
        aw.treated.ess,
        aw.treated.n,
        meanMethod,
      ),
      control: armFromLink(
        lin,
        false,
        "identity",
        "mean",
        level,
        aw.control.sum,
        aw.control.ess,
        aw.control.n,
        meanMethod,
      ),
    };
    // SD of the unadjusted sample (complete outcomes).
    const est = options.estimand ?? "ATE";
    const mv = (arm: number): number => {
      let k = 0;
      let m = 0;
      for (let i = 0; i < n; i++) {
        if (tt[i] !== arm || Number.isNaN(y[i]!)) continue;
        k++;
        m += (y[i]! - m) / k;
      }
      let ss = 0;
      for (let i = 0; i < n; i++) {
        if (tt[i] !== arm || Number.isNaN(y[i]!)) continue;
        ss += (y[i]! - m) ** 2;
      }
      return ss / (k - 1);
    };
    const v1 = mv(1);
    const v0 = mv(0);
    const sd = Math.sqrt(est === "ATT" ? v1 : est === "ATC" ? v0 : (v1 + v0) / 2);
    let relative: EffectMeasure;
    if (sd > 0 && Number.isFinite(sd) && absolute.estimate !== null) {
      relative = measure(
        "standardised mean difference",
        "relative",
        absolute.estimate / sd,
        absolute.se === null ? null : absolute.se / sd,
        absolute.ci.lower === null ? null : absolute.ci.lower / sd,
        absolute.ci.upper === null ? null : absolute.ci.upper / sd,
        level,
        absolute.statistic,
        absolute.pValue,
        nUsed,
        nEx,
        `Standardised mean difference: mean difference / ${est === "ATT" ? "treated" : est === "ATC" ? "control" : "pooled"} SD of the unadjusted sample (SD treated as fixed)`,
      );
      relative = { ...relative, nullValue: 0 };
    } else {
      relative = notEvaluable(
        "standardised mean difference",
        "relative",
        level,
        nUsed,
        "the outcome has no variation",
      );
    }
    const other: EffectMeasure[] = [];
    let nonNegative = true;
    for (let i = 0; i < n; i++) if (y[i]! < 0) nonNegative = false;
    if (nonNegative && (arms.treated.estimate ?? 0) > 0 && (arms.control.estimate ?? 0) > 0) {
      const pois = fitTreat(ctx, "poisson", y, null);
      if (pois)
        other.push(
          ratioFrom(
            pois,
            "ratio of means",
            level,
            `Ratio of means: weighted Poisson quasi-likelihood GLM (log link), ${varianceLabel}`,
          ),
        );
    }
    const ev =
      relative.estimate !== null && relative.se !== null
        ? evalueOrNull(() => eValue({ measure: "SMD", estimate: relative.estimate!, se: relative.se! }))
        : null;
    return freezeResult({
      outcomeType: "continuous" as const,
      arms,
      absolute,
      relative,
      other,
      evalue: ev,
      evalueOddsRatio: null,
      survival: null,
      n: nUsed,
      nExcluded: nEx,
      variance,
      method: `Continuous outcome: mean difference (gaussian GLM) and standardised mean difference; ${w ? "weighted; " : ""}${varianceLabel}`,
      warnings,
    });
  }

  if (out.type === "count") {
    const y = readNumbers(FN, "y", out.y);
    const pt = readNumbers(FN, "personTime", out.personTime);
    requireLength(FN, "y", y, n);
    requireLength(FN, "personTime", pt, n);
    const offset = new Float64Array(n);
    const rate = new Float64Array(n);
    const wRate = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = pt[i]!;
      if (Number.isNaN(p) || Number.isNaN(y[i]!)) {
        offset[i] = Number.NaN;
        rate[i] = Number.NaN;
        wRate[i] = 0;
        continue;
      }
      if (!(p > 0)) throw new InvalidInputError(FN, `personTime must be > 0 (row ${i}: ${p})`);
      if (y[i]! < 0) throw new InvalidInputError(FN, `count must be ≥ 0 (row ${i})`);
      offset[i] = Math.log(p);
      rate[i] = y[i]! / p;
      wRate[i] = (w ? w[i]! : 1) * p;
    }
    const ptA = Float64Array.from(pt);
    const aw = armWeights(rate);
    const pois = fitTreat(ctx, "poisson", y, offset);
    if (!pois) throw new InvalidInputError(FN, "the arm indicator is constant in the analysed sample");
    mergeWarnings(warnings, pois.fit.warnings);
    const rel = ratioFrom(
      pois,
      "rate ratio",
      level,
      `Rate ratio: weighted Poisson GLM with offset log(person-time), ${varianceLabel}, log-scale Wald CI`,
    );
    const rd = mustFit(fitTreat(ctx, "gaussian", rate, null, wRate, ptA));
    const absolute = differenceFrom(
      rd,
      "rate difference",
      level,
      `Rate difference (events per unit of person-time): gaussian GLM of y/t with weights w·t (linearised ratio estimator), ${varianceLabel}`,
    );
    const rateMethod = `Weighted rate Σwy/Σwt from the Poisson GLM, ${varianceLabel}, log-scale CI`;
    const arms = {
      treated: armFromLink(
        pois,
        true,
        "log",
        "rate",
        level,
        aw.treated.sum,
        aw.treated.ess,
        aw.treated.n,
        rateMethod,
      ),
      control: armFromLink(
        pois,
        false,
        "log",
        "rate",
        level,
        aw.control.sum,
        aw.control.ess,
        aw.control.n,
        rateMethod,
      ),
    };
    const ev =
      rel.estimate !== null && rel.se !== null
        ? evalueOrNull(() =>
            eValue({ measure: "RR", estimate: rel.estimate!, lower: rel.ci.lower, upper: rel.ci.upper }),
          )
        : null;
    return freezeResult({
      outcomeType: "count" as const,
      arms,
      absolute,
      relative: rel,
      other: [],
      evalue: ev,
      evalueOddsRatio: null,
      survival: null,
      n: pois.fit.n,
      nExcluded: pois.fit.nExcluded,
      variance,
      method: `Count outcome with person-time: rate ratio (Poisson GLM, log offset) and rate difference; ${w ? "weighted; " : ""}${varianceLabel}`,
      warnings,
    });
  }

  if (out.type === "timeToEvent") {
    const time = readNumbers(FN, "time", out.time);
    const status = readNumbers(FN, "status", out.status);
    requireLength(FN, "time", time, n);
    requireLength(FN, "status", status, n);
    const h = out.horizon;
    if (!(h > 0) || !Number.isFinite(h)) throw new InvalidInputError(FN, "horizon must be a positive number");
    const keep: number[] = [];
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(time[i]!) || Number.isNaN(status[i]!)) continue;
      if (w && w[i] === 0) continue;
      keep.push(i);
    }
    const nEx = n - keep.length;
    const pick = (a: ArrayLike<number>): Float64Array => mapToFloat64(keep, (i) => a[i]!);
    const kt = pick(time);
    const ks = pick(status);
    const kg = pick(t);
    const kw = w ? pick(w) : null;
    const kc = input.cluster ? keep.map((i) => input.cluster![i]!) : null;
    const km = kaplanMeier(
      { time: kt, status: ks, group: kg, ...(kw ? { weights: kw } : {}) },
      { confLevel: level },
    );
    mergeWarnings(warnings, km.warnings);
    const at = kaplanMeierAtTimes(km, [h]);
    const curve = (g: number) => at.curves.find((c) => c.group === g)!;
    const c1 = curve(1);
    const c0 = curve(0);
    const z = normalQuantile(0.5 + level / 2);
    const armOf = (c: typeof c1, arm: "treated" | "control"): ArmEstimate => {
      const se = c.stdErr[0] ?? null;
      const a = essOf(
        kw ?? new Float64Array(kg.length).fill(1),
        Uint8Array.from(kg),
        arm === "treated" ? 1 : 0,
      );
      return {
        arm,
        quantity: `cumulative incidence at ${h}`,
        estimate: c.cumulativeIncidence[0]!,
        se,
        ci: {
          lower: c.cumulativeIncidenceLower[0] ?? null,
          upper: c.cumulativeIncidenceUpper[0] ?? null,
          level,
        },
        n: a.n,
        nExcluded: 0,
        sumWeights: a.sum,
        ess: a.ess,
        method: `1 − weighted Kaplan–Meier at ${h} (${km.variance} variance, ${km.confType} CI)`,
        warnings: c.beyondFollowUp[0] ? [warning("TAU_BEYOND_FOLLOW_UP", `horizon ${h}`)] : [],
      };
    };
    const arms = { treated: armOf(c1, "treated"), control: armOf(c0, "control") };
    const d = arms.treated.estimate! - arms.control.estimate!;
    const s1 = arms.treated.se;
    const s0 = arms.control.se;
    const sed = s1 !== null && s0 !== null ? Math.sqrt(s1 * s1 + s0 * s0) : null;
    const stat = sed !== null && sed > 0 ? d / sed : null;
    const absolute = measure(
      `cumulative incidence difference at ${h}`,
      "absolute",
      d,
      sed,
      sed === null ? null : d - z * sed,
      sed === null ? null : d + z * sed,
      level,
      stat,
      stat === null ? null : normalTwoSidedP(stat),
      keep.length,
      nEx,
      `Difference in 1 − weighted KM at ${h}: SE √(se₁² + se₀²) (${km.variance} variance; arms treated as independent), Wald z CI`,
    );
    let cox: CoxPHResult | null = null;
    let relative: EffectMeasure;
    try {
      cox = coxPH(
        {
          time: kt,
          status: ks,
          x: [kg],
          names: ["treat"],
          ...(kw ? { weights: kw } : {}),
          ...(kc && variance === "cluster" ? { cluster: kc } : {}),
        },
        { confLevel: level, robust: kw !== null || variance === "cluster", concordance: false },
      );
      mergeWarnings(warnings, cox.warnings);
      const term = cox.terms[0]!;
      relative = measure(
        "hazard ratio",
        "relative",
        term.hazardRatio,
        term.se,
        term.hazardRatioCi.lower,
        term.hazardRatioCi.upper,
        level,
        term.z,
        term.pValue,
        cox.n,
        cox.nExcluded + nEx,
        cox.method,
      );
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      relative = notEvaluable("hazard ratio", "relative", level, keep.length, e.message);
    }
    const rare = options.rareOutcome ?? (arms.control.estimate ?? 0) < 0.15;
    const ev =
      relative.estimate !== null && relative.estimate > 0
        ? evalueOrNull(() =>
            eValue({
              measure: "HR",
              estimate: relative.estimate!,
              lower: relative.ci.lower,
              upper: relative.ci.upper,
              rareOutcome: rare,
            }),
          )
        : null;
    return freezeResult({
      outcomeType: "timeToEvent" as const,
      arms,
      absolute,
      relative,
      other: [],
      evalue: ev,
      evalueOddsRatio: null,
      survival: km,
      n: keep.length,
      nExcluded: nEx,
      variance,
      method: `Time to event: weighted Kaplan–Meier by arm and Cox hazard ratio (Efron ties${kw || variance === "cluster" ? ", robust variance" : ""}${kc && variance === "cluster" ? " clustered" : ""})`,
      warnings,
    });
  }
  throw new InvalidInputError(FN, `unknown outcome type "${(out as { type: string }).type}"`);
}
