/**
 * compareProportions against R 4.2.2 (tests/reference/tables/make-tables.R), 14 tables × levels
 * 0.95 and 0.9: Newcombe's six examples from Table II of Newcombe (1998), zero cells, a zero
 * margin, all-equal cells and large counts.
 *
 * Sources and tolerances:
 * - Newcombe RD interval: R prop.test Wilson limits combined by method 10's square-and-add rule;
 *   1e-13 relative (closed form). Example (a) 56/70 − 48/80 is also checked against the
 *   published four-decimal values 0.0524 to 0.3339 (Newcombe 1998, Table II).
 * - Wald RD, Katz RR, Woolf OR (and their 0.5-corrected forms): closed forms in R; 1e-13 relative.
 * - chisq.test statistics 1e-13, p-values 1e-12 relative; fisher.test p-value 1e-12 relative
 *   (our hypergeometric densities come from a ratio recurrence, R's from dhyper).
 * - Conditional MLE odds ratio and exact CI: fisher.test's equations solved in R with
 *   uniroot(tol = 1e-15) on log ψ (trap 4: fisher.test's own uniroot is good to ~1e-4); 1e-11
 *   relative (observed 8e-15). fisher.test's own values are checked only to 1e-2 relative: they differ from the
 *   exact roots by up to 0.8% (upper bound 1039.29 vs 1047.84 for 9/10 vs 3/10).
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/stats/errors.js";
import { compareProportions } from "../../../src/stats/tables/index.js";
import { nonFiniteNumbers } from "../../contract/deep.js";
import { expectClose } from "../../helpers/expect-close.js";
import { finiteOrNull, reference } from "./reference.js";

const CLOSED = { rel: 1e-13, abs: 1e-15 };
const codes = (w: readonly { code: string }[]) => w.map((x) => x.code);

describe("compareProportions agrees with R", () => {
  for (const r of reference.tables) {
    const label = `[${r.a}, ${r.b}; ${r.c}, ${r.d}] @${r.confLevel}`;
    it(label, () => {
      const res = compareProportions({ a: r.a, b: r.b, c: r.c, d: r.d }, { confLevel: r.confLevel });
      const same = compareProportions(
        { x1: r.a, n1: r.a + r.b, x2: r.c, n2: r.c + r.d },
        { confLevel: r.confLevel },
      );
      expect(same).toEqual(res);

      expectClose(res.riskDifference.estimate, r.riskDifference, CLOSED, `${label} RD`);
      expectClose(res.riskDifference.se, r.seRiskDifference, CLOSED, `${label} RD se`);
      expectClose(res.riskDifference.ci.lower, r.newcombe[0], CLOSED, `${label} Newcombe lower`);
      expectClose(res.riskDifference.ci.upper, r.newcombe[1], CLOSED, `${label} Newcombe upper`);
      expectClose(res.riskDifferenceWald.ci.lower, r.waldRd[0], CLOSED, `${label} Wald lower`);
      expectClose(res.riskDifferenceWald.ci.upper, r.waldRd[1], CLOSED, `${label} Wald upper`);

      const corrected = compareProportions(r, { confLevel: r.confLevel, zeroCellCorrection: "add-0.5" });
      for (const [key, ref, half, est, estHalf] of [
        ["RR", r.riskRatio, r.riskRatioAddHalf, res.riskRatio, corrected.riskRatio],
        ["OR", r.oddsRatio, r.oddsRatioAddHalf, res.oddsRatio, corrected.oddsRatio],
      ] as const) {
        if (ref === null) {
          expect(est.estimate, `${label} ${key} not evaluable`).toBeNull();
          expect(est.ci.lower).toBeNull();
          expect(codes(est.warnings)).toContain("ZERO_CELL");
          expectClose(estHalf.estimate, half.estimate, CLOSED, `${label} ${key} +0.5`);
          expectClose(estHalf.se, half.se, CLOSED, `${label} ${key} +0.5 se`);
          expectClose(estHalf.ci.lower, half.ci[0], CLOSED, `${label} ${key} +0.5 lower`);
          expectClose(estHalf.ci.upper, half.ci[1], CLOSED, `${label} ${key} +0.5 upper`);
          expect(codes(estHalf.warnings)).toContain("CONTINUITY_CORRECTION");
        } else {
          expectClose(est.estimate, ref.estimate, CLOSED, `${label} ${key}`);
          expectClose(est.se, ref.se, CLOSED, `${label} ${key} se`);
          expectClose(est.ci.lower, ref.ci[0], CLOSED, `${label} ${key} lower`);
          expectClose(est.ci.upper, ref.ci[1], CLOSED, `${label} ${key} upper`);
          expect(estHalf).toEqual(est); // the correction only applies when a cell is zero
        }
      }

      for (const [key, ref, test] of [
        ["chi2", r.chiSquared, res.chiSquared],
        ["chi2 Yates", r.chiSquaredYates, res.chiSquaredYates],
      ] as const) {
        if (ref === null) {
          expect(test.statistic).toBeNull();
          expect(test.pValue).toBeNull();
          expect(codes(test.warnings)).toEqual(["ZERO_MARGIN"]);
        } else {
          expectClose(test.statistic, ref.statistic, CLOSED, `${label} ${key} statistic`);
          expectClose(test.pValue, ref.pValue, { rel: 1e-12 }, `${label} ${key} p`);
          expect(test.df).toBe(1);
          expect(codes(test.warnings).includes("SMALL_EXPECTED_COUNTS")).toBe(ref.minExpected < 5);
        }
      }

      expectClose(res.fisherExact.pValue, r.fisherP, { rel: 1e-12 }, `${label} Fisher p`);
      const cond = res.oddsRatioConditional;
      expectClose(cond.estimate, finiteOrNull(r.conditionalOR), { rel: 1e-11 }, `${label} conditional OR`);
      expectClose(cond.ci.lower, finiteOrNull(r.conditionalCI[0]), { rel: 1e-11 }, `${label} exact lower`);
      expectClose(cond.ci.upper, finiteOrNull(r.conditionalCI[1]), { rel: 1e-11 }, `${label} exact upper`);
      if (r.conditionalOR !== null) {
        expectClose(
          cond.estimate,
          finiteOrNull(r.fisherTestLooseOR),
          { rel: 1e-2 },
          `${label} fisher.test OR`,
        );
        expectClose(
          cond.ci.upper,
          finiteOrNull(r.fisherTestLooseCI[1]),
          { rel: 1e-2 },
          `${label} fisher.test upper`,
        );
      }

      // NNT = 1/|RD| with the Newcombe interval inverted.
      const nnt = res.numberNeededToTreat;
      if (r.riskDifference === 0) {
        expect(nnt.estimate).toBeNull();
        expect(codes(nnt.warnings)).toContain("NNT_INFINITE");
      } else {
        expectClose(nnt.estimate, 1 / Math.abs(r.riskDifference), CLOSED, `${label} NNT`);
        expect(nnt.ciThroughInfinity).toBe(r.newcombe[0] <= 0 && r.newcombe[1] >= 0);
      }
    });
  }
});

describe("published and hand-derived values", () => {
  it("Newcombe (1998) Table II example (a): 56/70 vs 48/80 → RD 0.2000, 95% CI 0.0524 to 0.3339", () => {
    const rd = compareProportions({ x1: 56, n1: 70, x2: 48, n2: 80 }).riskDifference;
    expectClose(rd.estimate, 0.2, { abs: 1e-15 }, "RD");
    expectClose(rd.ci.lower, 0.0524, { abs: 5e-5 }, "lower (4 d.p.)");
    expectClose(rd.ci.upper, 0.3339, { abs: 5e-5 }, "upper (4 d.p.)");
  });

  it("NNT through infinity (Altman 1998): RD 0.1 with an interval crossing 0", () => {
    // 20/50 vs 15/50, harmful event: group 1 has more events → NNTH 10. Newcombe CI ≈ (−0.085, 0.277).
    const res = compareProportions({ x1: 20, n1: 50, x2: 15, n2: 50 });
    const rd = res.riskDifference;
    const nnt = res.numberNeededToTreat;
    expect(nnt.direction).toBe("NNTH");
    expectClose(nnt.estimate, 10, { rel: 1e-13 }, "NNTH");
    expect(nnt.ciThroughInfinity).toBe(true);
    const lo = rd.ci.lower as number;
    const hi = rd.ci.upper as number;
    expect(lo).toBeLessThan(0);
    expectClose(nnt.ci.lower, 1 / hi, { rel: 1e-14 }, "NNTH end");
    expect(nnt.ci.upper).toBeNull();
    expect(nnt.ciEnds).toEqual([
      { kind: "NNTB", value: 1 / -lo },
      { kind: "NNTH", value: 1 / hi },
    ]);
    expect(codes(nnt.warnings)).toEqual(["NNT_CI_THROUGH_INFINITY"]);
    // A beneficial event flips the labels.
    const good = compareProportions({ x1: 20, n1: 50, x2: 15, n2: 50 }, { eventIs: "beneficial" });
    expect(good.numberNeededToTreat.direction).toBe("NNTB");
  });

  it("NNT with an interval excluding 0 has finite bounds 1/|upper| to 1/|lower|", () => {
    const res = compareProportions({ x1: 10, n1: 100, x2: 30, n2: 100 });
    const rd = res.riskDifference;
    const nnt = res.numberNeededToTreat;
    expect(nnt.direction).toBe("NNTB");
    expectClose(nnt.estimate, 5, { rel: 1e-13 }, "NNTB");
    expect(nnt.ciThroughInfinity).toBe(false);
    expectClose(nnt.ci.lower, 1 / -(rd.ci.lower as number), { rel: 1e-14 }, "lower");
    expectClose(nnt.ci.upper, 1 / -(rd.ci.upper as number), { rel: 1e-14 }, "upper");
  });

  it("Fisher p-value on a symmetric table equals the hand-computed hypergeometric sum", () => {
    // [[3, 1], [1, 3]]: P(a) for a = 0..4 = (1, 16, 36, 16, 1)/70; two-sided p = (1+16+16+1)/70.
    const res = compareProportions({ a: 3, b: 1, c: 1, d: 3 });
    expectClose(res.fisherExact.pValue, 34 / 70, { rel: 1e-14 }, "Fisher p");
  });
});

describe("degenerate tables", () => {
  it("zero cells never give Infinity: RR/OR null with ZERO_CELL; conditional OR upper null", () => {
    const res = compareProportions({ a: 10, b: 0, c: 0, d: 20 });
    expect(res.riskRatio.estimate).toBeNull();
    expect(res.oddsRatio.estimate).toBeNull();
    expect(res.oddsRatioConditional.estimate).toBeNull();
    expect(res.oddsRatioConditional.ci.upper).toBeNull();
    expect(codes(res.warnings)).toContain("ZERO_CELL");
    expect(nonFiniteNumbers(res)).toEqual([]);
  });

  it("an empty group makes the contrasts not evaluable with EMPTY_DENOMINATOR", () => {
    const res = compareProportions({ x1: 0, n1: 0, x2: 3, n2: 10 });
    expect(res.risk1.estimate).toBeNull();
    expect(res.riskDifference.estimate).toBeNull();
    expect(res.riskRatio.estimate).toBeNull();
    expect(res.numberNeededToTreat.estimate).toBeNull();
    expect(codes(res.riskDifference.warnings)).toEqual(["EMPTY_DENOMINATOR"]);
    expect(res.chiSquared.pValue).toBeNull();
    expect(res.fisherExact.pValue).toBe(1);
    expect(res.oddsRatioConditional.estimate).toBeNull();
  });

  it("identical groups: RD 0, RR 1, OR 1, chi-squared 0, Fisher p 1", () => {
    const res = compareProportions({ a: 12, b: 12, c: 12, d: 12 });
    expect(res.riskDifference.estimate).toBe(0);
    expect(res.riskRatio.estimate).toBe(1);
    expect(res.oddsRatio.estimate).toBe(1);
    expect(res.chiSquared.statistic).toBe(0);
    expect(res.chiSquaredYates.statistic).toBe(0);
    expect(res.chiSquaredYates.pValue).toBe(1);
    expectClose(res.fisherExact.pValue, 1, { rel: 1e-14 }, "Fisher p");
    expect(res.numberNeededToTreat.estimate).toBeNull();
  });

  it("rejects invalid counts", () => {
    expect(() => compareProportions({ a: 1, b: -1, c: 2, d: 3 })).toThrow(InvalidInputError);
    expect(() => compareProportions({ a: 1, b: 1.5, c: 2, d: 3 })).toThrow(InvalidInputError);
    expect(() => compareProportions({ a: Number.NaN, b: 1, c: 2, d: 3 })).toThrow(InvalidInputError);
    expect(() => compareProportions({ x1: 5, n1: 4, x2: 2, n2: 3 })).toThrow(InvalidInputError);
    expect(() => compareProportions({ x1: 1, n1: 4, x2: 2, n2: Number.POSITIVE_INFINITY })).toThrow(
      InvalidInputError,
    );
    expect(() => compareProportions({ a: 1, b: 1, c: 1, d: 1 }, { confLevel: 1 })).toThrow(InvalidInputError);
  });
});
