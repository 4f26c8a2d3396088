/** Vega-Lite chart builders of the report, and the dispatcher from a `ChartInput` to its spec. */
import type { TopLevelSpec } from "vega-lite";
import type { ChartInput, OutcomeSection, SmallCellPolicy } from "../types.js";
import { estimatesChartSpec } from "./estimates.js";
import { forestChartSpec } from "./forest.js";
import { loveChartSpec } from "./love.js";
import { survivalChartSpec } from "./survival.js";
import { trajectoryChartSpec } from "./trajectory.js";

export type { EstimatesChartOptions } from "./estimates.js";
export { estimatesChartSpec, OVERALL_CATEGORY } from "./estimates.js";
export type { ForestChartOptions } from "./forest.js";
export { forestChartSpec } from "./forest.js";
export type { LoveChartOptions } from "./love.js";
export { loveChartSpec } from "./love.js";
export { hiddenPointCount, notEstimablePointCount, pointCountText } from "./points.js";
export type { SurvivalChartOptions } from "./survival.js";
export { stepValueAt, survivalChartSpec } from "./survival.js";
export { CHART_CONFIG, GROUP_COLORS, groupColorRange, VEGA_LITE_SCHEMA } from "./theme.js";
export type { TrajectoryChartOptions } from "./trajectory.js";
export { trajectoryChartSpec } from "./trajectory.js";

export interface ChartSpecOptions {
  readonly smallCell?: SmallCellPolicy;
  /** Numbers hidden by complementary suppression elsewhere in the report. */
  readonly hiddenValues?: ReadonlySet<number>;
  readonly description?: string;
  /** Title of confidence intervals in tooltips, e.g. "95% CI" (estimates and trajectories). */
  readonly ciLabel?: string;
}

/** Builds the Vega-Lite spec of any implemented chart kind. */
export function chartSpec(chart: ChartInput, options: ChartSpecOptions = {}): TopLevelSpec {
  const description = options.description === undefined ? {} : { description: options.description };
  const suppression = {
    ...(options.smallCell === undefined ? {} : { smallCell: options.smallCell }),
    ...(options.hiddenValues === undefined ? {} : { hiddenValues: options.hiddenValues }),
  };
  const ci = options.ciLabel === undefined ? {} : { ciLabel: options.ciLabel };
  switch (chart.kind) {
    case "survival":
      return survivalChartSpec(chart, { ...description, ...suppression });
    case "forest":
      return forestChartSpec(chart, { ...description, ...suppression, ...ci });
    case "estimates":
      return estimatesChartSpec(chart, { ...description, ...suppression, ...ci });
    case "trajectory":
      return trajectoryChartSpec(chart, { ...description, ...suppression, ...ci });
    case "love":
      return loveChartSpec(chart, description);
    case "vegaLite":
      // Built elsewhere; its data already obey the small-cell policy (`suppressed: true`).
      return {
        ...(chart.spec as unknown as TopLevelSpec),
        description: options.description ?? chart.description,
      } as TopLevelSpec;
  }
}

/** A file-name-safe slug: lower-case letters, digits and "-", never empty. */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return slug === "" ? "chart" : slug;
}

/** File base names (without extension) of one outcome's charts. */
export interface OutcomeChartFileNames {
  /** The outcome's chart (undefined when it has none). */
  readonly main?: string;
  /** One per `extraCharts` entry: "<outcome>-<extra id>". */
  readonly extra: readonly string[];
  /** One per subgroup section (its forest plot): "<outcome>-subgroup-<variable>". */
  readonly subgroups: readonly string[];
}

function claim(used: Set<string>, base: string): string {
  let name = base;
  for (let k = 2; used.has(name); k++) name = `${base}-${k}`;
  used.add(name);
  return name;
}

/**
 * File base names (without extension) of every chart of the outcomes, unique within the report:
 * first every outcome's main chart (the outcome id as a slug), then per outcome its extra charts
 * ("<outcome>-<extra id>") and its subgroup forest plots ("<outcome>-subgroup-<variable>"), each
 * with "-2", "-3", … appended on a clash. Names are given to every subgroup section, whether or not
 * its forest plot ends up drawn, so that names do not depend on suppression. HTML, Markdown and the
 * folder writer all use these names; `reserved` names (none by default) are never given out.
 */
export function outcomeChartFileNames(
  outcomes: readonly OutcomeSection[],
  reserved: Iterable<string> = [],
): OutcomeChartFileNames[] {
  const used = new Set<string>(reserved);
  const main = outcomes.map((o) => (o.chart === undefined ? undefined : claim(used, slugify(o.id))));
  return outcomes.map((o, k) => {
    const base = slugify(o.id);
    const extra = (o.extraCharts ?? []).map((x) => claim(used, `${base}-${slugify(x.id)}`));
    const subgroups = (o.subgroups ?? []).map((s) => claim(used, `${base}-subgroup-${slugify(s.variable)}`));
    const m = main[k];
    return { ...(m === undefined ? {} : { main: m }), extra, subgroups };
  });
}

/**
 * File base names (without extension) of the outcomes' main charts, aligned with `outcomes`
 * (undefined for an outcome without a chart), unique within the report: the outcome id as a slug,
 * with "-2", "-3", … appended on a clash. The main charts' names of `outcomeChartFileNames`.
 */
export function chartFileNames(outcomes: readonly OutcomeSection[]): (string | undefined)[] {
  return outcomeChartFileNames(outcomes).map((x) => x.main);
}
