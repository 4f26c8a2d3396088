// Outcome charts beyond survival curves: group estimates with CIs, trajectories over time, forest
// rows with n and an overall diamond, and the file names of every chart of a report. Expected values
// are worked out by hand from the small inputs below (suppression rule: n from 1 to 10 hidden).
import { describe, expect, it } from "vitest";
import {
  estimatesChartSpec,
  forestChartSpec,
  GROUP_COLORS,
  outcomeChartFileNames,
  trajectoryChartSpec,
} from "../../src/report/charts/index.js";
import { compileChart, specToSvg } from "../../src/report/svg.js";
import type {
  EstimatesChartInput,
  ForestChartInput,
  OutcomeSection,
  TrajectoryChartInput,
} from "../../src/report/types.js";

// biome-ignore lint/suspicious/noExplicitAny: the spec is inspected as plain JSON.
type Json = any;

const ESTIMATES: EstimatesChartInput = {
  kind: "estimates",
  valueLabel: "Retained in treatment",
  style: { kind: "percent" },
  points: [
    { group: "Peer", category: "Day 90", n: 50, estimate: 0.2, lower: 0.1, upper: 0.3 },
    { group: "Usual", category: "Day 90", n: 40, estimate: 0.25, lower: 0.15, upper: 0.35 },
    { group: "Peer", category: "Day 180", n: 45, estimate: 0.3, lower: 0.2, upper: 0.4 },
    // n = 7: hidden (not drawn at all)
    { group: "Usual", category: "Day 180", n: 7, estimate: 0.57, lower: 0.18, upper: 0.9 },
  ],
};

const TRAJECTORY: TrajectoryChartInput = {
  kind: "trajectory",
  xLabel: "Months since intake",
  yLabel: "Mean BARC-10",
  points: [
    { group: "Peer", time: 0, timeLabel: "Intake", n: 60, estimate: 38, lower: 36, upper: 40 },
    { group: "Peer", time: 6, timeLabel: "6 months", n: 50, estimate: 41, lower: 39, upper: 43 },
    { group: "Peer", time: 12, timeLabel: "12 months", n: 44, estimate: 42, lower: 40, upper: 44 },
    { group: "Usual", time: 0, timeLabel: "Intake", n: 58, estimate: 37.5, lower: 35.5, upper: 39.5 },
    // n = 5: hidden
    { group: "Usual", time: 6, timeLabel: "6 months", n: 5, estimate: 33.3, lower: 28.1, upper: 38.5 },
    { group: "Usual", time: 12, timeLabel: "12 months", n: 41, estimate: 40, lower: 38, upper: 42 },
  ],
};

/** aria-labels of the drawn points (vega gives each symbol its tooltip text as aria-label). */
function pointLabels(svg: string): string[] {
  return [
    ...svg.matchAll(/<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="point"/g),
  ].map((m) => m[1] ?? "");
}

describe("estimatesChartSpec", () => {
  const spec: Json = estimatesChartSpec(ESTIMATES);

  it("leaves a point with n from 1 to 10 out entirely: no estimate, interval or n in the data", () => {
    const rows = spec.datasets.estimates;
    expect(rows.map((r: Json) => [r.group, r.category])).toEqual([
      ["Peer", "Day 90"],
      ["Usual", "Day 90"],
      ["Peer", "Day 180"],
    ]);
    const data = JSON.stringify(spec.datasets);
    expect(data).not.toContain("0.57");
    expect(data).not.toContain("0.18");
    expect(data).not.toContain("0.9");
    expect(data).not.toMatch(/"n":"?7"?[,}]/);
    expect(rows.map((r: Json) => r.n)).toEqual(["50", "40", "45"]);
    expect(spec.datasets.intervals).toHaveLength(3);
    expect(spec.description).toContain("1 point based on 1 to 10 people is not shown (small numbers).");
  });

  it("formats values per style: a percent axis and percent tooltips", () => {
    const [rule, point] = spec.layer;
    expect(rule.encoding.y.axis.format).toBe(".0%");
    expect(rule.encoding.y.axis.title).toBe("Retained in treatment");
    expect(rule.encoding.y.scale.zero).toBe(true);
    expect(rule.encoding.y.field).toBe("lower");
    expect(rule.encoding.y2.field).toBe("upper");
    expect(point.mark.type).toBe("point");
    expect(spec.datasets.estimates[0]).toMatchObject({ estimateText: "20.0%", ci: "10.0% to 30.0%" });
    expect(point.encoding.tooltip.map((t: Json) => t.title)).toEqual([
      "Group",
      "Category",
      "Estimate",
      "95% CI",
      "n",
    ]);
  });

  it("puts the categories on the x axis and the groups side by side (xOffset), coloured by group", () => {
    const point = spec.layer[1];
    expect(point.encoding.x.field).toBe("category");
    expect(point.encoding.x.scale.domain).toEqual(["Day 90", "Day 180"]);
    expect(point.encoding.xOffset.field).toBe("group");
    // the hidden point keeps its group's slot and colour
    expect(point.encoding.color.scale.domain).toEqual(["Peer", "Usual"]);
    expect(point.encoding.color.scale.range).toEqual([GROUP_COLORS[0], GROUP_COLORS[1]]);
    expect(point.encoding.color.legend.orient).toBe("top");
  });

  it("compiles cleanly and renders 3 points and 3 intervals headlessly", async () => {
    expect(compileChart(spec).warnings).toEqual([]);
    const svg = await specToSvg(spec);
    const labels = pointLabels(svg);
    expect(labels).toHaveLength(3);
    expect(labels[0]).toContain("95% CI: 10.0% to 30.0%; n: 50");
    expect(svg.match(/aria-roledescription="rule mark"/g)).toHaveLength(3);
    expect(svg).toContain(">40%</text>");
    expect(svg).toContain(">Day 180</text>");
  });

  it("shows the point when suppression is off, and marks an n hidden elsewhere with †", () => {
    const off: Json = estimatesChartSpec(ESTIMATES, { smallCell: { threshold: 10, suppressed: false } });
    expect(off.datasets.estimates).toHaveLength(4);
    expect(off.datasets.estimates[3].n).toBe("7");
    expect(off.description).not.toContain("not shown");
    const linked: Json = estimatesChartSpec(ESTIMATES, { hiddenValues: new Set([45]) });
    expect(linked.datasets.estimates[2].n).toBe("†");
    const t5: Json = estimatesChartSpec(ESTIMATES, { smallCell: { threshold: 5, suppressed: true } });
    expect(t5.datasets.estimates).toHaveLength(4);
  });

  it("percentage points: the axis labels read 'pp'", async () => {
    const pp: Json = estimatesChartSpec({
      ...ESTIMATES,
      valueLabel: "Change",
      style: { kind: "percentagePoints" },
      zero: false,
    });
    expect(pp.layer[0].encoding.y.axis.labelExpr).toContain("' pp'");
    expect(pp.layer[0].encoding.y.scale.zero).toBe(false);
    expect(pp.datasets.estimates[0].estimateText).toBe("20.0 pp");
    const svg = await specToSvg(pp);
    expect(svg).toMatch(/>\d+ pp<\/text>/);
  });

  it("without categories: the groups along the x axis, no legend, no xOffset", () => {
    const single: Json = estimatesChartSpec({
      kind: "estimates",
      valueLabel: "Mean change",
      points: [
        { group: "Peer", n: 96, estimate: 4.1, lower: 2.9, upper: 5.3 },
        { group: "Usual", n: 88, estimate: 2.2, lower: 1, upper: 3.4 },
        { group: "Third", n: 30, estimate: null, lower: null, upper: null },
      ],
    });
    const point = single.layer[1];
    expect(point.encoding.x.field).toBe("group");
    expect(point.encoding.xOffset).toBeUndefined();
    expect(point.encoding.color.legend).toBeNull();
    expect(point.encoding.tooltip.map((t: Json) => t.title)).not.toContain("Category");
    expect(single.datasets.estimates.map((r: Json) => r.estimateText)).toEqual(["4.10", "2.20"]);
    expect(single.description).toContain("1 point could not be estimated");
    expect(compileChart(single).warnings).toEqual([]);
  });
});

describe("trajectoryChartSpec", () => {
  const spec: Json = trajectoryChartSpec(TRAJECTORY);

  it("leaves the small point out, keeps the others in time order per group", () => {
    const rows = spec.datasets.means;
    expect(rows.map((r: Json) => `${r.group}@${r.time}`)).toEqual([
      "Peer@0",
      "Peer@6",
      "Peer@12",
      "Usual@0",
      "Usual@12",
    ]);
    const data = JSON.stringify(spec.datasets);
    expect(data).not.toContain("33.3");
    expect(data).not.toContain("28.1");
    expect(data).not.toMatch(/"n":"?5"?[,}]/);
    expect(spec.description).toContain("1 point based on 1 to 10 people is not shown");
  });

  it("moves the groups apart by 1.2% of the time span (12 months → ±0.072)", () => {
    const x = spec.datasets.means.map((r: Json) => r.x);
    const expected = [-0.072, 5.928, 11.928, 0.072, 12.072];
    x.forEach((v: number, i: number) => {
      expect(v).toBeCloseTo(expected[i] as number, 12);
    });
  });

  it("labels the time axis with the time labels at the assessment times", async () => {
    const line = spec.layer[0];
    expect(line.mark.type).toBe("line");
    expect(line.encoding.order.field).toBe("time");
    expect(line.encoding.x.axis.values).toEqual([0, 6, 12]);
    expect(line.encoding.x.axis.title).toBe("Months since intake");
    expect(line.encoding.y.scale.zero).toBe(false);
    expect(spec.layer[1].encoding.y2.field).toBe("upper");
    expect(compileChart(spec).warnings).toEqual([]);
    const svg = await specToSvg(spec);
    for (const label of ["Intake", "6 months", "12 months"]) expect(svg).toContain(`>${label}</text>`);
    const labels = pointLabels(svg);
    expect(labels).toHaveLength(5);
    expect(labels[0]).toContain("Time: Intake; Estimate: 38.00; 95% CI: 36.00 to 40.00; n: 60");
    expect(svg.match(/aria-roledescription="line mark"/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
  });

  it("escapes time labels inside the axis label expression", async () => {
    const tricky: Json = trajectoryChartSpec({
      ...TRAJECTORY,
      points: TRAJECTORY.points.map((p) => ({
        ...p,
        timeLabel: p.time === 0 ? `Intake "it's" \\ ok` : p.timeLabel,
      })),
    });
    expect(compileChart(tricky).warnings).toEqual([]);
    const svg = await specToSvg(tricky);
    // vega writes the label as is (quotes and backslash survive the expression)
    expect(svg).toContain(`>Intake "it's" \\`);
  });
});

describe("forestChartSpec with n and an overall row", () => {
  const chart: ForestChartInput = {
    kind: "forest",
    xLabel: "Risk difference",
    nullValue: 0,
    style: { kind: "percentagePoints" },
    rows: [
      { label: "Female", estimate: 0.15, lower: -0.02, upper: 0.32, n: 120 },
      { label: "Small level", estimate: 0.36, lower: -0.12, upper: 0.84, n: 8 },
      { label: "Male", estimate: 0.11, lower: -0.03, upper: 0.25, n: 163 },
      { label: "Overall", estimate: 0.13, lower: 0.02, upper: 0.24, overall: true },
    ],
  };
  const spec: Json = forestChartSpec(chart);

  it("drops a row whose n is small, shows n in the tooltip, draws the overall row as a diamond", () => {
    const [, ci, levels, overall] = spec.layer;
    expect(ci.data.values.map((r: Json) => r.label)).toEqual(["Female", "Male", "Overall"]);
    expect(levels.encoding.y.scale.domain).toEqual(["Female", "Male", "Overall"]);
    expect(levels.data.values.map((r: Json) => r.n)).toEqual(["120", "163"]);
    expect(levels.encoding.tooltip.map((t: Json) => t.title)).toEqual([
      "Comparison",
      "Estimate",
      "95% CI",
      "n",
    ]);
    expect(overall.mark.shape).toBe("diamond");
    expect(overall.data.values).toHaveLength(1);
    expect(JSON.stringify(spec)).not.toContain("0.84");
    expect(levels.data.values[0]).toMatchObject({ estimateText: "15.0 pp", ci: "-2.0 pp to 32.0 pp" });
  });

  it("renders with a pp axis", async () => {
    expect(compileChart(spec).warnings).toEqual([]);
    const svg = await specToSvg(spec);
    expect(svg).toMatch(/>\d+ pp<\/text>/);
    expect(pointLabels(svg)).toHaveLength(3);
  });
});

describe("outcomeChartFileNames", () => {
  const outcome = (
    id: string,
    extra: readonly string[],
    subgroups: readonly string[],
    main = true,
  ): OutcomeSection => ({
    id,
    title: id,
    groupEstimates: [],
    effects: [],
    ...(main ? { chart: ESTIMATES } : {}),
    extraCharts: extra.map((x) => ({ id: x, title: x, chart: ESTIMATES })),
    subgroups: subgroups.map((v) => ({
      variable: v,
      effectLabel: "Risk ratio",
      nullValue: 1,
      rows: [],
      interactionP: null,
      interactionMethod: "Wald",
    })),
  });

  it("names main charts first, then extra and subgroup charts, unique within the report", () => {
    const names = outcomeChartFileNames([
      outcome("a", ["b", "B"], ["Sex", "sex"]),
      outcome("a-b", [], ["Age group"]),
      outcome("c", ["x"], [], false),
    ]);
    expect(names).toEqual([
      { main: "a", extra: ["a-b-2", "a-b-3"], subgroups: ["a-subgroup-sex", "a-subgroup-sex-2"] },
      { main: "a-b", extra: [], subgroups: ["a-b-subgroup-age-group"] },
      { extra: ["c-x"], subgroups: [] },
    ]);
    const all = names.flatMap((n) => [...(n.main ? [n.main] : []), ...n.extra, ...n.subgroups]);
    expect(new Set(all).size).toBe(all.length);
  });

  it("avoids reserved names", () => {
    expect(outcomeChartFileNames([outcome("a", [], [])], ["a"])[0]?.main).toBe("a-2");
  });
});
