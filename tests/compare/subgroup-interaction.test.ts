/**
 * The subgroup interaction test leaves out levels whose own effect is not evaluable (no events in an
 * arm: a separated, unbounded interaction coefficient), says so, and is then the test on the remaining
 * levels; with fewer than two evaluable levels it is not evaluable (null, coded warning), never a
 * χ² of 1,700 or of 0.
 */
import { describe, expect, it } from "vitest";
import { subgroupEffects } from "../../src/compare/subgroups.js";

function data() {
  const treat: number[] = [];
  const y: number[] = [];
  const level: string[] = [];
  let s = 7;
  const u = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  for (const [lv, n, p1, p0] of [
    ["A", 400, 0.4, 0.3],
    ["B", 300, 0.5, 0.25],
    ["C", 12, 0, 0.5], // no events among the treated: the level's risk ratio is not evaluable
  ] as const) {
    for (let i = 0; i < n; i++) {
      const t = i % 2;
      treat.push(t);
      level.push(lv);
      y.push(u() < (t ? p1 : p0) ? 1 : 0);
    }
  }
  return { treat, y, level };
}

describe("subgroupEffects: interaction test with a non-evaluable level", () => {
  it("leaves the level out of the test and equals the test on the other levels", () => {
    const d = data();
    const all = subgroupEffects({ treat: d.treat, outcome: { type: "binary", y: d.y }, subgroup: d.level });
    const keep = d.level.map((l, i) => (l === "C" ? -1 : i)).filter((i) => i >= 0);
    const ab = subgroupEffects({
      treat: keep.map((i) => d.treat[i]!),
      outcome: { type: "binary", y: keep.map((i) => d.y[i]!) },
      subgroup: keep.map((i) => d.level[i]!),
    });
    expect(all.levels.find((l) => l.level === "C")?.effect?.relative.estimate ?? null).toBeNull();
    expect(all.interaction.df).toBe(1);
    expect(all.interaction.statistic).toBeCloseTo(ab.interaction.statistic!, 10);
    expect(all.interaction.pValue).toBeCloseTo(ab.interaction.pValue!, 12);
    expect(all.interaction.method).toMatch(/left out of the test: C/);
  });

  it("is not evaluable with fewer than two evaluable levels", () => {
    const d = data();
    const keep = d.level.map((l, i) => (l === "B" ? -1 : i)).filter((i) => i >= 0);
    const r = subgroupEffects({
      treat: keep.map((i) => d.treat[i]!),
      outcome: { type: "binary", y: keep.map((i) => d.y[i]!) },
      subgroup: keep.map((i) => d.level[i]!),
    });
    expect(r.interaction.statistic).toBeNull();
    expect(r.interaction.pValue).toBeNull();
    expect(r.warnings.map((w) => w.code)).toContain("SUBGROUP_INTERACTION_NOT_EVALUABLE");
  });
});
