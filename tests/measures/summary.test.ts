/**
 * Group summaries (core/summary.ts) and §15.13 "not evaluable is never zero".
 * Reference values from R 4.2.2 (stats), printed with sprintf("%.17g"):
 *   poisson.test(4, 199)$conf.int * 1000        → 5.4767104202327905, 51.465269725646728
 *   poisson.test(0, 50)$conf.int * 1000 (upper) → 73.777589082278709
 *   t.test(c(0.2, 0.5, 0.9))$conf.int           → -0.33906716018017929, 1.405733826846846
 *   prop.test(2, 3, correct = FALSE)$conf.int   → 0.20765960080204782, 0.93850805527960379
 */
import { describe, expect, it } from "vitest";
import {
  meanEstimate,
  poissonRateEstimate,
  proportionEstimate,
  summarizeMean,
  summarizeProportion,
  summarizeRate,
} from "../../src/measures/core/summary.js";
import { expectClose } from "../helpers/expect-close.js";

describe("summary helpers", () => {
  it("exact Poisson (Garwood) rate interval matches R poisson.test", () => {
    const e = poissonRateEstimate(4, 199, 1000, "1,000 person-days");
    expectClose(e.estimate, (4 / 199) * 1000, { rel: 1e-15 }, "rate");
    expectClose(e.ci.lower, 5.4767104202327905, { rel: 1e-9 }, "lower");
    expectClose(e.ci.upper, 51.465269725646728, { rel: 1e-9 }, "upper");
    const z = poissonRateEstimate(0, 50, 1000, "1,000 person-days");
    expect(z.estimate).toBe(0);
    expect(z.ci.lower).toBe(0);
    expectClose(z.ci.upper, 73.777589082278709, { rel: 1e-9 }, "upper at 0 events");
  });
  it("t interval for a mean matches R t.test", () => {
    const e = meanEstimate([0.2, 0.5, 0.9]);
    expectClose(e.estimate, 1.6 / 3, { rel: 1e-15 }, "mean");
    expectClose(e.ci.lower, -0.33906716018017929, { rel: 1e-9 }, "lower");
    expectClose(e.ci.upper, 1.405733826846846, { rel: 1e-9 }, "upper");
  });
  it("proportions go through the Wilson adapter (R prop.test without correction)", () => {
    const e = proportionEstimate(2, 3);
    expectClose(e.ci.lower, 0.20765960080204782, { rel: 1e-9 }, "lower");
    expectClose(e.ci.upper, 0.93850805527960379, { rel: 1e-9 }, "upper");
  });
  it("by arm, with not-evaluable units counted in nExcluded", () => {
    const s = summarizeProportion(
      [1, 0, -1, 1, 1],
      ["PEER", "PEER", "PEER", "COMPARISON", "UNASSIGNED"],
      true,
    );
    expect(s.overall).toMatchObject({ estimate: 0.75, n: 4, nExcluded: 1 });
    expect(s.byArm.PEER).toMatchObject({ estimate: 0.5, n: 2, nExcluded: 1 });
    expect(s.byArm.COMPARISON).toMatchObject({ estimate: 1, n: 1 });
    expect(Object.keys(s.byArm)).toEqual(["COMPARISON", "PEER", "UNASSIGNED"]);
  });
});

describe("§15.13 not evaluable is never zero", () => {
  it("empty denominators give null estimates, not 0 or 100 %", () => {
    expect(proportionEstimate(0, 0).estimate).toBeNull();
    expect(poissonRateEstimate(0, 0, 1000, "x").estimate).toBeNull();
    expect(meanEstimate([]).estimate).toBeNull();
    expect(summarizeProportion([-1, -1], ["A", "A"], true).overall).toMatchObject({
      estimate: null,
      n: 0,
      nExcluded: 2,
    });
    expect(summarizeMean([null, null], ["A", "A"], false).overall.estimate).toBeNull();
    expect(summarizeRate([null], [null], ["A"], false).overall.per1000PersonDays.estimate).toBeNull();
  });
  it("one evaluable value gives a mean without an interval (flagged)", () => {
    const e = meanEstimate([3]);
    expect(e).toMatchObject({ estimate: 3, se: null, ci: { lower: null, upper: null } });
    expect(e.warnings.map((w) => w.code)).toEqual(["MEASURE_SMALL_GROUP"]);
  });
});
