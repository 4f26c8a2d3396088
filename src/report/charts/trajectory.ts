/**
 * Means over assessment times by group (e.g. recovery capital at intake, 3, 6 and 12 months):
 * points joined by lines, with a vertical confidence-interval bar at each point.
 */
import type { TopLevelSpec } from "vega-lite";
import { formatValue } from "../format.js";
import { DEFAULT_SMALL_CELL_POLICY } from "../suppress.js";
import type { TrajectoryChartInput } from "../types.js";
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

/** Options of the chart (default width: 640 pixels). */
export type TrajectoryChartOptions = PointChartOptions;

interface TrajectoryRow {
  group: string;
  time: number;
  /** Position on the x axis: the time, moved a little per group so that intervals do not overlap. */
  x: number;
  timeLabel: string;
  estimate: number;
  lower: number | null;
  upper: number | null;
  estimateText: string;
  ci: string;
  n: string;
}

/** A Vega expression that maps an axis tick value to its time label (`labels` in time order). */
function timeLabelExpr(labels: ReadonlyMap<number, string>): string {
  let expr = "''";
  const entries = [...labels].reverse();
  for (const [time, label] of entries) expr = `datum.value === ${time} ? ${JSON.stringify(label)} : ${expr}`;
  return expr;
}

/**
 * Vega-Lite spec of a trajectory: per group, the mean at each assessment time (filled circle), the
 * means joined by a line in time order, and a vertical rule from the lower to the upper confidence
 * bound; groups coloured with the report palette (legend on top) and moved apart by about 1% of the
 * time span so that their intervals do not overlap. The x axis is proportional to `time` with one
 * tick per assessment time, labelled with its `timeLabel`. Tooltips give the group, time label,
 * estimate, interval and n.
 * Small cells: a point whose n is from 1 to the threshold is not drawn (no estimate, interval or n in
 * the spec's data; the line joins its neighbours), and the description says how many were hidden.
 * Reference layout: a mean-profile plot (e.g. R `ggplot2` with `geom_line`, `geom_pointrange`).
 */
export function trajectoryChartSpec(
  chart: TrajectoryChartInput,
  options: TrajectoryChartOptions = {},
): TopLevelSpec {
  const policy = options.smallCell ?? DEFAULT_SMALL_CELL_POLICY;
  const groups: string[] = [];
  const labels = new Map<number, string>();
  for (const p of chart.points) {
    if (!groups.includes(p.group)) groups.push(p.group);
    if (Number.isFinite(p.time) && !labels.has(p.time)) labels.set(p.time, p.timeLabel);
  }
  const times = [...labels.keys()].sort((a, b) => a - b);
  const sortedLabels = new Map(times.map((t) => [t, labels.get(t) ?? ""] as const));
  const tMin = times[0] ?? 0;
  const tMax = times[times.length - 1] ?? 1;
  const span = tMax - tMin > 0 ? tMax - tMin : 1;
  const step = groups.length > 1 ? span * 0.012 : 0;

  const rows: TrajectoryRow[] = [];
  for (const p of chart.points) {
    const n = pointCountText(p.n, policy, options.hiddenValues);
    const estimate = finiteOrNull(p.estimate);
    if (n === undefined || estimate === null || !Number.isFinite(p.time)) continue;
    const lower = finiteOrNull(p.lower);
    const upper = finiteOrNull(p.upper);
    const g = groups.indexOf(p.group);
    rows.push({
      group: p.group,
      time: p.time,
      x: p.time + step * (g - (groups.length - 1) / 2),
      timeLabel: p.timeLabel,
      estimate,
      lower,
      upper,
      estimateText: formatValue(estimate, chart.style),
      ci: ciText(lower, upper, chart.style),
      n,
    });
  }
  rows.sort((a, b) => groups.indexOf(a.group) - groups.indexOf(b.group) || a.time - b.time);
  const intervals = rows.filter((r) => r.lower !== null && r.upper !== null);

  const description =
    options.description ??
    [
      `${chart.yLabel} by ${chart.xLabel.toLowerCase()}: means (points joined by lines) with confidence intervals for ${groups.join(", ")}.`,
      hiddenPointsSentence(
        hiddenPointCount(chart.points, policy),
        policy.threshold,
        notEstimablePointCount(chart.points, policy),
      ),
    ]
      .filter((s) => s !== "")
      .join(" ");

  const color = {
    field: "group",
    type: "nominal" as const,
    scale: { domain: groups, range: groupColorRange(groups) },
    legend: { title: null, orient: "top" as const, direction: "horizontal" as const, symbolType: "circle" },
  };
  const pad = span * 0.06;
  const x = {
    field: "x",
    type: "quantitative" as const,
    scale: { domain: [tMin - pad, tMax + pad], nice: false, zero: false },
    axis: { title: chart.xLabel, values: times, labelExpr: timeLabelExpr(sortedLabels), grid: false },
  };
  const yScale = { zero: false, nice: true };
  const yAxis = { title: chart.yLabel, tickCount: 6, ...valueAxisFormat(chart.style) };
  const tooltip = [
    { field: "group", type: "nominal" as const, title: "Group" },
    { field: "timeLabel", type: "nominal" as const, title: "Time" },
    { field: "estimateText", type: "nominal" as const, title: "Estimate" },
    { field: "ci", type: "nominal" as const, title: options.ciLabel ?? "95% CI" },
    { field: "n", type: "nominal" as const, title: "n" },
  ];

  return {
    $schema: VEGA_LITE_SCHEMA,
    description,
    config: CHART_CONFIG,
    datasets: { means: rows, intervals },
    width: options.width ?? 640,
    height: options.height ?? 300,
    layer: [
      {
        data: { name: "means" },
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x,
          y: { field: "estimate", type: "quantitative", scale: yScale, axis: yAxis },
          color,
          order: { field: "time", type: "quantitative" },
        },
      },
      {
        data: { name: "intervals" },
        mark: { type: "rule", strokeWidth: 1.5 },
        encoding: {
          x,
          y: { field: "lower", type: "quantitative", scale: yScale, axis: yAxis },
          y2: { field: "upper" },
          color,
          tooltip,
        },
      },
      {
        data: { name: "means" },
        mark: { type: "point", shape: "circle", filled: true, size: 60, opacity: 1 },
        encoding: {
          x,
          y: { field: "estimate", type: "quantitative", scale: yScale, axis: yAxis },
          color,
          tooltip,
        },
      },
    ],
  } as TopLevelSpec;
}
