/** Forest plot of effect estimates with confidence intervals and a line at no difference. */
import type { TopLevelSpec } from "vega-lite";
import { InvalidInputError } from "../../stats/errors.js";
import { formatValue } from "../format.js";
import { DEFAULT_SMALL_CELL_POLICY } from "../suppress.js";
import type { ForestChartInput, SmallCellPolicy } from "../types.js";
import { ciText, pointCountText, valueAxisFormat } from "./points.js";
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from "./theme.js";

/** Tick values for a log-scale ratio axis. */
const LOG_TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

export interface ForestChartOptions {
  /** Width of the plot area in pixels (default 560). */
  readonly width?: number;
  readonly description?: string;
  /** Small-cell policy for the rows' n (default: 1–10 hidden). */
  readonly smallCell?: SmallCellPolicy;
  /** Numbers hidden by complementary suppression elsewhere in the report: their n shows as "†". */
  readonly hiddenValues?: ReadonlySet<number>;
  /** Title of the interval in tooltips when the chart has a `style` (default "95% CI"). */
  readonly ciLabel?: string;
}

/**
 * Vega-Lite spec of a forest plot: one row per estimate (in input order), a horizontal rule from
 * the lower to the upper confidence bound, a square at the estimate, and a dashed vertical rule
 * at the null value (1 for ratios, on a log scale when `logScale`; 0 for differences). Rows marked
 * `overall` are drawn as a larger diamond. With a `style`, the axis and tooltips show values in it
 * (percentage points: "5 pp"). A row's `n`, when given, is shown in its tooltip; a row
 * whose n is from 1 to the small-cell threshold is not drawn (and its n never enters the spec).
 * Reference layout: R `forestplot` / `meta::forest`.
 * @throws InvalidInputError on non-finite values, or non-positive values on a log scale.
 */
export function forestChartSpec(chart: ForestChartInput, options: ForestChartOptions = {}): TopLevelSpec {
  const policy = options.smallCell ?? DEFAULT_SMALL_CELL_POLICY;
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
  const withN = chart.rows.some((r) => r.n !== undefined);
  const drawn = chart.rows.filter(
    (r) => r.n === undefined || pointCountText(r.n, policy, options.hiddenValues) !== undefined,
  );
  const labels = drawn.map((r) => r.label);
  const rows = drawn.map((r) => ({
    label: r.label,
    estimate: r.estimate,
    lower: r.lower,
    upper: r.upper,
    ...(chart.style === undefined
      ? {}
      : { estimateText: formatValue(r.estimate, chart.style), ci: ciText(r.lower, r.upper, chart.style) }),
    ...(withN
      ? { n: r.n === undefined ? "" : (pointCountText(r.n, policy, options.hiddenValues) ?? "") }
      : {}),
  }));
  const levelRows = rows.filter((_, i) => drawn[i]?.overall !== true);
  const overallRows = rows.filter((_, i) => drawn[i]?.overall === true);
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
    axis: {
      title: chart.xLabel,
      ...(axisValues === undefined ? {} : { values: axisValues }),
      ...valueAxisFormat(chart.style),
    },
  };
  const y = {
    field: "label",
    type: "nominal" as const,
    scale: { domain: labels },
    axis: { title: null, labelLimit: 260 },
  };
  const tooltip =
    chart.style === undefined
      ? [
          { field: "label", type: "nominal" as const, title: "Comparison" },
          { field: "estimate", type: "quantitative" as const, format: ".3f", title: "Estimate" },
          { field: "lower", type: "quantitative" as const, format: ".3f", title: "Lower" },
          { field: "upper", type: "quantitative" as const, format: ".3f", title: "Upper" },
        ]
      : [
          { field: "label", type: "nominal" as const, title: "Comparison" },
          { field: "estimateText", type: "nominal" as const, title: "Estimate" },
          { field: "ci", type: "nominal" as const, title: options.ciLabel ?? "95% CI" },
        ];
  const nTooltip = withN ? [{ field: "n", type: "nominal" as const, title: "n" }] : [];
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
        data: { values: levelRows },
        mark: { type: "point", shape: "square", filled: true, size: 80, color: "#0072B2", opacity: 1 },
        encoding: { x: { ...x, field: "estimate" }, y, tooltip: [...tooltip, ...nTooltip] },
      },
      ...(overallRows.length === 0
        ? []
        : [
            {
              data: { values: overallRows },
              mark: {
                type: "point" as const,
                shape: "diamond",
                filled: true,
                size: 180,
                color: "#1d1d1f",
                opacity: 1,
              },
              encoding: { x: { ...x, field: "estimate" }, y, tooltip },
            },
          ]),
    ],
  };
}
