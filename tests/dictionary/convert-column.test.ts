/** Specific conversions of the compiled column converters (values worked out by hand). */
import { describe, expect, it } from "vitest";
import { dictionary } from "../../data-dictionary/index.js";
import {
  ConversionFailure,
  compileColumnConverter,
  compileMissingReason,
} from "../../src/dictionary/convert-column.js";

const column = (table: (typeof dictionary.tables)[number]["name"], name: string) =>
  dictionary.table(table).columns.find((c) => c.name === name)!;
const codeOf = (v: unknown) => (v instanceof ConversionFailure ? v.code : v);

describe("compileColumnConverter", () => {
  it("dates: ISO text to day numbers (1970-01-01 = 0), impossible days rejected", () => {
    const c = compileColumnConverter(column("encounters", "start_date"));
    expect(c("1970-01-01")).toBe(0);
    expect(c("1969-12-31")).toBe(-1);
    expect(c("2000-03-01")).toBe(11_017);
    expect(codeOf(c("2024-02-30"))).toBe("DATE_INVALID");
    expect(codeOf(c(""))).toBe("REQUIRED_MISSING");
    expect(codeOf(c("NA"))).toBe("REQUIRED_MISSING");
  });

  it("optional columns turn empty and NA into null, never other spellings", () => {
    const c = compileColumnConverter(column("encounters", "end_date"));
    expect(c("")).toBeNull();
    expect(c("NA")).toBeNull();
    expect(codeOf(c("na"))).toBe("DATE_INVALID");
    expect(codeOf(c("N/A"))).toBe("DATE_INVALID");
  });

  it("GPRA special codes are null with a reason; other negatives are out of range", () => {
    const col = column("assessments", "gpra_days_alcohol");
    const c = compileColumnConverter(col);
    const reason = compileMissingReason(col)!;
    expect(["-7", "-8", "-9", "", "12"].map(c)).toEqual([null, null, null, null, 12]);
    expect(["-7", "-8", "-9", "", "12"].map(reason)).toEqual(["REFUSED", "DONT_KNOW", "MISSING", null, null]);
    expect(codeOf(c("-1"))).toBe("RANGE");
    expect(compileMissingReason(column("assessments", "item_01"))).toBeNull();
  });

  it("lists share one frozen array per distinct text", () => {
    const c = compileColumnConverter(column("encounters", "procedure_codes"));
    const a = c("99213;H0038");
    const b = c("99213;H0038");
    expect(a).toEqual(["99213", "H0038"]);
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it("ids keep their text exactly and share equal strings", () => {
    const c = compileColumnConverter(column("encounters", "provider_id"));
    expect(c("DR-000000000001")).toBe("DR-000000000001");
    expect(codeOf(c("DR1 "))).toBe("TYPE_INVALID");
    expect(c("")).toBeNull();
  });

  it("numbers: strict decimal text, finite, within range", () => {
    const units = compileColumnConverter(column("medication_events", "units"));
    expect(["0.5", "28", "1e2", ".25"].map(units)).toEqual([0.5, 28, 100, 0.25]);
    expect(["0", "-1"].map((s) => codeOf(units(s)))).toEqual(["RANGE", "RANGE"]);
    expect(["1,5", "0x1", "Infinity", " 1"].map((s) => codeOf(units(s)))).toEqual([
      "TYPE_INVALID",
      "TYPE_INVALID",
      "TYPE_INVALID",
      "TYPE_INVALID",
    ]);
  });
});
