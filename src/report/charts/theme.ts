/** Shared look of every chart: colour-blind-safe palette (Okabe–Ito) and a plain, readable config. */
import type { Config } from "vega-lite";

/** Okabe & Ito (2008) colour-blind-safe palette, most distinguishable colours first. */
export const GROUP_COLORS: readonly string[] = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#000000",
  "#F0E442",
];

/** The `$schema` every spec carries (vega-embed reads the version from it; nothing is fetched). */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Chart config: sans-serif text, no view border, readable axis and legend sizes. */
export const CHART_CONFIG: Config = {
  font: "sans-serif",
  view: { stroke: null },
  axis: {
    labelFontSize: 13,
    titleFontSize: 14,
    titleFontWeight: "normal",
    labelColor: "#333333",
    titleColor: "#222222",
    gridColor: "#e6e6e6",
  },
  legend: { labelFontSize: 13, titleFontSize: 13, symbolStrokeWidth: 3, labelLimit: 320 },
  title: { fontSize: 14, fontWeight: "normal", anchor: "start", color: "#222222" },
};

/** Colour range for the given groups, in order (cycles after eight groups). */
export function groupColorRange(groups: readonly string[]): string[] {
  return groups.map((_, i) => GROUP_COLORS[i % GROUP_COLORS.length] ?? "#000000");
}
