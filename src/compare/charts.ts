/**
 * Vega-Lite specifications for comparison-group diagnostics and results: Love plot, propensity-score
 * overlap (mirrored histogram), forest plot and event-study plot. Data are aggregates only.
 */
import type { TopLevelSpec } from "vega-lite";
import { InvalidInputError } from "../stats/errors.js";
import type { BalanceResult } from "./balance.js";
import type { DidResult } from "./did.js";
import type { SubgroupResult } from "./subgroups.js";
import { readTreat, requireLength } from "./util.js";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

export interface LovePlotOptions {
  /** Which SMD to plot (default "cobalt": binary covariates as raw differences in proportions). */
  readonly convention?: "cobalt" | "matchit";
  /** Plot |SMD| (default true). */
  readonly absolute?: boolean;
  readonly title?: string;
}

/**
 * Love plot (Ahmed et al. 2006; cobalt `love.plot`): one row per covariate, the SMD before and after
 * adjustment, reference lines at the balance threshold. Covariates keep the table's order.
 */
export function lovePlotSpec(balance: BalanceResult, options: LovePlotOptions = {}): TopLevelSpec {
  const conv = options.convention ?? "cobalt";
  const abs = options.absolute ?? true;
  const th = balance.summary.threshold;
  const values: { covariate: string; sample: string; smd: number }[] = [];
  for (const r of balance.rows) {
    const u = conv === "cobalt" ? r.unadjusted.smdCobalt : r.unadjusted.smdMatchIt;
    if (u !== null) values.push({ covariate: r.name, sample: "Unadjusted", smd: abs ? Math.abs(u) : u });
    const a = r.adjusted ? (conv === "cobalt" ? r.adjusted.smdCobalt : r.adjusted.smdMatchIt) : null;
    if (a !== null) values.push({ covariate: r.name, sample: "Adjusted", smd: abs ? Math.abs(a) : a });
  }
  const rules = abs ? [{ x: th }] : [{ x: -th }, { x: th }, { x: 0 }];
  const label = `${abs ? "Absolute s" : "S"}tandardised mean difference (${conv === "cobalt" ? "binary: raw difference" : "binary standardised"})`;
  return {
    $schema: SCHEMA,
    title: options.title ?? "Covariate balance",
    description: `Love plot: ${label}; threshold ${th}`,
    width: 360,
    height: { step: 18 },
    layer: [
      {
        data: { values: rules },
        mark: { type: "rule", strokeDash: [4, 3], color: "#888" },
        encoding: { x: { field: "x", type: "quantitative" } },
      },
      {
        data: { values },
        mark: { type: "point", filled: true, size: 60 },
        encoding: {
          y: { field: "covariate", type: "nominal", sort: balance.rows.map((r) => r.name), title: null },
          x: { field: "smd", type: "quantitative", title: label },
          color: {
            field: "sample",
            type: "nominal",
            scale: { domain: ["Unadjusted", "Adjusted"], range: ["#d95f02", "#1b9e77"] },
            title: "Sample",
          },
          shape: {
            field: "sample",
            type: "nominal",
            scale: { domain: ["Unadjusted", "Adjusted"] },
            title: "Sample",
          },
          tooltip: [
            { field: "covariate", type: "nominal" },
            { field: "sample", type: "nominal" },
            { field: "smd", type: "quantitative", format: ".3f" },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}

export interface OverlapPlotOptions {
  /** Number of equal-width bins on [0, 1] (default 20). */
  readonly bins?: number;
  /** Weights: bar heights become Σ weights (suppression still uses the unweighted count). */
  readonly weights?: ArrayLike<number>;
  /** Cells of 1 to suppressBelow − 1 people are suppressed (default 11, the report rule; 0 = off). */
  readonly suppressBelow?: number;
  readonly title?: string;
}

/**
 * Propensity-score overlap: mirrored histogram of the score by arm (treated above the axis, comparison
 * below), from binned counts only. Bins with 1–10 people are suppressed by default (privacy rule) and
 * marked in the data (`suppressed: true`, height 0).
 */
export function overlapPlotSpec(
  input: { readonly treat: ArrayLike<number | boolean>; readonly ps: ArrayLike<number> },
  options: OverlapPlotOptions = {},
): TopLevelSpec {
  const fn = "overlapPlotSpec";
  const t = readTreat(fn, input.treat);
  const n = t.length;
  requireLength(fn, "ps", input.ps, n);
  requireLength(fn, "weights", options.weights, n);
  const k = options.bins ?? 20;
  if (!(Number.isInteger(k) && k >= 2 && k <= 200))
    throw new InvalidInputError(fn, "bins must be a whole number in [2, 200]");
  const sup = options.suppressBelow ?? 11;
  const count = new Float64Array(2 * k);
  const mass = new Float64Array(2 * k);
  for (let i = 0; i < n; i++) {
    const p = input.ps[i] as number;
    if (!(p >= 0 && p <= 1)) throw new InvalidInputError(fn, `ps at row ${i} is not a probability`);
    const b = Math.min(Math.floor(p * k), k - 1);
    const j = t[i]! * k + b;
    count[j]!++;
    mass[j] = mass[j]! + (options.weights ? (options.weights[i] as number) : 1);
  }
  const values: {
    lower: number;
    upper: number;
    arm: string;
    height: number;
    count: number | null;
    suppressed: boolean;
  }[] = [];
  let nSuppressed = 0;
  for (let arm = 0; arm < 2; arm++) {
    for (let b = 0; b < k; b++) {
      const c = count[arm * k + b]!;
      if (c === 0) continue;
      const suppressed = sup > 0 && c < sup;
      if (suppressed) nSuppressed++;
      const h = suppressed ? 0 : mass[arm * k + b]!;
      values.push({
        lower: b / k,
        upper: (b + 1) / k,
        arm: arm === 1 ? "Program (treated)" : "Comparison",
        height: arm === 1 || h === 0 ? h : -h,
        count: suppressed ? null : c,
        suppressed,
      });
    }
  }
  const yTitle = options.weights
    ? "Sum of weights (comparison below the axis)"
    : "Units (comparison below the axis)";
  return {
    $schema: SCHEMA,
    title: options.title ?? "Propensity-score overlap",
    description: `Mirrored histogram of the propensity score by arm, ${k} bins${nSuppressed > 0 ? `; ${nSuppressed} bin(s) with 1–${sup - 1} people suppressed` : ""}`,
    width: 420,
    height: 260,
    data: { values },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
        encoding: {
          x: { field: "lower", type: "quantitative", title: "Propensity score", scale: { domain: [0, 1] } },
          x2: { field: "upper" },
          y: { field: "height", type: "quantitative", title: yTitle },
          y2: { datum: 0 },
          color: {
            field: "arm",
            type: "nominal",
            scale: { domain: ["Program (treated)", "Comparison"], range: ["#1b9e77", "#7570b3"] },
            title: "Arm",
          },
          tooltip: [
            { field: "arm", type: "nominal" },
            { field: "lower", type: "quantitative", title: "from" },
            { field: "upper", type: "quantitative", title: "to" },
            { field: "count", type: "quantitative", title: "units (blank = suppressed)" },
          ],
        },
      },
      { mark: { type: "rule", color: "#333" }, encoding: { y: { datum: 0 } } },
    ],
  } as TopLevelSpec;
}

/** One row of a forest plot. */
export interface ForestRow {
  readonly label: string;
  readonly estimate: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly n?: number;
}

/**
 * Forest plot: point estimates with CI bars per row and a reference line at the null (log scale for
 * ratios). Accepts rows, or a `subgroupEffects` result (its relative contrasts, or absolute ones with
 * `contrast: "absolute"`), whose interaction p-value goes into the subtitle.
 */
export function forestPlotSpec(
  source: readonly ForestRow[] | SubgroupResult,
  options: {
    readonly contrast?: "relative" | "absolute";
    readonly title?: string;
    readonly xTitle?: string;
  } = {},
): TopLevelSpec {
  const contrast = options.contrast ?? "relative";
  let rows: ForestRow[];
  let subtitle: string | undefined;
  let measureName = contrast === "relative" ? "Ratio" : "Difference";
  let logScale = contrast === "relative";
  if (Array.isArray(source)) rows = [...(source as readonly ForestRow[])];
  else {
    const s = source as SubgroupResult;
    rows = s.levels.map((l) => {
      const e = l.effect ? (contrast === "relative" ? l.effect.relative : l.effect.absolute) : null;
      if (e) {
        measureName = e.measure;
        if (e.nullValue === 0) logScale = false;
      }
      return {
        label: `${s.name} = ${l.level}`,
        estimate: e?.estimate ?? null,
        lower: e?.ci.lower ?? null,
        upper: e?.ci.upper ?? null,
        n: l.n,
      };
    });
    const p = s.interaction.pValue;
    subtitle =
      p === null
        ? "Interaction test not evaluable"
        : `Interaction (${s.scale} scale): p = ${p < 0.001 ? "< 0.001" : p.toFixed(3)}`;
  }
  const nullValue = logScale ? 1 : 0;
  const values = rows
    .filter((r) => r.estimate !== null && (!logScale || r.estimate > 0))
    .map((r) => ({
      label: r.label,
      estimate: r.estimate,
      lower: r.lower ?? r.estimate,
      upper: r.upper ?? r.estimate,
      n: r.n ?? null,
    }));
  const order = rows.map((r) => r.label);
  return {
    $schema: SCHEMA,
    title: subtitle
      ? { text: options.title ?? "Effect by subgroup", subtitle }
      : (options.title ?? "Effect by subgroup"),
    width: 360,
    height: { step: 24 },
    layer: [
      {
        data: { values: [{ x: nullValue }] },
        mark: { type: "rule", strokeDash: [4, 3], color: "#888" },
        encoding: { x: { field: "x", type: "quantitative" } },
      },
      {
        data: { values },
        layer: [
          {
            mark: { type: "rule" },
            encoding: {
              y: { field: "label", type: "nominal", sort: order, title: null },
              x: {
                field: "lower",
                type: "quantitative",
                scale: logScale ? { type: "log" } : { zero: false },
                title: options.xTitle ?? `${measureName} (95% CI)`,
              },
              x2: { field: "upper" },
            },
          },
          {
            mark: { type: "point", filled: true, size: 70, shape: "square" },
            encoding: {
              y: { field: "label", type: "nominal", sort: order },
              x: { field: "estimate", type: "quantitative" },
              tooltip: [
                { field: "label", type: "nominal" },
                { field: "estimate", type: "quantitative", format: ".3f" },
                { field: "lower", type: "quantitative", format: ".3f" },
                { field: "upper", type: "quantitative", format: ".3f" },
                { field: "n", type: "quantitative" },
              ],
            },
          },
        ],
      },
    ],
  } as TopLevelSpec;
}

/** Event-study plot: group × period coefficients with CIs, a line at 0 and a break before period 0. */
export function eventStudySpec(
  did: DidResult,
  options: { readonly title?: string; readonly yTitle?: string } = {},
): TopLevelSpec {
  if (!did.eventStudy) throw new InvalidInputError("eventStudySpec", "the result has no event study");
  const values = did.eventStudy
    .filter((p) => p.estimate !== null)
    .map((p) => ({
      period: p.period,
      estimate: p.estimate,
      lower: p.lower ?? p.estimate,
      upper: p.upper ?? p.estimate,
      reference: p.reference,
    }));
  return {
    $schema: SCHEMA,
    title: options.title ?? "Event study",
    width: 420,
    height: 240,
    layer: [
      {
        data: { values: [{ y: 0 }] },
        mark: { type: "rule", color: "#888" },
        encoding: { y: { field: "y", type: "quantitative" } },
      },
      {
        data: { values: [{ x: -0.5 }] },
        mark: { type: "rule", strokeDash: [4, 3], color: "#888" },
        encoding: { x: { field: "x", type: "quantitative" } },
      },
      {
        data: { values },
        layer: [
          {
            mark: { type: "rule" },
            encoding: {
              x: { field: "period", type: "quantitative", title: "Period relative to program start" },
              y: {
                field: "lower",
                type: "quantitative",
                title: options.yTitle ?? "Difference vs reference period (95% CI)",
              },
              y2: { field: "upper" },
            },
          },
          {
            mark: { type: "point", filled: true, size: 60 },
            encoding: {
              x: { field: "period", type: "quantitative" },
              y: { field: "estimate", type: "quantitative" },
              shape: { field: "reference", type: "nominal", title: "Reference period" },
            },
          },
        ],
      },
    ],
  } as TopLevelSpec;
}
