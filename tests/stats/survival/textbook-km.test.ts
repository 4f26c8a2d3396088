/**
 * The shared textbook cases (hand-derived, Therneau & Grambsch / survival's tests) for Kaplan–Meier,
 * log-rank and Aalen–Johansen, at the tolerances stated in each file.
 *
 * Covered: km_tg1, km_tg1b_quantile, km_tg2_counting, km_aml, aj_tiny, aj_mgus1, tg1_logrank,
 * logrank_aml_lung. Not covered: the Fleming–Harrington hazard (fh.*, ctype = 2) and the
 * per-observation influence matrices (influence.*), which these functions do not expose (their
 * aggregate, the IJ standard error, is tested); aj_multistate_tiny (general multi-state models).
 */
import { describe, expect, it } from "vitest";
import {
  cumulativeIncidence,
  kaplanMeier,
  kaplanMeierAtTimes,
  logRankTest,
  rmst,
} from "../../../src/stats/survival/index-km.js";
import { expectClose } from "../../helpers/expect-close.js";
import { col, type Decoded, loadTextbook, num, strCol, type TextbookCase, tol, vec } from "./textbook.js";

/** Compares an output vector with a textbook vector; non-finite expected values (NA/Inf) must be null. */
function cmp(
  tc: TextbookCase,
  name: string,
  actual: readonly (number | null)[],
  expected?: (number | null)[],
) {
  const e = expected ?? vec(tc, name);
  expect(actual.length, `${tc.case} ${name} length`).toBe(e.length);
  e.forEach((x, i) => {
    const want = x === null || !Number.isFinite(x) ? null : x;
    expectClose(actual[i] ?? null, want, tol(tc, name), `${tc.case} ${name}[${i}]`);
  });
}
function cmpNum(tc: TextbookCase, name: string, actual: number | null) {
  expectClose(actual, num(tc, name), tol(tc, name), `${tc.case} ${name}`);
}
const column = (m: Decoded, j: number): (number | null)[] =>
  (m as (number | null)[][]).map((r) => r[j] ?? null);

describe("km_tg1 (data set 1: tied deaths, last subject dies)", () => {
  const tc = loadTextbook("km_tg1");
  const input = { time: col(tc.data, "time"), status: col(tc.data, "status") };
  const fit = kaplanMeier(input);
  const c = fit.curves[0]!;
  it("drops the missing-status row with a coded warning", () => {
    expect(fit.n).toBe(6);
    expect(fit.nExcluded).toBe(1);
    expect(fit.warnings.map((w) => w.code)).toContain("MISSING_DROPPED");
  });
  it("curve, Greenwood SE of log S, Nelson–Aalen, log CI", () => {
    cmp(tc, "km.time", c.time);
    cmp(tc, "km.n_risk", c.nRisk);
    cmp(tc, "km.n_event", c.nEvent);
    cmp(tc, "km.n_censor", c.nCensor);
    cmp(tc, "km.surv", c.surv);
    cmp(tc, "km.std_err", c.stdErrLog);
    cmp(tc, "km.cumhaz", c.cumhaz);
    cmp(tc, "km.std_chaz", c.stdCumhaz);
    cmp(tc, "km.lower", c.lower);
    cmp(tc, "km.upper", c.upper);
  });
  it("log-log CI", () => {
    const ll = kaplanMeier(input, { confType: "log-log" }).curves[0]!;
    cmp(tc, "km.loglog_lower", ll.lower);
    cmp(tc, "km.loglog_upper", ll.upper);
  });
  it("infinitesimal-jackknife SE of S (robust), 0 where S = 0", () => {
    const r = kaplanMeier(input, { variance: "robust" }).curves[0]!;
    cmp(tc, "influence.ij_std_err", r.stdErr);
  });
  it("summary at arbitrary times", () => {
    const s = kaplanMeierAtTimes(fit, vec(tc, "summary.time") as number[]).curves[0]!;
    cmp(tc, "summary.time", s.time);
    cmp(tc, "summary.n_risk", s.nRisk);
    cmp(tc, "summary.n_event", s.nEvent);
    cmp(tc, "summary.surv", s.surv);
    cmp(tc, "summary.std_err", s.stdErr);
  });
  it("RMST and its Greenwood-form SE at tau = 8.5 and 10", () => {
    for (const [tau, key] of [
      [8.5, "rmst_8_5"],
      [10, "rmst_10"],
    ] as const) {
      const e = rmst(input, { tau }).estimates[0]!;
      cmpNum(tc, `${key}.rmean`, e.estimate);
      cmpNum(tc, `${key}.se`, e.se);
    }
  });
});

describe("km_tg1b_quantile (quantiles on flats, before the first jump, not reached)", () => {
  const tc = loadTextbook("km_tg1b_quantile");
  const probs = [1 / 14, 1 / 7, 1 / 3, 1 / 2, 26 / 35, 9 / 10];
  const input = { time: col(tc.data, "time"), status: col(tc.data, "status") };
  it("pooled curve", () => {
    const c = kaplanMeier(input, { quantiles: probs }).curves[0]!;
    cmp(tc, "overall.surv", c.surv);
    cmp(
      tc,
      "overall.quantile",
      c.quantiles.map((q) => q.estimate),
    );
    cmp(
      tc,
      "overall.lower",
      c.quantiles.map((q) => q.lower),
    );
    cmp(
      tc,
      "overall.upper",
      c.quantiles.map((q) => q.upper),
    );
  });
  it("by x", () => {
    const fit = kaplanMeier({ ...input, group: col(tc.data, "x") }, { quantiles: probs });
    expect(fit.groups).toEqual([0, 1]);
    for (const [k, key] of [
      [0, "x0"],
      [1, "x1"],
    ] as const) {
      const c = fit.curves[k]!;
      cmp(
        tc,
        `${key}.quantile`,
        c.quantiles.map((q) => q.estimate),
      );
      cmp(
        tc,
        `${key}.lower`,
        c.quantiles.map((q) => q.lower),
      );
      cmp(
        tc,
        `${key}.upper`,
        c.quantiles.map((q) => q.upper),
      );
    }
  });
});

describe("km_tg2_counting ((start, stop] data, weights, start.time)", () => {
  const tc = loadTextbook("km_tg2_counting");
  const base = { entry: col(tc.data, "start"), time: col(tc.data, "stop"), status: col(tc.data, "event") };
  it("unweighted", () => {
    const fit = kaplanMeier(base);
    const c = fit.curves[0]!;
    expect(fit.countingProcess).toBe(true);
    cmp(tc, "km.time", c.time);
    cmp(tc, "km.n_risk", c.nRisk);
    cmp(tc, "km.n_event", c.nEvent);
    cmp(tc, "km.n_censor", c.nCensor);
    cmp(tc, "km.surv", c.surv);
    cmp(tc, "km.std_err", c.stdErrLog);
    cmp(tc, "km.cumhaz", c.cumhaz);
    cmp(tc, "km.std_chaz", c.stdCumhaz);
    cmp(tc, "km.lower", c.lower);
    cmp(tc, "km.upper", c.upper);
    const s = kaplanMeierAtTimes(fit, [0.5, 1.5, 2.5, 3, 6.5, 14.5, 16.5]).curves[0]!;
    cmp(tc, "summary.surv", s.surv);
  });
  it("integer case weights (Greenwood with weighted counts)", () => {
    const fit = kaplanMeier({ ...base, weights: col(tc.data, "wt") });
    expect(fit.variance).toBe("greenwood");
    const c = fit.curves[0]!;
    cmp(tc, "weighted.time", c.time);
    cmp(tc, "weighted.n_risk", c.nRisk);
    cmp(tc, "weighted.n_event", c.nEvent);
    cmp(tc, "weighted.n_censor", c.nCensor);
    cmp(tc, "weighted.surv", c.surv);
    cmp(tc, "weighted.std_err", c.stdErrLog);
    cmp(tc, "weighted.cumhaz", c.cumhaz);
    cmp(tc, "weighted.std_chaz", c.stdCumhaz);
    cmp(tc, "weighted.lower", c.lower);
    cmp(tc, "weighted.upper", c.upper);
  });
  it("conditional curve given survival to t = 5 (startTime)", () => {
    const c = kaplanMeier({ ...base, weights: col(tc.data, "wt") }, { startTime: 5 }).curves[0]!;
    cmp(tc, "conditional.surv", c.surv);
    cmp(tc, "conditional.std_err", c.stdErrLog);
    cmp(tc, "conditional.cumhaz", c.cumhaz);
  });
});

describe("km_aml (by group, shuffled rows, non-integer weights)", () => {
  const tc = loadTextbook("km_aml");
  const input = { time: col(tc.data, "time"), status: col(tc.data, "status"), group: strCol(tc.data, "x") };
  const weights = col(tc.data, "wt");
  const keys = ["maint", "nonmaint"] as const;
  it("Greenwood (unweighted)", () => {
    const fit = kaplanMeier(input);
    expect(fit.groups).toEqual(["Maintained", "Nonmaintained"]);
    keys.forEach((key, k) => {
      const c = fit.curves[k]!;
      cmp(tc, `${key}.time`, c.time);
      cmp(tc, `${key}.n_risk`, c.nRisk);
      cmp(tc, `${key}.n_event`, c.nEvent);
      cmp(tc, `${key}.n_censor`, c.nCensor);
      cmp(tc, `${key}.surv`, c.surv);
      cmp(tc, `${key}.std_err`, c.stdErrLog);
      cmp(tc, `${key}.cumhaz`, c.cumhaz);
      cmp(tc, `${key}.std_chaz`, c.stdCumhaz);
      cmp(tc, `${key}.lower`, c.lower);
      cmp(tc, `${key}.upper`, c.upper);
    });
  });
  it("IJ standard errors (unweighted, robust)", () => {
    const fit = kaplanMeier(input, { variance: "robust" });
    keys.forEach((key, k) => {
      cmp(tc, `${key}.ij_std_err`, fit.curves[k]!.stdErr);
      cmp(tc, `${key}.ij_std_chaz`, fit.curves[k]!.stdCumhaz);
    });
  });
  it("non-integer weights: robust IJ variance by default", () => {
    const fit = kaplanMeier({ ...input, weights });
    expect(fit.variance).toBe("robust");
    expect(fit.warnings.map((w) => w.code)).toContain("NON_INTEGER_WEIGHTS");
    keys.forEach((key, k) => {
      const c = fit.curves[k]!;
      cmp(tc, `${key}.w_n_risk`, c.nRisk);
      cmp(tc, `${key}.w_n_event`, c.nEvent);
      cmp(tc, `${key}.w_surv`, c.surv);
      cmp(tc, `${key}.w_cumhaz`, c.cumhaz);
      cmp(tc, `${key}.w_ij_std_err`, c.stdErr);
      cmp(tc, `${key}.w_ij_std_chaz`, c.stdCumhaz);
    });
  });
  it("non-integer weights with variance: greenwood (R robust = FALSE)", () => {
    const fit = kaplanMeier({ ...input, weights }, { variance: "greenwood" });
    keys.forEach((key, k) => {
      cmp(tc, `${key}.w_greenwood_std_err`, fit.curves[k]!.stdErrLog);
      cmp(tc, `${key}.w_aalen_std_chaz`, fit.curves[k]!.stdCumhaz);
    });
  });
  it("RMST by group at tau = 161 (common) and 40", () => {
    for (const tau of [161, 40]) {
      const r = rmst(input, { tau });
      keys.forEach((key, k) => {
        cmpNum(tc, `${key}.rmst_${tau}.rmean`, r.estimates[k]!.estimate);
        cmpNum(tc, `${key}.rmst_${tau}.se`, r.estimates[k]!.se);
      });
    }
  });
});

describe("tg1_logrank", () => {
  const tc = loadTextbook("tg1_logrank");
  const input = { time: col(tc.data, "time"), status: col(tc.data, "status"), group: col(tc.data, "x") };
  for (const rho of [0, 1] as const) {
    it(`rho = ${rho}`, () => {
      const r = logRankTest(input, { rho });
      const p = `rho${rho}`;
      expect(r.groups).toEqual([0, 1]);
      cmp(tc, `${p}.n`, r.nPerGroup);
      cmp(tc, `${p}.obs`, r.observed);
      cmp(tc, `${p}.exp`, r.expected);
      const v = tc.quantities[`${p}.var`] as number[][];
      v.forEach((row, i) => {
        cmp(tc, `${p}.var`, r.variance[i]!, row);
      });
      cmpNum(tc, `${p}.chisq`, r.statistic);
      cmpNum(tc, `${p}.df`, r.df);
      cmpNum(tc, `${p}.p`, r.pValue);
    });
  }
});

describe("logrank_aml_lung", () => {
  const tc = loadTextbook("logrank_aml_lung");
  const aml3 = tc.data.aml3 as Record<string, Decoded>;
  const lung = tc.data.lung as Record<string, Decoded>;
  function check(prefix: string, r: ReturnType<typeof logRankTest>) {
    cmp(tc, `${prefix}.n`, r.nPerGroup);
    cmp(tc, `${prefix}.obs`, r.observed);
    cmp(tc, `${prefix}.exp`, r.expected);
    (tc.quantities[`${prefix}.var`] as number[][]).forEach((row, i) => {
      cmp(tc, `${prefix}.var`, r.variance[i]!, row);
    });
    cmpNum(tc, `${prefix}.chisq`, r.statistic);
    cmpNum(tc, `${prefix}.df`, r.df);
    cmpNum(tc, `${prefix}.p`, r.pValue);
  }
  it("aml, two groups", () => {
    const n = 23;
    const r = logRankTest({
      time: col(aml3, "time").slice(0, n),
      status: col(aml3, "status").slice(0, n),
      group: strCol(aml3, "x").slice(0, n),
    });
    check("aml", r);
  });
  it("aml + a dummy group censored before the first death: E = 0, df unchanged", () => {
    const r = logRankTest({ time: col(aml3, "time"), status: col(aml3, "status"), group: strCol(aml3, "x") });
    expect(r.groups).toEqual(["Dummy", "Maintained", "Nonmaintained"]);
    expect(r.warnings.map((w) => w.code)).toContain("GROUP_NO_EXPECTED");
    expect(r.observedOverExpected[0]).toBeNull();
    check("aml_dummy", r);
  });
  it("lung, 8 groups stratified by institution", () => {
    const r = logRankTest({
      time: col(lung, "time"),
      status: col(lung, "status"),
      group: col(lung, "pat_karno"),
      strata: col(lung, "inst"),
    });
    expect(r.n).toBe(224);
    check("lung_strat", r);
  });
});

describe("aj_tiny (competing risks, exact fractions, IJ SE)", () => {
  const tc = loadTextbook("aj_tiny");
  const fit = cumulativeIncidence(
    { time: col(tc.data, "time"), status: col(tc.data, "state") },
    { times: [0, 1, 3.5, 6, 7] },
  );
  const c = fit.curves[0]!;
  it("curve", () => {
    expect(fit.eventTypes).toEqual([1, 2]);
    cmp(tc, "time", c.time);
    cmp(tc, "n_risk", c.nRisk);
    const nev = tc.quantities.n_event as Decoded;
    cmp(tc, "n_event", c.causes[0]!.nEvent, column(nev, 0));
    cmp(tc, "n_event", c.causes[1]!.nEvent, column(nev, 1));
    const ps = tc.quantities.pstate as Decoded;
    cmp(tc, "pstate", c.eventFree, column(ps, 0));
    cmp(tc, "pstate", c.causes[0]!.estimate, column(ps, 1));
    cmp(tc, "pstate", c.causes[1]!.estimate, column(ps, 2));
    const se = tc.quantities.std_err as Decoded;
    cmp(tc, "std_err", c.eventFreeStdErr, column(se, 0));
    cmp(tc, "std_err", c.causes[0]!.stdErr, column(se, 1));
    cmp(tc, "std_err", c.causes[1]!.stdErr, column(se, 2));
  });
  it("summary at times", () => {
    const a = c.atTimes!;
    const ps = tc.quantities["summary.pstate"] as Decoded;
    cmp(tc, "summary.pstate", a.eventFree, column(ps, 0));
    cmp(tc, "summary.pstate", a.causes[0]!.estimate, column(ps, 1));
    cmp(tc, "summary.pstate", a.causes[1]!.estimate, column(ps, 2));
    cmp(tc, "summary.n_risk", a.nRisk);
    const ne = tc.quantities["summary.n_event"] as Decoded;
    cmp(tc, "summary.n_event", a.causes[0]!.nEvent, column(ne, 0));
    cmp(tc, "summary.n_event", a.causes[1]!.nEvent, column(ne, 1));
  });
});

describe("aj_mgus1 (classical CIF formula = Aalen–Johansen = cuminc)", () => {
  const tc = loadTextbook("aj_mgus1");
  const events = strCol(tc.data, "event");
  const status = events.map((e) => (e === "censor" ? 0 : e === "pcm" ? 1 : 2));
  const time = col(tc.data, "time");
  it("pooled curve at every distinct time", () => {
    const c = cumulativeIncidence({ time, status }).curves[0]!;
    cmp(tc, "time", c.time);
    cmp(tc, "n_risk", c.nRisk);
    cmp(tc, "cif_pcm", c.causes[0]!.estimate);
    cmp(tc, "cif_death", c.causes[1]!.estimate);
    cmp(tc, "event_free", c.eventFree);
  });
  it("by sex at fixed times", () => {
    const fit = cumulativeIncidence(
      { time, status, group: strCol(tc.data, "sex") },
      { times: [365, 1825, 3650, 7300, 10950] },
    );
    expect(fit.groups).toEqual(["female", "male"]);
    fit.curves.forEach((c, k) => {
      const key = k === 0 ? "female" : "male";
      cmp(tc, `${key}.cif_pcm`, c.atTimes!.causes[0]!.estimate);
      cmp(tc, `${key}.cif_death`, c.atTimes!.causes[1]!.estimate);
    });
  });
});
