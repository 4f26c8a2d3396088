/**
 * Group estimates with confidence intervals (rates, proportions, means): a point per group with a
 * vertical error bar, grouped side by side within each category (e.g. "Before"/"After", or days).
 */
import type { TopLevelSpec } from "vega-lite";
import { formatValue } from "../format.js";
import { DEFAULT_SMALL_CELL_POLICY } from "../suppress.js";
import type { EstimatesChartInput } from "../types.js";
import {
  ciText,
  finiteOrNull,
  hiddenPointCount,
  hiddenPointsSentence,
  notEstimablePointCount,
  type PointChartOptions,
  pointCountText,
  valueAxisFormat,
} from "./points.js";
import { CHART_CONFIG, groupColorRange, VEGA_LITE_SCHEMA } from "./theme.js";

/** Options of the chart (default width: from the number of points, 240 to 720 pixels). */
export type EstimatesChartOptions = PointChartOptions;

/** Category given to points without one when other points of the chart have one. */
export const OVERALL_CATEGORY = "Overall";

interface EstimateRow {
  group: string;
  category: string;
  estimate: number;
  lower: number | null;
  upper: number | null;
  estimateText: string;
  ci: string;
  n: string;
}

/**
 * Vega-Lite spec of group estimates with confidence intervals: a filled circle at each group's
 * estimate and a vertical rule from the lower to the upper bound, coloured by group (report palette).
 * With categories, the categories run along the x axis and the groups sit side by side within each
 * (`xOffset`), with a legend on top; without, the groups run along the x axis. The value axis starts
 * at zero unless `zero: false`, and is labelled in % for `style: percent` (".0%") and in pp for
 * percentage points. Tooltips give the group, category, estimate, interval and n.
 * Small cells: a point whose n is from 1 to the threshold is not drawn (no estimate, interval or n in
 * the spec's data), and the description says how many were hidden.
 * Reference layout: a dot-and-whisker plot (e.g. R `ggplot2::geom_pointrange` with `position_dodge`).
 */
export function estimatesChartSpec(
  chart: EstimatesChartInput,
  options: EstimatesChartOptions = {},
): TopLevelSpec {
  const policy = options.smallCell ?? DEFAULT_SMALL_CELL_POLICY;
  const hasCategories = chart.points.some((p) => p.category !== undefined);
  const groups: string[] = [];
  const categories: string[] = [];
  for (const p of chart.points) {
    if (!groups.includes(p.group)) groups.push(p.group);
    const c = p.category ?? OVERALL_CATEGORY;
    if (hasCategories && !categories.includes(c)) categories.push(c);
  }

  const rows: EstimateRow[] = [];
  for (const p of chart.points) {
    const n = pointCountText(p.n, policy, options.hiddenValues);
    const estimate = finiteOrNull(p.estimate);
    if (n === undefined || estimate === null) continue;
    const lower = finiteOrNull(p.lower);
    const upper = finiteOrNull(p.upper);
    rows.push({
      group: p.group,
      category: hasCategories ? (p.category ?? OVERALL_CATEGORY) : "",
      estimate,
      lower,
      upper,
      estimateText: formatValue(estimate, chart.style),
      ci: ciText(lower, upper, chart.style),
      n,
    });
  }
  const intervals = rows.filter((r) => r.lower !== null && r.upper !== null);

  const description =
    options.description ??
    [
      `${chart.valueLabel}: estimates (points) with confidence intervals (lines) for ${groups.join(", ")}.`,
      hiddenPointsSentence(
        hiddenPointCount(chart.points, policy),
        policy.threshold,
        notEstimablePointCount(chart.points, policy),
      ),
    ]
      .filter((s) => s !== "")
      .join(" ");

  const slots = hasCategories ? categories.length * Math.max(2, groups.length) : groups.length;
  const width = options.width ?? Math.min(720, Math.max(260, hasCategories ? slots * 56 + 40 : slots * 170));
  const color = {
    field: "group",
    type: "nominal" as const,
    scale: { domain: groups, range: groupColorRange(groups) },
    legend: hasCategories
      ? { title: null, orient: "top" as const, direction: "horizontal" as const, symbolType: "circle" }
      : null,
  };
  const x = hasCategories
    ? {
        field: "category",
        type: "nominal" as const,
        scale: { domain: categories, paddingInner: 0.25, paddingOuter: 0.15 },
        axis: { title: null, labelAngle: 0, labelLimit: 200, ticks: false, domain: true },
      }
    : {
        field: "group",
        type: "nominal" as const,
        scale: { domain: groups, paddingInner: 0.4, paddingOuter: 0.2 },
        axis: { title: null, labelAngle: 0, labelLimit: 240, ticks: false, domain: true },
      };
  const xOffset = hasCategories
    ? { xOffset: { field: "group", type: "nominal" as const, scale: { domain: groups, paddingOuter: 0.3 } } }
    : {};
  const yScale = { zero: chart.zero ?? true, nice: true };
  const yAxis = { title: chart.valueLabel, tickCount: 6, ...valueAxisFormat(chart.style) };
  const ciTitle = options.ciLabel ?? "95% CI";
  const tooltip = [
    { field: "group", type: "nominal" as const, title: "Group" },
    ...(hasCategories ? [{ field: "category", type: "nominal" as const, title: "Category" }] : []),
    { field: "estimateText", type: "nominal" as const, title: "Estimate" },
    { field: "ci", type: "nominal" as const, title: ciTitle },
    { field: "n", type: "nominal" as const, title: "n" },
  ];

  return {
    $schema: VEGA_LITE_SCHEMA,
    description,
    config: CHART_CONFIG,
    datasets: { estimates: rows, intervals },
    width,
    height: options.height ?? 300,
    layer: [
      {
        data: { name: "intervals" },
        mark: { type: "rule", strokeWidth: 2 },
        encoding: {
          x,
          ...xOffset,
          y: {
            field: "lower",
            type: "quantitative",
            scale: yScale,
            axis: yAxis,
          },
          y2: { field: "upper" },
          color,
          tooltip,
        },
      },
      {
        data: { name: "estimates" },
        mark: { type: "point", shape: "circle", filled: true, size: 80, opacity: 1 },
        encoding: {
          x,
          ...xOffset,
          y: { field: "estimate", type: "quantitative", scale: yScale, axis: yAxis },
          color,
          tooltip,
        },
      },
    ],
  } as TopLevelSpec;
}
