import { readFileSync } from "node:fs";
import * as aq from "arquero";
import { describe, expect, it } from "vitest";
import { measureContrast } from "../../src/compare/measure-contrast.js";
import { loadDataset } from "../../src/io/load-dataset.js";
import { EdUtilizationMeasure } from "../../src/measures/index.js";
import { expectClose } from "../helpers/expect-close.js";

const arms = aq.table({
  person_id: ["A", "B", "C", "D", "E", "F", "G", "H"],
  arm: ["PEER", "PEER", "PEER", "PEER", "COMPARISON", "COMPARISON", "COMPARISON", "OTHER"],
});

describe("measureContrast", () => {
  it("binary: risk difference and its HC0 SE equal the unpooled Wald formula; exclusions are counted", () => {
    // peer: A 1, B 1, C 0, D 1 → 3/4; comparison: E 1, F 0, G 0 → 1/3. Excluded: one unit not in the
    // denominator (A2), one of an OTHER arm (H), one of a person without an arm (X).
    const units = aq.table({
      person_id: ["A", "B", "C", "D", "E", "F", "G", "H", "X", "A2"],
      in_denominator: [true, true, true, true, true, true, true, true, true, false],
      flag: [1, 1, 0, 1, 1, 0, 0, 1, 1, 1],
    });
    const r = measureContrast(units, arms, { value: "flag", outcome: "binary" });
    expect(r.n).toBe(7);
    expect(r.excluded).toEqual({ notInDenominator: 1, notEvaluable: 0, otherOrNoArm: 2 });
    const p1 = 3 / 4;
    const p0 = 1 / 3;
    expectClose(r.effect.absolute.estimate, p1 - p0, { rel: 1e-12 }, "RD");
    expectClose(
      r.effect.absolute.se,
      Math.sqrt((p1 * (1 - p1)) / 4 + (p0 * (1 - p0)) / 3),
      { rel: 1e-10 },
      "SE",
    );
    expectClose(r.effect.relative.estimate, p1 / p0, { rel: 1e-12 }, "RR");
    expect(r.clusteredByPerson).toBe(false);
  });

  it("clusters by person when a person contributes several units, and counts null values", () => {
    const units = aq.table({
      person_id: ["A", "A", "B", "E", "E", "F", "C"],
      in_denominator: [true, true, true, true, true, true, true],
      score: [10, 12, 11, 8, 9, 7, null],
    });
    const r = measureContrast(units, arms, { value: "score", outcome: "continuous" });
    expect(r.n).toBe(6);
    expect(r.excluded.notEvaluable).toBe(1);
    expect(r.clusteredByPerson).toBe(true);
    expectClose(
      r.effect.absolute.estimate,
      (10 + 12 + 11) / 3 - (8 + 9 + 7) / 3,
      { rel: 1e-12 },
      "mean difference",
    );
  });

  it("refuses a value column that does not exist", () => {
    const units = aq.table({ person_id: ["A"], in_denominator: [true], x: [1] });
    expect(() => measureContrast(units, arms, { value: "y", outcome: "binary" })).toThrow(/no column "y"/);
  });

  it("recovers the true ED rate ratio of the randomized example within its 95% CI", async () => {
    const load = await loadDataset("examples/synthetic-rct");
    const ed = EdUtilizationMeasure.edUtilization(load.dataset as never);
    const r = measureContrast(ed.units, load.dataset.arms!, {
      value: "post_visits",
      outcome: "count",
      personTime: "post_person_days",
    });
    const truth = JSON.parse(readFileSync("examples/synthetic-rct/truth.json", "utf8"));
    const trueRr = truth.derived.edVisits.marginalRateRatio.ate.allDays as number;
    const rr = r.effect.relative;
    expect(rr.ci.lower as number).toBeLessThan(trueRr);
    expect(rr.ci.upper as number).toBeGreaterThan(trueRr);
    expect(r.effect.absolute.scale).toBe("absolute");
  });
});
