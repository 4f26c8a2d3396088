/**
 * coxPH, residuals and curves against R survival 3.5-3 (tests/reference/cox/make-cox.R → cox.json,
 * coxph.control(eps = 1e-12, iter.max = 100)). Observed agreement is ~1e-13 relative; the
 * tolerances below leave room for summation order only.
 */
import { describe, expect, it } from "vitest";
import { type CoxInput, type CoxOptions, type CoxPHResult, coxPH } from "../../../src/stats/survival/cox.js";
import {
  coxDfbeta,
  coxMartingaleResiduals,
  coxSchoenfeldResiduals,
  coxScoreResiduals,
  coxSurvivalCurve,
} from "../../../src/stats/survival/cox-residuals.js";
import { expectAllClose, expectClose } from "../../helpers/expect-close.js";
import { type CoxReference, loadCoxReference, refCol, rowsOf } from "./cox-textbook.js";

const ref = loadCoxReference();
const TOL = { rel: 1e-9, abs: 1e-12 };
const TOL_RESID = { rel: 1e-8, abs: 1e-11 };

const lungCov = ["age", "sex", "ph.ecog"];
const lung = (extra: Partial<CoxInput> = {}): CoxInput => ({
  time: refCol(ref, "lung", "time"),
  status: refCol(ref, "lung", "status"),
  x: lungCov.map((c) => refCol(ref, "lung", c)),
  names: lungCov,
  ...extra,
});
const vetCov = ["trt", "karno", "smallcell", "adeno", "large"];
const veteran = (): CoxInput => ({
  time: refCol(ref, "veteran", "time"),
  status: refCol(ref, "veteran", "status"),
  x: vetCov.map((c) => refCol(ref, "veteran", c)),
  names: vetCov,
});
const heartCov = ["age", "year", "surgery", "transplant"];
const heart = (extra: Partial<CoxInput> = {}): CoxInput => ({
  start: refCol(ref, "heart", "start"),
  stop: refCol(ref, "heart", "stop"),
  status: refCol(ref, "heart", "event"),
  x: heartCov.map((c) => refCol(ref, "heart", c)),
  names: heartCov,
  ...extra,
});

/** Checks every stored quantity of an R coxph fit. */
function checkFit(fit: CoxPHResult, r: CoxReference, label: string): void {
  expectAllClose(fit.coefficients, r.coefficients, TOL, `${label} coefficients`);
  expectAllClose(fit.variance.flat(), (r.var as number[][]).flat(), TOL, `${label} var`);
  if (r.naive_var)
    expectAllClose(fit.varianceModel.flat(), (r.naive_var as number[][]).flat(), TOL, `${label} naive.var`);
  expectAllClose([fit.logLikInit, fit.logLik], r.loglik, { rel: 1e-12 }, `${label} loglik`);
  expectClose(fit.tests.score.statistic, r.score, TOL, `${label} score test`);
  expectClose(fit.tests.wald.statistic, r.wald_test, TOL, `${label} Wald test`);
  if (r.rscore !== undefined)
    expectClose(fit.tests.robustScore?.statistic, r.rscore, TOL, `${label} robust score`);
  else expect(fit.tests.robustScore).toBeNull();
  expect(fit.n, `${label} n`).toBe(r.n);
  expect(fit.nEvents, `${label} nevent`).toBe(r.nevent);
  const c = fit.concordance;
  expect(c).not.toBeNull();
  const rc = r.concordance as number[];
  expectAllClose(
    [c?.concordant ?? null, c?.discordant ?? null, c?.tiedX ?? null, c?.tiedY ?? null, c?.tiedXY ?? null],
    rc.slice(0, 5),
    { rel: 1e-12 },
    `${label} concordance counts`,
  );
  expectClose(c?.estimate, rc[5] as number, { rel: 1e-12 }, `${label} C`);
  expectClose(c?.se, rc[6] as number, { rel: 1e-10 }, `${label} C std`);
}

const cases: { key: string; input: () => CoxInput; options?: CoxOptions; robust: boolean }[] = [
  { key: "lung_efron", input: () => lung(), robust: false },
  { key: "lung_breslow", input: () => lung(), options: { ties: "breslow" }, robust: false },
  { key: "lung_strata", input: () => lung({ strata: refCol(ref, "lung", "inst") }), robust: false },
  { key: "lung_cluster", input: () => lung({ cluster: refCol(ref, "lung", "inst") }), robust: true },
  { key: "lung_weighted", input: () => lung({ weights: refCol(ref, "lung", "wt") }), robust: true },
  {
    key: "lung_weighted_breslow",
    input: () => lung({ weights: refCol(ref, "lung", "wt") }),
    options: { ties: "breslow" },
    robust: true,
  },
  { key: "veteran_efron", input: veteran, robust: false },
  { key: "veteran_breslow", input: veteran, options: { ties: "breslow" }, robust: false },
  { key: "heart_efron", input: () => heart(), robust: false },
  { key: "heart_cluster", input: () => heart({ cluster: refCol(ref, "heart", "id") }), robust: true },
];

describe("coxPH against R coxph (survival 3.5-3)", () => {
  for (const c of cases) {
    it(`${c.key}: ${String(ref.fits[c.key].call)}`, () => {
      const fit = coxPH(c.input(), c.options ?? {});
      expect(fit.robust, "robust default as R").toBe(c.robust);
      expect(fit.converged).toBe(true);
      checkFit(fit, ref.fits[c.key], c.key);
    });
  }

  it("lung (strata(inst)): rows with a missing inst or ph.ecog are excluded and counted", () => {
    const fit = coxPH(lung({ strata: refCol(ref, "lung", "inst") }));
    expect(fit.nExcluded).toBe(2);
    expect(fit.strata.length).toBe(18);
    expect(fit.warnings.map((w) => w.code)).toContain("MISSING_DROPPED");
  });

  it("lung_cluster: FEW_CLUSTERS flags the 18 institutions; the method names the variance", () => {
    const fit = coxPH(lung({ cluster: refCol(ref, "lung", "inst") }));
    expect(fit.nClusters).toBe(18);
    expect(fit.warnings.map((w) => w.code)).toContain("FEW_CLUSTERS");
    expect(fit.method).toMatch(/robust sandwich variance \(18 clusters/);
  });

  it("non-integer weights: robust by default with NON_INTEGER_WEIGHTS", () => {
    const fit = coxPH(lung({ weights: refCol(ref, "lung", "wt") }));
    expect(fit.warnings.map((w) => w.code)).toContain("NON_INTEGER_WEIGHTS");
  });
});

describe("residuals and predicted curve against R (lung, Efron)", () => {
  const fit = coxPH(lung());
  const r = ref.fits.lung_efron;
  // R's residuals() use na.omit here: the row with a missing ph.ecog is absent.
  it("martingale", () => {
    const m = Array.from(coxMartingaleResiduals(fit)).filter((v) => !Number.isNaN(v));
    expectAllClose(m, r.martingale, TOL_RESID, "martingale");
  });
  it("score", () => {
    expectAllClose(
      rowsOf(coxScoreResiduals(fit).columns).flat(),
      (r.score_resid as number[][]).flat(),
      TOL_RESID,
      "score",
    );
  });
  it("schoenfeld (deaths in time order)", () => {
    const s = coxSchoenfeldResiduals(fit);
    expectAllClose(rowsOf(s.columns).flat(), (r.schoenfeld as number[][]).flat(), TOL_RESID, "schoenfeld");
  });
  it("dfbeta (weighted, model variance)", () => {
    expectAllClose(
      rowsOf(coxDfbeta(fit).columns).flat(),
      (r.dfbeta as number[][]).flat(),
      TOL_RESID,
      "dfbeta",
    );
  });
  it("survfit(fit, newdata) curve: time, cumhaz, surv, std.err", () => {
    const cv = coxSurvivalCurve(fit, r.curve.z)[0];
    expect(cv).toBeDefined();
    if (!cv) return;
    expect(Array.from(cv.time)).toEqual(r.curve.time);
    expectAllClose(cv.cumulativeHazard, r.curve.cumhaz, TOL, "cumhaz");
    expectAllClose(cv.survival, r.curve.surv, TOL, "surv");
    expectAllClose(Array.from(cv.varianceCumulativeHazard, Math.sqrt), r.curve.std_err, TOL, "std.err");
  });
  it("weighted fit: dfbeta = w · score · naive var", () => {
    const fw = coxPH(lung({ weights: refCol(ref, "lung", "wt") }));
    expectAllClose(
      rowsOf(coxDfbeta(fw).columns).flat(),
      (ref.fits.lung_weighted.dfbeta as number[][]).flat(),
      TOL_RESID,
      "weighted dfbeta",
    );
  });
  it("counting-process data (heart): martingale and score residuals", () => {
    const fh = coxPH(heart());
    const rh = ref.fits.heart_efron;
    expectAllClose(coxMartingaleResiduals(fh), rh.martingale, TOL_RESID, "heart martingale");
    expectAllClose(
      rowsOf(coxScoreResiduals(fh).columns).flat(),
      (rh.score_resid as number[][]).flat(),
      TOL_RESID,
      "heart score",
    );
  });
});
