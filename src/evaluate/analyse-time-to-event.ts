/**
 * Statistical summary of a time-to-event outcome with one competing event, by group: Aalen–Johansen
 * cumulative incidence (R survfit multi-state, infinitesimal-jackknife SE), Kaplan–Meier with the
 * competing event censored (R survfit, log CI, Greenwood), log-rank and Gray's tests, and contrasts
 * (difference and ratio of cumulative incidence at a day, cause-specific Cox hazard ratio).
 *
 * With `weights` (a matched or weighted sample) every estimator is weighted: Aalen–Johansen and
 * Kaplan–Meier with infinitesimal-jackknife (robust) SEs, Cox with the robust sandwich; with `cluster`
 * (matched sets) the contrasts and the Cox variance are clustered. The weights are treated as fixed
 * (the propensity model's estimation is not propagated). Numbers at risk stay unweighted counts.
 */

import { eValue } from "../compare/evalue.js";
import { type Warning, warning } from "../messages.js";
import type { AtRiskRow, SurvivalChartInput, SurvivalCurve } from "../report/types.js";
import { normalTwoSidedP } from "../stats/distributions/index.js";
import { InsufficientDataError, InvalidInputError } from "../stats/errors.js";
import { waldCi, zCritical } from "../stats/inference/index.js";
import { type CoxPHResult, coxPH } from "../stats/survival/cox.js";
import { coxZph } from "../stats/survival/cox-zph.js";
import { cumulativeIncidence } from "../stats/survival/cumulative-incidence.js";
import { kaplanMeier } from "../stats/survival/kaplan-meier.js";
import { kaplanMeierAtTimes } from "../stats/survival/kaplan-meier-at-times.js";
import { logRankTest } from "../stats/survival/log-rank.js";
import { mapToFloat64, mapToInt32 } from "../util/typed-map.js";
import { cifInfluenceAt, clusteredSumOfSquares } from "./influence.js";
import type { EffectResult, IntervalValue, TestSummary, TimepointValue, TimeToEventGroup } from "./result.js";

/** Unit-level input: one row per analysed unit. event: 0 censored, 1 event of interest, 2 competing. */
export interface TimeToEventData {
  readonly time: ArrayLike<number>;
  readonly event: ArrayLike<number>;
  readonly group: readonly string[];
  readonly day0: ArrayLike<number>;
  /** Matching or weighting weights (> 0; units of weight 0 must be left out by the caller). */
  readonly weights?: ArrayLike<number>;
  /** Matched-set number per unit (≥ 0), clustering the contrasts and the Cox variance. */
  readonly cluster?: ArrayLike<number>;
}

export interface TimeToEventOptions {
  readonly timepoints: readonly number[];
  readonly contrastDay: number;
  readonly horizonDays: number;
  readonly confLevel: number;
  /** Curves are cut where at most this many remain at risk (0: no cut). */
  readonly smallCellThreshold: number;
  /** The group whose effect is estimated (e.g. PEER) and its reference (e.g. COMPARISON). */
  readonly comparisonGroup: string | null;
  readonly referenceGroup: string | null;
  /**
   * How the weights came about, for the method strings (e.g. "ATT weights"); required with weights.
   * `clusterLabel` names the clusters (e.g. "matched set").
   */
  readonly adjustment?: { readonly weightsLabel: string; readonly clusterLabel?: string };
}

export interface TimeToEventAnalysis {
  readonly groups: readonly TimeToEventGroup[];
  readonly effects: readonly EffectResult[];
  readonly tests: readonly TestSummary[];
  readonly cumulativeIncidenceChart: SurvivalChartInput;
  readonly kaplanMeierChart: SurvivalChartInput;
  readonly warnings: readonly Warning[];
}

const nullInterval: IntervalValue = { estimate: null, se: null, lower: null, upper: null };

/** Runs every estimator of a time-to-event outcome on unit-level data (see module comment). */
export function analyseTimeToEvent(data: TimeToEventData, options: TimeToEventOptions): TimeToEventAnalysis {
  const { timepoints, confLevel } = options;
  const n = data.time.length;
  const time = Float64Array.from(data.time);
  const status = Float64Array.from(data.event);
  const eventOnly = new Float64Array(n);
  for (let i = 0; i < n; i++) eventOnly[i] = status[i] === 1 ? 1 : 0;
  const warnings: Warning[] = [];
  const times = [...new Set([...timepoints, options.contrastDay])].sort((a, b) => a - b);
  const weights = data.weights ? Float64Array.from(data.weights) : null;
  const cluster = data.cluster ? Int32Array.from(data.cluster) : null;
  if (weights) {
    if (weights.length !== n)
      throw new InvalidInputError("analyseTimeToEvent", "weights must align with time");
    for (let i = 0; i < n; i++) {
      if (!((weights[i] as number) > 0) || !Number.isFinite(weights[i] as number)) {
        throw new InvalidInputError("analyseTimeToEvent", `weight at row ${i} must be positive and finite`);
      }
    }
    if (!options.adjustment)
      throw new InvalidInputError("analyseTimeToEvent", "weights need options.adjustment");
  }
  if (cluster && cluster.length !== n) {
    throw new InvalidInputError("analyseTimeToEvent", "cluster must align with time");
  }
  const atRisk = new UnweightedAtRisk(time, data.group);

  const cif = cumulativeIncidence(
    { time, status, group: data.group, ...(weights ? { weights } : {}) },
    { times, confLevel, grayTest: !weights && new Set(data.group).size > 1 },
  );
  const km = kaplanMeier(
    { time, status: eventOnly, group: data.group, ...(weights ? { weights } : {}) },
    { confLevel, ...(weights ? { variance: "robust" as const } : {}) },
  );
  const kmAt = kaplanMeierAtTimes(km, times);
  warnings.push(...cif.warnings.filter((w) => !(weights && w.code === "TEST_NOT_COMPUTED")), ...km.warnings);
  const z = zCritical(confLevel);

  const groups: TimeToEventGroup[] = cif.groups.map((label, g) => {
    const curve = cif.curves[g];
    const kmCurve = km.curves[g];
    const kmTimes = kmAt.curves[g];
    const group = String(label);
    let nEvents = 0;
    let nCompeting = 0;
    let nCensored = 0;
    let nDay0 = 0;
    const eventTimes: number[] = [];
    for (let i = 0; i < n; i++) {
      if (data.group[i] !== group) continue;
      const e = status[i];
      if (e === 1) {
        nEvents++;
        eventTimes.push(time[i] as number);
        if (data.day0[i]) nDay0++;
      } else if (e === 2) nCompeting++;
      else nCensored++;
    }
    const at = curve?.atTimes;
    const cause = at?.causes.find((c) => c.eventType === 1);
    eventTimes.sort((a, b) => a - b);
    const eventsBy = (t: number) => {
      let c = 0;
      while (c < eventTimes.length && (eventTimes[c] as number) <= t) c++;
      return c;
    };
    const cumulative: TimepointValue[] = times.map((t, k) => {
      const base = {
        time: t,
        nRisk: weights ? atRisk.at(group, t) : (at?.nRisk[k] ?? 0),
        eventsBy: eventsBy(t),
        beyondFollowUp: at?.beyondFollowUp[k] ?? true,
        estimate: cause?.estimate[k] ?? 0,
        se: cause?.stdErr[k] ?? null,
        lower: cause?.lower[k] ?? null,
        upper: cause?.upper[k] ?? null,
      };
      if (!cluster) return base;
      // Matched sets: the arm's SE clustered by set (R survfit(..., cluster = set)).
      const rows = rowsOf(data.group, group);
      const inf = cifInfluenceAt(
        pick(time, rows),
        pick(status, rows),
        weights ? pick(weights, rows) : null,
        t,
        1,
      );
      const se = Math.sqrt(clusteredSumOfSquares(inf.influence, pickInt(cluster, rows)));
      const ci = logCi(base.estimate, se, z);
      return { ...base, se, lower: ci.lower, upper: ci.upper };
    });
    const oneMinusKm: TimepointValue[] = times.map((t, k) => ({
      time: t,
      nRisk: weights ? atRisk.at(group, t) : (kmTimes?.nRisk[k] ?? 0),
      eventsBy: eventsBy(t),
      beyondFollowUp: kmTimes?.beyondFollowUp[k] ?? true,
      estimate: kmTimes?.cumulativeIncidence[k] ?? null,
      se: kmTimes?.stdErr[k] ?? null,
      lower: kmTimes?.cumulativeIncidenceLower[k] ?? null,
      upper: kmTimes?.cumulativeIncidenceUpper[k] ?? null,
    }));
    const median = kmCurve?.median;
    return {
      group,
      n: curve?.n ?? 0,
      nEvents,
      nCompeting,
      nCensored,
      cumulativeIncidence: cumulative,
      oneMinusKaplanMeier: oneMinusKm,
      medianKaplanMeier: median
        ? { estimate: median.estimate, se: null, lower: median.lower, upper: median.upper }
        : nullInterval,
      medianCumulativeIncidence: cifMedian(
        curve?.time ?? [],
        cause ? (curve?.causes[0]?.estimate ?? []) : [],
      ),
      medianAmongEvents: medianOf(eventTimes),
      nEventsDay0: nDay0,
    };
  });

  const effects: EffectResult[] = [];
  const tests: TestSummary[] = [];
  const cmp = groups.find((g) => g.group === options.comparisonGroup);
  const ref = groups.find((g) => g.group === options.referenceGroup);
  if (cmp && ref && weights) {
    effects.push(...adjustedCifContrasts(time, status, data.group, weights, cluster, options));
    effects.push(
      causeSpecificHazardRatio(time, eventOnly, data.group, options, warnings, weights, cluster, tests),
    );
  } else if (cmp && ref) {
    const k = times.indexOf(options.contrastDay);
    effects.push(...cifContrasts(cmp.cumulativeIncidence[k], ref.cumulativeIncidence[k], options));
    effects.push(causeSpecificHazardRatio(time, eventOnly, data.group, options, warnings, null, null, tests));
    const lr = logRankTest({ time, status: eventOnly, group: data.group });
    tests.push({
      label: "Log-rank test (cause-specific: competing event censored)",
      statistic: lr.statistic,
      df: lr.df,
      pValue: lr.pValue,
      method: lr.method,
    });
    const gray = cif.grayTests?.find((t) => t.eventType === 1);
    if (gray) {
      tests.push({
        label: "Gray's test of cumulative incidence",
        statistic: gray.statistic,
        df: gray.df,
        pValue: gray.pValue,
        method: gray.method,
      });
    }
  } else if (options.comparisonGroup !== null) {
    warnings.push(warning("ONE_GROUP", "effects need both the comparison and the reference group"));
  }

  return {
    groups,
    effects,
    tests,
    cumulativeIncidenceChart: cifChart(cif, options, weights ? atRisk : null),
    kaplanMeierChart: kmChart(km, kmAt, options, weights ? atRisk : null),
    warnings,
  };
}

/** Unweighted numbers at risk per group (units with time ≥ t), for tables and curve cuts. */
class UnweightedAtRisk {
  private readonly sorted = new Map<string, Float64Array>();
  constructor(time: Float64Array, group: readonly string[]) {
    const lists = new Map<string, number[]>();
    for (let i = 0; i < time.length; i++) {
      const g = group[i] as string;
      const l = lists.get(g);
      if (l) l.push(time[i] as number);
      else lists.set(g, [time[i] as number]);
    }
    for (const [g, l] of lists) this.sorted.set(g, Float64Array.from(l).sort());
  }
  /** Units of the group still at risk at t (time ≥ t). */
  at(group: string, t: number): number {
    const s = this.sorted.get(group);
    if (!s) return 0;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((s[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return s.length - lo;
  }
}

function rowsOf(group: readonly string[], g: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < group.length; i++) if (group[i] === g) out.push(i);
  return out;
}

function pick(a: Float64Array, rows: readonly number[]): Float64Array {
  return mapToFloat64(rows, (i) => a[i] as number);
}

function pickInt(a: Int32Array, rows: readonly number[]): Int32Array {
  return mapToInt32(rows, (i) => a[i] as number);
}

/** survfit's log-scale CI of a probability: exp(log F ± z·se/F), capped at 1. */
function logCi(estimate: number, se: number, z: number): { lower: number | null; upper: number | null } {
  if (!(estimate > 0) || !Number.isFinite(se)) return { lower: null, upper: null };
  const h = (z * se) / estimate;
  return { lower: estimate * Math.exp(-h), upper: Math.min(1, estimate * Math.exp(h)) };
}

/**
 * Difference and ratio of weighted Aalen–Johansen cumulative incidences at the contrast day, with
 * infinitesimal-jackknife SEs from per-unit influences: the difference's influence is the comparison
 * arm's influence minus the reference arm's, summed within clusters (matched sets) when given, so the
 * covariance between matched arms is included. Ratio: delta method on the log scale. Weights fixed.
 */
function adjustedCifContrasts(
  time: Float64Array,
  status: Float64Array,
  group: readonly string[],
  weights: Float64Array,
  cluster: Int32Array | null,
  options: TimeToEventOptions,
): EffectResult[] {
  const day = options.contrastDay;
  const n = time.length;
  const arm = (g: string | null) => {
    const rows = rowsOf(group, g ?? "");
    const inf = cifInfluenceAt(pick(time, rows), pick(status, rows), pick(weights, rows), day, 1);
    const full = new Float64Array(n);
    rows.forEach((i, k) => {
      full[i] = inf.influence[k] as number;
    });
    return { estimate: inf.estimate, influence: full };
  };
  const a = arm(options.comparisonGroup);
  const b = arm(options.referenceGroup);
  const diffInf = new Float64Array(n);
  for (let i = 0; i < n; i++) diffInf[i] = (a.influence[i] as number) - (b.influence[i] as number);
  const diff = a.estimate - b.estimate;
  const seDiff = Math.sqrt(clusteredSumOfSquares(diffInf, cluster));
  const adj = options.adjustment!;
  const variance = cluster
    ? `infinitesimal-jackknife variance clustered by ${adj.clusterLabel ?? "cluster"} (covariance between the matched arms included)`
    : "infinitesimal-jackknife (robust) variance, each person a cluster";
  const out = [
    differenceEffect(
      diff,
      seDiff,
      options,
      `Weighted Aalen–Johansen cumulative incidences (${adj.weightsLabel}), ${variance}; weights treated as fixed (propensity-score estimation not propagated); Wald interval`,
    ),
  ];
  if (a.estimate > 0 && b.estimate > 0) {
    const logInf = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      logInf[i] = (a.influence[i] as number) / a.estimate - (b.influence[i] as number) / b.estimate;
    }
    const seLog = Math.sqrt(clusteredSumOfSquares(logInf, cluster));
    out.push(
      ratioEffect(
        Math.log(a.estimate / b.estimate),
        seLog,
        options,
        `Ratio of weighted Aalen–Johansen cumulative incidences (${adj.weightsLabel}), delta-method SE of the log ratio from the same ${cluster ? `${adj.clusterLabel ?? "cluster"}-clustered ` : ""}infinitesimal-jackknife influences; weights treated as fixed; Wald interval`,
      ),
    );
  }
  return out;
}

function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >>> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** First time at which the cumulative incidence reaches 0.5, or null. */
function cifMedian(time: readonly number[], estimate: readonly number[]): number | null {
  for (let k = 0; k < estimate.length; k++) if ((estimate[k] as number) >= 0.5) return time[k] as number;
  return null;
}

/** Difference and ratio of two independent cumulative incidences at one day (Wald; log scale for the ratio). */
function cifContrasts(
  a: TimepointValue | undefined,
  b: TimepointValue | undefined,
  options: TimeToEventOptions,
): EffectResult[] {
  if (!a || !b || a.estimate === null || b.estimate === null || a.se === null || b.se === null) {
    return [];
  }
  const diff = a.estimate - b.estimate;
  const seDiff = Math.sqrt(a.se * a.se + b.se * b.se);
  const out = [
    differenceEffect(
      diff,
      seDiff,
      options,
      "Aalen–Johansen cumulative incidences of independent groups, infinitesimal-jackknife SEs, Wald interval",
    ),
  ];
  if (a.estimate > 0 && b.estimate > 0) {
    out.push(
      ratioEffect(
        Math.log(a.estimate / b.estimate),
        Math.sqrt((a.se / a.estimate) ** 2 + (b.se / b.estimate) ** 2),
        options,
        "Ratio of Aalen–Johansen cumulative incidences, delta-method SE of the log ratio, Wald interval",
      ),
    );
  }
  return out;
}

/** The difference in cumulative incidence at the contrast day with a Wald interval and z p-value. */
function differenceEffect(
  diff: number,
  se: number,
  options: TimeToEventOptions,
  method: string,
): EffectResult {
  const ci = waldCi(diff, se, options.confLevel);
  return {
    label: `Difference in cumulative incidence at day ${options.contrastDay}`,
    scale: "difference",
    estimate: diff,
    se,
    lower: ci.lower,
    upper: ci.upper,
    pValue: se > 0 ? normalTwoSidedP(diff / se) : null,
    level: options.confLevel,
    method,
  };
}

/** The ratio of cumulative incidences from its log and the SE of the log, with a Wald interval and E-values. */
function ratioEffect(
  logRatio: number,
  seLog: number,
  options: TimeToEventOptions,
  method: string,
): EffectResult {
  const z = zCritical(options.confLevel);
  const ratio = Math.exp(logRatio);
  const lower = Math.exp(logRatio - z * seLog);
  const upper = Math.exp(logRatio + z * seLog);
  return {
    label: `Ratio of cumulative incidence at day ${options.contrastDay}`,
    scale: "ratio",
    estimate: ratio,
    se: seLog,
    lower,
    upper,
    pValue: seLog > 0 ? normalTwoSidedP(logRatio / seLog) : null,
    level: options.confLevel,
    method,
    eValue: eValueOf("RR", ratio, lower, upper),
  };
}

function causeSpecificHazardRatio(
  time: Float64Array,
  eventOnly: Float64Array,
  group: readonly string[],
  options: TimeToEventOptions,
  warnings: Warning[],
  weights: Float64Array | null = null,
  cluster: Int32Array | null = null,
  tests: TestSummary[] | null = null,
): EffectResult {
  const x = new Float64Array(time.length);
  for (let i = 0; i < x.length; i++) x[i] = group[i] === options.comparisonGroup ? 1 : 0;
  const fit = coxPH(
    {
      time,
      status: eventOnly,
      x: [x],
      names: ["comparison"],
      ...(weights ? { weights } : {}),
      ...(cluster ? { cluster } : {}),
    },
    { confLevel: options.confLevel, ...(weights ? { robust: true } : {}) },
  );
  warnings.push(...fit.warnings);
  if (tests) proportionalHazardsTest(fit, tests, warnings);
  const term = fit.terms[0];
  const hr = term?.hazardRatio ?? null;
  const lower = term?.hazardRatioCi.lower ?? null;
  const upper = term?.hazardRatioCi.upper ?? null;
  return {
    label: "Cause-specific hazard ratio",
    scale: "ratio",
    estimate: hr,
    se: term?.se ?? null,
    lower,
    upper,
    pValue: term?.pValue ?? null,
    level: options.confLevel,
    method: weights
      ? `${fit.method}; weighted (${options.adjustment?.weightsLabel ?? "weights"}), robust sandwich variance ${cluster ? `clustered by ${options.adjustment?.clusterLabel ?? "cluster"}` : "with each person a cluster"}; weights treated as fixed; competing event censored`
      : `${fit.method}; competing event censored`,
    eValue: eValueOf("HR", hr, lower, upper, false),
  };
}

/**
 * Grambsch–Therneau test of proportional hazards for the arm term (R `cox.zph(fit)`, KM time scale);
 * p < 0.05 adds NON_PROPORTIONAL_HAZARDS, which the limitations turn into a sentence. Skipped (no test
 * row) when the fit has no events or the test is not computable.
 */
function proportionalHazardsTest(fit: CoxPHResult, tests: TestSummary[], warnings: Warning[]): void {
  let zph: ReturnType<typeof coxZph>;
  try {
    zph = coxZph(fit, { transform: "km" });
  } catch (error) {
    if (error instanceof InvalidInputError || error instanceof InsufficientDataError) return;
    throw error;
  }
  const row = zph.global;
  tests.push({
    label: "Proportional hazards (Grambsch–Therneau)",
    statistic: row.statistic,
    df: row.df,
    pValue: row.pValue,
    method: `${zph.method}: scaled Schoenfeld residuals against the Kaplan–Meier time scale (R cox.zph)`,
  });
  if (row.pValue !== null && row.pValue < 0.05) {
    warnings.push(warning("NON_PROPORTIONAL_HAZARDS", `p = ${row.pValue.toPrecision(2)}`));
  }
}

/** Times at which numbers at risk are shown beneath a chart: 0 and even steps up to the horizon. */
export function atRiskTimes(horizon: number): number[] {
  const step = horizon <= 120 ? 30 : horizon <= 400 ? 60 : 180;
  const out: number[] = [];
  for (let t = 0; t <= horizon; t += step) out.push(t);
  return out;
}

/** Keeps curve points while more than `threshold` remain at risk (aggregates only; privacy). */
function cutIndex(nRisk: readonly number[], threshold: number): number {
  if (threshold <= 0) return nRisk.length;
  let k = 0;
  while (k < nRisk.length && (nRisk[k] as number) > threshold) k++;
  return k;
}

function stepCurve(
  group: string,
  time: readonly number[],
  nRisk: readonly number[],
  nCensor: readonly number[],
  estimate: readonly number[],
  lower: readonly (number | null)[],
  upper: readonly (number | null)[],
  start: number,
  threshold: number,
): SurvivalCurve {
  const end = cutIndex(nRisk, threshold);
  const t: number[] = [];
  const e: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const censor: number[] = [];
  if ((time[0] ?? 0) > 0 || end === 0) {
    t.push(0);
    e.push(start);
    lo.push(start);
    hi.push(start);
  }
  for (let k = 0; k < end; k++) {
    const v = estimate[k] as number;
    t.push(time[k] as number);
    e.push(v);
    lo.push(lower[k] ?? v);
    hi.push(upper[k] ?? v);
    if ((nCensor[k] as number) > 0) censor.push(time[k] as number);
  }
  return { group, time: t, estimate: e, lower: lo, upper: hi, censorTimes: censor };
}

function cifChart(
  cif: ReturnType<typeof cumulativeIncidence>,
  options: TimeToEventOptions,
  unweighted: UnweightedAtRisk | null,
): SurvivalChartInput {
  const riskTimes = atRiskTimes(options.horizonDays);
  const curves: SurvivalCurve[] = [];
  const atRisk: AtRiskRow[] = [];
  cif.curves.forEach((curve, g) => {
    const group = String(cif.groups[g]);
    const cause = curve.causes.find((c) => c.eventType === 1);
    const est = cause?.estimate ?? curve.time.map(() => 0);
    const nRisk = unweighted ? curve.time.map((t) => unweighted.at(group, t)) : curve.nRisk;
    curves.push(
      stepCurve(
        group,
        curve.time,
        nRisk,
        curve.nCensor,
        est,
        cause?.lower ?? [],
        cause?.upper ?? [],
        0,
        options.smallCellThreshold,
      ),
    );
    atRisk.push({
      group,
      time: riskTimes,
      nRisk: riskTimes.map((t) =>
        unweighted ? unweighted.at(group, t) : riskAt(curve.time, curve.nRisk, t),
      ),
    });
  });
  return {
    kind: "survival",
    yLabel: "Cumulative incidence",
    xLabel: "Days since the index event",
    curves,
    atRisk,
  };
}

function kmChart(
  km: ReturnType<typeof kaplanMeier>,
  _at: ReturnType<typeof kaplanMeierAtTimes>,
  options: TimeToEventOptions,
  unweighted: UnweightedAtRisk | null,
): SurvivalChartInput {
  const riskTimes = atRiskTimes(options.horizonDays);
  const curves: SurvivalCurve[] = [];
  const atRisk: AtRiskRow[] = [];
  for (const curve of km.curves) {
    const group = String(curve.group);
    const nRisk = unweighted ? curve.time.map((t) => unweighted.at(group, t)) : curve.nRisk;
    curves.push(
      stepCurve(
        group,
        curve.time,
        nRisk,
        curve.nCensor,
        curve.surv,
        curve.lower,
        curve.upper,
        1,
        options.smallCellThreshold,
      ),
    );
    atRisk.push({
      group,
      time: riskTimes,
      nRisk: riskTimes.map((t) =>
        unweighted ? unweighted.at(group, t) : riskAt(curve.time, curve.nRisk, t),
      ),
    });
  }
  return { kind: "survival", yLabel: "Survival", xLabel: "Days since the index event", curves, atRisk };
}

/** Number at risk at t: n.risk of the first curve time ≥ t (R summary.survfit), 0 beyond the last. */
function riskAt(time: readonly number[], nRisk: readonly number[], t: number): number {
  for (let k = 0; k < time.length; k++) if ((time[k] as number) >= t) return nRisk[k] as number;
  return 0;
}

/** E-value of a ratio and of its CI bound nearer the null (VanderWeele & Ding 2017), via the compare layer. */
function eValueOf(
  measure: "RR" | "HR",
  estimate: number | null,
  lower: number | null,
  upper: number | null,
  rareOutcome?: boolean,
): { estimate: number | null; ciBound: number | null } {
  if (estimate === null || !(estimate > 0)) return { estimate: null, ciBound: null };
  const e = eValue({
    measure,
    estimate,
    lower,
    upper,
    ...(rareOutcome === undefined ? {} : { rareOutcome }),
  });
  return { estimate: e.point, ciBound: e.ciBound };
}
