/** Vega-Lite chart builders of the report, and the dispatcher from a `ChartInput` to its spec. */
import type { TopLevelSpec } from "vega-lite";
import type { ChartInput, OutcomeSection, SmallCellPolicy } from "../types.js";
import { forestChartSpec } from "./forest.js";
import { loveChartSpec } from "./love.js";
import { survivalChartSpec } from "./survival.js";

export type { ForestChartOptions } from "./forest.js";
export { forestChartSpec } from "./forest.js";
export type { LoveChartOptions } from "./love.js";
export { loveChartSpec } from "./love.js";
export type { SurvivalChartOptions } from "./survival.js";
export { stepValueAt, survivalChartSpec } from "./survival.js";
export { CHART_CONFIG, GROUP_COLORS, groupColorRange, VEGA_LITE_SCHEMA } from "./theme.js";

export interface ChartSpecOptions {
  readonly smallCell?: SmallCellPolicy;
  /** Numbers hidden by complementary suppression elsewhere in the report. */
  readonly hiddenValues?: ReadonlySet<number>;
  readonly description?: string;
}

/** Builds the Vega-Lite spec of any implemented chart kind. */
export function chartSpec(chart: ChartInput, options: ChartSpecOptions = {}): TopLevelSpec {
  const description = options.description === undefined ? {} : { description: options.description };
  switch (chart.kind) {
    case "survival":
      return survivalChartSpec(chart, {
        ...description,
        ...(options.smallCell === undefined ? {} : { smallCell: options.smallCell }),
        ...(options.hiddenValues === undefined ? {} : { hiddenValues: options.hiddenValues }),
      });
    case "forest":
      return forestChartSpec(chart, description);
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

/**
 * File base names (without extension) of the charts of a report, aligned with `outcomes`
 * (undefined for an outcome without a chart),
 * unique within the report: the outcome id as a slug, with "-2", "-3", … appended on a clash.
 * HTML, Markdown and the folder writer all use these names.
 */
export function chartFileNames(outcomes: readonly OutcomeSection[]): (string | undefined)[] {
  const used = new Set<string>();
  return outcomes.map((o) => {
    if (o.chart === undefined) return undefined;
    const base = slugify(o.id);
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}-${k}`;
    used.add(name);
    return name;
  });
}
