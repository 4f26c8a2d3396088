/**
 * The infinitesimal-jackknife influence of the Aalen–Johansen cumulative incidence: checked against a
 * numerical derivative with respect to each case weight (central differences of the estimator itself)
 * and, summed in squares, against the IJ standard error of cumulativeIncidence (R survfit-verified).
 */
import { describe, expect, it } from "vitest";
import { cifInfluenceAt, clusteredSumOfSquares } from "../../src/evaluate/influence.js";
import { cumulativeIncidence } from "../../src/stats/survival/cumulative-incidence.js";
import { expectClose } from "../helpers/expect-close.js";

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function data(n: number, seed: number, ties: boolean) {
  const r = lcg(seed);
  const time = Array.from({ length: n }, () => (ties ? Math.floor(r() * 20) : r() * 20));
  const status = Array.from({ length: n }, () => {
    const u = r();
    return u < 0.45 ? 1 : u < 0.6 ? 2 : 0;
  });
  const weights = Array.from({ length: n }, () => 0.3 + 2.5 * r());
  return { time, status, weights };
}

function cifAt(time: number[], status: number[], weights: number[], t: number): number {
  const r = cumulativeIncidence({ time, status, weights }, { times: [t], grayTest: false });
  return r.curves[0]!.atTimes!.causes.find((c) => c.eventType === 1)!.estimate[0] as number;
}

describe("cifInfluenceAt", () => {
  for (const ties of [false, true]) {
    it(`equals w_i ∂F/∂w_i by central differences (${ties ? "tied" : "untied"} times)`, () => {
      const d = data(40, ties ? 3 : 5, ties);
      for (const t of [2, 9.5, 15, 25]) {
        const inf = cifInfluenceAt(d.time, d.status, d.weights, t);
        expectClose(inf.estimate, cifAt(d.time, d.status, d.weights, t), { rel: 1e-12, abs: 1e-15 }, "F");
        for (let i = 0; i < d.time.length; i++) {
          const h = 1e-6;
          const up = [...d.weights];
          const dn = [...d.weights];
          up[i] = (up[i] as number) + h;
          dn[i] = (dn[i] as number) - h;
          const deriv = (cifAt(d.time, d.status, up, t) - cifAt(d.time, d.status, dn, t)) / (2 * h);
          expectClose(
            inf.influence[i],
            (d.weights[i] as number) * deriv,
            { rel: 1e-5, abs: 1e-9 },
            `unit ${i}, t ${t}`,
          );
        }
      }
    });
  }
  it("sums in squares to the infinitesimal-jackknife SE of cumulativeIncidence", () => {
    const d = data(500, 11, true);
    const times = [0, 3, 8, 14, 19, 30];
    const r = cumulativeIncidence({ time: d.time, status: d.status, weights: d.weights }, { times });
    const se = r.curves[0]!.atTimes!.causes.find((c) => c.eventType === 1)!.stdErr;
    times.forEach((t, k) => {
      const inf = cifInfluenceAt(d.time, d.status, d.weights, t);
      expectClose(
        Math.sqrt(clusteredSumOfSquares(inf.influence, null)),
        se[k] as number,
        { rel: 1e-10, abs: 1e-14 },
        `t ${t}`,
      );
    });
  });
  it("clusters: sums within a cluster before squaring; negative labels are their own cluster", () => {
    expect(clusteredSumOfSquares([1, 2, 3, -1], [0, 0, 1, -1])).toBe(9 + 9 + 1);
    expect(clusteredSumOfSquares([1, 2], null)).toBe(5);
  });
  it("gives zero influence and estimate before the first time", () => {
    const inf = cifInfluenceAt([5, 6], [1, 0], null, 1);
    expect(inf.estimate).toBe(0);
    expect([...inf.influence]).toEqual([0, 0]);
  });
});
