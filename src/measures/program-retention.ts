/**
 * Episode retention for programmes without medication (MEASURES.md §2.7 applied to non-MOUD
 * programmes; toolkit convention [TK]). Two sources, one per call:
 *
 * - `source = 'observation'`: programme episodes are observation periods with source PROGRAM (periods
 *   that overlap or touch are merged). Length of stay = last day in programme − start + 1, where the
 *   last day is the earliest of period end, data end and death. The episode *ended* (discharge
 *   observed) when the period end lies before the data end and before death.
 * - `source = 'peer-contacts'`: an engagement episode starts at a completed peer contact and continues
 *   while the next completed contact follows within `maxContactGapDays` (default 30 [TK]); it ends at the
 *   last contact of the run. Disengagement is observed when the next contact comes later than that, or
 *   when more than maxContactGapDays pass with no contact before the data end (or death); otherwise the
 *   episode is censored. Length of stay = last contact − first contact + 1 (the "duration" sense of
 *   days engaged, §9.2).
 *
 * Per episode: length of stay, KM-ready time/status (1 ended/disengaged, 0 censored, 2 died when
 * `death = 'competing'`), retained at T (30/90/180/365: true when the episode is known to last ≥ T
 * days, false when it ended earlier, null when censored or dead before T — §15.4 reading), and
 * completion when `plannedDurationDays` is given: completed = length of stay ≥ planned duration
 * (including episodes still open past it); false when it ended earlier; null when censored earlier.
 * The data contract has no discharge-reason field, so completion is this duration proxy — document it
 * in reports. Without plannedDurationDays completion is null throughout.
 */

import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { NULL_DAY as NULL_DAY_IMPORTED, toDay } from "./core/columns.js";
import { MeasureData, type MeasureTables } from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import { observability } from "./core/follow-up.js";
import {
  boolColumn,
  type MeasureResult,
  makeResult,
  personIdColumn,
  type UnitColumn,
  unitsTable,
} from "./core/result.js";
import { type GroupSummary, summarizeMean, summarizeProportion, unitArms } from "./core/summary.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

export const MEASURE_ID = "program-retention";
export const VERSION = "1.0.0";

export const REASONS = ["INCLUDED"] as const;

export interface ProgramRetentionParams {
  readonly source: "observation" | "peer-contacts";
  readonly maxContactGapDays: number;
  readonly thresholds: readonly number[];
  readonly plannedDurationDays: number | null;
  readonly unit: "first-episode" | "all-episodes";
  readonly death: "censor" | "competing";
  readonly dataEnd: number | string | null;
}

export const DEFAULTS: ProgramRetentionParams = Object.freeze({
  source: "observation",
  maxContactGapDays: 30,
  thresholds: [30, 90, 180, 365],
  plannedDurationDays: null,
  unit: "first-episode",
  death: "censor",
  dataEnd: null,
} as ProgramRetentionParams);

export interface ProgramRetentionSummary {
  readonly nEpisodes: number;
  readonly ended: number;
  readonly censored: number;
  readonly lengthOfStayMean: GroupSummary<Estimate>;
  readonly retained: Readonly<Record<string, GroupSummary<Estimate>>>;
  readonly completed: GroupSummary<Estimate>;
}

export function definition(
  params?: Partial<ProgramRetentionParams>,
): MeasureDefinition<ProgramRetentionParams> {
  const p = resolveParams(DEFAULTS, params);
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title:
      p.source === "observation"
        ? "Programme retention: length of stay from PROGRAM observation periods"
        : `Peer engagement retention: contact runs with gaps ≤ ${p.maxContactGapDays} days`,
    unit: p.unit === "first-episode" ? "person (first episode)" : "programme episode",
    status: ["TK"],
    sources: ["MEASURES.md §2.7 (retention family), §9.2 (days engaged, duration sense)"],
    parameters: p,
    defaults: DEFAULTS,
    readings: ["15.4", "15.13"],
    notes: [
      "Completion is a duration proxy (length of stay ≥ plannedDurationDays): the data contract has no discharge reason.",
      "For peer-contact episodes only completed contacts count; attempts never extend an episode.",
      "A censored episode's time is last observed day − start + 1 (data end or death), as §15.4.",
    ],
    reasonCodes: [...REASONS],
  });
}

/** Computes programme / peer-engagement retention per episode. */
export function programRetention(
  input: MeasureTables | MeasureData,
  params?: Partial<ProgramRetentionParams>,
): MeasureResult<ProgramRetentionParams, ProgramRetentionSummary> {
  const fn = "programRetention";
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  if (!(p.maxContactGapDays >= 0) || !p.thresholds.every((t) => t > 0))
    throw new InvalidInputError(fn, "bad parameters");
  toDay(p.dataEnd, fn, "dataEnd");
  const o = observability(data, p.dataEnd, fn);
  const warnings = [...o.warnings];
  const uPerson: number[] = [];
  const uStart: number[] = [];
  const uEnd: number[] = []; // last day in programme / last contact
  const uLast: number[] = []; // last observed day
  const uEnded: number[] = [];
  const uStatus: number[] = [];
  const uTime: number[] = [];
  const uLos: number[] = [];

  const emit = (person: number, s: number, e: number, ended: boolean, lastObs: number): void => {
    uPerson.push(person);
    uStart.push(s);
    uEnd.push(e);
    uLast.push(lastObs);
    uEnded.push(ended ? 1 : 0);
    uLos.push(e - s + 1);
    if (ended) {
      uStatus.push(1);
      uTime.push(e - s + 1);
    } else {
      const died = o.death[person] !== NULL_DAY && o.death[person] === lastObs;
      uStatus.push(died && p.death === "competing" ? 2 : 0);
      uTime.push(lastObs - s + 1);
    }
  };
  const deathOr = (person: number, day: number) => {
    const dd = o.death[person]!;
    return dd !== NULL_DAY && dd < day ? dd : day;
  };

  if (p.source === "observation") {
    const prog = data.observation(["PROGRAM"]);
    if (prog === null)
      throw new InvalidInputError(fn, "needs the observation_periods table (source PROGRAM)");
    for (let person = 0; person < data.nPersons; person++) {
      for (let k = prog.offsets[person]!; k < prog.offsets[person + 1]!; k++) {
        const s = prog.starts[k]!;
        if (s > o.dataEnd) break;
        const lastObs = deathOr(person, o.dataEnd);
        const pe = prog.ends[k]!;
        const ended = pe < lastObs;
        emit(person, s, Math.min(pe, lastObs), ended, ended ? pe : lastObs);
        if (p.unit === "first-episode") break;
      }
    }
  } else {
    const pc = data.peerContacts();
    const { offsets, order } = pc.csr;
    for (let person = 0; person < data.nPersons; person++) {
      let s = NULL_DAY;
      let last = NULL_DAY;
      const lastObs = deathOr(person, o.dataEnd);
      let done = false;
      for (let k = offsets[person]!; k < offsets[person + 1]! && !done; k++) {
        const i = order[k]!;
        if (pc.completed[i] !== 1) continue;
        const day = pc.day[i]!;
        if (day > lastObs) break;
        if (s === NULL_DAY) {
          s = day;
          last = day;
        } else if (day - last <= p.maxContactGapDays) {
          last = day;
        } else {
          emit(person, s, last, true, last);
          if (p.unit === "first-episode") done = true;
          s = day;
          last = day;
        }
      }
      if (!done && s !== NULL_DAY) {
        const ended = lastObs - last > p.maxContactGapDays;
        emit(person, s, last, ended, ended ? last : lastObs);
      }
    }
  }

  const T = p.thresholds;
  const ret: number[][] = T.map((t) =>
    uStart.map((s, i) => {
      if (uEnd[i]! >= s + t - 1) return 1;
      if (uEnded[i] === 1) return 0;
      return -1;
    }),
  );
  const completed = uStart.map((s, i) => {
    if (p.plannedDurationDays === null) return -1;
    if (uEnd[i]! - s + 1 >= p.plannedDurationDays) return 1;
    return uEnded[i] === 1 ? 0 : -1;
  });
  const cols: Record<string, UnitColumn> = {
    person_id: personIdColumn(uPerson, data.persons.ids),
    episode_start: Int32Array.from(uStart),
    episode_last_day: Int32Array.from(uEnd),
    last_observed_day: Int32Array.from(uLast),
    ended: boolColumn(uEnded),
    length_of_stay: Int32Array.from(uLos),
    time_days: Int32Array.from(uTime),
    status: Int32Array.from(uStatus),
  };
  T.forEach((t, k) => {
    cols[`retained_${t}`] = boolColumn(ret[k]!);
  });
  cols.completed = boolColumn(completed);
  cols.in_denominator = new Array(uPerson.length).fill(true);
  cols.reason = new Array(uPerson.length).fill("INCLUDED");
  const armOfUnit = unitArms(uPerson, data.arms());
  const hasArms = data.tables.arms !== undefined;
  const retained: Record<string, GroupSummary<Estimate>> = {};
  T.forEach((t, k) => {
    retained[String(t)] = summarizeProportion(ret[k]!, armOfUnit, hasArms);
  });
  const summary: ProgramRetentionSummary = {
    nEpisodes: uPerson.length,
    ended: uEnded.filter((x) => x === 1).length,
    censored: uEnded.filter((x) => x === 0).length,
    lengthOfStayMean: summarizeMean(uLos, armOfUnit, hasArms),
    retained,
    completed: summarizeProportion(completed, armOfUnit, hasArms),
  };
  return makeResult(definition(p), unitsTable(cols), summary, warnings);
}
