/** Bad input: each case gives a clear error or a coded warning. */
import { describe, expect, it } from "vitest";
import {
  balanceTable,
  designMatrix,
  effectiveSampleSize,
  estimateEffect,
  matchNearest,
  propensityScore,
  propensityWeights,
} from "../../src/compare/index.js";
import { InvalidInputError } from "../../src/stats/errors.js";

const codes = (r: { warnings: readonly { code: string }[] }) => r.warnings.map((w) => w.code);
const treat = [1, 1, 1, 0, 0, 0, 0, 0];
const x1 = [0.1, 0.5, 0.9, 0.2, 0.4, 0.3, 0.8, 0.05];
const x2 = [1, 0, 1, 1, 0, 0, 1, 0];

describe("bad input", () => {
  it("no comparable control inside the caliper: all treated unmatched → error naming the reason", () => {
    const t = [1, 1, 0, 0];
    const ps = [0.9, 0.85, 0.1, 0.15];
    expect(() =>
      matchNearest({ treat: t, ps, id: ["a", "b", "c", "d"] }, { caliper: 0.05, caliperUnits: "raw" }),
    ).toThrow(/NO_CONTROL_IN_CALIPER.*widen the caliper/);
    // Some matched: a coded warning with counts instead.
    const m = matchNearest(
      { treat: [1, 1, 0, 0], ps: [0.9, 0.2, 0.1, 0.15], id: ["a", "b", "c", "d"] },
      { caliper: 0.1, caliperUnits: "raw" },
    );
    expect(codes(m)).toContain("UNMATCHED_TREATED");
    expect(m.unmatchedCounts.NO_CONTROL_IN_CALIPER).toBe(1);
  });
  it("everyone in one arm: propensity, matching, weighting, balance and effects refuse", () => {
    const all = [1, 1, 1];
    const msg = /all 3 units are treated/;
    expect(() => propensityScore({ treat: all, covariates: { x: [1, 2, 3] } })).toThrow(msg);
    expect(() => matchNearest({ treat: all, ps: [0.5, 0.5, 0.5], id: ["a", "b", "c"] })).toThrow(msg);
    expect(() => propensityWeights({ treat: all, ps: [0.5, 0.5, 0.5] }, { estimand: "ATE" })).toThrow(msg);
    expect(() => balanceTable({ treat: [0, 0], covariates: { x: [1, 2] } }, { estimand: "ATT" })).toThrow(
      /control/,
    );
    expect(() => estimateEffect({ treat: all, outcome: { type: "binary", y: [0, 1, 0] } })).toThrow(msg);
  });
  it("missing covariate values: error by default, counted exclusion with missing: exclude", () => {
    const x = [...x1];
    x[2] = Number.NaN;
    expect(() => propensityScore({ treat, covariates: { x1: x, x2 } })).toThrow(
      /missing covariate value — x1 \(1\)/,
    );
    const r = propensityScore({ treat, covariates: { x1: x, x2 } }, { missing: "exclude" });
    expect(r.nExcluded).toBe(1);
    expect(r.complete[2]).toBe(0);
    expect(Number.isNaN(r.ps[2]!)).toBe(true);
    expect(codes(r)).toContain("MISSING_COVARIATES_EXCLUDED");
    expect(() => balanceTable({ treat, covariates: { x1: x } }, { estimand: "ATT" })).toThrow(
      /missing at row 2/,
    );
    const dm = designMatrix({ race: ["a", null, "b", "a"] }, { factors: ["race"] });
    expect(dm.nIncomplete).toBe(1);
    expect(Number.isNaN(dm.columns[0]!.values[1]!)).toBe(true);
  });
  it("constant covariates: the propensity model drops them (null, coded); balance reports null SMD (coded)", () => {
    const c = new Array(treat.length).fill(3);
    const r = propensityScore({ treat, covariates: { x1, c } });
    const coef = r.coefficients.find((k) => k.name === "c")!;
    expect(coef.estimate).toBeNull();
    expect(codes(r)).toContain("CONSTANT_COVARIATE");
    const b = balanceTable({ treat, covariates: { x1, c } }, { estimand: "ATE" });
    const row = b.rows.find((k) => k.name === "c")!;
    expect(row.unadjusted.smdCobalt).toBeNull();
    expect(row.balanced).toBeNull();
    expect(codes(b)).toContain("BALANCE_CONSTANT_COVARIATE");
  });
  it("a weight of infinity or NaN is a clear error; zero weights are counted and coded", () => {
    const y = { type: "continuous" as const, y: x1 };
    const inf = [1, 1, 1, 1, Number.POSITIVE_INFINITY, 1, 1, 1];
    expect(() => estimateEffect({ treat, outcome: y, weights: inf })).toThrow(/weight at row 4 is infinite/);
    expect(() => estimateEffect({ treat, outcome: y, weights: [1, 1, 1, Number.NaN, 1, 1, 1, 1] })).toThrow(
      /missing or NaN/,
    );
    expect(() => estimateEffect({ treat, outcome: y, weights: [1, 1, 1, -1, 1, 1, 1, 1] })).toThrow(
      InvalidInputError,
    );
    const z = estimateEffect({ treat, outcome: y, weights: [1, 1, 1, 0, 1, 1, 1, 1] });
    expect(z.n).toBe(7);
    expect(z.nExcluded).toBe(1);
    expect(codes(z)).toContain("ZERO_WEIGHTS_DROPPED");
    const e = effectiveSampleSize(treat, [1, 1, 1, 0, 1, 1, 1, 1]);
    expect(e.control.nZero).toBe(1);
    expect(() => effectiveSampleSize(treat, inf)).toThrow(/infinite/);
  });
  it("a propensity score of 0 or 1 gives an infinite weight: refused with advice", () => {
    expect(() => propensityWeights({ treat: [1, 0, 0], ps: [0, 0.2, 0.3] }, { estimand: "ATE" })).toThrow(
      /exactly 0 or 1.*overlap weights/,
    );
    // A control with a score of 1 has an infinite ATT weight e/(1 − e).
    expect(() => propensityWeights({ treat: [1, 0, 0], ps: [0.5, 1, 0.3] }, { estimand: "ATT" })).toThrow(
      /infinite/,
    );
    expect(() => matchNearest({ treat: [1, 0], ps: [1, 0.5], id: ["a", "b"] })).toThrow(/strictly inside/);
  });
  it("extreme weights and low effective sample size are coded warnings", () => {
    // 20 treated at e = 0.5 (weight 2) and one at e = 0.01 (weight 100 > 10 × mean 6.67).
    const t = [...new Array(21).fill(1), ...new Array(5).fill(0)];
    const ps = [...new Array(20).fill(0.5), 0.01, ...new Array(5).fill(0.5)];
    const w = propensityWeights({ treat: t, ps }, { estimand: "ATE" });
    expect(codes(w)).toContain("WEIGHTS_EXTREME");
    expect(codes(w)).toContain("LOW_EFFECTIVE_SAMPLE_SIZE");
  });
  it("malformed input: lengths, non-0/1 treatment, duplicate ids, string column not declared a factor", () => {
    expect(() => matchNearest({ treat: [1, 0], ps: [0.5], id: ["a", "b"] })).toThrow(/ps has 1 values/);
    expect(() => propensityScore({ treat: [1, 2, 0], covariates: { x: [1, 2, 3] } })).toThrow(/0\/1/);
    expect(() => matchNearest({ treat: [1, 0], ps: [0.5, 0.4], id: ["a", "a"] })).toThrow(/duplicate id/);
    expect(() => designMatrix({ race: ["a", "b"] })).toThrow(/list it in options.factors/);
  });
});
