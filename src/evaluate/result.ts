/**
 * The EvaluationResult: everything an evaluation found, as aggregates only (no row-level data),
 * JSON-serialisable, with a reproducibility manifest. The report is rendered from this object alone
 * (`prss report results.json` re-renders it).
 */
import type { Warning } from "../messages.js";
import type { DataQuality, FlowStep, SurvivalChartInput } from "../report/types.js";

export const RESULT_SCHEMA_VERSION = "1.0.0";

/** An interval estimate as stored in results (nulls mean "not evaluable"). */
export interface IntervalValue {
  readonly estimate: number | null;
  readonly se: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

/** A value of a curve at one time point, with the number still at risk there. */
export interface TimepointValue extends IntervalValue {
  readonly time: number;
  readonly nRisk: number;
  /** Units with the event on or before this day (unweighted count). */
  readonly eventsBy: number;
  /** True when the time lies after the group's last follow-up (value carried flat). */
  readonly beyondFollowUp: boolean;
}

/** Per-group summary of a time-to-event outcome with a competing event. */
export interface TimeToEventGroup {
  readonly group: string;
  readonly n: number;
  readonly nEvents: number;
  readonly nCompeting: number;
  readonly nCensored: number;
  /** Aalen–Johansen cumulative incidence of the event (competing event accounted for). */
  readonly cumulativeIncidence: readonly TimepointValue[];
  /** 1 − Kaplan–Meier with the competing event censored (cause-specific; overstates incidence). */
  readonly oneMinusKaplanMeier: readonly TimepointValue[];
  /** Median time from the Kaplan–Meier curve (competing event censored), R's rule; null if not reached. */
  readonly medianKaplanMeier: IntervalValue;
  /** Median time from the cumulative incidence curve when it crosses 50 %; null otherwise. */
  readonly medianCumulativeIncidence: number | null;
  /** Median time among those with the event (labelled; reported when the median is not reached). */
  readonly medianAmongEvents: number | null;
  /** Events on day 0 (e.g. MOUD given during the index ED visit). */
  readonly nEventsDay0: number;
}

/** A contrast between groups. */
export interface EffectResult extends IntervalValue {
  readonly label: string;
  readonly scale: "difference" | "ratio";
  readonly pValue: number | null;
  readonly method: string;
  readonly level: number;
  /** E-value for a ratio and for its CI bound nearer the null (VanderWeele & Ding 2017). */
  readonly eValue?: { readonly estimate: number | null; readonly ciBound: number | null };
}

/** A hypothesis test reported with an outcome. */
export interface TestSummary {
  readonly label: string;
  readonly statistic: number | null;
  readonly df: number | null;
  readonly pValue: number | null;
  readonly method: string;
}

/** Result of one time-to-event outcome. */
export interface TimeToEventOutcomeResult {
  readonly kind: "timeToEvent";
  readonly id: string;
  readonly title: string;
  readonly measure: {
    readonly id: string;
    readonly version: string;
    readonly params: Readonly<Record<string, unknown>>;
  };
  readonly eventLabel: string;
  readonly competingLabel: string;
  readonly referenceGroup: string | null;
  readonly comparisonGroup: string | null;
  readonly groups: readonly TimeToEventGroup[];
  readonly effects: readonly EffectResult[];
  readonly tests: readonly TestSummary[];
  /** Chart data (aggregates; curves cut where fewer than the small-cell threshold remain at risk). */
  readonly charts: {
    readonly cumulativeIncidence: SurvivalChartInput;
    readonly kaplanMeier: SurvivalChartInput;
  };
  readonly flow: readonly FlowStep[];
  readonly warnings: readonly Warning[];
}

export type OutcomeResult = TimeToEventOutcomeResult;

/** What produced the result: enough to reproduce it exactly. */
export interface Manifest {
  readonly packageName: "prss-eval";
  readonly packageVersion: string;
  readonly resultSchemaVersion: string;
  readonly dictionaryVersion: string;
  readonly measureDefinitions: readonly { readonly id: string; readonly version: string }[];
  /** SHA-256 of every input file, by file name. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly nodeVersion: string;
  readonly generatedAt: string;
}

/** The whole evaluation. */
export interface EvaluationResult {
  readonly title: string;
  readonly design: {
    readonly kind: "randomized" | "unadjusted" | "descriptive";
    readonly description: string;
    readonly causalLanguageAllowed: boolean;
  };
  readonly dataQuality: DataQuality;
  readonly outcomes: readonly OutcomeResult[];
  readonly methods: readonly { readonly label: string; readonly value: string }[];
  readonly limitations: readonly string[];
  readonly smallCellThreshold: number;
  readonly confLevel: number;
  readonly warnings: readonly Warning[];
  readonly manifest: Manifest;
}
