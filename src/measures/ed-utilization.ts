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
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { NULL_DAY as NULL_DAY_IMPORTED } from "./core/columns.js";
import {
  type EncounterKind,
  INDEX_TYPES,
  type IndexView,
  MeasureData,
  type MeasureTables,
} from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import { countVisits, edVisitDays } from "./core/ed-visits.js";
import { lastObservedDay, observability, spanAt } from "./core/follow-up.js";
import { coveredDays } from "./core/intervals.js";
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
/** Reason codes by name (indices into REASONS). */
const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<EdUtilizationReason, number>;

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

/** Per-unit columns of the sweep (typed; NULL_DAY / −1 where not applicable), `n` rows used. */
interface EdUnits {
  n: number;
  readonly person: Int32Array;
  /** index_events row of the unit. */
  readonly row: Int32Array;
  readonly index: Int32Array;
  readonly reason: Int8Array;
  readonly postEnd: Int32Array;
  readonly postEndReason: Int8Array;
  readonly postPd: Int32Array;
  readonly postRemoved: Int32Array;
  readonly postVisits: Int32Array;
  readonly anyPost: Int8Array;
  readonly freqPost: Int8Array;
  readonly preStart: Int32Array;
  readonly prePd: Int32Array;
  readonly preVisits: Int32Array;
  readonly anyPre: Int8Array;
  readonly freqPre: Int8Array;
}

function edUnits(capacity: number): EdUnits {
  const int = () => new Int32Array(capacity);
  const tri = () => new Int8Array(capacity);
  return {
    n: 0,
    person: int(),
    row: int(),
    index: int(),
    reason: tri(),
    postEnd: int(),
    postEndReason: tri(),
    postPd: int(),
    postRemoved: int(),
    postVisits: int(),
    anyPost: tri(),
    freqPost: tri(),
    preStart: int(),
    prePd: int(),
    preVisits: int(),
    anyPre: tri(),
    freqPre: tri(),
  };
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
  const u = edUnits(idx.n);

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
    const w = u.n++;
    u.person[w] = person;
    u.row[w] = i;
    u.index[w] = s;
    if (span === null) {
      u.reason[w] = R.NO_OBSERVATION_PERIOD;
      for (const col of [u.postEnd, u.postPd, u.postRemoved, u.postVisits, u.preStart, u.prePd, u.preVisits])
        col[w] = NULL_DAY;
      for (const col of [u.anyPost, u.freqPost, u.anyPre, u.freqPre, u.postEndReason]) col[w] = -1;
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
    u.reason[w] = b < a || pd === 0 ? R.NO_FOLLOW_UP_TIME : R.INCLUDED;
    u.postEnd[w] = b;
    u.postEndReason[w] = endReason;
    u.postPd[w] = pd;
    u.postRemoved[w] = rem;
    u.postVisits[w] = nv;
    const complete = b === wEnd;
    const cutByDeath = !complete && endReason === 2;
    u.anyPost[w] = pd === 0 && nv === 0 ? -1 : binary(nv, 1, complete, cutByDeath);
    u.freqPost[w] = pd === 0 && nv === 0 ? -1 : binary(nv, p.frequentThreshold, complete, cutByDeath);
    const preA = Math.max(s - p.preWindowDays, span.start);
    const preB = s - 1;
    const preRem = removed(person, preA, preB);
    const prePd = Math.max(0, preB - preA + 1 - preRem);
    const preV = countVisits(visits, person, preA, preB);
    const preComplete = preA === s - p.preWindowDays;
    u.preStart[w] = preA;
    u.prePd[w] = prePd;
    u.preVisits[w] = preV;
    u.anyPre[w] = p.preWindowDays === 0 ? -1 : binary(preV, 1, preComplete, false);
    u.freqPre[w] = p.preWindowDays === 0 ? -1 : binary(preV, p.frequentThreshold, preComplete, false);
  }
  return edResult(data, p, idx, u, warnings);
}

/** visits ÷ person-days × per for included units with person-days > 0, else null (unit-table column). */
function rateColumn(visits: Int32Array, pd: Int32Array, inDen: Int8Array, per: number): (number | null)[] {
  const out = new Array<number | null>(visits.length);
  // Few distinct (visits, person-days) pairs: each rate is computed once and the same number stored
  // again, which spares the garbage collector a million copies. Key visits·stride + person-days.
  let stride = 1;
  let maxVisits = 0;
  for (let i = 0; i < visits.length; i++) {
    if (pd[i]! >= stride) stride = pd[i]! + 1;
    if (visits[i]! > maxVisits) maxVisits = visits[i]!;
  }
  const rates = (maxVisits + 1) * stride <= 2 ** 52 ? new Map<number, number>() : null;
  for (let i = 0; i < visits.length; i++) {
    if (inDen[i] !== 1 || !(pd[i]! > 0)) {
      out[i] = null;
      continue;
    }
    const key = visits[i]! * stride + pd[i]!;
    let r = rates?.get(key);
    if (r === undefined) {
      r = (visits[i]! / pd[i]!) * per;
      rates?.set(key, r);
    }
    out[i] = r;
  }
  return out;
}

/** Values of included units (NaN for the others and for NULL_DAY): `summarizeRate` input. */
function includedValues(a: Int32Array, inDen: Int8Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = inDen[i] === 1 && a[i] !== NULL_DAY ? a[i]! : Number.NaN;
  return out;
}

/** 1/0 of included units, −1 for the others: `summarizeProportion` input. */
function includedTri(a: Int8Array, inDen: Int8Array): Int8Array {
  const out = new Int8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = inDen[i] === 1 ? a[i]! : -1;
  return out;
}

/** The unit table, summary and warnings of ED utilization from the sweep's columns. */
function edResult(
  data: MeasureData,
  p: EdUtilizationParams,
  idx: IndexView,
  all: EdUnits,
  warnings: Warning[],
): MeasureResult<EdUtilizationParams, EdUtilizationSummary> {
  const n = all.n;
  const cut = <T extends Int32Array | Int8Array>(a: T): T => a.subarray(0, n) as T;
  const person = cut(all.person);
  const reason = cut(all.reason);
  const postPd = cut(all.postPd);
  const postVisits = cut(all.postVisits);
  const prePd = cut(all.prePd);
  const preVisits = cut(all.preVisits);
  const inDen = new Int8Array(n);
  for (let i = 0; i < n; i++) inDen[i] = reason[i] === R.INCLUDED ? 1 : 0;
  const ids = idx.id;
  const row = cut(all.row);
  const indexId = new Array<string | null>(n);
  for (let i = 0; i < n; i++) indexId[i] = ids[row[i]!] ?? null;
  const units = unitsTable({
    person_id: personIdColumn(person, data.persons.ids),
    index_id: indexId,
    index_date: all.index.slice(0, n),
    post_last_day: intColumn(cut(all.postEnd)),
    post_end_reason: codeColumn(cut(all.postEndReason), POST_END_REASONS),
    post_person_days: intColumn(postPd),
    post_days_removed: intColumn(cut(all.postRemoved)),
    post_visits: intColumn(postVisits),
    post_rate_per_1000_pd: rateColumn(postVisits, postPd, inDen, 1000),
    post_rate_per_1000_py: rateColumn(postVisits, postPd, inDen, 365250),
    any_ed_post: boolColumn(cut(all.anyPost)),
    frequent_post: boolColumn(cut(all.freqPost)),
    pre_first_day: intColumn(cut(all.preStart)),
    pre_person_days: intColumn(prePd),
    pre_visits: intColumn(preVisits),
    pre_rate_per_1000_pd: rateColumn(preVisits, prePd, inDen, 1000),
    any_ed_pre: boolColumn(cut(all.anyPre)),
    frequent_pre: boolColumn(cut(all.freqPre)),
    in_denominator: boolColumn(inDen),
    reason: codeColumn(reason, REASONS),
  });
  if (data.tables.arms === undefined) warnings.push(warning("MEASURE_PRE_POST_DESCRIPTIVE"));
  const cw = clusteredUnitsWarning(person, inDen);
  if (cw !== null) warnings.push(cw);
  const armOfUnit = unitArms(person, data.arms());
  const hasArms = data.tables.arms !== undefined;
  const summary: EdUtilizationSummary = {
    nUnits: n,
    reasons: reasonCounts(reason, REASONS) as Record<EdUtilizationReason, number>,
    postRate: summarizeRate(
      includedValues(postVisits, inDen),
      includedValues(postPd, inDen),
      armOfUnit,
      hasArms,
    ),
    preRate: summarizeRate(
      includedValues(preVisits, inDen),
      includedValues(prePd, inDen),
      armOfUnit,
      hasArms,
    ),
    anyPost: summarizeProportion(includedTri(cut(all.anyPost), inDen), armOfUnit, hasArms),
    frequentPost: summarizeProportion(includedTri(cut(all.freqPost), inDen), armOfUnit, hasArms),
    anyPre: summarizeProportion(includedTri(cut(all.anyPre), inDen), armOfUnit, hasArms),
  };
  return makeResult(definition(p), units, summary, warnings);
}
