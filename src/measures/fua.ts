/**
 * FUA — Follow-Up After Emergency Department Visit for Substance Use, 7- and 30-day rates,
 * "HEDIS-adjusted (non-plan)" (MEASURES.md §2.1, §1.4, §1.5; NCQA HEDIS MY2025 Vol. 2).
 *
 * Unit: ED visit (claims of kind ED collapsed per person-day). Eligible-population steps, in order:
 * 1. ED visit in the measurement period (Jan 1–Dec 1 of `measurementYear`, or periodStart/periodEnd),
 *    with a principal diagnosis in SUD_DX or any diagnosis in DRUG_OVERDOSE_DX on any of the day's
 *    ED claims; age ≥ 13 on the visit date.
 * 2. (adjusted) continuous enrollment replaced by observation: the visit's days 0–30 must be observed
 *    (observation period, data end); `requireContinuousEnrollment` checks the enrollment sources.
 * 3. Exclude when an acute or non-acute inpatient admission starts on day 0–30 (any diagnosis).
 * 4. Exclude when residential treatment starts on day 0–30 (kind RESIDENTIAL, POS 55/56, or
 *    withdrawal management spanning a night).
 * 5. De-duplicate the remaining eligible visits: keep a visit, skip eligible visits on its days 1–30.
 * 6. (adjusted) death during days 0–30 excludes the visit; no hospice data.
 * Numerator (day 0–7 / 0–30, the ED day included): an outpatient-type visit (outpatient, IOP/PH,
 * telehealth, telephone, e-visit; kind OTHER with POS 02/10/52/53/57/58) or OTP service, not a lab
 * claim, with an SUD, substance-induced or drug-overdose diagnosis OR with a mental-health provider;
 * a peer support service (kind PEER, a PEER_SUPPORT_SERVICES procedure code, or — when
 * `countPeerContactLog` — a completed peer_contacts row whose hcpcs is in that value set) only with
 * an SUD, substance-induced or overdose diagnosis (no mental-health-provider alternative); any SUD
 * pharmacotherapy event (medication_events, all rows).
 * PRSS rule [TK] (§2.1): the "clinical follow-up only" variant (fua*_clinical) ignores peer services,
 * so the intervention does not count as its own outcome.
 *
 * Value sets come from a user-supplied mapping (value-sets.ts); with the shipped ILLUSTRATIVE mapping
 * the result is flagged as not a HEDIS rate.
 */
import { daysFromCivil } from "../dates.js";
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { NULL_DAY as NULL_DAY_IMPORTED, toDay } from "./core/columns.js";
import {
  KIND as KIND_IMPORTED,
  MeasureData,
  type MeasureTables,
  type ObservationSource,
} from "./core/data.js";
import {
  HEDIS_ADJUSTED_LABEL,
  type MeasureDefinition,
  makeDefinition,
  resolveParams,
} from "./core/definition.js";
import { DX_BIT, EncounterCodes, FOLLOW_UP_DX } from "./core/encounter-codes.js";
import { ageOf, diedBy, observability, spanAt } from "./core/follow-up.js";
import {
  boolColumn,
  intColumn,
  type MeasureResult,
  makeResult,
  personIdColumn,
  reasonCounts,
  unitsTable,
} from "./core/result.js";
import { clusteredUnitsWarning, type GroupSummary, summarizeProportion, unitArms } from "./core/summary.js";
import { coversRange } from "./pod.js";
import { VALUE_SET_IDS, type ValueSetMapping } from "./value-sets.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;
const KIND = KIND_IMPORTED;

export const MEASURE_ID = "fua";
export const VERSION = "1.0.0";

export const REASONS = [
  "INCLUDED",
  "OUTSIDE_PERIOD",
  "NOT_ELIGIBLE_DIAGNOSIS",
  "AGE_UNKNOWN",
  "AGE_BELOW_MIN",
  "NO_OBSERVATION_PERIOD",
  "NO_CONTINUOUS_ENROLLMENT",
  "DIED_IN_WINDOW",
  "FOLLOW_UP_INCOMPLETE",
  "INPATIENT_ADMISSION",
  "RESIDENTIAL_TREATMENT",
  "DEDUPLICATED_31_DAY",
] as const;
export type FuaReason = (typeof REASONS)[number];
/** Kinds of the first follow-up event (trace). */
export const FOLLOW_UP_SOURCES = [
  "VISIT",
  "MH_PROVIDER_VISIT",
  "OTP_SERVICE",
  "PEER_SERVICE",
  "PEER_CONTACT_LOG",
  "PHARMACOTHERAPY",
] as const;

export interface FuaParams {
  readonly measurementYear: number | null;
  readonly periodStart: number | string | null;
  readonly periodEnd: number | string | null;
  readonly minAge: number;
  readonly missingAge: "exclude" | "include";
  readonly requireContinuousEnrollment: boolean;
  readonly enrollmentSources: readonly ObservationSource[];
  readonly excludeDeaths: boolean;
  readonly countPeerContactLog: boolean;
  readonly dataEnd: number | string | null;
}

export const DEFAULTS: FuaParams = Object.freeze({
  measurementYear: null,
  periodStart: null,
  periodEnd: null,
  minAge: 13,
  missingAge: "exclude",
  requireContinuousEnrollment: false,
  enrollmentSources: ["ENROLLMENT"],
  excludeDeaths: true,
  countPeerContactLog: true,
  dataEnd: null,
} as FuaParams);

export interface FuaSummary {
  readonly nVisits: number;
  readonly reasons: Readonly<Record<FuaReason, number>>;
  readonly fua7: GroupSummary<Estimate>;
  readonly fua30: GroupSummary<Estimate>;
  readonly fua7Clinical: GroupSummary<Estimate>;
  readonly fua30Clinical: GroupSummary<Estimate>;
  /** Totals by HEDIS age stratum (13–17, 18+). */
  readonly byAgeStratum: Readonly<Record<string, { readonly fua7: Estimate; readonly fua30: Estimate }>>;
  readonly valueSets: { readonly name: string; readonly illustrative: boolean; readonly source: string };
}

function adjustments(p: FuaParams, vs: ValueSetMapping | null): string[] {
  const a = ["hospice exclusion not applied (no hospice data)", "no product-line or benefit criteria"];
  if (!p.requireContinuousEnrollment) a.push("continuous enrollment replaced by observation of days 0–30");
  a.push(p.excludeDeaths ? "death exclusion applied to deaths on days 0–30" : "death exclusion dropped");
  if (p.measurementYear === null) a.push("measurement period set by parameters");
  if (p.minAge !== 13) a.push(`minimum age ${p.minAge}`);
  if (vs?.illustrative) a.push("ILLUSTRATIVE value sets (not NCQA): not a HEDIS rate");
  return a;
}

export function definition(
  params?: Partial<FuaParams>,
  vs: ValueSetMapping | null = null,
): MeasureDefinition<FuaParams> {
  const p = resolveParams(DEFAULTS, params);
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title: "Follow-up after ED visit for substance use (7-day, 30-day; with and without peer services)",
    unit: "ED visit (event)",
    status: ["STD", "TK"],
    label: HEDIS_ADJUSTED_LABEL,
    sources: [
      "NCQA HEDIS MY2025 Technical Specifications Vol. 2: FUA",
      "MEASURES.md §2.1 PRSS rule (clinical follow-up only) [TK]",
    ],
    parameters: p,
    defaults: DEFAULTS,
    readings: ["15.13"],
    notes: [
      "ED claims of one person-day are one visit; its diagnoses are the union of the day's ED claims.",
      "Inpatient and residential exclusions use the admission (start) date on days 0–30.",
      "Withdrawal management counts as residential only when it spans a night (end_date > start_date).",
      "Outpatient-type visits are identified by encounter kind; kind OTHER qualifies with POS 02, 10, 52, 53, 57 or 58.",
      "A peer contact log row counts as a peer support service only when completed, its hcpcs is in PEER_SUPPORT_SERVICES and its dx list has an SUD/substance-induced/overdose code.",
      "Visits not evaluable for 30 days (observation or data end) are excluded (FOLLOW_UP_INCOMPLETE) and do not block later visits in de-duplication.",
    ],
    adjustments: adjustments(p, vs),
    reasonCodes: [...REASONS],
  });
}

interface FollowUpState {
  day: number;
  first: number;
  firstSrc: (typeof FOLLOW_UP_SOURCES)[number] | null;
  firstClin: number;
}

/** Records a candidate follow-up event on day d (kept when it is the earliest on day 0–30). */
function consider(
  st: FollowUpState,
  d: number,
  src: (typeof FOLLOW_UP_SOURCES)[number],
  peer: boolean,
): void {
  if (d < st.day || d > st.day + 30) return;
  if (st.first === NULL_DAY || d < st.first) {
    st.first = d;
    st.firstSrc = src;
  }
  if (!peer && (st.firstClin === NULL_DAY || d < st.firstClin)) st.firstClin = d;
}

/**
 * Computes FUA per ED visit.
 * @param valueSets validated mapping (parseValueSetsJson / parseValueSetsCsv / illustrativeValueSets)
 */
export function fua(
  input: MeasureTables | MeasureData,
  valueSets: ValueSetMapping,
  params?: Partial<FuaParams>,
): MeasureResult<FuaParams, FuaSummary> {
  const fn = "fua";
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  if (!valueSets.has(VALUE_SET_IDS.SUD_DX))
    throw new InvalidInputError(fn, "the value-set mapping needs SUD_DX");
  const warnings: Warning[] = [];
  for (const id of [
    VALUE_SET_IDS.DRUG_OVERDOSE_DX,
    VALUE_SET_IDS.SUBSTANCE_INDUCED_DX,
    VALUE_SET_IDS.PEER_SUPPORT_SERVICES,
  ]) {
    if (!valueSets.has(id)) warnings.push(warning("MEASURE_VALUE_SET_MISSING", id));
  }
  if (valueSets.illustrative)
    warnings.push(warning("MEASURE_VALUE_SET_ILLUSTRATIVE", valueSets.file.meta.name));
  let lo = toDay(p.periodStart, fn, "periodStart");
  let hi = toDay(p.periodEnd, fn, "periodEnd");
  if (p.measurementYear !== null) {
    lo = daysFromCivil(p.measurementYear, 1, 1);
    hi = daysFromCivil(p.measurementYear, 12, 1);
  }
  const enc = data.encounters();
  const ec = new EncounterCodes(enc, data.encounterCodes(), valueSets);
  const med = data.tables.medication_events ? data.medEvents() : null;
  const pc = p.countPeerContactLog && data.tables.peer_contacts ? data.peerContacts() : null;
  const o = observability(data, p.dataEnd, fn);
  warnings.push(...o.warnings);
  const ce = p.requireContinuousEnrollment ? data.observation(p.enrollmentSources) : null;
  const NUM_DX = [VALUE_SET_IDS.SUD_DX, VALUE_SET_IDS.SUBSTANCE_INDUCED_DX, VALUE_SET_IDS.DRUG_OVERDOSE_DX];
  const PEER_SET = [VALUE_SET_IDS.PEER_SUPPORT_SERVICES];
  const st: FollowUpState = { day: 0, first: NULL_DAY, firstSrc: null, firstClin: NULL_DAY };
  const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<FuaReason, number>;

  const uPerson: number[] = [];
  const uDay: number[] = [];
  const uAge: (number | null)[] = [];
  const uReason: number[] = [];
  const uF7: number[] = [];
  const uF30: number[] = [];
  const uC7: number[] = [];
  const uC30: number[] = [];
  const uFirst: number[] = [];
  const uFirstSrc: (string | null)[] = [];
  const uFirstClin: number[] = [];

  const { offsets, order } = enc.csr;
  for (let person = 0; person < data.nPersons; person++) {
    const a = offsets[person]!;
    const b = offsets[person + 1]!;
    let lastKept = NULL_DAY;
    let k = a;
    while (k < b) {
      const i0 = order[k]!;
      const day = enc.start[i0]!;
      // gather the day's ED claims
      let isEd = false;
      let eligibleDx = false;
      const dayStart = k;
      let k2 = k;
      while (k2 < b && enc.start[order[k2]!] === day) {
        const i = order[k2]!;
        if (enc.kind[i] === KIND.ED) {
          isEd = true;
          if ((ec.mask(i) & (DX_BIT.SUD_PRINCIPAL | DX_BIT.OVERDOSE)) !== 0) eligibleDx = true;
        }
        k2++;
      }
      k = k2;
      if (!isEd) continue;
      const age = ageOf(o, person, day);
      let reason: FuaReason = "INCLUDED";
      const span = spanAt(o, person, day);
      if ((lo !== null && day < lo) || (hi !== null && day > hi)) reason = "OUTSIDE_PERIOD";
      else if (!eligibleDx) reason = "NOT_ELIGIBLE_DIAGNOSIS";
      else if (age === null && p.missingAge === "exclude") reason = "AGE_UNKNOWN";
      else if (age !== null && age < p.minAge) reason = "AGE_BELOW_MIN";
      else if (span === null) reason = "NO_OBSERVATION_PERIOD";
      else if (ce !== null && !coversRange(ce, person, day, day + 30)) reason = "NO_CONTINUOUS_ENROLLMENT";
      else if (p.excludeDeaths && diedBy(o, person, day + 30)) reason = "DIED_IN_WINDOW";
      else if (span.end < day + 30) reason = "FOLLOW_UP_INCOMPLETE";
      else {
        // inpatient / residential admissions on day 0–30
        for (let q = dayStart; q < b; q++) {
          const i = order[q]!;
          const s = enc.start[i]!;
          if (s < day) continue;
          if (s > day + 30) break;
          if (ec.isInpatient(i)) {
            reason = "INPATIENT_ADMISSION";
            break;
          }
          if (ec.isResidential(i)) {
            reason = "RESIDENTIAL_TREATMENT";
            break;
          }
        }
        if (reason === "INCLUDED" && lastKept !== NULL_DAY && day - lastKept <= 30)
          reason = "DEDUPLICATED_31_DAY";
      }
      uPerson.push(person);
      uDay.push(day);
      uAge.push(age);
      uReason.push(R[reason]);
      if (reason !== "INCLUDED") {
        uF7.push(-1);
        uF30.push(-1);
        uC7.push(-1);
        uC30.push(-1);
        uFirst.push(NULL_DAY);
        uFirstSrc.push(null);
        uFirstClin.push(NULL_DAY);
        continue;
      }
      lastKept = day;
      // numerator: earliest qualifying event on day 0–30, overall and clinical-only
      st.day = day;
      st.first = NULL_DAY;
      st.firstSrc = null;
      st.firstClin = NULL_DAY;
      for (let q = dayStart; q < b; q++) {
        const i = order[q]!;
        const s = enc.start[i]!;
        if (s > day + 30) break;
        if (ec.isLab(i)) continue;
        const kind = enc.kind[i]!;
        if (ec.isPeer(i)) {
          if ((ec.mask(i) & FOLLOW_UP_DX) !== 0) consider(st, s, "PEER_SERVICE", true);
          continue;
        }
        if (!ec.isOutpatientType(i) && kind !== KIND.OTP) continue;
        if ((ec.mask(i) & FOLLOW_UP_DX) !== 0)
          consider(st, s, kind === KIND.OTP ? "OTP_SERVICE" : "VISIT", false);
        else if (ec.codes.providerIsMh[i] === 1) consider(st, s, "MH_PROVIDER_VISIT", false);
      }
      if (med !== null) {
        for (let q = med.csr.offsets[person]!; q < med.csr.offsets[person + 1]!; q++) {
          const dd = med.day[med.csr.order[q]!]!;
          if (dd > day + 30) break;
          consider(st, dd, "PHARMACOTHERAPY", false);
        }
      }
      if (pc !== null) {
        for (let q = pc.csr.offsets[person]!; q < pc.csr.offsets[person + 1]!; q++) {
          const i = pc.csr.order[q]!;
          const dd = pc.day[i]!;
          if (dd > day + 30) break;
          if (dd < day || pc.completed[i] !== 1) continue;
          if (!valueSets.any(PEER_SET, [pc.hcpcs[i] ?? null])) continue;
          if (!valueSets.any(NUM_DX, pc.dx.get(i))) continue;
          consider(st, dd, "PEER_CONTACT_LOG", true);
        }
      }
      const first = st.first;
      const firstClin = st.firstClin;
      const firstSrc = st.firstSrc;
      const f = first === NULL_DAY ? Number.POSITIVE_INFINITY : first - day;
      const c = firstClin === NULL_DAY ? Number.POSITIVE_INFINITY : firstClin - day;
      uF7.push(f <= 7 ? 1 : 0);
      uF30.push(f <= 30 ? 1 : 0);
      uC7.push(c <= 7 ? 1 : 0);
      uC30.push(c <= 30 ? 1 : 0);
      uFirst.push(first === NULL_DAY ? NULL_DAY : first - day);
      uFirstSrc.push(firstSrc);
      uFirstClin.push(firstClin === NULL_DAY ? NULL_DAY : firstClin - day);
    }
  }
  const inDen = uReason.map((r) => (r === R.INCLUDED ? 1 : 0));
  const stratum = uAge.map((x) => (x === null ? null : x >= 18 ? "18+" : x >= 13 ? "13-17" : "<13"));
  const units = unitsTable({
    person_id: personIdColumn(uPerson, data.persons.ids),
    visit_date: Int32Array.from(uDay),
    age: uAge,
    age_stratum: stratum,
    in_denominator: boolColumn(inDen),
    fua_7: boolColumn(uF7),
    fua_30: boolColumn(uF30),
    fua_7_clinical: boolColumn(uC7),
    fua_30_clinical: boolColumn(uC30),
    first_follow_up_day: intColumn(uFirst),
    first_follow_up_source: uFirstSrc,
    first_clinical_follow_up_day: intColumn(uFirstClin),
    reason: uReason.map((r) => REASONS[r]!),
  });
  const cw = clusteredUnitsWarning(uPerson, inDen);
  if (cw !== null) warnings.push(cw);
  const armOfUnit = unitArms(uPerson, data.arms());
  const hasArms = data.tables.arms !== undefined;
  const byAgeStratum: Record<string, { fua7: Estimate; fua30: Estimate }> = {};
  for (const sName of ["13-17", "18+"]) {
    const keep = (arr: number[]) => arr.map((x, i) => (stratum[i] === sName ? x : -1));
    byAgeStratum[sName] = {
      fua7: summarizeProportion(keep(uF7), armOfUnit, false).overall,
      fua30: summarizeProportion(keep(uF30), armOfUnit, false).overall,
    };
  }
  const summary: FuaSummary = {
    nVisits: uPerson.length,
    reasons: reasonCounts(uReason, REASONS) as Record<FuaReason, number>,
    fua7: summarizeProportion(uF7, armOfUnit, hasArms),
    fua30: summarizeProportion(uF30, armOfUnit, hasArms),
    fua7Clinical: summarizeProportion(uC7, armOfUnit, hasArms),
    fua30Clinical: summarizeProportion(uC30, armOfUnit, hasArms),
    byAgeStratum,
    valueSets: {
      name: valueSets.file.meta.name,
      illustrative: valueSets.illustrative,
      source: valueSets.file.meta.source,
    },
  };
  return makeResult(definition(p, valueSets), units, summary, warnings);
}
