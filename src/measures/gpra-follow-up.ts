/**
 * GPRA/SUPRT 6-month follow-up rate (MEASURES.md §7.2, resolved reading §15.12; [STD] SAMHSA CSAT GPRA).
 *
 * Unit: intake interview (GPRA assessment with gpra_interview_type 1, or wave INTAKE when the type is
 * missing). Due date = intake + 6 calendar months (addMonths: clamped to the last day of a shorter
 * month); window = due − 1 month through due + 2 months, inclusive (intake 2024-01-01 → due 2024-07-01,
 * window 2024-06-01 … 2024-09-01). A follow-up = GPRA interview of type 2 (six-month; or wave M6 when
 * the type is missing) dated inside the window; each follow-up interview is credited to at most one
 * intake (the latest earlier intake whose window contains it).
 * An intake is *due* once windowClose ≤ reportDate (`view = 'due'`, default) or, for the "in progress"
 * view, once windowOpen ≤ reportDate. Rate = completed in-window follow-ups ÷ due intakes; the SAMHSA
 * floor of 80 % is flagged (`meetsFloor`, warning). No due intakes → rate not evaluable (null, §15.13).
 */
import { addMonths } from "../dates.js";
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { NULL_DAY as NULL_DAY_IMPORTED, toDay } from "./core/columns.js";
import { INSTRUMENTS, MeasureData, type MeasureTables, WAVES } from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import {
  boolColumn,
  intColumn,
  type MeasureResult,
  makeResult,
  personIdColumn,
  unitsTable,
} from "./core/result.js";
import { type GroupSummary, summarizeProportion, unitArms } from "./core/summary.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

export const MEASURE_ID = "gpra-follow-up-rate";
export const VERSION = "1.0.0";

export const REASONS = ["DUE", "NOT_YET_DUE"] as const;
export type GpraReason = (typeof REASONS)[number];

export interface GpraFollowUpParams {
  /** Report date (day number or ISO). Required. */
  readonly reportDate: number | string | null;
  readonly view: "due" | "in-progress";
  readonly dueMonths: number;
  readonly windowBeforeMonths: number;
  readonly windowAfterMonths: number;
  readonly floor: number;
  /** gpra_interview_type codes for intake and for the follow-up counted. */
  readonly intakeType: number;
  readonly followUpType: number;
}

export const DEFAULTS: GpraFollowUpParams = Object.freeze({
  reportDate: null,
  view: "due",
  dueMonths: 6,
  windowBeforeMonths: 1,
  windowAfterMonths: 2,
  floor: 0.8,
  intakeType: 1,
  followUpType: 2,
});

/** Due date and inclusive window of a follow-up interview for an intake day (§15.12). */
export function gpraFollowUpWindow(
  intakeDay: number,
  dueMonths = 6,
  beforeMonths = 1,
  afterMonths = 2,
): { due: number; open: number; close: number } {
  const due = addMonths(intakeDay, dueMonths);
  return { due, open: addMonths(due, -beforeMonths), close: addMonths(due, afterMonths) };
}

export interface GpraFollowUpSummary {
  readonly intakes: number;
  readonly due: number;
  readonly completed: number;
  readonly rate: GroupSummary<Estimate>;
  /** Overall rate ≥ floor; null when nothing is due. */
  readonly meetsFloor: boolean | null;
}

export function definition(params?: Partial<GpraFollowUpParams>): MeasureDefinition<GpraFollowUpParams> {
  const p = resolveParams(DEFAULTS, params);
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title: "GPRA 6-month follow-up rate (completed in window ÷ due)",
    unit: "intake interview",
    status: ["STD", "TK"],
    sources: [
      "SAMHSA CSAT GPRA Client Outcome Measures (OMB 0930-0208): follow-up window and 80 % target",
      "Ohio SOS GPRA follow-up guidance (window example)",
    ],
    parameters: p,
    defaults: DEFAULTS,
    readings: ["15.12", "15.13"],
    notes: [
      "Intake = gpra_interview_type 1 (or wave INTAKE when the type is missing); follow-up = type 2 (or wave M6).",
      "Each follow-up interview counts for one intake only: the latest earlier intake whose window contains it.",
      "Deaths and other administrative exclusions from the due count are not applied (no SPARS rule retrieved).",
    ],
    reasonCodes: [...REASONS],
  });
}

/** Computes the GPRA follow-up rate per intake. Needs assessments; reportDate is required. */
export function gpraFollowUp(
  input: MeasureTables | MeasureData,
  params?: Partial<GpraFollowUpParams>,
): MeasureResult<GpraFollowUpParams, GpraFollowUpSummary> {
  const fn = "gpraFollowUp";
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  const report = toDay(p.reportDate, fn, "reportDate");
  if (report === null) throw new InvalidInputError(fn, "reportDate is required");
  const pairs = gpraPairs(data, p);
  const due = pairs.intakeDay.map((_, i) => {
    const w = pairs.window[i]!;
    return p.view === "due" ? w.close <= report : w.open <= report;
  });
  const completed = pairs.followUpRow.map((r, i) => (due[i] ? (r >= 0 ? 1 : 0) : -1));
  const units = unitsTable({
    person_id: personIdColumn(pairs.person, data.persons.ids),
    intake_id: pairs.intakeRow.map((r) => pairs.ids[r] ?? null),
    intake_date: Int32Array.from(pairs.intakeDay),
    due_date: Int32Array.from(pairs.window, (w) => w.due),
    window_open: Int32Array.from(pairs.window, (w) => w.open),
    window_close: Int32Array.from(pairs.window, (w) => w.close),
    follow_up_date: intColumn(pairs.followUpRow.map((r) => (r >= 0 ? pairs.day[r]! : NULL_DAY))),
    in_denominator: due,
    completed: boolColumn(completed),
    reason: due.map((x) => (x ? "DUE" : "NOT_YET_DUE")),
  });
  const warnings: Warning[] = [];
  const rate = summarizeProportion(
    completed,
    unitArms(pairs.person, data.arms()),
    data.tables.arms !== undefined,
  );
  const est = rate.overall.estimate;
  const meetsFloor = est === null ? null : est >= p.floor;
  if (meetsFloor === false)
    warnings.push(warning("MEASURE_BELOW_FOLLOW_UP_FLOOR", `rate ${est}`, { rate: est, floor: p.floor }));
  const summary: GpraFollowUpSummary = {
    intakes: pairs.person.length,
    due: due.filter(Boolean).length,
    completed: completed.filter((x) => x === 1).length,
    rate,
    meetsFloor,
  };
  return makeResult(definition(p), units, summary, warnings);
}

/** Intakes with their window and the credited in-window follow-up (row index or −1). */
export interface GpraPairs {
  readonly person: number[];
  readonly intakeRow: number[];
  readonly intakeDay: number[];
  readonly window: { due: number; open: number; close: number }[];
  readonly followUpRow: number[];
  readonly day: Int32Array;
  readonly ids: readonly (string | null)[];
}

/** Finds GPRA intakes and credits each in-window follow-up interview to one intake (shared with self-report). */
export function gpraPairs(
  data: MeasureData,
  p: Pick<
    GpraFollowUpParams,
    "dueMonths" | "windowBeforeMonths" | "windowAfterMonths" | "intakeType" | "followUpType"
  >,
): GpraPairs {
  const a = data.assessments();
  const GPRA = INSTRUMENTS.indexOf("GPRA");
  const INTAKE = WAVES.indexOf("INTAKE");
  const M6 = WAVES.indexOf("M6");
  const isType = (i: number, type: number, wave: number) =>
    a.gpraType[i] === type || (a.gpraType[i] === NULL_DAY && a.wave[i] === wave);
  const out: GpraPairs = {
    person: [],
    intakeRow: [],
    intakeDay: [],
    window: [],
    followUpRow: [],
    day: a.day,
    get ids() {
      return a.id; // read on first use (the follow-up rate's intake ids), not for self-report
    },
  };
  // windows depend on the intake day only: one (shared, read-only) object per distinct day
  const windows = new Map<number, { due: number; open: number; close: number }>();
  const windowOf = (day: number) => {
    let w = windows.get(day);
    if (w === undefined) {
      w = Object.freeze(gpraFollowUpWindow(day, p.dueMonths, p.windowBeforeMonths, p.windowAfterMonths));
      windows.set(day, w);
    }
    return w;
  };
  const intakes: number[] = [];
  const fus: number[] = [];
  for (let person = 0; person < data.nPersons; person++) {
    if (a.csr.offsets[person] === a.csr.offsets[person + 1]) continue;
    intakes.length = 0;
    fus.length = 0;
    for (let k = a.csr.offsets[person]!; k < a.csr.offsets[person + 1]!; k++) {
      const i = a.csr.order[k]!;
      if (a.instrument[i] !== GPRA) continue;
      if (isType(i, p.intakeType, INTAKE)) intakes.push(i);
      else if (isType(i, p.followUpType, M6)) fus.push(i);
    }
    if (intakes.length === 0) continue;
    const first = out.window.length; // this person's intakes are out.* [first, first + intakes.length)
    for (const i of intakes) {
      out.person.push(person);
      out.intakeRow.push(i);
      out.intakeDay.push(a.day[i]!);
      out.window.push(windowOf(a.day[i]!));
      out.followUpRow.push(-1);
    }
    for (const f of fus) {
      const fd = a.day[f]!;
      for (let j = intakes.length - 1; j >= 0; j--) {
        const w = out.window[first + j]!;
        if (a.day[intakes[j]!]! <= fd && fd >= w.open && fd <= w.close) {
          if (out.followUpRow[first + j] === -1) out.followUpRow[first + j] = f;
          break;
        }
      }
    }
  }
  return out;
}
