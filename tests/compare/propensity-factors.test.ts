/**
 * propensityScore with factor-coded covariates (FactorColumn) gives the fit with the dummies written
 * out as dense columns: coefficients, scores, overlap, warnings; missing codes as missing values.
 */
import { describe, expect, it } from "vitest";
import { propensityScore } from "../../src/compare/index.js";
import { InvalidInputError } from "../../src/stats/errors.js";
import type { FactorColumn } from "../../src/stats/regression/index.js";
import { expectDeepClose, factorData, handDummies } from "./factors-helpers.js";

const TOL = { rel: 1e-10, abs: 1e-13 };

describe("propensityScore with factors", () => {
  const d = factorData(3000, 21);
  it("equals the dense-dummy fit (coefficients, scores, overlap, warnings)", () => {
    const f = propensityScore({ treat: d.treat, covariates: d.numeric, factors: d.factors });
    const g = propensityScore({ treat: d.treat, covariates: [...d.numeric, ...handDummies(d.factors)] });
    expect(f.coefficients.map((c) => c.name)).toEqual([
      "(Intercept)",
      "age",
      "score",
      "site1",
      "site2",
      "site3",
      "site4",
      "race1",
      "race2",
      "race3",
      "payer0",
      "payer1",
    ]);
    expectDeepClose(f, g, TOL);
  });

  it("factors only (no numeric covariates)", () => {
    const f = propensityScore({ treat: d.treat, covariates: [], factors: d.factors });
    const g = propensityScore({ treat: d.treat, covariates: handDummies(d.factors) });
    expectDeepClose(f, g, TOL);
  });

  it("a missing code (−1) is a missing covariate: refused by default, excluded on request", () => {
    const site = Int32Array.from(d.factors[0]!.codes);
    for (let i = 0; i < d.n; i += 50) site[i] = -1;
    const factors: FactorColumn[] = [{ ...d.factors[0]!, codes: site }, ...d.factors.slice(1)];
    expect(() => propensityScore({ treat: d.treat, covariates: d.numeric, factors })).toThrow(
      InvalidInputError,
    );
    expect(() => propensityScore({ treat: d.treat, covariates: d.numeric, factors })).toThrow(/site \(60\)/);
    const f = propensityScore({ treat: d.treat, covariates: d.numeric, factors }, { missing: "exclude" });
    const g = propensityScore(
      { treat: d.treat, covariates: [...d.numeric, ...handDummies(factors)] },
      { missing: "exclude" },
    );
    expect(f.nExcluded).toBe(60);
    expect(Array.from(f.complete)).toEqual(Array.from(g.complete));
    // The exclusion message names the factor (f) or each of its dummies (g); everything else agrees.
    expect(f.warnings[0]!.code).toBe("MISSING_COVARIATES_EXCLUDED");
    expect(f.warnings[0]!.detail).toEqual({ count: 60, columns: ["site (60)"] });
    expectDeepClose({ ...f, warnings: f.warnings.slice(1) }, { ...g, warnings: g.warnings.slice(1) }, TOL);
  });

  it("refuses factor codes of the wrong length", () => {
    const bad = { ...d.factors[0]!, codes: new Int32Array(10) };
    expect(() => propensityScore({ treat: d.treat, covariates: d.numeric, factors: [bad] })).toThrow(
      /Int32Array of 3000 values/,
    );
  });
});
