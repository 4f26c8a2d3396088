/**
 * Timeline Followback percent days abstinent (MEASURES.md §5.2, resolved reading §15.10; [LIT] Sobell &
 * Sobell TLFB + [TK] known-days rule).
 *
 * Unit: person-window (and, with `bySubstance`, one extra row per target substance). A day of the
 * window is, over the target substances (default all): a *use* day when any row says used; otherwise
 * *unknown* when any row is unknown (used = null) or no row exists for the day (or, with
 * `requireAllSubstances`, some target substance has no row); otherwise *abstinent* (§15.10).
 * PDA = abstinent days ÷ known days × 100, reported only when known days ≥ minKnownFraction (80 %) of
 * the window's days — else null (never treat unknown days as abstinent); percent days use = 100 − PDA
 * on the same denominator.
 *
 * Units are persons with at least one daily_use row (persons never assessed with the calendar have no
 * unit; their missingness shows in the follow-up rate, not here).
 * Windows: 'index' or 'randomization' anchor with day offsets [from, to] (default days 1–30 after the
 * anchor), 'absolute' dates, or 'assessment': the windowDays days before each assessment date
 * (date − windowDays … date − 1; GPRA-aligned past 30 days) for the assessments of the chosen waves.
 */

import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { type AnchorKind, personAnchors } from "./core/anchors.js";
import { NULL_DAY as NULL_DAY_IMPORTED, toDay } from "./core/columns.js";
import { MeasureData, type MeasureTables, SUBSTANCES, WAVES } from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import {
  type MeasureResult,
  makeResult,
  numColumn,
  personIdColumn,
  reasonCounts,
  unitsTable,
} from "./core/result.js";
import { type GroupSummary, selectUnits, summarizeMean, unitArms } from "./core/summary.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

export const MEASURE_ID = "tlfb-pda";
export const VERSION = "1.0.0";

export const REASONS = ["INCLUDED", "NO_ANCHOR", "INSUFFICIENT_KNOWN_DAYS"] as const;
export type TlfbReason = (typeof REASONS)[number];
type Substance = (typeof SUBSTANCES)[number];

export interface TlfbParams {
  readonly substances: readonly Substance[] | null;
  readonly anchor: AnchorKind | "absolute" | "assessment";
  readonly from: number | string;
  readonly to: number | string;
  /** For anchor 'assessment': window length before the assessment date, and the waves used. */
  readonly windowDays: number;
  readonly waves: readonly (typeof WAVES)[number][] | null;
  readonly minKnownFraction: number;
  readonly requireAllSubstances: boolean;
  readonly bySubstance: boolean;
}

export const DEFAULTS: TlfbParams = Object.freeze({
  substances: null,
  anchor: "index",
  from: 1,
  to: 30,
  windowDays: 30,
  waves: null,
  minKnownFraction: 0.8,
  requireAllSubstances: false,
  bySubstance: false,
} as TlfbParams);

export interface TlfbSummary {
  readonly nWindows: number;
  readonly reasons: Readonly<Record<TlfbReason, number>>;
  /** Mean percent days abstinent (any target substance) with t interval. */
  readonly pdaMean: GroupSummary<Estimate>;
}

export function definition(params?: Partial<TlfbParams>): MeasureDefinition<TlfbParams> {
  const p = resolveParams(DEFAULTS, params);
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title: "TLFB percent days abstinent (≥ 80 % of window days known)",
    unit: "person-window",
    status: ["LIT", "TK"],
    sources: [
      "Sobell LC, Sobell MB. Timeline Followback (calendar method)",
      "MEASURES.md §5.2 known-days rule [TK]",
    ],
    parameters: p,
    defaults: DEFAULTS,
    readings: ["15.10", "15.13"],
    notes: [
      "A day with no row for any target substance is unknown; with requireAllSubstances = false a day whose recorded target substances are all 'not used' is abstinent even if other target substances have no row.",
      "The 80 % rule uses ≥ (known ≥ 0.8 × window days).",
    ],
    reasonCodes: [...REASONS],
  });
}

/** Computes TLFB PDA per person-window. Needs daily_use (index_events / arms / assessments per anchor). */
export function tlfb(
  input: MeasureTables | MeasureData,
  params?: Partial<TlfbParams>,
): MeasureResult<TlfbParams, TlfbSummary> {
  const fn = "tlfb";
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  if (!(p.minKnownFraction >= 0 && p.minKnownFraction <= 1))
    throw new InvalidInputError(fn, "minKnownFraction must lie in [0, 1]");
  const du = data.dailyUse();
  const targetList: Substance[] = p.substances === null ? [...SUBSTANCES] : [...p.substances];
  const groups: { label: string; mask: Uint8Array }[] = [];
  const mask = (list: readonly Substance[]) => {
    const m = new Uint8Array(SUBSTANCES.length);
    for (const s of list) m[SUBSTANCES.indexOf(s)] = 1;
    return m;
  };
  groups.push({ label: "ANY", mask: mask(targetList) });
  if (p.bySubstance) for (const s of targetList) groups.push({ label: s, mask: mask([s]) });

  // windows: (person, lo, hi, label)
  const wPerson: number[] = [];
  const wLo: number[] = [];
  const wHi: number[] = [];
  const wNoAnchor: boolean[] = [];
  if (p.anchor === "assessment") {
    const a = data.assessments();
    const waves = p.waves === null ? null : new Set(p.waves.map((w) => WAVES.indexOf(w)));
    for (let person = 0; person < data.nPersons; person++) {
      for (let k = a.csr.offsets[person]!; k < a.csr.offsets[person + 1]!; k++) {
        const i = a.csr.order[k]!;
        if (waves !== null && !waves.has(a.wave[i]!)) continue;
        wPerson.push(person);
        wLo.push(a.day[i]! - p.windowDays);
        wHi.push(a.day[i]! - 1);
        wNoAnchor.push(false);
      }
    }
  } else {
    let anchors: Int32Array | null = null;
    let lo = 0;
    let hi = 0;
    if (p.anchor === "absolute") {
      lo = toDay(p.from, fn, "from")!;
      hi = toDay(p.to, fn, "to")!;
    } else {
      if (typeof p.from !== "number" || typeof p.to !== "number")
        throw new InvalidInputError(fn, "anchored windows need numeric from/to");
      anchors = personAnchors(data, p.anchor);
    }
    for (let person = 0; person < data.nPersons; person++) {
      // persons without any daily_use row were never assessed with the calendar: no unit
      if (du.csr.offsets[person] === du.csr.offsets[person + 1]) continue;
      if (anchors !== null) {
        const anc = anchors[person]!;
        wPerson.push(person);
        wLo.push(anc === NULL_DAY ? NULL_DAY : anc + (p.from as number));
        wHi.push(anc === NULL_DAY ? NULL_DAY : anc + (p.to as number));
        wNoAnchor.push(anc === NULL_DAY);
      } else {
        wPerson.push(person);
        wLo.push(lo);
        wHi.push(hi);
        wNoAnchor.push(false);
      }
    }
  }

  const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<TlfbReason, number>;
  const uPerson: number[] = [];
  const uLo: (number | null)[] = [];
  const uHi: (number | null)[] = [];
  const uSub: string[] = [];
  const uDays: (number | null)[] = [];
  const uUse: (number | null)[] = [];
  const uAbs: (number | null)[] = [];
  const uUnknown: (number | null)[] = [];
  const uPda: number[] = [];
  const uReason: number[] = [];
  const present = new Uint8Array(SUBSTANCES.length);
  const { offsets, order } = du.csr;

  for (let w = 0; w < wPerson.length; w++) {
    const person = wPerson[w]!;
    for (const g of groups) {
      uPerson.push(person);
      uSub.push(g.label);
      if (wNoAnchor[w]) {
        uLo.push(null);
        uHi.push(null);
        uDays.push(null);
        uUse.push(null);
        uAbs.push(null);
        uUnknown.push(null);
        uPda.push(Number.NaN);
        uReason.push(R.NO_ANCHOR);
        continue;
      }
      const lo = wLo[w]!;
      const hi = wHi[w]!;
      const nDays = hi - lo + 1;
      let use = 0;
      let abs = 0;
      const nTarget = g.mask.reduce((a, b) => a + b, 0);
      let k = offsets[person]!;
      const end = offsets[person + 1]!;
      while (k < end && du.day[order[k]!]! < lo) k++;
      while (k < end) {
        const day = du.day[order[k]!]!;
        if (day > hi) break;
        let used = false;
        let unknown = false;
        let notUsed = 0;
        present.fill(0);
        while (k < end && du.day[order[k]!] === day) {
          const i = order[k]!;
          k++;
          const s = du.substance[i]!;
          if (g.mask[s] !== 1) continue;
          present[s] = 1;
          const v = du.used[i]!;
          if (v === 1) used = true;
          else if (v === -1) unknown = true;
          else notUsed++;
        }
        if (used) use++;
        else if (!unknown && notUsed > 0) {
          let all = true;
          if (p.requireAllSubstances) {
            let c = 0;
            for (let x = 0; x < present.length; x++) c += present[x]!;
            all = c === nTarget;
          }
          if (all) abs++;
        }
      }
      const known = use + abs;
      uLo.push(lo);
      uHi.push(hi);
      uDays.push(nDays);
      uUse.push(use);
      uAbs.push(abs);
      uUnknown.push(nDays - known);
      if (known > 0 && known >= p.minKnownFraction * nDays) {
        uPda.push((abs / known) * 100);
        uReason.push(R.INCLUDED);
      } else {
        uPda.push(Number.NaN);
        uReason.push(R.INSUFFICIENT_KNOWN_DAYS);
      }
    }
  }
  const pda = numColumn(uPda).toArray();
  const units = unitsTable({
    person_id: personIdColumn(uPerson, data.persons.ids),
    substance: uSub,
    window_start: uLo,
    window_end: uHi,
    window_days: uDays,
    use_days: uUse,
    abstinent_days: uAbs,
    unknown_days: uUnknown,
    pct_days_abstinent: pda,
    pct_days_use: pda.map((x) => (x === null ? null : 100 - x)),
    in_denominator: uReason.map((r) => r === R.INCLUDED),
    reason: uReason.map((r) => REASONS[r]!),
  });
  const anyRows = uSub.map((s) => s === "ANY");
  const anyUnits = anyRows.flatMap((any, i) => (any ? [i] : []));
  const armOfUnit = unitArms(uPerson, data.arms());
  const summary: TlfbSummary = {
    nWindows: wPerson.length,
    reasons: reasonCounts(uReason, REASONS) as Record<TlfbReason, number>,
    pdaMean: summarizeMean(
      anyUnits.map((i) => pda[i]!),
      selectUnits(armOfUnit, anyUnits),
      data.tables.arms !== undefined,
    ),
  };
  return makeResult(definition(p), units, summary, []);
}
