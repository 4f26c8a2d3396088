/** Observation periods per person: merged, inclusive at both ends; death dates by person. */
import { describe, expect, it } from "vitest";
import { DatasetContext } from "../../src/dictionary/dataset-context.js";

function withPersons(n: number): DatasetContext {
  const ctx = new DatasetContext();
  const persons = ctx.keysOf("persons");
  for (let i = 0; i < n; i++) persons.insert(`P${i}`);
  return ctx;
}

describe("DatasetContext", () => {
  it("checks days against each person's periods, both ends inclusive, unsorted and overlapping input", () => {
    const ctx = withPersons(3);
    ctx.addPeriod(0, 50, 60);
    ctx.addPeriod(0, 10, 20);
    ctx.addPeriod(0, 15, 30);
    ctx.addPeriod(0, 31, 40); // adjacent to [10, 30]: merged into [10, 40]
    ctx.addPeriod(2, -5, -5);
    expect(ctx.checksObservation).toBe(false);
    ctx.finishPeriods();
    expect(ctx.checksObservation).toBe(true);
    const inside = (p: number, d: number) => ctx.inObservation(p, d);
    expect([9, 10, 25, 30, 31, 40, 41, 49, 50, 60, 61].map((d) => inside(0, d))).toEqual([
      false,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
    expect(inside(1, 10)).toBe(false);
    expect([-6, -5, -4].map((d) => inside(2, d))).toEqual([false, true, false]);
  });

  it("returns death days by person index and remembers rejected keys", () => {
    const ctx = withPersons(2);
    ctx.setDeathDays([null, 19_000]);
    expect(ctx.deathDay(0)).toBeNull();
    expect(ctx.deathDay(1)).toBe(19_000);
    ctx.rejectKey("persons", "P9", 4);
    ctx.rejectKey("persons", "P9", 7);
    expect(ctx.rejectedRow("persons", "P9")).toBe(4);
    expect(ctx.rejectedRow("persons", "P8")).toBeUndefined();
  });
});
