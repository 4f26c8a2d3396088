/**
 * Structural properties of coxPH that must hold exactly (up to rounding): invariance to row order,
 * integer case weights ≡ replicated rows, right-censored data ≡ (0, t] counting-process data, and
 * splitting a (start, stop] interval at a non-event time changes nothing.
 */
import { describe, expect, it } from "vitest";
import { type CoxInput, coxPH } from "../../../src/stats/survival/cox.js";
import { coxMartingaleResiduals } from "../../../src/stats/survival/cox-residuals.js";
import { coxZph } from "../../../src/stats/survival/cox-zph.js";
import { expectAllClose, expectClose } from "../../helpers/expect-close.js";
import { loadCoxReference, refCol } from "./cox-textbook.js";

const ref = loadCoxReference();
const cov = ["age", "sex", "ph.ecog"];
const L = (c: string) => refCol(ref, "lung", c);

/** Deterministic permutation (LCG shuffle). */
function permutation(n: number, seed: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}

describe("coxPH structural properties", () => {
  it("row-order invariance (lung, strata, cluster, concordance, residuals)", () => {
    const n = L("time").length;
    const perm = permutation(n, 7);
    const pick = (a: number[]) => perm.map((i) => a[i] as number);
    const base: CoxInput = {
      time: L("time"),
      status: L("status"),
      x: cov.map(L),
      names: cov,
      cluster: L("inst"),
    };
    const shuffled: CoxInput = {
      time: pick(L("time")),
      status: pick(L("status")),
      x: cov.map((c) => pick(L(c))),
      names: cov,
      cluster: pick(L("inst")),
    };
    const a = coxPH(base);
    const b = coxPH(shuffled);
    expectAllClose(b.coefficients, a.coefficients as number[], { rel: 1e-12 }, "coef");
    expectAllClose(b.variance.flat(), a.variance.flat() as number[], { rel: 1e-11 }, "robust var");
    expectClose(b.logLik, a.logLik as number, { rel: 1e-14 }, "loglik");
    expect(b.concordance?.concordant).toBe(a.concordance?.concordant);
    expectClose(b.concordance?.se, a.concordance?.se as number, { rel: 1e-12 }, "C se");
    const ma = coxMartingaleResiduals(a);
    const mb = coxMartingaleResiduals(b);
    expectAllClose(
      perm.map((_, k) => mb[k] as number).filter((v) => !Number.isNaN(v)),
      perm.map((i) => ma[i] as number).filter((v) => !Number.isNaN(v)),
      { rel: 1e-10, abs: 1e-13 },
      "martingale",
    );
    expectClose(coxZph(b).global.statistic, coxZph(a).global.statistic as number, { rel: 1e-11 }, "zph");
  });

  it("integer weights ≡ replicated rows: coefficients, model variance and log L (Breslow)", () => {
    const time = L("time");
    const keep = L("ph.ecog").map((v) => !Number.isNaN(v));
    const w = time.map((_, i) => 1 + (i % 3));
    const rep = (a: number[]) => a.flatMap((v, i) => (keep[i] ? Array<number>(w[i] as number).fill(v) : []));
    const wf = coxPH({ time, status: L("status"), x: cov.map(L), weights: w }, { ties: "breslow" });
    const rf = coxPH(
      { time: rep(time), status: rep(L("status")), x: cov.map((c) => rep(L(c))) },
      { ties: "breslow" },
    );
    expect(wf.robust).toBe(false);
    expectAllClose(wf.coefficients, rf.coefficients as number[], { rel: 1e-11 }, "coef");
    expectAllClose(wf.varianceModel.flat(), rf.varianceModel.flat() as number[], { rel: 1e-10 }, "var");
    expectClose(wf.logLik, rf.logLik as number, { rel: 1e-13 }, "loglik");
    expectClose(wf.tests.score.statistic, rf.tests.score.statistic as number, { rel: 1e-11 }, "score test");
  });

  it("Efron ties: a death row with weight w > 1 is one death, not w tied deaths (as R coxph)", () => {
    // Distinct death times: with weights each death stays a single Efron step, while replication
    // creates w tied deaths that Efron splits into substeps — R behaves the same (textbook case tgw).
    // With Breslow ties weights and replication agree exactly.
    const time = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29];
    const status = [1, 1, 0, 1, 1, 0, 1, 1, 1, 0];
    const x = [0.2, 1.1, -0.4, 0.9, 0.3, -1.2, 0.5, 1.4, -0.1, 0.7];
    const w = [1, 3, 2, 1, 2, 1, 3, 1, 2, 1];
    const rep = (a: number[]) => a.flatMap((v, i) => Array<number>(w[i] as number).fill(v));
    const wf = coxPH({ time, status, x: [x], weights: w });
    const rf = coxPH({ time: rep(time), status: rep(status), x: [rep(x)] });
    expect(Math.abs((wf.coefficients[0] as number) - (rf.coefficients[0] as number))).toBeGreaterThan(1e-3);
    const wb = coxPH({ time, status, x: [x], weights: w }, { ties: "breslow" });
    const rb = coxPH({ time: rep(time), status: rep(status), x: [rep(x)] }, { ties: "breslow" });
    expectAllClose(wb.coefficients, rb.coefficients as number[], { rel: 1e-11 }, "breslow coef");
    // Unit weights reproduce the unweighted Efron fit exactly.
    const uf = coxPH({ time, status, x: [x], weights: time.map(() => 1) });
    expectAllClose(
      uf.coefficients,
      coxPH({ time, status, x: [x] }).coefficients as number[],
      { rel: 1e-14 },
      "unit",
    );
  });

  it("right-censored data ≡ (start, stop] data with start below every time", () => {
    const t = L("time");
    const a = coxPH({ time: t, status: L("status"), x: cov.map(L) });
    const b = coxPH({ start: t.map(() => 0), stop: t, status: L("status"), x: cov.map(L) });
    expectAllClose(b.coefficients, a.coefficients as number[], { rel: 1e-12 }, "coef");
    expectAllClose(b.variance.flat(), a.variance.flat() as number[], { rel: 1e-11 }, "var");
    expect(b.concordance?.concordant).toBe(a.concordance?.concordant);
    expectClose(b.concordance?.se, a.concordance?.se as number, { rel: 1e-11 }, "C se");
  });

  it("splitting (0, t] at a non-event time leaves the fit unchanged", () => {
    const t = L("time");
    const s = L("status");
    const start: number[] = [];
    const stop: number[] = [];
    const st: number[] = [];
    const xs: number[][] = cov.map(() => []);
    const cl: number[] = [];
    t.forEach((ti, i) => {
      const cut = Math.floor(ti / 2) + 0.5; // not an event time (times are whole days)
      const pieces: [number, number, number][] =
        ti > 1
          ? [
              [0, cut, 0],
              [cut, ti, s[i] as number],
            ]
          : [[0, ti, s[i] as number]];
      for (const [a, b, e] of pieces) {
        start.push(a);
        stop.push(b);
        st.push(e);
        for (let j = 0; j < cov.length; j++) (xs[j] as number[]).push(L(cov[j] as string)[i] as number);
        cl.push(i);
      }
    });
    const a = coxPH({ time: t, status: s, x: cov.map(L) }, { robust: true });
    const b = coxPH({ start, stop, status: st, x: xs, cluster: cl });
    expectAllClose(b.coefficients, a.coefficients as number[], { rel: 1e-11 }, "coef");
    expectAllClose(b.varianceModel.flat(), a.varianceModel.flat() as number[], { rel: 1e-10 }, "model var");
    // Robust variance clustered by subject equals the per-subject sandwich of the unsplit data.
    expectAllClose(b.variance.flat(), a.variance.flat() as number[], { rel: 1e-9 }, "robust var");
  });
});
