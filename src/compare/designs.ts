/**
 * Comparison-group designs: thin orchestrators over propensity scores, matching, weighting, balance
 * and effect estimation. Input is unit-level data whose time zero the cohort layer has aligned.
 */
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import { type DesignColumn, expandFactors, type FactorColumn } from "../stats/regression/index.js";
import { freezeResult } from "../stats/result.js";
import { gatherFloat64, mapToFloat64, mapToUint8 } from "../util/typed-map.js";
import { type BalanceResult, balanceTable } from "./balance.js";
import { toDesignColumns } from "./design-matrix.js";
import { type DidInput, type DidOptions, type DidResult, differenceInDifferences } from "./did.js";
import {
  type EffectOptions,
  type EffectResult,
  estimateEffect,
  type Outcome,
  type PropensityAdjustment,
  subsetOutcome,
} from "./effects.js";
import { type MatchOptions, type MatchResult, matchNearest } from "./matching.js";
import { type PairedInput, type PairedResult, pairedChange } from "./paired.js";
import { type PropensityOptions, type PropensityScoreResult, propensityScore } from "./propensity.js";
import { alignExposure, type TimeZeroInput, type TimeZeroOptions, type TimeZeroResult } from "./time-zero.js";
import { type Label, readTreat, requireBothArms, requireLength } from "./util.js";
import { type PropensityWeightsOptions, propensityWeights, type WeightsResult } from "./weighting.js";

export type DesignKind = "randomized" | "matched" | "weighted" | "prePost" | "differenceInDifferences";

/** The adjusted (analysed) sample, aligned with the input rows. */
export interface AdjustedSample {
  readonly n: number;
  readonly nTreated: number;
  readonly nControl: number;
  /** Input rows left out (missing covariates, landmark, unmatched, zero weight). */
  readonly nExcluded: number;
  /** Arm per input row (after any time-zero rule). */
  readonly treat: Uint8Array;
  /** Weight per input row (0 = not analysed); null when every analysed unit has weight 1 (randomised). */
  readonly weights: Float64Array | null;
  /** Matched-set number per input row (−1 = none); null unless matched. */
  readonly setId: Int32Array | null;
}

export interface DesignResult {
  readonly design: DesignKind;
  readonly estimand: string;
  readonly sample: AdjustedSample;
  readonly timeZero: TimeZeroResult | null;
  readonly propensity: PropensityScoreResult | null;
  readonly matching: MatchResult | null;
  readonly weighting: WeightsResult | null;
  readonly balance: BalanceResult | null;
  /** One effect result per named outcome. */
  readonly effects: Readonly<Record<string, EffectResult>>;
  /** Labelled sensitivity analyses (randomised: per-protocol). */
  readonly sensitivity: Readonly<Record<string, Readonly<Record<string, EffectResult>>>>;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

/** Arms either given directly (`treat`) or derived from exposure dates by the time-zero guard. */
export interface ObservationalInput {
  /** 1 = program (peer) group, 0 = comparison. Give this or `timeZero`, not both. */
  readonly treat?: ArrayLike<number | boolean>;
  /** Exposure dates: arms are derived by `alignExposure` (refuses exposure after time zero unless a grace window or landmark is set). */
  readonly timeZero?: TimeZeroInput;
  /** Unique unit ids (the stable tie-break key of matching). */
  readonly id: ArrayLike<Label>;
  /** Pre-index covariates (numeric; factor dummies from designMatrix). */
  readonly covariates: readonly DesignColumn[] | Readonly<Record<string, ArrayLike<number>>>;
  /**
   * Pre-index categorical covariates in coded form (code −1 = missing): the propensity model is the
   * same as with their treatment-coded dummies appended to `covariates`, fitted from the codes; the
   * dummies are built only where dense columns are needed (the balance table, the stacked variance).
   */
  readonly factors?: readonly FactorColumn[];
  /** Named outcomes. Time-to-event times are days since time zero (shifted by a landmark automatically). */
  readonly outcomes: Readonly<Record<string, Outcome>>;
  /** Optional cluster per unit (site) for weighted designs. */
  readonly cluster?: ArrayLike<Label>;
}

export interface CommonDesignOptions {
  readonly timeZero?: TimeZeroOptions;
  readonly propensity?: PropensityOptions;
  readonly effect?: EffectOptions;
  /** Balance threshold (default 0.1). */
  readonly threshold?: number;
  /**
   * Compute the design's balance table (default true). A caller that builds its own balance table
   * (e.g. on every level rather than reference-coded columns) skips it: `balance` is then null.
   */
  readonly balance?: boolean;
}

function resolveArms(
  fn: string,
  input: ObservationalInput,
  opts: TimeZeroOptions | undefined,
): { treat: Uint8Array; include: Uint8Array; tz: TimeZeroResult | null } {
  if ((input.treat === undefined) === (input.timeZero === undefined)) {
    throw new InvalidInputError(
      fn,
      "give either treat or timeZero (exposure dates), not both and not neither",
    );
  }
  if (input.treat !== undefined) {
    const treat = readTreat(fn, input.treat);
    return { treat, include: new Uint8Array(treat.length).fill(1), tz: null };
  }
  const tz = alignExposure(input.timeZero!, opts ?? {});
  return { treat: tz.treat, include: tz.include, tz };
}

function shiftOutcome(o: Outcome, shift: number): Outcome {
  if (o.type !== "timeToEvent" || shift === 0) return o;
  return { ...o, time: mapToFloat64({ length: o.time.length }, (_, i) => o.time[i]! - shift) };
}

function subsetColumns(cols: readonly DesignColumn[], idx: readonly number[]): DesignColumn[] {
  const n = cols[0]?.values.length ?? 0;
  let all = idx.length === n;
  for (let i = 0; all && i < idx.length; i++) all = idx[i] === i;
  if (all) return cols.map((c) => ({ name: c.name, values: c.values }));
  return cols.map((c) => ({ name: c.name, values: gatherFloat64(c.values, idx) }));
}

function subsetFactors(factors: readonly FactorColumn[], idx: readonly number[]): FactorColumn[] {
  const n = factors[0]?.codes.length ?? 0;
  let all = idx.length === n;
  for (let i = 0; all && i < idx.length; i++) all = idx[i] === i;
  if (all) return [...factors];
  return factors.map((f) => {
    const codes = new Int32Array(idx.length);
    for (let k = 0; k < idx.length; k++) codes[k] = f.codes[idx[k]!]!;
    return { ...f, codes };
  });
}

function collect(target: Warning[], from: readonly Warning[]): void {
  for (const w of from) if (!target.some((x) => x.code === w.code && x.message === w.message)) target.push(w);
}

/**
 * Randomised design: intention-to-treat on the assigned arm (cluster-robust when randomised by site or
 * shift), an optional baseline balance table (unadjusted, pooled SD), and a per-protocol analysis as a
 * labelled sensitivity analysis (units with `adherence` = 1: treated who received the program, controls
 * who did not; PER_PROTOCOL_SENSITIVITY). MEASURES §10.
 */
export function randomizedDesign(
  input: {
    readonly arm: ArrayLike<number | boolean>;
    readonly outcomes: Readonly<Record<string, Outcome>>;
    readonly cluster?: ArrayLike<Label>;
    readonly adherence?: ArrayLike<number | boolean>;
    readonly covariates?: readonly DesignColumn[] | Readonly<Record<string, ArrayLike<number>>>;
  },
  options: { readonly effect?: EffectOptions; readonly threshold?: number } = {},
): DesignResult {
  const fn = "randomizedDesign";
  const treat = readTreat(fn, input.arm, "arm");
  const n = treat.length;
  const counts = requireBothArms(fn, treat);
  requireLength(fn, "cluster", input.cluster, n);
  const warnings: Warning[] = [];
  const eff = { ...(options.effect ?? {}), estimand: "ATE" as const };
  const effects: Record<string, EffectResult> = {};
  for (const [name, o] of Object.entries(input.outcomes)) {
    effects[name] = estimateEffect(
      { treat, outcome: o, ...(input.cluster ? { cluster: input.cluster } : {}) },
      eff,
    );
    collect(warnings, effects[name]!.warnings);
  }
  const sensitivity: Record<string, Record<string, EffectResult>> = {};
  if (input.adherence) {
    const adh = readTreat(fn, input.adherence, "adherence");
    requireLength(fn, "adherence", adh, n);
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (adh[i]) idx.push(i);
    const pp: Record<string, EffectResult> = {};
    const tSub = mapToUint8(idx, (i) => treat[i]!);
    for (const [name, o] of Object.entries(input.outcomes)) {
      pp[name] = estimateEffect(
        {
          treat: tSub,
          outcome: subsetOutcome(o, idx),
          ...(input.cluster ? { cluster: idx.map((i) => input.cluster![i]!) } : {}),
        },
        eff,
      );
    }
    sensitivity.perProtocol = pp;
    warnings.push(
      warning("PER_PROTOCOL_SENSITIVITY", `${n - idx.length} non-adherent unit(s) left out`, {
        excluded: n - idx.length,
      }),
    );
  }
  const balance = input.covariates
    ? balanceTable(
        { treat, covariates: input.covariates },
        { estimand: "ATE", ...(options.threshold ? { threshold: options.threshold } : {}) },
      )
    : null;
  return freezeResult({
    design: "randomized" as const,
    estimand: "ITT (effect of assignment)",
    sample: {
      n,
      nTreated: counts.treated,
      nControl: counts.control,
      nExcluded: 0,
      treat,
      weights: null,
      setId: null,
    },
    timeZero: null,
    propensity: null,
    matching: null,
    weighting: null,
    balance,
    effects,
    sensitivity,
    method: `Randomised: intention-to-treat on the assigned arm${input.cluster ? ", cluster-robust variance by randomisation cluster" : ""}${input.adherence ? "; per-protocol as a sensitivity analysis" : ""}`,
    warnings,
  });
}

/** Shared front half of matched and weighted designs: arms, exclusions, propensity score. */
function prepareObservational(fn: string, input: ObservationalInput, options: CommonDesignOptions) {
  const { treat, include, tz } = resolveArms(fn, input, options.timeZero);
  const n = treat.length;
  requireLength(fn, "id", input.id, n);
  requireLength(fn, "cluster", input.cluster, n);
  const cols = toDesignColumns(fn, input.covariates, n);
  const factors = input.factors ?? [];
  for (const f of factors) {
    if (!f || !(f.codes instanceof Int32Array) || f.codes.length !== n) {
      throw new InvalidInputError(fn, `factor ${f?.name ?? ""}: codes must be an Int32Array of ${n} values`);
    }
  }
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (include[i]) rows.push(i);
  const sub = {
    treat: mapToUint8(rows, (i) => treat[i]!),
    cols: subsetColumns(cols, rows),
    factors: subsetFactors(factors, rows),
  };
  const ps = propensityScore(
    { treat: sub.treat, covariates: sub.cols, ...(factors.length > 0 ? { factors: sub.factors } : {}) },
    options.propensity ?? {},
  );
  // Complete cases among the included rows.
  const used = rows.filter((_, k) => ps.complete[k] === 1);
  const local = new Int32Array(n).fill(-1);
  rows.forEach((i, k) => {
    local[i] = k;
  });
  return { treat, tz, cols, factors, used, psRow: local, ps };
}

function effectsFor(
  input: ObservationalInput,
  rows: readonly number[],
  treat: Uint8Array,
  weights: Float64Array,
  cluster: readonly Label[] | null,
  shift: number,
  eff: EffectOptions,
  warnings: Warning[],
  propensity: PropensityAdjustment | null = null,
): Record<string, EffectResult> {
  const effects: Record<string, EffectResult> = {};
  const t = mapToUint8(rows, (i) => treat[i]!);
  const w = mapToFloat64(rows, (i) => weights[i]!);
  for (const [name, o] of Object.entries(input.outcomes)) {
    effects[name] = estimateEffect(
      {
        treat: t,
        outcome: subsetOutcome(shiftOutcome(o, shift), rows as number[]),
        weights: w,
        ...(cluster ? { cluster } : {}),
        ...(propensity ? { propensity } : {}),
      },
      eff,
    );
    collect(warnings, effects[name]!.warnings);
  }
  return effects;
}

/**
 * Matched design (MEASURES §10): time-zero guard → propensity score (logistic) → greedy nearest-
 * neighbour matching (default 1:1, no replacement, largest first, MatchIt conventions) → balance
 * (ATT, before/after, the score itself as "distance" first, as MatchIt) → effects in the matched sample
 * with the matching weights and cluster-robust variance by matched set (HC0 with replacement).
 */
export function matchedDesign(
  input: ObservationalInput,
  options: CommonDesignOptions & {
    readonly matching?: MatchOptions;
    readonly exact?: ArrayLike<Label> | readonly ArrayLike<Label>[];
  } = {},
): DesignResult {
  const fn = "matchedDesign";
  const { treat, tz, cols, factors, used, psRow: rowsPs, ps } = prepareObservational(fn, input, options);
  const n = treat.length;
  const psOf = (i: number): number => ps.ps[rowsPs[i]!]!;
  const lpOf = (i: number): number => ps.linearPredictor[rowsPs[i]!]!;
  const exactCols =
    options.exact === undefined
      ? undefined
      : Array.isArray(options.exact) && options.exact.length > 0 && typeof options.exact[0] === "object"
        ? (options.exact as readonly ArrayLike<Label>[]).map((c) => used.map((i) => c[i]!))
        : used.map((i) => (options.exact as ArrayLike<Label>)[i]!);
  const m = matchNearest(
    {
      treat: mapToUint8(used, (i) => treat[i]!),
      ps: Float64Array.from(used, psOf),
      linearPredictor: Float64Array.from(used, lpOf),
      id: used.map((i) => input.id[i]!),
      ...(exactCols !== undefined ? { exact: exactCols as ArrayLike<Label> } : {}),
    },
    options.matching ?? {},
  );
  const weights = new Float64Array(n);
  const setId = new Int32Array(n).fill(-1);
  used.forEach((i, k) => {
    weights[i] = m.weights[k]!;
    setId[i] = m.setId[k]!;
  });
  const warnings: Warning[] = [];
  if (tz) collect(warnings, tz.warnings);
  collect(warnings, ps.warnings);
  collect(warnings, m.warnings);
  const distance = Float64Array.from(used, m.distance === "logit" ? lpOf : psOf);
  const balance =
    options.balance === false
      ? null
      : balanceTable(
          {
            treat: mapToUint8(used, (i) => treat[i]!),
            covariates: [
              { name: "distance", values: distance },
              ...subsetColumns(cols, used),
              ...expandFactors(factors, used),
            ],
            weights: mapToFloat64(used, (i) => weights[i]!),
          },
          { estimand: "ATT", ...(options.threshold ? { threshold: options.threshold } : {}) },
        );
  if (balance) collect(warnings, balance.warnings);
  const matchedRows = used.filter((i) => weights[i]! > 0);
  const cluster = m.replace ? null : matchedRows.map((i) => setId[i]!);
  const eff: EffectOptions = {
    ...(m.replace ? { variance: "HC0" as const } : {}),
    ...(options.effect ?? {}),
    estimand: "ATT",
  };
  const effects = effectsFor(input, matchedRows, treat, weights, cluster, tz?.shiftDays ?? 0, eff, warnings);
  let nt = 0;
  for (const i of matchedRows) nt += treat[i]!;
  return freezeResult({
    design: "matched" as const,
    estimand: m.nTreatedMatched < m.nTreated ? "ATT among matched treated units" : "ATT",
    sample: {
      n: matchedRows.length,
      nTreated: nt,
      nControl: matchedRows.length - nt,
      nExcluded: n - matchedRows.length,
      treat,
      weights,
      setId,
    },
    timeZero: tz,
    propensity: ps,
    matching: m,
    weighting: null,
    balance,
    effects,
    sensitivity: {},
    method: `Matched: ${ps.method}; ${m.method}; effects with matching weights and ${m.replace ? "HC0" : "cluster-robust (matched set)"} variance`,
    warnings,
  });
}

/**
 * Weighted design (MEASURES §10): time-zero guard → propensity score → IPT or overlap weights
 * (WeightIt formulas; optional stabilisation and trimming) → balance (before/after, SD denominator by
 * estimand) → weighted effects with HC0 sandwich variance (cluster-robust when `cluster`, e.g. site).
 * The variance treats the weights as known (WeightIt `vcov = "HC0"`), which is conservative for the
 * ATE (Lunceford & Davidian 2004).
 */
export function weightedDesign(
  input: ObservationalInput,
  options: CommonDesignOptions & { readonly weighting: PropensityWeightsOptions },
): DesignResult {
  const fn = "weightedDesign";
  const { treat, tz, cols, factors, used, psRow: rowsPs, ps } = prepareObservational(fn, input, options);
  const n = treat.length;
  const wr = propensityWeights(
    {
      treat: mapToUint8(used, (i) => treat[i]!),
      ps: mapToFloat64(used, (i) => ps.ps[rowsPs[i]!]!),
    },
    options.weighting,
  );
  const weights = new Float64Array(n);
  used.forEach((i, k) => {
    weights[i] = wr.weights[k]!;
  });
  const warnings: Warning[] = [];
  if (tz) collect(warnings, tz.warnings);
  collect(warnings, ps.warnings);
  collect(warnings, wr.warnings);
  const est = options.weighting.estimand;
  const balance =
    options.balance === false
      ? null
      : balanceTable(
          {
            treat: mapToUint8(used, (i) => treat[i]!),
            covariates: [
              { name: "distance", values: mapToFloat64(used, (i) => ps.ps[rowsPs[i]!]!) },
              ...subsetColumns(cols, used),
              ...expandFactors(factors, used),
            ],
            weights: mapToFloat64(used, (i) => weights[i]!),
          },
          { estimand: est, ...(options.threshold ? { threshold: options.threshold } : {}) },
        );
  if (balance) collect(warnings, balance.warnings);
  const analysed = used.filter((i) => weights[i]! > 0);
  const cluster = input.cluster ? analysed.map((i) => input.cluster![i]!) : null;
  const eff: EffectOptions = { ...(options.effect ?? {}), estimand: est };
  // Stacked (M-estimation) variance needs the untrimmed weights of the estimand (and the propensity
  // design, built only when there is an outcome to estimate).
  const stackable = wr.trim === null && !wr.stabilized;
  const propensity =
    stackable && Object.keys(input.outcomes).length > 0
      ? {
          covariates: [...subsetColumns(cols, analysed), ...expandFactors(factors, analysed)],
          ps: mapToFloat64(analysed, (i) => ps.ps[rowsPs[i]!]!),
          estimand: est,
        }
      : null;
  const effects = effectsFor(
    input,
    analysed,
    treat,
    weights,
    cluster,
    tz?.shiftDays ?? 0,
    eff,
    warnings,
    propensity,
  );
  let nt = 0;
  for (const i of analysed) nt += treat[i]!;
  return freezeResult({
    design: "weighted" as const,
    estimand: est === "ATO" ? "ATO (overlap population)" : est,
    sample: {
      n: analysed.length,
      nTreated: nt,
      nControl: analysed.length - nt,
      nExcluded: n - analysed.length,
      treat,
      weights,
      setId: null,
    },
    timeZero: tz,
    propensity: ps,
    matching: null,
    weighting: wr,
    balance,
    effects,
    sensitivity: {},
    method: `Weighted: ${ps.method}; ${wr.method}; weighted effects with ${stackable ? `M-estimation variance including the propensity model${cluster ? ", clustered" : ""}` : `${cluster ? "cluster-robust" : "HC0 sandwich"} variance (weights treated as known: trimmed or stabilised)`}`,
    warnings,
  });
}

export interface PrePostDesignResult {
  readonly design: "prePost";
  readonly effects: Readonly<Record<string, PairedResult>>;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

/**
 * Pre/post design on the same people: paired t (continuous) or McNemar (binary) per outcome. Always
 * carries PREPOST_NO_COMPARISON: without a concurrent comparison group this is descriptive (MEASURES
 * §10); use `differenceInDifferencesDesign` when one exists.
 */
export function prePostDesign(
  input: { readonly outcomes: Readonly<Record<string, PairedInput>> },
  options: { readonly confLevel?: number } = {},
): PrePostDesignResult {
  const effects: Record<string, PairedResult> = {};
  const warnings: Warning[] = [warning("PREPOST_NO_COMPARISON")];
  for (const [name, o] of Object.entries(input.outcomes)) {
    effects[name] = pairedChange(o, options);
    collect(warnings, effects[name]!.warnings);
  }
  return freezeResult({
    design: "prePost" as const,
    effects,
    method: "Pre/post within persons (descriptive): paired t-test or McNemar",
    warnings,
  });
}

export interface DidDesignResult {
  readonly design: "differenceInDifferences";
  readonly effects: Readonly<Record<string, DidResult>>;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

/**
 * Difference-in-differences design: one `differenceInDifferences` fit per outcome on person-period
 * rows, clustered by person (or `cluster`, e.g. site), with event-study coefficients for plots.
 */
export function differenceInDifferencesDesign(
  input: Omit<DidInput, "y" | "personTime"> & {
    readonly outcomes: Readonly<
      Record<string, { readonly y: ArrayLike<number>; readonly personTime?: ArrayLike<number> }>
    >;
  },
  options: DidOptions = {},
): DidDesignResult {
  const effects: Record<string, DidResult> = {};
  const warnings: Warning[] = [];
  for (const [name, o] of Object.entries(input.outcomes)) {
    effects[name] = differenceInDifferences(
      { ...input, y: o.y, ...(o.personTime ? { personTime: o.personTime } : {}) },
      options,
    );
    collect(warnings, effects[name]!.warnings);
  }
  return freezeResult({
    design: "differenceInDifferences" as const,
    effects,
    method:
      "Difference-in-differences (group × post), cluster-robust variance; event study by relative period",
    warnings,
  });
}
