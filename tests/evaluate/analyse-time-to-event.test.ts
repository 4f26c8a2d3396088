/**
 * The days-to-MOUD analysis against R (survival 3.5-3, cmprsk 2.2-11) on the analysed units of the
 * randomized example: tests/reference/days-to-moud/make-days-to-moud.R made the reference values.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyseTimeToEvent } from "../../src/evaluate/analyse-time-to-event.js";
import { expectClose } from "../helpers/expect-close.js";

const dir = join("tests", "reference", "days-to-moud");
const ref = JSON.parse(readFileSync(join(dir, "days-to-moud.json"), "utf8"));
const rows = readFileSync(join(dir, "units.csv"), "utf8").trim().split("\n").slice(1);
const time = rows.map((r) => Number(r.split(",")[0]));
const event = rows.map((r) => Number(r.split(",")[1]));
const group = rows.map((r) => r.split(",")[2] as string);

const CLOSED = { rel: 1e-10, abs: 1e-13 }; // KM / Aalen–Johansen arithmetic and closed-form tests
const FIT = { rel: 1e-7, abs: 1e-10 }; // iterated Cox fit (R at eps 1e-12)

const analysis = analyseTimeToEvent(
  { time, event, group, day0: time.map(() => 0) },
  {
    timepoints: ref.times,
    contrastDay: 30,
    horizonDays: 365,
    confLevel: 0.95,
    smallCellThreshold: 10,
    comparisonGroup: "PEER",
    referenceGroup: "COMPARISON",
  },
);

describe("days-to-MOUD analysis agrees with R", () => {
  it("analyses every unit", () => {
    expect(analysis.groups.reduce((a, g) => a + g.n, 0)).toBe(ref.n);
  });
  for (const arm of ["COMPARISON", "PEER"]) {
    it(`Kaplan–Meier (deaths censored) at fixed days, ${arm}`, () => {
      const r = ref.kaplan_meier.find((x: { arm: string }) => x.arm === arm);
      const g = analysis.groups.find((x) => x.group === arm)!;
      g.oneMinusKaplanMeier.forEach((v, k) => {
        expect(v.nRisk, `n.risk day ${v.time}`).toBe(r.n_risk[k]);
        expectClose(1 - (v.estimate as number), r.surv[k], CLOSED, `surv day ${v.time}`);
        expectClose(v.se, r.std_err[k], CLOSED, `std.err day ${v.time}`);
        expectClose(1 - (v.upper as number), r.lower[k], CLOSED, `lower day ${v.time}`);
        expectClose(1 - (v.lower as number), r.upper[k], CLOSED, `upper day ${v.time}`);
      });
      expect(g.medianKaplanMeier.estimate).toBe(r.median);
    });
    it(`Aalen–Johansen cumulative incidence with death competing, ${arm}`, () => {
      const r = ref.cumulative_incidence.find((x: { arm: string }) => x.arm === arm);
      const g = analysis.groups.find((x) => x.group === arm)!;
      g.cumulativeIncidence.forEach((v, k) => {
        expectClose(v.estimate, r.estimate[k], CLOSED, `cif day ${v.time}`);
        expectClose(v.se, r.std_err[k], CLOSED, `se day ${v.time}`);
        expectClose(v.lower, r.lower[k], CLOSED, `lower day ${v.time}`);
        expectClose(v.upper, r.upper[k], CLOSED, `upper day ${v.time}`);
      });
    });
  }
  it("log-rank and Gray's tests", () => {
    const lr = analysis.tests.find((t) => t.label.startsWith("Log-rank"))!;
    expectClose(lr.statistic, ref.logrank.statistic, CLOSED, "log-rank chi-square");
    expect(lr.df).toBe(ref.logrank.df);
    const gray = analysis.tests.find((t) => t.label.startsWith("Gray"))!;
    expectClose(gray.statistic, ref.gray.statistic, { rel: 1e-8 }, "Gray chi-square");
  });
  it("cause-specific Cox hazard ratio", () => {
    const hr = analysis.effects.find((e) => e.label === "Cause-specific hazard ratio")!;
    expectClose(Math.log(hr.estimate as number), ref.cox.coef, FIT, "log HR");
    expectClose(hr.se, ref.cox.se, FIT, "SE of log HR");
  });
  it("risk difference at day 30 is the difference of the R estimates with independent-group SE", () => {
    const r = ref.cumulative_incidence;
    const k = ref.times.indexOf(30);
    const peer = r.find((x: { arm: string }) => x.arm === "PEER");
    const cmp = r.find((x: { arm: string }) => x.arm === "COMPARISON");
    const rd = analysis.effects.find((e) => e.scale === "difference")!;
    expectClose(rd.estimate, peer.estimate[k] - cmp.estimate[k], CLOSED, "RD");
    expectClose(rd.se, Math.hypot(peer.std_err[k], cmp.std_err[k]), CLOSED, "SE of RD");
    expect(rd.lower as number).toBeLessThan(rd.estimate as number);
  });
});
