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

import type { Warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { type CodeIndex, type ListColumn, NULL_DAY as NULL_DAY_IMPORTED } from "./core/columns.js";
import { INDEX_TYPES, MeasureData, type MeasureTables, PEER_SETTINGS } from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import { lastObservedDay, observability, spanAt } from "./core/follow-up.js";
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
  const h0038 = h0038Codes(pc.hcpcsCodes);
  const briefCheckin = briefCheckinRows(pc.activities);
  const u = doseUnits(data.nPersons, segs.length);
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
    const w = u.n++;
    u.person[w] = person;
    u.index[w] = s;
    const span = spanAt(o, person, s);
    if (span === null) {
      u.reason[w] = R.NO_OBSERVATION_PERIOD;
      for (const col of [u.lastDay, u.attempts, u.minutesUnknown, u.toFirst, u.sessions, u.checkins])
        col[w] = NULL_DAY;
      for (const col of [u.completed, u.minutes, u.units, u.h0038, u.contactDays, u.span])
        col[w] = Number.NaN;
      u.firstSetting[w] = -1;
      u.bedside[w] = -1;
      for (const col of u.active) col[w] = -1;
      continue;
    }
    u.reason[w] = R.INCLUDED;
    const last = Math.min(lastObservedDay(o, person, span), s + p.windowDays);
    let completed = 0;
    let attempts = 0;
    let minutes = 0;
    let minutesUnknown = 0;
    let units = 0;
    let h0038Units = 0;
    let days = 0;
    let firstDay = NULL_DAY;
    let lastContact = NULL_DAY;
    let firstSetting = -1;
    let bedside = false;
    let sessions = 0;
    let checkins = 0;
    let dayUnits = 0;
    let curDay = NULL_DAY;
    for (let q = 0; q < activeHit.length; q++) activeHit[q] = 0; // (a loop: `fill` per person costs more)
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
        if (h0038(i)) h0038Units += add;
      }
      if (firstDay === NULL_DAY) {
        firstDay = day;
        firstSetting = pc.setting[i]!;
      }
      lastContact = day;
      if (briefCheckin(i)) checkins++;
      else sessions++;
      let segLo = 1;
      for (let q = 0; q < segs.length; q++) {
        if (rel >= segLo && rel <= segs[q]!) activeHit[q] = 1;
        segLo = segs[q]! + 1;
      }
    }
    u.lastDay[w] = last;
    u.completed[w] = completed;
    u.attempts[w] = attempts;
    u.minutes[w] = minutes;
    u.minutesUnknown[w] = minutesUnknown;
    u.units[w] = units;
    u.h0038[w] = h0038Units;
    u.contactDays[w] = days;
    u.span[w] = firstDay === NULL_DAY ? Number.NaN : lastContact - firstDay + 1;
    u.toFirst[w] = firstDay === NULL_DAY ? NULL_DAY : firstDay - s;
    u.firstSetting[w] = firstSetting;
    u.bedside[w] = bedside ? 1 : 0;
    u.sessions[w] = sessions;
    u.checkins[w] = checkins;
    for (let q = 0; q < segs.length; q++)
      u.active[q]![w] = activeHit[q] === 1 ? 1 : s + segs[q]! <= last ? 0 : -1;
  }
  return doseResult(data, p, u, o.warnings);
}

/** Reason codes by name (indices into REASONS). */
const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<PeerDoseReason, number>;

/** Per-person columns of the sweep, `n` rows used. Null is NULL_DAY (Int32) or NaN (Float64, the summarised and summed ones). */
interface DoseUnits {
  n: number;
  readonly person: Int32Array;
  readonly index: Int32Array;
  readonly reason: Int8Array;
  readonly lastDay: Int32Array;
  readonly completed: Float64Array;
  readonly attempts: Int32Array;
  readonly minutes: Float64Array;
  readonly minutesUnknown: Int32Array;
  readonly units: Float64Array;
  readonly h0038: Float64Array;
  readonly contactDays: Float64Array;
  readonly span: Float64Array;
  readonly toFirst: Int32Array;
  /** PEER_SETTINGS index, −1 none. */
  readonly firstSetting: Int8Array;
  /** 1 / 0, −1 null. */
  readonly bedside: Int8Array;
  readonly sessions: Int32Array;
  readonly checkins: Int32Array;
  /** Per segment: 1 / 0, −1 not evaluable. */
  readonly active: Int8Array[];
}

function doseUnits(capacity: number, nSegments: number): DoseUnits {
  const int = () => new Int32Array(capacity);
  const num = () => new Float64Array(capacity);
  return {
    n: 0,
    person: int(),
    index: int(),
    reason: new Int8Array(capacity),
    lastDay: int(),
    completed: num(),
    attempts: int(),
    minutes: num(),
    minutesUnknown: int(),
    units: num(),
    h0038: num(),
    contactDays: num(),
    span: num(),
    toFirst: int(),
    firstSetting: new Int8Array(capacity),
    bedside: new Int8Array(capacity),
    sessions: int(),
    checkins: int(),
    active: Array.from({ length: nSegments }, () => new Int8Array(capacity)),
  };
}

/** Whether a contact's hcpcs is H0038 (any modifier), decided once per distinct code. */
function h0038Codes(hcpcs: CodeIndex): (row: number) => boolean {
  const ofValue = Uint8Array.from(hcpcs.values, (c) => (c.toUpperCase().startsWith("H0038") ? 1 : 0));
  return (row) => {
    const k = hcpcs.index[row]!;
    return k >= 0 && ofValue[k] === 1;
  };
}

/** A brief check-in: activities exactly BRIEF_CHECKIN (possibly repeated); once per distinct list when dictionary-encoded. */
function briefCheckinRows(activities: ListColumn): (row: number) => boolean {
  const brief = (acts: readonly string[]) =>
    acts.length > 0 && acts.every((x) => x.toUpperCase() === "BRIEF_CHECKIN");
  const dict = activities.dictionary();
  if (dict === null) return (row) => brief(activities.get(row));
  const ofList = Uint8Array.from(dict.lists, (l) => (brief(l) ? 1 : 0));
  return (row) => {
    const k = dict.index[row]!;
    return k >= 0 && ofList[k] === 1;
  };
}

/** The unit table and summary of peer dose from the sweep's columns. */
function doseResult(
  data: MeasureData,
  p: PeerDoseParams,
  all: DoseUnits,
  warnings: readonly Warning[],
): MeasureResult<PeerDoseParams, PeerDoseSummary> {
  const n = all.n;
  const person = all.person.subarray(0, n);
  const reason = all.reason.subarray(0, n);
  const completed = all.completed.subarray(0, n);
  const contactDays = all.contactDays.subarray(0, n);
  const span = all.span.subarray(0, n);
  const minutes = all.minutes.subarray(0, n);
  const active = all.active.map((a) => a.subarray(0, n));
  const inDenominator = new Array<boolean>(n);
  const anyContact = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    inDenominator[i] = reason[i] === R.INCLUDED;
    const x = completed[i]!;
    anyContact[i] = Number.isNaN(x) ? -1 : x > 0 ? 1 : 0;
  }
  const cols: Record<string, UnitColumn> = {
    person_id: personIdColumn(person, data.persons.ids),
    index_date: all.index.slice(0, n),
    last_day: intColumn(all.lastDay.subarray(0, n)),
    contacts_completed: numColumn(completed),
    attempts: intColumn(all.attempts.subarray(0, n)),
    minutes_total: numColumn(minutes),
    minutes_unknown: intColumn(all.minutesUnknown.subarray(0, n)),
    units_billed: numColumn(all.units.subarray(0, n)),
    h0038_units: numColumn(all.h0038.subarray(0, n)),
    contact_days: numColumn(contactDays),
    engagement_span_days: numColumn(span),
    days_index_to_first_contact: intColumn(all.toFirst.subarray(0, n)),
    first_contact_setting: codeColumn(all.firstSetting.subarray(0, n), PEER_SETTINGS),
    ed_bedside_contact: boolColumn(all.bedside.subarray(0, n)),
    sessions: intColumn(all.sessions.subarray(0, n)),
    brief_checkins: intColumn(all.checkins.subarray(0, n)),
  };
  p.activeSegments.forEach((hi, q) => {
    cols[`active_${hi}`] = boolColumn(active[q]!);
  });
  cols.in_denominator = inDenominator;
  cols.reason = codeColumn(reason, REASONS);
  const armOfUnit = unitArms(person, data.arms());
  const hasArms = data.tables.arms !== undefined;
  const activeSummary: Record<string, GroupSummary<Estimate>> = {};
  p.activeSegments.forEach((hi, q) => {
    activeSummary[String(hi)] = summarizeProportion(active[q]!, armOfUnit, hasArms);
  });
  const summary: PeerDoseSummary = {
    nPersons: n,
    reasons: reasonCounts(reason, REASONS) as Record<PeerDoseReason, number>,
    contactsCompletedMean: summarizeMean(completed, armOfUnit, hasArms),
    contactDaysMean: summarizeMean(contactDays, armOfUnit, hasArms),
    engagementSpanMean: summarizeMean(span, armOfUnit, hasArms),
    minutesMean: summarizeMean(minutes, armOfUnit, hasArms),
    anyContact: summarizeProportion(anyContact, armOfUnit, hasArms),
    active: activeSummary,
  };
  return makeResult(definition(p), unitsTable(cols), summary, warnings);
}
