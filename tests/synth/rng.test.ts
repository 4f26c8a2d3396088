import { describe, expect, it } from "vitest";
import { logFactorial, mixKey, Rng } from "../../src/synth/rng.js";
import { expectClose } from "../helpers/expect-close.js";
import reference from "../reference/synth/xoshiro128ss.json" with { type: "json" };

describe("xoshiro128**", () => {
  it("matches the authors' reference C implementation (tests/reference/synth/make-xoshiro128ss.c)", () => {
    for (const c of reference.cases) {
      const rng = new Rng().setState(c.state[0]!, c.state[1]!, c.state[2]!, c.state[3]!);
      const got = c.outputs.map(() => rng.nextU32());
      expect(got).toEqual(c.outputs);
      for (let i = 0; i < 980; i++) rng.nextU32();
      expect(rng.nextU32()).toBe(c.output1001);
    }
  });

  it("is a deterministic function of the key, and different keys give different streams", () => {
    const a = new Rng(mixKey(1, 2, 3));
    const b = new Rng(mixKey(1, 2, 3));
    const c = new Rng(mixKey(1, 2, 4));
    const sa = Array.from({ length: 50 }, () => a.nextU32());
    expect(Array.from({ length: 50 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 50 }, () => c.nextU32())).not.toEqual(sa);
  });
});

// Moments checked against their textbook values with a tolerance of ~5 standard errors.
function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let s = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    ss += x * x;
  }
  const mean = s / n;
  return { mean, variance: ss / n - mean * mean };
}

describe("distribution helpers", () => {
  const N = 200_000;
  it("uniform(0,1): mean 1/2, variance 1/12, never 0 or 1", () => {
    const rng = new Rng(11);
    let lo = 1;
    let hi = 0;
    const m = moments(() => {
      const u = rng.uniform();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      return u;
    }, N);
    expectClose(m.mean, 0.5, { abs: 5 * Math.sqrt(1 / 12 / N) }, "mean");
    expectClose(m.variance, 1 / 12, { abs: 0.002 }, "variance");
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThan(1);
  });

  it("normal: mean 0, variance 1", () => {
    const rng = new Rng(12);
    const m = moments(() => rng.normal(), N);
    expectClose(m.mean, 0, { abs: 5 / Math.sqrt(N) }, "mean");
    expectClose(m.variance, 1, { abs: 5 * Math.sqrt(2 / N) }, "variance");
  });

  it("exponential(1): mean 1, variance 1", () => {
    const rng = new Rng(13);
    const m = moments(() => rng.exponential(), N);
    expectClose(m.mean, 1, { abs: 5 / Math.sqrt(N) }, "mean");
    expectClose(m.variance, 1, { abs: 0.05 }, "variance");
  });

  it.each([0.4, 1.25, 6])("gamma(%f): mean = variance = shape", (shape) => {
    const rng = new Rng(14);
    const m = moments(() => rng.gamma(shape), N);
    expectClose(m.mean, shape, { abs: 5 * Math.sqrt(shape / N) }, "mean");
    expectClose(m.variance, shape, { rel: 0.05 }, "variance");
  });

  it.each([0.3, 4, 29.5, 30, 80])("poisson(%f): mean = variance = λ (both generation paths)", (lambda) => {
    const rng = new Rng(15);
    const m = moments(() => rng.poisson(lambda), N);
    expectClose(m.mean, lambda, { abs: 5 * Math.sqrt(lambda / N) }, "mean");
    expectClose(m.variance, lambda, { rel: 0.04 }, "variance");
  });

  it("poisson(80): P(X = 80) matches e^−λ λ^k / k!", () => {
    const rng = new Rng(16);
    let hits = 0;
    for (let i = 0; i < N; i++) if (rng.poisson(80) === 80) hits++;
    const p = Math.exp(-80 + 80 * Math.log(80) - logFactorial(80));
    expectClose(hits / N, p, { abs: 5 * Math.sqrt((p * (1 - p)) / N) }, "pmf(80)");
  });

  it("geometric(p): failures before success, mean (1−p)/p", () => {
    const rng = new Rng(17);
    const p = 0.01;
    const m = moments(() => rng.geometric(p), N);
    expectClose(m.mean, (1 - p) / p, { rel: 0.02 }, "mean");
    expectClose(m.variance, (1 - p) / (p * p), { rel: 0.05 }, "variance");
    expect(rng.geometric(1)).toBe(0);
  });

  it("logFactorial agrees with the exact sum beyond the table (Stirling branch)", () => {
    let exact = 0;
    for (let i = 2; i <= 400; i++) exact += Math.log(i);
    expectClose(logFactorial(400), exact, { rel: 1e-13 }, "log(400!)");
  });

  it("int(lo, hi) covers both ends uniformly", () => {
    const rng = new Rng(18);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[rng.int(0, 3)]!++;
    for (const c of counts) expectClose(c, 10_000, { abs: 5 * Math.sqrt(10_000 * 0.75) }, "count");
  });
});
