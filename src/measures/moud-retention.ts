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

import type { Warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { NULL_DAY as NULL_DAY_IMPORTED, toDay } from "./core/columns.js";
import { MeasureData, type MeasureTables } from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import { diedBy, lastObservedDay, observability, spanAt } from "./core/follow-up.js";
import {
  boolColumn,
  codeColumn,
  intColumn,
  type MeasureResult,
  makeResult,
  numColumn,
  personIdColumn,
  reasonCounts,
  type UnitColumn,
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
  episodeStartsInto,
  type MoudCoverageParams,
  moudCoverage,
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
  const T = p.thresholds;
  const u = retentionUnits(p.unit === "first-episode" ? data.nPersons : cov.eventDay.length, T.length);
  let starts = new Int32Array(64);

  for (let person = 0; person < data.nPersons; person++) {
    const nEvents = cov.eventOffsets[person + 1]! - cov.eventOffsets[person]!;
    if (nEvents > starts.length) starts = new Int32Array(2 * nEvents);
    const nStarts = episodeStartsInto(cov, person, p.lookbackDays, starts);
    let emitted = false;
    for (let q = 0; q < nStarts; q++) {
      const s = starts[q]!;
      const inWindow = (from === null || s >= from) && (to === null || s <= to);
      if (p.unit === "first-episode" && (emitted || !inWindow)) continue;
      emitted = true;
      const span = spanAt(o, person, s);
      let reason: number = R.INCLUDED;
      if (!inWindow) reason = R.OUTSIDE_START_WINDOW;
      else if (span === null) reason = R.NO_OBSERVATION_PERIOD;
      else if (o.death[person] !== NULL_DAY && o.death[person]! < s) reason = R.DIED_BEFORE_START;
      const w = u.n++;
      u.person[w] = person;
      u.start[w] = s;
      u.reason[w] = reason;
      if (reason !== R.INCLUDED || span === null) {
        u.inDen[w] = 0;
        u.last[w] = NULL_DAY;
        u.disc[w] = NULL_DAY;
        u.time[w] = NULL_DAY;
        u.status[w] = -1;
        for (const col of u.retained) col[w] = -1;
        u.pdc[w] = Number.NaN;
        u.pdcCovered[w] = NULL_DAY;
        u.pdcAtRisk[w] = NULL_DAY;
        u.pdcComplete[w] = -1;
        u.pdcGe[w] = -1;
        continue;
      }
      u.inDen[w] = 1;
      const last = lastObservedDay(o, person, span);
      const walk = walkDiscontinuation(cov, person, s, last, p.maxGapDays);
      u.last[w] = last;
      if (walk.discontinued === 1) {
        u.disc[w] = walk.discontinuationDay;
        u.time[w] = walk.discontinuationDay - s + 1;
        u.status[w] = STATUS.DISCONTINUED;
      } else {
        u.disc[w] = NULL_DAY;
        u.time[w] = last - s + 1;
        const byDeath = p.death === "competing" && diedBy(o, person, last) && o.death[person] === last;
        u.status[w] = byDeath ? STATUS.DIED : STATUS.CENSORED;
      }
      for (let k = 0; k < T.length; k++) {
        const target = s + T[k]! - 1;
        let v: number;
        if (walk.discontinued === 1) v = walk.discontinuationDay >= target ? 1 : 0;
        else v = walk.lastCoveredObserved >= target ? 1 : -1;
        u.retained[k]![w] = v;
      }
      const wEnd = s + p.pdcWindowDays - 1;
      const b = Math.min(wEnd, last);
      const c = coverageCounts(cov, person, s, b);
      const atRisk = b - s + 1 - c.neutral;
      u.pdcCovered[w] = c.covered;
      u.pdcAtRisk[w] = atRisk;
      u.pdcComplete[w] = last >= wEnd ? 1 : 0;
      if (atRisk > 0) {
        const v = c.covered / atRisk;
        u.pdc[w] = v;
        u.pdcGe[w] = v >= p.pdcThreshold ? 1 : 0;
      } else {
        u.pdc[w] = Number.NaN;
        u.pdcGe[w] = -1;
      }
    }
  }
  return retentionResult(data, p, o.death, u, warnings);
}

/** Reason codes by name (indices into REASONS). */
const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<RetentionReason, number>;

/** Per-unit columns of the sweep (typed; NULL_DAY / −1 / NaN where not applicable), `n` rows used. */
interface RetentionUnits {
  n: number;
  readonly person: Int32Array;
  readonly start: Int32Array;
  readonly last: Int32Array;
  readonly disc: Int32Array;
  readonly time: Int32Array;
  readonly status: Int8Array;
  readonly inDen: Int8Array;
  readonly reason: Int8Array;
  /** Per threshold: 1 retained, 0 not, −1 not evaluable. */
  readonly retained: Int8Array[];
  readonly pdc: Float64Array;
  readonly pdcCovered: Int32Array;
  readonly pdcAtRisk: Int32Array;
  readonly pdcComplete: Int8Array;
  readonly pdcGe: Int8Array;
}

function retentionUnits(capacity: number, nThresholds: number): RetentionUnits {
  return {
    n: 0,
    person: new Int32Array(capacity),
    start: new Int32Array(capacity),
    last: new Int32Array(capacity),
    disc: new Int32Array(capacity),
    time: new Int32Array(capacity),
    status: new Int8Array(capacity),
    inDen: new Int8Array(capacity),
    reason: new Int8Array(capacity),
    retained: Array.from({ length: nThresholds }, () => new Int8Array(capacity)),
    pdc: new Float64Array(capacity),
    pdcCovered: new Int32Array(capacity),
    pdcAtRisk: new Int32Array(capacity),
    pdcComplete: new Int8Array(capacity),
    pdcGe: new Int8Array(capacity),
  };
}

/** The unit table, summary and warnings of MOUD retention from the sweep's columns. */
function retentionResult(
  data: MeasureData,
  p: MoudRetentionParams,
  death: Int32Array,
  all: RetentionUnits,
  warnings: Warning[],
): MeasureResult<MoudRetentionParams, MoudRetentionSummary> {
  const n = all.n;
  const person = all.person.subarray(0, n);
  const last = all.last.subarray(0, n);
  const status = all.status.subarray(0, n);
  const inDen = all.inDen.subarray(0, n);
  const pdc = all.pdc.subarray(0, n);
  const pdcGe = all.pdcGe.subarray(0, n);
  const retained = all.retained.map((r) => r.subarray(0, n));
  const statusColumn = new Array<number | null>(n);
  const eventType = new Array<string | null>(n);
  const count = [0, 0, 0]; // censored, discontinued, died (competing)
  for (let i = 0; i < n; i++) {
    const st = status[i]!;
    statusColumn[i] = st === -1 ? null : st;
    if (st >= 0) count[st]!++;
    eventType[i] =
      st === -1
        ? null
        : st === 1
          ? "DISCONTINUED"
          : st === 2
            ? "DIED"
            : death[person[i]!] === last[i]
              ? "CENSORED_DEATH"
              : "CENSORED";
  }
  const cols: Record<string, UnitColumn> = {
    person_id: personIdColumn(person, data.persons.ids),
    episode_start: all.start.slice(0, n),
    last_observed_day: intColumn(last),
    discontinuation_date: intColumn(all.disc.subarray(0, n)),
    time_days: intColumn(all.time.subarray(0, n)),
    status: statusColumn,
    event_type: eventType,
  };
  p.thresholds.forEach((t, k) => {
    cols[`retained_${t}`] = boolColumn(retained[k]!);
  });
  Object.assign(cols, {
    pdc: numColumn(pdc),
    pdc_days_covered: intColumn(all.pdcCovered.subarray(0, n)),
    pdc_days_at_risk: intColumn(all.pdcAtRisk.subarray(0, n)),
    pdc_window_complete: boolColumn(all.pdcComplete.subarray(0, n)),
    pdc_ge_threshold: boolColumn(pdcGe),
    in_denominator: boolColumn(inDen),
    reason: codeColumn(all.reason.subarray(0, n), REASONS),
  });
  const armOfUnit = unitArms(person, data.arms());
  const hasArms = data.tables.arms !== undefined;
  const cw = clusteredUnitsWarning(person, inDen);
  if (cw !== null) warnings.push(cw);
  const retainedSummary: Record<string, GroupSummary<Estimate>> = {};
  p.thresholds.forEach((t, k) => {
    retainedSummary[String(t)] = summarizeProportion(retained[k]!, armOfUnit, hasArms);
  });
  const summary: MoudRetentionSummary = {
    nUnits: n,
    reasons: reasonCounts(all.reason.subarray(0, n), REASONS) as Record<RetentionReason, number>,
    discontinued: count[1]!,
    censored: count[0]!,
    diedCompeting: count[2]!,
    retained: retainedSummary,
    pdcMean: summarizeMean(pdc, armOfUnit, hasArms),
    pdcAtOrAboveThreshold: summarizeProportion(pdcGe, armOfUnit, hasArms),
  };
  return makeResult(definition(p), unitsTable(cols), summary, warnings);
}
