import { describe, expect, it } from "vitest";
import { InsufficientDataError, InvalidInputError } from "../../../src/stats/errors.js";
import { type GlmInput, type GlmResult, glm, predictGlm } from "../../../src/stats/regression/index.js";
import { expectAllClose, expectClose } from "../../helpers/expect-close.js";
import { columns, type GlmRef, reference } from "./reference.js";

// R reference values (make-regression.R): glm() refitted from its converged coefficients with
// epsilon = 1e-14, so they are good to ~1e-13; tolerances leave room for platform rounding only.
const COEF = { rel: 1e-9, abs: 1e-11 };
const SE = { rel: 1e-9 };
const SCALAR = { rel: 1e-10 };

function inputOf(c: GlmRef): GlmInput {
  return {
    y: c.data.y,
    x: columns(c.data.x),
    ...(c.data.weights ? { weights: c.data.weights } : {}),
    ...(c.data.offset ? { offset: c.data.offset } : {}),
    ...(c.data.cluster ? { cluster: c.data.cluster } : {}),
  };
}
const ses = (f: GlmResult) => f.coefficients.map((k) => k.se);
const codes = (f: { warnings: readonly { code: string }[] }) => f.warnings.map((w) => w.code);

describe("glm against R (glm, MASS::glm.nb, sandwich)", () => {
  for (const c of reference.glm) {
    describe(c.name, () => {
      const input = inputOf(c);
      const family = c.data.family;
      const fit = glm(input, { family });
      it("coefficients, model SEs, deviance, df, logLik, AIC", () => {
        expect(fit.converged).toBe(true);
        expect(fit.coefficients.map((k) => k.name)).toEqual(c.coefNames);
        expectAllClose(
          fit.coefficients.map((k) => k.estimate),
          c.coef,
          COEF,
          "coef",
        );
        expectAllClose(ses(fit), c.se, SE, "se");
        expectClose(fit.deviance, c.deviance, SCALAR, "deviance");
        expectClose(fit.nullDeviance, c.nullDeviance, SCALAR, "null deviance");
        expect(fit.dfResidual).toBe(c.dfResidual);
        expect(fit.dfNull).toBe(c.dfNull);
        expectClose(fit.dispersion, c.dispersion, SCALAR, "dispersion");
        expectClose(fit.logLik, c.logLik, SCALAR, "logLik");
        expectClose(fit.aic, c.aic, SCALAR, "AIC");
        // R's vcov drops aliased rows/columns; ours keeps them as null.
        const kept = fit.coefficients.map((k, i) => (k.aliased ? -1 : i)).filter((i) => i >= 0);
        const v = kept.map((i) => kept.map((j) => fit.vcov[i]![j]!));
        for (let i = 0; i < c.vcov.length; i++)
          expectAllClose(v[i]!, c.vcov[i]!, { rel: 1e-9, abs: 1e-14 }, `vcov[${i}]`);
      });
      if (c.name !== "mtcars-aliased") {
        it("HC0 and HC1 (sandwich::vcovHC)", () => {
          expectAllClose(ses(glm(input, { family, variance: "HC0" })), c.seHC0, SE, "HC0");
          expectAllClose(ses(glm(input, { family, variance: "HC1" })), c.seHC1, SE, "HC1");
        });
      }
      if (c.seClusterHC0 && c.seClusterHC1) {
        it("cluster (sandwich::vcovCL type HC0 and HC1)", () => {
          const cl = glm(input, { family, variance: "cluster" });
          expectAllClose(ses(cl), c.seClusterHC0!, SE, "vcovCL HC0");
          expect(cl.nClusters).toBe(new Set(c.data.cluster).size);
          expectAllClose(
            ses(glm(input, { family, variance: "cluster", clusterAdjust: "HC1" })),
            c.seClusterHC1!,
            SE,
            "vcovCL HC1",
          );
        });
      }
      if (c.seLmClusterDefault) {
        it("gaussian: clusterAdjust HC1 and HC1 equal vcovCL/vcovHC on the lm object", () => {
          expectAllClose(
            ses(glm(input, { family, variance: "cluster", clusterAdjust: "HC1" })),
            c.seLmClusterDefault!,
            SE,
            "lm vcovCL",
          );
          expectAllClose(ses(glm(input, { family, variance: "HC1" })), c.seLmHC1!, SE, "lm HC1");
        });
      }
      if (c.theta !== undefined) {
        it("negative binomial θ and its SE; agrees with MASS::glm.nb", () => {
          expectClose(fit.theta!.estimate, c.theta!, { rel: 1e-10 }, "theta");
          expectClose(fit.theta!.se, c.thetaSE!, { rel: 1e-9 }, "SE(theta)");
          // glm.nb itself stops θ at |Δθ| < ε^¼ and takes SE(θ) one Newton step early.
          const nb = c.glmnb!;
          expectClose(fit.theta!.estimate, nb.theta, { rel: 1e-8 }, "glm.nb theta");
          expectClose(fit.theta!.se, nb.thetaSE, { rel: 1e-4 }, "glm.nb SE.theta");
          expectAllClose(
            fit.coefficients.map((k) => k.estimate),
            nb.coef,
            { rel: 1e-7, abs: 1e-9 },
            "glm.nb coef",
          );
          expectClose(fit.aic, nb.aic, { rel: 1e-9 }, "glm.nb AIC");
        });
      }
      if (c.fitted && c.linear) {
        it("predictGlm reproduces fitted() and the linear predictor", () => {
          const pr = predictGlm(fit, columns(c.data.x), c.data.offset ? { offset: c.data.offset } : {});
          expectAllClose(Array.from(pr.link), c.linear!, { rel: 1e-11, abs: 1e-12 }, "linear predictor");
          expectAllClose(Array.from(pr.response), c.fitted!, { rel: 1e-11, abs: 1e-14 }, "fitted");
          expect(pr.nMissing).toBe(0);
        });
      }
    });
  }

  it("reference distribution: t(df.residual) for gaussian, z otherwise", () => {
    const g = reference.glm.find((c) => c.name === "mtcars-gaussian")!;
    const f = glm(inputOf(g), { family: "gaussian" });
    expect(f.referenceDistribution).toBe("t");
    expect(f.coefficients[1]!.df).toBe(g.dfResidual);
    const b = reference.glm.find((c) => c.name === "birthwt-logistic")!;
    const fb = glm(inputOf(b), { family: "binomial", variance: "HC0" });
    expect(fb.referenceDistribution).toBe("z");
    expect(fb.coefficients[1]!.df).toBeNull();
  });
});

describe("glm: hand-derived closed forms", () => {
  // 2×2 table: unexposed 10/40 events, exposed 18/30.
  const rows = (events: number, total: number, x: number) =>
    Array.from({ length: total }, (_, i) => ({ y: i < events ? 1 : 0, x }));
  const data = [...rows(10, 40, 0), ...rows(18, 30, 1)];
  it("2×2 logistic: intercept = log odds, slope = log OR, Woolf SEs", () => {
    const f = glm(
      { y: data.map((r) => r.y), x: [{ name: "x", values: data.map((r) => r.x) }] },
      { family: "binomial" },
    );
    const [b0, b1] = f.coefficients;
    expectClose(b0!.estimate, Math.log(10 / 30), { rel: 1e-12 }, "intercept");
    expectClose(b1!.estimate, Math.log(18 / 12 / (10 / 30)), { rel: 1e-12 }, "log OR");
    expectClose(b0!.se, Math.sqrt(1 / 10 + 1 / 30), { rel: 1e-12 }, "SE intercept");
    expectClose(b1!.se, Math.sqrt(1 / 10 + 1 / 30 + 1 / 18 + 1 / 12), { rel: 1e-12 }, "SE log OR");
    const ll = 10 * Math.log(0.25) + 30 * Math.log(0.75) + 18 * Math.log(0.6) + 12 * Math.log(0.4);
    expectClose(f.logLik, ll, { rel: 1e-13 }, "logLik");
    expectClose(f.aic, -2 * ll + 4, { rel: 1e-13 }, "AIC");
  });
  it("the same table as proportions with trials as weights (binomial likelihood includes log C(n,k))", () => {
    const f = glm(
      { y: [10 / 40, 18 / 30], x: [{ name: "x", values: [0, 1] }], weights: [40, 30] },
      { family: "binomial" },
    );
    expectClose(f.coefficients[1]!.estimate, Math.log(4.5), { rel: 1e-12 }, "log OR");
    expectClose(f.coefficients[1]!.se, Math.sqrt(1 / 10 + 1 / 30 + 1 / 18 + 1 / 12), { rel: 1e-12 }, "SE");
    const lchoose = (n: number, k: number) => {
      let s = 0;
      for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
      return s;
    };
    const ll =
      lchoose(40, 10) +
      10 * Math.log(0.25) +
      30 * Math.log(0.75) +
      lchoose(30, 18) +
      18 * Math.log(0.6) +
      12 * Math.log(0.4);
    expectClose(f.logLik, ll, { rel: 1e-12 }, "logLik");
    expectClose(f.deviance, 0, { abs: 1e-10 }, "saturated deviance");
  });
  it("Poisson with exposure offset, two groups: log rate ratio and SEs", () => {
    const y = [5, 7, 10, 20];
    const t = [40, 60, 50, 100];
    const f = glm(
      { y, x: [{ name: "g", values: [0, 0, 1, 1] }], offset: t.map(Math.log) },
      { family: "poisson" },
    );
    expectClose(f.coefficients[0]!.estimate, Math.log(12 / 100), { rel: 1e-12 }, "log rate");
    expectClose(f.coefficients[1]!.estimate, Math.log(30 / 150 / (12 / 100)), { rel: 1e-12 }, "log RR");
    expectClose(f.coefficients[0]!.se, Math.sqrt(1 / 12), { rel: 1e-12 }, "SE log rate");
    expectClose(f.coefficients[1]!.se, Math.sqrt(1 / 12 + 1 / 30), { rel: 1e-12 }, "SE log RR");
    // Null model with the offset: the pooled rate 42/250.
    const mu0 = t.map((ti) => (ti * 42) / 250);
    const nullDev = 2 * y.reduce((s, yi, i) => s + yi * Math.log(yi / mu0[i]!) - (yi - mu0[i]!), 0);
    expectClose(f.nullDeviance, nullDev, { rel: 1e-12 }, "null deviance");
  });
  it("Wald CI and p-value use z for binomial", () => {
    const f = glm(
      { y: data.map((r) => r.y), x: [{ name: "x", values: data.map((r) => r.x) }] },
      { family: "binomial", confLevel: 0.9 },
    );
    const b = f.coefficients[1]!;
    expectClose(b.ci.lower, b.estimate! - 1.6448536269514722 * b.se!, { rel: 1e-12 }, "lower");
    expect(b.ci.level).toBe(0.9);
    expectClose(b.statistic, b.estimate! / b.se!, { rel: 1e-15 }, "z");
  });
});

describe("glm: degenerate input", () => {
  const x10 = Array.from({ length: 10 }, (_, i) => i + 1);
  it("perfect separation → SEPARATION (no silent estimate)", () => {
    const f = glm(
      { y: x10.map((v) => (v > 5 ? 1 : 0)), x: [{ name: "x", values: x10 }] },
      { family: "binomial" },
    );
    expect(codes(f)).toContain("SEPARATION");
  });
  it("a zero cell (quasi-separation) in logistic and Poisson → SEPARATION", () => {
    const g = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2];
    const yb = [0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0];
    const f = glm(
      {
        y: yb,
        x: [
          { name: "g1", values: g.map((v) => +(v === 1)) },
          { name: "g2", values: g.map((v) => +(v === 2)) },
        ],
      },
      { family: "binomial" },
    );
    expect(codes(f)).toContain("SEPARATION");
    const yp = [0, 0, 0, 0, 0, 3, 1, 4, 2, 2, 1, 0, 2, 1, 3];
    const fp = glm(
      {
        y: yp,
        x: [
          { name: "g1", values: g.map((v) => +(v === 1)) },
          { name: "g2", values: g.map((v) => +(v === 2)) },
        ],
      },
      { family: "poisson" },
    );
    expect(codes(fp)).toContain("SEPARATION");
  });
  it("a constant covariate → CONSTANT_COVARIATE, its coefficient null, the rest as without it", () => {
    const c = reference.glm.find((r) => r.name === "birthwt-logistic")!;
    const x = [...columns(c.data.x), { name: "const", values: c.data.y.map(() => 3) }];
    const f = glm({ y: c.data.y, x }, { family: "binomial" });
    expect(codes(f)).toContain("CONSTANT_COVARIATE");
    const k = f.coefficients.find((b) => b.name === "const")!;
    expect(k.estimate).toBeNull();
    expect(k.aliased).toBe(true);
    expectAllClose(
      f.coefficients.slice(0, -1).map((b) => b.estimate),
      c.coef,
      COEF,
      "coef",
    );
    expect(f.dfResidual).toBe(c.dfResidual);
  });
  it("rank deficiency → SINGULAR_DESIGN with the later collinear column null (R's NA)", () => {
    const c = reference.glm.find((r) => r.name === "mtcars-aliased")!;
    const f = glm(inputOf(c), { family: "gaussian" });
    expect(codes(f)).toContain("SINGULAR_DESIGN");
    expect(f.coefficients.map((k) => k.estimate === null)).toEqual(c.coef.map((v) => v === null));
    expect(f.rank).toBe(c.coef.filter((v) => v !== null).length);
  });
  it("fewer observations than parameters → InsufficientDataError", () => {
    expect(() =>
      glm(
        {
          y: [1, 2],
          x: [
            { name: "a", values: [1, 2] },
            { name: "b", values: [3, 1] },
          ],
        },
        { family: "gaussian" },
      ),
    ).toThrow(InsufficientDataError);
  });
  it("n = p (gaussian): no residual df → NO_RESIDUAL_DF and null SEs", () => {
    const f = glm(
      {
        y: [1, 2, 4],
        x: [
          { name: "a", values: [1, 2, 3] },
          { name: "b", values: [1, 0, 1] },
        ],
      },
      { family: "gaussian" },
    );
    expect(codes(f)).toContain("NO_RESIDUAL_DF");
    expect(f.coefficients[0]!.se).toBeNull();
  });
  it("zero weights are dropped from n and df (as R); counted in nExcluded", () => {
    const c = reference.glm.find((r) => r.name === "birthwt-logistic-zero-weights")!;
    const f = glm(inputOf(c), { family: "binomial" });
    expect(codes(f)).toContain("ZERO_WEIGHTS_DROPPED");
    expect(f.nExcluded).toBe(3);
    expect(f.n).toBe(c.data.y.length - 3);
    expect(f.dfResidual).toBe(c.dfResidual);
  });
  it("NaN rows are excluded and counted; the fit equals the fit without them", () => {
    const c = reference.glm.find((r) => r.name === "quine-poisson")!;
    const x = columns(c.data.x).map((col, j) => ({
      name: col.name,
      values: Array.from(col.values).map((v, i) => (j === 1 && i % 50 === 3 ? Number.NaN : v)),
    }));
    const f = glm({ y: c.data.y, x }, { family: "poisson" });
    expect(f.nExcluded).toBe(3);
    expect(codes(f)).toContain("MISSING_DROPPED");
    const keep = c.data.y.map((_, i) => i % 50 !== 3);
    const g = glm(
      {
        y: c.data.y.filter((_, i) => keep[i]),
        x: columns(c.data.x).map((col) => ({
          name: col.name,
          values: Array.from(col.values).filter((_, i) => keep[i]),
        })),
      },
      { family: "poisson" },
    );
    expectAllClose(
      f.coefficients.map((k) => k.estimate),
      g.coefficients.map((k) => k.estimate),
      { rel: 1e-14, abs: 1e-15 },
      "coef",
    );
  });
  it("Infinity → InvalidInputError", () => {
    expect(() =>
      glm(
        { y: [1, 2, Number.POSITIVE_INFINITY, 3], x: [{ name: "a", values: [1, 2, 3, 4] }] },
        { family: "gaussian" },
      ),
    ).toThrow(InvalidInputError);
    expect(() =>
      glm(
        { y: [1, 2, 2, 3], x: [{ name: "a", values: [1, Number.NEGATIVE_INFINITY, 3, 4] }] },
        { family: "gaussian" },
      ),
    ).toThrow(InvalidInputError);
  });
  it("y outside the family's support → InvalidInputError", () => {
    const x = [{ name: "a", values: [1, 2, 3, 4] }];
    expect(() => glm({ y: [0, 1, 2, 0], x }, { family: "binomial" })).toThrow(InvalidInputError);
    expect(() => glm({ y: [0, 1, -1, 3], x }, { family: "poisson" })).toThrow(InvalidInputError);
    expect(() => glm({ y: [0, 1, 1.5, 3], x }, { family: "negativeBinomial" })).toThrow(InvalidInputError);
    expect(() => glm({ y: [0, 1, 1, 0], x, weights: [1, -1, 1, 1] }, { family: "binomial" })).toThrow(
      InvalidInputError,
    );
  });
  it("non-integer Poisson counts: quasi-likelihood estimates, logLik null, NON_INTEGER_COUNTS", () => {
    const f = glm(
      { y: [0.5, 1.2, 2.5, 3.1, 4], x: [{ name: "a", values: [1, 2, 3, 4, 5] }] },
      { family: "poisson" },
    );
    expect(codes(f)).toContain("NON_INTEGER_COUNTS");
    expect(f.logLik).toBeNull();
    expect(f.aic).toBeNull();
  });
  it("iteration limit → NOT_CONVERGED", () => {
    const f = glm(
      { y: [0, 1, 0, 1, 1, 0, 1, 1, 0, 1], x: [{ name: "a", values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }] },
      { family: "binomial", maxIter: 1 },
    );
    expect(f.converged).toBe(false);
    expect(codes(f)).toContain("NOT_CONVERGED");
  });
  it("negative binomial without overdispersion: θ → ∞ is reported as null with NOT_CONVERGED (Poisson limit)", () => {
    const y = [2, 3, 2, 3, 2, 3, 3, 2, 2, 3, 3, 2, 4, 3, 2, 3];
    const x = [{ name: "a", values: y.map((_, i) => i % 2) }];
    const f = glm({ y, x }, { family: "negativeBinomial" });
    expect(f.theta).toEqual({ estimate: null, se: null });
    expect(f.logLik).toBeNull();
    expect(codes(f)).toContain("NOT_CONVERGED");
    const p = glm({ y, x }, { family: "poisson" });
    expectAllClose(
      f.coefficients.map((k) => k.estimate),
      p.coefficients.map((k) => k.estimate),
      { rel: 1e-12 },
      "Poisson limit",
    );
  });
  it("cluster variance needs cluster labels and at least two clusters", () => {
    const x = [{ name: "a", values: [1, 2, 3, 4] }];
    expect(() => glm({ y: [1, 2, 2, 3], x }, { family: "gaussian", variance: "cluster" })).toThrow(
      InvalidInputError,
    );
    expect(() =>
      glm({ y: [1, 2, 2, 3], x, cluster: [1, 1, 1, 1] }, { family: "gaussian", variance: "cluster" }),
    ).toThrow(InvalidInputError);
  });
  it("predictGlm counts rows with missing covariates and returns NaN there", () => {
    const c = reference.glm.find((r) => r.name === "birthwt-logistic")!;
    const f = glm(inputOf(c), { family: "binomial" });
    const x = columns(c.data.x).map((col, j) => ({
      name: col.name,
      values: Array.from(col.values).map((v, i) => (j === 0 && i < 2 ? Number.NaN : v)),
    }));
    const pr = predictGlm(f, x);
    expect(pr.nMissing).toBe(2);
    expect(Number.isNaN(pr.response[0]!)).toBe(true);
    expectClose(pr.response[5], c.fitted![5]!, { rel: 1e-11 }, "fitted[5]");
  });
});
