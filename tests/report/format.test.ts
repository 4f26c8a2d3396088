// Expected strings are hand-derived from the conventions in format.ts (NEJM/AMA p-values,
// "estimate (lower to upper)" intervals, fixed decimals with "," thousands separators).
import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatEstimateCi,
  formatInteger,
  formatNumber,
  formatPercent,
  formatPValue,
  formatValue,
  NOT_ESTIMABLE,
  suppressionFootnote,
} from "../../src/report/format.js";

describe("formatNumber / formatInteger / formatPercent", () => {
  it("fixes decimals and groups thousands", () => {
    expect(formatNumber(0.4231)).toBe("0.42");
    expect(formatNumber(1234.567, 1)).toBe("1,234.6");
    expect(formatNumber(1234567.891, 0)).toBe("1,234,568");
    expect(formatInteger(12345)).toBe("12,345");
    expect(formatInteger(999)).toBe("999");
    expect(formatInteger(0)).toBe("0");
  });
  it("writes negatives with '-' and never shows '-0'", () => {
    expect(formatNumber(-0.123)).toBe("-0.12");
    expect(formatNumber(-1234.5, 1)).toBe("-1,234.5");
    expect(formatNumber(-0.001)).toBe("0.00");
    expect(formatNumber(-0)).toBe("0.00");
  });
  it("marks missing and infinite values", () => {
    expect(formatNumber(null)).toBe(NOT_ESTIMABLE);
    expect(formatNumber(undefined)).toBe(NOT_ESTIMABLE);
    expect(formatNumber(Number.NaN)).toBe(NOT_ESTIMABLE);
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe("∞");
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe("-∞");
  });
  it("formats proportions as percentages", () => {
    expect(formatPercent(0.4231)).toBe("42.3%");
    expect(formatPercent(0.05, 0)).toBe("5%");
    expect(formatPercent(1)).toBe("100.0%");
    expect(formatPercent(null)).toBe(NOT_ESTIMABLE);
  });
});

describe("formatValue", () => {
  it("applies each style", () => {
    expect(formatValue(0.4231)).toBe("0.42");
    expect(formatValue(0.4231, { kind: "decimal", digits: 3 })).toBe("0.423");
    expect(formatValue(0.4231, { kind: "percent" })).toBe("42.3%");
    expect(formatValue(0.052, { kind: "percentagePoints" })).toBe("5.2 pp");
    expect(formatValue(-0.052, { kind: "percentagePoints" })).toBe("-5.2 pp");
    expect(formatValue(1.6249, { kind: "ratio" })).toBe("1.62");
    // below 0.1 a ratio keeps two significant digits
    expect(formatValue(0.0456, { kind: "ratio" })).toBe("0.046");
    expect(formatValue(0.00123, { kind: "ratio" })).toBe("0.0012");
    expect(formatValue(0.0456, { kind: "ratio", digits: 2 })).toBe("0.05");
  });
});

describe("formatEstimateCi", () => {
  it("writes 'estimate (lower to upper)'", () => {
    expect(formatEstimateCi(0.42, 0.31, 0.55)).toBe("0.42 (0.31 to 0.55)");
    expect(formatEstimateCi(-0.12, -0.2, -0.04)).toBe("-0.12 (-0.20 to -0.04)");
    expect(formatEstimateCi(0.4231, 0.3812, 0.4667, { kind: "percent" })).toBe("42.3% (38.1% to 46.7%)");
  });
  it("handles missing parts", () => {
    expect(formatEstimateCi(null, 0.1, 0.2)).toBe(NOT_ESTIMABLE);
    expect(formatEstimateCi(0.42, null, null)).toBe("0.42");
    expect(formatEstimateCi(0.42, null, 0.55)).toBe("0.42 (— to 0.55)");
    expect(formatEstimateCi(2.5, 1.1, Number.POSITIVE_INFINITY)).toBe("2.50 (1.10 to ∞)");
  });
});

describe("formatPValue (NEJM: <0.001; 3 decimals below 0.01; else 2)", () => {
  it.each([
    [0.00042, "<0.001"],
    [0.000999, "<0.001"],
    [0.001, "0.001"],
    [0.0052, "0.005"],
    [0.00999, "0.010"],
    [0.012, "0.01"],
    [0.0496, "0.050"], // would round to "0.05" although below 0.05: keep three decimals
    [0.0449, "0.04"],
    [0.05, "0.05"],
    [0.2345, "0.23"],
    [0.99, "0.99"],
    [0.995, ">0.99"],
    [1, ">0.99"],
  ])("%s → %s", (p, expected) => {
    expect(formatPValue(p)).toBe(expected);
  });
  it("marks a missing p-value", () => {
    expect(formatPValue(null)).toBe(NOT_ESTIMABLE);
    expect(formatPValue(Number.NaN)).toBe(NOT_ESTIMABLE);
  });
});

describe("formatCount", () => {
  it("shows, hides primarily or complementarily", () => {
    expect(formatCount(1234, "shown", 10)).toBe("1,234");
    expect(formatCount(7, "primary", 10)).toBe("≤10");
    expect(formatCount(5, "primary", 5)).toBe("≤5");
    expect(formatCount(801, "complementary", 10)).toBe("†");
  });
  it("explains the marks, or warns when suppression is off", () => {
    expect(suppressionFootnote(10, true)).toContain('"≤10"');
    expect(suppressionFootnote(10, true)).toContain('"†"');
    expect(suppressionFootnote(10, false)).toMatch(/OFF/);
  });
});
