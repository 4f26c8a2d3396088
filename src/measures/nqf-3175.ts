/**
 * NQF 3175 / MIPS 468 — Continuity of Pharmacotherapy for OUD, HEDIS-style adjusted for program data
 * (MEASURES.md §2.5, resolved reading §15.3).
 *
 * Unit: person. Denominator: persons aged ≥ 18 (on their first covered OUD medication event inside the
 * 18-month identification window) with at least one such event. Numerator: some treatment episode
 * starting inside the window reaches 180 days of continuous treatment — covered through episode day
 * 180 (start + 179) with no uncovered run longer than 7 days (the POD tolerance; the MIPS numerator
 * wording was NOT verified, §15.3). Any qualifying episode counts, not only the first.
 *
 * Episode start (toolkit reading): an event day preceded by an uncovered run longer than maxGapDays
 * (i.e. no coverage and no event in the maxGapDays + 1 days before) — so a restart after a
 * discontinuing gap is a new episode, consistent with the continuity rule.
 * A person with no episode reaching 180 days and at least one episode whose 180 days are not fully
 * observed (data end, observation end, death) is not evaluable (null), never "not continuous".
 *
 * Reference: CMS QPP Quality ID 468 (NQF 3175), 2019/2024 specification (USC/RAND steward).
 */
import { daysFromCivil } from "../dates.js";
import type { Estimate } from "../stats/result.js";
import { NULL_DAY as NULL_DAY_IMPORTED, toDay } from "./core/columns.js";
import { MeasureData, type MeasureTables } from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import { ageOf, lastObservedDay, observability, spanAt } from "./core/follow-up.js";
import {
  boolColumn,
  intColumn,
  type MeasureResult,
  makeResult,
  personIdColumn,
  reasonCounts,
  unitsTable,
} from "./core/result.js";
import { type GroupSummary, summarizeProportion, unitArms } from "./core/summary.js";
import {
  type MoudCoverageParams,
  moudCoverage,
  newEpisodeStarts,
  walkDiscontinuation,
} from "./moud-coverage.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

export const MEASURE_ID = "nqf-3175";
export const VERSION = "1.0.0";

export const REASONS = [
  "INCLUDED",
  "AGE_UNKNOWN",
  "AGE_BELOW_MIN",
  "NO_OBSERVATION_PERIOD",
  "FOLLOW_UP_INCOMPLETE",
] as const;
export type Nqf3175Reason = (typeof REASONS)[number];

export interface Nqf3175Params {
  /** MIPS performance year Y: identification window Jul 1 (Y − 1) through Dec 31 (Y). Overrides start/end. */
  readonly measurementYear: number | null;
  readonly identificationStart: number | string | null;
  readonly identificationEnd: number | string | null;
  readonly minAge: number;
  readonly missingAge: "exclude" | "include";
  /** Longest allowed uncovered run (§15.3: 7). */
  readonly maxGapDays: number;
  /** Days of continuous treatment required. */
  readonly requiredDays: number;
  /**
   * Also count the episode already running at the person's first in-window event (started before the
   * window). Default false: §15.3 counts episodes *starting* inside the window only.
   */
  readonly includeOngoingEpisode: boolean;
  readonly dataEnd: number | string | null;
  readonly coverage: Partial<Omit<MoudCoverageParams, "institutionalDays">>;
}

export const DEFAULTS: Nqf3175Params = Object.freeze({
  measurementYear: null,
  identificationStart: null,
  identificationEnd: null,
  minAge: 18,
  missingAge: "exclude",
  maxGapDays: 7,
  requiredDays: 180,
  includeOngoingEpisode: false,
  dataEnd: null,
  coverage: {},
});

export interface Nqf3175Summary {
  readonly nPersons: number;
  readonly reasons: Readonly<Record<Nqf3175Reason, number>>;
  readonly continuous: GroupSummary<Estimate>;
}

export function definition(params?: Partial<Nqf3175Params>): MeasureDefinition<Nqf3175Params> {
  const p = resolveParams(DEFAULTS, params);
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title: "Continuity of pharmacotherapy for OUD: ≥ 180 days of continuous treatment (NQF 3175 / MIPS 468)",
    unit: "person",
    status: ["STD"],
    label: "NQF 3175 adjusted (non-plan); gap tolerance not verified against MIPS wording",
    sources: [
      "CMS QPP Quality ID 468 / NQF 3175 (2019, 2024)",
      "NCQA HEDIS MY2025 POD gap tolerance (≤ 7 days)",
    ],
    parameters: p,
    defaults: DEFAULTS,
    readings: ["15.2", "15.3", "15.13"],
    notes: [
      "Episode start = event day after an uncovered run longer than maxGapDays (no event or coverage in the maxGapDays + 1 days before).",
      "Continuous = covered through start + requiredDays − 1 with no uncovered run longer than maxGapDays before it; inpatient days are ordinary (uncovered unless medicated).",
      "OUD diagnosis criterion not applied: denominator = persons with OUD pharmacotherapy in the window.",
      "A person whose in-window events all continue an episode that started before the window has no episode starting inside it and is 'not continuous' (literal §15.3); includeOngoingEpisode = true also counts that ongoing episode.",
      "Undetermined persons (no episode reaching 180 days, at least one not fully observed) are not evaluable (null).",
    ],
    adjustments: [
      "OUD diagnosis criterion not applied",
      "no payer/enrollment criteria",
      p.measurementYear === null
        ? "identification window set by parameters"
        : "identification window Jul 1 (Y−1)–Dec 31 (Y)",
    ],
    reasonCodes: [...REASONS],
  });
}

/**
 * Computes NQF 3175 continuity per person.
 * @returns unit table (person_id, first_event_in_window, age, n_episodes, first_continuous_start,
 *   in_denominator, continuous, reason) and summary
 */
export function nqf3175(
  input: MeasureTables | MeasureData,
  params?: Partial<Nqf3175Params>,
): MeasureResult<Nqf3175Params, Nqf3175Summary> {
  const fn = "nqf3175";
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  let lo = toDay(p.identificationStart, fn, "identificationStart");
  let hi = toDay(p.identificationEnd, fn, "identificationEnd");
  if (p.measurementYear !== null) {
    lo = daysFromCivil(p.measurementYear - 1, 7, 1);
    hi = daysFromCivil(p.measurementYear, 12, 31);
  }
  const cov = moudCoverage(data, { ...p.coverage, institutionalDays: "uncovered" });
  const o = observability(data, p.dataEnd, fn);
  const warnings = [...cov.warnings, ...o.warnings];
  const inWin = (s: number) => (lo === null || s >= lo) && (hi === null || s <= hi);
  const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<Nqf3175Reason, number>;

  const uPerson: number[] = [];
  const uFirst: number[] = [];
  const uAge: (number | null)[] = [];
  const uEpisodes: number[] = [];
  const uContStart: number[] = [];
  const uIn: number[] = [];
  const uValue: number[] = [];
  const uReason: number[] = [];
  for (let person = 0; person < data.nPersons; person++) {
    let firstEvent = NULL_DAY;
    for (let k = cov.eventOffsets[person]!; k < cov.eventOffsets[person + 1]!; k++) {
      if (inWin(cov.eventDay[k]!)) {
        firstEvent = cov.eventDay[k]!;
        break;
      }
    }
    if (firstEvent === NULL_DAY) continue;
    const age = ageOf(o, person, firstEvent);
    const all = newEpisodeStarts(cov, person, p.maxGapDays + 1);
    const starts = all.filter(inWin);
    if (p.includeOngoingEpisode) {
      const before = all.filter((s) => s < firstEvent && !inWin(s));
      const ongoing = before[before.length - 1];
      if (ongoing !== undefined && (starts.length === 0 || starts[0]! > firstEvent)) starts.unshift(ongoing);
    }
    let reason: Nqf3175Reason = "INCLUDED";
    let value = -1;
    let contStart = NULL_DAY;
    if (age === null && p.missingAge === "exclude") reason = "AGE_UNKNOWN";
    else if (age !== null && age < p.minAge) reason = "AGE_BELOW_MIN";
    else {
      let undetermined = false;
      let anyObserved = false;
      for (const s of starts) {
        const span = spanAt(o, person, s);
        if (span === null) continue;
        anyObserved = true;
        const last = lastObservedDay(o, person, span);
        const target = s + p.requiredDays - 1;
        const w = walkDiscontinuation(cov, person, s, last, p.maxGapDays);
        const reached =
          w.discontinued === 1 ? w.discontinuationDay >= target : w.lastCoveredObserved >= target;
        if (reached) {
          contStart = s;
          break;
        }
        if (w.discontinued === 0) undetermined = true;
      }
      if (!anyObserved && starts.length > 0) reason = "NO_OBSERVATION_PERIOD";
      else if (contStart !== NULL_DAY) value = 1;
      else if (undetermined) reason = "FOLLOW_UP_INCOMPLETE";
      else value = 0;
    }
    uPerson.push(person);
    uFirst.push(firstEvent);
    uAge.push(age);
    uEpisodes.push(starts.length);
    uContStart.push(contStart);
    uIn.push(reason === "INCLUDED" ? 1 : 0);
    uValue.push(value);
    uReason.push(R[reason]);
  }
  const units = unitsTable({
    person_id: personIdColumn(uPerson, data.persons.ids),
    first_event_in_window: Int32Array.from(uFirst),
    age: uAge,
    n_episodes: Int32Array.from(uEpisodes),
    first_continuous_start: intColumn(uContStart),
    in_denominator: boolColumn(uIn),
    continuous: boolColumn(uValue),
    reason: uReason.map((r) => REASONS[r]!),
  });
  const summary: Nqf3175Summary = {
    nPersons: uPerson.length,
    reasons: reasonCounts(uReason, REASONS) as Record<Nqf3175Reason, number>,
    continuous: summarizeProportion(uValue, unitArms(uPerson, data.arms()), data.tables.arms !== undefined),
  };
  return makeResult(definition(p), units, summary, warnings);
}
