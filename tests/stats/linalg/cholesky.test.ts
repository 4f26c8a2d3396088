/**
 * LDLᵀ Cholesky with rank detection (survival's cholesky2 / chsolve2 / chinv2 semantics), checked
 * against hand-computed inverses and ml-matrix (an independent implementation).
 */
import { inverse, Matrix, solve } from "ml-matrix";
import { describe, expect, it } from "vitest";
import {
  invertSymmetric,
  ldlDecompose,
  ldlInverse,
  ldlSolve,
  quadraticFormInverse,
  sandwich,
  solveSymmetric,
} from "../../../src/stats/linalg/index.js";
import { expectAllClose, expectClose } from "../../helpers/expect-close.js";

// A = [[4, 2, 0.6], [2, 5, 1], [0.6, 1, 3]] (symmetric positive definite).
const A = [4, 2, 0.6, 2, 5, 1, 0.6, 1, 3];

describe("linalg: LDLᵀ Cholesky", () => {
  it("2×2 inverse by hand: [[2, 1], [1, 2]]⁻¹ = [[2, −1], [−1, 2]] / 3", () => {
    const r = invertSymmetric([2, 1, 1, 2], 2);
    expect(r.rank).toBe(2);
    expectAllClose(r.inverse, [2 / 3, -1 / 3, -1 / 3, 2 / 3], { rel: 1e-15, abs: 1e-16 }, "inverse");
  });

  it("3×3 inverse and solve agree with ml-matrix", () => {
    const inv = invertSymmetric(A, 3).inverse;
    const ref = inverse(new Matrix([A.slice(0, 3), A.slice(3, 6), A.slice(6, 9)])).to1DArray();
    expectAllClose(inv, ref, { rel: 1e-13 }, "inverse");
    const b = [1, -2, 0.5];
    const x = solveSymmetric(A, 3, b);
    const xr = solve(
      new Matrix([A.slice(0, 3), A.slice(3, 6), A.slice(6, 9)]),
      Matrix.columnVector(b),
    ).to1DArray();
    expectAllClose(x, xr, { rel: 1e-13 }, "solve");
  });

  it("factor: L D Lᵀ reproduces A", () => {
    const f = ldlDecompose(A, 3);
    const m = f.factor;
    const L = (i: number, j: number) => (i === j ? 1 : i > j ? (m[i * 3 + j] as number) : 0);
    const D = (i: number) => m[i * 3 + i] as number;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += L(i, k) * D(k) * L(j, k);
        expectClose(s, A[i * 3 + j] as number, { rel: 1e-14, abs: 1e-15 }, `A[${i}][${j}]`);
      }
  });

  it("rank detection: an aliased column gets a zero row/column and a zero solution component", () => {
    // Column 3 = column 1 + column 2 of a Gram matrix: rank 2.
    const X = [
      [1, 0, 1],
      [0, 1, 1],
      [1, 1, 2],
      [2, -1, 1],
    ];
    const G = new Array<number>(9).fill(0);
    for (const r of X)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++)
          G[i * 3 + j] = (G[i * 3 + j] as number) + (r[i] as number) * (r[j] as number);
    const f = ldlDecompose(G, 3);
    expect(f.rank).toBe(2);
    expect(f.redundant).toEqual([false, false, true]);
    const inv = ldlInverse(f);
    expect([inv[2], inv[5], inv[6], inv[7], inv[8]]).toEqual([0, 0, 0, 0, 0]);
    // The 2×2 leading block inverse equals the inverse of the reduced matrix.
    const sub = invertSymmetric([G[0] as number, G[1] as number, G[3] as number, G[4] as number], 2).inverse;
    expectAllClose(
      [inv[0] as number, inv[1] as number, inv[3] as number, inv[4] as number],
      sub,
      { rel: 1e-12 },
      "block",
    );
    const x = ldlSolve(f, [1, 2, 3]);
    expect(x[2]).toBe(0);
  });

  it("a clearly negative pivot marks the matrix as not positive semi-definite", () => {
    expect(ldlDecompose([1, 2, 2, 1], 2).nonNegative).toBe(false);
    expect(ldlDecompose([0, 0, 0, 0], 2).rank).toBe(0);
  });

  it("quadratic form bᵀA⁻b and its rank (coxph.wtest)", () => {
    const b = [0.3, -0.1, 0.2];
    const x = solveSymmetric(A, 3, b);
    const q = quadraticFormInverse(A, 3, b);
    expect(q.rank).toBe(3);
    expectClose(
      q.statistic,
      (x[0] as number) * 0.3 - (x[1] as number) * 0.1 + (x[2] as number) * 0.2,
      { rel: 1e-14 },
      "q",
    );
  });

  it("sandwich V M V", () => {
    const V = [2, 1, 1, 3];
    const M = [1, 0.5, 0.5, 2];
    const ref = new Matrix([
      [2, 1],
      [1, 3],
    ])
      .mmul(
        new Matrix([
          [1, 0.5],
          [0.5, 2],
        ]),
      )
      .mmul(
        new Matrix([
          [2, 1],
          [1, 3],
        ]),
      )
      .to1DArray();
    expectAllClose(sandwich(V, M, 2), ref, { rel: 1e-14 }, "sandwich");
  });
});
