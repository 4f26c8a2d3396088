import { describe, expect, it } from "vitest";
import { evaluationConfigJsonSchema, parseEvaluationConfig } from "../../src/evaluate/config.js";

describe("evaluation config", () => {
  it("fills every default and records them", () => {
    const r = parseEvaluationConfig({
      data: "d",
      design: { kind: "randomized" },
      outcomes: [{ measure: "daysToMoud" }],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.smallCellThreshold).toBe(10);
    expect(r.config.confLevel).toBe(0.95);
    expect(r.config.index.selection).toBe("first");
    expect(r.config.outcomes[0]).toEqual({
      measure: "daysToMoud",
      horizonDays: 365,
      timepoints: [7, 14, 30, 90, 180, 365],
      contrastDay: 30,
    });
  });
  it("points at the key and says what is allowed", () => {
    const r = parseEvaluationConfig({
      data: "d",
      design: { kind: "randomised" },
      outcomes: [{ measure: "daysToMoud", horizonDays: 0, extra: 1 }],
      index: { selection: "last" },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.issues.map((i) => [i.path, i.message]));
    expect(byPath["design.kind"]).toMatch(/randomized/);
    expect(byPath["outcomes[0].horizonDays"]).toMatch(/>=1/);
    expect(byPath["outcomes[0]"]).toMatch(/unknown key.*extra/);
    expect(byPath["index.selection"]).toMatch(/"first", "all"/);
  });
  it("rejects a config without outcomes or data", () => {
    const r = parseEvaluationConfig({ design: { kind: "descriptive" }, outcomes: [] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path).sort()).toEqual(["data", "outcomes"]);
  });
  it("fills the defaults of every measure outcome", () => {
    const r = parseEvaluationConfig({
      data: "d",
      design: { kind: "randomized" },
      outcomes: [
        { measure: "edUtilization" },
        { measure: "moudRetention" },
        { measure: "programRetention" },
        { measure: "udsAbstinence" },
        { measure: "selfReportAbstinence" },
        { measure: "recoveryCapital" },
        { measure: "peerDose" },
      ],
      subgroups: ["sex"],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.outcomes).toEqual([
      { measure: "edUtilization", windowDays: 180, preWindowDays: 180 },
      { measure: "moudRetention", days: 180 },
      { measure: "programRetention", days: 90, source: "observation" },
      { measure: "udsAbstinence", k: 3 },
      { measure: "selfReportAbstinence", dueMonths: 6 },
      { measure: "recoveryCapital", instrument: "BARC10", wave: "M6" },
      { measure: "peerDose", windowDays: 90 },
    ]);
  });
  it("refuses outcomes and subgroups the design cannot analyse, at their keys", () => {
    const r = parseEvaluationConfig({
      data: "d",
      design: { kind: "prePost" },
      outcomes: [{ measure: "recoveryCapital" }, { measure: "daysToMoud" }],
      subgroups: ["sex", "sex"],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.filter((i) => i.path === "subgroups").map((i) => i.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/once/), expect.stringMatching(/comparison group/)]),
    );
    const r2 = parseEvaluationConfig({
      data: "d",
      design: { kind: "prePost" },
      outcomes: [{ measure: "recoveryCapital" }, { measure: "daysToMoud" }],
      subgroups: ["sex"],
    });
    expect(r2.ok).toBe(false);
    if (r2.ok) return;
    const byPath2 = Object.fromEntries(r2.issues.map((i) => [i.path, i.message]));
    expect(byPath2["outcomes[1].measure"]).toMatch(/no pre period.*edUtilization/);
    expect(byPath2.subgroups).toMatch(/comparison group/);
    const r3 = parseEvaluationConfig({
      data: "d",
      design: { kind: "differenceInDifferences", covariates: ["sex"], estimand: "ATX" },
      outcomes: [{ measure: "recoveryCapital", wave: "M9" }],
    });
    expect(r3.ok).toBe(false);
    if (r3.ok) return;
    const byPath3 = Object.fromEntries(r3.issues.map((i) => [i.path, i.message]));
    expect(byPath3["design.estimand"]).toMatch(/"ATT", "ATE", "ATO"/);
    expect(byPath3["outcomes[0].wave"]).toMatch(/"M3", "M6", "M12"/);
    const r4 = parseEvaluationConfig({
      data: "d",
      design: { kind: "differenceInDifferences" },
      outcomes: [{ measure: "recoveryCapital" }],
      subgroups: ["sex"],
    });
    expect(r4.ok).toBe(false);
    if (r4.ok) return;
    expect(r4.issues.find((i) => i.path === "subgroups")?.message).toMatch(
      /not computed for difference-in-differences/,
    );
  });
  it("publishes a JSON Schema with the keys and their descriptions", () => {
    const schema = evaluationConfigJsonSchema() as { properties: Record<string, { description?: string }> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["data", "design", "outcomes", "smallCellThreshold", "seed"]),
    );
    expect(schema.properties.data?.description).toMatch(/CSV/);
  });
});
