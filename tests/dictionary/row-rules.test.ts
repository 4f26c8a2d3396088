/** Multi-column rules, compiled once and shared by the zod schema and the loader (hand-worked cases). */
import { describe, expect, it } from "vitest";
import { compileRowRule, type RowRule } from "../../data-dictionary/index.js";

const cols = ["instrument", "item_01", "item_02", "item_03", "start", "end"];
const at = (name: string) => cols.indexOf(name);

describe("compileRowRule", () => {
  const order = compileRowRule({ kind: "dateOrder", start: "start", end: "end", description: "" }, at);

  it("dateOrder: end before start is a violation; equal days, or a missing date, are fine", () => {
    expect(order([null, null, null, null, 100, 99])).toEqual([
      {
        column: "end",
        code: "END_BEFORE_START",
        message: "end is 1 day(s) before start",
        rule: "end ≥ start",
      },
    ]);
    expect(order([null, null, null, null, 100, 100])).toBeNull();
    expect(order([null, null, null, null, 100, null])).toBeNull();
    expect(order([null, null, null, null, null, 5])).toBeNull();
  });

  const items: RowRule = {
    kind: "instrumentItems",
    instrumentColumn: "instrument",
    itemColumns: ["item_01", "item_02", "item_03"],
    instruments: {
      TWO: { items: 2, minimum: 1, maximum: 6, source: "test" },
      ANY: { items: 3, minimum: null, maximum: null, source: "test" },
    },
    description: "",
  };
  const check = compileRowRule(items, at);

  it("instrumentItems: range per instrument, items beyond the instrument, missing items ignored", () => {
    expect(check(["TWO", 1, 6, null, null, null])).toBeNull();
    expect(check(["TWO", 0, null, null, null, null])?.map((v) => [v.column, v.code])).toEqual([
      ["item_01", "RANGE"],
    ]);
    expect(check(["TWO", 7, 2, 3, null, null])?.map((v) => [v.column, v.code])).toEqual([
      ["item_01", "RANGE"],
      ["item_03", "ITEM_NOT_IN_INSTRUMENT"],
    ]);
    expect(check(["ANY", -50, 1000, 3, null, null])).toBeNull();
    expect(check(["OTHER", 99, 99, 99, null, null])).toBeNull();
  });

  it("refuses a rule naming an unknown column", () => {
    expect(() =>
      compileRowRule({ kind: "dateOrder", start: "nope", end: "end", description: "" }, at),
    ).toThrow(/nope/);
  });
});
