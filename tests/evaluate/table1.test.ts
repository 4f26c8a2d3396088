/**
 * Table 1 from level codes (src/evaluate/table1.ts) against the balance table of the expanded 0/1
 * columns (src/compare/balance.ts, checked against MatchIt and cobalt in tests/compare/lalonde.test.ts)
 * and against a hand-worked example.
 */
import { describe, expect, it } from "vitest";
import { balanceTable } from "../../src/compare/balance.js";
import { type Table1RowSpec, table1 } from "../../src/evaluate/table1.js";
import { expectClose } from "../helpers/expect-close.js";

/** Small deterministic generator (LCG) for the test data. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function levelSpecs(name: string, codes: Int32Array, nLevels: number): Table1RowSpec[] {
  return Array.from({ length: nLevels }, (_, k) => ({
    covariate: "sex" as const,
    covariateLabel: name,
    name: `${name}: ${k}`,
    level: String(k),
    levelLabel: String(k),
    type: "level" as const,
    codes,
    nLevels,
    levelIndex: k,
  }));
}

describe("table1 level rows equal the balance table of the expanded indicators", () => {
  const n = 2000;
  const rnd = lcg(11);
  const treat = Uint8Array.from({ length: n }, () => (rnd() < 0.35 ? 1 : 0));
  // Level 3 never occurs among the treated; level 4 occurs nowhere except one control unit.
  const codes = Int32Array.from({ length: n }, (_, i) => {
    if (i === 7) return 4;
    const u = rnd();
    const k = u < 0.5 ? 0 : u < 0.8 ? 1 : u < 0.95 ? 2 : 3;
    return k === 3 && treat[i] ? 2 : k;
  });
  if (treat[7]) treat[7] = 0;
  const weights = Float64Array.from({ length: n }, () => (rnd() < 0.1 ? 0 : 0.2 + 3 * rnd()));
  const age = Float64Array.from({ length: n }, () => 18 + 50 * rnd());
  for (const estimand of ["ATT", "ATE", "ATO"] as const) {
    it(`${estimand}: SMDs, raw differences and cells bit for bit`, () => {
      const specs: Table1RowSpec[] = [
        {
          covariate: "age",
          covariateLabel: "Age",
          name: "Age",
          level: null,
          levelLabel: null,
          type: "numeric",
          values: age,
          observed: null,
        },
        ...levelSpecs("Level", codes, 5),
      ];
      const t = table1(specs, treat, weights, estimand, 0.1);
      const dense = specs.map((s) =>
        s.type === "level"
          ? { name: s.name, values: Float64Array.from(codes, (c) => (c === s.levelIndex ? 1 : 0)) }
          : { name: s.name, values: s.values },
      );
      const ref = balanceTable({ treat, covariates: dense, weights }, { estimand, threshold: 0.1 });
      t.rows.forEach((row, k) => {
        const r = ref.rows[k]!;
        expect(row.smdBefore).toBe(r.unadjusted.smdMatchIt);
        expect(row.smdAfter).toBe(r.adjusted!.smdMatchIt);
        expect(row.rawDifferenceBefore).toBe(r.unadjusted.smdCobalt);
        expect(row.rawDifferenceAfter).toBe(r.adjusted!.smdCobalt);
        expect(row.varianceRatioAfter).toBe(r.adjusted!.varianceRatio);
        if (row.type === "level") {
          expect(row.before.treated.proportion).toBe(r.unadjusted.meanTreated);
          expect(row.after.control.proportion).toBe(r.adjusted!.meanControl);
          const x = dense[k]!.values;
          let nAfter = 0;
          for (let i = 0; i < n; i++) if (treat[i] === 1 && x[i] === 1 && weights[i] !== 0) nAfter++;
          expect(row.after.treated.n).toBe(nAfter);
        }
      });
      expect(t.adjusted.treated.sumWeights).toBe(ref.sampleSize.adjusted!.treated.sumWeights);
      expect(t.adjusted.control.ess).toBe(ref.sampleSize.adjusted!.control.ess);
      // Levels 3 and 4 have no treated unit: under ATT the treated SD is 0, so the SMD comes from
      // the pooled fallback (still defined, and equal to balanceTable's above).
      expect(t.rows[5]!.smdBefore).not.toBeNull();
    });
  }
});

describe("table1 by hand", () => {
  // Treated: codes 0,1,1 with weights 1,1,1; control: codes 0,0,1,1 with weights 2,0,1,1.
  const treat = Uint8Array.of(1, 1, 1, 0, 0, 0, 0);
  const codes = Int32Array.of(0, 1, 1, 0, 0, 1, 1);
  const weights = Float64Array.of(1, 1, 1, 2, 0, 1, 1);
  const t = table1(levelSpecs("L", codes, 2), treat, weights, "ATT", 0.1);
  it("proportions, counts and the ATT SMD of level 1", () => {
    const r = t.rows[1]!;
    // Before: treated 2/3, control 2/4. After: treated 2/3; control (1 + 1)/(2 + 1 + 1) = 1/2, n = 2.
    expectClose(r.before.treated.proportion, 2 / 3, { rel: 1e-15 }, "p1 before");
    expectClose(r.before.control.proportion, 1 / 2, { rel: 1e-15 }, "p0 before");
    expect(r.before.control.n).toBe(2);
    expectClose(r.after.control.proportion, 1 / 2, { rel: 1e-15 }, "p0 after");
    expect(r.after.control.n).toBe(2);
    // SD (ATT) = √(2/3 · 1/3) = √2/3; SMD = (2/3 − 1/2)/(√2/3) = 1/(2√2).
    expectClose(r.smdBefore, 1 / (2 * Math.SQRT2), { rel: 1e-14 }, "smd before");
    expectClose(r.rawDifferenceBefore, 1 / 6, { rel: 1e-14 }, "raw before");
    // Level 0 after: control weight in level 0 is 2 of 4 → 1/2; treated 1/3.
    expectClose(t.rows[0]!.after.control.proportion, 1 / 2, { rel: 1e-15 }, "level 0 after");
  });
  it("refuses an adjusted sample without weight in one arm", () => {
    expect(() =>
      table1(levelSpecs("L", codes, 2), treat, Float64Array.of(0, 0, 0, 1, 1, 1, 1), "ATT", 0.1),
    ).toThrow(/no weight in one arm/);
  });
});
