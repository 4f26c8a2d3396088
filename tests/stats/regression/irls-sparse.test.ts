/**
 * The row-sparse X'WX kernel (used for designs with many indicator columns, e.g. propensity models on
 * code covariates) gives the dense kernel's fit — the kernel whose fits are checked against R in
 * glm.test.ts — to rounding: coefficients, X'WX, deviance and aliasing, for every family, with
 * weights, an offset and an aliased dummy.
 */
import { describe, expect, it } from "vitest";
import {
  FAMILY_BINOMIAL,
  FAMILY_GAUSSIAN,
  FAMILY_POISSON,
  type FamilyCode,
  type IrlsData,
  irls,
} from "../../../src/stats/regression/irls.js";
import { expectAllClose, expectClose } from "../../helpers/expect-close.js";

/** xoshiro-free LCG: enough for a deterministic test design. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function design(n: number, aliasedDummy: boolean) {
  const u = lcg(42);
  const cols: Float64Array[] = [new Float64Array(n).fill(1), new Float64Array(n), new Float64Array(n)];
  for (let i = 0; i < n; i++) {
    cols[1]![i] = 20 + 40 * u();
    cols[2]![i] = Math.floor(6 * u());
  }
  // Five factors with 3–9 levels, reference-coded dummies.
  const levels = [3, 5, 9, 4, 6];
  const codes: number[][] = levels.map(() => []);
  for (const [f, L] of levels.entries()) {
    const dummies = Array.from({ length: L - 1 }, () => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const c = Math.floor(L * u() ** (f % 2 === 0 ? 1 : 2));
      codes[f]!.push(c);
      if (c > 0) dummies[c - 1]![i] = 1;
    }
    cols.push(...dummies);
  }
  if (aliasedDummy) cols.push(Float64Array.from(cols[5]!)); // an exact copy: aliased as in R
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++)
    eta[i] =
      -1 +
      0.01 * cols[1]![i]! +
      0.1 * cols[2]![i]! -
      0.3 * (codes[2]![i]! % 3) +
      0.2 * (codes[0]![i] === 2 ? 1 : 0);
  return { cols, eta, u };
}

function data(family: FamilyCode, aliasedDummy: boolean): IrlsData {
  const n = 12_000;
  const { cols, eta, u } = design(n, aliasedDummy);
  const y = new Float64Array(n);
  const weights = new Float64Array(n);
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    weights[i] = 0.5 + u();
    offset[i] = Math.log(30 + 300 * u());
    const mu = family === FAMILY_BINOMIAL ? 1 / (1 + Math.exp(-eta[i]!)) : Math.exp(eta[i]! * 0.3);
    y[i] =
      family === FAMILY_BINOMIAL
        ? u() < mu
          ? 1
          : 0
        : family === FAMILY_POISSON
          ? Math.floor(mu * 3 * u() * 2)
          : eta[i]! + u();
  }
  return {
    n,
    cols,
    y,
    weights,
    offset: family === FAMILY_POISSON ? offset.map((o) => o - 5) : null,
    family,
    theta: 1,
  };
}

describe("irls: sparse and dense kernels agree", () => {
  for (const [name, family] of [
    ["gaussian", FAMILY_GAUSSIAN],
    ["binomial", FAMILY_BINOMIAL],
    ["poisson with offset", FAMILY_POISSON],
  ] as const) {
    for (const aliased of [false, true]) {
      it(`${name}${aliased ? ", with an aliased dummy" : ""}`, () => {
        const d = data(family, aliased);
        const dense = irls(d, { tol: 1e-12, maxIter: 100, sparse: false });
        const sparse = irls(d, { tol: 1e-12, maxIter: 100 });
        expect(sparse.aliased).toEqual(dense.aliased);
        expect(sparse.aliased.some((a) => a)).toBe(aliased);
        expectAllClose(sparse.beta, dense.beta, { rel: 1e-9, abs: 1e-11 }, "coefficients");
        expectAllClose(sparse.xtwx, dense.xtwx, { rel: 1e-11, abs: 1e-9 }, "X'WX");
        expectClose(sparse.deviance, dense.deviance, { rel: 1e-12, abs: 0 }, "deviance");
      });
    }
  }
});
