/** The Vega-Lite specs compile with vega-lite and render to SVG with vega (no browser). */
import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import { compile } from "vega-lite";
import { describe, expect, it } from "vitest";
import {
  balanceTable,
  differenceInDifferences,
  eventStudySpec,
  forestPlotSpec,
  lovePlotSpec,
  overlapPlotSpec,
  propensityScore,
  propensityWeights,
  subgroupEffects,
} from "../../src/compare/index.js";
import { confoundedData } from "./synthetic.js";

async function render(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const d = confoundedData(800, 5);
const covariates = { x1: d.x1, x2: d.x2, x3: d.x3 };
const ps = propensityScore({ treat: d.treat, covariates });
const w = propensityWeights({ treat: d.treat, ps: ps.ps }, { estimand: "ATE" });

describe("chart specs", () => {
  it("Love plot: before/after points per covariate and the threshold rule", async () => {
    const b = balanceTable({ treat: d.treat, covariates, weights: w.weights }, { estimand: "ATE" });
    const spec = lovePlotSpec(b);
    const svg = await render(spec);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("x1");
    expect(svg).toContain("Adjusted");
    const signed = await render(lovePlotSpec(b, { absolute: false, convention: "matchit" }));
    expect(signed).toContain("binary standardised");
  });
  it("overlap plot: binned mirrored histogram, small cells suppressed", async () => {
    const spec = overlapPlotSpec({ treat: d.treat, ps: ps.ps }, { bins: 25 });
    const values = (
      spec as { data: { values: { count: number | null; suppressed: boolean; height: number }[] } }
    ).data.values;
    for (const v of values) {
      if (v.suppressed) {
        expect(v.count).toBeNull();
        expect(v.height).toBe(0);
      } else expect(v.count!).toBeGreaterThanOrEqual(11);
    }
    const total = values.reduce((s, v) => s + (v.count ?? 0), 0);
    expect(total).toBeLessThanOrEqual(d.n);
    const svg = await render(spec);
    expect(svg).toContain("Propensity score");
    await render(overlapPlotSpec({ treat: d.treat, ps: ps.ps }, { weights: w.weights, suppressBelow: 0 }));
  });
  it("forest plot from a subgroup analysis, and event-study plot", async () => {
    const s = subgroupEffects(
      {
        treat: d.treat,
        outcome: { type: "binary", y: d.yBinary },
        subgroup: Array.from(d.x3),
        weights: w.weights,
      },
      { name: "x3" },
    );
    const svg = await render(forestPlotSpec(s));
    expect(svg).toContain("x3 = 0");
    expect(svg).toContain("Interaction");
    await render(forestPlotSpec(s, { contrast: "absolute" }));
    await render(forestPlotSpec([{ label: "overall", estimate: 1.2, lower: 0.9, upper: 1.6 }]));
    const unit: number[] = [];
    const group: number[] = [];
    const period: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 40; i++) {
      for (let p = -3; p <= 2; p++) {
        unit.push(i);
        group.push(i < 20 ? 1 : 0);
        period.push(p);
        y.push(5 + 0.1 * p + (i < 20 && p >= 0 ? 1 : 0) + ((i * 7 + p * 3) % 5) / 5);
      }
    }
    const did = differenceInDifferences({ unit, group, period, y });
    const es = await render(eventStudySpec(did));
    expect(es).toContain("Period relative to program start");
  });
});
