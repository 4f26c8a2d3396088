/**
 * proportionCI against R 4.2.2 (tests/reference/tables/make-tables.R): Wilson = prop.test(x, n,
 * correct = FALSE)$conf.int, Clopper–Pearson = binom.test()$conf.int, Wald by formula; 10 (x, n)
 * pairs incl. x = 0, x = n, n = 1, 999/1000 and 5/10000, each at levels 0.95, 0.9, 0.99.
 * Tolerances: Wilson and Wald 1e-14 relative (same closed form as R, qnorm identical); Clopper–
 * Pearson 1e-12 relative (beta quantile by iteration; observed ≤ 1e-14). Bounds at x = 0 / x = n
 * must be exactly 0 / 1.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/stats/errors.js";
import { proportionCI } from "../../../src/stats/tables/index.js";
import { expectClose } from "../../helpers/expect-close.js";
import { reference } from "./reference.js";

describe("proportionCI agrees with R", () => {
  for (const r of reference.proportions) {
    it(`${r.x}/${r.n} at ${r.confLevel}`, () => {
      const label = `${r.x}/${r.n} @${r.confLevel}`;
      const w = proportionCI(r.x, r.n, { method: "wilson", confLevel: r.confLevel });
      expectClose(w.estimate, r.estimate, { rel: 1e-15 }, `${label} estimate`);
      expectClose(w.se, r.se, { rel: 1e-14 }, `${label} se`);
      expectClose(w.ci.lower, r.wilson[0], { rel: 1e-14 }, `${label} Wilson lower`);
      expectClose(w.ci.upper, r.wilson[1], { rel: 1e-14 }, `${label} Wilson upper`);
      const cp = proportionCI(r.x, r.n, { method: "clopper-pearson", confLevel: r.confLevel });
      expectClose(cp.ci.lower, r.clopperPearson[0], { rel: 1e-12 }, `${label} CP lower`);
      expectClose(cp.ci.upper, r.clopperPearson[1], { rel: 1e-12 }, `${label} CP upper`);
      const wd = proportionCI(r.x, r.n, { method: "wald", confLevel: r.confLevel });
      expectClose(wd.ci.lower, r.wald[0], { rel: 1e-14 }, `${label} Wald lower`);
      expectClose(wd.ci.upper, r.wald[1], { rel: 1e-14 }, `${label} Wald upper`);
      expect(w.ci.level).toBe(r.confLevel);
      expect(w.n).toBe(r.n);
    });
  }
});

describe("proportionCI edge cases", () => {
  it("x = 0 and x = n give exact 0 and 1 bounds for Wilson and Clopper–Pearson", () => {
    for (const method of ["wilson", "clopper-pearson"] as const) {
      expect(proportionCI(0, 17, { method }).ci.lower).toBe(0);
      expect(proportionCI(17, 17, { method }).ci.upper).toBe(1);
    }
    // Clopper–Pearson at x = 0 has the closed form upper = 1 − (α/2)^(1/n).
    expectClose(
      proportionCI(0, 17, { method: "clopper-pearson" }).ci.upper,
      1 - 0.025 ** (1 / 17),
      { rel: 1e-13 },
      "CP 0/17",
    );
  });

  it("Wald at x = 0 is a zero-width interval with a coded warning", () => {
    const r = proportionCI(0, 12, { method: "wald" });
    expect([r.ci.lower, r.ci.upper]).toEqual([0, 0]);
    expect(r.warnings.map((w) => w.code)).toEqual(["ZERO_WIDTH_INTERVAL"]);
  });

  it("n = 0 is not evaluable with an EMPTY_DENOMINATOR warning", () => {
    const r = proportionCI(0, 0, { method: "wilson" });
    expect(r.estimate).toBeNull();
    expect(r.ci.lower).toBeNull();
    expect(r.ci.upper).toBeNull();
    expect(r.warnings.map((w) => w.code)).toEqual(["EMPTY_DENOMINATOR"]);
  });

  it("default method is Wilson at 0.95 and is named in `method`", () => {
    const r = proportionCI(7, 20);
    expect(r.ci.level).toBe(0.95);
    expect(r.method).toMatch(/Wilson/);
  });

  it("rejects invalid counts and levels", () => {
    expect(() => proportionCI(3, 2)).toThrow(InvalidInputError);
    expect(() => proportionCI(-1, 2)).toThrow(InvalidInputError);
    expect(() => proportionCI(1.5, 2)).toThrow(InvalidInputError);
    expect(() => proportionCI(Number.NaN, 2)).toThrow(InvalidInputError);
    expect(() => proportionCI(1, Number.POSITIVE_INFINITY)).toThrow(InvalidInputError);
    expect(() => proportionCI(1, 2, { confLevel: 95 })).toThrow(InvalidInputError);
    expect(() => proportionCI(1, 2, { method: "agresti" as never })).toThrow(InvalidInputError);
  });
});
