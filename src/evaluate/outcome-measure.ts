/**
 * A measure outcome of an evaluation (ED utilization, retention, abstinence, recovery capital,
 * follow-up after an ED visit, peer dose): the measure's unit values joined to the evaluation cohort;
 * for matched and weighted designs the propensity score, weights or matches fitted among exactly the
 * people analysed for this outcome; then — by design — a between-arm contrast (randomized,
 * unadjusted, matched, weighted: `estimateEffect`, absolute and relative with CI and E-value, subgroups
 * with interaction tests), a within-person pre/post change (prePost), a difference in differences
 * (`differenceInDifferences`, weighted when the design has covariates), or a description by group
 * (one-group designs and the service dose). Every unit left out is counted with its reason.
 * Aggregates only.
 */
import { differenceInDifferences } from "../compare/did.js";
import type { EffectResult as CompareEffect, EffectMeasure, Outcome } from "../compare/effects.js";
import { pairedChange } from "../compare/paired.js";
import type { Dataset } from "../dictionary/load-result.js";
import { type Warning, warning } from "../messages.js";
import type { EstimatePoint, FlowExclusion, FlowStep, TrajectoryPoint } from "../report/types.js";
import { normalQuantile } from "../stats/distributions/index.js";
import { glm } from "../stats/regression/index.js";
import { proportionCI } from "../stats/tables/proportion-ci.js";
import { tTest } from "../stats/tests/t-test.js";
import { mapToFloat64, mapToInt32, mapToUint8 } from "../util/typed-map.js";
import type { Adjustment } from "./adjust.js";
import { type EvaluationCohort, GROUP_ALL, GROUP_COMPARISON, GROUP_PEER } from "./cohort.js";
import type { EvaluationConfig, MeasureOutcomeConfig } from "./config.js";
import { DAYS_PER_YEAR, type MeasureUnits, measureUnits } from "./outcome-measures.js";
import type {
  EffectResult,
  IntervalValue,
  MeasureGroupResult,
  MeasureOutcomeResult,
  SubgroupResultSummary,
  TestSummary,
} from "./result.js";
import { subgroupSummary } from "./subgroup-summary.js";
import { adjustmentOf, effectOf as effectTask, type OutcomeSteps, pause, runSteps } from "./tasks.js";

const NONE: IntervalValue = { estimate: null, se: null, lower: null, upper: null };

function humanReason(code: string): string {
  const s = code
    .toLowerCase()
    .replace(/_/g, " ")
    .replace(/\bfollow up\b/g, "follow-up");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The analysed units of an outcome: aligned arrays. */
interface Analysed {
  readonly cohortPos: Int32Array;
  readonly treat: Uint8Array;
  readonly y: Float64Array;
  readonly t: Float64Array | null;
  readonly pre: Float64Array | null;
  readonly preT: Float64Array | null;
  readonly w: Float64Array;
  /** Matched set per unit (matching without replacement), else null. */
  readonly cluster: Int32Array | null;
}

/** The analysed units at the given rows, optionally with new weights and clusters (aligned to rows). */
function restrict(
  a: Analysed,
  rows: readonly number[],
  w?: ArrayLike<number>,
  cluster?: ArrayLike<number> | null,
): Analysed {
  const f = (x: Float64Array | null) => (x ? mapToFloat64(rows, (r) => x[r] as number) : null);
  return {
    cohortPos: mapToInt32(rows, (r) => a.cohortPos[r] as number),
    treat: mapToUint8(rows, (r) => a.treat[r] as number),
    y: mapToFloat64(rows, (r) => a.y[r] as number),
    t: f(a.t),
    pre: f(a.pre),
    preT: f(a.preT),
    w: w ? mapToFloat64(rows, (r) => w[r] as number) : mapToFloat64(rows, (r) => a.w[r] as number),
    cluster: cluster
      ? mapToInt32(rows, (r) => cluster[r] as number)
      : cluster === null
        ? null
        : a.cluster
          ? mapToInt32(rows, (r) => a.cluster?.[r] as number)
          : null,
  };
}

function iv(
  e: { estimate: number | null; se: number | null; ci: { lower: number | null; upper: number | null } },
  scale = 1,
): IntervalValue {
  const f = (x: number | null) => (x === null ? null : x * scale);
  return { estimate: f(e.estimate), se: f(e.se), lower: f(e.ci.lower), upper: f(e.ci.upper) };
}

function effectOf(
  m: EffectMeasure,
  label: string,
  scale: "difference" | "ratio",
  factor = 1,
  eValue?: EffectResult["eValue"],
): EffectResult {
  return {
    ...iv(m, factor),
    label,
    scale,
    pValue: m.pValue,
    method: m.method,
    level: m.ci.level,
    ...(eValue ? { eValue } : {}),
  };
}

/** Weighted mean with a robust (sandwich) SE and normal CI; plain t interval when unweighted. */
function meanInterval(y: readonly number[], w: readonly number[] | null, level: number): IntervalValue {
  const n = y.length;
  if (n === 0) return NONE;
  if (!w) {
    if (n < 2 || y.every((v) => v === y[0]))
      return { estimate: y[0] as number, se: null, lower: null, upper: null };
    const r = tTest(y, undefined, { confLevel: level });
    return { estimate: r.estimate, se: r.se, lower: r.ci.lower, upper: r.ci.upper };
  }
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < n; i++) {
    sw += w[i] as number;
    swy += (w[i] as number) * (y[i] as number);
  }
  if (!(sw > 0)) return NONE;
  const m = swy / sw;
  if (y.every((v) => v === y[0])) return { estimate: m, se: null, lower: null, upper: null };
  let v = 0;
  for (let i = 0; i < n; i++) v += ((w[i] as number) * ((y[i] as number) - m)) ** 2;
  const se = Math.sqrt(v) / sw;
  const z = normalQuantile(1 - (1 - level) / 2);
  return n < 2
    ? { estimate: m, se: null, lower: null, upper: null }
    : { estimate: m, se, lower: m - z * se, upper: m + z * se };
}

/** Rate per person-year Σy/Σt with a log-scale CI from a Poisson GLM with robust (HC0) variance. */
function rateInterval(
  y: readonly number[],
  t: readonly number[],
  w: readonly number[] | null,
  level: number,
): IntervalValue {
  let sy = 0;
  let st = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? (w[i] as number) : 1;
    sy += wi * (y[i] as number);
    st += wi * (t[i] as number);
  }
  if (!(st > 0)) return NONE;
  const rate = (sy / st) * DAYS_PER_YEAR;
  if (sy === 0 || y.length < 2) return { estimate: rate, se: null, lower: null, upper: null };
  const fit = glm(
    { y, x: [], offset: t.map((x) => Math.log(x)), ...(w ? { weights: w } : {}) },
    { family: "poisson", variance: "HC0", confLevel: level },
  );
  const c = fit.coefficients[0];
  if (!c || c.estimate === null || c.se === null)
    return { estimate: rate, se: null, lower: null, upper: null };
  const z = normalQuantile(1 - (1 - level) / 2);
  return {
    estimate: rate,
    se: rate * c.se,
    lower: Math.exp(c.estimate - z * c.se) * DAYS_PER_YEAR,
    upper: Math.exp(c.estimate + z * c.se) * DAYS_PER_YEAR,
  };
}

/** One group's value (no contrast), by value type. */
function describeGroup(
  type: MeasureUnits["valueType"],
  y: readonly number[],
  t: readonly number[] | null,
  w: readonly number[] | null,
  level: number,
): { value: IntervalValue; events: number | null; personYears: number | null } {
  if (type === "proportion") {
    let x = 0;
    for (const v of y) x += v;
    if (!w) {
      if (y.length === 0) return { value: NONE, events: 0, personYears: null };
      const r = proportionCI(x, y.length, { confLevel: level });
      return { value: iv(r), events: x, personYears: null };
    }
    return { value: meanInterval(y, w, level), events: x, personYears: null };
  }
  if (type === "rate" && t) {
    let sy = 0;
    let st = 0;
    for (let i = 0; i < y.length; i++) {
      sy += y[i] as number;
      st += t[i] as number;
    }
    return { value: rateInterval(y, t, w, level), events: sy, personYears: st / DAYS_PER_YEAR };
  }
  return { value: meanInterval(y, w, level), events: null, personYears: null };
}

/** Joins the measure's units to the cohort and counts every unit left out, by reason. */
function joinCohort(
  mu: MeasureUnits,
  cohort: EvaluationCohort,
  useChange: boolean,
): { a: Analysed; exclusions: FlowExclusion[]; nUnits: number; notEvaluable: number } {
  const posOf = cohortPositions(cohort, mu.person.ids);
  const n = mu.person.index.length;
  const keepAll = new Int32Array(n);
  const posAll = new Int32Array(n);
  let kept = 0;
  let notInCohort = 0;
  let notEvaluable = 0;
  for (let k = 0; k < n; k++) {
    const code = mu.person.index[k] as number;
    const p = code < 0 ? -1 : (posOf[code] as number);
    if (p < 0) {
      notInCohort++;
      continue;
    }
    const y = mu.post[k] as number;
    if (Number.isNaN(y) || (useChange && Number.isNaN(mu.pre?.[k] as number))) {
      notEvaluable++;
      continue;
    }
    keepAll[kept] = k;
    posAll[kept++] = p;
  }
  const keep = keepAll.subarray(0, kept);
  const pos = posAll.slice(0, kept);
  const nUnits = n + Object.values(mu.notInDenominator).reduce((s, v) => s + v, 0);
  const exclusions: FlowExclusion[] = [
    ...Object.entries(mu.notInDenominator).map(([r, n]) => ({
      reason: `Not in the measure's denominator: ${humanReason(r)}`,
      n,
    })),
    { reason: "Person not in the evaluation cohort (no eligible index event or arm)", n: notInCohort },
    { reason: mu.notEvaluable.reason, n: notEvaluable },
  ].filter((e) => e.n > 0);
  const y = mapToFloat64(keep, (k) =>
    useChange ? (mu.post[k] as number) - (mu.pre?.[k] as number) : (mu.post[k] as number),
  );
  const a: Analysed = {
    cohortPos: pos,
    treat: mapToUint8(pos, (p) => (cohort.group[p] === GROUP_PEER ? 1 : 0)),
    y,
    t: mu.postTime ? mapToFloat64(keep, (k) => mu.postTime?.[k] as number) : null,
    pre: mu.pre ? mapToFloat64(keep, (k) => mu.pre?.[k] as number) : null,
    preT: mu.preTime ? mapToFloat64(keep, (k) => mu.preTime?.[k] as number) : null,
    w: new Float64Array(pos.length).fill(1),
    cluster: null,
  };
  return { a, exclusions, nUnits, notEvaluable };
}

/** Per evaluation cohort: the cohort position of each person id of an id list (−1 = not in the cohort). */
const positionsByIds = new WeakMap<EvaluationCohort, WeakMap<readonly string[], Int32Array>>();

/**
 * The cohort position of every id in `ids` (a measure's person index, shared by all its outcomes),
 * looked up once per id list instead of once per unit. An id list that has grown since is looked up again.
 */
function cohortPositions(cohort: EvaluationCohort, ids: readonly string[]): Int32Array {
  let byIds = positionsByIds.get(cohort);
  if (!byIds) {
    byIds = new WeakMap();
    positionsByIds.set(cohort, byIds);
  }
  let pos = byIds.get(ids);
  if (!pos || pos.length !== ids.length) {
    pos = new Int32Array(ids.length);
    for (let k = 0; k < ids.length; k++) pos[k] = cohort.positionOf.get(ids[k] as string) ?? -1;
    byIds.set(ids, pos);
  }
  return pos;
}

function outcomeOf(mu: MeasureUnits, y: Float64Array, t: Float64Array | null): Outcome {
  if (mu.valueType === "rate" && t) return { type: "count", y, personTime: t };
  if (mu.valueType === "proportion") return { type: "binary", y };
  return { type: "continuous", y };
}

function subset<T extends ArrayLike<number>>(a: T, idx: readonly number[]): number[] {
  return idx.map((i) => a[i] as number);
}

/** Computes one measure outcome of an evaluation (its adjustment fitted here, in this thread). */
export function evaluateMeasureOutcome(
  dataset: Dataset,
  config: EvaluationConfig,
  outcome: MeasureOutcomeConfig,
  cohort: EvaluationCohort,
): MeasureOutcomeResult {
  return runSteps(measureOutcomeSteps(dataset, config, outcome, cohort));
}

/**
 * The steps of one measure outcome: derives the measure's units and joins them to the cohort, yields
 * the request for its adjustment (matched and weighted designs; whoever drives the steps fits it,
 * possibly in a worker while the next outcome's measure is derived), then analyses.
 */
export function* measureOutcomeSteps(
  dataset: Dataset,
  config: EvaluationConfig,
  outcome: MeasureOutcomeConfig,
  cohort: EvaluationCohort,
): OutcomeSteps<MeasureOutcomeResult> {
  const level = config.confLevel;
  const design = config.design;
  const mu = measureUnits(dataset, config, outcome, (ids) =>
    mapToFloat64(cohortPositions(cohort, ids), (k) => (k < 0 ? Number.NaN : (cohort.indexDay[k] as number))),
  );
  yield* pause();
  const warnings: Warning[] = [...mu.warnings];
  const notes: string[] = [];
  const hasPre = mu.pre !== null;
  const useChange =
    outcome.measure === "recoveryCapital" &&
    design.kind !== "prePost" &&
    design.kind !== "differenceInDifferences";
  const joined = joinCohort(mu, cohort, useChange);
  let a = joined.a;
  const { exclusions, nUnits, notEvaluable } = joined;
  // Pre/post and DiD compare each person with themselves: people without a pre-period value are left
  // out here, and counted.
  if (hasPre && (design.kind === "prePost" || design.kind === "differenceInDifferences")) {
    const rows: number[] = [];
    for (let i = 0; i < a.y.length; i++) {
      if (!Number.isNaN(a.pre?.[i] as number) && (!a.preT || !Number.isNaN(a.preT[i] as number)))
        rows.push(i);
    }
    exclusions.push({
      reason: `No value for the pre period (${mu.periodLabels.pre.toLowerCase()})`,
      n: a.y.length - rows.length,
    });
    a = restrict(a, rows);
  }
  // Matched and weighted designs: the propensity score, weights or matches are fitted among exactly the
  // people this outcome is analysed on, so that the comparison is balanced among them.
  let adjustment: Adjustment | null = null;
  if (
    cohort.adjustmentRequest &&
    mu.compared &&
    (design.kind === "weighted" ||
      design.kind === "matched" ||
      (design.kind === "differenceInDifferences" && hasPre))
  ) {
    let peer = 0;
    for (const t of a.treat) peer += t;
    if (peer > 0 && peer < a.y.length) {
      adjustment = yield* adjustmentOf(cohort.adjustmentRequest(a.cohortPos));
      const rows: number[] = [];
      for (let i = 0; i < a.y.length; i++) if ((adjustment.weights[i] as number) > 0) rows.push(i);
      for (const e of adjustment.exclusions)
        exclusions.push({ reason: `Not in the adjusted sample: ${e.reason}`, n: e.n });
      a = restrict(a, rows, adjustment.weights, adjustment.cluster);
      warnings.push(...adjustment.warnings);
    }
  }
  const n = a.y.length;
  const weighted = adjustment !== null;
  const groupAt = (i: number) => cohort.group[a.cohortPos[i] as number] as string;
  let sameGroup = true;
  for (let i = 1; i < n && sameGroup; i++) sameGroup = groupAt(i) === groupAt(0);
  const oneGroup = sameGroup && (design.kind === "descriptive" || design.kind === "prePost");
  const rateFactor = mu.valueType === "rate" ? DAYS_PER_YEAR : 1;
  const groupCodes = oneGroup ? [n > 0 ? groupAt(0) : GROUP_ALL] : [GROUP_PEER, GROUP_COMPARISON];
  const idxOf = (g: string): number[] => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (groupAt(i) === g) out.push(i);
    return out;
  };
  const wArr = (idx: number[]) => (weighted ? subset(a.w, idx) : null);

  let analysis: MeasureOutcomeResult["analysis"];
  const groups: MeasureGroupResult[] = [];
  const effects: EffectResult[] = [];
  const tests: TestSummary[] = [];
  const subgroups: SubgroupResultSummary[] = [];
  const points: EstimatePoint[] = [];

  const prePostCapable = hasPre && design.kind === "prePost";
  let nPeer = 0;
  for (const t of a.treat) nPeer += t;
  const bothArms = nPeer > 0 && nPeer < n;
  const didCapable = hasPre && design.kind === "differenceInDifferences" && bothArms;
  const compare =
    mu.compared && !oneGroup && design.kind !== "descriptive" && design.kind !== "prePost" && bothArms;
  if (mu.compared && !oneGroup && design.kind !== "descriptive" && design.kind !== "prePost" && !bothArms) {
    warnings.push(
      warning(
        "EFFECT_NOT_EVALUABLE",
        `${mu.title}: ${n === 0 ? "no unit could be analysed" : "only one group has analysed units"}`,
      ),
    );
    notes.push(
      n === 0
        ? "No unit of this measure could be analysed (see the participant flow for the reasons): nothing to compare."
        : "Only one group has analysed units, so the groups cannot be compared.",
    );
  }

  if (prePostCapable) {
    analysis = "prePost";
    const g = groupCodes[0] as string;
    const idx = idxOf(g);
    const pre = subset(a.pre as Float64Array, idx);
    const post = subset(a.y, idx);
    let preV: IntervalValue;
    let postV: IntervalValue;
    let change: IntervalValue;
    if (mu.valueType === "rate") {
      const t = subset(a.t as Float64Array, idx);
      const pt = subset(a.preT as Float64Array, idx);
      const okPre = pre.map((v, i) => !Number.isNaN(v) && !Number.isNaN(pt[i] as number));
      const rows = idx.map((_, i) => i).filter((i) => okPre[i]);
      preV = rateInterval(subset(pre, rows), subset(pt, rows), null, level);
      postV = rateInterval(subset(post, rows), subset(t, rows), null, level);
      // Rate ratio after/before within persons: Poisson GLM y ~ after + offset(log t), clustered by person.
      const yy = [...subset(pre, rows), ...subset(post, rows)];
      const tt = [...subset(pt, rows), ...subset(t, rows)];
      const after = [...rows.map(() => 0), ...rows.map(() => 1)];
      const cl = [...rows, ...rows];
      change = NONE;
      if (rows.length > 1 && yy.some((v) => v > 0)) {
        const fit = glm(
          { y: yy, x: [{ name: "after", values: after }], offset: tt.map(Math.log), cluster: cl },
          { family: "poisson", variance: "cluster", confLevel: level },
        );
        const c = fit.coefficients.find((k) => k.name === "after");
        if (c && c.estimate !== null && c.ci.lower !== null && c.ci.upper !== null) {
          change = {
            estimate: Math.exp(c.estimate),
            se: null,
            lower: Math.exp(c.ci.lower),
            upper: Math.exp(c.ci.upper),
          };
          effects.push({
            ...change,
            label: "Rate ratio, after vs before (same people)",
            scale: "ratio",
            pValue: c.pValue,
            method:
              "Poisson GLM of visits on period with log person-time offset, cluster-robust variance by person (sandwich::vcovCL, HC0)",
            level,
          });
        }
      }
      groups.push({
        group: g,
        n: rows.length,
        ...postV,
        events: post.reduce((s, v, i) => s + (okPre[i] ? v : 0), 0),
        personYears: null,
        pre: preV,
        change,
      });
    } else {
      const r = pairedChange(
        { pre, post, type: mu.valueType === "proportion" ? "binary" : "continuous" },
        { confLevel: level },
      );
      warnings.push(...r.warnings);
      const okIdx = pre.map((v, i) => (!Number.isNaN(v) ? i : -1)).filter((i) => i >= 0);
      preV = describeGroup(mu.valueType, subset(pre, okIdx), null, null, level).value;
      postV = describeGroup(mu.valueType, subset(post, okIdx), null, null, level).value;
      change = iv(r.absolute, mu.valueType === "proportion" ? 1 : 1);
      effects.push(
        effectOf(
          r.absolute,
          mu.valueType === "proportion"
            ? "Change in proportion, after − before (same people)"
            : "Mean change, after − before (same people)",
          "difference",
        ),
      );
      if (mu.valueType === "proportion")
        effects.push(effectOf(r.relative, "Ratio of proportions, after / before (same people)", "ratio"));
      tests.push({
        label: mu.valueType === "proportion" ? "McNemar test" : "Paired t-test",
        statistic: r.test.statistic,
        df: r.test.df ?? null,
        pValue: r.test.pValue,
        method: r.method,
      });
      groups.push({ group: g, n: r.n, ...postV, events: null, personYears: null, pre: preV, change });
    }
    points.push(
      { group: g, category: mu.periodLabels.pre, n: groups[0]?.n ?? 0, ...pick(preV) },
      { group: g, category: mu.periodLabels.post, n: groups[0]?.n ?? 0, ...pick(postV) },
    );
    warnings.push(warning("PREPOST_NO_COMPARISON"));
    notes.push(
      "Before/after in the same people, without a comparison group: the change mixes any effect of the service with time trends and regression to the mean. Descriptive.",
    );
  } else if (didCapable && mu.compared) {
    analysis = "differenceInDifferences";
    const rows = Array.from({ length: n }, (_, i) => i).filter(
      (i) => !Number.isNaN(a.pre?.[i] as number) && (!a.preT || !Number.isNaN(a.preT[i] as number)),
    );
    const unit = [...rows, ...rows];
    const grp = [...rows.map((i) => a.treat[i] as number), ...rows.map((i) => a.treat[i] as number)];
    const period = [...rows.map(() => -1), ...rows.map(() => 0)];
    const w = [...rows.map((i) => a.w[i] as number), ...rows.map((i) => a.w[i] as number)];
    const yRaw = [...rows.map((i) => a.pre?.[i] as number), ...rows.map((i) => a.y[i] as number)];
    const tRaw = a.t
      ? [...rows.map((i) => a.preT?.[i] as number), ...rows.map((i) => a.t?.[i] as number)]
      : null;
    // Absolute DiD on the displayed scale (rates per person-year, weighted by person-time so that cell
    // means are ratio estimates Σy/Σt); relative: Poisson ratio of rate ratios with log person-time.
    const yAbs = tRaw ? yRaw.map((v, i) => (v / (tRaw[i] as number)) * DAYS_PER_YEAR) : yRaw;
    const wAbs = tRaw ? w.map((x, i) => x * (tRaw[i] as number)) : w;
    const did = differenceInDifferences(
      { unit, group: grp, period, y: yAbs, weights: wAbs },
      { confLevel: level, eventStudy: false },
    );
    warnings.push(...did.warnings);
    effects.push({
      ...iv(did.absolute),
      label: `Difference in differences (${mu.valueType === "proportion" ? "proportion" : mu.valueType === "rate" ? "visits per person-year" : "points"})`,
      scale: "difference",
      pValue: did.absolute.pValue,
      method: `${did.method}${weighted ? "; propensity-score weights treated as known" : ""}`,
      level,
    });
    if (mu.valueType !== "mean") {
      const rel = differenceInDifferences(
        { unit, group: grp, period, y: yRaw, weights: w, ...(tRaw ? { personTime: tRaw } : {}) },
        { confLevel: level, eventStudy: false },
      );
      effects.push({
        ...iv(rel.relative),
        label:
          mu.valueType === "rate"
            ? "Ratio of rate ratios (after/before, peer vs comparison)"
            : "Ratio of risk ratios (after/before, peer vs comparison)",
        scale: "ratio",
        pValue: rel.relative.pValue,
        method: rel.relative.method,
        level,
      });
    }
    for (const [g, tr] of [
      [GROUP_PEER, 1],
      [GROUP_COMPARISON, 0],
    ] as const) {
      const idx = rows.filter((i) => a.treat[i] === tr);
      const ww = weighted ? subset(a.w, idx) : null;
      const preV = describeGroup(
        mu.valueType,
        subset(a.pre as Float64Array, idx),
        a.preT ? subset(a.preT, idx) : null,
        ww,
        level,
      );
      const postV = describeGroup(mu.valueType, subset(a.y, idx), a.t ? subset(a.t, idx) : null, ww, level);
      groups.push({
        group: g,
        n: idx.length,
        ...postV.value,
        events: postV.events,
        personYears: postV.personYears,
        pre: preV.value,
        change: NONE,
      });
      points.push(
        { group: g, category: mu.periodLabels.pre, n: idx.length, ...pick(preV.value) },
        { group: g, category: mu.periodLabels.post, n: idx.length, ...pick(postV.value) },
      );
    }
    notes.push(
      `Difference in differences: the change from ${mu.periodLabels.pre.toLowerCase()} to ${mu.periodLabels.post.toLowerCase()} in the peer-support group minus the change in the comparison group${weighted ? ", after propensity-score weighting" : ""}. It assumes both groups would have changed alike without peer support (parallel trends), which one pre period cannot test.`,
    );
  } else if (compare) {
    analysis = "comparison";
    if (design.kind === "differenceInDifferences") {
      warnings.push(warning("NO_PRE_PERIOD", mu.title));
      notes.push(
        "This outcome has no value before the index event, so it is compared after the index event only (with the design's weights), not as a difference in differences.",
      );
    }
    const clusterLabels = a.cluster;
    const input = {
      treat: a.treat,
      outcome: outcomeOf(mu, a.y, a.t),
      ...(weighted ? { weights: a.w } : {}),
      ...(clusterLabels ? { cluster: clusterLabels } : {}),
    };
    const opts = {
      confLevel: level,
      ...(adjustment
        ? {
            estimand: adjustment.comparability.estimand.startsWith("ATE")
              ? ("ATE" as const)
              : adjustment.comparability.estimand.startsWith("ATO")
                ? ("ATO" as const)
                : ("ATT" as const),
          }
        : {}),
    };
    const e: CompareEffect = yield* effectTask(input, opts);
    warnings.push(...e.warnings);
    const ev = e.evalue ? { estimate: e.evalue.point, ciBound: e.evalue.ciBound } : undefined;
    const absLabel =
      mu.valueType === "rate"
        ? "Rate difference (visits per person-year)"
        : mu.valueType === "proportion"
          ? "Risk difference"
          : "Mean difference (points)";
    effects.push(
      effectOf(e.absolute, absLabel, "difference", rateFactor, mu.valueType === "mean" ? ev : undefined),
    );
    if (mu.valueType !== "mean")
      effects.push(
        effectOf(e.relative, mu.valueType === "rate" ? "Rate ratio" : "Risk ratio", "ratio", 1, ev),
      );
    else effects.push(effectOf(e.relative, "Standardised mean difference", "difference"));
    for (const [g, arm] of [
      [GROUP_PEER, e.arms.treated],
      [GROUP_COMPARISON, e.arms.control],
    ] as const) {
      const idx = idxOf(g);
      let events: number | null = null;
      let py: number | null = null;
      if (mu.valueType !== "mean") {
        events = 0;
        for (const i of idx) events += a.y[i] as number;
      }
      if (a.t) {
        py = 0;
        for (const i of idx) py += (a.t[i] as number) / DAYS_PER_YEAR;
      }
      const value = iv(arm, rateFactor);
      groups.push({ group: g, n: idx.length, ...value, events, personYears: py, pre: null, change: null });
      points.push({ group: g, n: idx.length, ...pick(value) });
    }
    // Subgroups: the same estimator within each level, with the joint interaction test.
    for (const sg of cohort.subgroups) {
      subgroups.push(
        subgroupSummary(
          input,
          opts,
          sg,
          Array.from(a.cohortPos, (p) => sg.codes[p] as number),
          { ratio: mu.valueType === "rate" ? "Rate ratio" : "Risk ratio", difference: absLabel },
          (scale) => iv(scale === "ratio" ? e.relative : e.absolute, scale === "ratio" ? 1 : rateFactor),
          rateFactor,
        ),
      );
    }
  } else {
    analysis = "described";
    if (!mu.compared && !oneGroup) {
      notes.push(
        "Described by group, not compared: the peer service dose is part of the exposure itself (MEASURES.md §11), so a difference between groups is not an effect.",
      );
    }
    const codes = oneGroup ? groupCodes : [GROUP_PEER, GROUP_COMPARISON];
    for (const g of codes) {
      const idx = idxOf(g);
      const d = describeGroup(
        mu.valueType,
        subset(a.y, idx),
        a.t ? subset(a.t, idx) : null,
        wArr(idx),
        level,
      );
      groups.push({
        group: g,
        n: idx.length,
        ...d.value,
        events: d.events,
        personYears: d.personYears,
        pre: null,
        change: null,
      });
      points.push({ group: g, n: idx.length, ...pick(d.value) });
    }
  }

  // Trajectory: mean total by wave and group, among the analysed people.
  let trajectory: MeasureOutcomeResult["charts"]["trajectory"] = null;
  if (mu.trajectory) {
    // Weight of each analysed person (the outcome's design weights), by cohort position.
    const weightAt = new Map<number, number>();
    for (let i = 0; i < a.cohortPos.length; i++) weightAt.set(a.cohortPos[i] as number, a.w[i] as number);
    const tr = mu.trajectory;
    const cells = new Map<string, { g: string; time: number; label: string; y: number[]; w: number[] }>();
    const posOf = cohortPositions(cohort, tr.person.ids);
    for (let k = 0; k < tr.person.index.length; k++) {
      const code = tr.person.index[k] as number;
      const p = code < 0 ? -1 : (posOf[code] as number);
      const wp = p < 0 ? undefined : weightAt.get(p);
      if (wp === undefined) continue;
      const g = cohort.group[p] as string;
      const key = `${g}\u0000${tr.time[k]}`;
      let c = cells.get(key);
      if (!c) {
        c = { g, time: tr.time[k] as number, label: tr.timeLabel[k] as string, y: [], w: [] };
        cells.set(key, c);
      }
      c.y.push(tr.value[k] as number);
      c.w.push(wp);
    }
    const tp: TrajectoryPoint[] = [...cells.values()]
      .sort((x, y) => (x.g < y.g ? -1 : x.g > y.g ? 1 : x.time - y.time))
      .map((c) => ({
        group: c.g,
        time: c.time,
        timeLabel: c.label,
        n: c.y.length,
        ...pick(meanInterval(c.y, weighted ? c.w : null, level)),
      }));
    trajectory = {
      kind: "trajectory",
      xLabel: "Months after intake",
      yLabel: `Mean ${mu.title.replace(/^Recovery capital \((.*)\)$/, "$1")} total${weighted ? " (weighted)" : ""}`,
      points: tp,
    };
  }

  const analysedN = groups.reduce((s, g) => s + g.n, 0);
  const flow: FlowStep[] = [
    ...cohort.flow,
    { label: `Units of the measure (${mu.title})`, n: nUnits, excluded: exclusions },
    { label: "Analysed", n: analysedN },
  ];
  // Outcome completeness among the eligible units of the analysed sample (units left out by design,
  // e.g. unmatched comparison people, do not count as missing outcomes).
  const eligible = n + notEvaluable;
  if (eligible > 0 && n / eligible < 0.8) {
    warnings.push(
      warning("FOLLOW_UP_BELOW_80", `${n} of ${eligible} eligible units have an evaluable value`),
    );
  }
  return {
    kind: "measure",
    id: mu.id,
    title: mu.title,
    measure: mu.measure,
    valueType: mu.valueType,
    valueLabel: useChange || !mu.levelLabel ? mu.valueLabel : mu.levelLabel.label,
    phrase: useChange || !mu.levelLabel ? mu.phrase : mu.levelLabel.phrase,
    analysis,
    referenceGroup:
      analysis === "comparison" || analysis === "differenceInDifferences" ? GROUP_COMPARISON : null,
    comparisonGroup: analysis === "comparison" || analysis === "differenceInDifferences" ? GROUP_PEER : null,
    groups,
    effects,
    tests,
    subgroups,
    charts: {
      estimates: {
        kind: "estimates",
        valueLabel: useChange || !mu.levelLabel ? mu.valueLabel : mu.levelLabel.label,
        ...(mu.valueType === "proportion" ? { style: { kind: "percent" as const } } : {}),
        points,
        zero: mu.valueType !== "mean" || outcome.measure === "peerDose",
      },
      trajectory,
    },
    flow,
    comparability: adjustment ? adjustment.comparability : null,
    periodLabels:
      hasPre && (analysis === "prePost" || analysis === "differenceInDifferences") ? mu.periodLabels : null,
    completeness: { eligible, analysed: n },
    notes,
    warnings,
  };
}

function pick(v: IntervalValue): { estimate: number | null; lower: number | null; upper: number | null } {
  return { estimate: v.estimate, lower: v.lower, upper: v.upper };
}
