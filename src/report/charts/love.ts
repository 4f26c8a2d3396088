/** Love plot: absolute standardized mean differences before and after adjustment, one row per covariate level. */
import type { TopLevelSpec } from "vega-lite";
import { InvalidInputError } from "../../stats/errors.js";
import type { LoveChartInput } from "../types.js";
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from "./theme.js";

export interface LoveChartOptions {
  /** Width of the plot area in pixels (default 420). */
  readonly width?: number;
  readonly description?: string;
}

const SAMPLES = ["Before adjustment", "After adjustment"] as const;

/**
 * Vega-Lite spec of a Love plot (Ahmed et al. 2006; cobalt `love.plot(abs = TRUE)`): per row the
 * absolute SMD before (orange circle) and after adjustment (green diamond), rows in input order, and a
 * dashed rule at the balance threshold. Rows with a null value show only the other point.
 * @throws InvalidInputError on a non-finite SMD or a non-positive threshold.
 */
export function loveChartSpec(chart: LoveChartInput, options: LoveChartOptions = {}): TopLevelSpec {
  if (!(chart.threshold > 0)) throw new InvalidInputError("loveChartSpec", "threshold must be positive");
  const values: { row: string; sample: string; smd: number }[] = [];
  let max = chart.threshold;
  for (const r of chart.rows) {
    for (const [sample, v] of [
      [SAMPLES[0], r.before],
      [SAMPLES[1], r.after],
    ] as const) {
      if (v === null) continue;
      if (!Number.isFinite(v))
        throw new InvalidInputError("loveChartSpec", `row "${r.label}": non-finite SMD`);
      values.push({ row: r.label, sample, smd: Math.abs(v) });
      max = Math.max(max, Math.abs(v));
    }
  }
  const order = chart.rows.map((r) => r.label);
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description === undefined ? {} : { description: options.description }),
    config: CHART_CONFIG,
    width: options.width ?? 420,
    height: { step: 16 },
    layer: [
      {
        data: { values: [{ x: chart.threshold }] },
        mark: { type: "rule", strokeDash: [4, 3], color: "#777777" },
        encoding: { x: { field: "x", type: "quantitative" } },
      },
      {
        data: { values },
        mark: { type: "point", filled: true, size: 60, opacity: 0.9 },
        encoding: {
          y: { field: "row", type: "nominal", sort: order, title: null, axis: { labelLimit: 320 } },
          x: {
            field: "smd",
            type: "quantitative",
            title: chart.xLabel,
            scale: { domain: [0, Math.ceil(max * 20) / 20], nice: false },
          },
          color: {
            field: "sample",
            type: "nominal",
            scale: { domain: [...SAMPLES], range: ["#D55E00", "#009E73"] },
            title: null,
            legend: { orient: "top" },
          },
          shape: {
            field: "sample",
            type: "nominal",
            scale: { domain: [...SAMPLES], range: ["circle", "diamond"] },
            title: null,
          },
          tooltip: [
            { field: "row", type: "nominal", title: "Characteristic" },
            { field: "sample", type: "nominal", title: "Sample" },
            { field: "smd", type: "quantitative", title: "|SMD|", format: ".3f" },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
