/**
 * Adapters from each measure outcome of the config to the unit values the evaluation compares:
 * runs the measure (src/measures, with its versioned definition), keeps one value per unit, and says
 * what the value is (a proportion, a rate per person-time, a mean), its pre-index counterpart when the
 * measure has one (pre/post and difference-in-differences designs) and, for recovery capital, the
 * per-wave totals of the trajectory chart. Units left out by the measure are counted by reason.
 */

import type { Dataset } from "../dictionary/load-result.js";
import { BoolColumn, IntColumn, NumColumn } from "../dictionary/typed-columns.js";
import { readCodeIndex } from "../measures/core/columns.js";
import { MeasureData, type MeasureTables } from "../measures/core/data.js";
import type { MeasureResult } from "../measures/core/result.js";
import { edUtilization } from "../measures/ed-utilization.js";
import { fua } from "../measures/fua.js";
import { moudRetention } from "../measures/moud-retention.js";
import { peerDose } from "../measures/peer-dose.js";
import { programRetention } from "../measures/program-retention.js";
import { recoveryCapital } from "../measures/recovery-capital.js";
import { selfReportAbstinence } from "../measures/self-report-abstinence.js";
import { udsAbstinence } from "../measures/uds-abstinence.js";
import { illustrativeValueSets } from "../measures/value-sets.js";
import type { Warning } from "../messages.js";
import { gatherFloat64 } from "../util/typed-map.js";
import type { EvaluationConfig, MeasureOutcomeConfig } from "./config.js";
import { columnValues } from "./table-columns.js";

/** Days per year used to express rates per person-year. */
export const DAYS_PER_YEAR = 365.25;

/** The value type of a measure outcome, which picks the estimator (MEASURES.md §1.6). */
export type MeasureValueType = "proportion" | "rate" | "mean";

/** One wave's totals for the trajectory chart. */
export interface TrajectoryUnits {
  readonly person: PersonRefs;
  /** Months after intake of the wave (0 = intake). */
  readonly time: Float64Array;
  readonly timeLabel: readonly string[];
  readonly value: Float64Array;
}

/** Persons of units: unit k is person `ids[index[k]]` (−1 = missing). */
export interface PersonRefs {
  readonly index: Int32Array;
  readonly ids: readonly string[];
}

/** A measure outcome's unit values, ready for the comparison. */
export interface MeasureUnits {
  readonly id: string;
  readonly title: string;
  readonly measure: {
    readonly id: string;
    readonly version: string;
    readonly params: Record<string, unknown>;
  };
  readonly valueType: MeasureValueType;
  /** What one value is, e.g. "ED visits per person-year", "Retained on MOUD at day 180". */
  readonly valueLabel: string;
  /** Short noun phrase for sentences, e.g. "were retained on MOUD at day 180". */
  readonly phrase: string;
  /**
   * Change outcomes (recovery capital): label and phrase of the level itself, used when the design
   * compares levels before and after (pre/post, difference in differences) instead of the change.
   */
  readonly levelLabel?: { readonly label: string; readonly phrase: string };
  /** False for the service dose: it is described by group, never contrasted (dose is the exposure). */
  readonly compared: boolean;
  /** Per unit: person, value after the index (NaN = not evaluable), person-days (rates). */
  readonly person: PersonRefs;
  readonly post: Float64Array;
  readonly postTime: Float64Array | null;
  /** Pre-index value and person-days (NaN = missing), when the measure has a pre period. */
  readonly pre: Float64Array | null;
  readonly preTime: Float64Array | null;
  /** What "pre" and "post" are, for labels. */
  readonly periodLabels: { readonly pre: string; readonly post: string };
  /** Units the measure left out, by reason (its own trace), and units without a value. */
  readonly notInDenominator: Readonly<Record<string, number>>;
  readonly notEvaluable: { readonly reason: string; readonly n: number };
  readonly trajectory: TrajectoryUnits | null;
  readonly warnings: readonly Warning[];
}

const WAVE_MONTHS: Readonly<Record<string, number>> = { INTAKE: 0, M3: 3, M6: 6, M12: 12 };
const WAVE_LABELS: Readonly<Record<string, string>> = {
  INTAKE: "Intake",
  M3: "3 months",
  M6: "6 months",
  M12: "12 months",
  DISCHARGE: "Discharge",
};

function arr<T>(r: MeasureResult<unknown, unknown>, name: string): ArrayLike<T> {
  const v = columnValues<T>(r.units, name);
  if (v === null) throw new Error(`measure ${r.definition.id}: its unit table has no column "${name}"`);
  return v;
}

function num(v: unknown): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  return typeof v === "number" && Number.isFinite(v) ? v : Number.NaN;
}

/**
 * A unit column as numbers (booleans as 1 / 0; missing and non-finite values as NaN), read from the
 * measure's typed storage (src/measures/core/result.ts) without building a value per unit.
 */
function numbers(r: MeasureResult<unknown, unknown>, name: string): Float64Array {
  const c = r.units.isFiltered() || r.units.isOrdered() ? null : (r.units.column(name) as unknown);
  const n = r.units.numRows();
  const out = new Float64Array(n);
  if (c instanceof NumColumn || (c instanceof IntColumn && c.data instanceof Float64Array)) {
    const d = c.data;
    for (let i = 0; i < n; i++) {
      const v = d[i] as number;
      out[i] = Number.isFinite(v) ? v : Number.NaN;
    }
  } else if (c instanceof IntColumn) {
    const d = c.data;
    const nil = c.nullValue;
    for (let i = 0; i < n; i++) {
      const v = d[i] as number;
      out[i] = v === nil ? Number.NaN : v;
    }
  } else if (c instanceof BoolColumn) {
    const d = c.data;
    for (let i = 0; i < n; i++) {
      const v = d[i] as number;
      out[i] = v < 0 ? Number.NaN : v;
    }
  } else {
    const v = arr<unknown>(r, name);
    for (let i = 0; i < n; i++) out[i] = num(v[i]);
  }
  return out;
}

/** A code or id column as codes (−1 = missing) into its distinct values (`readCodeIndex`). */
function codes(r: MeasureResult<unknown, unknown>, name: string): PersonRefs {
  const { index, values } = readCodeIndex(r.units, name, r.definition.id);
  return { index: index instanceof Int32Array ? index : Int32Array.from(index), ids: values };
}

/** The persons of the kept units. */
function keptPersons(person: PersonRefs, keep: ArrayLike<number>): PersonRefs {
  const index = new Int32Array(keep.length);
  for (let k = 0; k < keep.length; k++) index[k] = person.index[keep[k] as number] as number;
  return { index, ids: person.ids };
}

/** Splits the measure's units into in-denominator ones and reason counts of the others. */
function denominator(r: MeasureResult<unknown, unknown>): { keep: Int32Array; out: Record<string, number> } {
  const inDen = numbers(r, "in_denominator");
  const reason = codes(r, "reason");
  const keep = new Int32Array(inDen.length);
  let nKeep = 0;
  const counts = new Float64Array(reason.ids.length + 1);
  for (let i = 0; i < inDen.length; i++) {
    if (inDen[i] === 1) keep[nKeep++] = i;
    else (counts[(reason.index[i] as number) + 1] as number)++;
  }
  const out: Record<string, number> = {};
  // Reasons in order of first appearance, as when they were counted unit by unit.
  const order: number[] = [];
  const nReasons = counts.filter((c) => c > 0).length;
  const listed = new Uint8Array(reason.ids.length + 1);
  for (let i = 0; i < inDen.length && order.length < nReasons; i++) {
    if (inDen[i] === 1) continue;
    const k = (reason.index[i] as number) + 1;
    if (listed[k] === 0) {
      listed[k] = 1;
      order.push(k);
    }
  }
  for (const k of order) out[k === 0 ? "null" : (reason.ids[k - 1] as string)] = counts[k] as number;
  return { keep: keep.slice(0, nKeep), out };
}

function definitionOf(r: MeasureResult<unknown, unknown>, extra: Record<string, unknown>) {
  return {
    id: r.definition.id,
    version: r.definition.version,
    params: { ...(r.definition.parameters as Record<string, unknown>), ...extra },
  };
}

function countNaN(a: Float64Array): number {
  let k = 0;
  for (const v of a) if (Number.isNaN(v)) k++;
  return k;
}

/** What differs between the measures whose value exists only after the index (no pre period, no trajectory). */
interface PostOnlyFields extends Pick<MeasureUnits, "id" | "title" | "valueType" | "valueLabel" | "phrase"> {
  /** Extra definition parameters for the manifest (e.g. the retention day). */
  readonly params?: Record<string, unknown>;
  /** Default true; false for the service dose (described, never compared). */
  readonly compared?: boolean;
  readonly postLabel: string;
  readonly notEvaluableReason: string;
}

/** Units of a post-only measure: one value from `valueColumn` per kept unit (NaN = not evaluable). */
function postOnlyUnits(
  r: MeasureResult<unknown, unknown>,
  keep: ArrayLike<number>,
  notInDenominator: Record<string, number>,
  valueColumn: string,
  f: PostOnlyFields,
): MeasureUnits {
  const post = gatherFloat64(numbers(r, valueColumn), keep);
  return {
    id: f.id,
    title: f.title,
    measure: definitionOf(r, f.params ?? {}),
    valueType: f.valueType,
    valueLabel: f.valueLabel,
    phrase: f.phrase,
    compared: f.compared ?? true,
    person: keptPersons(codes(r, "person_id"), keep),
    post,
    postTime: null,
    pre: null,
    preTime: null,
    periodLabels: { pre: "", post: f.postLabel },
    notInDenominator,
    notEvaluable: { reason: f.notEvaluableReason, n: countNaN(post) },
    trajectory: null,
    warnings: r.warnings,
  };
}

/** One MeasureData (person index, sorted event caches) per loaded dataset, shared by every measure. */
const measureDataOf = new WeakMap<Dataset, MeasureData>();

/** Runs one measure outcome and returns its unit values. */
export function measureUnits(
  dataset: Dataset,
  config: EvaluationConfig,
  outcome: MeasureOutcomeConfig,
  /** Per person id of `ids`: the person's index day, NaN when none (used to pick the FUA visit). */
  indexDays: (ids: readonly string[]) => ArrayLike<number> = (ids) =>
    new Float64Array(ids.length).fill(Number.NaN),
): MeasureUnits {
  let data = measureDataOf.get(dataset);
  if (!data) {
    data = MeasureData.from(dataset as MeasureTables);
    measureDataOf.set(dataset, data);
  }
  switch (outcome.measure) {
    case "edUtilization": {
      const r = edUtilization(data, {
        windowDays: outcome.windowDays,
        preWindowDays: outcome.preWindowDays,
        indexSelection: "first",
        indexTypes: config.index.types ?? null,
      });
      const { keep, out } = denominator(r);
      const positive = (t: number) => (t > 0 ? t : Number.NaN);
      const postV = gatherFloat64(numbers(r, "post_visits"), keep);
      const postTime = gatherFloat64(numbers(r, "post_person_days"), keep).map(positive);
      for (let k = 0; k < postV.length; k++) if (Number.isNaN(postTime[k] as number)) postV[k] = Number.NaN;
      const preV = gatherFloat64(numbers(r, "pre_visits"), keep);
      const preTime = gatherFloat64(numbers(r, "pre_person_days"), keep).map(positive);
      return {
        id: "ed-utilization",
        title: "ED utilization",
        measure: definitionOf(r, {}),
        valueType: "rate",
        valueLabel: "ED visits per person-year",
        phrase: "ED visits per person-year",
        compared: true,
        person: keptPersons(codes(r, "person_id"), keep),
        post: postV,
        postTime,
        pre: preV,
        preTime,
        periodLabels: {
          pre: `${outcome.preWindowDays} days before`,
          post: `${outcome.windowDays} days after`,
        },
        notInDenominator: out,
        notEvaluable: { reason: "No follow-up time after the index day", n: countNaN(postV) },
        trajectory: null,
        warnings: r.warnings,
      };
    }
    case "moudRetention":
    case "programRetention": {
      const r =
        outcome.measure === "moudRetention"
          ? moudRetention(data, { thresholds: [30, 90, 180, 365] })
          : programRetention(data, { source: outcome.source, thresholds: [30, 90, 180, 365] });
      const { keep, out } = denominator(r);
      const moud = outcome.measure === "moudRetention";
      return postOnlyUnits(r, keep, out, `retained_${outcome.days}`, {
        id: moud ? "moud-retention" : "program-retention",
        title: moud
          ? "Retention on MOUD"
          : outcome.source === "observation"
            ? "Retention in the program (enrollment periods)"
            : "Retention in peer services (peer contacts)",
        params: { days: outcome.days },
        valueType: "proportion",
        valueLabel: moud
          ? `Retained on MOUD at day ${outcome.days}`
          : `Retained in the program at day ${outcome.days}`,
        phrase: moud
          ? `were still on MOUD ${outcome.days} days after starting`
          : outcome.source === "observation"
            ? `were still enrolled ${outcome.days} days after their enrollment began`
            : `were still in contact with a peer worker ${outcome.days} days after their first contact (no gap over the allowed days)`,
        postLabel: `Day ${outcome.days}`,
        notEvaluableReason: `Follow-up ended before day ${outcome.days} while still retained (not evaluable)`,
      });
    }
    case "udsAbstinence": {
      const r = udsAbstinence(data, { k: outcome.k, missingAs: "positive" });
      const { keep, out } = denominator(r);
      return postOnlyUnits(r, keep, out, "k_consec_neg", {
        id: "uds-abstinence",
        title: "Abstinence by urine drug screens",
        valueType: "proportion",
        valueLabel: `${outcome.k} consecutive negative screens`,
        phrase: `had ${outcome.k} consecutive negative urine drug screens (missing screens counted as positive)`,
        postLabel: "Scheduled screens",
        notEvaluableReason: "No evaluable screens",
      });
    }
    case "selfReportAbstinence": {
      const r = selfReportAbstinence(data, { dueMonths: outcome.dueMonths });
      const { keep, out } = denominator(r);
      const postV = gatherFloat64(numbers(r, "abstinent_30d_follow_up"), keep);
      return {
        id: "self-report-abstinence",
        title: "Self-reported abstinence (past 30 days)",
        measure: definitionOf(r, {}),
        valueType: "proportion",
        valueLabel: "Abstinent in the past 30 days (self-report)",
        phrase: `reported no alcohol or drug use in the past 30 days at the ${outcome.dueMonths}-month follow-up`,
        compared: true,
        person: keptPersons(codes(r, "person_id"), keep),
        post: postV,
        postTime: null,
        pre: gatherFloat64(numbers(r, "abstinent_30d_intake"), keep),
        preTime: null,
        periodLabels: { pre: "Intake", post: `${outcome.dueMonths}-month follow-up` },
        notInDenominator: out,
        notEvaluable: { reason: "Abstinence not recorded at follow-up", n: countNaN(postV) },
        trajectory: null,
        warnings: r.warnings,
      };
    }
    case "recoveryCapital": {
      const r = recoveryCapital(data, { instrument: outcome.instrument });
      const person = codes(r, "person_id");
      const wave = codes(r, "wave");
      const inDen = numbers(r, "in_denominator");
      const reason = codes(r, "reason");
      const reasonAt = (i: number) => reason.ids[reason.index[i] as number] ?? "null";
      const total = numbers(r, "total");
      const baseline = numbers(r, "baseline_total");
      // One unit per person: the first scored assessment of the chosen wave. Persons and waves by their
      // codes (slot 0 of a person code: a missing id).
      const target = wave.ids.indexOf(outcome.wave);
      const nWaves = wave.ids.length;
      const months = wave.ids.map((w) => WAVE_MONTHS[w]);
      const seen = new Uint8Array(person.ids.length + 1);
      const tSeen = new Uint8Array((person.ids.length + 1) * Math.max(nWaves, 1));
      const keep: number[] = [];
      const out: Record<string, number> = {};
      const tPerson: number[] = [];
      const tTime: number[] = [];
      const tLabel: string[] = [];
      const tValue: number[] = [];
      for (let i = 0; i < inDen.length; i++) {
        const w = wave.index[i] as number;
        const p = (person.index[i] as number) + 1;
        if (inDen[i] !== 1) {
          if (w === target && w >= 0) out[reasonAt(i)] = (out[reasonAt(i)] ?? 0) + 1;
          continue;
        }
        if (w < 0) continue;
        const t = total[i] as number;
        const m = months[w];
        if (m !== undefined && !Number.isNaN(t) && tSeen[p * nWaves + w] === 0) {
          tSeen[p * nWaves + w] = 1;
          tPerson.push(p - 1);
          tTime.push(m);
          const name = wave.ids[w] as string;
          tLabel.push(WAVE_LABELS[name] ?? name);
          tValue.push(t);
        }
        if (w !== target || seen[p] === 1) continue;
        seen[p] = 1;
        keep.push(i);
      }
      const post = gatherFloat64(total, keep);
      const pre = gatherFloat64(baseline, keep);
      for (let k = 0; k < post.length; k++) if (Number.isNaN(pre[k] as number)) post[k] = Number.NaN;
      const label = outcome.instrument === "BARC10" ? "BARC-10" : "ARC";
      return {
        id: "recovery-capital",
        title: `Recovery capital (${label})`,
        measure: definitionOf(r, { wave: outcome.wave }),
        valueType: "mean",
        valueLabel: `Change in ${label} total from intake to ${WAVE_LABELS[outcome.wave] ?? outcome.wave}`,
        phrase: `${label} points of change from intake to ${(WAVE_LABELS[outcome.wave] ?? outcome.wave).toLowerCase()}`,
        levelLabel: { label: `${label} total`, phrase: `${label} points` },
        compared: true,
        person: keptPersons(person, keep),
        post,
        postTime: null,
        pre,
        preTime: null,
        periodLabels: { pre: "Intake", post: WAVE_LABELS[outcome.wave] ?? outcome.wave },
        notInDenominator: out,
        notEvaluable: { reason: "No scored intake assessment to change from", n: countNaN(post) },
        trajectory: {
          person: { index: Int32Array.from(tPerson), ids: person.ids },
          time: Float64Array.from(tTime),
          timeLabel: tLabel,
          value: Float64Array.from(tValue),
        },
        warnings: r.warnings,
      };
    }
    case "followUpAfterEd": {
      const r = fua(data, illustrativeValueSets());
      const person = codes(r, "person_id");
      const visit = numbers(r, "visit_date");
      const inDen = numbers(r, "in_denominator");
      const reason = codes(r, "reason");
      const reasonAt = (i: number) => reason.ids[reason.index[i] as number] ?? "null";
      const valueColumn = `fua_${outcome.days}${outcome.clinicalOnly ? "_clinical" : ""}`;
      // One unit per person: the first eligible ED visit on or after the person's index date. Per
      // person code (slot 0: a missing id): its first eligible visit so far.
      const nSlots = person.ids.length + 1;
      const days = indexDays(person.ids);
      const first = new Int32Array(nSlots).fill(-1);
      const out: Record<string, number> = {};
      let beforeIndex = 0;
      let eligible = 0;
      for (let i = 0; i < inDen.length; i++) {
        const p = (person.index[i] as number) + 1;
        const day = p === 0 ? Number.NaN : (days[p - 1] as number);
        if ((visit[i] as number) < day) {
          beforeIndex++;
          continue;
        }
        if (inDen[i] !== 1) {
          const k = reasonAt(i);
          out[k] = (out[k] ?? 0) + 1;
          continue;
        }
        eligible++;
        const cur = first[p] as number;
        if (cur < 0 || (visit[i] as number) < (visit[cur] as number)) first[p] = i;
      }
      if (beforeIndex > 0) out.VISIT_BEFORE_INDEX = beforeIndex;
      const keep = first.filter((i) => i >= 0).sort();
      const later = eligible - keep.length;
      if (later > 0) out.LATER_VISIT_OF_THE_PERSON = later;
      return postOnlyUnits(r, keep, out, valueColumn, {
        id: "follow-up-after-ed",
        title: `Follow-up within ${outcome.days} days after an ED visit for substance use`,
        params: {
          days: outcome.days,
          clinicalOnly: outcome.clinicalOnly,
          visit: "first eligible on or after the index date",
        },
        valueType: "proportion",
        valueLabel: `Follow-up within ${outcome.days} days of the ED visit${outcome.clinicalOnly ? " (clinical)" : ""}`,
        phrase: `had ${outcome.clinicalOnly ? "clinical " : ""}follow-up within ${outcome.days} days of their ED visit for substance use`,
        postLabel: `${outcome.days} days`,
        notEvaluableReason: "Follow-up not evaluable",
      });
    }
    case "peerDose": {
      const r = peerDose(data, { windowDays: outcome.windowDays, indexTypes: config.index.types ?? null });
      const { keep, out } = denominator(r);
      return postOnlyUnits(r, keep, out, "contacts_completed", {
        id: "peer-dose",
        title: "Peer service dose",
        valueType: "mean",
        valueLabel: `Completed peer contacts in the ${outcome.windowDays} days after the index event`,
        phrase: `completed peer contacts in the ${outcome.windowDays} days after the index event`,
        compared: false,
        postLabel: `${outcome.windowDays} days`,
        notEvaluableReason: "Contacts not countable",
      });
    }
  }
}
