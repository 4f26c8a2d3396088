// Chart specs: semantic checks of the spec (step interpolation, band, censor ticks, at-risk table),
// a clean vega-lite compile (no logged warnings), vega parse and a headless SVG render. The JSON
// schema check with ajv runs when ajv is installed (it is not a dependency yet).
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  chartFileNames,
  chartSpec,
  forestChartSpec,
  slugify,
  stepValueAt,
  survivalChartSpec,
} from "../../src/report/charts/index.js";
import { compileChart, specToSvg } from "../../src/report/svg.js";
import type { ForestChartInput, OutcomeSection, SurvivalChartInput } from "../../src/report/types.js";
import { InvalidInputError } from "../../src/stats/errors.js";
import { FIXTURE_REPORT } from "./fixtures.js";

/** A tiny hand-made chart: values chosen so every expectation below can be worked out by hand. */
const SMALL: SurvivalChartInput = {
  kind: "survival",
  yLabel: "Survival",
  xLabel: "Days since the ED visit",
  curves: [
    {
      group: "Peer",
      time: [0, 10, 20],
      estimate: [1, 0.8, 0.5],
      lower: [1, 0.6, 0.3],
      upper: [1, 0.95, 0.7],
      censorTimes: [5, 10, 25],
    },
    {
      group: "Usual care",
      time: [0, 15],
      estimate: [1, 0.75],
      lower: [1, 0.55],
      upper: [1, 0.9],
      censorTimes: [12],
    },
  ],
  atRisk: [
    { group: "Peer", time: [0, 10, 20], nRisk: [40, 12, 3] },
    { group: "Usual care", time: [0, 10, 20], nRisk: [38, 20, 0] },
  ],
};

const FOREST: ForestChartInput = {
  kind: "forest",
  xLabel: "Risk ratio",
  nullValue: 1,
  logScale: true,
  rows: [
    { label: "All", estimate: 0.27, lower: 0.13, upper: 0.57 },
    { label: "Women", estimate: 0.4, lower: 0.15, upper: 1.1 },
  ],
};

// biome-ignore lint/suspicious/noExplicitAny: the spec is inspected as plain JSON.
type Json = any;

function survivalOf(index: number): SurvivalChartInput {
  const chart = FIXTURE_REPORT.outcomes[index]?.chart;
  if (chart?.kind !== "survival") throw new Error("fixture has no survival chart");
  return chart;
}

const require = createRequire(import.meta.url);
let ajvCtor:
  | (new (
      opts: object,
    ) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown } })
  | undefined;
try {
  const mod = require("ajv");
  ajvCtor = mod.default ?? mod;
} catch {
  ajvCtor = undefined;
}

describe("stepValueAt (right-continuous step function)", () => {
  it("returns the value of the last jump at or before t", () => {
    const t = [0, 10, 20];
    const v = [1, 0.8, 0.5];
    expect(stepValueAt(t, v, 0)).toBe(1);
    expect(stepValueAt(t, v, 9.99)).toBe(1);
    expect(stepValueAt(t, v, 10)).toBe(0.8);
    expect(stepValueAt(t, v, 100)).toBe(0.5);
    expect(stepValueAt(t, v, -1)).toBeNaN();
  });
});

describe("survivalChartSpec", () => {
  const spec: Json = survivalChartSpec(SMALL);

  it("draws step-after lines and a low-opacity step-after CI band", () => {
    const layers = spec.vconcat[0].layer;
    const area = layers.find((l: Json) => l.mark.type === "area");
    const line = layers.find((l: Json) => l.mark.type === "line");
    expect(line.mark.interpolate).toBe("step-after");
    expect(area.mark.interpolate).toBe("step-after");
    expect(area.mark.opacity).toBeLessThanOrEqual(0.3);
    expect(area.encoding.y.field).toBe("lower");
    expect(area.encoding.y2.field).toBe("upper");
    expect(line.encoding.color.field).toBe("group");
    expect(line.encoding.color.scale.domain).toEqual(["Peer", "Usual care"]);
    expect(area.encoding.y.axis.title).toBe("Survival");
    expect(area.encoding.x.axis.title).toBe("Days since the ED visit");
  });

  it("puts censor ticks on the curve (right-continuous value at the censoring time)", () => {
    const tick = spec.vconcat[0].layer.find((l: Json) => l.mark.type === "tick");
    expect(tick.mark.orient).toBe("vertical");
    expect(spec.datasets.censored).toEqual([
      { group: "Peer", time: 5, estimate: 1 },
      { group: "Peer", time: 10, estimate: 0.8 },
      { group: "Peer", time: 25, estimate: 0.5 },
      { group: "Usual care", time: 12, estimate: 1 },
    ]);
  });

  it("extends a curve to its last censoring time", () => {
    const peer = spec.datasets.curves.filter((r: Json) => r.group === "Peer");
    expect(peer.map((r: Json) => r.time)).toEqual([0, 10, 20, 25]);
    expect(peer[3]).toEqual({ group: "Peer", time: 25, estimate: 0.5, lower: 0.3, upper: 0.7 });
    const usual = spec.datasets.curves.filter((r: Json) => r.group === "Usual care");
    expect(usual.map((r: Json) => r.time)).toEqual([0, 15]); // censored at 12 < last jump 15
  });

  it("has a numbers-at-risk text panel beneath the plot on the same x scale, with small numbers hidden", () => {
    const [plot, table] = spec.vconcat;
    expect(table.mark.type).toBe("text");
    expect(table.data.name).toBe("atRisk");
    expect(table.encoding.text.field).toBe("nRisk");
    expect(table.encoding.x.field).toBe("time");
    expect(table.encoding.x.scale).toEqual(plot.layer[0].encoding.x.scale);
    expect(table.encoding.x.scale.domain).toEqual([0, 25]);
    expect(spec.resolve.scale.x).toBe("shared");
    // the x-axis ticks sit at the at-risk times, so the numbers line up under them
    expect(plot.layer[0].encoding.x.axis.values).toEqual([0, 10, 20]);
    expect(spec.datasets.atRisk).toEqual([
      { group: "Peer", time: 0, nRisk: "40" },
      { group: "Peer", time: 10, nRisk: "12" },
      { group: "Peer", time: 20, nRisk: "≤10" },
      { group: "Usual care", time: 0, nRisk: "38" },
      { group: "Usual care", time: 10, nRisk: "20" },
      { group: "Usual care", time: 20, nRisk: "0" },
    ]);
  });

  it("shows small numbers at risk when suppression is off, and hides numbers hidden elsewhere", () => {
    const off: Json = survivalChartSpec(SMALL, { smallCell: { threshold: 10, suppressed: false } });
    expect(off.datasets.atRisk[2].nRisk).toBe("3");
    const linked: Json = survivalChartSpec(SMALL, { hiddenValues: new Set([38]) });
    expect(linked.datasets.atRisk[3].nRisk).toBe("†");
  });

  it("scales the cumulative-incidence axis to the data (rounded up to a tenth)", () => {
    const ci: Json = survivalChartSpec({
      ...SMALL,
      yLabel: "Cumulative incidence",
      curves: [
        { group: "A", time: [0, 5], estimate: [0, 0.2], lower: [0, 0.1], upper: [0, 0.31], censorTimes: [] },
      ],
    });
    expect(ci.vconcat[0].layer[0].encoding.y.scale.domain).toEqual([0, 0.4]);
    expect((survivalChartSpec(SMALL) as Json).vconcat[0].layer[0].encoding.y.scale.domain).toEqual([0, 1]);
  });

  it("rejects malformed curves", () => {
    const bad = (curve: Partial<SurvivalChartInput["curves"][number]>) => () =>
      survivalChartSpec({
        ...SMALL,
        curves: [{ ...(SMALL.curves[0] as SurvivalChartInput["curves"][number]), ...curve }],
      });
    expect(bad({ lower: [1, 0.6] })).toThrow(InvalidInputError);
    expect(bad({ estimate: [1, Number.NaN, 0.5] })).toThrow(/finite/);
    expect(bad({ time: [0, 20, 10] })).toThrow(/ascending/);
  });

  it("compiles without vega-lite warnings and renders to SVG with all marks and the at-risk numbers", async () => {
    const { warnings } = compileChart(spec);
    expect(warnings).toEqual([]);
    const svg = await specToSvg(spec);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toMatch(/class="mark-line role-mark[ "]/);
    expect(svg).toMatch(/class="mark-area role-mark[ "]/);
    expect(svg).toMatch(/class="mark-rect role-mark[ "]/); // ticks render as rects
    expect(svg).toMatch(/class="mark-text role-mark[ "]/);
    expect(svg).toContain(">≤10</text>");
    expect(svg).toContain(">Number at risk</text>");
    expect(svg).toContain(">Usual care</text>");
  });

  it("snapshot of the small spec (semantics asserted above)", () => {
    expect(spec).toMatchSnapshot();
  });

  it("renders the fixture's ~100-point curves, hiding at-risk numbers 1–10", async () => {
    const chart = survivalOf(0);
    expect(chart.curves.every((c) => c.time.length >= 90)).toBe(true);
    const small = chart.atRisk.flatMap((r) => r.nRisk.filter((n) => n >= 1 && n <= 10));
    expect(small.length).toBeGreaterThan(0); // the fixture has small numbers at risk to hide
    const s: Json = survivalChartSpec(chart);
    const shown = s.datasets.atRisk.map((r: Json) => r.nRisk);
    expect(shown.filter((t: string) => /^\d+$/.test(t) && Number(t) >= 1 && Number(t) <= 10)).toEqual([]);
    expect(compileChart(s).warnings).toEqual([]);
    const svg = await specToSvg(s);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toContain("≤10");
  });
});

describe("forestChartSpec", () => {
  const spec: Json = forestChartSpec(FOREST);
  it("draws a CI rule, an estimate square and a dashed null line on a log scale", () => {
    const [nullRule, ci, point] = spec.layer;
    expect(nullRule.mark.strokeDash).toEqual([4, 4]);
    expect(nullRule.data.values).toEqual([{ nullValue: 1 }]);
    expect(ci.encoding.x.field).toBe("lower");
    expect(ci.encoding.x2.field).toBe("upper");
    expect(point.mark.shape).toBe("square");
    expect(point.encoding.x.scale.type).toBe("log");
    // domain: min(0.13) / 1.2 to max(1.1) * 1.2
    expect(point.encoding.x.scale.domain[0]).toBeCloseTo(0.13 / 1.2, 12);
    expect(point.encoding.x.scale.domain[1]).toBeCloseTo(1.1 * 1.2, 12);
    expect(point.encoding.x.axis.values).toEqual([0.2, 0.5, 1]);
    expect(point.encoding.y.scale.domain).toEqual(["All", "Women"]);
  });
  it("rejects non-positive values on a log scale", () => {
    expect(() =>
      forestChartSpec({ ...FOREST, rows: [{ label: "x", estimate: 0, lower: -1, upper: 1 }] }),
    ).toThrow(InvalidInputError);
  });
  it("compiles cleanly and renders", async () => {
    expect(compileChart(spec).warnings).toEqual([]);
    const svg = await specToSvg(spec);
    expect(svg).toMatch(/class="mark-rule role-mark[ "]/);
    expect(svg).toMatch(/class="mark-symbol role-mark[ "]/);
    expect(svg).toContain(">Women</text>");
  });
  it("a linear-scale forest plot (differences) also renders", async () => {
    const lin = forestChartSpec({
      kind: "forest",
      xLabel: "Risk difference",
      nullValue: 0,
      rows: [{ label: "All", estimate: 0.12, lower: 0.06, upper: 0.18 }],
    });
    expect(compileChart(lin).warnings).toEqual([]);
    expect(await specToSvg(lin)).toMatch(/mark-symbol/);
  });
});

describe("chartSpec dispatcher and file names", () => {
  it("builds every fixture chart (main and extra charts)", async () => {
    const charts = FIXTURE_REPORT.outcomes.flatMap((o) => [
      ...(o.chart === undefined ? [] : [o.chart]),
      ...(o.extraCharts ?? []).map((x) => x.chart),
    ]);
    expect(new Set(charts.map((c) => c.kind))).toEqual(
      new Set(["survival", "forest", "estimates", "trajectory"]),
    );
    for (const chart of charts) {
      const spec = chartSpec(chart);
      expect(compileChart(spec).warnings).toEqual([]);
      expect((await specToSvg(spec)).length).toBeGreaterThan(1000);
    }
  });
  it("makes unique, file-safe names", () => {
    expect(slugify("Days to MOUD (90 d)")).toBe("days-to-moud-90-d");
    expect(slugify("../../etc/passwd")).toBe("etc-passwd");
    expect(slugify("***")).toBe("chart");
    const o = (id: string, chart: boolean): OutcomeSection => ({
      id,
      title: id,
      groupEstimates: [],
      effects: [],
      ...(chart ? { chart: FOREST } : {}),
    });
    expect(chartFileNames([o("a b", true), o("A-B", true), o("c", false), o("a_b", true)])).toEqual([
      "a-b",
      "a-b-2",
      undefined,
      "a-b-3",
    ]);
  });
});

describe.skipIf(ajvCtor === undefined)("Vega-Lite JSON schema (ajv; install ajv to run)", () => {
  it("every spec validates against vega-lite-schema.json", () => {
    const schema = require("vega-lite/vega-lite-schema.json");
    const Ajv = ajvCtor as NonNullable<typeof ajvCtor>;
    const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
    const more = FIXTURE_REPORT.outcomes.flatMap((o) => [
      ...(o.chart === undefined || o.chart.kind === "survival" ? [] : [chartSpec(o.chart)]),
      ...(o.extraCharts ?? []).map((x) => chartSpec(x.chart)),
    ]);
    const specs = [
      survivalChartSpec(SMALL),
      survivalChartSpec(survivalOf(0)),
      forestChartSpec(FOREST),
      forestChartSpec({
        ...FOREST,
        style: { kind: "ratio" },
        rows: [
          { label: "A", estimate: 0.5, lower: 0.3, upper: 0.8, n: 40 },
          { label: "Overall", estimate: 0.6, lower: 0.4, upper: 0.9, overall: true },
        ],
      }),
      ...more,
    ];
    expect(more.length).toBe(4);
    for (const s of specs) expect(validate(s), JSON.stringify(validate.errors)).toBe(true);
  });
});
