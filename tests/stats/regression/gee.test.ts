import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/stats/errors.js";
import { gee, glm } from "../../../src/stats/regression/index.js";
import { expectAllClose, expectClose } from "../../helpers/expect-close.js";
import { columns, reference } from "./reference.js";

// geepack::geeglm refitted with geese.control(epsilon = 1e-13) (make-regression.R).
const TOL = { rel: 1e-9, abs: 1e-12 };

describe("gee against geepack::geeglm", () => {
  for (const c of reference.gee) {
    it(c.name, () => {
      const f = gee(
        {
          y: c.data.y,
          x: columns(c.data.x),
          id: c.data.id,
          ...(c.data.weights ? { weights: c.data.weights } : {}),
        },
        { family: c.family, corstr: c.corstr },
      );
      expect(f.converged).toBe(true);
      expect(f.coefficients.map((k) => k.name)).toEqual(c.coefNames);
      expectAllClose(
        f.coefficients.map((k) => k.estimate),
        c.coef,
        TOL,
        "coef",
      );
      expectAllClose(
        f.coefficients.map((k) => k.se),
        c.se,
        TOL,
        "san.se",
      );
      expectAllClose(
        f.coefficients.map((k) => k.seNaive),
        c.seNaive,
        TOL,
        "naive se",
      );
      expectClose(f.scale, c.scale, TOL, "scale");
      if (c.alpha === null) expect(f.alpha).toBeNull();
      else expectClose(f.alpha, c.alpha, TOL, "alpha");
      expect(f.nClusters).toBe(new Set(c.data.id).size);
    });
  }

  it("independence GEE = GLM estimates; robust variance = vcovCL HC0 without G/(G−1)", () => {
    const c = reference.gee.find((r) => r.name === "seizure-log-independence")!;
    const x = columns(c.data.x);
    const g = gee({ y: c.data.y, x, id: c.data.id }, { family: "poisson", corstr: "independence" });
    const m = glm({ y: c.data.y, x, cluster: c.data.id }, { family: "poisson", variance: "cluster" });
    const nG = g.nClusters;
    expectAllClose(
      g.coefficients.map((k) => k.estimate),
      m.coefficients.map((k) => k.estimate),
      { rel: 1e-10, abs: 1e-12 },
      "coef",
    );
    expectAllClose(
      g.coefficients.map((k) => k.se * Math.sqrt(nG / (nG - 1))),
      m.coefficients.map((k) => k.se),
      { rel: 1e-10 },
      "robust se",
    );
  });

  it("rows need not be sorted by cluster", () => {
    const c = reference.gee.find((r) => r.name === "dietox-identity-exchangeable")!;
    const n = c.data.y.length;
    const perm = Array.from({ length: n }, (_, i) => (i * 7919) % n); // 7919 is prime, coprime with n
    expect(new Set(perm).size).toBe(n);
    const x = columns(c.data.x).map((col) => ({ name: col.name, values: perm.map((i) => col.values[i]!) }));
    const f = gee(
      { y: perm.map((i) => c.data.y[i]!), x, id: perm.map((i) => c.data.id[i]!) },
      { family: "gaussian", corstr: "exchangeable" },
    );
    // Within-cluster order does not matter for the exchangeable structure.
    expectAllClose(
      f.coefficients.map((k) => k.estimate),
      c.coef,
      TOL,
      "coef",
    );
    expectAllClose(
      f.coefficients.map((k) => k.se),
      c.se,
      TOL,
      "se",
    );
  });

  it("degenerate input: rank-deficient design and y outside the support are refused; missing ids excluded", () => {
    const c = reference.gee.find((r) => r.name === "respiratory-logit-exchangeable")!;
    const x = columns(c.data.x);
    const dup = [...x, { name: "dup", values: x[0]!.values }];
    expect(() =>
      gee({ y: c.data.y, x: dup, id: c.data.id }, { family: "binomial", corstr: "exchangeable" }),
    ).toThrow(InvalidInputError);
    const y2 = c.data.y.map((v, i) => (i === 0 ? 2 : v));
    expect(() => gee({ y: y2, x, id: c.data.id }, { family: "binomial", corstr: "exchangeable" })).toThrow(
      InvalidInputError,
    );
    const id = c.data.id.map((v, i) => (i < 4 ? null : v));
    const f = gee({ y: c.data.y, x, id }, { family: "binomial", corstr: "exchangeable" });
    expect(f.nExcluded).toBe(4);
    expect(f.warnings.map((w) => w.code)).toContain("MISSING_DROPPED");
  });
});
