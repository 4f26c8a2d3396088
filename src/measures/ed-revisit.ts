/**
 * 30-day ED revisit (MEASURES.md §4.3; toolkit convention [TK] — no standard found, §13).
 *
 * Unit: index ED visit = an ED visit day (claims collapsed per person-day) whose collapsed disposition
 * is treat-and-release (`indexDispositions`, default RELEASED) and whose patient was alive at
 * discharge (disposition not DIED, no death before the visit day). Numerator: ≥ 1 other ED visit on
 * day 1–30 after it. Transfer rule (toolkit reading of "transfer on day 0–1 is not a revisit"): a
 * day-1 visit does not count when the index day or that day-1 visit carries a TRANSFER claim (one
 * inter-facility transfer crossing midnight); same-day claims are the index visit itself.
 * Death is a competing event: the unit table carries time_days/status (1 revisit, 2 death, 0 censored
 * at the end of observation) for an Aalen–Johansen cumulative incidence. The binary revisit_30 is
 * false for a death before any revisit (death competes; it is not censoring) and not evaluable (null)
 * when observation ends before day 30 without a revisit. Optional FUA-style 31-day de-duplication of
 * index visits (keep a visit, skip index visits on its days 1–30).
 */

import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { NULL_DAY as NULL_DAY_IMPORTED, toDay } from "./core/columns.js";
import { DISP as DISP_IMPORTED, DISPOSITIONS, MeasureData, type MeasureTables } from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import { edVisitDays } from "./core/ed-visits.js";
import { lastObservedDay, observability, spanAt } from "./core/follow-up.js";
import {
  boolColumn,
  codeColumn,
  intColumn,
  type MeasureResult,
  makeResult,
  personIdColumn,
  reasonCounts,
  unitsTable,
} from "./core/result.js";
import { clusteredUnitsWarning, type GroupSummary, summarizeProportion, unitArms } from "./core/summary.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;
const DISP = DISP_IMPORTED;

export const MEASURE_ID = "ed-revisit-30";
export const VERSION = "1.0.0";

export const REASONS = [
  "INCLUDED",
  "OUTSIDE_PERIOD",
  "NOT_TREAT_AND_RELEASE",
  "DISPOSITION_UNKNOWN",
  "DIED_AT_VISIT",
  "NO_OBSERVATION_PERIOD",
  "DEDUPLICATED_31_DAY",
] as const;
export type EdRevisitReason = (typeof REASONS)[number];

export interface EdRevisitParams {
  readonly revisitDays: number;
  readonly indexDispositions: readonly (typeof DISPOSITIONS)[number][];
  /** Visits with no disposition on any claim: 'exclude' (DISPOSITION_UNKNOWN) or 'released'. */
  readonly missingDisposition: "exclude" | "released";
  readonly periodStart: number | string | null;
  readonly periodEnd: number | string | null;
  readonly deduplicate31Days: boolean;
  readonly dataEnd: number | string | null;
}

export const DEFAULTS: EdRevisitParams = Object.freeze({
  revisitDays: 30,
  indexDispositions: ["RELEASED"],
  missingDisposition: "exclude",
  periodStart: null,
  periodEnd: null,
  deduplicate31Days: false,
  dataEnd: null,
} as EdRevisitParams);

export interface EdRevisitSummary {
  readonly nVisits: number;
  readonly reasons: Readonly<Record<EdRevisitReason, number>>;
  readonly revisit: GroupSummary<Estimate>;
  readonly revisits: number;
  readonly deathsBeforeRevisit: number;
}

export function definition(params?: Partial<EdRevisitParams>): MeasureDefinition<EdRevisitParams> {
  const p = resolveParams(DEFAULTS, params);
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title: `${p.revisitDays}-day ED revisit after a treat-and-release ED visit`,
    unit: "index ED visit (person-day)",
    status: ["TK"],
    sources: ["MEASURES.md §4.3 (toolkit convention)"],
    parameters: p,
    defaults: DEFAULTS,
    readings: ["15.13"],
    notes: [
      "Collapsed disposition precedence DIED > ADMITTED > OBSERVATION > RELEASED > TRANSFER > LEFT.",
      "A day-1 revisit is discounted when the index day or the day-1 visit has a TRANSFER claim.",
      "Alive at discharge: disposition not DIED and death date (if any) not before the visit day; a death on the visit day after release leaves the visit in the denominator with a competing death at day 0.",
      "revisit_30 = false after a death without revisit (competing event), null when censored before day 30.",
    ],
    reasonCodes: [...REASONS],
  });
}

/** Computes the 30-day ED revisit per index ED visit. Needs encounters. */
export function edRevisit(
  input: MeasureTables | MeasureData,
  params?: Partial<EdRevisitParams>,
): MeasureResult<EdRevisitParams, EdRevisitSummary> {
  const fn = "edRevisit";
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  if (!(p.revisitDays >= 1)) throw new InvalidInputError(fn, "revisitDays must be ≥ 1");
  const lo = toDay(p.periodStart, fn, "periodStart");
  const hi = toDay(p.periodEnd, fn, "periodEnd");
  const v = edVisitDays(data);
  const o = observability(data, p.dataEnd, fn);
  const warnings = [...o.warnings];
  const allowed = new Set(p.indexDispositions.map((x) => DISP[x]));
  const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<EdRevisitReason, number>;

  const uPerson: number[] = [];
  const uVisit: number[] = [];
  const uReason: number[] = [];
  const uRevisit: number[] = [];
  const uRevisitDay: number[] = [];
  const uTime: number[] = [];
  const uStatus: number[] = [];

  for (let person = 0; person < data.nPersons; person++) {
    const a = v.offsets[person]!;
    const b = v.offsets[person + 1]!;
    let lastKept = NULL_DAY;
    for (let k = a; k < b; k++) {
      const day = v.day[k]!;
      if ((lo !== null && day < lo) || (hi !== null && day > hi)) {
        continue;
      }
      const disp = v.disposition[k]!;
      const death = o.death[person]!;
      let reason: EdRevisitReason = "INCLUDED";
      if (disp === DISP.DIED || (death !== NULL_DAY && death < day)) reason = "DIED_AT_VISIT";
      else if (disp < 0 && p.missingDisposition === "exclude") reason = "DISPOSITION_UNKNOWN";
      else if (disp >= 0 && !allowed.has(disp)) reason = "NOT_TREAT_AND_RELEASE";
      const span = reason === "INCLUDED" ? spanAt(o, person, day) : null;
      if (reason === "INCLUDED" && span === null) reason = "NO_OBSERVATION_PERIOD";
      if (reason === "INCLUDED" && p.deduplicate31Days && lastKept !== NULL_DAY && day - lastKept <= 30) {
        reason = "DEDUPLICATED_31_DAY";
      }
      uPerson.push(person);
      uVisit.push(k);
      uReason.push(R[reason]);
      if (reason !== "INCLUDED" || span === null) {
        uRevisit.push(-1);
        uRevisitDay.push(NULL_DAY);
        uTime.push(NULL_DAY);
        uStatus.push(-1);
        continue;
      }
      lastKept = day;
      const last = lastObservedDay(o, person, span);
      const horizon = day + p.revisitDays;
      let first = NULL_DAY;
      for (let q = k + 1; q < b; q++) {
        const dq = v.day[q]!;
        if (dq > horizon || dq > last) break;
        const dd = dq - day;
        if (dd === 1 && (v.hasTransfer[k] === 1 || v.hasTransfer[q] === 1)) continue;
        first = dq;
        break;
      }
      if (first !== NULL_DAY) {
        uRevisit.push(1);
        uRevisitDay.push(first - day);
        uTime.push(first - day);
        uStatus.push(1);
      } else if (death !== NULL_DAY && death <= Math.min(horizon, last)) {
        uRevisit.push(0);
        uRevisitDay.push(NULL_DAY);
        uTime.push(death - day);
        uStatus.push(2);
      } else {
        const end = Math.min(horizon, last);
        uRevisit.push(end >= horizon ? 0 : -1);
        uRevisitDay.push(NULL_DAY);
        uTime.push(end - day);
        uStatus.push(0);
      }
    }
  }
  const inDen = uReason.map((r) => (r === R.INCLUDED ? 1 : 0));
  const units = unitsTable({
    person_id: personIdColumn(uPerson, data.persons.ids),
    visit_date: Int32Array.from(uVisit, (k) => v.day[k]!),
    disposition: codeColumn(
      Int8Array.from(uVisit, (k) => v.disposition[k]!),
      DISPOSITIONS,
    ),
    in_denominator: boolColumn(inDen),
    revisit_30: boolColumn(uRevisit),
    revisit_day: intColumn(uRevisitDay),
    time_days: intColumn(uTime),
    status: uStatus.map((s) => (s < 0 ? null : s)),
    reason: uReason.map((r) => REASONS[r]!),
  });
  const cw = clusteredUnitsWarning(uPerson, inDen);
  if (cw !== null) warnings.push(cw);
  const summary: EdRevisitSummary = {
    nVisits: uPerson.length,
    reasons: reasonCounts(uReason, REASONS) as Record<EdRevisitReason, number>,
    revisit: summarizeProportion(uRevisit, unitArms(uPerson, data.arms()), data.tables.arms !== undefined),
    revisits: uStatus.filter((s) => s === 1).length,
    deathsBeforeRevisit: uStatus.filter((s) => s === 2).length,
  };
  return makeResult(definition(p), units, summary, warnings);
}
