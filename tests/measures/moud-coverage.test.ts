/**
 * MOUD coverage construction (MEASURES §2.4, §15.1–2). Cases: POD-1 and POD-2 test vectors, the §2.4
 * worked examples (7 + 14 on Jan 1 → Jan 1–21; 3 units of a weekly code → 21 days), stacking against
 * the running stacked coverage (not the previous fill's raw dates), days-supply defaults, same-day
 * events, neutral inpatient days, and the §15.1 new-episode rule with a long-acting supply.
 * Every expected interval is derived by hand from the rules.
 */
import { describe, expect, it } from "vitest";
import { MeasureData } from "../../src/measures/core/data.js";
import {
  coverageEventTable,
  moudCoverage,
  newEpisodeStarts,
  walkDiscontinuation,
} from "../../src/measures/moud-coverage.js";
import { d, ENC_COLS, enc, MED_COLS, med, rows } from "./fixtures.js";

function intervals(tables: Parameters<typeof MeasureData.from>[0], person = "p1", params = {}) {
  const data = MeasureData.from(tables);
  const cov = moudCoverage(data, params);
  const p = data.persons.lookup(person);
  const out: [number, number][] = [];
  for (let k = cov.covered.offsets[p]!; k < cov.covered.offsets[p + 1]!; k++) {
    out.push([cov.covered.starts[k]!, cov.covered.ends[k]!]);
  }
  return { out, cov, p, data };
}

describe("moudCoverage", () => {
  it("POD-1: same row overlapping fills are stacked (Jan 1 + Jan 5, 7 days each → Jan 1–14)", () => {
    const t = rows(MED_COLS, [
      med("p1", "2024-01-05", { days_supply: 7 }),
      med("p1", "2024-01-01", { days_supply: 7 }),
    ]);
    expect(intervals({ medication_events: t }).out).toEqual([[d("2024-01-01"), d("2024-01-14")]]);
  });

  it("POD-2: different rows are unioned, not shifted (oral Jan 1–7, injection Jan 5–Feb 4)", () => {
    const t = rows(MED_COLS, [
      med("p1", "2024-01-01", { days_supply: 7 }),
      med("p1", "2024-01-05", { med_row: "BUP_INJ", days_supply: 31 }),
    ]);
    const { out, cov, data } = intervals({ medication_events: t });
    expect(out).toEqual([[d("2024-01-01"), d("2024-02-04")]]);
    const ev = coverageEventTable(data, cov).objects() as Record<string, unknown>[];
    expect(ev.map((e) => [e.cover_start, e.cover_end])).toEqual([
      [d("2024-01-01"), d("2024-01-07")],
      [d("2024-01-05"), d("2024-02-04")],
    ]);
  });

  it("§2.4 example: 7 + 14 days on Jan 1 → Jan 1–21; 3 units of a weekly code → 21 days", () => {
    const t = rows(MED_COLS, [
      med("p1", "2024-01-01", { days_supply: 7 }),
      med("p1", "2024-01-01", { days_supply: 14 }),
      med("p2", "2024-03-01", { route: "OTP_DOSE", med_row: "METHADONE_ORAL_WEEKLY", units: 3 }),
    ]);
    expect(intervals({ medication_events: t }).out).toEqual([[d("2024-01-01"), d("2024-01-21")]]);
    expect(intervals({ medication_events: t }, "p2").out).toEqual([[d("2024-03-01"), d("2024-03-21")]]);
  });

  it("§15.2: a fill overlapping the running stacked coverage (not the previous fill's raw dates) is shifted", () => {
    // Jan 1 (7) → Jan 1–7; Jan 3 (7) → Jan 8–14; Jan 10 (7): raw previous fill Jan 3–9 does not contain
    // Jan 10, but the stacked coverage runs to Jan 14 → Jan 15–21.
    const t = rows(MED_COLS, [
      med("p1", "2024-01-01", { days_supply: 7 }),
      med("p1", "2024-01-03", { days_supply: 7 }),
      med("p1", "2024-01-10", { days_supply: 7 }),
    ]);
    expect(intervals({ medication_events: t }).out).toEqual([[d("2024-01-01"), d("2024-01-21")]]);
  });

  it("days-supply defaults per row and route; naltrexone oral without days supply is left out", () => {
    const t = rows(MED_COLS, [
      med("p1", "2024-01-01"), // BUP_ORAL dispensing, missing → 7: Jan 1–7
      med("p1", "2024-02-01", { route: "ADMINISTRATION", med_row: "BUP_INJ", days_supply: 99 }), // value set 31: Feb 1–Mar 2
      med("p1", "2024-05-01", { route: "ADMINISTRATION", med_row: "BUP_ORAL", units: 2 }), // 1 per unit × 2: May 1–2
      med("p1", "2024-06-01", { med_row: "NALTREXONE_ORAL" }), // unresolved
      med("p1", "2024-07-01", { med_row: "AUD_OTHER", days_supply: 30 }), // not an OUD row
    ]);
    const { out, cov } = intervals({ medication_events: t });
    expect(out).toEqual([
      [d("2024-01-01"), d("2024-01-07")],
      [d("2024-02-01"), d("2024-03-02")],
      [d("2024-05-01"), d("2024-05-02")],
    ]);
    expect(Array.from(cov.rowStatus)).toEqual([0, 0, 0, 2, 1]);
    expect(cov.warnings.map((w) => w.code)).toContain("MEASURE_DAYS_SUPPLY_UNRESOLVED");
    // recorded-first uses the recorded 99 days of the administration
    const rf = intervals({ medication_events: t }, "p1", { administrationDaysSupply: "recorded-first" });
    expect(rf.out[1]).toEqual([d("2024-02-01"), d("2024-02-01") + 98]);
  });

  it("§15.1: a fill while an implant is still running never starts a new episode", () => {
    // implant 2023-01-01 covers 180 days (to 2023-06-29); bup oral 2023-06-20 is inside it; bup oral
    // 2023-09-01 follows 63 uncovered days → new episode.
    const t = rows(MED_COLS, [
      med("p1", "2023-01-01", { route: "ADMINISTRATION", med_row: "BUP_IMPLANT" }),
      med("p1", "2023-06-20", { days_supply: 7 }),
      med("p1", "2023-09-01", { days_supply: 7 }),
    ]);
    const { cov, p } = intervals({ medication_events: t });
    expect(newEpisodeStarts(cov, p, 31)).toEqual([d("2023-01-01"), d("2023-09-01")]);
    // an event exactly 32 days after the end of coverage starts a new episode; 31 days does not
    const t2 = rows(MED_COLS, [
      med("p1", "2024-01-01", { days_supply: 10 }), // Jan 1–10
      med("p1", "2024-02-11", { days_supply: 10 }), // look-back Jan 11–Feb 10 uncovered → new
      med("p2", "2024-01-01", { days_supply: 10 }),
      med("p2", "2024-02-10", { days_supply: 10 }), // look-back Jan 10–Feb 9 includes Jan 10 → not new
    ]);
    const r1 = intervals({ medication_events: t2 }, "p1");
    expect(newEpisodeStarts(r1.cov, r1.p, 31)).toEqual([d("2024-01-01"), d("2024-02-11")]);
    const r2 = intervals({ medication_events: t2 }, "p2");
    expect(newEpisodeStarts(r2.cov, r2.p, 31)).toEqual([d("2024-01-01")]);
  });

  it("neutral inpatient days do not lengthen a gap; 'uncovered' mode counts them", () => {
    // covered Jan 1–10, inpatient Jan 12–20 (no MOUD), refill Jan 25: raw gap Jan 11–24 = 14 days,
    // of which 9 are inpatient → 5 effective days with 'neutral'.
    const tables = {
      medication_events: rows(MED_COLS, [
        med("p1", "2024-01-01", { days_supply: 10 }),
        med("p1", "2024-01-25", { days_supply: 30 }),
      ]),
      encounters: rows(ENC_COLS, [enc("p1", "INPATIENT_ACUTE", "2024-01-12", { end_date: "2024-01-20" })]),
    };
    const neutral = intervals(tables);
    const w = walkDiscontinuation(neutral.cov, neutral.p, d("2024-01-01"), d("2024-12-31"), 7);
    // the first qualifying gap is then the one after the refill's supply (Jan 25 + 30 − 1 = Feb 23)
    expect(w).toEqual({
      discontinued: 1,
      discontinuationDay: d("2024-02-23"),
      lastCoveredObserved: d("2024-02-23"),
    });
    const unc = intervals(tables, "p1", { institutionalDays: "uncovered" });
    const w2 = walkDiscontinuation(unc.cov, unc.p, d("2024-01-01"), d("2024-12-31"), 7);
    expect(w2).toEqual({
      discontinued: 1,
      discontinuationDay: d("2024-01-10"),
      lastCoveredObserved: d("2024-01-10"),
    });
  });

  it("rejects a non-positive recorded days supply", () => {
    const t = rows(MED_COLS, [med("p1", "2024-01-01", { days_supply: 0 })]);
    expect(() => moudCoverage({ medication_events: t })).toThrow(/days_supply/);
  });
});
