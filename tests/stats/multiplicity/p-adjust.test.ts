/**
 * pAdjust against R 4.2.2 p.adjust (tests/reference/tables/make-tables.R) on a 14-value vector with
 * ties (0.04 ×3), two NAs, 0 and 1, and on a 5-value vector, for every method. Tolerance 1e-14
 * relative: the same arithmetic as R (BY's harmonic sum may differ in the last bit because R sums
 * in long double).
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/stats/errors.js";
import { type PAdjustMethod, pAdjust } from "../../../src/stats/multiplicity/index.js";
import { expectAllClose } from "../../helpers/expect-close.js";
import { reference } from "../tables/reference.js";

const METHODS: PAdjustMethod[] = ["holm", "hochberg", "BH", "BY", "bonferroni", "none"];

describe("pAdjust agrees with R p.adjust", () => {
  reference.pAdjust.forEach((r, k) => {
    for (const method of METHODS) {
      it(`vector ${k + 1}, ${method}`, () => {
        const withNaN = r.p.map((v) => (v === null ? Number.NaN : v));
        expectAllClose(pAdjust(withNaN, method), r[method], { rel: 1e-14 }, method);
        // null marks missing just as NaN does
        expectAllClose(pAdjust(r.p, method), r[method], { rel: 1e-14 }, `${method} (null)`);
      });
    }
  });
});

describe("pAdjust behaviour", () => {
  it("defaults to Holm, keeps missing entries in place and does not count them", () => {
    expect(pAdjust([0.01, Number.NaN, 0.02])).toEqual([0.02, null, 0.02]);
    expect(pAdjust([0.01, 0.04, 0.03], "holm")).toEqual([0.03, 0.06, 0.06]);
  });
  it("a single or empty vector is returned unchanged", () => {
    expect(pAdjust([0.3], "bonferroni")).toEqual([0.3]);
    expect(pAdjust([], "BH")).toEqual([]);
    expect(pAdjust([Number.NaN, 0.2], "bonferroni")).toEqual([null, 0.2]);
  });
  it("rejects values outside [0, 1] and unknown methods", () => {
    expect(() => pAdjust([0.1, 1.2])).toThrow(InvalidInputError);
    expect(() => pAdjust([0.1, Number.POSITIVE_INFINITY])).toThrow(InvalidInputError);
    expect(() => pAdjust([0.1], "hommel" as never)).toThrow(InvalidInputError);
  });
  it("does not mutate its input and returns a frozen array", () => {
    const p = [0.04, 0.01, 0.03];
    const out = pAdjust(p, "BH");
    expect(p).toEqual([0.04, 0.01, 0.03]);
    expect(Object.isFrozen(out)).toBe(true);
  });
});
