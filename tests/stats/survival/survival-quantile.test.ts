/**
 * The quantile rule (survival's findq) and the shared sorting / aeqSurv helpers: the monotone fast
 * path must equal the general path (R's dedup + approx on sorted values) everywhere, including NA
 * values, exact flats within the tolerance and non-monotone CI curves; orderByTime must be a stable
 * ascending order on both its counting-sort and radix paths.
 */
import { describe, expect, it } from "vitest";
import { applyTimefix, orderByTime, sortByTime } from "../../../src/stats/survival/survival-input.js";
import {
  curveFindq,
  findQuantiles,
  QUANTILE_TOLERANCE,
} from "../../../src/stats/survival/survival-quantile.js";

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe("findQuantiles", () => {
  it("hand cases: first crossing, flat within tolerance → midpoint, last flat → midpoint with the last time, not reached", () => {
    // 1 − S: 0 at 0, 0.25 at t = 2, 0.5 (+1e-12) at t = 5 (flat until 7), 0.75 at t = 7; last time 9
    const x = [0, 2, 5, 7, 9];
    const y = [0, 0.25, 0.5 + 1e-12, 0.75, 0.75];
    expect(findQuantiles(x, y, [0, 0.1, 0.25, 0.3, 0.5, 0.6, 0.75, 0.8])).toEqual([
      0,
      2,
      3.5,
      5,
      6,
      7,
      8,
      null,
    ]);
    expect(findQuantiles(x, y, [0.1, 0.25, 0.3, 0.5, 0.6, 0.75, 0.8], QUANTILE_TOLERANCE, false)).toEqual([
      2,
      3.5,
      5,
      6,
      7,
      8,
      null,
    ]);
    // nothing reaches p: all null (R returns NA for every p when max(y) < min(p))
    expect(findQuantiles([0, 1], [0, 0.2], [0.3, 0.5])).toEqual([null, null]);
  });
  it("fast path = general path on random curves (monotone, with NAs, and non-monotone)", () => {
    const rnd = lcg(7);
    const probs = [0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
    for (let rep = 0; rep < 300; rep++) {
      const m = 1 + Math.floor(rnd() * 40);
      const x = [0];
      const y: (number | null)[] = [0];
      let t = 0;
      let v = 0;
      const mode = rep % 3;
      for (let i = 0; i < m; i++) {
        t += 1 + Math.floor(rnd() * 3);
        x.push(t);
        if (rnd() < 0.5) v = Math.min(1, v + Math.floor(rnd() * 4) / 8); // steps of 1/8 hit probs exactly
        let yi: number | null = v;
        if (mode === 1 && rnd() < 0.15) yi = null;
        if (mode === 2 && rnd() < 0.2) yi = Math.max(0, v - 0.125);
        y.push(yi);
      }
      const fast = findQuantiles(x, y, probs);
      const general = findQuantiles(x, y, probs, QUANTILE_TOLERANCE, false);
      expect(fast, `rep ${rep}`).toEqual(general);
    }
  });
  it("curveFindq (no intermediate arrays) = general path, incl. leading/trailing NA runs and exact flats", () => {
    const rnd = lcg(23);
    const probs = [0, 0.125, 0.25, 0.3, 0.5, 0.625, 0.75, 0.875, 1];
    for (let rep = 0; rep < 600; rep++) {
      const m = Math.floor(rnd() * 30);
      const time: number[] = [];
      const curve: (number | null)[] = [];
      let t = 0;
      let sv = 1;
      const mode = rep % 5;
      const lead = mode === 1 || mode === 3 ? Math.floor(rnd() * 4) : 0;
      const trail = mode === 2 || mode === 3 ? Math.floor(rnd() * 4) : 0;
      for (let i = 0; i < m; i++) {
        t += 1 + Math.floor(rnd() * 3);
        time.push(t);
        if (rnd() < 0.6) sv = Math.max(0, sv - Math.floor(rnd() * 3) / 8);
        let v: number | null = sv;
        if (i < lead || i >= m - trail) v = null;
        if (mode === 4 && rnd() < 0.2) v = Math.min(1, sv + 0.125); // non-monotone (like a capped upper curve)
        curve.push(v);
      }
      const first = rep % 7 === 0 ? 0.5 : 0;
      const x = [first, ...time];
      const y = [0, ...curve.map((v) => (v === null ? null : 1 - v))];
      const general = findQuantiles(x, y, probs, QUANTILE_TOLERANCE, false);
      expect(curveFindq(time, curve, probs, first), `rep ${rep}`).toEqual(general);
    }
  });
});

describe("orderByTime", () => {
  function check(keys: Float64Array) {
    const o = orderByTime(keys);
    const { sorted } = sortByTime(keys);
    expect(o.length).toBe(keys.length);
    o.forEach((r, k) => {
      expect(sorted[k]).toBe(keys[r]);
    });
    for (let i = 1; i < o.length; i++) {
      const a = keys[o[i - 1]!]!;
      const b = keys[o[i]!]!;
      expect(a < b || (a === b && o[i - 1]! < o[i]!)).toBe(true); // ascending and stable
    }
  }
  it("integer keys (counting sort) and continuous keys (radix), with ties", () => {
    const rnd = lcg(11);
    check(Float64Array.from({ length: 5000 }, () => Math.floor(rnd() * 300)));
    check(Float64Array.from({ length: 5000 }, () => Math.floor(rnd() * 1e9))); // wide integer range → radix
    check(Float64Array.from({ length: 5000 }, () => (rnd() < 0.3 ? 1.5 : rnd() * 1e3)));
    check(Float64Array.from({ length: 5000 }, () => rnd() * 1e-3 + (rnd() < 0.5 ? 1e6 : 0)));
    check(new Float64Array(10).fill(2.25));
    check(new Float64Array(0));
  });
});

describe("applyTimefix (aeqSurv)", () => {
  // expected values from R 4.2.2 / survival 3.5-3: aeqSurv(Surv(x, rep(1, length(x))))[, 1]
  it("merges chains of near-equal values to the first; the gap is also judged relative to mean |t|", () => {
    const fix = (a: Float64Array) => {
      const s = sortByTime(a);
      return applyTimefix("t", a, s.order, s.sorted, null, null, null);
    };
    const a = Float64Array.from([3, 1 + 2e-8, 1, 1 + 1e-8, 5e9, 5e9 + 1]);
    expect(fix(a)).toBe(4);
    expect(Array.from(a)).toEqual([1, 1, 1, 1, 5e9, 5e9]); // mean |t| ≈ 1.7e9: the gap 1 → 3 counts as a tie
    const b = Float64Array.from([3, 1 + 2e-8, 1, 1 + 1e-8, 2e8, 2e8 + 1, 2e8 + 3]);
    expect(fix(b)).toBe(3);
    expect(Array.from(b)).toEqual([3, 1, 1, 1, 2e8, 2e8, 2e8 + 3]);
  });
  it("with entry times: merged on the union of entry and exit values (R: aeqSurv(Surv(start, stop, event)))", () => {
    // R: aeqSurv(Surv(c(0, 1 + 1e-9, 2), c(1, 2, 3 + 1e-9), c(1, 1, 1))) → start 0, 1, 2; stop 1, 2, 3 + 1e-9
    const entry = Float64Array.from([0, 1 + 1e-9, 2]);
    const time = Float64Array.from([1, 2, 3 + 1e-9]);
    const se = sortByTime(entry);
    const st = sortByTime(time);
    expect(applyTimefix("t", time, st.order, st.sorted, entry, se.order, se.sorted)).toBe(1);
    expect(Array.from(entry)).toEqual([0, 1, 2]);
    expect(Array.from(time)).toEqual([1, 2, 3 + 1e-9]);
  });
});
