/**
 * The EvaluationResult: everything an evaluation found, as aggregates only (no row-level data),
 * JSON-serialisable, with a reproducibility manifest. The report is rendered from this object alone
 * (`prss report results.json` re-renders it).
 */
import type { Warning } from "../messages.js";
import type {
  DataQuality,
  EstimatesChartInput,
  FlowStep,
  SurvivalChartInput,
  TrajectoryChartInput,
  VegaLiteChartInput,
} from "../report/types.js";

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
  /** Matched and weighted designs: how comparable the analysed arms are (null otherwise). */
  readonly comparability: ComparabilityResult | null;
  /** Hazard ratios within subgroups, with interaction tests (empty without `subgroups`). */
  readonly subgroups: readonly SubgroupResultSummary[];
  readonly warnings: readonly Warning[];
}

/** One group's value of a measure outcome (rates per person-year; proportions 0–1; means in points). */
export interface MeasureGroupResult extends IntervalValue {
  readonly group: string;
  /** Units analysed in the group. */
  readonly n: number;
  /** Units with the event (proportions) or events counted (rates); null for means. */
  readonly events: number | null;
  /** Person-years of follow-up (rates); null otherwise. */
  readonly personYears: number | null;
  /** Pre/post designs: the value before the index, and the change (post − pre; or post/pre for rates). */
  readonly pre: IntervalValue | null;
  readonly change: IntervalValue | null;
}

/** The effect within one level of a subgroup variable. */
export interface SubgroupLevelResult extends IntervalValue {
  readonly level: string;
  readonly label: string;
  readonly n: number;
  readonly nTreated: number;
  readonly nControl: number;
}

/** Effects within the levels of one subgroup variable, with the joint interaction test. */
export interface SubgroupResultSummary {
  readonly variable: string;
  readonly label: string;
  /** The effect shown per level, e.g. "rate ratio", and its scale. */
  readonly effectLabel: string;
  readonly scale: "difference" | "ratio";
  readonly levels: readonly SubgroupLevelResult[];
  readonly overall: IntervalValue;
  readonly interaction: TestSummary;
  /** Units without a value of the variable (left out of this analysis). */
  readonly nMissing: number;
  readonly warnings: readonly Warning[];
}

/** Result of a measure outcome: a proportion, a rate or a mean by group, and the contrasts. */
export interface MeasureOutcomeResult {
  readonly kind: "measure";
  readonly id: string;
  readonly title: string;
  readonly measure: {
    readonly id: string;
    readonly version: string;
    readonly params: Readonly<Record<string, unknown>>;
  };
  readonly valueType: "proportion" | "rate" | "mean";
  readonly valueLabel: string;
  /** Sentence fragment, e.g. "were still on MOUD 180 days after starting". */
  readonly phrase: string;
  /** How the groups were compared. */
  readonly analysis: "comparison" | "prePost" | "differenceInDifferences" | "described";
  readonly referenceGroup: string | null;
  readonly comparisonGroup: string | null;
  readonly groups: readonly MeasureGroupResult[];
  readonly effects: readonly EffectResult[];
  readonly tests: readonly TestSummary[];
  readonly subgroups: readonly SubgroupResultSummary[];
  readonly charts: {
    readonly estimates: EstimatesChartInput;
    readonly trajectory: TrajectoryChartInput | null;
  };
  readonly flow: readonly FlowStep[];
  readonly comparability: ComparabilityResult | null;
  /** Labels of the periods compared in pre/post and difference-in-differences analyses. */
  readonly periodLabels: { readonly pre: string; readonly post: string } | null;
  /** Eligible units (in the analysed sample and the measure's denominator) and those with a value. */
  readonly completeness: { readonly eligible: number; readonly analysed: number };
  readonly notes: readonly string[];
  readonly warnings: readonly Warning[];
}

export type OutcomeResult = TimeToEventOutcomeResult | MeasureOutcomeResult;

/** One arm's value of a Table 1 row in one sample. */
export interface Table1Cell {
  /**
   * People counted in the cell (unweighted): in the level (code rows) or with an observed value
   * (numeric rows); in the adjusted sample, people with a positive weight. Subject to suppression.
   */
  readonly n: number;
  /** Share of the arm in the level (weighted in the adjusted sample); null for numeric rows. */
  readonly proportion: number | null;
  /** (Weighted) mean and SD of a numeric row; null for code rows. */
  readonly mean: number | null;
  readonly sd: number | null;
}

/** One row of Table 1 / the balance table: a numeric covariate, a level of a code covariate, or a missing indicator. */
export interface Table1Row {
  readonly covariate: string;
  readonly covariateLabel: string;
  /** Level of a code covariate ("(missing)" for the missing category); null for a numeric row. */
  readonly level: string | null;
  /** Display label of the level (data-dictionary code label; "Missing"); null for a numeric row. */
  readonly levelLabel: string | null;
  readonly type: "level" | "numeric" | "missingIndicator";
  readonly before: { readonly treated: Table1Cell; readonly control: Table1Cell };
  readonly after: { readonly treated: Table1Cell; readonly control: Table1Cell };
  /** Standardized mean difference (binary rows standardized by √(p(1 − p)): MatchIt, Austin 2009). */
  readonly smdBefore: number | null;
  readonly smdAfter: number | null;
  /** cobalt convention: binary rows as the raw difference in proportions. */
  readonly rawDifferenceBefore: number | null;
  readonly rawDifferenceAfter: number | null;
  /** Variance ratio treated/control (numeric rows only). */
  readonly varianceRatioBefore: number | null;
  readonly varianceRatioAfter: number | null;
  /** |smdAfter| < threshold; null when not evaluable. */
  readonly balanced: boolean | null;
}

/** A covariate of the propensity model with its definition and missing values per arm. */
export interface CovariateSummary {
  readonly name: string;
  readonly label: string;
  readonly kind: "numeric" | "code";
  readonly definition: string;
  readonly missingTreated: number;
  readonly missingControl: number;
  /** What was done with missing values. */
  readonly missingRule: string;
}

/** Size of one arm before and after adjustment. */
export interface ArmSampleSize {
  readonly group: string;
  /** Eligible people in the arm. */
  readonly n: number;
  /** People with a positive weight (matched or kept). */
  readonly nAdjusted: number;
  readonly sumWeights: number;
  /** Kish effective sample size (Σw)²/Σw² of the adjusted sample. */
  readonly ess: number;
}

/** Propensity-score range and positivity counts of one arm. */
export interface ArmOverlapSummary {
  readonly n: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** People with a score below / above the positivity bounds. */
  readonly below: number;
  readonly above: number;
  /** People outside the other arm's score range. */
  readonly outsideOtherRange: number;
}

/** Comparability of the arms in a matched or weighted design. */
export interface ComparabilityResult {
  readonly design: "weighted" | "matched";
  /** ATT, ATE, ATO, or "ATT among matched peer-support people". */
  readonly estimand: string;
  readonly estimandDescription: string;
  readonly treatedGroup: string;
  readonly controlGroup: string;
  readonly covariates: readonly CovariateSummary[];
  readonly propensity: {
    readonly method: string;
    /** Model terms (design columns) and how many were aliased (dropped). */
    readonly nTerms: number;
    readonly nAliased: number;
    readonly positivityBounds: readonly [number, number];
    readonly treated: ArmOverlapSummary;
    readonly control: ArmOverlapSummary;
    readonly commonSupport: { readonly lower: number; readonly upper: number };
  };
  readonly sampleSize: { readonly treated: ArmSampleSize; readonly control: ArmSampleSize };
  readonly weighting: {
    readonly method: string;
    readonly stabilized: boolean;
    readonly trim: { readonly at: number; readonly nTrimmed: number; readonly drop: boolean } | null;
    readonly maxWeightControl: number;
    readonly maxWeightTreated: number;
  } | null;
  readonly matching: {
    readonly method: string;
    readonly ratio: number;
    readonly replace: boolean;
    readonly caliper: {
      readonly sdUnits: number;
      readonly width: number;
      readonly definition: string;
    } | null;
    readonly exact: readonly string[];
    readonly nTreatedMatched: number;
    readonly nTreatedUnmatched: number;
    readonly unmatchedByReason: Readonly<Record<string, number>>;
    readonly nControlMatched: number;
    readonly nSets: number;
  } | null;
  readonly balance: {
    readonly threshold: number;
    readonly convention: string;
    readonly rows: readonly Table1Row[];
    readonly allBalanced: boolean;
    readonly nImbalancedBefore: number;
    readonly nImbalancedAfter: number;
    readonly maxAbsSmdBefore: number | null;
    readonly maxAbsSmdAfter: number | null;
    readonly imbalanced: readonly string[];
  };
  /**
   * Propensity overlap histogram (aggregates only; bins of 1–threshold people hidden, with a complementary
   * bin per arm). The Love plot is drawn by the report from `balance.rows`.
   */
  readonly charts: { readonly overlap: VegaLiteChartInput };
  readonly method: string;
  readonly warnings: readonly Warning[];
}

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
    readonly kind:
      | "randomized"
      | "weighted"
      | "matched"
      | "prePost"
      | "differenceInDifferences"
      | "unadjusted"
      | "descriptive";
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
