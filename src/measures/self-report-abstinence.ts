/**
 * 30-day self-reported abstinence and use reduction from GPRA Section B day counts (MEASURES.md §5.3,
 * §7.5; [STD] concept — SAMHSA NOMs "reduced morbidity: abstinence" — with [TK] computation, since the
 * exact SPARS rule was not retrieved).
 *
 * Unit: GPRA intake interview, paired with its in-window 6-month follow-up (same windows and crediting
 * as gpra-follow-up.ts, §15.12). Per interview: abstinent_30d = 0 days of alcohol use AND 0 days of
 * illegal drug use in the past 30 days (gpra_days_alcohol, gpra_days_drugs; null when either is
 * missing — the loader turns −7/−8/−9 into null). days_use_max = max(alcohol days, drug days): a lower
 * bound of the days with any use (overlap of the two counts is unknown; the sum would double count).
 * Reduction (for people in active use at intake — the review gap on non-abstinence goals): reduced_* =
 * follow-up days < intake days, evaluable only when intake days > 0 (null otherwise).
 * Missing follow-up: complete-case by default (`missingFollowUpAs = 'excluded'` → follow-up columns null);
 * sensitivity `'use'` counts a missing follow-up as not abstinent and not reduced.
 */
import type { Estimate } from "../stats/result.js";
import { NULL_DAY as NULL_DAY_IMPORTED } from "./core/columns.js";
import { MeasureData, type MeasureTables } from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import {
  boolColumn,
  intColumn,
  type MeasureResult,
  makeResult,
  personIdColumn,
  unitsTable,
} from "./core/result.js";
import { type GroupSummary, summarizeMean, summarizeProportion, unitArms } from "./core/summary.js";
import { DEFAULTS as GPRA_DEFAULTS, gpraPairs } from "./gpra-follow-up.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

export const MEASURE_ID = "self-report-abstinence-30d";
export const VERSION = "1.0.0";

export const REASONS = ["PAIRED", "NO_FOLLOW_UP"] as const;

export interface SelfReportParams {
  readonly missingFollowUpAs: "excluded" | "use";
  readonly dueMonths: number;
  readonly windowBeforeMonths: number;
  readonly windowAfterMonths: number;
  readonly intakeType: number;
  readonly followUpType: number;
}

export const DEFAULTS: SelfReportParams = Object.freeze({
  missingFollowUpAs: "excluded",
  dueMonths: GPRA_DEFAULTS.dueMonths,
  windowBeforeMonths: GPRA_DEFAULTS.windowBeforeMonths,
  windowAfterMonths: GPRA_DEFAULTS.windowAfterMonths,
  intakeType: GPRA_DEFAULTS.intakeType,
  followUpType: GPRA_DEFAULTS.followUpType,
} as SelfReportParams);

export interface SelfReportSummary {
  readonly intakes: number;
  readonly paired: number;
  readonly abstinentIntake: GroupSummary<Estimate>;
  readonly abstinentFollowUp: GroupSummary<Estimate>;
  readonly reducedAny: GroupSummary<Estimate>;
  readonly daysUseMaxChange: GroupSummary<Estimate>;
}

export function definition(params?: Partial<SelfReportParams>): MeasureDefinition<SelfReportParams> {
  const p = resolveParams(DEFAULTS, params);
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title: "30-day self-reported abstinence (GPRA Section B) and reduction in days of use",
    unit: "intake interview (paired with its 6-month follow-up)",
    status: ["STD", "TK"],
    sources: ["SAMHSA CSAT GPRA Section B; SAMHSA NOMs reduced morbidity (abstinence)"],
    parameters: p,
    defaults: DEFAULTS,
    readings: ["15.12", "15.13"],
    notes: [
      "days_use_max = max(alcohol days, drug days) is a lower bound of days of any use.",
      "Reduction is evaluable only for people with > 0 days of the substance at intake.",
      "abstinent_30d uses GPRA 'any alcohol' days; alcohol to intoxication is not used.",
    ],
    reasonCodes: [...REASONS],
  });
}

/** Computes intake and follow-up abstinence and reduction per GPRA intake. Needs assessments. */
export function selfReportAbstinence(
  input: MeasureTables | MeasureData,
  params?: Partial<SelfReportParams>,
): MeasureResult<SelfReportParams, SelfReportSummary> {
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  const a = data.assessments();
  const pairs = gpraPairs(data, p);
  const n = pairs.person.length;
  const val = (row: number, col: Int32Array) => (row < 0 || col[row] === NULL_DAY ? NULL_DAY : col[row]!);
  const abst = (al: number, dr: number) =>
    al === NULL_DAY || dr === NULL_DAY ? -1 : al === 0 && dr === 0 ? 1 : 0;
  const maxUse = (al: number, dr: number) =>
    al === NULL_DAY || dr === NULL_DAY ? NULL_DAY : Math.max(al, dr);
  const reduced = (i0: number, i1: number, missingFu: boolean) => {
    if (i0 === NULL_DAY || i0 <= 0) return -1;
    if (missingFu) return p.missingFollowUpAs === "use" ? 0 : -1;
    if (i1 === NULL_DAY) return -1;
    return i1 < i0 ? 1 : 0;
  };
  // per intake; NULL_DAY / −1 = missing
  const int = () => new Int32Array(n);
  const tri = () => new Int8Array(n);
  const cols = {
    fuDay: int(),
    alcIn: int(),
    drugIn: int(),
    alcFu: int(),
    drugFu: int(),
    absIn: tri(),
    absFu: tri(),
    maxIn: int(),
    maxFu: int(),
    redAlc: tri(),
    redDrug: tri(),
    redAny: tri(),
    change: int(),
  };
  const activeUse = new Array<boolean | null>(n);
  const inDenominator = new Array<boolean>(n);
  const reason = new Array<string>(n);
  let paired = 0;
  for (let i = 0; i < n; i++) {
    const r0 = pairs.intakeRow[i]!;
    const r1 = pairs.followUpRow[i]!;
    const missingFu = r1 < 0;
    const alcIn = val(r0, a.gpraAlcohol);
    const drugIn = val(r0, a.gpraDrugs);
    const alcFu = val(r1, a.gpraAlcohol);
    const drugFu = val(r1, a.gpraDrugs);
    cols.fuDay[i] = missingFu ? NULL_DAY : a.day[r1]!;
    cols.alcIn[i] = alcIn;
    cols.drugIn[i] = drugIn;
    cols.alcFu[i] = alcFu;
    cols.drugFu[i] = drugFu;
    cols.absIn[i] = abst(alcIn, drugIn);
    cols.absFu[i] = missingFu ? (p.missingFollowUpAs === "use" ? 0 : -1) : abst(alcFu, drugFu);
    const mIn = maxUse(alcIn, drugIn);
    const mFu = maxUse(alcFu, drugFu);
    cols.maxIn[i] = mIn;
    cols.maxFu[i] = mFu;
    cols.redAlc[i] = reduced(alcIn, alcFu, missingFu);
    cols.redDrug[i] = reduced(drugIn, drugFu, missingFu);
    cols.redAny[i] = reduced(mIn, mFu, missingFu);
    cols.change[i] = mIn === NULL_DAY || mFu === NULL_DAY ? NULL_DAY : mFu - mIn;
    activeUse[i] = mIn === NULL_DAY ? null : mIn > 0;
    inDenominator[i] = !missingFu;
    reason[i] = missingFu ? "NO_FOLLOW_UP" : "PAIRED";
    if (!missingFu) paired++;
  }
  const change = intColumn(cols.change);
  const units = unitsTable({
    person_id: personIdColumn(pairs.person, data.persons.ids),
    intake_date: Int32Array.from(pairs.intakeDay),
    follow_up_date: intColumn(cols.fuDay),
    days_alcohol_intake: intColumn(cols.alcIn),
    days_drugs_intake: intColumn(cols.drugIn),
    days_alcohol_follow_up: intColumn(cols.alcFu),
    days_drugs_follow_up: intColumn(cols.drugFu),
    days_use_max_intake: intColumn(cols.maxIn),
    days_use_max_follow_up: intColumn(cols.maxFu),
    abstinent_30d_intake: boolColumn(cols.absIn),
    abstinent_30d_follow_up: boolColumn(cols.absFu),
    active_use_at_intake: activeUse,
    reduced_alcohol: boolColumn(cols.redAlc),
    reduced_drugs: boolColumn(cols.redDrug),
    reduced_any: boolColumn(cols.redAny),
    days_use_max_change: change,
    in_denominator: inDenominator,
    reason,
  });
  const armOfUnit = unitArms(pairs.person, data.arms());
  const hasArms = data.tables.arms !== undefined;
  const summary: SelfReportSummary = {
    intakes: n,
    paired,
    abstinentIntake: summarizeProportion(cols.absIn, armOfUnit, hasArms),
    abstinentFollowUp: summarizeProportion(cols.absFu, armOfUnit, hasArms),
    reducedAny: summarizeProportion(cols.redAny, armOfUnit, hasArms),
    daysUseMaxChange: summarizeMean(change.toArray(), armOfUnit, hasArms),
  };
  return makeResult(definition(p), units, summary, []);
}
