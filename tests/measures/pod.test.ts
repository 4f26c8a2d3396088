/**
 * POD (MEASURES §2.4) test vectors POD-3 … POD-8 plus edges: tail gap of exactly 7 days, death inside
 * the period, a period running past the data end, an index with no observation period, age limits,
 * intake-period bounds and a summary whose denominator is empty (not evaluable, never 0 %, §15.13).
 * Period days are numbered 1–180 as in the §11a vectors (period day k = start + k − 1).
 */
import { describe, expect, it } from "vitest";
import { formatIsoDate } from "../../src/dates.js";
import { pod } from "../../src/measures/pod.js";
import { d, ENC_COLS, enc, MED_COLS, med, OBS_COLS, persons, rows } from "./fixtures.js";

const START = "2024-01-01";
const S = d(START);
const dayOf = (k: number) => S + k - 1; // period day k
const iso = formatIsoDate;
const adult = persons([{ person_id: "p1", birth_date: "1980-05-05" }]);

function run(medRows: Record<string, unknown>[], extra: Record<string, unknown> = {}, params = {}) {
  return pod(
    { persons: adult, medication_events: rows(MED_COLS, medRows), ...extra },
    { dataEnd: "2025-12-31", ...params },
  );
}

function first(r: ReturnType<typeof pod>) {
  return r.units.objects()[0] as Record<string, unknown>;
}

describe("pod", () => {
  it("POD-3: coverage ends period day 100, next event day 108 → 7 uncovered days → compliant", () => {
    const r = run([med("p1", START, { days_supply: 100 }), med("p1", iso(dayOf(108)), { days_supply: 73 })]);
    expect(first(r)).toMatchObject({
      in_denominator: true,
      compliant: true,
      longest_gap_days: 7,
      reason: "INCLUDED",
    });
  });

  it("POD-4: next event day 109 → 8 uncovered days (101–108) → not compliant", () => {
    const r = run([med("p1", START, { days_supply: 100 }), med("p1", iso(dayOf(109)), { days_supply: 72 })]);
    expect(first(r)).toMatchObject({ in_denominator: true, compliant: false, longest_gap_days: 8 });
  });

  it("POD-5: last supply ends period day 172 → tail 173–180 = 8 days → not compliant; ending day 173 → compliant", () => {
    expect(first(run([med("p1", START, { days_supply: 172 })]))).toMatchObject({
      compliant: false,
      longest_gap_days: 8,
    });
    expect(first(run([med("p1", START, { days_supply: 173 })]))).toMatchObject({
      compliant: true,
      longest_gap_days: 7,
    });
  });

  const full = [med("p1", "2024-07-01", { days_supply: 180 })];
  it("POD-6: inpatient Aug 1–Aug 8 (LOS 8) in the period → period removed", () => {
    const e = rows(ENC_COLS, [enc("p1", "INPATIENT_ACUTE", "2024-08-01", { end_date: "2024-08-08" })]);
    expect(first(run(full, { encounters: e }))).toMatchObject({
      in_denominator: false,
      compliant: null,
      inpatient_los: 8,
      reason: "INPATIENT_STAY_8_DAYS",
    });
  });

  it("POD-7: acute Aug 1–4 then direct transfer Aug 5–8 → merged LOS 8 → removed", () => {
    const e = rows(ENC_COLS, [
      enc("p1", "INPATIENT_ACUTE", "2024-08-01", { end_date: "2024-08-04" }),
      enc("p1", "INPATIENT_NONACUTE", "2024-08-05", { end_date: "2024-08-08" }),
    ]);
    expect(first(run(full, { encounters: e }))).toMatchObject({
      reason: "INPATIENT_STAY_8_DAYS",
      inpatient_los: 8,
    });
  });

  it("POD-8: acute Aug 1–4 then transfer Aug 4–7 → overlapping day once → LOS 7 → kept", () => {
    const e = rows(ENC_COLS, [
      enc("p1", "INPATIENT_ACUTE", "2024-08-01", { end_date: "2024-08-04" }),
      enc("p1", "INPATIENT_ACUTE", "2024-08-04", { end_date: "2024-08-07" }),
    ]);
    expect(first(run(full, { encounters: e }))).toMatchObject({
      reason: "INCLUDED",
      inpatient_los: 7,
      compliant: true,
    });
  });

  it("a second start only after a 31-day negative history; overlapping periods both kept", () => {
    // Jan 1 (30 days) → Jan 1–30; next fill Mar 2: look-back Jan 31–Mar 1 uncovered → new period.
    const r = run([med("p1", START, { days_supply: 30 }), med("p1", "2024-03-02", { days_supply: 180 })]);
    const u = r.units.objects() as Record<string, unknown>[];
    expect(u.map((x) => x.period_start)).toEqual([S, d("2024-03-02")]);
    expect(u.map((x) => x.compliant)).toEqual([false, true]);
  });

  it("death inside the period excludes it; a period past the data end is not evaluable", () => {
    const dead = persons([{ person_id: "p1", birth_date: "1980-05-05", death_date: "2024-03-01" }]);
    const r = pod(
      { persons: dead, medication_events: rows(MED_COLS, [med("p1", START, { days_supply: 180 })]) },
      { dataEnd: "2025-12-31" },
    );
    expect(first(r)).toMatchObject({ reason: "DIED_IN_PERIOD", in_denominator: false, compliant: null });
    const late = run([med("p1", START, { days_supply: 180 })], {}, { dataEnd: "2024-06-01" });
    expect(first(late)).toMatchObject({ reason: "FOLLOW_UP_INCOMPLETE", compliant: null });
    // empty denominator → proportion not evaluable (null), never 0 (§15.13)
    expect(late.summary.compliant.overall.estimate).toBeNull();
    expect(late.summary.compliant.overall.n).toBe(0);
  });

  it("an event with no observation period is excluded with its reason", () => {
    const obs = rows(OBS_COLS, [
      {
        period_id: "o1",
        person_id: "p1",
        start_date: d("2025-01-01"),
        end_date: d("2025-12-31"),
        source: "ENROLLMENT",
      },
    ]);
    const r = run([med("p1", START, { days_supply: 180 })], { observation_periods: obs });
    expect(first(r)).toMatchObject({ reason: "NO_OBSERVATION_PERIOD", in_denominator: false });
  });

  it("age below 16 and unknown age are excluded; intake-period bounds apply to the start", () => {
    const young = persons([
      { person_id: "p1", birth_date: "2008-01-02" }, // 15 on 2024-01-01
      { person_id: "p2" },
    ]);
    const r = pod(
      {
        persons: young,
        medication_events: rows(MED_COLS, [
          med("p1", START, { days_supply: 180 }),
          med("p2", START, { days_supply: 180 }),
        ]),
      },
      { dataEnd: "2025-12-31" },
    );
    expect((r.units.objects() as Record<string, unknown>[]).map((u) => u.reason)).toEqual([
      "AGE_OUT_OF_RANGE",
      "AGE_UNKNOWN",
    ]);
    const my = run([med("p1", START, { days_supply: 180 })], {}, { measurementYear: 2023 });
    expect(first(my)).toMatchObject({ reason: "OUTSIDE_INTAKE_PERIOD" }); // intake 2022-07-01 … 2023-06-30
    const my24 = run([med("p1", START, { days_supply: 180 })], {}, { measurementYear: 2024 });
    expect(first(my24)).toMatchObject({ reason: "INCLUDED" });
  });

  it("summary: compliant proportion over the denominator, with the HEDIS-adjusted label", () => {
    const r = run([med("p1", START, { days_supply: 30 }), med("p1", "2024-03-02", { days_supply: 180 })]);
    expect(r.summary.compliant.overall.estimate).toBe(0.5);
    expect(r.summary.compliant.overall.n).toBe(2);
    expect(r.definition.label).toBe("HEDIS-adjusted (non-plan)");
    expect(r.warnings.map((w) => w.code)).toContain("MEASURE_CLUSTERED_UNITS");
  });
});
