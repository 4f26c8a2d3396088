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
  /** Units behind the row (shown in the tooltip): a count, so a row with n from 1 to the threshold is not drawn. */
  readonly n?: number;
  /** The overall (pooled) row: drawn as a diamond. */
  readonly overall?: boolean;
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
  /** How values are displayed (axis labels and tooltips; percentagePoints: axis in pp). */
  readonly style?: ValueStyle;
}

/** One row of a Love plot: the SMD before and after adjustment (null: not shown). */
export interface LoveRow {
  readonly label: string;
  readonly before: number | null;
  readonly after: number | null;
}

/** A Love plot: absolute standardized mean differences before and after adjustment. */
export interface LoveChartInput {
  readonly kind: "love";
  readonly xLabel: string;
  /** The balance threshold (dashed line). */
  readonly threshold: number;
  readonly rows: readonly LoveRow[];
}

/**
 * A Vega-Lite spec built elsewhere (e.g. the Love plot and the propensity overlap histogram of
 * `src/compare/charts.ts`). The report shows it as given: its data must already obey the small-cell
 * policy, which the builder asserts with `suppressed: true` (aggregates only; no count of 1 to the
 * threshold in the data).
 */
export interface VegaLiteChartInput {
  readonly kind: "vegaLite";
  readonly spec: Readonly<Record<string, unknown>>;
  /** Plain-language description (figure caption and accessible description). */
  readonly description: string;
  readonly suppressed: true;
}

/** One point of an estimates chart: a group's estimate with its CI, in one panel. */
export interface EstimatePoint {
  readonly group: string;
  /** Panel/category the point belongs to (e.g. "Before", "After", "Day 180"); omit for a single panel. */
  readonly category?: string;
  /** People (units) behind the estimate: subject to suppression; a hidden n hides the point. */
  readonly n: number;
  readonly estimate: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

/**
 * Group estimates with confidence intervals, drawn as points with error bars (or bars with whiskers):
 * rates (ED visits per person-year), proportions (retained at day 180), means (change in BARC-10).
 */
export interface EstimatesChartInput {
  readonly kind: "estimates";
  /** Title of the value axis, e.g. "ED visits per person-year". */
  readonly valueLabel: string;
  /** How values are displayed (percent: the axis shows %); default decimal. */
  readonly style?: ValueStyle;
  readonly points: readonly EstimatePoint[];
  /** Draw the value axis from zero (rates, proportions); default true. */
  readonly zero?: boolean;
}

/** One point of a trajectory: a group's mean at one assessment time. */
export interface TrajectoryPoint {
  readonly group: string;
  /** Position on the time axis (e.g. months since intake: 0, 3, 6, 12). */
  readonly time: number;
  /** Label of the time point ("Intake", "3 months"). */
  readonly timeLabel: string;
  /** People assessed at this time in this group: subject to suppression; a hidden n hides the point. */
  readonly n: number;
  readonly estimate: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

/** Mean over assessment times by group, with CI bands or error bars (recovery-capital trajectories). */
export interface TrajectoryChartInput {
  readonly kind: "trajectory";
  readonly xLabel: string;
  readonly yLabel: string;
  readonly points: readonly TrajectoryPoint[];
  /** How values are displayed (percent: the axis shows %); default decimal. */
  readonly style?: ValueStyle;
}

/**
 * A chart, by kind: 'survival', 'forest', 'love', 'estimates' (rates, proportions, means),
 * 'trajectory' (means over time), 'vegaLite' (a spec built elsewhere).
 */
export type ChartInput =
  | SurvivalChartInput
  | ForestChartInput
  | LoveChartInput
  | EstimatesChartInput
  | TrajectoryChartInput
  | VegaLiteChartInput;

/** The effect within one level of a subgroup variable. */
export interface SubgroupRow {
  readonly level: string;
  /** Units analysed in the level, and per arm: counts, subject to suppression (a hidden n hides the effect). */
  readonly n: number;
  readonly nTreated: number;
  readonly nControl: number;
  readonly estimate: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

/**
 * Effects within the levels of one subgroup variable, with the interaction test. Shown as a table
 * (level, n per arm, effect with CI) and a forest plot with the overall effect and the interaction p.
 */
export interface SubgroupSection {
  /** The variable, e.g. "Sex". */
  readonly variable: string;
  /** The effect measure, e.g. "Rate ratio" or "Risk difference". */
  readonly effectLabel: string;
  readonly style?: ValueStyle;
  /** 1 for ratios (log axis), 0 for differences. */
  readonly nullValue: 0 | 1;
  readonly rows: readonly SubgroupRow[];
  /** The overall effect (all levels), drawn as the last row / reference line. */
  readonly overall?: {
    readonly estimate: number | null;
    readonly lower: number | null;
    readonly upper: number | null;
  };
  /** p-value of the joint treatment × subgroup interaction test (null: not evaluable). */
  readonly interactionP: number | null;
  readonly interactionMethod: string;
  /** Units without a value of the variable, left out (a count). */
  readonly nMissing?: number;
}

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
  /** Further charts of the outcome (e.g. a trajectory beside the change), each with a title. */
  readonly extraCharts?: readonly {
    readonly id: string;
    readonly title: string;
    readonly chart: ChartInput;
  }[];
  /** Effects within subgroups, each with its interaction test and forest plot. */
  readonly subgroups?: readonly SubgroupSection[];
  /** Short notes under the outcome (e.g. "analysed in its own eligible sample"). */
  readonly notes?: readonly string[];
}

/** One arm's value in a comparability (Table 1) row. */
export interface ComparabilityCell {
  /**
   * People counted in the cell: in the level (a level row), with the value missing (a missing row),
   * or with an observed value (a numeric row, not displayed). Subject to small-cell suppression; a hidden
   * count hides the percentage or mean too.
   */
  readonly n: number;
  /** Share of the arm (a level or missing row), weighted after adjustment. */
  readonly proportion?: number | null;
  /** Mean and SD (a numeric row), weighted after adjustment. */
  readonly mean?: number | null;
  readonly sd?: number | null;
}

/** One row of the comparability table: a covariate level, a numeric covariate or its missing indicator. */
export interface ComparabilityRow {
  /** The covariate (rows of one covariate share it and are grouped under it). */
  readonly covariate: string;
  /** The level ("Homeless", "Missing"); null for a numeric row. */
  readonly level: string | null;
  readonly type: "level" | "numeric" | "missingIndicator";
  readonly before: { readonly treated: ComparabilityCell; readonly control: ComparabilityCell };
  readonly after: { readonly treated: ComparabilityCell; readonly control: ComparabilityCell };
  readonly smdBefore: number | null;
  readonly smdAfter: number | null;
  /** Variance ratio treated/control after adjustment (numeric rows). */
  readonly varianceRatioAfter?: number | null;
  /** |smdAfter| below the threshold (null: not evaluable). */
  readonly balanced: boolean | null;
}

/** Size of one arm before and after adjustment. */
export interface ComparabilityArm {
  readonly label: string;
  /** People eligible in the arm (a count). */
  readonly n: number;
  /** People in the adjusted sample (positive weight; a count). */
  readonly nAdjusted: number;
  /** Effective sample size after adjustment (hidden whenever nAdjusted is hidden). */
  readonly ess: number;
}

/**
 * The "Comparability" section of a matched or weighted design: Table 1 by arm with standardized mean
 * differences before and after adjustment and the balance verdict, arm sizes with effective sample
 * sizes, further counts (e.g. trimmed weights, unmatched people), notes and diagnostic charts.
 */
export interface ComparabilitySection {
  readonly title: string;
  /** The balance verdict in plain language. */
  readonly sentence: string;
  /** How the adjusted sample was made ("Weighted (ATT weights)", "Matched 1:1 …"). */
  readonly adjustmentLabel: string;
  readonly arms: { readonly treated: ComparabilityArm; readonly control: ComparabilityArm };
  readonly rows: readonly ComparabilityRow[];
  readonly threshold: number;
  readonly allBalanced: boolean;
  /** What the SMD column is (convention, denominator). */
  readonly smdNote: string;
  /** Further counts of people (suppressed like every count). */
  readonly counts: readonly { readonly label: string; readonly n: number }[];
  readonly notes: readonly string[];
  /**
   * Diagnostic charts; `id` names the chart files (charts/comparability-<id>.svg). The Love plot is
   * drawn by the report itself from `rows` (rows whose SMD could reveal a hidden count are left out).
   */
  readonly charts: readonly { readonly id: string; readonly title: string; readonly chart: ChartInput }[];
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
  /** Matched and weighted designs: how comparable the groups are (shown before the outcomes). */
  readonly comparability?: ComparabilitySection;
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
