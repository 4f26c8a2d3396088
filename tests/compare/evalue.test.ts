/** E-values against the published worked example and hand derivations. */
import { describe, expect, it } from "vitest";
import { eValue, evalueOfRiskRatio } from "../../src/compare/index.js";
import { InvalidInputError } from "../../src/stats/errors.js";

describe("eValue (VanderWeele & Ding 2017)", () => {
  it("published example: RR 3.9 (95% CI 1.8–8.7) → E-values 7.26 and 3.02", () => {
    const r = eValue({ measure: "RR", estimate: 3.9, lower: 1.8, upper: 8.7 });
    // Hand: 3.9 + √(3.9·2.9) = 7.2630… (the paper prints 7.26); 1.8 + √(1.8·0.8) = 3.0.
    expect(r.point).toBeCloseTo(3.9 + Math.sqrt(3.9 * 2.9), 12);
    expect(r.point).toBeCloseTo(7.26, 2);
    expect(r.ciBound).toBeCloseTo(3, 12);
  });
  it("protective estimates use 1/RR and the upper bound; a CI crossing 1 gives 1", () => {
    const r = eValue({ measure: "RR", estimate: 0.5, lower: 0.3, upper: 0.8 });
    expect(r.point).toBeCloseTo(2 + Math.sqrt(2), 12);
    expect(r.ciBound).toBeCloseTo(1.25 + Math.sqrt(1.25 * 0.25), 12);
    expect(eValue({ measure: "RR", estimate: 1.4, lower: 0.9, upper: 2.1 }).ciBound).toBe(1);
    expect(evalueOfRiskRatio(1)).toBe(1);
  });
  it("odds and hazard ratios: rare outcome as RR; common outcome by the √ rules", () => {
    const rare = eValue({ measure: "OR", estimate: 2, rareOutcome: true });
    expect(rare.riskRatio).toBe(2);
    const common = eValue({ measure: "OR", estimate: 4, lower: 2.25, rareOutcome: false });
    expect(common.riskRatio).toBeCloseTo(2, 14);
    expect(common.riskRatioLower).toBeCloseTo(1.5, 14);
    expect(common.point).toBeCloseTo(2 + Math.sqrt(2), 12);
    const hr = eValue({ measure: "HR", estimate: 2, rareOutcome: false });
    const rr = (1 - 0.5 ** Math.sqrt(2)) / (1 - 0.5 ** Math.sqrt(0.5));
    expect(hr.riskRatio).toBeCloseTo(rr, 14);
    expect(hr.warnings.map((w) => w.code)).toContain("EVALUE_APPROXIMATION");
    expect(() => eValue({ measure: "HR", estimate: 2 })).toThrow(InvalidInputError);
  });
  it("standardised mean difference: RR ≈ exp(0.91·d), CI exp(0.91·d ± 1.78·se)", () => {
    const r = eValue({ measure: "SMD", estimate: 0.5, se: 0.1 });
    expect(r.riskRatio).toBeCloseTo(Math.exp(0.455), 14);
    expect(r.riskRatioLower).toBeCloseTo(Math.exp(0.455 - 0.178), 14);
    expect(r.ciBound).toBeCloseTo(evalueOfRiskRatio(Math.exp(0.277)), 12);
  });
});
