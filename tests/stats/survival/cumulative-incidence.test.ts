/**
 * cumulativeIncidence / grayTest against R: survfit multi-state (Aalen–Johansen, IJ SEs; log and
 * log-log CIs; with case weights) and cmprsk::cuminc (estimates, Gray variances at time points,
 * Gray's test; with strata and rho = 1) on survival::mgus2 (PCM vs death); a tie across event types.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/stats/errors.js";
import { cumulativeIncidence, grayTest } from "../../../src/stats/survival/index-km.js";
import { expectClose } from "../../helpers/expect-close.js";
import { arr, cmpVec, nums, REF } from "./survival-km-reference.js";

const CLOSE = { rel: 1e-10, abs: 1e-12 };
const mg = REF.data.mgus2;
const input = { time: nums(mg.time), status: nums(mg.status), group: mg.sex as string[] };

describe("Aalen–Johansen vs survfit (mgus2 by sex)", () => {
  it("estimates, IJ standard errors and log CIs at every time", () => {
    const fit = cumulativeIncidence(input);
    expect(fit.groups).toEqual(["F", "M"]);
    expect(fit.eventTypes).toEqual([1, 2]);
    fit.curves.forEach((c, k) => {
      const r = REF.cases.mgus2_aj.curves[k];
      cmpVec(c.time, arr(r.time), { rel: 0, abs: 0 }, "time");
      cmpVec(c.nRisk, arr(r.n_risk), { rel: 0, abs: 0 }, "n_risk");
      cmpVec(c.eventFree, arr(r.pstate_free), CLOSE, "free");
      cmpVec(c.eventFreeStdErr, arr(r.se_free), CLOSE, "se free");
      cmpVec(c.causes[0]!.estimate, arr(r.pstate_pcm), CLOSE, "pcm");
      cmpVec(c.causes[1]!.estimate, arr(r.pstate_death), CLOSE, "death");
      cmpVec(c.causes[0]!.stdErr, arr(r.se_pcm), CLOSE, "se pcm");
      cmpVec(c.causes[1]!.stdErr, arr(r.se_death), CLOSE, "se death");
      cmpVec(c.causes[0]!.lower, arr(r.lower_pcm), CLOSE, "lower pcm");
      cmpVec(c.causes[0]!.upper, arr(r.upper_pcm), CLOSE, "upper pcm");
      cmpVec(c.causes[1]!.lower, arr(r.lower_death), CLOSE, "lower death");
      cmpVec(c.causes[1]!.upper, arr(r.upper_death), CLOSE, "upper death");
    });
  });
  it("log-log CIs (survfit conf.type = 'log-log', the tidycmprsk form)", () => {
    const fit = cumulativeIncidence(input, { confType: "log-log" });
    fit.curves.forEach((c, k) => {
      const r = REF.cases.mgus2_aj.loglog[k];
      cmpVec(c.causes[0]!.lower, arr(r.lower_pcm), CLOSE, "ll lower pcm");
      cmpVec(c.causes[0]!.upper, arr(r.upper_pcm), CLOSE, "ll upper pcm");
      cmpVec(c.causes[1]!.lower, arr(r.lower_death), CLOSE, "ll lower death");
      cmpVec(c.causes[1]!.upper, arr(r.upper_death), CLOSE, "ll upper death");
    });
  });
  it("case weights: weighted estimates and IJ standard errors", () => {
    const fit = cumulativeIncidence({ ...input, weights: nums(mg.w) });
    expect(fit.grayTests).toBeNull();
    expect(fit.warnings.map((w) => w.code)).toContain("TEST_NOT_COMPUTED");
    fit.curves.forEach((c, k) => {
      const r = REF.cases.mgus2_aj_weighted.curves[k];
      // R's multi-state survfit reports unweighted n.risk; ours are weighted sums (as its KM does)
      expect(c.nRisk[0]).toBeCloseTo(c.sumWeights, 10);
      cmpVec(c.eventFree, arr(r.pstate_free), CLOSE, "w free");
      cmpVec(c.eventFreeStdErr, arr(r.se_free), CLOSE, "w se free");
      cmpVec(c.causes[0]!.estimate, arr(r.pstate_pcm), CLOSE, "w pcm");
      cmpVec(c.causes[1]!.estimate, arr(r.pstate_death), CLOSE, "w death");
      cmpVec(c.causes[0]!.stdErr, arr(r.se_pcm), CLOSE, "w se pcm");
      cmpVec(c.causes[1]!.stdErr, arr(r.se_death), CLOSE, "w se death");
    });
  });
  it("values at fixed times (summary(fit, times))", () => {
    const ref = REF.cases.mgus2_aj_summary;
    const fit = cumulativeIncidence(input, { times: nums(ref.times) });
    fit.curves.forEach((c, k) => {
      const r = ref.groups[k];
      const a = c.atTimes!;
      cmpVec(a.nRisk, arr(r.n_risk), { rel: 0, abs: 0 }, "n_risk");
      cmpVec(a.causes[0]!.estimate, arr(r.pcm), CLOSE, "pcm");
      cmpVec(a.causes[1]!.estimate, arr(r.death), CLOSE, "death");
      cmpVec(a.causes[0]!.stdErr, arr(r.se_pcm), CLOSE, "se pcm");
      cmpVec(a.causes[1]!.stdErr, arr(r.se_death), CLOSE, "se death");
    });
  });
});

describe("cmprsk::cuminc (mgus2 by sex)", () => {
  const ref = REF.cases.mgus2_cuminc;
  it("estimates and Gray (delta-method) variances at time points", () => {
    const fit = cumulativeIncidence(input, { variance: "gray", times: nums(ref.times) });
    expect(fit.method).toContain("Gray");
    const keys = [
      ["F_1", 0, 0],
      ["M_1", 1, 0],
      ["F_2", 0, 1],
      ["M_2", 1, 1],
    ] as const;
    for (const [key, g, k] of keys) {
      const a = fit.curves[g]!.atTimes!.causes[k]!;
      cmpVec(a.estimate, arr(ref.est[key]), CLOSE, `est ${key}`);
      cmpVec(
        a.stdErr.map((s) => (s === null ? null : s * s)),
        arr(ref.var[key]),
        CLOSE,
        `var ${key}`,
      );
    }
  });
  it("Gray's test per event type: statistic to 1e-10; p-value at full precision", () => {
    const fit = cumulativeIncidence(input);
    const tests = fit.grayTests!;
    expect(tests.map((t) => t.eventType)).toEqual([1, 2]);
    tests.forEach((t, k) => {
      expectClose(t.statistic, arr(ref.gray_stat)[k]!, CLOSE, `stat ${k}`);
      expect(t.df).toBe(arr(ref.gray_df)[k]);
      expectClose(t.pValue, arr(ref.gray_p_full)[k]!, { rel: 1e-9 }, `p ${k}`);
    });
    // the standalone function gives the same
    const g = grayTest(input, { eventType: 2 });
    expectClose(g.statistic, arr(ref.gray_stat)[1]!, CLOSE, "grayTest");
  });
  it("three groups with strata, and rho = 1", () => {
    const grp = REF.cases.mgus2_gray_age_strata_sex.group as string[];
    const s = REF.cases.mgus2_gray_age_strata_sex;
    for (const type of [1, 2]) {
      const t = grayTest(
        { time: input.time, status: input.status, group: grp, strata: input.group },
        { eventType: type },
      );
      expect(t.groups).toEqual(["a", "b", "c"]);
      expectClose(t.statistic, arr(s.gray_stat)[type - 1]!, CLOSE, `strata stat ${type}`);
      expect(t.df).toBe(2);
      const r1 = grayTest(
        { time: input.time, status: input.status, group: grp },
        { eventType: type, rho: 1 },
      );
      expectClose(
        r1.statistic,
        arr(REF.cases.mgus2_gray_age_rho1.gray_stat)[type - 1]!,
        CLOSE,
        `rho1 ${type}`,
      );
    }
  });
});

describe("ties across event types and degenerate input", () => {
  it("a tie of both event types and a censoring at one time (no jitter)", () => {
    const t = REF.cases.tiny.aj_tie_across_types;
    const c = cumulativeIncidence({ time: nums(t.data.time), status: nums(t.data.status) }).curves[0]!;
    cmpVec(c.time, arr(t.time), { rel: 0, abs: 0 }, "time");
    cmpVec(c.nRisk, arr(t.n_risk), { rel: 0, abs: 0 }, "n_risk");
    const ps = t.pstate as number[][];
    const se = t.std_err as number[][];
    cmpVec(
      c.eventFree,
      ps.map((r) => r[0]!),
      CLOSE,
      "free",
    );
    cmpVec(
      c.causes[0]!.estimate,
      ps.map((r) => r[1]!),
      CLOSE,
      "F1",
    );
    cmpVec(
      c.causes[1]!.estimate,
      ps.map((r) => r[2]!),
      CLOSE,
      "F2",
    );
    cmpVec(
      c.causes[0]!.stdErr,
      se.map((r) => r[1]!),
      CLOSE,
      "se F1",
    );
    cmpVec(
      c.causes[1]!.stdErr,
      se.map((r) => r[2]!),
      CLOSE,
      "se F2",
    );
    // F1 + F2 + S = 1 at every time
    c.time.forEach((_, j) => {
      expect(c.eventFree[j]! + c.causes[0]!.estimate[j]! + c.causes[1]!.estimate[j]!).toBeCloseTo(1, 14);
    });
  });
  it("no events: NO_EVENTS, no causes", () => {
    const fit = cumulativeIncidence({ time: [1, 2, 3], status: [0, 0, 0] });
    expect(fit.eventTypes).toEqual([]);
    expect(fit.warnings.map((w) => w.code)).toContain("NO_EVENTS");
  });
  it("one group: no Gray test; Gray variance with weights → InvalidInputError", () => {
    expect(cumulativeIncidence({ time: [1, 2, 3], status: [1, 2, 0] }).grayTests).toBeNull();
    expect(() =>
      cumulativeIncidence({ time: [1, 2], status: [1, 2], weights: [1, 2] }, { variance: "gray" }),
    ).toThrow(InvalidInputError);
    const g = grayTest({ time: [1, 2, 3], status: [1, 2, 0], group: [1, 1, 1] });
    expect(g.statistic).toBeNull();
    expect(g.warnings.map((w) => w.code)).toContain("ONE_GROUP");
  });
  it("negative or non-integer status → InvalidInputError; NaN → excluded", () => {
    expect(() => cumulativeIncidence({ time: [1, 2], status: [1, -1] })).toThrow(InvalidInputError);
    expect(() => cumulativeIncidence({ time: [1, 2], status: [1, 1.5] })).toThrow(InvalidInputError);
    const fit = cumulativeIncidence({ time: [1, 2, 3], status: [1, Number.NaN, 2] });
    expect(fit.nExcluded).toBe(1);
  });
  it("row order does not matter", () => {
    const n = input.time.length;
    const perm = Array.from({ length: n }, (_, i) => (i * 389) % n);
    const pick = <T>(a: T[]) => perm.map((i) => a[i]!);
    const a = cumulativeIncidence(input);
    const b = cumulativeIncidence({
      time: pick(input.time),
      status: pick(input.status),
      group: pick(input.group),
    });
    expect(b.curves.map((c) => c.causes[0]!.estimate)).toEqual(a.curves.map((c) => c.causes[0]!.estimate));
    b.curves.forEach((c, k) => {
      cmpVec(c.causes[1]!.stdErr, a.curves[k]!.causes[1]!.stdErr, { rel: 1e-12 }, "se");
    });
    expect(b.grayTests!.map((t) => t.statistic)).toEqual(a.grayTests!.map((t) => t.statistic));
  });
});
