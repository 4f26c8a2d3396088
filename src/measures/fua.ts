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
  type PeerContactView,
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
  codeColumn,
  intColumn,
  type MeasureResult,
  makeResult,
  personIdColumn,
  reasonCounts,
  unitsTable,
} from "./core/result.js";
import {
  clusteredUnitsWarning,
  type GroupSummary,
  proportionFromCounts,
  summarizeProportion,
  unitArms,
} from "./core/summary.js";
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

/** FUA reason codes by name (indices into REASONS). */
const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<FuaReason, number>;
/** Follow-up source codes by name (indices into FOLLOW_UP_SOURCES). */
const SRC = Object.fromEntries(FOLLOW_UP_SOURCES.map((r, i) => [r, i])) as Record<
  (typeof FOLLOW_UP_SOURCES)[number],
  number
>;

/** The earliest follow-up events of one visit so far (day numbers, NULL_DAY = none). */
interface FollowUpState {
  day: number;
  first: number;
  /** FOLLOW_UP_SOURCES index of `first`, −1 none. */
  firstSrc: number;
  firstClin: number;
}

/** Records a candidate follow-up event on day d (kept when it is the earliest on day 0–30). */
function consider(st: FollowUpState, d: number, src: number, peer: boolean): void {
  if (d < st.day || d > st.day + 30) return;
  if (st.first === NULL_DAY || d < st.first) {
    st.first = d;
    st.firstSrc = src;
  }
  if (!peer && (st.firstClin === NULL_DAY || d < st.firstClin)) st.firstClin = d;
}

/** Per-visit columns of the sweep (typed; NULL_DAY / −1 for not applicable), `n` rows used. */
interface FuaUnits {
  n: number;
  readonly person: Int32Array;
  readonly day: Int32Array;
  /** Age in years, NULL_DAY unknown. */
  readonly age: Int32Array;
  readonly reason: Int8Array;
  /** 1 / 0, −1 outside the denominator. */
  readonly f7: Int8Array;
  readonly f30: Int8Array;
  readonly c7: Int8Array;
  readonly c30: Int8Array;
  /** Days from the visit to the first (clinical) follow-up, NULL_DAY none. */
  readonly first: Int32Array;
  readonly firstSrc: Int8Array;
  readonly firstClin: Int32Array;
}

function fuaUnits(capacity: number): FuaUnits {
  return {
    n: 0,
    person: new Int32Array(capacity),
    day: new Int32Array(capacity),
    age: new Int32Array(capacity),
    reason: new Int8Array(capacity),
    f7: new Int8Array(capacity),
    f30: new Int8Array(capacity),
    c7: new Int8Array(capacity),
    c30: new Int8Array(capacity),
    first: new Int32Array(capacity),
    firstSrc: new Int8Array(capacity),
    firstClin: new Int32Array(capacity),
  };
}

/**
 * Which peer_contacts rows are peer support services for the numerator: completed, hcpcs in
 * PEER_SUPPORT_SERVICES and an SUD/substance-induced/overdose code in dx. Decided once per row on first
 * use (once per distinct hcpcs code and dx list).
 */
function peerLogRows(pc: PeerContactView, valueSets: ValueSetMapping): (row: number) => boolean {
  const NUM_DX = [VALUE_SET_IDS.SUD_DX, VALUE_SET_IDS.SUBSTANCE_INDUCED_DX, VALUE_SET_IDS.DRUG_OVERDOSE_DX];
  const PEER_SET = [VALUE_SET_IDS.PEER_SUPPORT_SERVICES];
  const hcpcs = pc.hcpcsCodes;
  const hcpcsOk = Uint8Array.from(hcpcs.values, (c) => (valueSets.any(PEER_SET, [c]) ? 1 : 0));
  const dict = pc.dx.dictionary();
  const dxOfList =
    dict === null ? null : Uint8Array.from(dict.lists, (l) => (valueSets.any(NUM_DX, l) ? 1 : 0));
  const dxOk = (i: number): boolean => {
    if (dict === null || dxOfList === null) return valueSets.any(NUM_DX, pc.dx.get(i));
    const k = dict.index[i]!;
    return k >= 0 && dxOfList[k] === 1;
  };
  const state = new Int8Array(pc.n).fill(-1); // 1 / 0 once decided
  return (i) => {
    if (state[i]! < 0) {
      const h = hcpcs.index[i]!;
      state[i] = pc.completed[i] === 1 && h >= 0 && hcpcsOk[h] === 1 && dxOk(i) ? 1 : 0;
    }
    return state[i] === 1;
  };
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
  const peerLog = pc === null ? null : peerLogRows(pc, valueSets);
  const st: FollowUpState = { day: 0, first: NULL_DAY, firstSrc: -1, firstClin: NULL_DAY };

  const u = fuaUnits(countEdClaims(enc.kind)); // every visit has an ED claim
  const { offsets, order } = enc.csr;
  for (let person = 0; person < data.nPersons; person++) {
    const a = offsets[person]!;
    const b = offsets[person + 1]!;
    let lastKept = NULL_DAY;
    // first medication event / peer contact not before the visit being followed (visits ascend)
    let medAt = med === null ? 0 : med.csr.offsets[person]!;
    let pcAt = pc === null ? 0 : pc.csr.offsets[person]!;
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
      let reason: number = R.INCLUDED;
      const span = spanAt(o, person, day);
      if ((lo !== null && day < lo) || (hi !== null && day > hi)) reason = R.OUTSIDE_PERIOD;
      else if (!eligibleDx) reason = R.NOT_ELIGIBLE_DIAGNOSIS;
      else if (age === null && p.missingAge === "exclude") reason = R.AGE_UNKNOWN;
      else if (age !== null && age < p.minAge) reason = R.AGE_BELOW_MIN;
      else if (span === null) reason = R.NO_OBSERVATION_PERIOD;
      else if (ce !== null && !coversRange(ce, person, day, day + 30)) reason = R.NO_CONTINUOUS_ENROLLMENT;
      else if (p.excludeDeaths && diedBy(o, person, day + 30)) reason = R.DIED_IN_WINDOW;
      else if (span.end < day + 30) reason = R.FOLLOW_UP_INCOMPLETE;
      else {
        reason = admissionIn(ec, order, dayStart, b, day);
        if (reason === R.INCLUDED && lastKept !== NULL_DAY && day - lastKept <= 30)
          reason = R.DEDUPLICATED_31_DAY;
      }
      const w = u.n++;
      u.person[w] = person;
      u.day[w] = day;
      u.age[w] = age === null ? NULL_DAY : age;
      u.reason[w] = reason;
      if (reason !== R.INCLUDED) {
        u.f7[w] = -1;
        u.f30[w] = -1;
        u.c7[w] = -1;
        u.c30[w] = -1;
        u.first[w] = NULL_DAY;
        u.firstSrc[w] = -1;
        u.firstClin[w] = NULL_DAY;
        continue;
      }
      lastKept = day;
      // numerator: earliest qualifying event on day 0–30, overall and clinical-only
      st.day = day;
      st.first = NULL_DAY;
      st.firstSrc = -1;
      st.firstClin = NULL_DAY;
      for (let q = dayStart; q < b; q++) {
        const i = order[q]!;
        const s = enc.start[i]!;
        if (s > day + 30) break;
        if (ec.isLab(i)) continue;
        const kind = enc.kind[i]!;
        if (ec.isPeer(i)) {
          if ((ec.mask(i) & FOLLOW_UP_DX) !== 0) consider(st, s, SRC.PEER_SERVICE, true);
          continue;
        }
        if (!ec.isOutpatientType(i) && kind !== KIND.OTP) continue;
        if ((ec.mask(i) & FOLLOW_UP_DX) !== 0)
          consider(st, s, kind === KIND.OTP ? SRC.OTP_SERVICE : SRC.VISIT, false);
        else if (ec.codes.providerIsMh[i] === 1) consider(st, s, SRC.MH_PROVIDER_VISIT, false);
      }
      // Events are in day order and `consider` keeps the strictly earliest: only the first event on
      // or after the visit day can count.
      if (med !== null) {
        const end = med.csr.offsets[person + 1]!;
        medAt = firstOnOrAfter(med.day, med.csr.order, medAt, end, day);
        if (medAt < end) consider(st, med.day[med.csr.order[medAt]!]!, SRC.PHARMACOTHERAPY, false);
      }
      if (pc !== null && peerLog !== null) {
        const end = pc.csr.offsets[person + 1]!;
        pcAt = firstOnOrAfter(pc.day, pc.csr.order, pcAt, end, day);
        for (let q = pcAt; q < end; q++) {
          const i = pc.csr.order[q]!;
          const dd = pc.day[i]!;
          if (dd > day + 30) break;
          if (!peerLog(i)) continue;
          consider(st, dd, SRC.PEER_CONTACT_LOG, true);
          break;
        }
      }
      const f = st.first === NULL_DAY ? Number.POSITIVE_INFINITY : st.first - day;
      const c = st.firstClin === NULL_DAY ? Number.POSITIVE_INFINITY : st.firstClin - day;
      u.f7[w] = f <= 7 ? 1 : 0;
      u.f30[w] = f <= 30 ? 1 : 0;
      u.c7[w] = c <= 7 ? 1 : 0;
      u.c30[w] = c <= 30 ? 1 : 0;
      u.first[w] = st.first === NULL_DAY ? NULL_DAY : st.first - day;
      u.firstSrc[w] = st.firstSrc;
      u.firstClin[w] = st.firstClin === NULL_DAY ? NULL_DAY : st.firstClin - day;
    }
  }
  return fuaResult(data, p, valueSets, u, warnings);
}

/** Number of encounter rows of kind ED. */
function countEdClaims(kind: Int8Array): number {
  const ed = KIND.ED;
  let n = 0;
  for (let i = 0; i < kind.length; i++) if (kind[i] === ed) n++;
  return n;
}

/**
 * First position q in [lo, hi) with day[order[q]] ≥ `day` (hi when none), by binary search: the rows
 * order[lo … hi) are in day order.
 */
function firstOnOrAfter(dayOf: Int32Array, order: Int32Array, lo: number, hi: number, day: number): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (dayOf[order[m]!]! < day) a = m + 1;
    else b = m;
  }
  return a;
}

/**
 * INPATIENT_ADMISSION or RESIDENTIAL_TREATMENT when such an admission (start date) of the person lies
 * on day 0–30 of the visit, else INCLUDED. `order[from … to)` are the person's encounter rows from the
 * visit day on.
 */
function admissionIn(ec: EncounterCodes, order: Int32Array, from: number, to: number, day: number): number {
  for (let q = from; q < to; q++) {
    const i = order[q]!;
    const s = ec.enc.start[i]!;
    if (s < day) continue;
    if (s > day + 30) break;
    if (ec.isInpatient(i)) return R.INPATIENT_ADMISSION;
    if (ec.isResidential(i)) return R.RESIDENTIAL_TREATMENT;
  }
  return R.INCLUDED;
}

/**
 * FUA-7 and FUA-30 among the visits of a HEDIS age stratum (ages lo … hi): `summarizeProportion`'s
 * overall estimate of the values with every other visit excluded, counted in one pass.
 */
function stratumRates(
  f7: Int8Array,
  f30: Int8Array,
  age: Int32Array,
  lo: number,
  hi: number,
): { fua7: Estimate; fua30: Estimate } {
  let x7 = 0;
  let n7 = 0;
  let x30 = 0;
  let n30 = 0;
  for (let i = 0; i < age.length; i++) {
    const a = age[i]!;
    if (a === NULL_DAY || a < lo || a > hi) continue;
    const v7 = f7[i]!;
    const v30 = f30[i]!;
    if (v7 >= 0) {
      n7++;
      x7 += v7;
    }
    if (v30 >= 0) {
      n30++;
      x30 += v30;
    }
  }
  return {
    fua7: proportionFromCounts(x7, n7, age.length - n7),
    fua30: proportionFromCounts(x30, n30, age.length - n30),
  };
}

/** The unit table, summary and warnings of FUA from the sweep's columns. */
function fuaResult(
  data: MeasureData,
  p: FuaParams,
  valueSets: ValueSetMapping,
  all: FuaUnits,
  warnings: Warning[],
): MeasureResult<FuaParams, FuaSummary> {
  const n = all.n;
  const person = all.person.subarray(0, n);
  const age = all.age.subarray(0, n);
  const reason = all.reason.subarray(0, n);
  const f7 = all.f7.subarray(0, n);
  const f30 = all.f30.subarray(0, n);
  const c7 = all.c7.subarray(0, n);
  const c30 = all.c30.subarray(0, n);
  const inDen = new Int8Array(n);
  const inDenominator = new Array<boolean>(n);
  const stratum = new Array<string | null>(n);
  const reasonName = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const included = reason[i] === R.INCLUDED;
    inDen[i] = included ? 1 : 0;
    inDenominator[i] = included;
    const x = age[i]!;
    stratum[i] = x === NULL_DAY ? null : x >= 18 ? "18+" : x >= 13 ? "13-17" : "<13";
    reasonName[i] = REASONS[reason[i]!]!;
  }
  const units = unitsTable({
    person_id: personIdColumn(person, data.persons.ids),
    visit_date: all.day.slice(0, n),
    age: intColumn(age),
    age_stratum: stratum,
    in_denominator: inDenominator,
    fua_7: boolColumn(f7),
    fua_30: boolColumn(f30),
    fua_7_clinical: boolColumn(c7),
    fua_30_clinical: boolColumn(c30),
    first_follow_up_day: intColumn(all.first.subarray(0, n)),
    first_follow_up_source: codeColumn(all.firstSrc.subarray(0, n), FOLLOW_UP_SOURCES),
    first_clinical_follow_up_day: intColumn(all.firstClin.subarray(0, n)),
    reason: reasonName,
  });
  const cw = clusteredUnitsWarning(person, inDen);
  if (cw !== null) warnings.push(cw);
  const armOfUnit = unitArms(person, data.arms());
  const hasArms = data.tables.arms !== undefined;
  const byAgeStratum: Record<string, { fua7: Estimate; fua30: Estimate }> = {
    "13-17": stratumRates(f7, f30, age, 13, 17),
    "18+": stratumRates(f7, f30, age, 18, Number.POSITIVE_INFINITY),
  };
  const summary: FuaSummary = {
    nVisits: n,
    reasons: reasonCounts(reason, REASONS) as Record<FuaReason, number>,
    fua7: summarizeProportion(f7, armOfUnit, hasArms),
    fua30: summarizeProportion(f30, armOfUnit, hasArms),
    fua7Clinical: summarizeProportion(c7, armOfUnit, hasArms),
    fua30Clinical: summarizeProportion(c30, armOfUnit, hasArms),
    byAgeStratum,
    valueSets: {
      name: valueSets.file.meta.name,
      illustrative: valueSets.illustrative,
      source: valueSets.file.meta.source,
    },
  };
  return makeResult(definition(p, valueSets), units, summary, warnings);
}
