import { describe, it } from "vitest";
import { coxLimitLogHr, moudDailyIncrements } from "../../src/synth/index.js";
import { expectClose } from "../helpers/expect-close.js";

function cif(a: number, b: number, k: number, days: number): Float64Array {
  const dF = new Float64Array(days);
  const r = new Float64Array(days);
  moudDailyIncrements(a, b, k, days, dF, r);
  const out = new Float64Array(days + 1);
  for (let j = 0; j < days; j++) out[j + 1] = (out[j] as number) + (dF[j] as number);
  return out;
}

describe("moudDailyIncrements (cumulative incidence with a competing death hazard)", () => {
  it("no death hazard: CIF(t) = 1 − exp(−a t^k) exactly (hand derivation)", () => {
    const c = cif(0.03, 0, 0.5, 366);
    for (const t of [1, 7, 31, 91, 366])
      expectClose(c[t]!, 1 - Math.exp(-0.03 * t ** 0.5), { rel: 1e-12 }, `t=${t}`);
  });

  it("exponential case k = 1: CIF(t) = a/(a+b)·(1 − e^−(a+b)t) (hand derivation)", () => {
    const a = 0.004;
    const b = 0.0003;
    const c = cif(a, b, 1, 366);
    for (const t of [1, 30, 180, 366]) {
      expectClose(c[t]!, (a / (a + b)) * (1 - Math.exp(-(a + b) * t)), { rel: 1e-6 }, `t=${t}`);
    }
  });

  it("Weibull k = 0.5 with death: agrees with Simpson integration of a·e^(−a·u − b·u²) over u = √s", () => {
    const a = 0.05;
    const b = 0.0005;
    const c = cif(a, b, 0.5, 366);
    for (const t of [1, 7, 30, 365]) {
      // ∫0^t a k s^(k−1) e^(−a s^k − b s) ds with s = u²: ∫0^√t a e^(−a u − b u²) du.
      const U = Math.sqrt(t);
      const m = 20_000;
      const h = U / m;
      let s = 0;
      for (let i = 0; i <= m; i++) {
        const u = i * h;
        const f = a * Math.exp(-a * u - b * u * u);
        s += f * (i === 0 || i === m ? 1 : i % 2 === 1 ? 4 : 2);
      }
      expectClose(c[t]!, (s * h) / 3, { rel: 2e-5 }, `t=${t}`);
    }
  });
});

describe("coxLimitLogHr (Struthers–Kalbfleisch limit of the two-group Cox estimate)", () => {
  it("returns log HR exactly when hazards are proportional on every day (score is then zero)", () => {
    const G = 200;
    const D1 = new Float64Array(G);
    const D0 = new Float64Array(G);
    const R1 = new Float64Array(G);
    const R0 = new Float64Array(G);
    let r1 = 1;
    let r0 = 1;
    for (let j = 0; j < G; j++) {
      const h = 0.01 / Math.sqrt(j + 1);
      R1[j] = r1;
      R0[j] = r0;
      D1[j] = r1 * 1.7 * h;
      D0[j] = r0 * h;
      r1 -= D1[j]!;
      r0 -= D0[j]!;
    }
    expectClose(coxLimitLogHr(D1, D0, R1, R0), Math.log(1.7), { abs: 1e-9 }, "log HR");
    expectClose(coxLimitLogHr(D0, D1, R0, R1), -Math.log(1.7), { abs: 1e-9 }, "swapped arms");
  });
});
