/**
 * The evaluation cohort of the measure outcomes (everything but days to MOUD, which keeps its own
 * eligibility: new to MOUD): one unit per person, anchored at the person's first index event of the
 * configured types that lies inside an observation period and not after a recorded death
 * (MEASURES.md §15.7), with the person's group (arm) and the
 * subgroup variables (pre-index covariates). Every person left out is counted with the reason. The
 * design's covariates are computed once here; the propensity score, weights or matches are fitted
 * per outcome among the people that outcome is analysed on (`adjustmentRequest`), so that each comparison is
 * balanced among exactly the people compared.
 */

import type { Dataset } from "../dictionary/load-result.js";
import { foreignKeyRows, sharedKeyStrings } from "../dictionary/typed-columns.js";
import { hasColumn, NULL_DAY, readCodeIndex, readDays } from "../measures/core/columns.js";
import { type Warning, warning } from "../messages.js";
import type { FlowExclusion, FlowStep } from "../report/types.js";
import { mapToInt32, mapToUint8 } from "../util/typed-map.js";
import { type AdjustmentRequest, levelLabel } from "./adjust.js";
import type { CovariateName, EvaluationConfig, MatchedDesignConfig, WeightedDesignConfig } from "./config.js";
import {
  COVARIATE_CATALOGUE,
  type CovariateColumnValues,
  type CovariateUnits,
  computeCovariates,
  MISSING_LEVEL,
} from "./covariates.js";
import { columnValues } from "./table-columns.js";

export const GROUP_PEER = "PEER";
export const GROUP_COMPARISON = "COMPARISON";
export const GROUP_ALL = "ALL";

/** A subgroup variable of the cohort: level code per person (−1 = missing) and level labels. */
export interface CohortSubgroup {
  readonly name: CovariateName;
  readonly label: string;
  readonly codes: Int32Array;
  readonly levels: readonly string[];
  readonly levelLabels: readonly string[];
}

/** The persons analysed by the measure outcomes, as aligned arrays. */
export interface EvaluationCohort {
  readonly personId: readonly string[];
  readonly indexId: readonly string[];
  readonly indexDay: Int32Array;
  /** Row of each person's index event in index_events. */
  readonly indexRow: Int32Array;
  /** Group code per person: PEER / COMPARISON, or ALL for one-group designs. */
  readonly group: readonly string[];
  /** Cohort position of each person id. */
  readonly positionOf: ReadonlyMap<string, number>;
  /**
   * Matched, weighted and weighted DiD designs: the request to fit the design (propensity score,
   * weights or matches, balance) among the given cohort positions — the people an outcome is analysed
   * on — from covariates computed once for the whole cohort (`adjustRequested` fits it). Null for
   * other designs.
   */
  readonly adjustmentRequest: ((positions: ArrayLike<number>) => AdjustmentRequest) | null;
  /** The covariates of that adjustment for every cohort person (design and exact-match ones), or null. */
  readonly adjustmentCovariates: {
    readonly values: readonly CovariateColumnValues[];
    readonly exact: readonly CovariateColumnValues[];
  } | null;
  readonly subgroups: readonly CohortSubgroup[];
  /** Participant flow from persons to the analysed cohort. */
  readonly flow: readonly FlowStep[];
  readonly warnings: readonly Warning[];
}

/**
 * The cohort position of each unit given by person id, index-event row and group: −1 for a unit that
 * is not a cohort person at the same index event and in the same group (its covariates differ).
 */
export function cohortPositionsOf(
  cohort: EvaluationCohort,
  personId: ArrayLike<string>,
  indexRow: ArrayLike<number>,
  group: ArrayLike<string>,
): Int32Array {
  const out = new Int32Array(personId.length);
  for (let k = 0; k < personId.length; k++) {
    const p = cohort.positionOf.get(personId[k] as string);
    out[k] = p === undefined || cohort.indexRow[p] !== indexRow[k] || cohort.group[p] !== group[k] ? -1 : p;
  }
  return out;
}

/**
 * The subgroup variables (pre-index code covariates, `src/evaluate/covariates.ts`) of the given units:
 * level code per unit (−1 = missing) and level labels from the data dictionary.
 */
export function subgroupColumns(
  dataset: Dataset,
  units: CovariateUnits,
  names: readonly CovariateName[],
): CohortSubgroup[] {
  const out: CohortSubgroup[] = [];
  if (names.length === 0) return out;
  for (const v of computeCovariates(dataset, units, names)) {
    if (v.kind !== "code") continue;
    const missing = v.levels.indexOf(MISSING_LEVEL);
    out.push({
      name: v.name,
      label: COVARIATE_CATALOGUE[v.name].label,
      codes: mapToInt32(v.codes, (c) => (c === missing ? -1 : c)),
      levels: v.levels,
      levelLabels: v.levels.map((l) => levelLabel(v.name, l)),
    });
  }
  return out;
}

function column<T>(table: NonNullable<Dataset[keyof Dataset]>, name: string): ArrayLike<T> | null {
  return columnValues<T>(table, name);
}

const FN = "evaluationCohort";

/**
 * Persons row of each row of a table with a person_id column: the loader's foreign-key rows when the
 * table has them (no strings), else looked up by id (−1 = not in persons.csv). `id(r)` is row r's
 * person id (for counting unknown persons).
 */
function personRowsOf(
  table: NonNullable<Dataset[keyof Dataset]>,
  persons: NonNullable<Dataset["persons"]>,
  pIds: ArrayLike<string>,
): { rows: Int32Array; id: (row: number) => string } {
  const fk = persons.numRows() === pIds.length ? foreignKeyRows(table, "person_id") : null;
  if (fk) return { rows: fk, id: (r) => pIds[fk[r] as number] as string };
  const ids = column<string>(table, "person_id") ?? [];
  const rowOf = new Map<string, number>();
  for (let r = 0; r < pIds.length; r++) rowOf.set(pIds[r] as string, r);
  return { rows: mapToInt32(ids, (id) => rowOf.get(id) ?? -1), id: (r) => ids[r] as string };
}

/** Persons rows with an index event (`first` ≥ 0), in ascending order of person id. */
function personsById(pIds: ArrayLike<string>, first: Int32Array): Int32Array {
  const rows: number[] = [];
  let sorted = true;
  for (let p = 0; p < pIds.length; p++) {
    if ((first[p] as number) < 0) continue;
    if (
      sorted &&
      rows.length > 0 &&
      !((pIds[rows[rows.length - 1] as number] as string) < (pIds[p] as string))
    )
      sorted = false;
    rows.push(p);
  }
  if (!sorted) rows.sort((a, b) => ((pIds[a] as string) < (pIds[b] as string) ? -1 : 1));
  return Int32Array.from(rows);
}

/** The design the cohort's weights come from (matched, weighted, or a weighted DiD), or null. */
function adjustmentDesign(config: EvaluationConfig): WeightedDesignConfig | MatchedDesignConfig | null {
  const d = config.design;
  if (d.kind === "weighted" || d.kind === "matched") return d;
  if (d.kind === "differenceInDifferences" && d.covariates) {
    return {
      kind: "weighted",
      covariates: d.covariates,
      estimand: d.estimand,
      stabilize: false,
      numericMissing: d.numericMissing,
      balanceThreshold: d.balanceThreshold,
    };
  }
  return null;
}

/**
 * Builds the evaluation cohort: first qualifying index event per person (earliest date, ties by
 * index_id), its group, and — for matched, weighted and weighted difference-in-differences designs —
 * the design's pre-index covariates, from which each outcome's adjustment is fitted.
 */
export function evaluationCohort(dataset: Dataset, config: EvaluationConfig): EvaluationCohort {
  const warnings: Warning[] = [];
  const persons = dataset.persons;
  const ix = dataset.index_events;
  if (!persons || !ix)
    throw new Error("the evaluation needs persons.csv and index_events.csv in the data folder");
  const pIds = sharedKeyStrings(persons, "person_id") ?? column<string>(persons, "person_id") ?? [];
  const nP = pIds.length;
  const death = hasColumn(persons, "death_date") ? readDays(persons, "death_date", FN, false) : null;
  const types = config.index.types ? new Set<string>(config.index.types) : null;
  const ixIds = column<string>(ix, "index_id") ?? [];
  const ixType = readCodeIndex(ix, "type", FN);
  const typeOk = ixType.values.map((v) => types === null || types.has(v));
  const ixDate = readDays(ix, "index_date", FN, true);
  const ixPerson = personRowsOf(ix, persons, pIds);

  // First index event per person among the requested types (earliest day, then smallest id).
  const first = new Int32Array(nP).fill(-1);
  const unknownIds = new Set<string>();
  for (let r = 0; r < ixDate.length; r++) {
    const code = ixType.index[r] as number;
    if (code < 0 ? types !== null : !typeOk[code]) continue;
    const p = ixPerson.rows[r] as number;
    if (p < 0) {
      unknownIds.add(ixPerson.id(r));
      continue;
    }
    const cur = first[p] as number;
    if (
      cur < 0 ||
      (ixDate[r] as number) < (ixDate[cur] as number) ||
      ((ixDate[r] as number) === (ixDate[cur] as number) && (ixIds[r] as string) < (ixIds[cur] as string))
    ) {
      first[p] = r;
    }
  }

  // Is the first index date inside one of the person's observation periods?
  const op = dataset.observation_periods;
  let inside: Uint8Array | null = null;
  if (op) {
    inside = new Uint8Array(nP);
    const opPerson = personRowsOf(op, persons, pIds).rows;
    const starts = readDays(op, "start_date", FN, true);
    const ends = readDays(op, "end_date", FN, true);
    for (let r = 0; r < opPerson.length; r++) {
      const p = opPerson[r] as number;
      if (p < 0 || (first[p] as number) < 0) continue;
      const day = ixDate[first[p] as number] as number;
      if ((starts[r] as number) <= day && day <= (ends[r] as number)) inside[p] = 1;
    }
  }

  const design = config.design;
  const oneGroup = design.kind === "descriptive" || (design.kind === "prePost" && design.group === "ALL");
  const peerOnly = design.kind === "prePost" && design.group === "PEER";
  // Arm code per person (−1 = no row in arms.csv; a later row replaces an earlier one).
  let armOf: Int32Array | null = null;
  let armCodes: readonly string[] = [];
  if (!oneGroup) {
    const arms = dataset.arms;
    if (!arms)
      throw new Error(`a ${design.kind} design needs arms.csv (the arm of each person) in the data folder`);
    const armPerson = personRowsOf(arms, persons, pIds).rows;
    const arm = readCodeIndex(arms, "arm", FN);
    armCodes = arm.values;
    armOf = new Int32Array(nP).fill(-2);
    for (let r = 0; r < armPerson.length; r++) {
      const p = armPerson[r] as number;
      if (p >= 0) armOf[p] = arm.index[r] as number;
    }
  }

  let outsideObservation = 0;
  let deadBefore = 0;
  let noArm = 0;
  let otherArm = 0;
  let notPeer = 0;
  const personId: string[] = [];
  const indexId: string[] = [];
  const indexRows: number[] = [];
  const indexDays: number[] = [];
  const group: string[] = [];
  // Deterministic order: by person id (results do not depend on row order).
  for (const pr of personsById(pIds, first)) {
    const r = first[pr] as number;
    const day = ixDate[r] as number;
    const d = death ? (death[pr] as number) : NULL_DAY;
    if (d !== NULL_DAY && d < day) {
      deadBefore++;
      continue;
    }
    if (inside && !inside[pr]) {
      outsideObservation++;
      continue;
    }
    let g = GROUP_ALL;
    if (armOf) {
      const code = armOf[pr] as number;
      if (code === -2) {
        noArm++;
        continue;
      }
      const arm = code < 0 ? "" : (armCodes[code] as string);
      if (arm !== GROUP_PEER && arm !== GROUP_COMPARISON) {
        otherArm++;
        continue;
      }
      if (peerOnly && arm !== GROUP_PEER) {
        notPeer++;
        continue;
      }
      g = peerOnly ? GROUP_PEER : arm;
    }
    personId.push(pIds[pr] as string);
    indexId.push(ixIds[r] as string);
    indexDays.push(day);
    indexRows.push(r);
    group.push(g);
  }
  const unknownPerson = unknownIds.size;
  const indexDay = Int32Array.from(indexDays);
  const indexRow = Int32Array.from(indexRows);
  const n = personId.length;
  if (noArm > 0) warnings.push(warning("NO_ARM_ASSIGNMENT", `${noArm} persons`));

  const units = { personId, indexId, indexDay, indexRow };
  const adjustDesignCfg = adjustmentDesign(config);
  let adjustmentRequest: EvaluationCohort["adjustmentRequest"] = null;
  let adjustmentCovariates: EvaluationCohort["adjustmentCovariates"] = null;
  if (adjustDesignCfg && n > 0) {
    const values = computeCovariates(dataset, units, adjustDesignCfg.covariates);
    const exact =
      adjustDesignCfg.kind === "matched" && adjustDesignCfg.exact.length > 0
        ? computeCovariates(dataset, units, adjustDesignCfg.exact)
        : [];
    adjustmentCovariates = { values, exact };
    adjustmentRequest = (positions) => {
      const rows = Int32Array.from(positions);
      return {
        values,
        exact,
        rows,
        treat: mapToUint8(rows, (r) => (group[r] === GROUP_PEER ? 1 : 0)),
        indexId: Array.from(rows, (r) => indexId[r] as string),
        design: adjustDesignCfg,
        options: {
          treatedGroup: GROUP_PEER,
          controlGroup: GROUP_COMPARISON,
          smallCellThreshold: config.smallCellThreshold,
          seed: config.seed,
        },
      };
    };
  }

  const subgroups = n > 0 ? subgroupColumns(dataset, units, config.subgroups) : [];

  let considered = unknownPerson;
  for (let p = 0; p < nP; p++) if ((first[p] as number) >= 0) considered++;
  const exclusions: FlowExclusion[] = [
    { reason: "Index event of a person not in persons.csv", n: unknownPerson },
    { reason: "Recorded death before the index date", n: deadBefore },
    { reason: "Index date outside every observation period", n: outsideObservation },
    { reason: "No arm assignment in arms.csv", n: noArm },
    { reason: "Arm other than PEER or COMPARISON", n: otherArm },
    { reason: "Not in the peer-support arm (pre/post of the peer arm)", n: notPeer },
  ].filter((e) => e.n > 0);
  const flow: FlowStep[] = [
    {
      label: "Persons in the data (accepted rows of persons.csv)",
      n: nP,
      excluded: [
        {
          reason: `No index event${config.index.types ? ` of type ${config.index.types.join(", ")}` : ""}`,
          n: nP - (considered - unknownPerson),
        },
      ],
    },
    {
      label: "Persons with an index event (first index event per person)",
      n: considered,
      excluded: exclusions,
    },
    { label: "Eligible persons", n },
  ];
  return {
    personId,
    indexId,
    indexDay,
    indexRow,
    group,
    positionOf: new Map(personId.map((p, i) => [p, i])),
    adjustmentRequest,
    adjustmentCovariates,
    subgroups,
    flow,
    warnings,
  };
}
