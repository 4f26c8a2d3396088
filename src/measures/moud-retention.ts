/**
 * MOUD retention family (MEASURES.md §2.7, resolved readings §15.4, §15.5, §15.13): retention at
 * day T, time to discontinuation (Kaplan–Meier-ready time/status columns), and proportion of days
 * covered (PDC), all from the POD coverage construction (moud-coverage.ts).
 *
 * - Episode start: an OUD medication event day with no coverage and no event in the preceding
 *   `lookbackDays` (default 31, as POD; §15.1).
 * - Discontinuation date: last covered day before the first uncovered run longer than `maxGapDays`
 *   (default 7; sensitivity 14/30/60). Institutional (inpatient, custody) days not covered by MOUD are
 *   neutral by default: removed from the timeline, so they neither lengthen nor end a gap (§2.7).
 * - Time to discontinuation: discontinuation date − start + 1 (status 1). When the data end,
 *   observation end or death comes first (a gap reaching it not yet longer than maxGapDays, or
 *   coverage still running), the time is censored at last observed day − start + 1 (status 0; §15.4).
 *   With `death = 'competing'` a censoring by death is status 2.
 * - Retention at T (30/90/180/365): retained when the discontinuation date is ≥ start + T − 1 (covered
 *   through day T−1 with no disqualifying gap); not retained when a discontinuation is observed before
 *   that; otherwise — censored or dead before it is known — not evaluable (null), never "not retained".
 * - PDC over [start, start + pdcWindowDays − 1] ∩ observed days: covered days ÷ days at risk, where
 *   death ends the days at risk (death day included, §15.5) and neutral institutional days leave the
 *   denominator (institutional days with MOUD are covered). Zero days at risk → null (§15.13). Reported
 *   continuous (0–1) and thresholded (≥ pdcThreshold, default 0.80).
 *
 * References: O'Connor et al. 2020 PLoS One (retention review); NCQA HEDIS POD (coverage); NQF 3175
 * (180-day threshold); Johns Hopkins HIV cohort buprenorphine retention (Addict Sci Clin Pract 2023).
 */

import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { NULL_DAY as NULL_DAY_IMPORTED, toDay } from "./core/columns.js";
import { MeasureData, type MeasureTables } from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import { diedBy, lastObservedDay, observability, spanAt } from "./core/follow-up.js";
import {
  boolColumn,
  intColumn,
  type MeasureResult,
  makeResult,
  numColumn,
  personIdColumn,
  reasonCounts,
  unitsTable,
} from "./core/result.js";
import {
  clusteredUnitsWarning,
  type GroupSummary,
  summarizeMean,
  summarizeProportion,
  unitArms,
} from "./core/summary.js";
import {
  coverageCounts,
  type MoudCoverageParams,
  moudCoverage,
  newEpisodeStarts,
  walkDiscontinuation,
} from "./moud-coverage.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

export const MEASURE_ID = "moud-retention";
export const VERSION = "1.0.0";

export const REASONS = [
  "INCLUDED",
  "OUTSIDE_START_WINDOW",
  "NO_OBSERVATION_PERIOD",
  "DIED_BEFORE_START",
] as const;
export type RetentionReason = (typeof REASONS)[number];
/** Kaplan–Meier status codes of the `status` column. */
export const STATUS = { CENSORED: 0, DISCONTINUED: 1, DIED: 2 } as const;

export interface MoudRetentionParams {
  readonly lookbackDays: number;
  readonly maxGapDays: number;
  /** Days T at which retention is reported (columns retained_<T>). */
  readonly thresholds: readonly number[];
  /** One row per person (first episode in the start window) or per episode. */
  readonly unit: "first-episode" | "all-episodes";
  readonly episodeFrom: number | string | null;
  readonly episodeTo: number | string | null;
  /** Death: censor (status 0, default) or competing event (status 2). */
  readonly death: "censor" | "competing";
  /** Institutional days without MOUD: 'neutral' (default) or 'uncovered' (§2.7). */
  readonly institutionalDays: "neutral" | "uncovered";
  readonly pdcWindowDays: number;
  readonly pdcThreshold: number;
  readonly dataEnd: number | string | null;
  readonly coverage: Partial<Omit<MoudCoverageParams, "institutionalDays">>;
}

export const DEFAULTS: MoudRetentionParams = Object.freeze({
  lookbackDays: 31,
  maxGapDays: 7,
  thresholds: [30, 90, 180, 365],
  unit: "first-episode",
  episodeFrom: null,
  episodeTo: null,
  death: "censor",
  institutionalDays: "neutral",
  pdcWindowDays: 180,
  pdcThreshold: 0.8,
  dataEnd: null,
  coverage: {},
} as MoudRetentionParams);

export interface MoudRetentionSummary {
  readonly nUnits: number;
  readonly reasons: Readonly<Record<RetentionReason, number>>;
  readonly discontinued: number;
  readonly censored: number;
  readonly diedCompeting: number;
  /** Retention at each T among evaluable units (Wilson interval), keyed by T. */
  readonly retained: Readonly<Record<string, GroupSummary<Estimate>>>;
  readonly pdcMean: GroupSummary<Estimate>;
  readonly pdcAtOrAboveThreshold: GroupSummary<Estimate>;
}

export function definition(params?: Partial<MoudRetentionParams>): MeasureDefinition<MoudRetentionParams> {
  const p = resolveParams(DEFAULTS, params);
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title: `MOUD retention (gap > ${p.maxGapDays} days = discontinuation), time to discontinuation, PDC`,
    unit: p.unit === "first-episode" ? "person (first MOUD episode)" : "MOUD episode",
    status: ["LIT", "TK"],
    sources: [
      "O'Connor AM et al. 2020, PLoS One: retention in MOUD, systematic review",
      "NCQA HEDIS MY2025 POD coverage construction; NQF 3175 180-day threshold",
    ],
    parameters: p,
    defaults: DEFAULTS,
    readings: ["15.1", "15.2", "15.4", "15.5", "15.13"],
    notes: [
      "Retention at T is 'retained' only when coverage with no disqualifying gap is observed through day T−1 (last covered day ≥ start + T − 1); a person whose evidence stops earlier (censored or dead, or in an open gap not yet longer than maxGapDays) is not evaluable.",
      "A censored time is last observed day − start + 1 even when the person was in an open gap (§15.4).",
      "Neutral institutional days are removed from the timeline for gap lengths and from the PDC denominator; calendar time (time to discontinuation) still counts them.",
      "PDC value is reported over the observed part of the window; pdc_window_complete says whether the whole window was observed.",
    ],
    reasonCodes: [...REASONS],
  });
}

/**
 * Computes retention, time to discontinuation and PDC per MOUD episode (or first episode per person).
 * @returns unit table with columns person_id, episode_start, last_observed_day, discontinuation_date,
 *   time_days, status (0 censored / 1 discontinued / 2 died, competing), event_type, retained_<T>…,
 *   pdc, pdc_days_covered, pdc_days_at_risk, pdc_window_complete, pdc_ge_threshold, in_denominator, reason
 */
export function moudRetention(
  input: MeasureTables | MeasureData,
  params?: Partial<MoudRetentionParams>,
): MeasureResult<MoudRetentionParams, MoudRetentionSummary> {
  const fn = "moudRetention";
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  if (
    !(p.maxGapDays >= 0 && p.pdcWindowDays > 0 && p.thresholds.every((t) => t > 0 && Number.isInteger(t)))
  ) {
    throw new InvalidInputError(fn, "maxGapDays ≥ 0, pdcWindowDays > 0 and integer thresholds > 0 required");
  }
  const from = toDay(p.episodeFrom, fn, "episodeFrom");
  const to = toDay(p.episodeTo, fn, "episodeTo");
  const cov = moudCoverage(data, { ...p.coverage, institutionalDays: p.institutionalDays });
  const o = observability(data, p.dataEnd, fn);
  const warnings = [...cov.warnings, ...o.warnings];
  const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<RetentionReason, number>;
  const T = p.thresholds;

  const uPerson: number[] = [];
  const uStart: number[] = [];
  const uLast: number[] = [];
  const uDisc: number[] = [];
  const uTime: number[] = [];
  const uStatus: number[] = [];
  const uIn: number[] = [];
  const uReason: number[] = [];
  const uRet: number[][] = T.map(() => []);
  const uPdc: number[] = [];
  const uPdcCov: number[] = [];
  const uPdcRisk: number[] = [];
  const uPdcComplete: number[] = [];
  const uPdcGe: number[] = [];

  for (let person = 0; person < data.nPersons; person++) {
    const starts = newEpisodeStarts(cov, person, p.lookbackDays);
    let emitted = false;
    for (const s of starts) {
      const inWindow = (from === null || s >= from) && (to === null || s <= to);
      if (p.unit === "first-episode" && (emitted || !inWindow)) continue;
      emitted = true;
      const span = spanAt(o, person, s);
      let reason: RetentionReason = "INCLUDED";
      if (!inWindow) reason = "OUTSIDE_START_WINDOW";
      else if (span === null) reason = "NO_OBSERVATION_PERIOD";
      else if (o.death[person] !== NULL_DAY && o.death[person]! < s) reason = "DIED_BEFORE_START";
      uPerson.push(person);
      uStart.push(s);
      uReason.push(R[reason]);
      if (reason !== "INCLUDED" || span === null) {
        uIn.push(0);
        uLast.push(NULL_DAY);
        uDisc.push(NULL_DAY);
        uTime.push(NULL_DAY);
        uStatus.push(-1);
        for (const col of uRet) col.push(-1);
        uPdc.push(Number.NaN);
        uPdcCov.push(NULL_DAY);
        uPdcRisk.push(NULL_DAY);
        uPdcComplete.push(-1);
        uPdcGe.push(-1);
        continue;
      }
      uIn.push(1);
      const last = lastObservedDay(o, person, span);
      const w = walkDiscontinuation(cov, person, s, last, p.maxGapDays);
      uLast.push(last);
      if (w.discontinued === 1) {
        uDisc.push(w.discontinuationDay);
        uTime.push(w.discontinuationDay - s + 1);
        uStatus.push(STATUS.DISCONTINUED);
      } else {
        uDisc.push(NULL_DAY);
        uTime.push(last - s + 1);
        const byDeath = p.death === "competing" && diedBy(o, person, last) && o.death[person] === last;
        uStatus.push(byDeath ? STATUS.DIED : STATUS.CENSORED);
      }
      T.forEach((t, k) => {
        const target = s + t - 1;
        let v: number;
        if (w.discontinued === 1) v = w.discontinuationDay >= target ? 1 : 0;
        else v = w.lastCoveredObserved >= target ? 1 : -1;
        uRet[k]!.push(v);
      });
      const wEnd = s + p.pdcWindowDays - 1;
      const b = Math.min(wEnd, last);
      const c = coverageCounts(cov, person, s, b);
      const atRisk = b - s + 1 - c.neutral;
      uPdcCov.push(c.covered);
      uPdcRisk.push(atRisk);
      uPdcComplete.push(last >= wEnd ? 1 : 0);
      if (atRisk > 0) {
        const v = c.covered / atRisk;
        uPdc.push(v);
        uPdcGe.push(v >= p.pdcThreshold ? 1 : 0);
      } else {
        uPdc.push(Number.NaN);
        uPdcGe.push(-1);
      }
    }
  }
  const eventType = uStatus.map((s, i) =>
    s === -1
      ? null
      : s === 1
        ? "DISCONTINUED"
        : s === 2
          ? "DIED"
          : o.death[uPerson[i]!] === uLast[i]
            ? "CENSORED_DEATH"
            : "CENSORED",
  );
  const cols: Record<string, ArrayLike<unknown>> = {
    person_id: personIdColumn(uPerson, data.persons.ids),
    episode_start: Int32Array.from(uStart),
    last_observed_day: intColumn(uLast),
    discontinuation_date: intColumn(uDisc),
    time_days: intColumn(uTime),
    status: uStatus.map((s) => (s === -1 ? null : s)),
    event_type: eventType,
  };
  T.forEach((t, k) => {
    cols[`retained_${t}`] = boolColumn(uRet[k]!);
  });
  Object.assign(cols, {
    pdc: numColumn(uPdc),
    pdc_days_covered: intColumn(uPdcCov),
    pdc_days_at_risk: intColumn(uPdcRisk),
    pdc_window_complete: boolColumn(uPdcComplete),
    pdc_ge_threshold: boolColumn(uPdcGe),
    in_denominator: boolColumn(uIn),
    reason: uReason.map((r) => REASONS[r]!),
  });
  const armOfUnit = unitArms(uPerson, data.arms());
  const hasArms = data.tables.arms !== undefined;
  const cw = clusteredUnitsWarning(uPerson, uIn);
  if (cw !== null) warnings.push(cw);
  const retained: Record<string, GroupSummary<Estimate>> = {};
  T.forEach((t, k) => {
    retained[String(t)] = summarizeProportion(uRet[k]!, armOfUnit, hasArms);
  });
  const summary: MoudRetentionSummary = {
    nUnits: uPerson.length,
    reasons: reasonCounts(uReason, REASONS) as Record<RetentionReason, number>,
    discontinued: uStatus.filter((s) => s === 1).length,
    censored: uStatus.filter((s) => s === 0).length,
    diedCompeting: uStatus.filter((s) => s === 2).length,
    retained,
    pdcMean: summarizeMean(numColumn(uPdc), armOfUnit, hasArms),
    pdcAtOrAboveThreshold: summarizeProportion(uPdcGe, armOfUnit, hasArms),
  };
  return makeResult(definition(p), unitsTable(cols), summary, warnings);
}
