/**
 * POD — Pharmacotherapy for Opioid Use Disorder, HEDIS-adjusted (non-plan) (MEASURES.md §2.4, §15.1–2).
 *
 * Unit: treatment period (event). A treatment period starts on an OUD pharmacotherapy event day with a
 * negative medication history — no covered event in the 31 days before and no earlier (stacked) supply
 * still running on any of those days (§15.1) — and runs 180 days (start through start + 179).
 * Denominator: periods starting inside the intake period, age ≥ 16 at start; periods containing an
 * acute or non-acute inpatient stay of ≥ 8 days (admission through discharge, direct transfers merged,
 * overlapping days once) are removed. Numerator: no run of ≥ 8 consecutive uncovered days inside the
 * period, the uncovered tail at the end of the period included.
 *
 * Adjustments for program data (MEASURES §1.4): continuous-enrollment and benefit criteria are dropped
 * unless `requireContinuousEnrollment`; hospice exclusion not applied (no hospice data); the OUD
 * diagnosis criterion is not applied (the population is persons with OUD pharmacotherapy); the death
 * exclusion is kept in the form "died before the period ended"; periods whose 180 days run past the
 * end of observation are not evaluable (excluded, reason FOLLOW_UP_INCOMPLETE) instead of being
 * screened out by the enrollment criterion.
 *
 * Reference: NCQA HEDIS MY2025 Technical Specifications Vol. 2, POD (adapted from RAND "Continuity of
 * Pharmacotherapy for OUD").
 */
import { daysFromCivil } from "../dates.js";
import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { toDay } from "./core/columns.js";
import { MeasureData, type MeasureTables, type ObservationSource } from "./core/data.js";
import {
  HEDIS_ADJUSTED_LABEL,
  type MeasureDefinition,
  makeDefinition,
  resolveParams,
} from "./core/definition.js";
import { ageOf, diedBy, observability, spanAt } from "./core/follow-up.js";
import { longestUncoveredRun } from "./core/intervals.js";
import {
  boolColumn,
  type MeasureResult,
  makeResult,
  personIdColumn,
  reasonCounts,
  unitsTable,
} from "./core/result.js";
import { INPATIENT_KINDS, institutionalStays } from "./core/stays.js";
import { clusteredUnitsWarning, type GroupSummary, summarizeProportion, unitArms } from "./core/summary.js";
import { type MoudCoverageParams, moudCoverage, newEpisodeStarts } from "./moud-coverage.js";

export const MEASURE_ID = "pod";
export const VERSION = "1.0.0";

/** Trace reason codes (closed set), in the order the criteria are tested. */
export const REASONS = [
  "INCLUDED",
  "OUTSIDE_INTAKE_PERIOD",
  "AGE_UNKNOWN",
  "AGE_OUT_OF_RANGE",
  "NO_OBSERVATION_PERIOD",
  "NO_CONTINUOUS_ENROLLMENT",
  "INPATIENT_STAY_8_DAYS",
  "DIED_IN_PERIOD",
  "FOLLOW_UP_INCOMPLETE",
] as const;
export type PodReason = (typeof REASONS)[number];

export interface PodParams {
  /** Negative medication history look-back (days before the start). */
  readonly lookbackDays: number;
  /** Treatment period length in days (start through start + periodDays − 1). */
  readonly periodDays: number;
  /** Longest allowed uncovered run; a run of maxGapDays + 1 days fails (HEDIS: 7). */
  readonly maxGapDays: number;
  readonly minAge: number;
  readonly maxAge: number | null;
  /** Periods of persons without a birth date: 'exclude' (AGE_UNKNOWN) or 'include'. */
  readonly missingAge: "exclude" | "include";
  /** HEDIS measurement year: intake period Jul 1 (year − 1) through Jun 30 (year). Overrides intakeStart/End. */
  readonly measurementYear: number | null;
  readonly intakeStart: number | string | null;
  readonly intakeEnd: number | string | null;
  /** Remove periods containing an inpatient stay with length of stay ≥ this many days. */
  readonly inpatientLosDays: number;
  /** Require observation (sources below) from lookbackDays before the start through the period end. */
  readonly requireContinuousEnrollment: boolean;
  readonly enrollmentSources: readonly ObservationSource[];
  /** Exclude periods of persons who died before the period ended (adjusted HEDIS death exclusion). */
  readonly excludeDeaths: boolean;
  /** Last day of data (day number or ISO date); default: latest date in the data (warned). */
  readonly dataEnd: number | string | null;
  /** Coverage construction options (institutional days are always 'uncovered' for POD). */
  readonly coverage: Partial<Omit<MoudCoverageParams, "institutionalDays">>;
}

export const DEFAULTS: PodParams = Object.freeze({
  lookbackDays: 31,
  periodDays: 180,
  maxGapDays: 7,
  minAge: 16,
  maxAge: null,
  missingAge: "exclude",
  measurementYear: null,
  intakeStart: null,
  intakeEnd: null,
  inpatientLosDays: 8,
  requireContinuousEnrollment: false,
  enrollmentSources: ["ENROLLMENT", "STUDY", "PROGRAM"] as readonly ObservationSource[],
  excludeDeaths: true,
  dataEnd: null,
  coverage: {},
});

export interface PodSummary {
  readonly nPeriods: number;
  readonly nInDenominator: number;
  readonly reasons: Readonly<Record<PodReason, number>>;
  /** Proportion of denominator periods with no gap of ≥ maxGapDays + 1 days (Wilson interval). */
  readonly compliant: GroupSummary<Estimate>;
}

function adjustments(p: PodParams): string[] {
  const a = [
    "hospice exclusion not applied (no hospice data)",
    "OUD diagnosis criterion not applied: population = persons with OUD pharmacotherapy events",
    "periods not fully observed (180 days) are not evaluable instead of screened out by continuous enrollment",
  ];
  if (!p.requireContinuousEnrollment) a.push("continuous-enrollment and benefit criteria dropped");
  if (p.measurementYear === null) a.push("intake period set by parameters (no HEDIS measurement year)");
  if (p.excludeDeaths) a.push("death exclusion applied as 'died before the treatment period ended'");
  else a.push("death exclusion dropped");
  if (p.missingAge === "include") a.push("periods of persons with unknown age included");
  if (p.minAge !== 16 || p.maxAge !== null) a.push(`age range ${p.minAge}–${p.maxAge ?? "no maximum"}`);
  return a;
}

/** The manifest definition. */
export function definition(params?: Partial<PodParams>): MeasureDefinition<PodParams> {
  const p = resolveParams(DEFAULTS, params);
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title: "Pharmacotherapy for OUD: treatment periods of ≥ 180 days without a gap of ≥ 8 days",
    unit: "treatment period (event)",
    status: ["STD"],
    label: HEDIS_ADJUSTED_LABEL,
    sources: [
      "NCQA HEDIS MY2025 Technical Specifications Vol. 2: Pharmacotherapy for Opioid Use Disorder (POD)",
    ],
    parameters: p,
    defaults: DEFAULTS,
    readings: ["15.1", "15.2", "15.13"],
    notes: [
      "An inpatient stay removes a period when the merged stay (direct transfers joined, next admission ≤ discharge + 1) overlaps the period on at least one day and its whole length of stay is ≥ inpatientLosDays.",
      "Inpatient days of shorter stays are ordinary days: uncovered unless medication covers them (HEDIS has no neutral days).",
      "Same-day events on a new-episode day give one treatment period.",
      "Age is completed years on the period start day.",
    ],
    adjustments: adjustments(p),
    reasonCodes: [...REASONS],
  });
}

/**
 * Computes POD per treatment period.
 * @param input loader tables or shared MeasureData (medication_events; persons, encounters, observation_periods, arms used when present)
 * @returns unit table (person_id, period_start, period_end, age, in_denominator, compliant, longest_gap_days, inpatient_los, reason) and summary
 */
export function pod(
  input: MeasureTables | MeasureData,
  params?: Partial<PodParams>,
): MeasureResult<PodParams, PodSummary> {
  const fn = "pod";
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  if (!(p.periodDays > 0 && p.maxGapDays >= 0 && p.lookbackDays >= 0))
    throw new InvalidInputError(fn, "bad window parameters");
  let intakeLo: number | null = toDay(p.intakeStart, fn, "intakeStart");
  let intakeHi: number | null = toDay(p.intakeEnd, fn, "intakeEnd");
  if (p.measurementYear !== null) {
    intakeLo = daysFromCivil(p.measurementYear - 1, 7, 1);
    intakeHi = daysFromCivil(p.measurementYear, 6, 30);
  }
  const cov = moudCoverage(data, { ...p.coverage, institutionalDays: "uncovered" });
  const o = observability(data, p.dataEnd, fn);
  const ce = p.requireContinuousEnrollment ? data.observation(p.enrollmentSources) : null;
  const stays = institutionalStays(data, data.tables.encounters ? INPATIENT_KINDS : [], false);
  const warnings = [...cov.warnings, ...o.warnings, ...stays.warnings];

  const uPerson: number[] = [];
  const uStart: number[] = [];
  const uAge: (number | null)[] = [];
  const uIn: number[] = [];
  const uCompliant: number[] = [];
  const uGap: number[] = [];
  const uLos: (number | null)[] = [];
  const uReason: number[] = [];
  const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<PodReason, number>;
  const { starts: cs, ends: ce2, offsets: co } = cov.covered;
  const st = stays.sets;

  for (let person = 0; person < data.nPersons; person++) {
    const starts = newEpisodeStarts(cov, person, p.lookbackDays);
    for (const s of starts) {
      const end = s + p.periodDays - 1;
      const age = ageOf(o, person, s);
      // longest stay overlapping the period
      let los: number | null = null;
      for (let k = st.offsets[person]!; k < st.offsets[person + 1]!; k++) {
        if (st.starts[k]! > end) break;
        if (st.ends[k]! < s) continue;
        const l = st.ends[k]! - st.starts[k]! + 1;
        if (los === null || l > los) los = l;
      }
      const gap = longestUncoveredRun(cs, ce2, co[person]!, co[person + 1]!, s, end);
      let reason: PodReason = "INCLUDED";
      const span = spanAt(o, person, s);
      if ((intakeLo !== null && s < intakeLo) || (intakeHi !== null && s > intakeHi))
        reason = "OUTSIDE_INTAKE_PERIOD";
      else if (age === null && p.missingAge === "exclude") reason = "AGE_UNKNOWN";
      else if (age !== null && (age < p.minAge || (p.maxAge !== null && age > p.maxAge)))
        reason = "AGE_OUT_OF_RANGE";
      else if (span === null) reason = "NO_OBSERVATION_PERIOD";
      else if (ce !== null && !coversRange(ce, person, s - p.lookbackDays, end))
        reason = "NO_CONTINUOUS_ENROLLMENT";
      else if (los !== null && los >= p.inpatientLosDays) reason = "INPATIENT_STAY_8_DAYS";
      else if (p.excludeDeaths && diedBy(o, person, end)) reason = "DIED_IN_PERIOD";
      else if (span.end < end) reason = "FOLLOW_UP_INCOMPLETE";
      const included = reason === "INCLUDED";
      uPerson.push(person);
      uStart.push(s);
      uAge.push(age);
      uIn.push(included ? 1 : 0);
      uCompliant.push(included ? (gap <= p.maxGapDays ? 1 : 0) : -1);
      uGap.push(gap);
      uLos.push(los);
      uReason.push(R[reason]);
    }
  }
  const n = uPerson.length;
  const units = unitsTable({
    person_id: personIdColumn(uPerson, data.persons.ids),
    period_start: Int32Array.from(uStart),
    period_end: Int32Array.from(uStart, (s) => s + p.periodDays - 1),
    age: uAge,
    age_stratum: uAge.map((a) => (a === null ? null : a >= 65 ? "65+" : a >= 16 ? "16-64" : "<16")),
    in_denominator: boolColumn(uIn),
    compliant: boolColumn(uCompliant),
    longest_gap_days: Int32Array.from(uGap),
    inpatient_los: uLos,
    reason: uReason.map((r) => REASONS[r]!),
  });
  const arms = data.arms();
  const hasArms = data.tables.arms !== undefined;
  const armOfUnit = unitArms(uPerson, arms);
  const cw = clusteredUnitsWarning(uPerson, uIn);
  if (cw !== null) warnings.push(cw);
  const summary: PodSummary = {
    nPeriods: n,
    nInDenominator: uIn.reduce((a, b) => a + b, 0),
    reasons: reasonCounts(uReason, REASONS) as Record<PodReason, number>,
    compliant: summarizeProportion(uCompliant, armOfUnit, hasArms),
  };
  return makeResult(definition(p), units, summary, warnings);
}

/** True when one merged observation interval of person p covers every day of [a, b]. */
export function coversRange(
  set: { offsets: Int32Array; starts: Int32Array; ends: Int32Array },
  p: number,
  a: number,
  b: number,
): boolean {
  for (let k = set.offsets[p]!; k < set.offsets[p + 1]!; k++) {
    if (set.starts[k]! > a) return false;
    if (set.ends[k]! >= b) return true;
    if (set.ends[k]! >= a) return false;
  }
  return false;
}
