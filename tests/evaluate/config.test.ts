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
  it("publishes a JSON Schema with the keys and their descriptions", () => {
    const schema = evaluationConfigJsonSchema() as { properties: Record<string, { description?: string }> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["data", "design", "outcomes", "smallCellThreshold", "seed"]),
    );
    expect(schema.properties.data?.description).toMatch(/CSV/);
  });
});
