// Expected statuses are hand-derived from the rule: counts 1..threshold hidden (zero shown); every
// additive relation ends with zero or at least two hidden cells; a complementarily hidden number is
// hidden wherever it appears.
import { describe, expect, it } from "vitest";
import {
  type AdditiveRelation,
  cellIds,
  cellStatus,
  isSmallCount,
  planReportSuppression,
  resolveSmallCellPolicy,
  suppressCells,
} from "../../src/report/suppress.js";
import type { ReportInput } from "../../src/report/types.js";
import { FIXTURE_REPORT } from "./fixtures.js";

const ON = { threshold: 10, suppressed: true };

describe("primary suppression", () => {
  it("hides 1..threshold, shows 0 and larger counts", () => {
    expect([0, 1, 5, 10, 11, 250].map((n) => isSmallCount(n, ON))).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(isSmallCount(3, { threshold: 10, suppressed: false })).toBe(false);
    expect(isSmallCount(11, { threshold: 20, suppressed: true })).toBe(true);
  });
  it("resolves the default policy and rejects a bad threshold", () => {
    expect(resolveSmallCellPolicy()).toEqual({ threshold: 10, suppressed: true });
    expect(resolveSmallCellPolicy({ suppressed: false })).toEqual({ threshold: 10, suppressed: false });
    expect(() => resolveSmallCellPolicy({ threshold: 2.5 })).toThrow(RangeError);
  });
});

describe("complementary suppression", () => {
  it("hides a second cell when a total and all but one part are shown", () => {
    // 120 = 7 + 45 + 68: 7 is hidden, so the smallest other part (45) is hidden too
    const values = new Map([
      ["total", 120],
      ["a", 7],
      ["b", 45],
      ["c", 68],
    ]);
    const status = suppressCells(values, [{ total: "total", parts: ["a", "b", "c"] }], ON);
    expect(Object.fromEntries(status)).toEqual({
      total: "shown",
      a: "primary",
      b: "complementary",
      c: "shown",
    });
  });
  it("leaves a relation with two primary cells alone", () => {
    const values = new Map([
      ["total", 100],
      ["a", 3],
      ["b", 4],
      ["c", 93],
    ]);
    const status = suppressCells(values, [{ total: "total", parts: ["a", "b", "c"] }], ON);
    expect([...status.values()].filter((s) => s === "complementary")).toEqual([]);
  });
  it("prefers a positive count to a zero, and the total when no part is left", () => {
    const zero = suppressCells(
      new Map([
        ["t", 50],
        ["a", 5],
        ["z", 0],
        ["b", 45],
      ]),
      [{ total: "t", parts: ["a", "z", "b"] }],
      ON,
    );
    expect(zero.get("b")).toBe("complementary");
    expect(zero.get("z")).toBe("shown");
    const single = suppressCells(
      new Map([
        ["t", 8],
        ["a", 8],
      ]),
      [{ total: "t", parts: ["a"] }],
      ON,
    );
    expect(single.get("t")).toBe("primary");
  });
  it("avoids cascading: picks the cell whose hiding leaves no other relation with one hidden cell", () => {
    // flow: 811 = 10 + 801; groups: 801 = 412 + 389. Hiding 801 would force a group n to be hidden;
    // hiding 811 (the total) ends it there.
    const values = new Map([
      ["eligible", 811],
      ["noMatch", 10],
      ["analysed", 801],
      ["g1", 412],
      ["g2", 389],
    ]);
    const relations: AdditiveRelation[] = [
      { total: "eligible", parts: ["noMatch", "analysed"] },
      { total: "analysed", parts: ["g1", "g2"] },
    ];
    const status = suppressCells(values, relations, ON);
    expect(Object.fromEntries(status)).toEqual({
      eligible: "complementary",
      noMatch: "primary",
      analysed: "shown",
      g1: "shown",
      g2: "shown",
    });
  });
  it("hides a complementarily hidden number wherever the same number appears", () => {
    const values = new Map([
      ["t", 60],
      ["a", 6],
      ["b", 54],
      ["elsewhere", 54],
    ]);
    const status = suppressCells(values, [{ total: "t", parts: ["a", "b"] }], ON);
    expect(status.get("b")).toBe("complementary");
    expect(status.get("elsewhere")).toBe("complementary");
  });
  it("does nothing when suppression is off", () => {
    const status = suppressCells(
      new Map([
        ["t", 10],
        ["a", 3],
        ["b", 7],
      ]),
      [{ total: "t", parts: ["a", "b"] }],
      { threshold: 10, suppressed: false },
    );
    expect([...status.values()].every((s) => s === "shown")).toBe(true);
  });
  it("property: on random tables no relation ends with exactly one hidden cell", () => {
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let trial = 0; trial < 300; trial++) {
      const values = new Map<string, number>();
      const relations: AdditiveRelation[] = [];
      const rows = 2 + Math.floor(next() * 3);
      const cols = 2 + Math.floor(next() * 3);
      // a rows x cols table with row and column totals (a two-way table's margins)
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++)
          values.set(`${r},${c}`, Math.floor(next() < 0.4 ? next() * 12 : next() * 80));
      }
      for (let r = 0; r < rows; r++) {
        const parts = Array.from({ length: cols }, (_, c) => `${r},${c}`);
        values.set(
          `row${r}`,
          parts.reduce((s, p) => s + (values.get(p) ?? 0), 0),
        );
        relations.push({ total: `row${r}`, parts });
      }
      for (let c = 0; c < cols; c++) {
        const parts = Array.from({ length: rows }, (_, r) => `${r},${c}`);
        values.set(
          `col${c}`,
          parts.reduce((s, p) => s + (values.get(p) ?? 0), 0),
        );
        relations.push({ total: `col${c}`, parts });
      }
      const status = suppressCells(values, relations, ON);
      for (const [id, n] of values) {
        if (n >= 1 && n <= 10) expect(status.get(id), `${id}=${n}`).not.toBe("shown");
      }
      for (const rel of relations) {
        const hidden = [rel.total, ...rel.parts].filter((id) => status.get(id) !== "shown").length;
        expect(hidden === 0 || hidden >= 2, `trial ${trial}: ${rel.total} has ${hidden} hidden`).toBe(true);
      }
    }
  });
});

describe("fixed and linked cells", () => {
  it("hides a linked group together and never hides or picks a fixed (public) total", () => {
    // A subgroup level: n 19 = 4 treated + 15 control, linked; the treated column's public total
    // 68 = 4 + 64. The 4 is primary; its row-mates are hidden with it; the column then has one
    // hidden part and a fixed total, so the other part (64) is hidden.
    const values = new Map([
      ["n", 19],
      ["t", 4],
      ["c", 15],
      ["t2", 64],
      ["T", 68],
    ]);
    const relations: AdditiveRelation[] = [
      { total: "n", parts: ["t", "c"] },
      { total: "T", parts: ["t", "t2"] },
    ];
    const status = suppressCells(values, relations, ON, { fixed: new Set(["T"]), linked: [["n", "t", "c"]] });
    expect(Object.fromEntries(status)).toEqual({
      n: "complementary",
      t: "primary",
      c: "complementary",
      t2: "complementary",
      T: "shown",
    });
  });
  it("leaves a relation alone when its only shown cell is fixed, and never hides a fixed small value", () => {
    const status = suppressCells(
      new Map([
        ["T", 5],
        ["x", 5],
      ]),
      [{ total: "T", parts: ["x"] }],
      ON,
      { fixed: new Set(["T"]) },
    );
    expect(Object.fromEntries(status)).toEqual({ T: "shown", x: "primary" });
  });
  it("a linked group without a primary cell is left as it is", () => {
    const status = suppressCells(
      new Map([
        ["a", 40],
        ["b", 20],
        ["c", 20],
      ]),
      [{ total: "a", parts: ["b", "c"] }],
      ON,
      { linked: [["a", "b", "c"]] },
    );
    expect([...status.values()].every((x) => x === "shown")).toBe(true);
  });
});

describe("planReportSuppression on the fixture report", () => {
  const plan = planReportSuppression(FIXTURE_REPORT);
  it("hides every small count of the flow, files, issues and groups", () => {
    expect(cellStatus(plan, cellIds.flowExcluded(0, 0))).toBe("primary"); // 7 rejected
    expect(cellStatus(plan, cellIds.flowExcluded(1, 1))).toBe("primary"); // 9 under 18
    expect(cellStatus(plan, cellIds.flowExcluded(2, 0))).toBe("primary"); // 10 unmatched
    expect(cellStatus(plan, cellIds.file(0, "rejected"))).toBe("primary");
    expect(cellStatus(plan, cellIds.issue(0))).toBe("primary");
    expect(cellStatus(plan, cellIds.groupEvents(1, 0))).toBe("primary"); // 9 return visits
    expect(cellStatus(plan, cellIds.issue(2))).toBe("shown"); // 236
  });
  it("adds complementary suppression where a total would give a small count away", () => {
    // Eligible 811 = unmatched 10 + analysed 801: the total is hidden (hiding 801 would cascade into the groups)
    expect(cellStatus(plan, cellIds.flow(2))).toBe("complementary");
    expect(cellStatus(plan, cellIds.flow(3))).toBe("shown");
    // persons.csv: 1,243 read = 1,236 accepted + 7 rejected → accepted hidden, and so is the flow's 1,236
    expect(cellStatus(plan, cellIds.file(0, "accepted"))).toBe("complementary");
    expect(cellStatus(plan, cellIds.flow(0))).toBe("complementary");
    expect(plan.complementaryValues.has(1236)).toBe(true);
  });
  it("subgroups: a level with a small per-arm count hides its three counts, and the columns get a second hidden level", () => {
    // Retention by sex (outcome 2): Female 120 = 64 + 56, Male 163 = 92 + 71, Another 19 = 4 + 15;
    // column totals 302, 160, 142 are public. 4 is primary → 19 and 15 hidden with it (linked). Each
    // column then has one hidden level; the n column picks Female's 120 (smaller than 163), which
    // leaves the Female row with one hidden cell, so the treated and control columns pick Female's 64
    // and 56 (no new single-hidden relation). Male stays shown.
    const id = (row: number, col: "n" | "treated" | "control") => cellIds.subgroupCount(2, 0, row, col);
    expect(cellStatus(plan, id(2, "treated"))).toBe("primary");
    expect(cellStatus(plan, id(2, "n"))).toBe("complementary");
    expect(cellStatus(plan, id(2, "control"))).toBe("complementary");
    for (const col of ["n", "treated", "control"] as const) {
      expect(cellStatus(plan, id(0, col))).toBe("complementary");
      expect(cellStatus(plan, id(1, col))).toBe("shown");
      // the public totals are never hidden
      expect(cellStatus(plan, cellIds.subgroupTotal(2, 0, col))).toBe("shown");
    }
    // Housing status (outcome 1): nothing small, nothing hidden; 14 with a missing value shown
    for (const row of [0, 1])
      for (const col of ["n", "treated", "control"] as const)
        expect(cellStatus(plan, cellIds.subgroupCount(1, 0, row, col))).toBe("shown");
    expect(cellStatus(plan, cellIds.subgroupMissing(1, 0))).toBe("shown");
  });
  it("shows everything when suppression is off", () => {
    const off: ReportInput = { ...FIXTURE_REPORT, smallCell: { suppressed: false } };
    const p = planReportSuppression(off);
    expect(p.hidden).toBe(0);
    expect(p.policy).toEqual({ threshold: 10, suppressed: false });
  });
  it("uses the configured threshold", () => {
    const p = planReportSuppression({ ...FIXTURE_REPORT, smallCell: { threshold: 5 } });
    expect(cellStatus(p, cellIds.issue(2))).toBe("shown"); // 236
    expect(cellStatus(p, cellIds.flowExcluded(0, 1))).toBe("primary"); // 4
    // 1,236 = 7 + 4 + 1,225: with only the 4 hidden, the 7 is hidden as its complement
    expect(cellStatus(p, cellIds.flowExcluded(0, 0))).toBe("complementary");
    // …and so is every other 7 in the report (the DATE_ORDER issue count)
    expect(cellStatus(p, cellIds.issue(0))).toBe("complementary");
  });
});
