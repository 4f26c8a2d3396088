/**
 * The report's content as display strings, built once and rendered by `html.ts` and
 * `markdown.ts` alike, so both show the same numbers with the same suppression.
 */
import type { TopLevelSpec } from "vega-lite";
import { chartFileNames, chartSpec } from "./charts/index.js";
import {
  formatCount,
  formatEstimateCi,
  formatInteger,
  formatNumber,
  formatPValue,
  suppressionFootnote,
} from "./format.js";
import { type DesignNotice, designLabel, designNotice, effectsHeading } from "./labels.js";
import {
  type CellStatus,
  cellIds,
  cellStatus,
  planReportSuppression,
  type SuppressionPlan,
} from "./suppress.js";
import type { ChartInput, IssueSeverity, ReportInput } from "./types.js";

/** A count ready for display. */
export interface CountText {
  readonly text: string;
  readonly status: CellStatus;
}

export interface FlowStepText {
  readonly label: string;
  readonly n: CountText;
  readonly excluded: readonly { readonly reason: string; readonly n: CountText }[];
}

export interface GroupRowText {
  readonly group: string;
  readonly measure: string;
  readonly n: CountText;
  readonly events?: CountText;
  /** "0.42 (0.31 to 0.55)", or the hidden-estimate text. */
  readonly estimate: string;
  readonly estimateHidden: boolean;
}

export interface EffectRowText {
  readonly label: string;
  readonly estimate: string;
  readonly pValue: string;
  readonly method: string;
}

export interface ChartText {
  /** File base name: charts/<fileName>.svg and .png. */
  readonly fileName: string;
  readonly spec: TopLevelSpec;
  /** Plain-language description (figure caption and accessible description). */
  readonly description: string;
}

export interface OutcomeText {
  readonly id: string;
  readonly title: string;
  readonly sentence?: string;
  readonly hasEvents: boolean;
  readonly groups: readonly GroupRowText[];
  readonly effectsHeading: string;
  readonly effects: readonly EffectRowText[];
  readonly chart?: ChartText;
}

export interface ReportModel {
  readonly title: string;
  readonly subtitle?: string;
  readonly generatedAt?: string;
  readonly designLabel: string;
  readonly designDescription: string;
  readonly notice?: DesignNotice;
  /** Set when suppression is off: a warning to show prominently. */
  readonly suppressionOff?: string;
  /** "95% CI". */
  readonly ciLabel: string;
  readonly flow: readonly FlowStepText[];
  readonly files: readonly {
    readonly file: string;
    readonly read: CountText;
    readonly accepted: CountText;
    readonly rejected: CountText;
  }[];
  readonly issues: readonly {
    readonly code: string;
    readonly severity: IssueSeverity;
    readonly count: CountText;
    readonly example?: string;
  }[];
  readonly outcomes: readonly OutcomeText[];
  readonly methods: readonly { readonly label: string; readonly value: string }[];
  readonly limitations: readonly string[];
  /** The manifest as indented JSON. */
  readonly manifestJson: string;
  /** Explains the suppression marks (or says suppression is off). */
  readonly suppressionNote: string;
  readonly hiddenCells: number;
}

/** Shown instead of an estimate whose denominator or number of events is hidden. */
export const HIDDEN_ESTIMATE = "hidden (small numbers)";

function countText(plan: SuppressionPlan, id: string, n: number): CountText {
  const status = cellStatus(plan, id);
  return { text: formatCount(n, status, plan.policy.threshold), status };
}

/** "Days since the ED visit" → "days since the ED visit"; an acronym ("ED visits") is kept. */
function lowerFirst(text: string): string {
  const second = text.charAt(1);
  return second !== "" && second === second.toLowerCase()
    ? text.charAt(0).toLowerCase() + text.slice(1)
    : text;
}

function joinAnd(items: readonly string[]): string {
  if (items.length <= 2) return items.join(" and ");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function chartDescription(chart: ChartInput, ci: string): string {
  switch (chart.kind) {
    case "survival": {
      return (
        `${chart.yLabel} over ${lowerFirst(chart.xLabel)} for ${joinAnd(chart.curves.map((c) => c.group))}, with ${ci} bands; ` +
        "ticks on the curves mark censored follow-up. Numbers at risk are shown beneath the plot."
      );
    }
    case "forest":
      return `${chart.xLabel}: estimates (squares) with ${ci}s (lines); the dashed line marks no difference (${formatNumber(chart.nullValue, chart.nullValue % 1 === 0 ? 0 : 2)}).`;
  }
}

/** Confidence level as a label, e.g. 0.95 → "95% CI". */
export function ciLabel(level: number): string {
  const pct = level * 100;
  return `${formatNumber(pct, Number.isInteger(Math.round(pct * 1e6) / 1e6) ? 0 : 1)}% CI`;
}

/**
 * Builds the display model of a report: every number formatted (format.ts) and every count
 * suppressed (suppress.ts). An estimate whose group size or number of events is hidden by primary
 * suppression is hidden too.
 */
export function buildReportModel(input: ReportInput): ReportModel {
  const ci = ciLabel(input.ciLevel ?? 0.95);
  const plan = planReportSuppression(input);
  const notice = designNotice(input.design);
  const fileNames = chartFileNames(input.outcomes);

  const flow: FlowStepText[] = input.flow.map((step, i) => ({
    label: step.label,
    n: countText(plan, cellIds.flow(i), step.n),
    excluded: (step.excluded ?? []).map((ex, j) => ({
      reason: ex.reason,
      n: countText(plan, cellIds.flowExcluded(i, j), ex.n),
    })),
  }));

  const outcomes: OutcomeText[] = input.outcomes.map((o, k) => {
    const hasEvents = o.groupEstimates.some((g) => g.events !== undefined);
    const groups: GroupRowText[] = o.groupEstimates.map((g, j) => {
      const n = countText(plan, cellIds.groupN(k, j), g.n);
      const events =
        g.events === undefined ? undefined : countText(plan, cellIds.groupEvents(k, j), g.events);
      const hidden = n.status === "primary" || events?.status === "primary";
      return {
        group: g.group,
        measure: g.label,
        n,
        ...(events === undefined ? {} : { events }),
        estimate: hidden ? HIDDEN_ESTIMATE : formatEstimateCi(g.estimate, g.lower, g.upper, g.style),
        estimateHidden: hidden,
      };
    });
    const effects: EffectRowText[] = o.effects.map((e) => ({
      label: e.label,
      estimate: formatEstimateCi(e.estimate, e.lower, e.upper, e.style),
      pValue: e.pValue === undefined ? "" : formatPValue(e.pValue),
      method: e.method,
    }));
    const fileName = fileNames[k];
    let chart: ChartText | undefined;
    if (o.chart !== undefined && fileName !== undefined) {
      const description = chartDescription(o.chart, ci);
      chart = {
        fileName,
        description,
        spec: chartSpec(o.chart, {
          smallCell: plan.policy,
          hiddenValues: plan.complementaryValues,
          description,
        }),
      };
    }
    return {
      id: o.id,
      title: o.title,
      ...(o.sentence === undefined ? {} : { sentence: o.sentence }),
      hasEvents,
      groups,
      effectsHeading: effectsHeading(input.design),
      effects,
      ...(chart === undefined ? {} : { chart }),
    };
  });

  return {
    title: input.title,
    ...(input.subtitle === undefined ? {} : { subtitle: input.subtitle }),
    ...(input.generatedAt === undefined ? {} : { generatedAt: input.generatedAt }),
    designLabel: designLabel(input.design.kind),
    designDescription: input.design.description,
    ...(notice === undefined ? {} : { notice }),
    ...(plan.policy.suppressed
      ? {}
      : {
          suppressionOff: `Small-cell suppression is OFF: counts of 1 to ${formatInteger(plan.policy.threshold)} people are shown. Do not share this report.`,
        }),
    ciLabel: ci,
    flow,
    files: input.dataQuality.files.map((f, i) => ({
      file: f.file,
      read: countText(plan, cellIds.file(i, "read"), f.read),
      accepted: countText(plan, cellIds.file(i, "accepted"), f.accepted),
      rejected: countText(plan, cellIds.file(i, "rejected"), f.rejected),
    })),
    issues: input.dataQuality.issuesByCode.map((issue, i) => ({
      code: issue.code,
      severity: issue.severity,
      count: countText(plan, cellIds.issue(i), issue.count),
      ...(issue.example === undefined ? {} : { example: issue.example }),
    })),
    outcomes,
    methods: input.methods.map((m) => ({ label: m.label, value: m.value })),
    limitations: [...input.limitations],
    manifestJson: JSON.stringify(input.manifest, null, 2) ?? "{}",
    suppressionNote: suppressionFootnote(plan.policy.threshold, plan.policy.suppressed),
    hiddenCells: plan.hidden,
  };
}
