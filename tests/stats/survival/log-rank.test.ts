/**
 * logRankTest against R survival 3.5-3 survdiff (tests/reference/survival-km): lung by sex
 * (log-rank and Peto–Peto), stratified by ph.ecog and by institution, four ECOG groups, veteran by
 * cell type, tiny cases (ties across groups, a group with expected 0); degenerate input.
 */
import { describe, expect, it } from "vitest";
import { InsufficientDataError, InvalidInputError } from "../../../src/stats/errors.js";
import { logRankTest } from "../../../src/stats/survival/index-km.js";
import type { LogRankResult } from "../../../src/stats/survival/log-rank.js";
import { expectClose } from "../../helpers/expect-close.js";
import { arr, cmpVec, nums, REF } from "./survival-km-reference.js";

const CLOSE = { rel: 1e-10, abs: 1e-12 };
const lung = REF.data.lung;
const lungBase = { time: nums(lung.time), status: nums(lung.status), group: nums(lung.sex) };

// biome-ignore lint/suspicious/noExplicitAny: decoded reference JSON
function check(r: LogRankResult, ref: any, label: string) {
  cmpVec(r.nPerGroup, arr(ref.n), { rel: 0, abs: 0 }, `${label} n`);
  cmpVec(r.observed, arr(ref.obs), CLOSE, `${label} obs`);
  cmpVec(r.expected, arr(ref.exp), CLOSE, `${label} exp`);
  (ref.var as number[][]).forEach((row, i) => {
    cmpVec(r.variance[i]!, row, CLOSE, `${label} var[${i}]`);
  });
  expectClose(r.statistic, ref.chisq, CLOSE, `${label} chisq`);
  expect(r.df).toBe(ref.df);
  expectClose(r.pValue, ref.p, CLOSE, `${label} p`);
}

describe("logRankTest vs survdiff", () => {
  it("lung by sex, rho = 0", () => {
    const r = logRankTest(lungBase);
    expect(r.method).toMatch(/^Log-rank/);
    check(r, REF.cases.lung_logrank_sex, "lung sex");
  });
  it("lung by sex, rho = 1 (Peto–Peto)", () => {
    const r = logRankTest(lungBase, { rho: 1 });
    expect(r.method).toMatch(/^Peto-Peto/);
    check(r, REF.cases.lung_peto_sex, "lung sex peto");
  });
  it("stratified by ph.ecog (one row with missing stratum dropped)", () => {
    const r = logRankTest({ ...lungBase, strata: nums(lung.ph_ecog) });
    expect(r.nExcluded).toBe(1);
    expect(r.nStrata).toBe(4);
    check(r, REF.cases.lung_logrank_sex_strata_ecog, "strata ecog");
  });
  it("stratified by institution, rho = 0 and 1", () => {
    check(
      logRankTest({ ...lungBase, strata: nums(lung.inst) }),
      REF.cases.lung_logrank_sex_strata_inst,
      "inst",
    );
    check(
      logRankTest({ ...lungBase, strata: nums(lung.inst) }, { rho: 1 }),
      REF.cases.lung_peto_sex_strata_inst,
      "inst peto",
    );
  });
  it("four ECOG groups, one with a single subject", () => {
    const r = logRankTest({ time: lungBase.time, status: lungBase.status, group: nums(lung.ph_ecog) });
    expect(r.groups).toEqual([0, 1, 2, 3]);
    check(r, REF.cases.lung_logrank_ecog, "ecog");
  });
  it("veteran by cell type (string labels, sorted)", () => {
    const v = REF.data.veteran;
    const r = logRankTest({ time: nums(v.time), status: nums(v.status), group: v.celltype });
    expect(r.groups).toEqual(["adeno", "large", "smallcell", "squamous"]);
    check(r, REF.cases.veteran_logrank_celltype, "veteran");
  });
  it("tiny: ties across groups (rho 0 and 1)", () => {
    const t = REF.cases.tiny.ties_across_groups;
    const input = { time: nums(t.data.time), status: nums(t.data.status), group: nums(t.data.g) };
    check(logRankTest(input), t.logrank, "ties");
    check(logRankTest(input, { rho: 1 }), t.peto, "ties peto");
  });
  it("tiny: a group censored before the first death has E = 0 and adds no df", () => {
    const t = REF.cases.tiny.zero_expected_group;
    const r = logRankTest({ time: nums(t.data.time), status: nums(t.data.status), group: t.data.g });
    check(r, t.logrank, "zero expected");
    expect(r.warnings.map((w) => w.code)).toContain("GROUP_NO_EXPECTED");
  });
});

describe("logRankTest degenerate input", () => {
  it("one group: coded warning, statistic and p null", () => {
    const r = logRankTest({ time: [1, 2, 3], status: [1, 0, 1], group: [1, 1, 1] });
    expect(r.statistic).toBeNull();
    expect(r.pValue).toBeNull();
    expect(r.warnings.map((w) => w.code)).toContain("ONE_GROUP");
  });
  it("no events: coded warning, statistic null", () => {
    const r = logRankTest({ time: [1, 2, 3, 4], status: [0, 0, 0, 0], group: [1, 2, 1, 2] });
    expect(r.statistic).toBeNull();
    expect(r.df).toBeNull();
    expect(r.warnings.map((w) => w.code)).toContain("NO_EVENTS");
    expect(r.expected).toEqual([0, 0]);
  });
  it("missing group → row excluded; mismatch, Infinity, bad rho → InvalidInputError", () => {
    const r = logRankTest({
      time: [1, 2, 3, 4, 5],
      status: [1, 1, 0, 1, 1],
      group: ["a", "b", null, "a", "b"],
    });
    expect(r.n).toBe(4);
    expect(r.nExcluded).toBe(1);
    expect(() => logRankTest({ time: [1, 2], status: [1], group: [1, 2] })).toThrow(InvalidInputError);
    expect(() => logRankTest({ time: [1, Number.NEGATIVE_INFINITY], status: [1, 1], group: [1, 2] })).toThrow(
      InvalidInputError,
    );
    expect(() => logRankTest({ time: [1, 2], status: [1, 1], group: [1, 2] }, { rho: -1 })).toThrow(
      InvalidInputError,
    );
    expect(() => logRankTest({ time: [Number.NaN], status: [1], group: [1] })).toThrow(InsufficientDataError);
  });
  it("row order does not matter", () => {
    const n = lungBase.time.length;
    const perm = Array.from({ length: n }, (_, i) => (i * 97) % n); // 97 coprime with 228
    const pick = (a: number[]) => perm.map((i) => a[i]!);
    const a = logRankTest({ ...lungBase, strata: nums(lung.inst) });
    const b = logRankTest({
      time: pick(lungBase.time),
      status: pick(lungBase.status),
      group: pick(lungBase.group),
      strata: pick(nums(lung.inst)),
    });
    expect(b).toEqual(a);
  });
});
