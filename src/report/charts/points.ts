/**
 * Small-cell handling shared by the chart builders whose points rest on a count (estimates,
 * trajectories, forest rows with n): a point whose n is hidden by primary suppression is not drawn at
 * all, and no n of 1 to the threshold ever reaches a spec's data.
 */
import { formatCount, formatValue } from "../format.js";
import { isSmallCount } from "../suppress.js";
import type { SmallCellPolicy, ValueStyle } from "../types.js";

/**
 * The n of a drawn point as display text ("412", or "†" when the same number is hidden by
 * complementary suppression elsewhere in the report), or undefined when the point must not be drawn
 * (1 ≤ n ≤ threshold with suppression on).
 */
export function pointCountText(
  n: number,
  policy: SmallCellPolicy,
  hiddenValues?: ReadonlySet<number>,
): string | undefined {
  if (isSmallCount(n, policy)) return undefined;
  const complementary = policy.suppressed && hiddenValues?.has(n) === true;
  return formatCount(n, complementary ? "complementary" : "shown", policy.threshold);
}

/** Number of points hidden because their n is from 1 to the threshold. */
export function hiddenPointCount(points: readonly { readonly n: number }[], policy: SmallCellPolicy): number {
  let k = 0;
  for (const p of points) if (isSmallCount(p.n, policy)) k++;
  return k;
}

/** Number of points that could not be estimated (null estimate) among those not hidden. */
export function notEstimablePointCount(
  points: readonly { readonly n: number; readonly estimate: number | null }[],
  policy: SmallCellPolicy,
): number {
  let k = 0;
  for (const p of points)
    if (!isSmallCount(p.n, policy) && (p.estimate === null || !Number.isFinite(p.estimate))) k++;
  return k;
}

/** A finite number or null. */
export function finiteOrNull(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}

/** "19.3% to 27.5%" (or "" when neither bound is known), in the report's number format. */
export function ciText(lower: number | null, upper: number | null, style?: ValueStyle): string {
  if (lower === null && upper === null) return "";
  return `${formatValue(lower, style)} to ${formatValue(upper, style)}`;
}

/** "1 point based on 1 to 10 people is not shown (small numbers)." or "" when none is hidden. */
export function hiddenPointsSentence(hidden: number, threshold: number, notEstimable = 0): string {
  const parts: string[] = [];
  if (hidden > 0) {
    parts.push(
      `${hidden} ${hidden === 1 ? "point" : "points"} based on 1 to ${threshold} people ${hidden === 1 ? "is" : "are"} not shown (small numbers).`,
    );
  }
  if (notEstimable > 0) {
    parts.push(
      `${notEstimable} ${notEstimable === 1 ? "point" : "points"} could not be estimated and ${notEstimable === 1 ? "is" : "are"} not shown.`,
    );
  }
  return parts.join(" ");
}

/**
 * Vega-Lite axis settings for a value axis in a display style: percent → ".0%" labels;
 * percentage points → "5 pp" labels (a label expression); otherwise plain numbers.
 */
export function valueAxisFormat(style?: ValueStyle): Record<string, unknown> {
  switch (style?.kind) {
    case "percent":
      return { format: ".0%" };
    case "percentagePoints":
      return { labelExpr: "format(datum.value * 100, '.2~f') + ' pp'" };
    default:
      return {};
  }
}

/** Options shared by the point charts (estimates, trajectory). */
export interface PointChartOptions {
  /** Width of the plot area in pixels (default: set by each chart). */
  readonly width?: number;
  /** Height of the plot area in pixels (default 300). */
  readonly height?: number;
  /** Small-cell policy for the points' n (default: 1–10 hidden). */
  readonly smallCell?: SmallCellPolicy;
  /** Numbers hidden by complementary suppression elsewhere in the report: their n shows as "†". */
  readonly hiddenValues?: ReadonlySet<number>;
  /** Accessible description (becomes the SVG's aria description); default: a generated one. */
  readonly description?: string;
  /** Title of the interval in tooltips (default "95% CI"). */
  readonly ciLabel?: string;
}
