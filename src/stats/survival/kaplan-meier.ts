/**
 * Kaplan–Meier survival curves by group (R `survival::survfit(Surv(time, status) ~ group)`).
 */
import { type Warning, warning } from "../../messages.js";
import { InsufficientDataError, InvalidInputError } from "../errors.js";
import {
  checkConfLevel,
  type ProbabilityCiTransform,
  probabilityCiInto,
  zCritical,
} from "../inference/index.js";
import { type KmCore, kmByGroup } from "./km-core.js";
import {
  freezeDeep,
  type GroupLabel,
  type LabelColumn,
  type NumberColumn,
  prepareSurvivalInput,
  toPlain,
  toPlainNullable,
} from "./survival-input.js";
import { curveQuantiles, type SurvivalQuantile } from "./survival-quantile.js";

export type { GroupLabel, LabelColumn, NumberColumn } from "./survival-input.js";
export type { SurvivalQuantile } from "./survival-quantile.js";

/** Pointwise CI transform for a survival curve (R survfit `conf.type`). */
export type SurvivalConfType = ProbabilityCiTransform;

/** Variance of the curve: `auto` follows R survfit's `robust` default. */
export type SurvivalVarianceType = "auto" | "greenwood" | "robust";

export interface KaplanMeierInput {
  /** Exit time (event or censoring), ≥ 0. */
  readonly time: NumberColumn;
  /** 1 = event, 0 = censored. */
  readonly status: NumberColumn;
  /** Optional entry time for (entry, time] counting-process data (delayed entry); must be < time. */
  readonly entry?: NumberColumn;
  /** Optional group labels; curves come in sorted label order. */
  readonly group?: LabelColumn;
  /** Optional non-negative case weights. */
  readonly weights?: NumberColumn;
}

export interface KaplanMeierOptions {
  /** Pointwise CI transform (default "log", R survfit). */
  readonly confType?: SurvivalConfType;
  /** Coverage of the pointwise CIs and quantile limits (default 0.95). */
  readonly confLevel?: number;
  /**
   * "auto" (default): Greenwood with no or integer weights, robust (infinitesimal jackknife, each row
   * its own cluster) when some weight is not an integer — R survfit's `robust` default.
   */
  readonly variance?: SurvivalVarianceType;
  /** Curve quantile probabilities (default 0.25, 0.5, 0.75). */
  readonly quantiles?: readonly number[];
  /** Merge near-equal times as survival's aeqSurv (default true, R `timefix = TRUE`). */
  readonly timefix?: boolean;
  /** Condition on survival to this time: rows with time < startTime are dropped (R `start.time`). */
  readonly startTime?: number;
}

/**
 * One Kaplan–Meier curve, columnar: every array has one entry per distinct time of the group
 * (event and censoring times alike), ascending. Plain arrays (JSON-serialisable); frozen up to
 * 65,536 entries — longer columns are left unfrozen for speed (see FREEZE_MAX_ARRAY_LENGTH).
 */
export interface KaplanMeierCurve {
  /** The group label, or null for a single curve without groups. */
  readonly group: GroupLabel | null;
  /** Rows in the group. */
  readonly n: number;
  /** Σ weights (= n without weights). */
  readonly sumWeights: number;
  /** Σ events (weighted). */
  readonly nEvents: number;
  readonly time: readonly number[];
  /** Number at risk just before t (rows with entry < t ≤ time; weighted). */
  readonly nRisk: readonly number[];
  readonly nEvent: readonly number[];
  readonly nCensor: readonly number[];
  /** Kaplan–Meier estimate Ŝ(t) = Π_{t_j ≤ t} (1 − d_j/n_j). */
  readonly surv: readonly number[];
  /**
   * Standard error of Ŝ(t) itself (R `summary.survfit`'s `std.err`). Null where not evaluable
   * (Greenwood once Ŝ = 0; the robust SE is 0 there).
   */
  readonly stdErr: readonly (number | null)[];
  /**
   * Standard error of log Ŝ(t), the scale the log CI is built on (R survfit object's `$std.err`
   * when `logse = TRUE`; Greenwood: √Σ d/(n(n−d))). Null where Ŝ = 0.
   */
  readonly stdErrLog: readonly (number | null)[];
  readonly lower: readonly (number | null)[];
  readonly upper: readonly (number | null)[];
  /** Nelson–Aalen cumulative hazard Σ d/n (R `cumhaz`, ctype = 1). */
  readonly cumhaz: readonly number[];
  /** Its SE: √Σ d/n² (Greenwood/Aalen) or the robust IJ SE (R `std.chaz`). */
  readonly stdCumhaz: readonly (number | null)[];
  /** Quantiles with CIs by R's rule (quantile.survfit). */
  readonly quantiles: readonly SurvivalQuantile[];
  /** The p = 0.5 quantile (always computed). Null estimate when the curve never reaches 0.5. */
  readonly median: SurvivalQuantile;
}

export interface KaplanMeierResult {
  readonly method: string;
  readonly confType: SurvivalConfType;
  readonly confLevel: number;
  readonly variance: "greenwood" | "robust";
  readonly countingProcess: boolean;
  readonly startTime: number | null;
  /** Rows used (after exclusions). */
  readonly n: number;
  readonly nExcluded: number;
  readonly groups: readonly GroupLabel[];
  readonly curves: readonly KaplanMeierCurve[];
  readonly warnings: readonly Warning[];
}

const FN = "kaplanMeier";

/** Turns one typed-array curve into the public columnar curve (CIs and quantiles added). */
export function finishCurve(
  core: KmCore,
  group: GroupLabel | null,
  confType: SurvivalConfType,
  confLevel: number,
  probs: readonly number[],
  firstTime: number,
): KaplanMeierCurve {
  const z = zCritical(confLevel);
  const m = core.m;
  const lo = new Float64Array(m);
  const up = new Float64Array(m);
  probabilityCiInto(core.surv, core.stdErr, confType, z, lo, up);
  const withHalf = probs.includes(0.5) ? probs : [...probs, 0.5];
  const qs = curveQuantiles(core.time, core.surv, lo, up, withHalf, firstTime);
  const median = qs[withHalf.indexOf(0.5)] as SurvivalQuantile;
  const time = toPlain(core.time, m);
  const surv = toPlain(core.surv, m);
  const stdErr = toPlainNullable(core.stdErr, m);
  const lower = toPlainNullable(lo, m);
  const upper = toPlainNullable(up, m);
  let nEvents = 0;
  for (let j = 0; j < m; j++) nEvents += core.nEvent[j] as number;
  return {
    group,
    n: core.n,
    sumWeights: core.sumWeights,
    nEvents,
    time,
    nRisk: toPlain(core.nRisk, m),
    nEvent: toPlain(core.nEvent, m),
    nCensor: toPlain(core.nCensor, m),
    surv,
    stdErr,
    stdErrLog: toPlainNullable(core.stdErrLog, m),
    lower,
    upper,
    cumhaz: toPlain(core.cumhaz, m),
    stdCumhaz: toPlainNullable(core.stdCumhaz, m),
    quantiles: qs.slice(0, probs.length),
    median,
  };
}

/** Validates the options shared by the curve estimators. */
export function resolveCurveOptions(fn: string, options: KaplanMeierOptions) {
  const confType = options.confType ?? "log";
  if (confType !== "log" && confType !== "log-log" && confType !== "plain") {
    throw new InvalidInputError(
      fn,
      `confType must be "log", "log-log" or "plain" (received ${String(confType)})`,
    );
  }
  const confLevel = options.confLevel ?? 0.95;
  checkConfLevel(confLevel, fn);
  const probs = options.quantiles ?? [0.25, 0.5, 0.75];
  for (const p of probs) {
    if (!(p >= 0 && p <= 1))
      throw new InvalidInputError(fn, `quantile probabilities must be in [0, 1] (received ${p})`);
  }
  const variance = options.variance ?? "auto";
  if (variance !== "auto" && variance !== "greenwood" && variance !== "robust") {
    throw new InvalidInputError(fn, `variance must be "auto", "greenwood" or "robust"`);
  }
  return { confType, confLevel, probs, variance };
}

/**
 * Kaplan–Meier (product-limit) estimate of the survival function, by group.
 *
 * Variant: R `survival::survfit` (3.x) defaults — a row at every distinct time (events and
 * censorings), n.risk counts rows with time ≥ t (censored at t still at risk), `timefix` merging of
 * near-equal times (aeqSurv), pointwise CIs with `conf.type = "log"` (exp(log Ŝ ± z·se(log Ŝ)),
 * upper capped at 1), "log-log" or "plain"; Greenwood variance Σ d/(n(n−d)) with weighted counts
 * for unit or integer weights, and the infinitesimal-jackknife (robust) variance when a weight is
 * not an integer (R's `robust` default; each row its own cluster). Quantiles (0.25, 0.5, 0.75 by
 * default) follow `quantile.survfit`: the first time Ŝ ≤ 1 − p, the midpoint of a flat where Ŝ
 * equals 1 − p within √ε, null (never Infinity) when not reached; limits where the CI curves cross.
 * (entry, time] input gives the counting-process estimator for delayed entry.
 *
 * Groups come in sorted label order (numbers numerically, strings by code unit). Rows with a
 * missing value are excluded and counted (MISSING_DROPPED); zero weights are kept as in R.
 *
 * Reference: Kaplan & Meier (1958), JASA 53:457–481; Therneau & Grambsch (2000) ch. 2;
 * R survival `survfit.formula`, `survfitKM`, `quantile.survfit`.
 *
 * @throws InvalidInputError for mismatched lengths, ±Infinity, negative times, bad status or weights.
 * @throws InsufficientDataError when no usable rows remain.
 * @example
 * kaplanMeier({ time: [1, 2, 3], status: [1, 0, 1] }).curves[0].surv // [0.6667, 0.6667, 0]
 */
export function kaplanMeier(input: KaplanMeierInput, options: KaplanMeierOptions = {}): KaplanMeierResult {
  const { confType, confLevel, probs, variance } = resolveCurveOptions(FN, options);
  const prep = prepareSurvivalInput({
    fn: FN,
    time: input.time,
    status: input.status,
    entry: input.entry,
    weights: input.weights,
    group: input.group,
    maxStatus: 1,
    timefix: options.timefix,
    startTime: options.startTime,
  });
  if (prep.n === 0) throw new InsufficientDataError(FN, 1, 0);
  const robust = variance === "robust" || (variance === "auto" && prep.nonIntegerWeights);
  const warnings = [...prep.warnings];
  if (robust && variance === "auto") warnings.push(warning("NON_INTEGER_WEIGHTS"));
  const cores = kmByGroup(prep, robust);
  const hasGroups = input.group !== undefined;
  const firstTime = options.startTime ?? 0;
  const curves = cores.map((core, k) =>
    finishCurve(
      core,
      hasGroups ? (prep.groupLabels[k] as GroupLabel) : null,
      confType,
      confLevel,
      probs,
      firstTime,
    ),
  );
  for (const c of curves) {
    const label = c.group === null ? "" : ` (group ${String(c.group)})`;
    if (c.nEvents === 0) warnings.push(warning("NO_EVENTS", `no events${label}`, { group: c.group }));
    if (c.median.estimate === null) {
      warnings.push(warning("MEDIAN_NOT_REACHED", `median not reached${label}`, { group: c.group }));
    }
  }
  const method =
    `Kaplan-Meier, ${confType} CI, ${robust ? "robust (infinitesimal jackknife) variance" : "Greenwood variance"}` +
    `${prep.entry ? ", counting-process (entry, exit] data" : ""}`;
  return freezeDeep({
    method,
    confType,
    confLevel,
    variance: robust ? "robust" : "greenwood",
    countingProcess: prep.entry !== null,
    startTime: options.startTime ?? null,
    n: prep.n,
    nExcluded: prep.nExcluded,
    groups: hasGroups ? prep.groupLabels : [],
    curves,
    warnings,
  });
}
