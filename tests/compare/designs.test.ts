/** Designs and the time-zero guard. */
import { describe, expect, it } from "vitest";
import {
  alignExposure,
  designMatrix,
  differenceInDifferencesDesign,
  ExposureAfterTimeZeroError,
  matchedDesign,
  prePostDesign,
  randomizedDesign,
  subgroupEffects,
  weightedDesign,
} from "../../src/compare/index.js";
import { InvalidInputError } from "../../src/stats/errors.js";
import { confoundedData, uniform } from "./synthetic.js";

const codes = (r: { warnings: readonly { code: string }[] }) => r.warnings.map((w) => w.code);

describe("time-zero guard", () => {
  // Index day 100 for everyone; exposure on day 100, 101, 130 or never; end of observation.
  const indexDay = [100, 100, 100, 100, 100, 100];
  const exposureDay = [100, 101, 130, null, null, 99];
  const endDay = [400, 400, 110, 105, 400, 400];
  it("refuses exposure after time zero and explains immortal time", () => {
    let err: unknown;
    try {
      alignExposure({ indexDay, exposureDay });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExposureAfterTimeZeroError);
    expect(err).toBeInstanceOf(InvalidInputError);
    const e = err as ExposureAfterTimeZeroError;
    expect(e.count).toBe(2);
    expect(e.maxDelayDays).toBe(30);
    expect(e.message).toMatch(/immortal-time bias/);
    expect(e.message).toMatch(/graceDays/);
    expect(e.message).toMatch(/landmarkDay/);
  });
  it("grace window: exposure within g days counts, later exposure is analysed as unexposed", () => {
    const r = alignExposure({ indexDay, exposureDay }, { graceDays: 1 });
    expect(Array.from(r.treat)).toEqual([1, 1, 0, 0, 0, 1]);
    expect(r.nReclassified).toBe(1);
    expect(Array.from(r.include)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(codes(r)).toContain("EXPOSURE_GRACE_WINDOW");
  });
  it("landmark: units observed to the landmark only, exposure by the landmark, follow-up shifted", () => {
    const r = alignExposure({ indexDay, exposureDay, endDay }, { landmarkDay: 7 });
    // Unit 3 left on day 105 (< 107): excluded; unit 2 exposed on day 130 (> 107): unexposed.
    expect(Array.from(r.include)).toEqual([1, 1, 1, 0, 1, 1]);
    expect(Array.from(r.treat)).toEqual([1, 1, 0, 0, 0, 1]);
    expect(r.shiftDays).toBe(7);
    expect(r.nExcluded).toBe(1);
    expect(() => alignExposure({ indexDay, exposureDay }, { landmarkDay: 7 })).toThrow(/endDay/);
    expect(() => alignExposure({ indexDay, exposureDay }, { landmarkDay: 7, graceDays: 1 })).toThrow(
      /not both/,
    );
  });
  it("designs refuse 'ever exposed' and accept the landmark (time-to-event times shifted)", () => {
    const d = confoundedData(600, 11);
    const u = uniform(3);
    const index = new Array(d.n).fill(0);
    const expo = Array.from(d.treat, (t) => (t ? Math.floor(u() * 20) : null));
    const time = Array.from({ length: d.n }, () => 30 + Math.floor(u() * 300));
    const status = Array.from({ length: d.n }, () => (u() < 0.4 ? 1 : 0));
    const input = {
      timeZero: { indexDay: index, exposureDay: expo, endDay: time },
      id: d.id,
      covariates: { x1: d.x1, x2: d.x2, x3: d.x3 },
      outcomes: { relapse: { type: "timeToEvent" as const, time, status, horizon: 180 } },
    };
    expect(() => matchedDesign(input)).toThrow(ExposureAfterTimeZeroError);
    const r = weightedDesign(input, { weighting: { estimand: "ATE" }, timeZero: { landmarkDay: 14 } });
    expect(r.timeZero!.rule).toBe("landmark");
    expect(r.effects.relapse!.survival!.curves.length).toBe(2);
    const maxTime = Math.max(...r.effects.relapse!.survival!.curves.flatMap((c) => c.time));
    expect(maxTime).toBe(Math.max(...time) - 14);
    expect(codes(r)).toContain("LANDMARK_EXCLUDED");
    expect(() => matchedDesign({ ...input, treat: d.treat })).toThrow(/either treat or timeZero/);
  });
});

describe("randomised, pre/post and DiD designs", () => {
  it("randomised: ITT equals the simple comparison; cluster by site; per-protocol labelled", () => {
    const u = uniform(8);
    const n = 400;
    const arm = Array.from({ length: n }, (_, i) => i % 2);
    const site = Array.from({ length: n }, (_, i) => `s${i % 40}`);
    const y = arm.map((a) => (u() < 0.3 + 0.1 * a ? 1 : 0));
    const adherence = arm.map((a) => (a === 1 && u() < 0.2 ? 0 : 1));
    const r = randomizedDesign({ arm, outcomes: { moud: { type: "binary", y } }, cluster: site, adherence });
    const e = r.effects.moud!;
    const p1 = y.filter((_, i) => arm[i] === 1).reduce((s: number, v) => s + v, 0) / (n / 2);
    const p0 = y.filter((_, i) => arm[i] === 0).reduce((s: number, v) => s + v, 0) / (n / 2);
    expect(e.absolute.estimate).toBeCloseTo(p1 - p0, 12);
    expect(e.relative.estimate).toBeCloseTo(p1 / p0, 10);
    expect(e.variance).toBe("cluster");
    expect(e.arms.treated.estimate).toBeCloseTo(p1, 10);
    expect(r.sensitivity.perProtocol!.moud!.n).toBe(adherence.filter((a) => a === 1).length);
    expect(codes(r)).toContain("PER_PROTOCOL_SENSITIVITY");
  });
  it("pre/post always carries PREPOST_NO_COMPARISON", () => {
    const r = prePostDesign({
      outcomes: { barc: { pre: [30, 35, 40, 38], post: [34, 36, 45, 41], type: "continuous" } },
    });
    expect(codes(r)).toContain("PREPOST_NO_COMPARISON");
    expect(r.effects.barc!.absolute.estimate).toBeCloseTo(3.25, 12);
  });
  it("DiD design: one fit per outcome, event study included", () => {
    const unit: number[] = [];
    const group: number[] = [];
    const period: number[] = [];
    const y: number[] = [];
    const ed: number[] = [];
    for (let i = 0; i < 30; i++) {
      for (let p = -2; p <= 1; p++) {
        unit.push(i);
        group.push(i < 15 ? 1 : 0);
        period.push(p);
        // Exact DiD of 2 visits with unit effects: the cell-mean DiD is exactly 2.
        y.push(3 + (i % 4) + 0.5 * p + (i < 15 && p >= 0 ? 2 : 0));
        ed.push(i % 3);
      }
    }
    const r = differenceInDifferencesDesign({
      unit,
      group,
      period,
      outcomes: { ed: { y }, other: { y: ed } },
    });
    expect(r.effects.ed!.absolute.estimate).toBeCloseTo(2, 10);
    expect(r.effects.ed!.eventStudy!.length).toBe(4);
    expect(r.effects.ed!.cells.treatedPost - r.effects.ed!.cells.treatedPre).toBeCloseTo(2 + 0.5 * 2, 10);
  });
});

describe("subgroups and design matrix", () => {
  it("factor coding as R (reference = first sorted level, names <column><level>)", () => {
    const dm = designMatrix({ age: [30, 40, 50], race: ["white", "black", "hispan"] }, { factors: ["race"] });
    expect(dm.columns.map((c) => c.name)).toEqual(["age", "racehispan", "racewhite"]);
    expect(Array.from(dm.columns[2]!.values)).toEqual([1, 0, 0]);
    const ref = designMatrix(
      { race: ["white", "black", "hispan"] },
      { factors: { race: { reference: "white" } } },
    );
    expect(ref.columns.map((c) => c.name)).toEqual(["raceblack", "racehispan"]);
  });
  it("subgroup levels, counts and a not-evaluable level", () => {
    const d = confoundedData(500, 9);
    const sub = Array.from(d.x3, (v, i) => (i < 5 ? "tiny" : v === 1 ? "yes" : "no"));
    // Make the "tiny" level single-armed.
    const treat = Array.from(d.treat, (t, i) => (i < 5 ? 1 : t));
    const r = subgroupEffects(
      { treat, outcome: { type: "continuous", y: d.y }, subgroup: sub },
      { name: "flag" },
    );
    expect(r.levels.map((l) => l.level)).toEqual(["no", "tiny", "yes"]);
    const tiny = r.levels[1]!;
    expect(tiny.effect).toBeNull();
    expect(tiny.warnings.map((w) => w.code)).toContain("SUBGROUP_NOT_EVALUABLE");
    expect(r.interaction.df).toBeGreaterThanOrEqual(1);
    expect(r.levels[0]!.n + r.levels[1]!.n + r.levels[2]!.n).toBe(500);
  });
});
