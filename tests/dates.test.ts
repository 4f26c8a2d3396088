import { describe, expect, it } from "vitest";
import { addMonths, civilFromDays, daysFromCivil, formatIsoDate, parseIsoDate } from "../src/dates.js";

describe("day numbers", () => {
  it("counts days from 1970-01-01", () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 3, 1)).toBe(11017);
    expect(parseIsoDate("2024-02-29")).toBe(19782);
    expect(parseIsoDate("1969-12-31")).toBe(-1);
  });
  it("round-trips every day across four centuries", () => {
    for (let d = -146097; d <= 146097; d += 37) {
      const { year, month, day } = civilFromDays(d);
      expect(daysFromCivil(year, month, day)).toBe(d);
      expect(parseIsoDate(formatIsoDate(d))).toBe(d);
    }
  });
  it("rejects impossible and malformed dates", () => {
    for (const bad of [
      "2024-02-30",
      "2023-02-29",
      "2023-13-01",
      "2023-00-10",
      "2023-1-01",
      "20230101",
      "2023/01/01",
      "",
    ]) {
      expect(parseIsoDate(bad), bad).toBeNull();
    }
    expect(parseIsoDate("2000-02-29")).not.toBeNull();
    expect(parseIsoDate("1900-02-29")).toBeNull();
  });
  it("adds calendar months clamped to the month end (MEASURES §15.12, GPRA-1)", () => {
    const intake = parseIsoDate("2024-01-01")!;
    const due = addMonths(intake, 6);
    expect(formatIsoDate(due)).toBe("2024-07-01");
    expect(formatIsoDate(addMonths(due, -1))).toBe("2024-06-01");
    expect(formatIsoDate(addMonths(due, 2))).toBe("2024-09-01");
    expect(formatIsoDate(addMonths(parseIsoDate("2024-08-31")!, 6))).toBe("2025-02-28");
    expect(formatIsoDate(addMonths(parseIsoDate("2023-08-31")!, 6))).toBe("2024-02-29");
  });
});
