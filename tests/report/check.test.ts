// Coded warnings about a report's input (asserted by code, not prose).
import { describe, expect, it } from "vitest";
import { checkReportInput } from "../../src/report/check.js";
import type { ReportInput } from "../../src/report/types.js";
import { FIXTURE_REPORT } from "./fixtures.js";

const codes = (input: ReportInput) => checkReportInput(input).map((w) => w.code);

describe("checkReportInput", () => {
  it("reports hidden counts and a comparison shown next to a hidden count", () => {
    const w = checkReportInput(FIXTURE_REPORT);
    expect(w.map((x) => x.code)).toEqual(["CELLS_SUPPRESSED", "HIDDEN_COUNT_IN_EFFECT"]);
    expect(w[1]?.detail).toEqual({ outcome: "ed-return" });
    // the two chart points left out for a small n (retention at day 180, BARC-10 at 6 months)
    expect(w[0]?.detail).toMatchObject({ chartPoints: 2 });
    expect(w[0]?.message).toContain("2 chart points left out");
  });
  it("counts hidden subgroup counts among the hidden cells", () => {
    const without = {
      ...FIXTURE_REPORT,
      outcomes: FIXTURE_REPORT.outcomes.map(({ subgroups: _s, ...o }) => o),
    };
    const hidden = (input: ReportInput) =>
      (checkReportInput(input).find((x) => x.code === "CELLS_SUPPRESSED")?.detail?.hidden as number) ?? 0;
    // Sex: Female's 3 counts and the other level's 3 counts
    expect(hidden(FIXTURE_REPORT) - hidden(without)).toBe(6);
  });
  it("warns when suppression is off", () => {
    expect(codes({ ...FIXTURE_REPORT, smallCell: { suppressed: false } })).toEqual(["SUPPRESSION_OFF"]);
  });
  it("flags causal wording in a non-causal design, not in a randomized one", () => {
    const outcomes = FIXTURE_REPORT.outcomes.map((o, k) =>
      k === 0 ? { ...o, sentence: "Peer support led to faster MOUD starts." } : o,
    );
    const w = checkReportInput({ ...FIXTURE_REPORT, outcomes });
    expect(w.find((x) => x.code === "CAUSAL_WORDING")?.detail).toEqual({
      where: 'outcome "days-to-moud" sentence',
      word: "led to",
    });
    const randomized = {
      ...FIXTURE_REPORT,
      outcomes,
      design: { ...FIXTURE_REPORT.design, causalLanguageAllowed: true },
    };
    expect(codes(randomized)).not.toContain("CAUSAL_WORDING");
  });
  it("reads notes and extra chart titles for causal wording too", () => {
    const outcomes = FIXTURE_REPORT.outcomes.map((o) =>
      o.id === "recovery-capital" ? { ...o, notes: ["Peer support improved recovery capital."] } : o,
    );
    expect(
      checkReportInput({ ...FIXTURE_REPORT, outcomes }).find((x) => x.code === "CAUSAL_WORDING")?.detail,
    ).toEqual({
      where: 'outcome "recovery-capital" note',
      word: "improved",
    });
  });
  it("flags row-level data in the manifest", () => {
    const rows = Array.from({ length: 150 }, (_, i) => ({ id: i }));
    expect(codes({ ...FIXTURE_REPORT, manifest: { sample: rows } })).toContain("MANIFEST_ROW_DATA");
    expect(codes({ ...FIXTURE_REPORT, manifest: { first: { person_id: "A1" } } })).toContain(
      "MANIFEST_ROW_DATA",
    );
    expect(codes(FIXTURE_REPORT)).not.toContain("MANIFEST_ROW_DATA");
  });
});
