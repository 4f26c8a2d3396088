/**
 * hedgesG against R 4.2.2 + effectsize 0.8.3 (tests/reference/tables/make-tables.R) and the worked
 * example of Borenstein et al. (2009), Introduction to Meta-Analysis, ch. 4.
 *
 * - g (exact J) equals effectsize::hedges_g: 1e-13 relative.
 * - Noncentral-t interval: the same equations as effectsize, solved in R with uniroot(tol = 1e-14)
 *   on pt(t, df, ncp): 1e-11 relative (observed 9e-15; both sides carry AS 243's 1e-12 error
 *   bound). effectsize's own interval comes from optim(abstol = 1e-9) and is checked to 1e-6
 *   relative (observed 5.8e-7).
 * - Normal interval (Hedges & Olkin variance, exact or approximate J): closed form in R, 1e-13.
 * - Borenstein's example (means 103 vs 100, SDs 5.5 and 4.5, n = 50 each; approximate J): d =
 *   0.5970, Vd = 0.0418, J = 0.9923, g = 0.5924, SE(g) = 0.2028, to the four printed decimals.
 */
import { describe, expect, it } from "vitest";
import { hedgesG } from "../../../src/stats/effect-size/index.js";
import { InsufficientDataError, InvalidInputError } from "../../../src/stats/errors.js";
import { expectClose } from "../../helpers/expect-close.js";
import { reference } from "../tables/reference.js";

describe("hedgesG agrees with R", () => {
  for (const r of reference.hedges) {
    it(r.label, () => {
      const res = hedgesG(r.x, r.y, { confLevel: r.confLevel });
      expectClose(res.estimate, r.effectsizeG, { rel: 1e-13 }, "g vs effectsize");
      expectClose(res.cohensD, r.cohensD, { rel: 1e-13 }, "d");
      expectClose(res.j, r.j, { rel: 1e-14 }, "J");
      expectClose(res.se, r.se, { rel: 1e-13 }, "se");
      expectClose(res.ci.lower, r.ciNoncentral[0], { rel: 1e-11 }, "noncentral lower (tight)");
      expectClose(res.ci.upper, r.ciNoncentral[1], { rel: 1e-11 }, "noncentral upper (tight)");
      expectClose(res.ci.lower, r.effectsizeCI[0], { rel: 1e-6 }, "noncentral lower (effectsize optim)");
      expectClose(res.ci.upper, r.effectsizeCI[1], { rel: 1e-6 }, "noncentral upper (effectsize optim)");
      const normal = hedgesG(r.x, r.y, { confLevel: r.confLevel, ciMethod: "normal" });
      expectClose(normal.ci.lower, r.ciNormal[0], { rel: 1e-13 }, "normal lower");
      expectClose(normal.ci.upper, r.ciNormal[1], { rel: 1e-13 }, "normal upper");
      const approx = hedgesG(r.x, r.y, {
        confLevel: r.confLevel,
        ciMethod: "normal",
        correction: "approximate",
      });
      expectClose(approx.estimate, r.gApprox, { rel: 1e-13 }, "g approx J");
      expectClose(approx.ci.lower, r.ciNormalApprox[0], { rel: 1e-13 }, "approx lower");
      expectClose(approx.ci.upper, r.ciNormalApprox[1], { rel: 1e-13 }, "approx upper");
    });
  }
});

/** n values with exactly the given mean and sample SD (a standardised arithmetic sequence). */
function sampleWith(n: number, mean: number, sd: number): number[] {
  const base = Array.from({ length: n }, (_, i) => i - (n - 1) / 2);
  const s = Math.sqrt(base.reduce((acc, v) => acc + v * v, 0) / (n - 1));
  return base.map((v) => mean + (sd * v) / s);
}

describe("Borenstein et al. (2009) worked example", () => {
  it("d = 0.5970, J = 0.9923, g = 0.5924, SE(g) = 0.2028 (approximate J)", () => {
    const res = hedgesG(sampleWith(50, 103, 5.5), sampleWith(50, 100, 4.5), {
      correction: "approximate",
      ciMethod: "normal",
    });
    expectClose(res.cohensD, 0.597, { abs: 5e-5 }, "d");
    expectClose(res.j, 0.9923, { abs: 5e-5 }, "J");
    expectClose(res.estimate, 0.5924, { abs: 5e-5 }, "g");
    expectClose(res.se, 0.2028, { abs: 5e-5 }, "SE(g)");
    expectClose(((res.se as number) / res.j) ** 2, 0.0418, { abs: 5e-5 }, "Vd");
  });
});

describe("hedgesG degenerate input", () => {
  it("constant data (pooled SD 0) is an error", () => {
    expect(() => hedgesG([2, 2, 2], [1, 1, 1])).toThrow(InvalidInputError);
  });
  it("needs two values per group; NaN excluded and counted; Infinity rejected", () => {
    expect(() => hedgesG([1], [1, 2, 3])).toThrow(InsufficientDataError);
    const r = hedgesG([1, 2, 3, Number.NaN], [2, 4, 5]);
    expect(r.nExcluded).toBe(1);
    expect(r.warnings.map((w) => w.code)).toEqual(["MISSING_DROPPED"]);
    expect(() => hedgesG([1, 2, Number.POSITIVE_INFINITY], [2, 4, 5])).toThrow(InvalidInputError);
  });
  it("names the variant", () => {
    expect(hedgesG([1, 2, 3], [2, 4, 5]).method).toMatch(/exact gamma-function J.*noncentral-t/);
  });
});
