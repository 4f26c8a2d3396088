/**
 * Matched and weighted designs of an evaluation: pre-index covariates → propensity model (compare
 * layer) → matching or weights → balance before and after (Table 1, Love plot, overlap) → the weights,
 * matched sets and flow exclusions the outcome analysis uses.
 */
import { tables as dictionaryTables } from "../../data-dictionary/index.js";
import { overlapPlotSpec } from "../compare/charts.js";
import { type DesignResult, matchedDesign, weightedDesign } from "../compare/designs.js";
import type { Dataset } from "../dictionary/load-result.js";
import { type Warning, warning } from "../messages.js";
import type { FlowExclusion, VegaLiteChartInput } from "../report/types.js";
import { InvalidInputError } from "../stats/errors.js";
import { type DesignColumn, type FactorColumn, factorColumnNames } from "../stats/regression/index.js";
import { mapToFloat64, mapToUint8 } from "../util/typed-map.js";
import type { CovariateName, MatchedDesignConfig, WeightedDesignConfig } from "./config.js";
import {
  COVARIATE_CATALOGUE,
  type CovariateColumnValues,
  type CovariateUnits,
  computeCovariates,
  MISSING_LEVEL,
  subsetCovariates,
} from "./covariates.js";
import type { ArmOverlapSummary, ComparabilityResult, CovariateSummary, Table1Row } from "./result.js";
import { type Table1RowSpec, table1 } from "./table1.js";

/** Eligible units of the comparison: aligned arrays; `treat` 1 = peer support. */
export interface AdjustmentUnits extends CovariateUnits {
  readonly treat: Uint8Array;
}

export interface AdjustmentOptions {
  readonly treatedGroup: string;
  readonly controlGroup: string;
  readonly smallCellThreshold: number;
  readonly seed: number;
}

/** What the outcome analysis needs from the design, plus the comparability report. */
export interface Adjustment {
  /** Weight per eligible unit (0 = not in the adjusted sample). */
  readonly weights: Float64Array;
  /** Matched set per eligible unit (−1 = none); null unless matched without replacement. */
  readonly cluster: Int32Array | null;
  /** Label of the weights for method strings. */
  readonly weightsLabel: string;
  readonly clusterLabel: string | null;
  /** Exclusions between the eligible units and the adjusted sample, with reasons. */
  readonly exclusions: readonly FlowExclusion[];
  readonly comparability: ComparabilityResult;
  readonly warnings: readonly Warning[];
}

const UNMATCHED_LABELS: Readonly<Record<string, string>> = {
  NO_CONTROL_IN_STRATUM: "Peer-support person with no comparison person in the same exact-matching stratum",
  NO_CONTROL_IN_CALIPER: "Peer-support person with no comparison person within the caliper",
  CONTROLS_EXHAUSTED: "Peer-support person left without a match (comparison people used up)",
};

/** Code labels from the data dictionary (e.g. HOMELESS → "Homeless"). */
export function levelLabel(covariate: CovariateName, level: string): string {
  if (level === MISSING_LEVEL) return "Missing";
  if (level === "yes") return "Yes";
  if (level === "no") return "No";
  const where: Partial<Record<CovariateName, { table: keyof typeof dictionaryTables; column: string }>> = {
    sex: { table: "persons", column: "sex" },
    race: { table: "persons", column: "race" },
    ethnicity: { table: "persons", column: "ethnicity" },
    payer: { table: "persons", column: "payer" },
    housing: { table: "persons", column: "housing" },
    rurality: { table: "persons", column: "rurality" },
    primary_substance: { table: "persons", column: "primary_substance" },
    index_setting: { table: "index_events", column: "setting" },
    index_type: { table: "index_events", column: "type" },
  };
  const w = where[covariate];
  if (!w) return level;
  const column = dictionaryTables[w.table].columns.find((c) => c.name === w.column);
  return column?.codes?.find((c) => c.code === level)?.label ?? level;
}

interface PreparedCovariates {
  /** Propensity-model columns: numeric covariates and their missing indicators. */
  readonly psColumns: DesignColumn[];
  /** Propensity-model code covariates (treatment coding, first level the reference), fitted from the codes. */
  readonly psFactors: FactorColumn[];
  /** Table 1 rows: every level of each code covariate, numeric values and missing indicators. */
  readonly table1: Table1RowSpec[];
  readonly summaries: CovariateSummary[];
}

function prepareCovariates(
  values: readonly CovariateColumnValues[],
  treat: Uint8Array,
  numericMissing: "indicator" | "error",
): PreparedCovariates {
  const n = treat.length;
  const psColumns: DesignColumn[] = [];
  const psFactors: FactorColumn[] = [];
  const table1: Table1RowSpec[] = [];
  const summaries: CovariateSummary[] = [];
  for (const c of values) {
    const def = COVARIATE_CATALOGUE[c.name];
    const head = { covariate: c.name, covariateLabel: def.label };
    if (c.kind === "numeric") {
      let mt = 0;
      let mc = 0;
      let sum = 0;
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (c.missing[i]) {
          if (treat[i]) mt++;
          else mc++;
        } else {
          sum += c.values[i] as number;
          k++;
        }
      }
      if (mt + mc > 0 && numericMissing === "error") {
        throw new InvalidInputError(
          "covariates",
          `"${c.name}" is missing for ${mt + mc} of ${n} people (${mt} peer support, ${mc} comparison); set design.numericMissing to "indicator" to fill the mean and add a missing indicator, or remove it from design.covariates`,
        );
      }
      if (k === 0) throw new InvalidInputError("covariates", `"${c.name}" has no observed value`);
      const mean = sum / k;
      const filled = mt + mc > 0 ? mapToFloat64(c.values, (v, i) => (c.missing[i] ? mean : v)) : c.values;
      psColumns.push({ name: def.label, values: filled });
      table1.push({
        ...head,
        name: def.label,
        level: null,
        levelLabel: null,
        type: "numeric",
        values: filled,
        observed: mt + mc > 0 ? mapToUint8(c.missing, (m) => 1 - m) : null,
      });
      if (mt + mc > 0) {
        const name = `${def.label}: missing`;
        const ind = Float64Array.from(c.missing);
        psColumns.push({ name, values: ind });
        table1.push({
          ...head,
          name,
          level: MISSING_LEVEL,
          levelLabel: levelLabel(c.name, MISSING_LEVEL),
          type: "missingIndicator",
          values: ind,
          observed: null,
        });
      }
      summaries.push({
        name: c.name,
        label: def.label,
        kind: "numeric",
        definition: def.definition,
        missingTreated: mt,
        missingControl: mc,
        missingRule:
          mt + mc > 0
            ? `filled with the mean of the observed values (${mean.toFixed(2)}) plus a missing-indicator column`
            : "none missing",
      });
    } else {
      const missingIndex = c.levels.indexOf(MISSING_LEVEL);
      let mt = 0;
      let mc = 0;
      if (missingIndex >= 0) {
        for (let i = 0; i < n; i++) {
          if (c.codes[i] !== missingIndex) continue;
          if (treat[i]) mt++;
          else mc++;
        }
      }
      const names = c.levels.map((level) => `${def.label}: ${levelLabel(c.name, level)}`);
      // Reference coding for the propensity model: the first level is the reference (R contr.treatment).
      psFactors.push({ codes: c.codes, nLevels: c.levels.length, reference: 0, names, name: def.label });
      c.levels.forEach((level, k) => {
        const label = levelLabel(c.name, level);
        const name = names[k] as string;
        table1.push({
          ...head,
          name,
          level,
          levelLabel: label,
          type: "level",
          codes: c.codes,
          nLevels: c.levels.length,
          levelIndex: k,
        });
      });
      summaries.push({
        name: c.name,
        label: def.label,
        kind: "code",
        definition: def.definition,
        missingTreated: mt,
        missingControl: mc,
        missingRule:
          mt + mc > 0 ? `own category "${MISSING_LEVEL}" (missing-indicator category)` : "none missing",
      });
    }
  }
  return { psColumns, psFactors, table1, summaries };
}

function overlapOf(a: {
  n: number;
  min: number;
  max: number;
  mean: number;
  below: number;
  above: number;
  outsideOtherRange: number;
}): ArmOverlapSummary {
  return {
    n: a.n,
    min: a.min,
    max: a.max,
    mean: a.mean,
    below: a.below,
    above: a.above,
    outsideOtherRange: a.outsideOtherRange,
  };
}

/**
 * Post-processes the compare layer's overlap histogram for the report: arm names of the report,
 * and complementary suppression per arm (a lone hidden bin could be worked out from the arm total, so
 * the smallest shown bin of that arm is hidden too).
 */
function overlapChart(
  treat: Uint8Array,
  ps: Float64Array,
  threshold: number,
  treatedLabel: string,
  controlLabel: string,
): VegaLiteChartInput {
  const spec = overlapPlotSpec(
    { treat, ps },
    {
      suppressBelow: threshold > 0 ? threshold + 1 : 0,
      title: "Propensity-score overlap (before adjustment)",
    },
  ) as unknown as Record<string, unknown>;
  const data = spec.data as { values: Record<string, unknown>[] };
  const rename = (arm: unknown) =>
    arm === "Program (treated)" ? treatedLabel : arm === "Comparison" ? controlLabel : arm;
  for (const v of data.values) v.arm = rename(v.arm);
  for (const arm of [treatedLabel, controlLabel]) {
    const bins = data.values.filter((v) => v.arm === arm);
    if (bins.filter((v) => v.suppressed === true).length !== 1) continue;
    let smallest: Record<string, unknown> | undefined;
    for (const b of bins) {
      if (b.suppressed === true) continue;
      if (smallest === undefined || (b.count as number) < (smallest.count as number)) smallest = b;
    }
    if (smallest) {
      smallest.suppressed = true;
      smallest.height = 0;
      smallest.count = null;
    }
  }
  // Arm names in the colour scale's domain (the data were renamed above).
  const text = JSON.stringify(spec)
    .replaceAll('"Program (treated)"', JSON.stringify(treatedLabel))
    .replaceAll(
      '"domain":["Peer support","Comparison"]',
      JSON.stringify({ domain: [treatedLabel, controlLabel] }).slice(1, -1),
    );
  const hidden = data.values.filter((v) => v.suppressed === true).length;
  return {
    kind: "vegaLite",
    spec: JSON.parse(text) as Record<string, unknown>,
    description: `Mirrored histogram of the propensity score (the modelled chance of receiving peer support) before adjustment: ${treatedLabel} above the axis, ${controlLabel} below; 20 bins.${hidden > 0 ? ` ${hidden} bin(s) with few people are hidden.` : ""} Where one group has people and the other has none, the groups do not overlap (positivity problem).`,
    suppressed: true,
  };
}

/**
 * Runs the matched or weighted design on the eligible units and builds the comparability report.
 * @throws InvalidInputError for a missing number under numericMissing "error", a covariate whose table
 *   is absent, or a design the compare layer refuses (e.g. infinite ATE weights).
 */
export function adjustDesign(
  dataset: Dataset,
  units: AdjustmentUnits,
  design: WeightedDesignConfig | MatchedDesignConfig,
  options: AdjustmentOptions,
  precomputed?: readonly CovariateColumnValues[],
): Adjustment {
  return adjustRequested({
    values: precomputed ?? computeCovariates(dataset, units, design.covariates),
    exact:
      design.kind === "matched" && design.exact.length > 0
        ? computeCovariates(dataset, units, design.exact)
        : [],
    rows: null,
    treat: units.treat,
    indexId: units.indexId,
    design,
    options,
  });
}

/**
 * What an outcome asks of a matched or weighted design: fit it among `rows` of units whose covariates
 * were computed beforehand. Plain data (typed arrays, strings), so that it can be fitted in a worker.
 */
export interface AdjustmentRequest {
  /** The design's covariates (before the missing-value rule) of the source units. */
  readonly values: readonly CovariateColumnValues[];
  /** The exact-matching covariates of the same units ([] unless matched with `exact`). */
  readonly exact: readonly CovariateColumnValues[];
  /** Source units analysed (ascending positions); null = all of them. */
  readonly rows: Int32Array | null;
  /** Per analysed unit: 1 = peer support. */
  readonly treat: Uint8Array;
  /** Per analysed unit: the index id (the matching's tie-break key). */
  readonly indexId: readonly string[];
  readonly design: WeightedDesignConfig | MatchedDesignConfig;
  readonly options: AdjustmentOptions;
}

/** Fits a requested adjustment (see `adjustDesign`). */
export function adjustRequested(request: AdjustmentRequest): Adjustment {
  const { design, options, treat } = request;
  const n = treat.length;
  const sub = (v: readonly CovariateColumnValues[]) => (request.rows ? subsetCovariates(v, request.rows) : v);
  const values = sub(request.values);
  const exactValues = sub(request.exact);
  const prep = prepareCovariates(values, treat, design.numericMissing);
  const warnings: Warning[] = [];
  const threshold = design.balanceThreshold;
  let result: DesignResult;
  let exactNames: readonly string[] = [];
  if (design.kind === "weighted") {
    result = weightedDesign(
      { treat, id: request.indexId, covariates: prep.psColumns, factors: prep.psFactors, outcomes: {} },
      {
        propensity: { missing: "error" },
        weighting: {
          estimand: design.estimand,
          ...(design.stabilize ? { stabilize: true } : {}),
          ...(design.trim ? { trim: design.trim } : {}),
        },
        threshold,
        balance: false, // the report's balance table (every level) is built below
      },
    );
  } else {
    exactNames = design.exact;
    let exact: string[][] | undefined;
    if (design.exact.length > 0) {
      exact = exactValues.map((c) =>
        c.kind === "code" ? Array.from(c.codes, (k) => c.levels[k] as string) : [],
      );
    }
    result = matchedDesign(
      { treat, id: request.indexId, covariates: prep.psColumns, factors: prep.psFactors, outcomes: {} },
      {
        propensity: { missing: "error" },
        matching: {
          ratio: design.ratio,
          replace: design.replace,
          order: design.order,
          seed: options.seed,
          ...(design.caliper === null
            ? { convention: "matchit" as const, distance: "logit" as const }
            : { convention: "austin" as const, caliper: design.caliper }),
        },
        ...(exact ? { exact: exact.length === 1 ? (exact[0] as string[]) : exact } : {}),
        threshold,
        balance: false,
      },
    );
  }
  // The design's own balance table uses reference-coded columns and the cobalt criterion; the report's
  // balance (below) is on every level with standardized binaries, so its verdict replaces that one.
  for (const w of result.warnings) {
    if (w.code === "BALANCE_NOT_ACHIEVED") continue;
    if (!warnings.some((x) => x.message === w.message)) warnings.push(w);
  }
  const weights = Float64Array.from(result.sample.weights ?? new Float64Array(n).fill(1));
  const ps = result.propensity!;

  // Balance on every level (cobalt shows all levels), numeric columns and missing indicators.
  const balance = table1(
    prep.table1,
    treat,
    weights,
    design.kind === "matched" ? "ATT" : design.estimand,
    threshold,
  );
  const rows = balance.rows;
  const absMax = (f: (r: Table1Row) => number | null): number | null => {
    let m: number | null = null;
    for (const r of rows) {
      const v = f(r);
      if (v !== null && (m === null || Math.abs(v) > m)) m = Math.abs(v);
    }
    return m;
  };
  const imbalanced: string[] = [];
  rows.forEach((r, k) => {
    if (r.balanced === false) imbalanced.push(balance.names[k]!);
  });
  const nImbalancedBefore = rows.filter(
    (r) => r.smdBefore !== null && Math.abs(r.smdBefore) >= threshold,
  ).length;
  const allBalanced = imbalanced.length === 0;
  if (!allBalanced) {
    warnings.push(
      warning(
        "BALANCE_NOT_ACHIEVED",
        `${imbalanced.length} row(s) with |SMD| ≥ ${threshold}: ${imbalanced.join(", ")}`,
      ),
    );
  }

  // Sample sizes.
  const ss = (arm: number, group: string) => {
    const e = balance.adjusted[arm === 1 ? "treated" : "control"];
    let nArm = 0;
    let nAdj = 0;
    for (let i = 0; i < n; i++) {
      if (treat[i] !== arm) continue;
      nArm++;
      if ((weights[i] as number) > 0) nAdj++;
    }
    return { group, n: nArm, nAdjusted: nAdj, sumWeights: e.sumWeights, ess: e.ess };
  };
  const sampleSize = { treated: ss(1, options.treatedGroup), control: ss(0, options.controlGroup) };

  // Flow exclusions and the design's details.
  const exclusions: FlowExclusion[] = [];
  let matching: ComparabilityResult["matching"] = null;
  let weighting: ComparabilityResult["weighting"] = null;
  let cluster: Int32Array | null = null;
  let weightsLabel: string;
  if (result.matching) {
    const m = result.matching;
    for (const [reason, count] of Object.entries(m.unmatchedCounts)) {
      if (count > 0) exclusions.push({ reason: UNMATCHED_LABELS[reason] ?? reason, n: count });
    }
    const controlsUnused = sampleSize.control.n - sampleSize.control.nAdjusted;
    exclusions.push({ reason: "Comparison person not selected as a match", n: controlsUnused });
    matching = {
      method: m.method,
      ratio: m.ratio,
      replace: m.replace,
      caliper: m.caliper
        ? {
            sdUnits: m.caliper.caliper,
            width: m.caliper.width,
            definition: m.caliper.sdDefinition ?? "raw units",
          }
        : null,
      exact: [...exactNames],
      nTreatedMatched: m.nTreatedMatched,
      nTreatedUnmatched: m.nTreated - m.nTreatedMatched,
      unmatchedByReason: { ...m.unmatchedCounts },
      nControlMatched: m.nControlMatched,
      nSets: m.nSets,
    };
    if (!m.replace) cluster = Int32Array.from(result.sample.setId ?? new Int32Array(n).fill(-1));
    weightsLabel = `matching weights, ${m.ratio}:1 nearest neighbour${m.replace ? " with replacement" : ""}`;
  } else {
    const wr = result.weighting!;
    const zero =
      sampleSize.treated.n -
      sampleSize.treated.nAdjusted +
      sampleSize.control.n -
      sampleSize.control.nAdjusted;
    if (zero > 0) exclusions.push({ reason: "Weight set to zero (trimmed with drop)", n: zero });
    weighting = {
      method: wr.method,
      stabilized: wr.stabilized,
      trim: wr.trim ? { at: wr.trim.at, nTrimmed: wr.trim.nTrimmed, drop: wr.trim.drop } : null,
      maxWeightControl: wr.control.max,
      maxWeightTreated: wr.treated.max,
    };
    weightsLabel = `${wr.estimand === "ATO" ? "overlap" : wr.estimand} weights${wr.stabilized ? ", stabilised" : ""}${wr.trim ? `, trimmed at ${wr.trim.at}` : ""}`;
  }

  const estimand =
    design.kind === "matched"
      ? result.matching && result.matching.nTreatedMatched < result.matching.nTreated
        ? "ATT among matched peer-support people"
        : "ATT"
      : design.estimand;
  const estimandDescription =
    estimand === "ATT"
      ? "the difference among people who received peer support (average treatment effect on the treated, ATT)"
      : estimand === "ATE"
        ? "the difference in everyone analysed, peer support or not (average treatment effect, ATE)"
        : estimand === "ATO"
          ? "the difference in the population where both groups are common (overlap weights, ATO)"
          : "the difference among the peer-support people who found a match (ATT in the matched sample)";

  const psVals = Float64Array.from(ps.ps);
  const overlap = overlapChart(treat, psVals, options.smallCellThreshold, "Peer support", "Comparison");

  const aliased = ps.coefficients.filter((c) => c.estimate === null).length;
  const comparability: ComparabilityResult = {
    design: design.kind,
    estimand,
    estimandDescription,
    treatedGroup: options.treatedGroup,
    controlGroup: options.controlGroup,
    covariates: prep.summaries,
    propensity: {
      method: ps.method,
      nTerms: prep.psColumns.length + factorColumnNames(prep.psFactors).length,
      nAliased: aliased,
      positivityBounds: [ps.overlap.extreme[0], ps.overlap.extreme[1]],
      treated: overlapOf({ ...ps.overlap.treated }),
      control: overlapOf({ ...ps.overlap.control }),
      commonSupport: { ...ps.overlap.commonSupport },
    },
    sampleSize,
    weighting,
    matching,
    balance: {
      threshold,
      convention:
        "standardized mean difference: difference in (weighted) means divided by the SD of the unadjusted sample (ATT: peer-support arm; ATE/ATO: pooled √((s₁² + s₀²)/2)); binary rows standardized by √(p(1 − p)) (MatchIt; Austin 2009). The cobalt raw difference in proportions is kept as rawDifference.",
      rows,
      allBalanced,
      nImbalancedBefore,
      nImbalancedAfter: imbalanced.length,
      maxAbsSmdBefore: absMax((r) => r.smdBefore),
      maxAbsSmdAfter: absMax((r) => r.smdAfter),
      imbalanced,
    },
    charts: { overlap },
    method: result.method,
    warnings,
  };
  return {
    weights,
    cluster,
    weightsLabel,
    clusterLabel: cluster ? "matched set" : null,
    exclusions,
    comparability,
    warnings,
  };
}
