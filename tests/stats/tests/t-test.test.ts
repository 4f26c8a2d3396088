/**
 * tTest against R 4.2.2 t.test (tests/reference/tables/make-tables.R): Welch, Student, paired and
 * one-sample tests, all three alternatives, levels 0.9/0.95/0.99, data with ties and an NA (which
 * t.test drops), R's `sleep` data, and a large-t case.
 * Tolerances (relative): estimate, se, statistic, df, CI 1e-12 (closed forms; qt by iteration);
 * p-value 1e-12 (incomplete beta vs R's pt; observed 4e-15).
 */
import { describe, expect, it } from "vitest";
import { InsufficientDataError, InvalidInputError } from "../../../src/stats/errors.js";
import { tTest } from "../../../src/stats/tests/index.js";
import { expectClose } from "../../helpers/expect-close.js";
import { finiteOrNull, reference } from "../tables/reference.js";

const toNumbers = (v: (number | null)[]): number[] => v.map((x) => (x === null ? Number.NaN : x));
const TIGHT = { rel: 1e-12, abs: 1e-14 };

describe("tTest agrees with R t.test", () => {
  for (const r of reference.ttests) {
    it(r.label, () => {
      const x = toNumbers(r.x);
      const y = r.y === null ? undefined : toNumbers(r.y);
      const alternative = r.alternative === "two.sided" ? "two-sided" : r.alternative;
      const res = tTest(x, y, { type: r.type, mu: r.mu, alternative, confLevel: r.confLevel });
      expectClose(res.estimate, r.estimate, TIGHT, "estimate");
      expectClose(res.se, r.se, TIGHT, "se");
      expectClose(res.statistic, r.statistic, TIGHT, "t");
      expectClose(res.df, r.df, TIGHT, "df");
      expectClose(res.pValue, r.pValue, { rel: 1e-12 }, "p");
      expectClose(res.ci.lower, finiteOrNull(r.ci[0]), TIGHT, "lower");
      expectClose(res.ci.upper, finiteOrNull(r.ci[1]), TIGHT, "upper");
      expect(res.alternative).toBe(alternative);
      const missing = r.x.filter((v) => v === null).length + (r.y ?? []).filter((v) => v === null).length;
      expect(res.nExcluded).toBe(missing);
      expect(res.warnings.map((w) => w.code)).toEqual(missing > 0 ? ["MISSING_DROPPED"] : []);
    });
  }
});

describe("tTest degenerate input", () => {
  it("constant data is an error, as R's 'data are essentially constant'", () => {
    expect(reference.ttestConstantMessage).toBe("data are essentially constant");
    expect(() => tTest([3, 3, 3, 3])).toThrow(/essentially constant/);
    expect(() => tTest([3, 3, 3], [5, 5, 5])).toThrow(InvalidInputError);
    expect(() => tTest([0, 0, 0], [0, 0])).toThrow(InvalidInputError);
    expect(() => tTest([1, 2, 3], [1, 2, 3], { type: "paired" })).toThrow(/essentially constant/);
  });

  it("too few observations is an InsufficientDataError", () => {
    expect(() => tTest([1])).toThrow(InsufficientDataError);
    expect(() => tTest([1, 2], [3])).toThrow(InsufficientDataError);
    expect(() => tTest([1, Number.NaN], [3, 4])).toThrow(InsufficientDataError);
    // Student needs one per group and three in total (R: var.equal = TRUE, nx = 1 allowed).
    const r = tTest([1], [3, 4, 6], { type: "student" });
    expect(r.df).toBe(2);
    expect(() => tTest([1], [3], { type: "student" })).toThrow(InsufficientDataError);
  });

  it("Infinity is rejected; NaN/null are excluded and counted", () => {
    expect(() => tTest([1, 2, Number.POSITIVE_INFINITY])).toThrow(InvalidInputError);
    expect(() => tTest([1, 2, 3], [1, Number.NEGATIVE_INFINITY, 4])).toThrow(InvalidInputError);
    const withNull = tTest([1, 2, 4, null as unknown as number], [2, 3, 5, 7]);
    expect(withNull.nExcluded).toBe(1);
    expect(withNull.n).toBe(7);
  });

  it("paired tests drop incomplete pairs and need equal lengths", () => {
    const r = tTest([1, 2, Number.NaN, 4, 7], [0.5, 2.5, 3, Number.NaN, 5], { type: "paired" });
    expect(r.n).toBe(3);
    expect(r.nExcluded).toBe(2);
    const same = tTest([0.5, -0.5, 2], undefined);
    expectClose(r.statistic, same.statistic, { rel: 1e-15 }, "paired = one-sample on differences");
    expect(() => tTest([1, 2, 3], [1, 2], { type: "paired" })).toThrow(InvalidInputError);
    expect(() => tTest([1, 2, 3], undefined, { type: "paired" })).toThrow(InvalidInputError);
  });

  it("one-sided intervals have a null (unbounded) end", () => {
    const r = tTest([1, 2, 4, 7], undefined, { alternative: "greater" });
    expect(r.ci.upper).toBeNull();
    expect(r.ci.lower).not.toBeNull();
  });

  it("rejects bad options", () => {
    expect(() => tTest([1, 2, 3], undefined, { confLevel: 0 })).toThrow(InvalidInputError);
    expect(() => tTest([1, 2, 3], undefined, { mu: Number.NaN })).toThrow(InvalidInputError);
    expect(() => tTest([1, 2, 3], undefined, { alternative: "two.sided" as never })).toThrow(
      InvalidInputError,
    );
  });
});
