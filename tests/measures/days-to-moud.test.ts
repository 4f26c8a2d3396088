import * as aq from "arquero";
import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../src/dates.js";
import { daysToMoud } from "../../src/measures/days-to-moud.js";

const d = (iso: string): number => parseIsoDate(iso) as number;

/**
 * Hand-built cohort (rows deliberately unsorted). Index day 2024-03-10 unless stated.
 * P1 peer: bup dispensed day 3 → MOUD at 3.
 * P2 comparison: nothing, observed to 2024-06-30 → censored at 112 (OBSERVATION_END).
 * P3 comparison: died 2024-03-20 → death (competing) at day 10.
 * P4 peer: 7-day bup fill on 03-01 and a second on 03-03 (stacked: covers 03-01..03-14) → continuing.
 * P5 peer: 7-day fill 2024-02-20 (covers to 02-26; ended before day −1) → NEW; MOUD on day 0 (bridge).
 * P6 comparison: index outside observation → excluded.
 * P7 peer: two index events; the first (2024-01-05) is continuing (methadone day −1), the second
 *          (2024-05-01) is new → selected; MOUD on day 40 but horizon 30 → censored at 30 (HORIZON).
 * P8 comparison: AUD medication only → not MOUD; censored at horizon? observation ends 2024-04-09 (day 30)
 *          on the same day as the horizon → OBSERVATION_END wins the tie (<=).
 */
function cohort() {
  const persons = aq.table({
    person_id: ["P3", "P1", "P2", "P4", "P5", "P6", "P7", "P8", "P9"],
    death_date: [d("2024-03-20"), null, null, null, null, null, null, null, null],
  });
  const index_events = aq.table({
    index_id: ["I7b", "I1", "I2", "I3", "I4", "I5", "I6", "I7a", "I8"],
    person_id: ["P7", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"],
    type: [
      "ED_VISIT",
      "ED_VISIT",
      "ED_VISIT",
      "OVERDOSE",
      "ED_VISIT",
      "ED_VISIT",
      "ED_VISIT",
      "ED_VISIT",
      "ED_VISIT",
    ],
    index_date: [
      d("2024-05-01"),
      d("2024-03-10"),
      d("2024-03-10"),
      d("2024-03-10"),
      d("2024-03-10"),
      d("2024-03-10"),
      d("2024-03-10"),
      d("2024-01-05"),
      d("2024-03-10"),
    ],
  });
  const medication_events = aq.table({
    person_id: ["P1", "P4", "P4", "P5", "P5", "P7", "P7", "P8"],
    event_date: [
      d("2024-03-13"),
      d("2024-03-03"),
      d("2024-03-01"),
      d("2024-02-20"),
      d("2024-03-10"),
      d("2024-01-04"),
      d("2024-06-10"),
      d("2024-03-12"),
    ],
    med_row: [
      "BUP_ORAL",
      "BUP_ORAL",
      "BUP_ORAL",
      "BUP_ORAL",
      "BUP_INJ",
      "METHADONE_ORAL",
      "BUP_ORAL",
      "AUD_OTHER",
    ],
    route: [
      "DISPENSING",
      "DISPENSING",
      "DISPENSING",
      "DISPENSING",
      "ADMINISTRATION",
      "OTP_DOSE",
      "DISPENSING",
      "DISPENSING",
    ],
    days_supply: [7, 7, 7, 7, null, null, 7, 30],
    units: [null, null, null, null, null, null, null, null],
  });
  const observation_periods = aq.table({
    person_id: ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P7", "P8"],
    start_date: [
      d("2023-01-01"),
      d("2023-01-01"),
      d("2023-01-01"),
      d("2023-01-01"),
      d("2023-01-01"),
      d("2024-04-01"),
      d("2023-01-01"),
      d("2024-01-01"),
      d("2023-01-01"),
    ],
    end_date: [
      d("2024-12-31"),
      d("2024-06-30"),
      d("2024-12-31"),
      d("2024-12-31"),
      d("2024-12-31"),
      d("2024-12-31"),
      d("2024-01-01"),
      d("2024-12-31"),
      d("2024-04-09"),
    ],
  });
  const arms = aq.table({
    person_id: ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"],
    arm: ["PEER", "COMPARISON", "COMPARISON", "PEER", "PEER", "COMPARISON", "PEER", "COMPARISON", "PEER"],
  });
  return { persons, index_events, medication_events, observation_periods, arms };
}

function unitOf(result: ReturnType<typeof daysToMoud>, indexId: string) {
  const u = result.units;
  const k = u.indexId.indexOf(indexId);
  expect(k, indexId).toBeGreaterThanOrEqual(0);
  return {
    reason: u.reason[k],
    time: u.time[k],
    event: u.event[k],
    bridge: u.bridgeDay0[k],
    end: u.endReason[k],
    arm: u.arm[k],
  };
}

describe("daysToMoud", () => {
  const result = daysToMoud(cohort(), { horizonDays: 30 });

  it("times the first MOUD event from the index day", () => {
    expect(unitOf(result, "I1")).toMatchObject({
      reason: "INCLUDED",
      time: 3,
      event: 1,
      bridge: 0,
      arm: "PEER",
    });
  });
  it("censors at the end of observation and at the horizon, death competes", () => {
    expect(unitOf(result, "I2")).toMatchObject({ reason: "INCLUDED", time: 30, event: 0, end: "HORIZON" });
    expect(unitOf(result, "I3")).toMatchObject({ reason: "INCLUDED", time: 10, event: 2, end: "DEATH" });
    expect(unitOf(result, "I8")).toMatchObject({
      reason: "INCLUDED",
      time: 30,
      event: 0,
      end: "OBSERVATION_END",
    });
  });
  it("classifies stacked supply covering the day before as continuing (§15.6, §15.2)", () => {
    expect(unitOf(result, "I4").reason).toBe("EXCLUDED_CONTINUING_MOUD");
  });
  it("treats an ended supply as new and flags a day-0 bridge dose", () => {
    expect(unitOf(result, "I5")).toMatchObject({ reason: "INCLUDED", time: 0, event: 1, bridge: 1 });
  });
  it("excludes an index day outside observation", () => {
    expect(unitOf(result, "I6").reason).toBe("EXCLUDED_NO_OBSERVATION");
  });
  it("selects the first NEW index event of a person (§15.7) and merges touching spans", () => {
    expect(unitOf(result, "I7a").reason).toBe("EXCLUDED_CONTINUING_MOUD");
    expect(unitOf(result, "I7b")).toMatchObject({ reason: "INCLUDED", time: 30, event: 0, end: "HORIZON" });
  });
  it("accounts for every unit and person", () => {
    const c = result.reasonCounts;
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    expect(total).toBe(9);
    expect(c.INCLUDED).toBe(6);
    expect(c.EXCLUDED_CONTINUING_MOUD).toBe(2);
    expect(c.EXCLUDED_NO_OBSERVATION).toBe(1);
    expect(result.personsWithoutIndex).toBe(1);
    expect(result.nonMoudMedicationRows).toBe(1);
  });
  it("ignores non-MOUD medication rows as outcomes", () => {
    expect(unitOf(result, "I8").event).toBe(0);
  });
  it("does not depend on input row order", () => {
    const t = cohort();
    const shuffled = {
      ...t,
      index_events: t.index_events.orderby(aq.desc("index_id")),
      medication_events: t.medication_events.orderby(aq.desc("event_date")),
    };
    const again = daysToMoud(shuffled, { horizonDays: 30 });
    for (const id of ["I1", "I2", "I3", "I4", "I5", "I6", "I7a", "I7b", "I8"]) {
      expect(unitOf(again, id)).toEqual(unitOf(result, id));
    }
  });
  it("with selection all keeps later new events too", () => {
    const all = daysToMoud(cohort(), { horizonDays: 30, selection: "all" });
    expect(all.reasonCounts.EXCLUDED_NOT_FIRST).toBe(0);
  });
});
