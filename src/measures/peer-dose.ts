/**
 * Peer service dose (MEASURES.md §9.2; [STD] HCPCS H0038 + [LIT]/[TK] dose metrics), per person over
 * the window index + 0 … index + windowDays (default 90, as Relay/Navigator/ROOT follow-up).
 *
 * Metrics (completed contacts only unless said; attempts = completed = false, never dose):
 * - contacts_completed, attempts;
 * - minutes_total (sum of known durations; minutes_unknown counts completed contacts without one);
 * - units_billed (sum of recorded units, capped per day at `maxUnitsPerDay` when given) and
 *   h0038_units (the same restricted to H0038 contacts — H0038 = 15 minutes per unit);
 * - contact_days: distinct dates with ≥ 1 completed contact ("days engaged", intensity sense);
 * - engagement_span_days: last − first completed contact + 1 ("days engaged", duration sense, Ashford
 *   2021) — the two are always named apart;
 * - active_30 / active_60 / active_90: ≥ 1 completed contact on days 1–30, 31–60, 61–90; a person whose
 *   follow-up ends before the segment's last day without a contact in it is not evaluable (null);
 * - days_index_to_first_contact, first_contact_setting (first completed contact on day ≥ 0);
 * - ed_bedside_contact: a completed contact in setting ED on day −1 or 0 (an ED stay can start the day
 *   before the ED-discharge index date);
 * - sessions vs brief_checkins: a brief check-in is a completed contact whose activities are only
 *   BRIEF_CHECKIN; every other completed contact is a session.
 * Dose is post-index; dose–response analyses must treat it as time-varying (§9.2) — this table is
 * descriptive.
 */

import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { NULL_DAY as NULL_DAY_IMPORTED } from "./core/columns.js";
import { INDEX_TYPES, MeasureData, type MeasureTables, PEER_SETTINGS } from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import { lastObservedDay, observability, spanAt } from "./core/follow-up.js";
import { type MeasureResult, makeResult, personIdColumn, reasonCounts, unitsTable } from "./core/result.js";
import { type GroupSummary, summarizeMean, summarizeProportion, unitArms } from "./core/summary.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

export const MEASURE_ID = "peer-dose";
export const VERSION = "1.0.0";

export const REASONS = ["INCLUDED", "NO_OBSERVATION_PERIOD"] as const;
export type PeerDoseReason = (typeof REASONS)[number];

export interface PeerDoseParams {
  readonly windowDays: number;
  readonly indexTypes: readonly (typeof INDEX_TYPES)[number][] | null;
  readonly maxUnitsPerDay: number | null;
  readonly activeSegments: readonly number[];
  readonly dataEnd: number | string | null;
}

export const DEFAULTS: PeerDoseParams = Object.freeze({
  windowDays: 90,
  indexTypes: null,
  maxUnitsPerDay: null,
  activeSegments: [30, 60, 90],
  dataEnd: null,
} as PeerDoseParams);

export interface PeerDoseSummary {
  readonly nPersons: number;
  readonly reasons: Readonly<Record<PeerDoseReason, number>>;
  readonly contactsCompletedMean: GroupSummary<Estimate>;
  readonly contactDaysMean: GroupSummary<Estimate>;
  readonly engagementSpanMean: GroupSummary<Estimate>;
  readonly minutesMean: GroupSummary<Estimate>;
  readonly anyContact: GroupSummary<Estimate>;
  readonly active: Readonly<Record<string, GroupSummary<Estimate>>>;
}

export function definition(params?: Partial<PeerDoseParams>): MeasureDefinition<PeerDoseParams> {
  const p = resolveParams(DEFAULTS, params);
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title: `Peer service dose in the ${p.windowDays} days after the index event`,
    unit: "person (first index event)",
    status: ["STD", "LIT", "TK"],
    sources: [
      "HCPCS H0038 (self-help/peer services, per 15 minutes)",
      "Ashford RD et al. 2021, Addict Behav 119:106945 (days engaged; sessions vs brief check-ins)",
      "AJEM 2023 ED peer recovery coach programme (engaged at 30/60/90 days)",
    ],
    parameters: p,
    defaults: DEFAULTS,
    readings: ["15.13"],
    notes: [
      "Window = index day 0 through day windowDays, clipped to the observed follow-up (death, observation end, data end).",
      "Active segments are consecutive: days 1–30, 31–60, 61–90 for the default [30, 60, 90].",
      "Brief check-in = completed contact whose activities list is exactly BRIEF_CHECKIN (possibly repeated); contacts without activities are sessions.",
      "units_billed sums recorded units only; no units are derived from minutes.",
      "The index event is the person's first index event (of indexTypes when given).",
    ],
    reasonCodes: [...REASONS],
  });
}

/** Computes peer dose per person. Needs index_events and peer_contacts. */
export function peerDose(
  input: MeasureTables | MeasureData,
  params?: Partial<PeerDoseParams>,
): MeasureResult<PeerDoseParams, PeerDoseSummary> {
  const fn = "peerDose";
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  if (!(p.windowDays >= 0)) throw new InvalidInputError(fn, "windowDays must be ≥ 0");
  const idx = data.indexEvents();
  const pc = data.peerContacts();
  const o = observability(data, p.dataEnd, fn);
  const types = p.indexTypes === null ? null : new Set(p.indexTypes.map((t) => INDEX_TYPES.indexOf(t)));
  const ED = PEER_SETTINGS.indexOf("ED");
  const segs = p.activeSegments;
  const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<PeerDoseReason, number>;

  const c = {
    person: [] as number[],
    index: [] as number[],
    reason: [] as number[],
    lastDay: [] as (number | null)[],
    completed: [] as (number | null)[],
    attempts: [] as (number | null)[],
    minutes: [] as (number | null)[],
    minutesUnknown: [] as (number | null)[],
    units: [] as (number | null)[],
    h0038: [] as (number | null)[],
    contactDays: [] as (number | null)[],
    span: [] as (number | null)[],
    toFirst: [] as (number | null)[],
    firstSetting: [] as (string | null)[],
    bedside: [] as (boolean | null)[],
    sessions: [] as (number | null)[],
    checkins: [] as (number | null)[],
    active: segs.map(() => [] as number[]),
  };
  const { offsets, order } = pc.csr;
  const activeHit = new Uint8Array(segs.length);
  for (let person = 0; person < data.nPersons; person++) {
    let s = NULL_DAY;
    for (let k = idx.csr.offsets[person]!; k < idx.csr.offsets[person + 1]!; k++) {
      const i = idx.csr.order[k]!;
      if (types !== null && !types.has(idx.type[i]!)) continue;
      s = idx.day[i]!;
      break;
    }
    if (s === NULL_DAY) continue;
    c.person.push(person);
    c.index.push(s);
    const span = spanAt(o, person, s);
    if (span === null) {
      c.reason.push(R.NO_OBSERVATION_PERIOD);
      for (const col of [
        c.lastDay,
        c.completed,
        c.attempts,
        c.minutes,
        c.minutesUnknown,
        c.units,
        c.h0038,
        c.contactDays,
        c.span,
        c.toFirst,
        c.sessions,
        c.checkins,
      ])
        col.push(null);
      c.firstSetting.push(null);
      c.bedside.push(null);
      for (const col of c.active) col.push(-1);
      continue;
    }
    c.reason.push(R.INCLUDED);
    const last = Math.min(lastObservedDay(o, person, span), s + p.windowDays);
    let completed = 0;
    let attempts = 0;
    let minutes = 0;
    let minutesUnknown = 0;
    let units = 0;
    let h0038 = 0;
    let days = 0;
    let firstDay = NULL_DAY;
    let lastContact = NULL_DAY;
    let firstSetting: string | null = null;
    let bedside = false;
    let sessions = 0;
    let checkins = 0;
    let dayUnits = 0;
    let curDay = NULL_DAY;
    activeHit.fill(0);
    for (let k = offsets[person]!; k < offsets[person + 1]!; k++) {
      const i = order[k]!;
      const day = pc.day[i]!;
      const rel = day - s;
      if (pc.completed[i] === 1 && pc.setting[i] === ED && (rel === -1 || rel === 0)) bedside = true;
      if (rel < 0) continue;
      if (day > last) break;
      if (pc.completed[i] !== 1) {
        attempts++;
        continue;
      }
      completed++;
      if (pc.duration[i] === NULL_DAY) minutesUnknown++;
      else minutes += pc.duration[i]!;
      if (day !== curDay) {
        days++;
        curDay = day;
        dayUnits = 0;
      }
      if (pc.units[i] !== NULL_DAY) {
        let add = pc.units[i]!;
        if (p.maxUnitsPerDay !== null) add = Math.max(0, Math.min(add, p.maxUnitsPerDay - dayUnits));
        dayUnits += add;
        units += add;
        if ((pc.hcpcs[i] ?? "").toUpperCase().startsWith("H0038")) h0038 += add;
      }
      if (firstDay === NULL_DAY) {
        firstDay = day;
        firstSetting = pc.setting[i]! >= 0 ? PEER_SETTINGS[pc.setting[i]!]! : null;
      }
      lastContact = day;
      const acts = pc.activities.get(i);
      if (acts.length > 0 && acts.every((x) => x.toUpperCase() === "BRIEF_CHECKIN")) checkins++;
      else sessions++;
      let segLo = 1;
      for (let q = 0; q < segs.length; q++) {
        if (rel >= segLo && rel <= segs[q]!) activeHit[q] = 1;
        segLo = segs[q]! + 1;
      }
    }
    c.lastDay.push(last);
    c.completed.push(completed);
    c.attempts.push(attempts);
    c.minutes.push(minutes);
    c.minutesUnknown.push(minutesUnknown);
    c.units.push(units);
    c.h0038.push(h0038);
    c.contactDays.push(days);
    c.span.push(firstDay === NULL_DAY ? null : lastContact - firstDay + 1);
    c.toFirst.push(firstDay === NULL_DAY ? null : firstDay - s);
    c.firstSetting.push(firstSetting);
    c.bedside.push(bedside);
    c.sessions.push(sessions);
    c.checkins.push(checkins);
    for (let q = 0; q < segs.length; q++)
      c.active[q]!.push(activeHit[q] === 1 ? 1 : s + segs[q]! <= last ? 0 : -1);
  }
  const cols: Record<string, ArrayLike<unknown>> = {
    person_id: personIdColumn(c.person, data.persons.ids),
    index_date: Int32Array.from(c.index),
    last_day: c.lastDay,
    contacts_completed: c.completed,
    attempts: c.attempts,
    minutes_total: c.minutes,
    minutes_unknown: c.minutesUnknown,
    units_billed: c.units,
    h0038_units: c.h0038,
    contact_days: c.contactDays,
    engagement_span_days: c.span,
    days_index_to_first_contact: c.toFirst,
    first_contact_setting: c.firstSetting,
    ed_bedside_contact: c.bedside,
    sessions: c.sessions,
    brief_checkins: c.checkins,
  };
  segs.forEach((hi, q) => {
    cols[`active_${hi}`] = c.active[q]!.map((x) => (x < 0 ? null : x === 1));
  });
  cols.in_denominator = c.reason.map((r) => r === R.INCLUDED);
  cols.reason = c.reason.map((r) => REASONS[r]!);
  const armOfUnit = unitArms(c.person, data.arms());
  const hasArms = data.tables.arms !== undefined;
  const active: Record<string, GroupSummary<Estimate>> = {};
  segs.forEach((hi, q) => {
    active[String(hi)] = summarizeProportion(c.active[q]!, armOfUnit, hasArms);
  });
  const summary: PeerDoseSummary = {
    nPersons: c.person.length,
    reasons: reasonCounts(c.reason, REASONS) as Record<PeerDoseReason, number>,
    contactsCompletedMean: summarizeMean(c.completed, armOfUnit, hasArms),
    contactDaysMean: summarizeMean(c.contactDays, armOfUnit, hasArms),
    engagementSpanMean: summarizeMean(c.span, armOfUnit, hasArms),
    minutesMean: summarizeMean(c.minutes, armOfUnit, hasArms),
    anyContact: summarizeProportion(
      c.completed.map((x) => (x === null ? -1 : x > 0 ? 1 : 0)),
      armOfUnit,
      hasArms,
    ),
    active,
  };
  return makeResult(definition(p), unitsTable(cols), summary, o.warnings);
}
