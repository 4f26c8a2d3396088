/**
 * weightedDesign / matchedDesign with factor-coded covariates give the designs with the dummies
 * written out: scores, weights, matches, balance tables (dummies expanded for them) and effects
 * (including the stacked M-estimation variance, which needs the dense propensity design).
 */
import { describe, expect, it } from "vitest";
import { matchedDesign, weightedDesign } from "../../src/compare/index.js";
import { expectDeepClose, factorData, handDummies } from "./factors-helpers.js";

const TOL = { rel: 1e-9, abs: 1e-12 };

describe("designs with factor covariates", () => {
  const d = factorData(2000, 5);
  const outcomes = {
    y: { type: "continuous" as const, y: d.y },
    event: { type: "binary" as const, y: d.yBinary },
  };
  const dense = { treat: d.treat, id: d.id, covariates: [...d.numeric, ...handDummies(d.factors)], outcomes };
  const coded = { treat: d.treat, id: d.id, covariates: d.numeric, factors: d.factors, outcomes };

  for (const estimand of ["ATE", "ATT", "ATO"] as const) {
    it(`weighted (${estimand}, stacked variance, balance table)`, () => {
      const f = weightedDesign(coded, { weighting: { estimand } });
      const g = weightedDesign(dense, { weighting: { estimand } });
      expect(f.effects.y!.variance).toBe("stacked");
      expect(f.balance!.rows.map((r) => r.name)).toContain("payer1");
      expectDeepClose(f, g, TOL);
    });
  }

  it("weighted, clustered, without balance and outcomes (the evaluation's call)", () => {
    const cluster = d.id.map((_, i) => i % 40);
    const f = weightedDesign(
      { ...coded, outcomes: {}, cluster },
      { weighting: { estimand: "ATE" }, balance: false },
    );
    const g = weightedDesign(
      { ...dense, outcomes: {}, cluster },
      { weighting: { estimand: "ATE" }, balance: false },
    );
    expectDeepClose(f, g, TOL);
  });

  it("matched (1:1 nearest neighbour, balance table)", () => {
    const f = matchedDesign(coded);
    const g = matchedDesign(dense);
    expect(f.matching!.nTreatedMatched).toBeGreaterThan(300);
    expectDeepClose(f, g, TOL);
  });

  it("a time-zero landmark that leaves units out (factor codes subset to the included rows)", () => {
    const indexDay = d.id.map(() => 100);
    const exposureDay = Array.from(d.treat, (t) => (t ? 100 : null));
    const endDay = d.id.map((_, i) => (i % 9 === 0 ? 103 : 500));
    const timeZero = { indexDay, exposureDay, endDay };
    const f = weightedDesign(
      { id: d.id, timeZero, covariates: d.numeric, factors: d.factors, outcomes },
      { weighting: { estimand: "ATE" }, timeZero: { landmarkDay: 5 } },
    );
    const g = weightedDesign(
      { id: d.id, timeZero, covariates: dense.covariates, outcomes },
      { weighting: { estimand: "ATE" }, timeZero: { landmarkDay: 5 } },
    );
    expect(f.timeZero!.nExcluded).toBeGreaterThan(100);
    expectDeepClose(f, g, TOL);
  });
});
