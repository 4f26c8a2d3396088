/**
 * Adapters from each measure outcome of the config to the unit values the evaluation compares:
 * runs the measure (src/measures, with its versioned definition), keeps one value per unit, and says
 * what the value is (a proportion, a rate per person-time, a mean), its pre-index counterpart when the
 * measure has one (pre/post and difference-in-differences designs) and, for recovery capital, the
 * per-wave totals of the trajectory chart. Units left out by the measure are counted by reason.
 */

import type { Dataset } from "../dictionary/load-result.js";
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
import { mapToFloat64 } from "../util/typed-map.js";
import type { EvaluationConfig, MeasureOutcomeConfig } from "./config.js";
import { columnValues } from "./table-columns.js";

/** Days per year used to express rates per person-year. */
export const DAYS_PER_YEAR = 365.25;

/** The value type of a measure outcome, which picks the estimator (MEASURES.md §1.6). */
export type MeasureValueType = "proportion" | "rate" | "mean";

/** One wave's totals for the trajectory chart. */
export interface TrajectoryUnits {
  readonly person: readonly string[];
  /** Months after intake of the wave (0 = intake). */
  readonly time: Float64Array;
  readonly timeLabel: readonly string[];
  readonly value: Float64Array;
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
  readonly person: readonly string[];
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

/** Splits the measure's units into in-denominator ones and reason counts of the others. */
function denominator(r: MeasureResult<unknown, unknown>): { keep: number[]; out: Record<string, number> } {
  const inDen = arr<boolean>(r, "in_denominator");
  const reason = arr<string>(r, "reason");
  const keep: number[] = [];
  const out: Record<string, number> = {};
  for (let i = 0; i < inDen.length; i++) {
    if (inDen[i]) keep.push(i);
    else {
      const k = String(reason[i]);
      out[k] = (out[k] ?? 0) + 1;
    }
  }
  return { keep, out };
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
  keep: readonly number[],
  notInDenominator: Record<string, number>,
  valueColumn: string,
  f: PostOnlyFields,
): MeasureUnits {
  const person = arr<string>(r, "person_id");
  const col = arr<unknown>(r, valueColumn);
  const post = mapToFloat64(keep, (i) => num(col[i]));
  return {
    id: f.id,
    title: f.title,
    measure: definitionOf(r, f.params ?? {}),
    valueType: f.valueType,
    valueLabel: f.valueLabel,
    phrase: f.phrase,
    compared: f.compared ?? true,
    person: keep.map((i) => person[i] as string),
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
  indexDayOf: (personId: string) => number | undefined = () => undefined,
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
      const person = arr<string>(r, "person_id");
      const post = arr<number | null>(r, "post_visits");
      const postT = arr<number | null>(r, "post_person_days");
      const pre = arr<number | null>(r, "pre_visits");
      const preT = arr<number | null>(r, "pre_person_days");
      const postV = mapToFloat64(keep, (i) => num(post[i]));
      const postTime = mapToFloat64(keep, (i) => {
        const t = num(postT[i]);
        return t > 0 ? t : Number.NaN;
      });
      for (let k = 0; k < postV.length; k++) if (Number.isNaN(postTime[k] as number)) postV[k] = Number.NaN;
      const preV = mapToFloat64(keep, (i) => num(pre[i]));
      const preTime = mapToFloat64(keep, (i) => {
        const t = num(preT[i]);
        return t > 0 ? t : Number.NaN;
      });
      return {
        id: "ed-utilization",
        title: "ED utilization",
        measure: definitionOf(r, {}),
        valueType: "rate",
        valueLabel: "ED visits per person-year",
        phrase: "ED visits per person-year",
        compared: true,
        person: keep.map((i) => person[i] as string),
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
      const person = arr<string>(r, "person_id");
      const post = arr<boolean | null>(r, "abstinent_30d_follow_up");
      const pre = arr<boolean | null>(r, "abstinent_30d_intake");
      const postV = mapToFloat64(keep, (i) => num(post[i]));
      return {
        id: "self-report-abstinence",
        title: "Self-reported abstinence (past 30 days)",
        measure: definitionOf(r, {}),
        valueType: "proportion",
        valueLabel: "Abstinent in the past 30 days (self-report)",
        phrase: `reported no alcohol or drug use in the past 30 days at the ${outcome.dueMonths}-month follow-up`,
        compared: true,
        person: keep.map((i) => person[i] as string),
        post: postV,
        postTime: null,
        pre: mapToFloat64(keep, (i) => num(pre[i])),
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
      const person = arr<string>(r, "person_id");
      const wave = arr<string>(r, "wave");
      const inDen = arr<boolean>(r, "in_denominator");
      const reason = arr<string>(r, "reason");
      const total = arr<number | null>(r, "total");
      const baseline = arr<number | null>(r, "baseline_total");
      // One unit per person: the first scored assessment of the chosen wave.
      const seen = new Set<string>();
      const keep: number[] = [];
      const out: Record<string, number> = {};
      const tPerson: string[] = [];
      const tTime: number[] = [];
      const tLabel: string[] = [];
      const tValue: number[] = [];
      const tSeen = new Set<string>();
      for (let i = 0; i < person.length; i++) {
        const w = wave[i] as string;
        const p = person[i] as string;
        if (!inDen[i]) {
          if (w === outcome.wave) out[String(reason[i])] = (out[String(reason[i])] ?? 0) + 1;
          continue;
        }
        const t = num(total[i]);
        const months = WAVE_MONTHS[w];
        if (months !== undefined && !Number.isNaN(t) && !tSeen.has(`${p}\u0000${w}`)) {
          tSeen.add(`${p}\u0000${w}`);
          tPerson.push(p);
          tTime.push(months);
          tLabel.push(WAVE_LABELS[w] ?? w);
          tValue.push(t);
        }
        if (w !== outcome.wave || seen.has(p)) continue;
        seen.add(p);
        keep.push(i);
      }
      const post = mapToFloat64(keep, (i) => num(total[i]));
      const pre = mapToFloat64(keep, (i) => num(baseline[i]));
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
        person: keep.map((i) => person[i] as string),
        post,
        postTime: null,
        pre,
        preTime: null,
        periodLabels: { pre: "Intake", post: WAVE_LABELS[outcome.wave] ?? outcome.wave },
        notInDenominator: out,
        notEvaluable: { reason: "No scored intake assessment to change from", n: countNaN(post) },
        trajectory: {
          person: tPerson,
          time: Float64Array.from(tTime),
          timeLabel: tLabel,
          value: Float64Array.from(tValue),
        },
        warnings: r.warnings,
      };
    }
    case "followUpAfterEd": {
      const r = fua(data, illustrativeValueSets());
      const person = arr<string>(r, "person_id");
      const visit = arr<number>(r, "visit_date");
      const inDen = arr<boolean>(r, "in_denominator");
      const reason = arr<string>(r, "reason");
      const valueColumn = `fua_${outcome.days}${outcome.clinicalOnly ? "_clinical" : ""}`;
      // One unit per person: the first eligible ED visit on or after the person's index date.
      const first = new Map<string, number>();
      const out: Record<string, number> = {};
      let beforeIndex = 0;
      let eligible = 0;
      for (let i = 0; i < person.length; i++) {
        const p = person[i] as string;
        const day = indexDayOf(p);
        if (day !== undefined && (visit[i] as number) < day) {
          beforeIndex++;
          continue;
        }
        if (!inDen[i]) {
          const k = String(reason[i]);
          out[k] = (out[k] ?? 0) + 1;
          continue;
        }
        eligible++;
        const cur = first.get(p);
        if (cur === undefined || (visit[i] as number) < (visit[cur] as number)) first.set(p, i);
      }
      if (beforeIndex > 0) out.VISIT_BEFORE_INDEX = beforeIndex;
      const keep = [...first.values()].sort((a, b) => a - b);
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
