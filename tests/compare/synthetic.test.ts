/**
 * Against synthetic truth (tests/compare/synthetic.ts): under confounding the naive difference is
 * biased, while matching and weighting recover the true effect; designs run end to end.
 */
import { describe, expect, it } from "vitest";
import {
  estimateEffect,
  matchedDesign,
  propensityScore,
  propensityWeights,
  weightedDesign,
} from "../../src/compare/index.js";
import { confoundedData, TRUE_MEAN_DIFFERENCE, TRUE_RISK_DIFFERENCE } from "./synthetic.js";

const d = confoundedData(4000, 20240601);
const covariates = { x1: d.x1, x2: d.x2, x3: d.x3 };

describe("confounded data with a known effect (n = 4000)", () => {
  it("the naive mean difference is biased by confounding", () => {
    const naive = estimateEffect({ treat: d.treat, outcome: { type: "continuous", y: d.y } });
    // Bias = 3·Δx1 + Δx2 − Δx3 (Δ = treated − control mean): x1 pushes it up, x2 and x3 down.
    const mean = (x: Float64Array, arm: number) => {
      let s = 0;
      let k = 0;
      for (let i = 0; i < d.n; i++) {
        if (d.treat[i] !== arm) continue;
        s += x[i]!;
        k++;
      }
      return s / k;
    };
    const delta = (x: Float64Array) => mean(x, 1) - mean(x, 0);
    const expectedBias = 3 * delta(d.x1) + delta(d.x2) - delta(d.x3);
    expect(expectedBias).toBeGreaterThan(0.25);
    expect(Math.abs(naive.absolute.estimate! - TRUE_MEAN_DIFFERENCE - expectedBias)).toBeLessThan(0.15);
    expect(naive.absolute.ci.lower!).toBeGreaterThan(TRUE_MEAN_DIFFERENCE);
  });
  it("IPW (ATE, stacked variance) recovers the mean difference; CI covers the truth", () => {
    const ps = propensityScore({ treat: d.treat, covariates });
    const w = propensityWeights({ treat: d.treat, ps: ps.ps }, { estimand: "ATE" });
    const e = estimateEffect({
      treat: d.treat,
      outcome: { type: "continuous", y: d.y },
      weights: w.weights,
      propensity: { covariates, ps: ps.ps, estimand: "ATE" },
    });
    expect(Math.abs(e.absolute.estimate! - TRUE_MEAN_DIFFERENCE)).toBeLessThan(0.15);
    expect(e.absolute.ci.lower!).toBeLessThan(TRUE_MEAN_DIFFERENCE);
    expect(e.absolute.ci.upper!).toBeGreaterThan(TRUE_MEAN_DIFFERENCE);
  });
  it("weighted design (ATT) recovers both the mean and the risk difference", () => {
    const r = weightedDesign(
      {
        treat: d.treat,
        id: d.id,
        covariates,
        outcomes: { y: { type: "continuous", y: d.y }, event: { type: "binary", y: d.yBinary } },
      },
      { weighting: { estimand: "ATT" } },
    );
    expect(r.design).toBe("weighted");
    expect(r.effects.y!.variance).toBe("stacked");
    expect(Math.abs(r.effects.y!.absolute.estimate! - TRUE_MEAN_DIFFERENCE)).toBeLessThan(0.2);
    expect(Math.abs(r.effects.event!.absolute.estimate! - TRUE_RISK_DIFFERENCE)).toBeLessThan(0.05);
    expect(r.balance!.summary.maxAbsSmdAdjusted!).toBeLessThan(0.1);
    expect(r.balance!.summary.maxAbsSmdUnadjusted!).toBeGreaterThan(0.3);
  });
  it("matched design (caliper 0.2 SD, cluster by matched set) recovers the mean difference", () => {
    const r = matchedDesign(
      { treat: d.treat, id: d.id, covariates, outcomes: { y: { type: "continuous", y: d.y } } },
      { matching: { caliper: 0.2 } },
    );
    expect(r.effects.y!.variance).toBe("cluster");
    expect(Math.abs(r.effects.y!.absolute.estimate! - TRUE_MEAN_DIFFERENCE)).toBeLessThan(0.2);
    expect(r.sample.nTreated).toBe(r.matching!.nTreatedMatched);
    expect(r.balance!.rows[0]!.name).toBe("distance");
  });
});
