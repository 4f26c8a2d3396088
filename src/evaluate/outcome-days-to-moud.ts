/**
 * Days to MOUD as an evaluation outcome: the measure's unit-level output (with its trace) becomes the
 * participant flow, and the included units are analysed by arm (competing event: death).
 */
import type { Dataset } from "../dictionary/load-result.js";
import { type DaysToMoudReason, daysToMoud } from "../measures/days-to-moud.js";
import { type Warning, warning } from "../messages.js";
import type { FlowStep } from "../report/types.js";
import { InvalidInputError } from "../stats/errors.js";
import { mapToFloat64, mapToInt32, mapToUint8 } from "../util/typed-map.js";
import type { Adjustment } from "./adjust.js";
import { cohortPositionsOf, type EvaluationCohort, subgroupColumns } from "./cohort.js";
import type {
  CovariateName,
  EvaluationConfig,
  MatchedDesignConfig,
  OutcomeConfig,
  WeightedDesignConfig,
} from "./config.js";
import {
  type CovariateColumnValues,
  type CovariateUnits,
  computeCovariates,
  gatherCovariates,
} from "./covariates.js";
import type { SubgroupResultSummary, TimeToEventOutcomeResult } from "./result.js";
import { subgroupSummary } from "./subgroup-summary.js";
import { adjustmentOf, type OutcomeSteps, runSteps, timeToEventOf } from "./tasks.js";

const REASON_LABELS: Record<Exclude<DaysToMoudReason, "INCLUDED">, string> = {
  EXCLUDED_CONTINUING_MOUD: "Already on MOUD at the index event (continuing treatment)",
  EXCLUDED_NO_OBSERVATION: "Index date outside every observation period",
  EXCLUDED_DEATH_BEFORE_INDEX: "Recorded death before the index date",
  EXCLUDED_NOT_FIRST: "Later index event of a person already included",
  EXCLUDED_UNKNOWN_PERSON: "Index event of a person not in persons.csv",
};

export const GROUP_PEER = "PEER";
export const GROUP_COMPARISON = "COMPARISON";
const GROUP_ALL = "ALL";

/**
 * The design's covariates (and exact-match covariates) of the analysed units: taken from the evaluation
 * cohort for units that are cohort persons at the same index event and in the same group, computed
 * here for the others (all of them without a cohort). The same values either way.
 */
function covariatesOf(
  dataset: Dataset,
  units: CovariateUnits & { readonly indexRow: Int32Array },
  design: WeightedDesignConfig | MatchedDesignConfig,
  cohort: EvaluationCohort | undefined,
  groupOf: (k: number) => string,
): { values: CovariateColumnValues[]; exact: CovariateColumnValues[] } {
  const exactNames = design.kind === "matched" ? design.exact : [];
  const shared = cohort?.adjustmentCovariates;
  if (!cohort || !shared) {
    return {
      values: computeCovariates(dataset, units, design.covariates),
      exact: exactNames.length > 0 ? computeCovariates(dataset, units, exactNames) : [],
    };
  }
  const n = units.personId.length;
  const fromCohort = cohortPositionsOf(
    cohort,
    units.personId,
    units.indexRow,
    Array.from({ length: n }, (_, k) => groupOf(k)),
  );
  const others: number[] = [];
  for (let k = 0; k < n; k++) if ((fromCohort[k] as number) < 0) others.push(k);
  const fromOwn = new Int32Array(n).fill(-1);
  others.forEach((k, i) => {
    fromOwn[k] = i;
  });
  const own: CovariateUnits = {
    personId: others.map((k) => units.personId[k] as string),
    indexId: others.map((k) => units.indexId[k] as string),
    indexDay: mapToInt32(others, (k) => units.indexDay[k] as number),
    indexRow: mapToInt32(others, (k) => units.indexRow[k] as number),
  };
  const gather = (names: readonly CovariateName[], fromShared: readonly CovariateColumnValues[]) =>
    names.length === 0
      ? []
      : gatherCovariates(
          fromShared,
          fromCohort,
          others.length > 0 ? computeCovariates(dataset, own, names) : [],
          fromOwn,
        );
  return { values: gather(design.covariates, shared.values), exact: gather(exactNames, shared.exact) };
}

/** Computes the days-to-MOUD outcome of an evaluation (its adjustment fitted in this thread). */
export function evaluateDaysToMoud(
  dataset: Dataset,
  config: EvaluationConfig,
  outcome: Extract<OutcomeConfig, { measure: "daysToMoud" }>,
): TimeToEventOutcomeResult {
  return runSteps(daysToMoudSteps(dataset, config, outcome));
}

/**
 * The steps of the days-to-MOUD outcome: derives the measure, yields the request for its matched or
 * weighted adjustment (on its own sample: people new to MOUD), then analyses (`outcome-steps.ts`).
 */
export function* daysToMoudSteps(
  dataset: Dataset,
  config: EvaluationConfig,
  outcome: Extract<OutcomeConfig, { measure: "daysToMoud" }>,
  /**
   * The evaluation cohort, when the evaluation has one: if every analysed unit is a cohort person at
   * the same index event, the adjustment uses the cohort's covariates instead of computing them again.
   */
  cohortOf?: () => EvaluationCohort,
): OutcomeSteps<TimeToEventOutcomeResult> {
  const warnings: Warning[] = [];
  if (!dataset.persons || !dataset.index_events) {
    throw new Error("days to MOUD needs persons.csv and index_events.csv in the data folder");
  }
  const measure = daysToMoud(
    {
      persons: dataset.persons,
      index_events: dataset.index_events,
      medication_events: dataset.medication_events,
      observation_periods: dataset.observation_periods,
      arms: dataset.arms,
    },
    {
      indexTypes: config.index.types ?? null,
      horizonDays: outcome.horizonDays,
      selection: config.index.selection,
      timepoints: outcome.timepoints,
    },
  );
  const descriptive = config.design.kind === "descriptive";
  const design = config.design;
  const adjusted = design.kind === "weighted" || design.kind === "matched";
  const u = measure.units;
  // Eligible units: included by the measure and with an arm.
  const eligible: number[] = [];
  let noArm = 0;
  for (let k = 0; k < u.reason.length; k++) {
    if (u.reason[k] !== "INCLUDED") continue;
    const arm = descriptive ? GROUP_ALL : u.arm[k];
    if (arm === null || arm === undefined) {
      noArm++;
      continue;
    }
    eligible.push(k);
  }
  if (noArm > 0) warnings.push(warning("NO_ARM_ASSIGNMENT", `${noArm} index events`));
  const otherArm = adjusted
    ? eligible.filter((k) => u.arm[k] !== GROUP_PEER && u.arm[k] !== GROUP_COMPARISON)
    : [];
  if (otherArm.length > 0) {
    throw new InvalidInputError(
      "evaluate",
      `a ${design.kind} design compares arms ${GROUP_PEER} and ${GROUP_COMPARISON}; ${otherArm.length} analysed index events belong to other arms`,
    );
  }

  let adjustment: Adjustment | null = null;
  if (design.kind === "weighted" || design.kind === "matched") {
    const units = {
      personId: eligible.map((k) => u.personId[k] as string),
      indexId: eligible.map((k) => u.indexId[k] as string),
      indexDay: mapToInt32(eligible, (k) => u.indexDay[k] as number),
      indexRow: mapToInt32(eligible, (k) => u.indexRow[k] as number),
    };
    adjustment = yield* adjustmentOf({
      ...covariatesOf(dataset, units, design, cohortOf?.(), (k) => u.arm[eligible[k] as number] as string),
      rows: null,
      treat: mapToUint8(eligible, (k) => (u.arm[k] === GROUP_PEER ? 1 : 0)),
      indexId: units.indexId,
      design,
      options: {
        treatedGroup: GROUP_PEER,
        controlGroup: GROUP_COMPARISON,
        smallCellThreshold: config.smallCellThreshold,
        seed: config.seed,
      },
    });
  }

  const time: number[] = [];
  const event: number[] = [];
  const group: string[] = [];
  const day0: number[] = [];
  const weights: number[] = [];
  const cluster: number[] = [];
  let censoredEarly = 0;
  const analysedK: number[] = [];
  eligible.forEach((k, e) => {
    if (adjustment && !((adjustment.weights[e] as number) > 0)) return;
    analysedK.push(k);
    time.push(u.time[k] as number);
    event.push(u.event[k] as number);
    group.push(descriptive ? GROUP_ALL : (u.arm[k] as string));
    day0.push(u.bridgeDay0[k] as number);
    if (adjustment) weights.push(adjustment.weights[e] as number);
    if (adjustment?.cluster) cluster.push(adjustment.cluster[e] as number);
    if (
      u.event[k] === 0 &&
      u.endReason[k] === "OBSERVATION_END" &&
      (u.time[k] as number) < outcome.horizonDays
    ) {
      censoredEarly++;
    }
  });
  const analysed = time.length;
  if (analysed > 0 && (analysed - censoredEarly) / analysed < 0.8) {
    warnings.push(warning("FOLLOW_UP_BELOW_80", `${analysed - censoredEarly} of ${analysed}`));
  }

  const analysis = yield* timeToEventOf(
    {
      time,
      event,
      group,
      day0,
      ...(adjustment ? { weights } : {}),
      ...(adjustment?.cluster ? { cluster } : {}),
    },
    {
      timepoints: outcome.timepoints,
      contrastDay: outcome.contrastDay,
      horizonDays: outcome.horizonDays,
      confLevel: config.confLevel,
      smallCellThreshold: config.smallCellThreshold,
      comparisonGroup: descriptive ? null : GROUP_PEER,
      referenceGroup: descriptive ? null : GROUP_COMPARISON,
      ...(adjustment
        ? {
            adjustment: {
              weightsLabel: adjustment.weightsLabel,
              ...(adjustment.clusterLabel ? { clusterLabel: adjustment.clusterLabel } : {}),
            },
          }
        : {}),
    },
  );

  // Subgroups: the hazard ratio within each level of a pre-index covariate, with the interaction test.
  const subgroups: SubgroupResultSummary[] = [];
  const hr = analysis.effects.find((x) => x.label.startsWith("Cause-specific hazard ratio"));
  if (!descriptive && config.subgroups.length > 0 && hr && analysed > 0) {
    const units = {
      personId: analysedK.map((k) => u.personId[k] as string),
      indexId: analysedK.map((k) => u.indexId[k] as string),
      indexDay: mapToInt32(analysedK, (k) => u.indexDay[k] as number),
      indexRow: mapToInt32(analysedK, (k) => u.indexRow[k] as number),
    };
    const input = {
      treat: mapToUint8(group, (g) => (g === GROUP_PEER ? 1 : 0)),
      outcome: {
        type: "timeToEvent" as const,
        time: Float64Array.from(time),
        status: mapToFloat64(event, (v) => (v === 1 ? 1 : 0)),
        horizon: outcome.horizonDays,
      },
      ...(adjustment ? { weights: Float64Array.from(weights) } : {}),
      ...(adjustment?.cluster ? { cluster } : {}),
    };
    for (const sg of subgroupColumns(dataset, units, config.subgroups)) {
      subgroups.push(
        subgroupSummary(
          input,
          { confLevel: config.confLevel },
          sg,
          sg.codes,
          { ratio: "Hazard ratio (cause-specific)", difference: "Risk difference" },
          () => ({ estimate: hr.estimate, se: hr.se, lower: hr.lower, upper: hr.upper }),
        ),
      );
    }
  }

  const nPersons = dataset.persons.numRows();
  const considered = u.reason.length;
  const excluded = (Object.keys(REASON_LABELS) as (keyof typeof REASON_LABELS)[])
    .filter((r) => measure.reasonCounts[r] > 0)
    .map((r) => ({ reason: REASON_LABELS[r], n: measure.reasonCounts[r] }));
  if (noArm > 0) excluded.push({ reason: "No arm assignment in arms.csv", n: noArm });
  const flow: FlowStep[] = [
    {
      label: "Persons in the data (accepted rows of persons.csv)",
      n: nPersons,
      excluded: [{ reason: "No index event of the requested types", n: measure.personsWithoutIndex }],
    },
    { label: "Persons with an index event", n: nPersons - measure.personsWithoutIndex },
    { label: "Index events considered", n: considered, excluded },
    ...(adjustment
      ? [
          {
            label: `Eligible for the comparison (new to MOUD, with an arm)`,
            n: eligible.length,
            excluded: adjustment.exclusions,
          },
        ]
      : []),
    {
      label: adjustment
        ? design.kind === "matched"
          ? "Analysed (matched sample)"
          : "Analysed (weighted sample)"
        : "Analysed",
      n: analysed,
      excluded: [
        { reason: `Censored early: observation ended before day ${outcome.horizonDays}`, n: censoredEarly },
      ],
    },
    { label: "Followed to MOUD, death or the end of the follow-up window", n: analysed - censoredEarly },
  ];

  return {
    kind: "timeToEvent",
    id: "days-to-moud",
    title: "Days to MOUD initiation",
    measure: {
      id: measure.measure.id,
      version: measure.measure.version,
      params: { ...measure.measure.params, contrastDay: outcome.contrastDay },
    },
    eventLabel: "MOUD initiation",
    competingLabel: "death",
    referenceGroup: descriptive ? null : GROUP_COMPARISON,
    comparisonGroup: descriptive ? null : GROUP_PEER,
    groups: analysis.groups,
    effects: analysis.effects,
    tests: analysis.tests,
    charts: {
      cumulativeIncidence: analysis.cumulativeIncidenceChart,
      kaplanMeier: analysis.kaplanMeierChart,
    },
    flow,
    comparability: adjustment ? adjustment.comparability : null,
    subgroups,
    warnings: [...warnings, ...(adjustment?.warnings ?? []), ...analysis.warnings],
  };
}
