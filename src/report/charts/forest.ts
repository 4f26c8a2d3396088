/** Forest plot of effect estimates with confidence intervals and a line at no difference. */
import type { TopLevelSpec } from "vega-lite";
import { InvalidInputError } from "../../stats/errors.js";
import type { ForestChartInput } from "../types.js";
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from "./theme.js";

/** Tick values for a log-scale ratio axis. */
const LOG_TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

export interface ForestChartOptions {
  /** Width of the plot area in pixels (default 560). */
  readonly width?: number;
  readonly description?: string;
}

/**
 * Vega-Lite spec of a forest plot: one row per estimate (in input order), a horizontal rule from
 * the lower to the upper confidence bound, a square at the estimate, and a dashed vertical rule
 * at the null value (1 for ratios, on a log scale when `logScale`; 0 for differences).
 * Reference layout: R `forestplot` / `meta::forest`.
 * @throws InvalidInputError on non-finite values, or non-positive values on a log scale.
 */
export function forestChartSpec(chart: ForestChartInput, options: ForestChartOptions = {}): TopLevelSpec {
  const labels = chart.rows.map((r) => r.label);
  for (const r of chart.rows) {
    for (const v of [r.estimate, r.lower, r.upper]) {
      if (!Number.isFinite(v))
        throw new InvalidInputError("forestChartSpec", `row "${r.label}": non-finite value`);
      if (chart.logScale && v <= 0) {
        throw new InvalidInputError(
          "forestChartSpec",
          `row "${r.label}": values must be positive on a log scale`,
        );
      }
    }
  }
  const rows = chart.rows.map((r) => ({
    label: r.label,
    estimate: r.estimate,
    lower: r.lower,
    upper: r.upper,
  }));
  let lo = chart.nullValue;
  let hi = chart.nullValue;
  for (const r of rows) {
    lo = Math.min(lo, r.lower, r.estimate);
    hi = Math.max(hi, r.upper, r.estimate);
  }
  let domain: [number, number];
  let axisValues: number[] | undefined;
  if (chart.logScale) {
    domain = [lo / 1.2, hi * 1.2];
    axisValues = LOG_TICKS.filter((t) => t >= domain[0] && t <= domain[1]);
  } else {
    const pad = (hi - lo || 1) * 0.05;
    domain = [lo - pad, hi + pad];
  }
  const xScale = chart.logScale
    ? { type: "log" as const, domain, nice: false }
    : { domain, nice: false, zero: false };
  const x = {
    type: "quantitative" as const,
    scale: xScale,
    axis: { title: chart.xLabel, ...(axisValues === undefined ? {} : { values: axisValues }) },
  };
  const y = {
    field: "label",
    type: "nominal" as const,
    scale: { domain: labels },
    axis: { title: null, labelLimit: 260 },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description === undefined ? {} : { description: options.description }),
    config: CHART_CONFIG,
    width: options.width ?? 560,
    height: Math.max(1, rows.length) * 34,
    layer: [
      {
        data: { values: [{ nullValue: chart.nullValue }] },
        mark: { type: "rule", strokeDash: [4, 4], color: "#777777" },
        encoding: { x: { ...x, field: "nullValue" } },
      },
      {
        data: { values: rows },
        mark: { type: "rule", strokeWidth: 2, color: "#0072B2" },
        encoding: { x: { ...x, field: "lower" }, x2: { field: "upper" }, y },
      },
      {
        data: { values: rows },
        mark: { type: "point", shape: "square", filled: true, size: 80, color: "#0072B2", opacity: 1 },
        encoding: {
          x: { ...x, field: "estimate" },
          y,
          tooltip: [
            { field: "label", type: "nominal", title: "Comparison" },
            { field: "estimate", type: "quantitative", format: ".3f", title: "Estimate" },
            { field: "lower", type: "quantitative", format: ".3f", title: "Lower" },
            { field: "upper", type: "quantitative", format: ".3f", title: "Upper" },
          ],
        },
      },
    ],
  };
}
