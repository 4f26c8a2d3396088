import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/stats/errors.js";
import { lmm } from "../../../src/stats/regression/index.js";
import { expectAllClose, expectClose } from "../../helpers/expect-close.js";
import { columns, reference } from "./reference.js";

describe("lmm against lme4::lmer (sleepstudy, Reaction ~ Days + (1 | Subject))", () => {
  for (const c of reference.lmm) {
    it(c.name, () => {
      const f = lmm({ y: c.data.y, x: columns(c.data.x), group: c.data.group }, { method: c.method });
      // The reference θ is lme4's own deviance function minimised by optimize() + a Newton polish.
      expectClose(f.theta, c.theta, { rel: 1e-9 }, "theta");
      expectAllClose(
        f.coefficients.map((k) => k.estimate),
        c.coef,
        { rel: 1e-11 },
        "fixef",
      );
      expectAllClose(
        f.coefficients.map((k) => k.se),
        c.se,
        { rel: 1e-9 },
        "se",
      );
      expectClose(f.sigma2Group, c.sigma2Group, { rel: 1e-9 }, "sigma2 group");
      expectClose(f.sigma2Residual, c.sigma2Residual, { rel: 1e-10 }, "sigma2 residual");
      expectClose(f.logLik, c.logLik, { rel: 1e-12 }, "logLik");
      expectClose(f.deviance, c.deviance, { rel: 1e-12 }, c.method === "REML" ? "REMLcrit" : "deviance");
      expectClose(f.icc, c.sigma2Group / (c.sigma2Group + c.sigma2Residual), { rel: 1e-9 }, "ICC");
      // lme4's default optimiser stops earlier: agreement to ~1e-8 only.
      expectAllClose(
        f.coefficients.map((k) => k.se),
        c.lme4Default.se,
        { rel: 1e-7 },
        "lme4 default se",
      );
      expectClose(f.logLik, c.lme4Default.logLik, { rel: 1e-12 }, "lme4 default logLik");
      expect(f.nGroups).toBe(18);
    });
  }

  it("boundary: no between-group variation → σ²_group = 0, SINGULAR_FIT, σ² = sample variance (REML)", () => {
    // Each group holds a permutation of {1, 2, 3, 6}: identical group means.
    const y = [1, 2, 3, 6, 6, 3, 2, 1, 2, 6, 1, 3, 3, 1, 6, 2];
    const group = y.map((_, i) => Math.floor(i / 4));
    const f = lmm({ y, x: [], group }, { method: "REML" });
    expect(f.sigma2Group).toBe(0);
    expect(f.warnings.map((w) => w.code)).toContain("SINGULAR_FIT");
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    const v = y.reduce((s, x) => s + (x - mean) ** 2, 0) / (y.length - 1);
    expectClose(f.sigma2Residual, v, { rel: 1e-13 }, "sigma2");
    expectClose(f.coefficients[0]!.estimate, mean, { rel: 1e-14 }, "mean");
    expectClose(f.coefficients[0]!.se, Math.sqrt(v / y.length), { rel: 1e-13 }, "se");
  });

  it("balanced one-way ANOVA: REML variance components equal the ANOVA (method-of-moments) estimates", () => {
    // 4 groups × 3; when the ANOVA estimate of σ²_group is positive, REML reproduces it exactly.
    const y = [10, 12, 11, 15, 17, 16, 9, 8, 10, 20, 19, 22];
    const group = y.map((_, i) => Math.floor(i / 3));
    const f = lmm({ y, x: [], group });
    const k = 4;
    const m = 3;
    const means = [0, 1, 2, 3].map((g) => (y[3 * g]! + y[3 * g + 1]! + y[3 * g + 2]!) / 3);
    const grand = means.reduce((s, v) => s + v, 0) / k;
    const msb = (m * means.reduce((s, v) => s + (v - grand) ** 2, 0)) / (k - 1);
    const msw = y.reduce((s, v, i) => s + (v - means[Math.floor(i / 3)]!) ** 2, 0) / (k * (m - 1));
    expectClose(f.sigma2Residual, msw, { rel: 1e-10 }, "sigma2 = MSW");
    expectClose(f.sigma2Group, (msb - msw) / m, { rel: 1e-10 }, "sigma2 group = (MSB − MSW)/m");
    expectClose(f.coefficients[0]!.se, Math.sqrt(msb / (k * m)), { rel: 1e-10 }, "SE(mean) = √(MSB/N)");
  });

  it("refuses a single group and rank-deficient fixed effects", () => {
    expect(() => lmm({ y: [1, 2, 3, 4], x: [], group: [1, 1, 1, 1] })).toThrow(InvalidInputError);
    expect(() =>
      lmm({
        y: [1, 2, 3, 4, 5, 6],
        x: [{ name: "c", values: [1, 1, 1, 1, 1, 1] }],
        group: [1, 1, 2, 2, 3, 3],
      }),
    ).toThrow(InvalidInputError);
  });
});
