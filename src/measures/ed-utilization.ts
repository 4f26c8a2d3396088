/**
 * ED utilization after (and before) an index event (MEASURES.md §4.2–4.3, resolved reading §15.8;
 * toolkit convention [TK] with literature anchors).
 *
 * Unit: index event (first per person by default). ED visits = encounters of kind ED collapsed per
 * person-day. Post window: index + 1 through index + windowDays (the index visit itself is never an
 * outcome), ending at the earliest of window end, death (death day at risk) and the end of the
 * observation period containing the index day (or the data end). Pre window: index − preWindowDays
 * through index − 1, starting no earlier than the observation period containing the index day.
 * With `excludeInstitutionalDays`, inpatient stays (admission through discharge, both days, §15.8) and
 * custody periods (custody_periods extension table, when supplied) leave the person-time.
 *
 * Per unit: visits, person-days, rate per 1,000 person-days and per 1,000 person-years (365.25 days),
 * any ED visit in the window, frequent use (≥ frequentThreshold visits). The binaries are not
 * evaluable (null) when the window was cut short by the end of observation and the threshold was not
 * yet reached; a window cut short by death is evaluated on the days lived (deathInWindow = 'evaluate',
 * default) or made not evaluable ('not-evaluable').
 *
 * Group summary: pooled Poisson rates with exact (Garwood) intervals; proportions with Wilson intervals.
 * Regression (Poisson/NB with log person-time offset, IRR) belongs to the comparison layer — the unit
 * table carries visits and person-days ready for it. A pre/post change without a comparison group is
 * descriptive only (regression to the mean after an ED-triggered enrolment; warned).
 *
 * References: Wang et al. 2012 (any ED visit, 12 months); MEASURES §4 [TK].
 */
import { warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { NULL_DAY as NULL_DAY_IMPORTED } from "./core/columns.js";
import { type EncounterKind, INDEX_TYPES, MeasureData, type MeasureTables } from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import { countVisits, edVisitDays } from "./core/ed-visits.js";
import { lastObservedDay, observability, spanAt } from "./core/follow-up.js";
import { coveredDays } from "./core/intervals.js";
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
import { INPATIENT_KINDS, institutionalStays } from "./core/stays.js";
import {
  clusteredUnitsWarning,
  type GroupSummary,
  type RatePair,
  summarizeProportion,
  summarizeRate,
  unitArms,
} from "./core/summary.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

export const MEASURE_ID = "ed-utilization";
export const VERSION = "1.0.0";

export const REASONS = ["INCLUDED", "NO_OBSERVATION_PERIOD", "NO_FOLLOW_UP_TIME"] as const;
export type EdUtilizationReason = (typeof REASONS)[number];
export const POST_END_REASONS = ["WINDOW", "OBSERVATION_END", "DEATH"] as const;

export interface EdUtilizationParams {
  readonly windowDays: number;
  readonly preWindowDays: number;
  readonly excludeInstitutionalDays: boolean;
  readonly institutionalKinds: readonly EncounterKind[];
  readonly frequentThreshold: number;
  readonly indexSelection: "first" | "all";
  /** Restrict index events to these types (null: all). */
  readonly indexTypes: readonly (typeof INDEX_TYPES)[number][] | null;
  readonly deathInWindow: "evaluate" | "not-evaluable";
  readonly dataEnd: number | string | null;
}

export const DEFAULTS: EdUtilizationParams = Object.freeze({
  windowDays: 180,
  preWindowDays: 180,
  excludeInstitutionalDays: false,
  institutionalKinds: INPATIENT_KINDS,
  frequentThreshold: 4,
  indexSelection: "first",
  indexTypes: null,
  deathInWindow: "evaluate",
  dataEnd: null,
} as EdUtilizationParams);

export interface EdUtilizationSummary {
  readonly nUnits: number;
  readonly reasons: Readonly<Record<EdUtilizationReason, number>>;
  readonly postRate: GroupSummary<RatePair>;
  readonly preRate: GroupSummary<RatePair>;
  readonly anyPost: GroupSummary<Estimate>;
  readonly frequentPost: GroupSummary<Estimate>;
  readonly anyPre: GroupSummary<Estimate>;
}

export function definition(params?: Partial<EdUtilizationParams>): MeasureDefinition<EdUtilizationParams> {
  const p = resolveParams(DEFAULTS, params);
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title: `ED visits per person-time, ${p.windowDays} days before/after the index event`,
    unit: p.indexSelection === "first" ? "person (first index event)" : "index event",
    status: ["TK", "LIT"],
    sources: ["MEASURES.md §4 (toolkit convention)", "Wang et al. 2012 (any ED visit in a fixed window)"],
    parameters: p,
    defaults: DEFAULTS,
    readings: ["15.8", "15.13"],
    notes: [
      "Visits are counted on every day of the window; removing institutional days changes only the person-time (an ED visit on an admission or discharge day is an event of that at-risk day).",
      "Windows: post = index + 1 … index + windowDays; pre = index − preWindowDays … index − 1 (inclusive).",
      "Person-years = person-days ÷ 365.25.",
      "indexSelection 'first' takes the person's first index event (of the selected types) that lies in an observation period.",
      "Custody days are removed only when a custody_periods table (toolkit extension) is supplied; the loader contract has no custody table.",
    ],
    reasonCodes: [...REASONS],
  });
}

/** Computes ED utilization per index event. Needs index_events and encounters. */
export function edUtilization(
  input: MeasureTables | MeasureData,
  params?: Partial<EdUtilizationParams>,
): MeasureResult<EdUtilizationParams, EdUtilizationSummary> {
  const fn = "edUtilization";
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  if (!(p.windowDays > 0 && p.preWindowDays >= 0 && p.frequentThreshold >= 1))
    throw new InvalidInputError(fn, "bad window parameters");
  const idx = data.indexEvents();
  const visits = edVisitDays(data);
  const o = observability(data, p.dataEnd, fn);
  const warnings = [...o.warnings];
  let stays = null;
  if (p.excludeInstitutionalDays) {
    const st = institutionalStays(data, data.tables.encounters ? p.institutionalKinds : [], true);
    warnings.push(...st.warnings);
    stays = st.sets;
  }
  const types = p.indexTypes === null ? null : new Set(p.indexTypes.map((t) => INDEX_TYPES.indexOf(t)));
  const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<EdUtilizationReason, number>;

  const uPerson: number[] = [];
  const uRow: number[] = [];
  const uIndex: number[] = [];
  const uReason: number[] = [];
  const uPostEnd: number[] = [];
  const uPostEndReason: number[] = [];
  const uPostPd: number[] = [];
  const uPostRemoved: number[] = [];
  const uPostVisits: number[] = [];
  const uAnyPost: number[] = [];
  const uFreqPost: number[] = [];
  const uPreStart: number[] = [];
  const uPrePd: number[] = [];
  const uPreVisits: number[] = [];
  const uAnyPre: number[] = [];
  const uFreqPre: number[] = [];

  const removed = (person: number, a: number, b: number): number =>
    stays === null
      ? 0
      : coveredDays(stays.starts, stays.ends, stays.offsets[person]!, stays.offsets[person + 1]!, a, b);
  const binary = (count: number, threshold: number, complete: boolean, cutByDeath: boolean): number => {
    if (count >= threshold) return 1;
    if (complete) return 0;
    if (cutByDeath && p.deathInWindow === "evaluate") return 0;
    return -1;
  };

  const { offsets, order } = idx.csr;
  for (let person = 0; person < data.nPersons; person++) {
    let taken = false;
    let firstMissing = -1;
    for (let k = offsets[person]!; k < offsets[person + 1]!; k++) {
      const i = order[k]!;
      if (types !== null && !types.has(idx.type[i]!)) continue;
      const s = idx.day[i]!;
      const span = spanAt(o, person, s);
      if (p.indexSelection === "first") {
        if (taken) break;
        if (span === null) {
          if (firstMissing < 0) firstMissing = i;
          continue;
        }
        taken = true;
      }
      emitUnit(person, i, s, span);
    }
    if (p.indexSelection === "first" && !taken && firstMissing >= 0)
      emitUnit(person, firstMissing, idx.day[firstMissing]!, null);
  }

  function emitUnit(person: number, i: number, s: number, span: ReturnType<typeof spanAt>): void {
    uPerson.push(person);
    uRow.push(i);
    uIndex.push(s);
    if (span === null) {
      uReason.push(R.NO_OBSERVATION_PERIOD);
      for (const col of [uPostEnd, uPostPd, uPostRemoved, uPostVisits, uPreStart, uPrePd, uPreVisits])
        col.push(NULL_DAY);
      for (const col of [uAnyPost, uFreqPost, uAnyPre, uFreqPre, uPostEndReason]) col.push(-1);
      return;
    }
    const last = lastObservedDay(o, person, span);
    const wEnd = s + p.windowDays;
    const b = Math.min(wEnd, last);
    const a = s + 1;
    const death = o.death[person]!;
    const endReason = b === wEnd ? 0 : death !== NULL_DAY && death === last ? 2 : 1;
    const rem = removed(person, a, b);
    const pd = Math.max(0, b - a + 1 - rem);
    const nv = countVisits(visits, person, a, b);
    uReason.push(b < a || pd === 0 ? R.NO_FOLLOW_UP_TIME : R.INCLUDED);
    uPostEnd.push(b);
    uPostEndReason.push(endReason);
    uPostPd.push(pd);
    uPostRemoved.push(rem);
    uPostVisits.push(nv);
    const complete = b === wEnd;
    const cutByDeath = !complete && endReason === 2;
    uAnyPost.push(pd === 0 && nv === 0 ? -1 : binary(nv, 1, complete, cutByDeath));
    uFreqPost.push(pd === 0 && nv === 0 ? -1 : binary(nv, p.frequentThreshold, complete, cutByDeath));
    const preA = Math.max(s - p.preWindowDays, span.start);
    const preB = s - 1;
    const preRem = removed(person, preA, preB);
    const prePd = Math.max(0, preB - preA + 1 - preRem);
    const preV = countVisits(visits, person, preA, preB);
    const preComplete = preA === s - p.preWindowDays;
    uPreStart.push(preA);
    uPrePd.push(prePd);
    uPreVisits.push(preV);
    uAnyPre.push(p.preWindowDays === 0 ? -1 : binary(preV, 1, preComplete, false));
    uFreqPre.push(p.preWindowDays === 0 ? -1 : binary(preV, p.frequentThreshold, preComplete, false));
  }

  const inDen = uReason.map((r) => (r === R.INCLUDED ? 1 : 0));
  const nullable = (a: number[], keep: (i: number) => boolean) =>
    a.map((x, i) => (x === NULL_DAY || !keep(i) ? null : x));
  const included = (i: number) => inDen[i] === 1;
  const rate = (v: number[], pd: number[], per: number) =>
    v.map((x, i) => (included(i) && pd[i]! > 0 ? (x / pd[i]!) * per : Number.NaN));
  const units = unitsTable({
    person_id: personIdColumn(uPerson, data.persons.ids),
    index_id: uRow.map((i) => idx.id[i] ?? null),
    index_date: Int32Array.from(uIndex),
    post_last_day: intColumn(uPostEnd),
    post_end_reason: uPostEndReason.map((r) => (r < 0 ? null : POST_END_REASONS[r]!)),
    post_person_days: nullable(uPostPd, () => true),
    post_days_removed: nullable(uPostRemoved, () => true),
    post_visits: nullable(uPostVisits, () => true),
    post_rate_per_1000_pd: numColumn(rate(uPostVisits, uPostPd, 1000)),
    post_rate_per_1000_py: numColumn(rate(uPostVisits, uPostPd, 365250)),
    any_ed_post: boolColumn(uAnyPost),
    frequent_post: boolColumn(uFreqPost),
    pre_first_day: intColumn(uPreStart),
    pre_person_days: nullable(uPrePd, () => true),
    pre_visits: nullable(uPreVisits, () => true),
    pre_rate_per_1000_pd: numColumn(rate(uPreVisits, uPrePd, 1000)),
    any_ed_pre: boolColumn(uAnyPre),
    frequent_pre: boolColumn(uFreqPre),
    in_denominator: boolColumn(inDen),
    reason: uReason.map((r) => REASONS[r]!),
  });
  if (data.tables.arms === undefined) warnings.push(warning("MEASURE_PRE_POST_DESCRIPTIVE"));
  const cw = clusteredUnitsWarning(uPerson, inDen);
  if (cw !== null) warnings.push(cw);
  const armOfUnit = unitArms(uPerson, data.arms());
  const hasArms = data.tables.arms !== undefined;
  const masked = (a: number[]) => a.map((x, i) => (included(i) ? x : -1));
  const summary: EdUtilizationSummary = {
    nUnits: uPerson.length,
    reasons: reasonCounts(uReason, REASONS) as Record<EdUtilizationReason, number>,
    postRate: summarizeRate(nullable(uPostVisits, included), nullable(uPostPd, included), armOfUnit, hasArms),
    preRate: summarizeRate(nullable(uPreVisits, included), nullable(uPrePd, included), armOfUnit, hasArms),
    anyPost: summarizeProportion(masked(uAnyPost), armOfUnit, hasArms),
    frequentPost: summarizeProportion(masked(uFreqPost), armOfUnit, hasArms),
    anyPre: summarizeProportion(masked(uAnyPre), armOfUnit, hasArms),
  };
  return makeResult(definition(p), units, summary, warnings);
}
