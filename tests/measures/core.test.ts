/**
 * Core helpers: completed-years age (birthday rule, leap-day births), interval merging with the
 * direct-transfer adjacency rule, longest uncovered run with leading/trailing gaps, CSR grouping with
 * unsorted input, the inclusive window helper, and column readers (ISO strings, list cells, bad values).
 */
import { table } from "arquero";
import { describe, expect, it } from "vitest";
import { readDays, readLists, readStrings } from "../../src/measures/core/columns.js";
import { ageYears, packedCivil } from "../../src/measures/core/follow-up.js";
import { inWindow, longestUncoveredRun, sortAndMerge } from "../../src/measures/core/intervals.js";
import { buildCsr } from "../../src/measures/core/person-index.js";
import { d } from "./fixtures.js";

describe("ageYears", () => {
  it("counts completed years with the birthday rule", () => {
    expect(ageYears(d("2008-01-02"), d("2024-01-01"))).toBe(15);
    expect(ageYears(d("2008-01-02"), d("2024-01-02"))).toBe(16);
    expect(ageYears(d("2000-02-29"), d("2021-02-28"))).toBe(20);
    expect(ageYears(d("2000-02-29"), d("2021-03-01"))).toBe(21);
    expect(ageYears(d("1969-12-31"), d("1970-01-01"))).toBe(0);
    expect(packedCivil(d("1965-07-04"))).toBe(19650704);
  });
});

describe("intervals", () => {
  it("merges overlapping and adjacent (next start ≤ end + 1) intervals only", () => {
    const s = Int32Array.from([10, 1, 5, 20]);
    const e = Int32Array.from([12, 4, 8, 25]);
    const m = sortAndMerge(s, e, 4);
    expect([Array.from(s.subarray(0, m)), Array.from(e.subarray(0, m))]).toEqual([
      [1, 10, 20],
      [8, 12, 25],
    ]);
  });
  it("longest uncovered run includes the leading and trailing runs", () => {
    const s = Int32Array.from([5, 20]);
    const e = Int32Array.from([10, 22]);
    expect(longestUncoveredRun(s, e, 0, 2, 1, 30)).toBe(9); // 11–19
    expect(longestUncoveredRun(s, e, 0, 2, 1, 12)).toBe(4); // 1–4
    expect(longestUncoveredRun(s, e, 0, 2, 5, 40)).toBe(18); // 23–40
    expect(longestUncoveredRun(s, e, 0, 0, 1, 7)).toBe(7);
  });
  it("inWindow is inclusive at both ends", () => {
    expect([inWindow(0, 0, 7), inWindow(7, 0, 7), inWindow(8, 0, 7), inWindow(-1, 0, 7)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe("buildCsr", () => {
  it("groups by person and sorts by key then tie-breaker, stably", () => {
    const person = Int32Array.from([1, 0, 1, 0, 1]);
    const key = Int32Array.from([5, 3, 2, 3, 2]);
    const key2 = Int32Array.from([0, 9, 1, 8, 0]);
    const { offsets, order } = buildCsr(person, 2, key, key2);
    expect(Array.from(offsets)).toEqual([0, 2, 5]);
    expect(Array.from(order)).toEqual([3, 1, 4, 2, 0]);
  });
});

describe("column readers", () => {
  it("accept day numbers and ISO strings; reject impossible dates with the row", () => {
    const t = table({ x: [d("2024-01-01"), "2024-01-02", null] });
    expect(Array.from(readDays(t, "x", "t", false)).slice(0, 2)).toEqual([d("2024-01-01"), d("2024-01-02")]);
    expect(() => readDays(table({ x: ["2024-02-30"] }), "x", "t", false)).toThrow(/row 1/);
    expect(() => readDays(t, "x", "t", true)).toThrow(/row 3/);
  });
  it("list cells arrive as arrays or semicolon strings", () => {
    const t = table({ l: [["A", "B"], "C; D", null, "E"] });
    const c = readLists(t, "l", "t");
    expect([c.get(0), c.get(1), c.get(2), c.get(3)]).toEqual([["A", "B"], ["C", "D"], [], ["E"]]);
  });
  it("empty strings become null", () => {
    expect(readStrings(table({ s: ["a", "", null] }), "s", "t", false)).toEqual(["a", null, null]);
  });
});
