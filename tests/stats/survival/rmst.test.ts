/**
 * rmst / rmstDifference against R: summary(survfit(...), rmean = tau)$table on veteran by
 * treatment (= survRM2::rmst2's per-arm RMST and SE, same formula), and the rmst2-style difference.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/stats/errors.js";
import { rmst, rmstDifference } from "../../../src/stats/survival/index-km.js";
import { expectClose } from "../../helpers/expect-close.js";
import { arr, nums, REF } from "./survival-km-reference.js";

const CLOSE = { rel: 1e-10, abs: 1e-12 };
const v = REF.data.veteran;
const input = { time: nums(v.time), status: nums(v.status), group: nums(v.trt) };

describe("rmst vs survfit rmean (veteran by trt)", () => {
  for (const key of ["tau_100", "tau_365", "tau_999"] as const) {
    it(key, () => {
      const ref = REF.cases.veteran_rmst[key];
      const r = rmst(input, { tau: ref.tau });
      r.estimates.forEach((e, k) => {
        expectClose(e.estimate, arr(ref.rmean)[k]!, CLOSE, `rmean ${k}`);
        expectClose(e.se, arr(ref.se)[k]!, CLOSE, `se ${k}`);
        expect(e.ci.lower!).toBeLessThan(e.estimate);
      });
      const d = rmstDifference(input, { tau: ref.tau });
      expect(d.groups).toEqual([1, 2]);
      expectClose(d.estimate, ref.diff, CLOSE, "diff");
      expectClose(d.se, ref.diff_se, CLOSE, "diff se");
      expectClose(d.ci.lower, ref.diff_lower, CLOSE, "diff lower");
      expectClose(d.ci.upper, ref.diff_upper, CLOSE, "diff upper");
      expectClose(d.pValue, ref.diff_p, CLOSE, "diff p");
      const flipped = rmstDifference(input, { tau: ref.tau, reference: 2 });
      expectClose(flipped.estimate, -ref.diff, CLOSE, "flipped");
    });
  }
  it("tau beyond the last time warns (the curve is carried flat)", () => {
    const r = rmst(input, { tau: 999 });
    expect(r.warnings.map((w) => w.code)).toContain("TAU_BEYOND_FOLLOW_UP");
  });
  it("hand case: no censoring, tau before and after events", () => {
    // times 1, 2, 3 all events: S = 2/3 on [1,2), 1/3 on [2,3), 0 after 3
    const r = rmst({ time: [3, 1, 2], status: [1, 1, 1] }, { tau: 2.5 }).estimates[0]!;
    expect(r.estimate).toBeCloseTo(1 + 2 / 3 + 0.5 / 3, 14);
    expect(rmst({ time: [3, 1, 2], status: [1, 1, 1] }, { tau: 0.5 }).estimates[0]!.estimate).toBe(0.5);
  });
  it("bad input", () => {
    expect(() => rmst(input, { tau: 0 })).toThrow(InvalidInputError);
    expect(() => rmst(input, { tau: Number.NaN })).toThrow(InvalidInputError);
    expect(() => rmstDifference({ time: [1, 2], status: [1, 1] }, { tau: 1 })).toThrow(InvalidInputError);
    expect(() =>
      rmstDifference({ time: [1, 2, 3], status: [1, 1, 1], group: [1, 2, 3] }, { tau: 1 }),
    ).toThrow(InvalidInputError);
    expect(() => rmstDifference(input, { tau: 100, reference: 7 })).toThrow(InvalidInputError);
  });
});
