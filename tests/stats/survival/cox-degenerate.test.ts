/**
 * coxPH on degenerate input: every case gets a coded warning or a clear error. Reference values
 * here are structural (a fit equals another fit on edited data) or from R (the separation case,
 * checked in R 4.2.2 / survival 3.5-3: coef 22.328883, 1.345804 after 19 iterations with the default
 * eps = 1e-9, and the warning "Loglik converged before variable 1").
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/stats/errors.js";
import { type CoxInput, coxLogLik, coxPH } from "../../../src/stats/survival/cox.js";
import { coxMartingaleResiduals } from "../../../src/stats/survival/cox-residuals.js";
import { expectAllClose, expectClose } from "../../helpers/expect-close.js";

const codes = (r: { warnings: readonly { code: string }[] }) => r.warnings.map((w) => w.code);

// Small data set (TG data set 1 extended) used by several cases.
const time = [9, 3, 1, 1, 6, 6, 8, 2, 5, 7, 4, 10];
const status = [1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0];
const x1 = [0, 2, 1, 1, 1, 0, 0, 1, 2, 0, 1, 2];
const x2 = [0.5, 1.2, -0.3, 0.8, 2.1, 0.1, -1, 0.4, 0.9, 1.5, -0.2, 0.3];

describe("coxPH degenerate input", () => {
  it("no events: NO_EVENTS, null coefficients and tests", () => {
    const r = coxPH({ time, status: status.map(() => 0), x: [x1] });
    expect(codes(r)).toContain("NO_EVENTS");
    expect(r.coefficients).toEqual([null]);
    expect(r.tests.wald.statistic).toBeNull();
    expect(r.logLik).toBeNull();
  });

  it("a constant covariate: CONSTANT_COVARIATE, null coefficient, the others as without it", () => {
    const r = coxPH({ time, status, x: [x1, time.map(() => 3), x2], names: ["x1", "k", "x2"] });
    const ref = coxPH({ time, status, x: [x1, x2], names: ["x1", "x2"] });
    expect(codes(r)).toContain("CONSTANT_COVARIATE");
    expect(r.coefficients[1]).toBeNull();
    expect(r.terms[1]?.hazardRatio).toBeNull();
    expectAllClose(
      [r.coefficients[0] ?? null, r.coefficients[2] ?? null],
      ref.coefficients,
      { rel: 1e-12 },
      "coef",
    );
    expect(r.variance[1]).toEqual([null, null, null]);
    expect(r.tests.likelihoodRatio.df).toBe(2);
  });

  it("all covariates constant: log L at 0 only, no tests", () => {
    const r = coxPH({ time, status, x: [time.map(() => 1)] });
    expect(codes(r)).toContain("CONSTANT_COVARIATE");
    expect(r.coefficients).toEqual([null]);
    expect(r.logLik).not.toBeNull();
    expect(r.tests.score.statistic).toBeNull();
  });

  it("collinear covariates: SINGULAR_DESIGN, the aliased coefficient is null (R: NA)", () => {
    const r = coxPH({ time, status, x: [x2, x2.map((v) => 2 * v - 1)], names: ["a", "b"] });
    const ref = coxPH({ time, status, x: [x2] });
    expect(codes(r)).toContain("SINGULAR_DESIGN");
    expect(r.coefficients[1]).toBeNull();
    expectClose(r.coefficients[0], ref.coefficients[0] as number, { rel: 1e-10 }, "coef a");
    expect(r.tests.wald.df).toBe(1);
  });

  it("perfect separation (monotone likelihood): SEPARATION; with eps = 1e-9 the iterates are R's", () => {
    const t = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const s = [1, 1, 1, 1, 1, 1, 0, 1, 0, 1];
    const xs = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
    const xz = [0.3, 0.1, 0.5, 0.2, 0.9, 0.4, 0.8, 0.6, 0.7, 0.1];
    const rR = coxPH({ time: t, status: s, x: [xs, xz] }, { eps: 1e-9 });
    expect(codes(rR)).toContain("SEPARATION");
    expect(rR.iterations).toBe(19);
    expectAllClose(rR.coefficients, [22.328883, 1.345804], { rel: 1e-6 }, "R coef");
    const r = coxPH({ time: t, status: s, x: [xs, xz] });
    expect(codes(r)).toContain("SEPARATION");
    expect(codes(r)).not.toContain("NOT_CONVERGED");
    expect(r.warnings.find((w) => w.code === "SEPARATION")?.detail?.covariates).toEqual(["x1"]);
  });

  it("fewer events than parameters: FEW_EVENTS (and the monotone likelihood it implies)", () => {
    const r = coxPH({
      time: [1, 2, 3, 4],
      status: [1, 0, 0, 0],
      x: [
        [1, 2, 3, 4],
        [0, 1, 0, 1],
        [3, 1, 2, 5],
      ],
    });
    expect(codes(r)).toContain("FEW_EVENTS");
    expect(codes(r)).toContain("SEPARATION");
  });

  it("too few iterations: NOT_CONVERGED", () => {
    const r = coxPH({ time, status, x: [x1, x2] }, { maxIter: 2 });
    expect(codes(r)).toContain("NOT_CONVERGED");
    expect(r.converged).toBe(false);
  });

  it("zero weights: rows excluded with ZERO_WEIGHTS_DROPPED; the fit equals the fit without them", () => {
    const w = time.map((_, i) => (i === 2 || i === 7 ? 0 : 1));
    const keep = (a: number[]) => a.filter((_, i) => w[i] !== 0);
    const r = coxPH({ time, status, x: [x1, x2], weights: w });
    const ref = coxPH({ time: keep(time), status: keep(status), x: [keep(x1), keep(x2)] });
    expect(codes(r)).toContain("ZERO_WEIGHTS_DROPPED");
    expect(r.nExcluded).toBe(2);
    expectAllClose(r.coefficients, ref.coefficients as number[], { rel: 1e-12 }, "coef");
    expectAllClose(r.variance.flat(), ref.variance.flat() as number[], { rel: 1e-12 }, "var");
    expect(r.robust).toBe(false);
    const m = coxMartingaleResiduals(r);
    expect(Number.isNaN(m[2] as number)).toBe(true);
  });

  it("NaN / null values: rows excluded and counted (MISSING_DROPPED)", () => {
    const xa = [...x2];
    xa[3] = Number.NaN;
    const ta: (number | null)[] = [...time];
    ta[5] = null;
    const r = coxPH({ time: ta, status, x: [x1, xa] });
    expect(r.nExcluded).toBe(2);
    expect(r.n).toBe(10);
    expect(codes(r)).toContain("MISSING_DROPPED");
  });

  it("Infinity, bad status, negative weights, start ≥ stop, bad shapes: InvalidInputError", () => {
    const bad =
      (input: Partial<CoxInput>, opts = {}) =>
      () =>
        coxPH({ time, status, x: [x1], ...input } as CoxInput, opts);
    expect(bad({ x: [x1.map((v, i) => (i === 0 ? Number.POSITIVE_INFINITY : v))] })).toThrow(
      InvalidInputError,
    );
    expect(bad({ time: time.map((v, i) => (i === 0 ? Number.POSITIVE_INFINITY : v)) })).toThrow(
      InvalidInputError,
    );
    expect(bad({ status: status.map((v, i) => (i === 0 ? 2 : v)) })).toThrow(InvalidInputError);
    expect(bad({ weights: time.map((_, i) => (i === 0 ? -1 : 1)) })).toThrow(InvalidInputError);
    expect(bad({ x: [x1.slice(1)] })).toThrow(InvalidInputError);
    expect(bad({}, { ties: "exact" })).toThrow(InvalidInputError);
    expect(bad({}, { init: [0, 0] })).toThrow(InvalidInputError);
    expect(() => coxPH({ start: time.map(() => 5), stop: time, status, x: [x1] })).toThrow(InvalidInputError);
  });

  it("status may be boolean", () => {
    const a = coxPH({ time, status: status.map((s) => s === 1), x: [x1] });
    const b = coxPH({ time, status, x: [x1] });
    expect(a.coefficients).toEqual(b.coefficients);
  });

  it("row-major x with p equals column-major x", () => {
    const rowMajor = x1.flatMap((v, i) => [v, x2[i] as number]);
    const a = coxPH({ time, status, x: Float64Array.from(rowMajor), p: 2 });
    const b = coxPH({ time, status, x: [x1, x2] });
    expectAllClose(a.coefficients, b.coefficients as number[], { rel: 1e-14 }, "coef");
  });

  it("the score at β̂ is 0 (coxLogLik)", () => {
    const r = coxPH({ time, status, x: [x1, x2] });
    const at = coxLogLik({ time, status, x: [x1, x2] }, r.coefficients as number[]);
    expectAllClose(at.score, [0, 0], { abs: 1e-9 }, "U(β̂)");
    expectClose(at.logLik, r.logLik as number, { rel: 1e-14 }, "log L");
  });
});
