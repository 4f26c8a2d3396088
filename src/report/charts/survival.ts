/**
 * Kaplan–Meier (survival) and cumulative-incidence chart with a numbers-at-risk table beneath it,
 * in the layout of the usual published figure (e.g. R `survminer::ggsurvplot(risk.table = TRUE)`).
 */
import type { TopLevelSpec } from "vega-lite";
import { InvalidInputError } from "../../stats/errors.js";
import { formatCount } from "../format.js";
import { DEFAULT_SMALL_CELL_POLICY, isSmallCount } from "../suppress.js";
import type { SmallCellPolicy, SurvivalChartInput, SurvivalCurve } from "../types.js";
import { CHART_CONFIG, groupColorRange, VEGA_LITE_SCHEMA } from "./theme.js";

export interface SurvivalChartOptions {
  /** Width of the plot area in pixels (default 720). */
  readonly width?: number;
  /** Height of the plot area in pixels (default 300). */
  readonly height?: number;
  /** Small-cell policy for the numbers at risk (default: 1–10 hidden). */
  readonly smallCell?: SmallCellPolicy;
  /** Numbers hidden by complementary suppression elsewhere in the report: shown as "†" here too. */
  readonly hiddenValues?: ReadonlySet<number>;
  /** Accessible description (becomes the SVG's aria description). */
  readonly description?: string;
}

interface CurveRow {
  group: string;
  time: number;
  estimate: number;
  lower: number | null;
  upper: number | null;
}

/** Value of a right-continuous step function (jump times ascending) at time t; NaN before the first jump. */
export function stepValueAt(times: readonly number[], values: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] ?? Number.POSITIVE_INFINITY) <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found < 0 ? Number.NaN : (values[found] ?? Number.NaN);
}

function finiteOrNull(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

function checkCurve(c: SurvivalCurve): void {
  const n = c.time.length;
  if (c.estimate.length !== n || c.lower.length !== n || c.upper.length !== n) {
    throw new InvalidInputError(
      "survivalChartSpec",
      `curve "${c.group}": time, estimate, lower and upper must have the same length`,
    );
  }
  for (let i = 0; i < n; i++) {
    const t = c.time[i] ?? Number.NaN;
    if (!Number.isFinite(t) || !Number.isFinite(c.estimate[i] ?? Number.NaN)) {
      throw new InvalidInputError(
        "survivalChartSpec",
        `curve "${c.group}": time and estimate must be finite (index ${i})`,
      );
    }
    if (i > 0 && t < (c.time[i - 1] ?? Number.NEGATIVE_INFINITY)) {
      throw new InvalidInputError("survivalChartSpec", `curve "${c.group}": times must be ascending`);
    }
  }
}

/** Rounds an upper axis limit up to a tenth, within (0, 1]. */
function probabilityAxisMax(max: number): number {
  if (!Number.isFinite(max) || max <= 0) return 1;
  return Math.min(1, Math.ceil(max * 10 - 1e-9) / 10);
}

/**
 * Vega-Lite spec of a Kaplan–Meier survival or cumulative-incidence chart: step-after lines per
 * group, a pointwise confidence band (step-after area at low opacity), vertical ticks at
 * censoring times on the curve, a legend by group, and a numbers-at-risk table beneath the plot
 * on the same x scale (its columns sit under the x-axis ticks). Numbers at risk from 1 to the
 * small-cell threshold are shown as "≤threshold".
 * Each curve is drawn up to its last censoring time when that is later than its last jump.
 * Reference layout: R `survminer::ggsurvplot(fit, conf.int = TRUE, risk.table = TRUE)`.
 * @throws InvalidInputError when a curve's arrays differ in length, hold non-finite values or times descend.
 */
export function survivalChartSpec(
  chart: SurvivalChartInput,
  options: SurvivalChartOptions = {},
): TopLevelSpec {
  const policy = options.smallCell ?? DEFAULT_SMALL_CELL_POLICY;
  const width = options.width ?? 720;
  const height = options.height ?? 300;

  const groups: string[] = [];
  for (const c of chart.curves) if (!groups.includes(c.group)) groups.push(c.group);
  for (const r of chart.atRisk) if (!groups.includes(r.group)) groups.push(r.group);

  const curveRows: CurveRow[] = [];
  const censorRows: { group: string; time: number; estimate: number }[] = [];
  let xMax = 0;
  let yMax = 0;
  for (const c of chart.curves) {
    checkCurve(c);
    const n = c.time.length;
    for (let i = 0; i < n; i++) {
      const row: CurveRow = {
        group: c.group,
        time: c.time[i] ?? 0,
        estimate: c.estimate[i] ?? 0,
        lower: finiteOrNull(c.lower[i]),
        upper: finiteOrNull(c.upper[i]),
      };
      curveRows.push(row);
      xMax = Math.max(xMax, row.time);
      yMax = Math.max(yMax, row.estimate, row.upper ?? 0);
    }
    let lastCensor = Number.NEGATIVE_INFINITY;
    for (const t of c.censorTimes) {
      if (!Number.isFinite(t)) continue;
      const y = stepValueAt(c.time, c.estimate, t);
      if (Number.isNaN(y)) continue;
      censorRows.push({ group: c.group, time: t, estimate: y });
      lastCensor = Math.max(lastCensor, t);
      xMax = Math.max(xMax, t);
    }
    const lastTime = c.time[n - 1];
    if (n > 0 && lastTime !== undefined && lastCensor > lastTime) {
      curveRows.push({
        group: c.group,
        time: lastCensor,
        estimate: c.estimate[n - 1] ?? 0,
        lower: finiteOrNull(c.lower[n - 1]),
        upper: finiteOrNull(c.upper[n - 1]),
      });
    }
  }

  const atRiskRows: { group: string; time: number; nRisk: string }[] = [];
  const atRiskTimes: number[] = [];
  for (const r of chart.atRisk) {
    if (r.time.length !== r.nRisk.length) {
      throw new InvalidInputError("survivalChartSpec", `numbers at risk of "${r.group}": lengths differ`);
    }
    r.time.forEach((t, i) => {
      const n = r.nRisk[i] ?? 0;
      atRiskRows.push({
        group: r.group,
        time: t,
        nRisk: formatCount(
          n,
          isSmallCount(n, policy)
            ? "primary"
            : policy.suppressed && options.hiddenValues?.has(n)
              ? "complementary"
              : "shown",
          policy.threshold,
        ),
      });
      if (!atRiskTimes.includes(t)) atRiskTimes.push(t);
      xMax = Math.max(xMax, t);
    });
  }
  atRiskTimes.sort((a, b) => a - b);

  const survival = chart.yLabel === "Survival";
  const yDomainMax = survival ? 1 : probabilityAxisMax(yMax);
  const xScale = { domain: [0, xMax > 0 ? xMax : 1], nice: false, zero: true };
  const xAxisValues = atRiskTimes.length > 0 ? { values: atRiskTimes } : {};
  const color = {
    field: "group",
    type: "nominal" as const,
    scale: { domain: groups, range: groupColorRange(groups) },
    legend: {
      title: null,
      orient: "top" as const,
      direction: "horizontal" as const,
      symbolType: "stroke",
      symbolOpacity: 1,
      symbolStrokeWidth: 3,
    },
  };
  const x = {
    field: "time",
    type: "quantitative" as const,
    scale: xScale,
    axis: { title: chart.xLabel, ...xAxisValues, grid: false },
  };
  const yScale = { domain: [0, yDomainMax], nice: false };

  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description === undefined ? {} : { description: options.description }),
    config: CHART_CONFIG,
    datasets: { curves: curveRows, censored: censorRows, atRisk: atRiskRows },
    vconcat: [
      {
        width,
        height,
        layer: [
          {
            data: { name: "curves" },
            mark: { type: "area", interpolate: "step-after", opacity: 0.15 },
            encoding: {
              x,
              y: {
                field: "lower",
                type: "quantitative",
                scale: yScale,
                axis: { title: chart.yLabel, format: ".0%", tickCount: 5 },
              },
              y2: { field: "upper" },
              color,
            },
          },
          {
            data: { name: "curves" },
            mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
            encoding: {
              x,
              y: { field: "estimate", type: "quantitative", scale: yScale },
              color,
            },
          },
          {
            data: { name: "censored" },
            mark: { type: "tick", orient: "vertical", size: 7, thickness: 1 },
            encoding: {
              x,
              y: { field: "estimate", type: "quantitative", scale: yScale },
              color,
            },
          },
        ],
      },
      {
        width,
        height: Math.max(1, groups.length) * 20,
        title: { text: "Number at risk", fontSize: 13, anchor: "start", offset: 4 },
        data: { name: "atRisk" },
        mark: { type: "text", fontSize: 13, baseline: "middle" },
        encoding: {
          x: { field: "time", type: "quantitative", scale: xScale, axis: null },
          y: {
            field: "group",
            type: "nominal",
            scale: { domain: groups },
            axis: {
              title: null,
              domain: false,
              ticks: false,
              labelFontSize: 13,
              labelPadding: 28,
              labelLimit: 260,
            },
          },
          text: { field: "nRisk", type: "nominal" },
          color,
        },
      },
    ],
    resolve: { scale: { x: "shared", color: "shared" } },
    spacing: 24,
  };
  return spec;
}
