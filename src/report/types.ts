/**
 * Input types of the report layer. The report reads these plain, JSON-serialisable objects only;
 * the evaluation pipeline adapts its results to them. Every number stays a number here: the report
 * (`format.ts`) is the only place where numbers become strings.
 */

/** The comparison design, which decides the wording the report may use. */
export type DesignKind =
  | "randomized"
  | "matched"
  | "weighted"
  | "prePost"
  | "differenceInDifferences"
  | "unadjusted"
  | "descriptive";

export interface ReportDesign {
  readonly kind: DesignKind;
  /** One or two sentences: who was compared with whom, and how. */
  readonly description: string;
  /** False for observational and descriptive designs unless the evaluator argues otherwise. */
  readonly causalLanguageAllowed: boolean;
}

/** People (or rows) excluded between one flow step and the next, with the reason. */
export interface FlowExclusion {
  readonly reason: string;
  readonly n: number;
}

/**
 * One step of the participant flow (rows loaded, eligible, index events, analysed, …).
 * When `n` equals the sum of `excluded` plus the next step's `n`, the report treats the numbers as
 * additive and applies complementary suppression across them.
 */
export interface FlowStep {
  readonly label: string;
  readonly n: number;
  readonly excluded?: readonly FlowExclusion[];
}

/** Rows read from one input file, and how many were accepted or rejected by validation. */
export interface FileQuality {
  readonly file: string;
  readonly read: number;
  readonly accepted: number;
  readonly rejected: number;
}

export type IssueSeverity = "error" | "warning" | "info";

/** Data-quality issues found by one validation rule. */
export interface IssueCount {
  readonly code: string;
  readonly severity: IssueSeverity;
  readonly count: number;
  /** A located example ("persons.csv row 12: end_date before start_date"); never row values of PHI. */
  readonly example?: string;
}

export interface DataQuality {
  readonly files: readonly FileQuality[];
  readonly issuesByCode: readonly IssueCount[];
}

/**
 * How an estimate is displayed. `decimal`: fixed decimals (default 2). `percent`: a proportion
 * (0–1) shown as a percentage (default 1 decimal). `percentagePoints`: a difference of proportions
 * shown in percentage points. `ratio`: 2 decimals, or 2 significant digits below 0.1.
 */
export interface ValueStyle {
  readonly kind: "decimal" | "percent" | "percentagePoints" | "ratio";
  readonly digits?: number;
}

/** One group's estimate of an outcome (e.g. cumulative incidence at 30 days in the peer group). */
export interface GroupEstimate {
  readonly group: string;
  /** People in the group's denominator (a count, so it is subject to small-cell suppression). */
  readonly n: number;
  /** People with the event, when meaningful (subject to suppression; a hidden count hides the estimate). */
  readonly events?: number;
  readonly estimate: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  /** What the estimate is, e.g. "Cumulative incidence at 30 days". */
  readonly label: string;
  readonly style?: ValueStyle;
}

/** A comparison between groups (risk difference, hazard ratio, …). */
export interface EffectEstimate {
  readonly label: string;
  readonly estimate: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly pValue?: number | null;
  /** The exact method, e.g. "Cox proportional hazards, Efron ties, robust variance". */
  readonly method: string;
  readonly style?: ValueStyle;
}

/** One survival or cumulative-incidence curve: the step function's values at its jump times. */
export interface SurvivalCurve {
  readonly group: string;
  /** Jump times (ascending), normally starting at 0. */
  readonly time: readonly number[];
  /** Value of the curve from this time until the next one. */
  readonly estimate: readonly number[];
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  /** Times at which people were censored (drawn as ticks on the curve). */
  readonly censorTimes: readonly number[];
}

/** Numbers at risk in one group at fixed times (0, 30, 60, …); shown beneath the plot. */
export interface AtRiskRow {
  readonly group: string;
  readonly time: readonly number[];
  readonly nRisk: readonly number[];
}

/** A Kaplan–Meier (survival) or cumulative-incidence chart with a numbers-at-risk table. */
export interface SurvivalChartInput {
  readonly kind: "survival";
  readonly yLabel: "Survival" | "Cumulative incidence";
  readonly xLabel: string;
  readonly curves: readonly SurvivalCurve[];
  readonly atRisk: readonly AtRiskRow[];
}

/** One row of a forest plot. */
export interface ForestRow {
  readonly label: string;
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

/** A forest plot of effect estimates with their confidence intervals. */
export interface ForestChartInput {
  readonly kind: "forest";
  readonly xLabel: string;
  readonly rows: readonly ForestRow[];
  /** The no-difference value: 1 for ratios, 0 for differences. */
  readonly nullValue: number;
  /** Log scale for ratios. */
  readonly logScale?: boolean;
}

/**
 * A chart, by kind. Implemented: 'survival', 'forest'. Planned: 'rates', 'proportions',
 * 'trajectory', 'love', 'overlap' (add a member here and a builder in `charts/`).
 */
export type ChartInput = SurvivalChartInput | ForestChartInput;

/** One outcome: a plain-language sentence, group estimates, comparisons and a chart. */
export interface OutcomeSection {
  /** Stable identifier; also names the chart files (charts/<id>.svg). */
  readonly id: string;
  readonly title: string;
  /** The result in plain language. */
  readonly sentence?: string;
  readonly groupEstimates: readonly GroupEstimate[];
  readonly effects: readonly EffectEstimate[];
  readonly chart?: ChartInput;
}

export interface MethodItem {
  readonly label: string;
  readonly value: string;
}

/** Small-cell policy: counts from 1 to `threshold` are hidden when `suppressed` is true. */
export interface SmallCellPolicy {
  readonly threshold: number;
  readonly suppressed: boolean;
}

/** Everything the report shows. Aggregates only: no row-level data anywhere. */
export interface ReportInput {
  readonly title: string;
  readonly subtitle?: string;
  /** ISO date or date-time; optional so that tests are deterministic. */
  readonly generatedAt?: string;
  readonly design: ReportDesign;
  readonly flow: readonly FlowStep[];
  readonly dataQuality: DataQuality;
  readonly outcomes: readonly OutcomeSection[];
  /** Every resolved default and definition version. */
  readonly methods: readonly MethodItem[];
  readonly limitations: readonly string[];
  /** Shown collapsed at the end. Must contain no row-level data. */
  readonly manifest: Readonly<Record<string, unknown>>;
  /** Confidence level of every interval in the report (default 0.95). */
  readonly ciLevel?: number;
  /** Defaults to { threshold: 10, suppressed: true }. */
  readonly smallCell?: Partial<SmallCellPolicy>;
}
