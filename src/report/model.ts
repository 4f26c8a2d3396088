/**
 * The report's content as display strings, built once and rendered by `html.ts` and
 * `markdown.ts` alike, so both show the same numbers with the same suppression.
 */
import type { TopLevelSpec } from "vega-lite";
import {
  chartSpec,
  hiddenPointCount,
  notEstimablePointCount,
  outcomeChartFileNames,
  slugify,
} from "./charts/index.js";
import { hiddenPointsSentence } from "./charts/points.js";
import {
  formatCount,
  formatEstimateCi,
  formatInteger,
  formatNumber,
  formatPercent,
  formatPValue,
  NOT_ESTIMABLE,
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
import type {
  ChartInput,
  ForestChartInput,
  ForestRow,
  IssueSeverity,
  LoveChartInput,
  LoveRow,
  ReportInput,
  SmallCellPolicy,
  SubgroupSection,
} from "./types.js";

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

/** A chart with a title of its own (extra charts, subgroup forest plots, comparability charts). */
export type TitledChartText = ChartText & { readonly title: string };

/** One level of a subgroup section, ready for display. */
export interface SubgroupRowText {
  readonly level: string;
  readonly n: CountText;
  readonly nTreated: CountText;
  readonly nControl: CountText;
  /** "0.31 (0.12 to 0.75)", or the hidden-estimate text. */
  readonly effect: string;
  /** True when one of the level's counts is a small count (so its effect is hidden too). */
  readonly effectHidden: boolean;
}

/** A subgroup section, ready for display: table rows, overall effect, interaction test, forest plot. */
export interface SubgroupText {
  readonly variable: string;
  /** "Subgroups by sex". */
  readonly heading: string;
  readonly effectLabel: string;
  readonly rows: readonly SubgroupRowText[];
  /** The overall effect with its CI, when given. */
  readonly overall?: string;
  /** "Interaction p = 0.31", "Interaction p < 0.001" or "Interaction p: not evaluable". */
  readonly interaction: string;
  readonly interactionMethod: string;
  /** Units without a value of the variable (when more than zero). */
  readonly missing?: CountText;
  /** The forest plot (absent when no level can be drawn). */
  readonly chart?: TitledChartText;
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
  /** Further charts of the outcome, with their titles (shown after the main chart). */
  readonly extraCharts: readonly TitledChartText[];
  readonly subgroups: readonly SubgroupText[];
  readonly notes: readonly string[];
}

/** One arm's cell of a comparability row, ready for display. */
export interface ComparabilityCellText {
  /** The count (level and missing rows before adjustment); absent for numeric rows and after adjustment. */
  readonly count?: CountText;
  /** "(45.6%)", "45.6%", "38.2 (11.0)", or the hidden text. */
  readonly value: string;
  readonly hidden: boolean;
}

export interface ComparabilityRowText {
  readonly covariate: string;
  /** The level, "Missing", or "" for a numeric row (shown as "mean (SD)"). */
  readonly label: string;
  /** True for the first row of its covariate (where the covariate name is shown). */
  readonly first: boolean;
  readonly before: { readonly treated: ComparabilityCellText; readonly control: ComparabilityCellText };
  readonly after: { readonly treated: ComparabilityCellText; readonly control: ComparabilityCellText };
  readonly smdBefore: string;
  readonly smdAfter: string;
  readonly varianceRatio: string;
  /** "Yes", "No" or "—". */
  readonly balanced: string;
  readonly imbalanced: boolean;
}

export interface ComparabilityText {
  readonly title: string;
  readonly sentence: string;
  readonly adjustmentLabel: string;
  readonly arms: {
    readonly treated: {
      readonly label: string;
      readonly n: CountText;
      readonly nAdjusted: CountText;
      readonly ess: string;
    };
    readonly control: {
      readonly label: string;
      readonly n: CountText;
      readonly nAdjusted: CountText;
      readonly ess: string;
    };
  };
  readonly rows: readonly ComparabilityRowText[];
  readonly threshold: string;
  readonly allBalanced: boolean;
  readonly smdNote: string;
  readonly counts: readonly { readonly label: string; readonly n: CountText }[];
  readonly notes: readonly string[];
  readonly charts: readonly TitledChartText[];
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
  readonly comparability?: ComparabilityText;
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

function chartDescription(chart: ChartInput, ci: string, policy: SmallCellPolicy): string {
  switch (chart.kind) {
    case "survival": {
      return (
        `${chart.yLabel} over ${lowerFirst(chart.xLabel)} for ${joinAnd(chart.curves.map((c) => c.group))}, with ${ci} bands; ` +
        "ticks on the curves mark censored follow-up. Numbers at risk are shown beneath the plot."
      );
    }
    case "forest":
      return `${chart.xLabel}: estimates (squares) with ${ci}s (lines); the dashed line marks no difference (${formatNumber(chart.nullValue, chart.nullValue % 1 === 0 ? 0 : 2)}).`;
    case "love":
      return `Love plot: ${lowerFirst(chart.xLabel)} of ${chart.rows.length} characteristic rows before (circles) and after (diamonds) adjustment; the dashed line marks the ${formatNumber(chart.threshold, 2)} balance threshold. Rows whose counts are hidden are left out.`;
    case "estimates": {
      const groups = unique(chart.points.map((p) => p.group));
      const categories = unique(chart.points.flatMap((p) => (p.category === undefined ? [] : [p.category])));
      const side = categories.length > 0 ? `, side by side for ${joinAnd(categories)}` : "";
      return withHidden(
        `${chart.valueLabel}: estimates (points) with ${ci}s (vertical lines) for ${joinAnd(groups)}${side}.`,
        chart.points,
        policy,
      );
    }
    case "trajectory": {
      const groups = unique(chart.points.map((p) => p.group));
      const times = unique([...chart.points].sort((a, b) => a.time - b.time).map((p) => p.timeLabel));
      return withHidden(
        `${chart.yLabel} by ${lowerFirst(chart.xLabel)} for ${joinAnd(groups)}: means (points joined by lines) with ${ci}s (vertical lines) at ${joinAnd(times)}.`,
        chart.points,
        policy,
      );
    }
    case "vegaLite":
      return chart.description;
  }
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/** Appends how many points of a chart are hidden (small numbers) or not estimable. */
function withHidden(
  text: string,
  points: readonly { readonly n: number; readonly estimate: number | null }[],
  policy: SmallCellPolicy,
): string {
  const more = hiddenPointsSentence(
    hiddenPointCount(points, policy),
    policy.threshold,
    notEstimablePointCount(points, policy),
  );
  return more === "" ? text : `${text} ${more}`;
}

/** "Interaction p = 0.31", "Interaction p < 0.001", "Interaction p: not evaluable". */
export function interactionText(p: number | null): string {
  if (p === null || Number.isNaN(p)) return "Interaction p: not evaluable";
  const f = formatPValue(p);
  return f.startsWith("<") || f.startsWith(">")
    ? `Interaction p ${f.charAt(0)} ${f.slice(1)}`
    : `Interaction p = ${f}`;
}

/** Label of the overall row of a subgroup table and forest plot. */
export const OVERALL_LABEL = "Overall";

function subgroupModel(
  section: SubgroupSection,
  k: number,
  s: number,
  plan: SuppressionPlan,
  ci: string,
  fileName: string | undefined,
): SubgroupText {
  const rows: SubgroupRowText[] = [];
  const forestRows: ForestRow[] = [];
  const log = section.nullValue === 1;
  const drawable = (e: number | null, lo: number | null, hi: number | null) =>
    [e, lo, hi].every((v) => v !== null && Number.isFinite(v) && (!log || v > 0));
  let hiddenLevels = 0;
  let notEstimable = 0;
  section.rows.forEach((row, r) => {
    const n = countText(plan, cellIds.subgroupCount(k, s, r, "n"), row.n);
    const nTreated = countText(plan, cellIds.subgroupCount(k, s, r, "treated"), row.nTreated);
    const nControl = countText(plan, cellIds.subgroupCount(k, s, r, "control"), row.nControl);
    const effectHidden = [n, nTreated, nControl].some((c) => c.status === "primary");
    rows.push({
      level: row.level,
      n,
      nTreated,
      nControl,
      effect: effectHidden
        ? HIDDEN_ESTIMATE
        : formatEstimateCi(row.estimate, row.lower, row.upper, section.style),
      effectHidden,
    });
    if (effectHidden) hiddenLevels++;
    else if (!drawable(row.estimate, row.lower, row.upper)) notEstimable++;
    else {
      forestRows.push({
        label: row.level,
        estimate: row.estimate as number,
        lower: row.lower as number,
        upper: row.upper as number,
        n: row.n,
      });
    }
  });
  const o = section.overall;
  if (o !== undefined && drawable(o.estimate, o.lower, o.upper)) {
    forestRows.push({
      label: OVERALL_LABEL,
      estimate: o.estimate as number,
      lower: o.lower as number,
      upper: o.upper as number,
      overall: true,
    });
  }
  const interaction = interactionText(section.interactionP);
  const heading = `Subgroups by ${lowerFirst(section.variable)}`;
  let chart: TitledChartText | undefined;
  if (fileName !== undefined && forestRows.some((r) => r.overall !== true)) {
    const forest: ForestChartInput = {
      kind: "forest",
      xLabel: log ? `${section.effectLabel} (log scale)` : section.effectLabel,
      nullValue: section.nullValue,
      logScale: log,
      rows: forestRows,
      ...(section.style === undefined ? {} : { style: section.style }),
    };
    const plural = (m: number, what: string) =>
      `${m} ${m === 1 ? "level" : "levels"} ${what} ${m === 1 ? "is" : "are"} left out.`;
    const description = [
      `${section.effectLabel} by ${lowerFirst(section.variable)}: the estimate in each level (squares)${o === undefined ? "" : " and overall (diamond)"} with ${ci}s (lines); the dashed line marks no difference (${section.nullValue}).`,
      `${interaction} (${section.interactionMethod}).`,
      hiddenLevels > 0 ? plural(hiddenLevels, "whose counts are hidden (small numbers)") : "",
      notEstimable > 0 ? plural(notEstimable, "without an estimate") : "",
    ]
      .filter((x) => x !== "")
      .join(" ");
    chart = {
      fileName,
      title: `${section.effectLabel} by ${lowerFirst(section.variable)}`,
      description,
      spec: chartSpec(forest, {
        smallCell: plan.policy,
        hiddenValues: plan.complementaryValues,
        description,
        ciLabel: ci,
      }),
    };
  }
  const missing =
    section.nMissing !== undefined && section.nMissing > 0
      ? countText(plan, cellIds.subgroupMissing(k, s), section.nMissing)
      : undefined;
  return {
    variable: section.variable,
    heading,
    effectLabel: section.effectLabel,
    rows,
    ...(o === undefined ? {} : { overall: formatEstimateCi(o.estimate, o.lower, o.upper, section.style) }),
    interaction,
    interactionMethod: section.interactionMethod,
    ...(missing === undefined ? {} : { missing }),
    ...(chart === undefined ? {} : { chart }),
  };
}

/** Hidden text of a comparability value whose count is hidden. */
const HIDDEN_VALUE = "hidden";

function comparabilityModel(
  input: ReportInput,
  plan: SuppressionPlan,
  ci: string,
  usedNames: ReadonlySet<string>,
): ComparabilityText | undefined {
  const c = input.comparability;
  if (c === undefined) return undefined;
  const armText = (arm: "treated" | "control") => {
    const a = c.arms[arm];
    const n = countText(plan, cellIds.comparabilityArm(arm, "before"), a.n);
    const nAdjusted = countText(plan, cellIds.comparabilityArm(arm, "after"), a.nAdjusted);
    return {
      label: a.label,
      n,
      nAdjusted,
      ess: nAdjusted.status === "shown" ? formatNumber(a.ess, 1) : HIDDEN_VALUE,
    };
  };
  const armsText = { treated: armText("treated"), control: armText("control") };
  const smd = (x: number | null) => (x === null ? NOT_ESTIMABLE : formatNumber(x, 3));
  const seen = new Set<string>();
  const loveRows: LoveRow[] = [];
  const rows: ComparabilityRowText[] = c.rows.map((row, r) => {
    const first = !seen.has(row.covariate);
    seen.add(row.covariate);
    const cell = (sample: "before" | "after", arm: "treated" | "control"): ComparabilityCellText => {
      const v = row[sample][arm];
      const status = cellStatus(plan, cellIds.comparabilityCell(r, sample, arm));
      const armStatus = cellStatus(plan, cellIds.comparabilityArm(arm, sample));
      if (row.type === "numeric") {
        // A mean does not reveal a count; it is hidden only when the arm itself is small.
        const hidden = armStatus === "primary";
        return {
          value: hidden ? HIDDEN_VALUE : `${formatNumber(v.mean, 1)} (${formatNumber(v.sd, 1)})`,
          hidden,
        };
      }
      const hidden = status !== "shown";
      if (sample === "before") {
        return {
          count: { text: formatCount(v.n, status, plan.policy.threshold), status },
          value: hidden ? "" : `(${formatPercent(v.proportion ?? null)})`,
          hidden,
        };
      }
      return { value: hidden ? HIDDEN_VALUE : formatPercent(v.proportion ?? null), hidden };
    };
    const before = { treated: cell("before", "treated"), control: cell("before", "control") };
    const after = { treated: cell("after", "treated"), control: cell("after", "control") };
    // With one arm's share shown, a level's SMD would give the other arm's hidden count away.
    const smdHidden =
      row.type !== "numeric" &&
      [before.treated, before.control, after.treated, after.control].some((x) => x.hidden);
    if (!smdHidden) {
      loveRows.push({
        label: row.type === "numeric" ? row.covariate : `${row.covariate}: ${row.level ?? ""}`,
        before: row.smdBefore,
        after: row.smdAfter,
      });
    }
    return {
      covariate: row.covariate,
      label: row.type === "numeric" ? "" : (row.level ?? ""),
      first,
      before,
      after,
      smdBefore: smdHidden ? HIDDEN_VALUE : smd(row.smdBefore),
      smdAfter: smdHidden ? HIDDEN_VALUE : smd(row.smdAfter),
      varianceRatio:
        row.varianceRatioAfter === undefined || row.varianceRatioAfter === null
          ? ""
          : formatNumber(row.varianceRatioAfter, 2),
      balanced: row.balanced === null ? NOT_ESTIMABLE : row.balanced ? "Yes" : "No",
      imbalanced: row.balanced === false,
    };
  });
  const love: LoveChartInput = {
    kind: "love",
    xLabel: "Absolute standardized mean difference",
    threshold: c.threshold,
    rows: loveRows,
  };
  const all = [
    { id: "love-plot", title: "Balance before and after adjustment (Love plot)", chart: love as ChartInput },
    ...c.charts,
  ];
  const used = new Set(usedNames);
  const charts = all.map((x) => {
    let fileName = `comparability-${slugify(x.id)}`;
    for (let k = 2; used.has(fileName); k++) fileName = `comparability-${slugify(x.id)}-${k}`;
    used.add(fileName);
    const description = chartDescription(x.chart, ci, plan.policy);
    return {
      fileName,
      title: x.title,
      description,
      spec: chartSpec(x.chart, {
        smallCell: plan.policy,
        hiddenValues: plan.complementaryValues,
        description,
        ciLabel: ci,
      }),
    };
  });
  return {
    title: c.title,
    sentence: c.sentence,
    adjustmentLabel: c.adjustmentLabel,
    arms: armsText,
    rows,
    threshold: formatNumber(c.threshold, 2),
    allBalanced: c.allBalanced,
    smdNote: c.smdNote,
    counts: c.counts.map((x, k) => ({
      label: x.label,
      n: countText(plan, cellIds.comparabilityCount(k), x.n),
    })),
    notes: [...c.notes],
    charts,
  };
}

/**
 * Every chart of a report model, in page order: the comparability charts, then per outcome its main
 * chart, its extra charts and its subgroup forest plots. The folder writer saves each as
 * charts/<fileName>.svg and .png.
 */
export function reportCharts(model: ReportModel): ChartText[] {
  return [
    ...(model.comparability?.charts ?? []),
    ...model.outcomes.flatMap((o) => [
      ...(o.chart === undefined ? [] : [o.chart]),
      ...o.extraCharts,
      ...o.subgroups.flatMap((s) => (s.chart === undefined ? [] : [s.chart])),
    ]),
  ];
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
  const fileNames = outcomeChartFileNames(input.outcomes);
  const makeChart = (chart: ChartInput, fileName: string): ChartText => {
    const description = chartDescription(chart, ci, plan.policy);
    return {
      fileName,
      description,
      spec: chartSpec(chart, {
        smallCell: plan.policy,
        hiddenValues: plan.complementaryValues,
        description,
        ciLabel: ci,
      }),
    };
  };

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
    const names = fileNames[k];
    const fileName = names?.main;
    const chart = o.chart !== undefined && fileName !== undefined ? makeChart(o.chart, fileName) : undefined;
    const extraCharts: TitledChartText[] = (o.extraCharts ?? []).flatMap((x, i) => {
      const name = names?.extra[i];
      return name === undefined ? [] : [{ ...makeChart(x.chart, name), title: x.title }];
    });
    const subgroups = (o.subgroups ?? []).map((section, s) =>
      subgroupModel(section, k, s, plan, ci, names?.subgroups[s]),
    );
    return {
      id: o.id,
      title: o.title,
      ...(o.sentence === undefined ? {} : { sentence: o.sentence }),
      hasEvents,
      groups,
      effectsHeading: effectsHeading(input.design),
      effects,
      ...(chart === undefined ? {} : { chart }),
      extraCharts,
      subgroups,
      notes: [...(o.notes ?? [])],
    };
  });

  const comparability = comparabilityModel(
    input,
    plan,
    ci,
    new Set(
      fileNames.flatMap((f) => [...(f.main === undefined ? [] : [f.main]), ...f.extra, ...f.subgroups]),
    ),
  );

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
    ...(comparability === undefined ? {} : { comparability }),
    outcomes,
    methods: input.methods.map((m) => ({ label: m.label, value: m.value })),
    limitations: [...input.limitations],
    manifestJson: JSON.stringify(input.manifest, null, 2) ?? "{}",
    suppressionNote: suppressionFootnote(plan.policy.threshold, plan.policy.suppressed),
    hiddenCells: plan.hidden,
  };
}
