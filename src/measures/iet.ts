/**
 * IET — Initiation and Engagement of Substance Use Disorder Treatment, "HEDIS-adjusted (non-plan)"
 * (MEASURES.md §2.3; NCQA HEDIS MY2025 Vol. 2). Peer support is never an initiation or engagement
 * service.
 *
 * Unit: SUD episode × diagnosis cohort (alcohol ALCOHOL_DX, opioid OPIOID_DX, other OTHER_DRUG_DX; an
 * episode with several cohorts gives several rows, and the total is their sum, as HEDIS).
 * Episodes: encounters (not lab claims) with a cohort diagnosis of kinds outpatient-type, OTP, ED,
 * withdrawal management (DETOX), inpatient (acute, non-acute; RESIDENTIAL is treated as non-acute
 * inpatient). Episode date = service date; for inpatient stays the discharge date, direct transfers
 * (next admission ≤ discharge + 1) merged to the last discharge; an ED/outpatient-type visit followed by
 * an inpatient admission on the same or next day becomes that stay's episode, with the visit's cohorts.
 * The look-back anchor is the earliest date (visit date, first admission).
 * Denominator steps: negative diagnosis history (no cohort diagnosis on an encounter other than ED,
 * withdrawal management or lab claims in anchor − 194 … anchor − 1); negative medication history (no
 * medication event of any row in the same 194 days); age ≥ 13 on the episode date; intake period
 * (Nov 15 of year − 1 … Nov 14 of `measurementYear`, or periodStart/periodEnd); one episode per person
 * per day; (adjusted) days 0–47 observed instead of continuous enrollment; death before day 47 excludes.
 * Initiation (episode day 0–13): inpatient episodes and OTP-service episodes are compliant on the
 * episode date; otherwise the earliest of an inpatient admission with a cohort diagnosis, an
 * outpatient-type visit with a cohort diagnosis, an OTP service, or a cohort medication (alcohol:
 * AUD_OTHER, naltrexone oral/injection; opioid: every OUD row). A non-medication initiation on the
 * episode date counts only with a different provider (both provider ids known and different).
 * Engagement (initiation day + 1 … + 34; after an inpatient initiation from the day after discharge):
 * an OTP service or OTP dose (opioid); or a long-acting medication (alcohol: naltrexone injection;
 * opioid: naltrexone injection, buprenorphine injection/implant); or ≥ 2 of {engagement visit
 * (initiation visit types with a cohort diagnosis; same-date visits count once per provider),
 * engagement medication date (alcohol: AUD_OTHER, naltrexone oral; opioid: naltrexone oral,
 * buprenorphine oral/weekly, buprenorphine-naloxone, methadone oral/weekly)}.
 * The engagement rate shares the initiation denominator (engaged = initiated and engaged).
 */
import { daysFromCivil } from "../dates.js";
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { NULL_DAY as NULL_DAY_IMPORTED, toDay } from "./core/columns.js";
import {
  KIND as KIND_IMPORTED,
  MED as MED_IMPORTED,
  MED_ROWS,
  MeasureData,
  type MeasureTables,
  ROUTES,
} from "./core/data.js";
import {
  HEDIS_ADJUSTED_LABEL,
  type MeasureDefinition,
  makeDefinition,
  resolveParams,
} from "./core/definition.js";
import { EncounterCodes } from "./core/encounter-codes.js";
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
import { VALUE_SET_IDS, type ValueSetMapping } from "./value-sets.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;
const KIND = KIND_IMPORTED;
const MED = MED_IMPORTED;

export const MEASURE_ID = "iet";
export const VERSION = "1.0.0";

export const REASONS = [
  "INCLUDED",
  "OUTSIDE_INTAKE_PERIOD",
  "NEGATIVE_DX_HISTORY_FAILED",
  "NEGATIVE_MED_HISTORY_FAILED",
  "AGE_UNKNOWN",
  "AGE_BELOW_MIN",
  "SAME_DAY_EPISODE",
  "NO_OBSERVATION_PERIOD",
  "DIED_IN_WINDOW",
  "FOLLOW_UP_INCOMPLETE",
  "INPATIENT_INITIATION_AFTER_NOV_27",
] as const;
export type IetReason = (typeof REASONS)[number];
export const COHORTS = ["ALCOHOL", "OPIOID", "OTHER"] as const;
const COHORT_SETS = [VALUE_SET_IDS.ALCOHOL_DX, VALUE_SET_IDS.OPIOID_DX, VALUE_SET_IDS.OTHER_DRUG_DX];
export const ENGAGED_BY = ["OTP", "LONG_ACTING", "TWO_EVENTS"] as const;

export interface IetParams {
  readonly measurementYear: number | null;
  readonly periodStart: number | string | null;
  readonly periodEnd: number | string | null;
  readonly lookbackDays: number;
  readonly initiationDays: number;
  readonly engagementDays: number;
  readonly minAge: number;
  readonly missingAge: "exclude" | "include";
  readonly excludeDeaths: boolean;
  readonly dataEnd: number | string | null;
}

export const DEFAULTS: IetParams = Object.freeze({
  measurementYear: null,
  periodStart: null,
  periodEnd: null,
  lookbackDays: 194,
  initiationDays: 13,
  engagementDays: 34,
  minAge: 13,
  missingAge: "exclude",
  excludeDeaths: true,
  dataEnd: null,
} as IetParams);

export interface IetSummary {
  readonly nRows: number;
  readonly reasons: Readonly<Record<IetReason, number>>;
  readonly initiation: GroupSummary<Estimate>;
  readonly engagement: GroupSummary<Estimate>;
  readonly byCohort: Readonly<
    Record<string, { readonly initiation: Estimate; readonly engagement: Estimate }>
  >;
  readonly valueSets: { readonly name: string; readonly illustrative: boolean };
}

export function definition(
  params?: Partial<IetParams>,
  vs: ValueSetMapping | null = null,
): MeasureDefinition<IetParams> {
  const p = resolveParams(DEFAULTS, params);
  const adj = [
    "continuous enrollment replaced by observation of days 0–47",
    "hospice exclusion not applied (no hospice data)",
    p.excludeDeaths ? "death exclusion applied to deaths on days 0–47" : "death exclusion dropped",
  ];
  if (p.measurementYear === null) adj.push("intake period set by parameters");
  if (vs?.illustrative) adj.push("ILLUSTRATIVE value sets (not NCQA): not a HEDIS rate");
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title: "Initiation (day 0–13) and engagement (34 days after initiation) of SUD treatment",
    unit: "SUD episode × diagnosis cohort",
    status: ["STD"],
    label: HEDIS_ADJUSTED_LABEL,
    sources: ["NCQA HEDIS MY2025 Technical Specifications Vol. 2: IET"],
    parameters: p,
    defaults: DEFAULTS,
    readings: ["15.13"],
    notes: [
      "The medication look-back uses the same anchor as the diagnosis look-back (earliest date of the episode), so medication given during an index inpatient stay is part of the episode, not history.",
      "RESIDENTIAL encounters are treated as non-acute inpatient stays; the contract does not separate weekly from monthly OTP services, so every OTP-kind episode is step-2 compliant.",
      "The same-day different-provider rule needs both provider ids; a missing id does not satisfy it (warned).",
      "Engagement medication events count once per date; visits once per (date, provider).",
      "An encounter's diagnosis history is checked over its whole stay (start … end) against the look-back window.",
    ],
    adjustments: adj,
    reasonCodes: [...REASONS],
  });
}

interface Episode {
  anchor: number;
  date: number;
  cohorts: number; // bit mask
  inpatient: boolean;
  otp: boolean;
  provider: string | null;
  rows: number[]; // encounter rows forming the episode
}

/** Computes IET initiation and engagement per episode × cohort. */
export function iet(
  input: MeasureTables | MeasureData,
  valueSets: ValueSetMapping,
  params?: Partial<IetParams>,
): MeasureResult<IetParams, IetSummary> {
  const fn = "iet";
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  const warnings: Warning[] = [];
  for (const id of COHORT_SETS)
    if (!valueSets.has(id)) warnings.push(warning("MEASURE_VALUE_SET_MISSING", id));
  if (COHORT_SETS.every((id) => !valueSets.has(id)))
    throw new InvalidInputError(fn, "the mapping needs ALCOHOL_DX, OPIOID_DX or OTHER_DRUG_DX");
  if (valueSets.illustrative)
    warnings.push(warning("MEASURE_VALUE_SET_ILLUSTRATIVE", valueSets.file.meta.name));
  let lo = toDay(p.periodStart, fn, "periodStart");
  let hi = toDay(p.periodEnd, fn, "periodEnd");
  let nov27: number | null = null;
  if (p.measurementYear !== null) {
    lo = daysFromCivil(p.measurementYear - 1, 11, 15);
    hi = daysFromCivil(p.measurementYear, 11, 14);
    nov27 = daysFromCivil(p.measurementYear, 11, 27);
  }
  const enc = data.encounters();
  const ec = new EncounterCodes(enc, data.encounterCodes(), valueSets);
  const med = data.tables.medication_events ? data.medEvents() : null;
  const o = observability(data, p.dataEnd, fn);
  warnings.push(...o.warnings);
  const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<IetReason, number>;
  // cohort bits 0 alcohol, 1 opioid, 2 other (from the cached value-set mask)
  const cohortMask = (row: number): number => (ec.mask(row) >> 4) & 7;
  const endOf = (row: number) =>
    enc.end[row] === NULL_DAY ? enc.start[row]! : Math.max(enc.end[row]!, enc.start[row]!);
  const isInpatientLike = (row: number) => ec.isInpatient(row) || enc.kind[row] === KIND.RESIDENTIAL;
  const rowSet = (rows: readonly number[]): Uint8Array => {
    const m = new Uint8Array(MED_ROWS.length);
    for (const r of rows) m[r] = 1;
    return m;
  };
  const alcoholInit = rowSet([MED.AUD_OTHER, MED.NALTREXONE_ORAL, MED.NALTREXONE_INJ]);
  const opioidInit = rowSet(MED_ROWS.map((_, r) => r).filter((r) => r !== MED.AUD_OTHER));
  const alcoholLong = rowSet([MED.NALTREXONE_INJ]);
  const opioidLong = rowSet([MED.NALTREXONE_INJ, MED.BUP_INJ, MED.BUP_IMPLANT]);
  const alcoholEngMed = rowSet([MED.AUD_OTHER, MED.NALTREXONE_ORAL]);
  const opioidEngMed = rowSet([
    MED.NALTREXONE_ORAL,
    MED.BUP_ORAL,
    MED.BUP_ORAL_WEEKLY,
    MED.BUP_NALOXONE,
    MED.METHADONE_ORAL,
    MED.METHADONE_ORAL_WEEKLY,
  ]);
  const OTP_DOSE = ROUTES.indexOf("OTP_DOSE");
  let providerMissing = 0;

  const u = {
    person: [] as number[],
    date: [] as number[],
    anchor: [] as number[],
    kind: [] as string[],
    cohort: [] as string[],
    age: [] as (number | null)[],
    reason: [] as number[],
    init: [] as number[],
    initDate: [] as number[],
    initKind: [] as (string | null)[],
    eng: [] as number[],
    engBy: [] as (string | null)[],
    engCount: [] as (number | null)[],
  };

  const { offsets, order } = enc.csr;
  const usedStamp = new Int32Array(enc.n);
  // engagement de-duplication: visits once per (date, provider), medications once per date
  const visitKeys = new Set<number>();
  const medDates = new Set<number>();
  const providerIds = new Map<string, number>();
  const providerKey = (id: string | null): number => {
    if (id === null) return 0;
    let k = providerIds.get(id);
    if (k === undefined) {
      k = providerIds.size + 1;
      providerIds.set(id, k);
    }
    return k;
  };
  for (let person = 0; person < data.nPersons; person++) {
    const a = offsets[person]!;
    const b = offsets[person + 1]!;
    if (a === b) continue;
    // 1. candidate episodes
    const rowsSorted = order.subarray(a, b);
    const stamp = person + 1;
    const episodes: Episode[] = [];
    for (let x = 0; x < rowsSorted.length; x++) {
      const i = rowsSorted[x]!;
      if (usedStamp[i] === stamp || ec.isLab(i) || ec.isPeer(i)) continue;
      const mask = cohortMask(i);
      if (mask === 0) continue;
      const kind = enc.kind[i]!;
      const visitLike =
        ec.isOutpatientType(i) || kind === KIND.ED || kind === KIND.OTP || kind === KIND.DETOX;
      if (!visitLike && !isInpatientLike(i)) continue;
      const s = enc.start[i]!;
      // find an inpatient stay starting on the visit day or the next (visit → inpatient), or the stay itself
      let stayStart = -1;
      if (isInpatientLike(i)) stayStart = x;
      else if (kind === KIND.ED || ec.isOutpatientType(i)) {
        for (let y = x + 1; y < rowsSorted.length; y++) {
          const j = rowsSorted[y]!;
          if (enc.start[j]! > s + 1) break;
          if (isInpatientLike(j) && enc.start[j]! >= s) {
            stayStart = y;
            break;
          }
        }
      }
      if (stayStart < 0) {
        episodes.push({
          anchor: s,
          date: s,
          cohorts: mask,
          inpatient: false,
          otp: kind === KIND.OTP,
          provider: ec.provider(i),
          rows: [i],
        });
        usedStamp[i] = stamp;
        continue;
      }
      // merge the stay with direct transfers
      const first = rowsSorted[stayStart]!;
      let discharge = endOf(first);
      const rows = [i, first];
      const cohorts = mask; // visit → inpatient: the cohort comes from the originating visit
      for (let y = stayStart + 1; y < rowsSorted.length; y++) {
        const j = rowsSorted[y]!;
        if (enc.start[j]! > discharge + 1) break;
        if (isInpatientLike(j)) {
          discharge = Math.max(discharge, endOf(j));
          rows.push(j);
        }
      }
      for (const r of rows) usedStamp[r] = stamp;
      episodes.push({
        anchor: s,
        date: discharge,
        cohorts,
        inpatient: true,
        otp: false,
        provider: ec.provider(first),
        rows,
      });
    }
    episodes.sort((x, y) => x.date - y.date || x.anchor - y.anchor);
    let lastEpisodeDay = NULL_DAY;
    for (const ep of episodes) {
      const age = ageOf(o, person, ep.date);
      const span = spanAt(o, person, ep.date);
      let reason: IetReason = "INCLUDED";
      const hLo = ep.anchor - p.lookbackDays;
      const hHi = ep.anchor - 1;
      let dxHistory = false;
      for (let k = a; k < b && !dxHistory; k++) {
        const j = order[k]!;
        if (enc.start[j]! > hHi) break;
        if (endOf(j) < hLo) continue;
        const kind = enc.kind[j]!;
        if (kind === KIND.ED || kind === KIND.DETOX || ec.isLab(j)) continue;
        if (cohortMask(j) !== 0) dxHistory = true;
      }
      let medHistory = false;
      if (med !== null) {
        for (let k = med.csr.offsets[person]!; k < med.csr.offsets[person + 1]!; k++) {
          const dd = med.day[med.csr.order[k]!]!;
          if (dd > hHi) break;
          if (dd >= hLo) {
            medHistory = true;
            break;
          }
        }
      }
      if ((lo !== null && ep.date < lo) || (hi !== null && ep.date > hi)) reason = "OUTSIDE_INTAKE_PERIOD";
      else if (dxHistory) reason = "NEGATIVE_DX_HISTORY_FAILED";
      else if (medHistory) reason = "NEGATIVE_MED_HISTORY_FAILED";
      else if (age === null && p.missingAge === "exclude") reason = "AGE_UNKNOWN";
      else if (age !== null && age < p.minAge) reason = "AGE_BELOW_MIN";
      else if (lastEpisodeDay === ep.date) reason = "SAME_DAY_EPISODE";
      else if (span === null) reason = "NO_OBSERVATION_PERIOD";
      else if (p.excludeDeaths && diedBy(o, person, ep.date + p.initiationDays + p.engagementDays))
        reason = "DIED_IN_WINDOW";
      else if (span.end < ep.date + p.initiationDays + p.engagementDays) reason = "FOLLOW_UP_INCOMPLETE";
      if (reason === "INCLUDED") lastEpisodeDay = ep.date;
      for (let c = 0; c < 3; c++) {
        if ((ep.cohorts & (1 << c)) === 0) continue;
        u.person.push(person);
        u.date.push(ep.date);
        u.anchor.push(ep.anchor);
        u.kind.push(ep.inpatient ? "INPATIENT" : ep.otp ? "OTP" : "VISIT");
        u.cohort.push(COHORTS[c]!);
        u.age.push(age);
        let rsn: IetReason = reason;
        let init = -1;
        let initDate = NULL_DAY;
        let initKind: string | null = null;
        let initInpatientDischarge = NULL_DAY;
        let eng = -1;
        let engBy: string | null = null;
        let engCount: number | null = null;
        if (rsn === "INCLUDED") {
          // initiation
          if (ep.inpatient) {
            init = 1;
            initDate = ep.date;
            initKind = "INPATIENT_EPISODE";
            initInpatientDischarge = ep.date;
          } else if (ep.otp) {
            init = 1;
            initDate = ep.date;
            initKind = "OTP_EPISODE";
          } else {
            const wEnd = ep.date + p.initiationDays;
            for (let k = a; k < b; k++) {
              const j = order[k]!;
              const s = enc.start[j]!;
              if (s < ep.date) continue;
              if (s > wEnd || (initDate !== NULL_DAY && s >= initDate)) break;
              if (ep.rows.includes(j) || ec.isLab(j) || ec.isPeer(j)) continue;
              const kind = enc.kind[j]!;
              const hasDx = cohortMask(j) !== 0;
              let ok = false;
              let label = "";
              if (isInpatientLike(j) && hasDx) {
                ok = true;
                label = "INPATIENT_ADMISSION";
              } else if (kind === KIND.OTP) {
                ok = true;
                label = "OTP_SERVICE";
              } else if (ec.isOutpatientType(j) && hasDx) {
                ok = true;
                label = "VISIT";
              }
              if (!ok) continue;
              if (s === ep.date) {
                const p1 = ep.provider;
                const p2 = ec.provider(j);
                if (p1 === null || p2 === null) {
                  providerMissing++;
                  continue;
                }
                if (p1 === p2) continue;
              }
              initDate = s;
              initKind = label;
              initInpatientDischarge = label === "INPATIENT_ADMISSION" ? endOf(j) : NULL_DAY;
              break;
            }
            if (med !== null && c !== 2) {
              const set = c === 0 ? alcoholInit : opioidInit;
              for (let k = med.csr.offsets[person]!; k < med.csr.offsets[person + 1]!; k++) {
                const j = med.csr.order[k]!;
                const dd = med.day[j]!;
                if (dd < ep.date) continue;
                if (dd > wEnd) break;
                if (set[med.medRow[j]!] !== 1) continue;
                if (initDate === NULL_DAY || dd < initDate) {
                  initDate = dd;
                  initKind = "MEDICATION";
                  initInpatientDischarge = NULL_DAY;
                }
                break;
              }
            }
            init = initDate === NULL_DAY ? 0 : 1;
          }
          if (nov27 !== null && initInpatientDischarge !== NULL_DAY && initInpatientDischarge > nov27) {
            rsn = "INPATIENT_INITIATION_AFTER_NOV_27";
            init = -1;
          }
        }
        if (rsn === "INCLUDED") {
          eng = 0;
          if (init === 1) {
            const base = initInpatientDischarge !== NULL_DAY ? initInpatientDischarge : initDate;
            const eLo = base + 1;
            const eHi = base + p.engagementDays;
            visitKeys.clear();
            medDates.clear();
            for (let k = a; k < b && engBy === null; k++) {
              const j = order[k]!;
              const s = enc.start[j]!;
              if (s < eLo) continue;
              if (s > eHi) break;
              if (ec.isLab(j) || ec.isPeer(j)) continue;
              const kind = enc.kind[j]!;
              if (kind === KIND.OTP && c === 1) {
                engBy = "OTP";
                break;
              }
              const hasDx = cohortMask(j) !== 0;
              if ((ec.isOutpatientType(j) || isInpatientLike(j) || kind === KIND.OTP) && hasDx) {
                visitKeys.add(s * 4294967296 + providerKey(ec.provider(j))); // exact below 2^53
              }
            }
            if (med !== null && engBy === null && c !== 2) {
              const longSet = c === 0 ? alcoholLong : opioidLong;
              const engSet = c === 0 ? alcoholEngMed : opioidEngMed;
              for (let k = med.csr.offsets[person]!; k < med.csr.offsets[person + 1]!; k++) {
                const j = med.csr.order[k]!;
                const dd = med.day[j]!;
                if (dd < eLo) continue;
                if (dd > eHi) break;
                const r = med.medRow[j]!;
                if (c === 1 && med.route[j] === OTP_DOSE) {
                  engBy = "OTP";
                  break;
                }
                if (longSet[r] === 1) {
                  engBy = "LONG_ACTING";
                  break;
                }
                if (engSet[r] === 1) medDates.add(dd);
              }
            }
            engCount = visitKeys.size + medDates.size;
            if (engBy === null && engCount >= 2) engBy = "TWO_EVENTS";
            eng = engBy === null ? 0 : 1;
          }
        }
        u.reason.push(R[rsn]);
        u.init.push(init);
        u.initDate.push(initDate);
        u.initKind.push(initKind);
        u.eng.push(eng);
        u.engBy.push(engBy);
        u.engCount.push(engCount);
      }
    }
  }
  if (providerMissing > 0)
    warnings.push(
      warning("MEASURE_PROVIDER_MISSING", `${providerMissing} same-day visits`, { count: providerMissing }),
    );
  const inDen = u.reason.map((r) => (r === R.INCLUDED ? 1 : 0));
  const units = unitsTable({
    person_id: personIdColumn(u.person, data.persons.ids),
    episode_date: Int32Array.from(u.date),
    anchor_date: Int32Array.from(u.anchor),
    episode_kind: u.kind,
    cohort: u.cohort,
    age: u.age,
    in_denominator: boolColumn(inDen),
    initiated: boolColumn(u.init),
    initiation_date: intColumn(u.initDate),
    initiation_kind: u.initKind,
    engaged: boolColumn(u.eng),
    engaged_by: u.engBy,
    engagement_events: u.engCount,
    reason: u.reason.map((r) => REASONS[r]!),
  });
  const cw = clusteredUnitsWarning(u.person, inDen);
  if (cw !== null) warnings.push(cw);
  const armOfUnit = unitArms(u.person, data.arms());
  const hasArms = data.tables.arms !== undefined;
  const byCohort: Record<string, { initiation: Estimate; engagement: Estimate }> = {};
  for (const cName of COHORTS) {
    const keep = (arr: number[]) => arr.map((x, i) => (u.cohort[i] === cName ? x : -1));
    byCohort[cName] = {
      initiation: summarizeProportion(keep(u.init), armOfUnit, false).overall,
      engagement: summarizeProportion(keep(u.eng), armOfUnit, false).overall,
    };
  }
  const summary: IetSummary = {
    nRows: u.person.length,
    reasons: reasonCounts(u.reason, REASONS) as Record<IetReason, number>,
    initiation: summarizeProportion(u.init, armOfUnit, hasArms),
    engagement: summarizeProportion(u.eng, armOfUnit, hasArms),
    byCohort,
    valueSets: { name: valueSets.file.meta.name, illustrative: valueSets.illustrative },
  };
  return makeResult(definition(p, valueSets), units, summary, warnings);
}
