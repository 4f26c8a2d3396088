/**
 * MOUD retention, time to discontinuation and PDC (MEASURES §2.7, §15.4, §15.5, §15.13), NQF 3175
 * (§2.5, §15.3) and programme retention. Hand-derived cases: a tolerated gap, a gap running into the
 * data end (censored vs discontinued), death inside coverage (censor vs competing), neutral inpatient
 * days, an episode with no observation period, and 2024 being a leap year (Jan 1 + 59 = Feb 29).
 */
import { describe, expect, it } from "vitest";
import { moudRetention } from "../../src/measures/moud-retention.js";
import { nqf3175 } from "../../src/measures/nqf-3175.js";
import { programRetention } from "../../src/measures/program-retention.js";
import { d, ENC_COLS, enc, MED_COLS, med, OBS_COLS, persons, rows } from "./fixtures.js";

type U = Record<string, unknown>;
const byPerson = (r: { units: { objects(): object[] } }) =>
  Object.fromEntries((r.units.objects() as U[]).map((u) => [u.person_id as string, u]));

const tables = {
  persons: persons([
    { person_id: "p1", birth_date: "1980-01-01" },
    { person_id: "p2", birth_date: "1980-01-01" },
    { person_id: "p3", birth_date: "1980-01-01", death_date: "2024-02-10" },
    { person_id: "p4", birth_date: "1980-01-01" },
    { person_id: "p5", birth_date: "1980-01-01" },
  ]),
  medication_events: rows(MED_COLS, [
    med("p1", "2024-01-01", { days_supply: 30 }), // Jan 1–30
    med("p1", "2024-02-05", { days_supply: 30 }), // gap Jan 31–Feb 4 (5 days); Feb 5–Mar 5
    med("p2", "2024-12-01", { days_supply: 30 }), // Dec 1–30; data end Dec 31
    med("p3", "2024-01-01", { days_supply: 60 }), // Jan 1–Feb 29; dies Feb 10
    med("p4", "2024-11-01", { days_supply: 30 }), // Nov 1–30; gap Dec 1–31 (31 days) before data end
    med("p5", "2024-01-01", { days_supply: 10 }), // Jan 1–10
    med("p5", "2024-01-28", { days_supply: 30 }), // Jan 28–Feb 26
  ]),
  encounters: rows(ENC_COLS, [enc("p5", "INPATIENT_ACUTE", "2024-01-11", { end_date: "2024-01-25" })]),
};

describe("moudRetention", () => {
  const r = moudRetention(tables, { dataEnd: "2024-12-31" });
  const u = byPerson(r);

  it("a 5-day gap is tolerated (≤ 7); discontinuation = last covered day Mar 5, time 65", () => {
    expect(u.p1).toMatchObject({
      episode_start: d("2024-01-01"),
      discontinuation_date: d("2024-03-05"),
      time_days: 65,
      status: 1,
      event_type: "DISCONTINUED",
      retained_30: true,
      retained_90: false,
      retained_180: false,
      pdc_days_covered: 60,
      pdc_days_at_risk: 180,
    });
    expect(u.p1!.pdc).toBeCloseTo(1 / 3, 14);
    const strict = byPerson(moudRetention(tables, { dataEnd: "2024-12-31", maxGapDays: 4 }));
    expect(strict.p1).toMatchObject({
      discontinuation_date: d("2024-01-30"),
      time_days: 30,
      retained_30: true,
    });
  });

  it("§15.4: a gap reaching the data end, not yet > 7 days, is censored; retention after it is not evaluable", () => {
    expect(u.p2).toMatchObject({
      status: 0,
      event_type: "CENSORED",
      time_days: 31,
      discontinuation_date: null,
      retained_30: true,
      retained_90: null,
      pdc_days_covered: 30,
      pdc_days_at_risk: 31,
      pdc_window_complete: false,
    });
  });

  it("a gap reaching the data end that already exceeds 7 days is a discontinuation", () => {
    expect(u.p4).toMatchObject({ status: 1, discontinuation_date: d("2024-11-30"), time_days: 30 });
  });

  it("death inside coverage: censored at death (time 41), retained_90 not evaluable; PDC ends at death", () => {
    expect(u.p3).toMatchObject({
      status: 0,
      event_type: "CENSORED_DEATH",
      time_days: 41,
      retained_30: true,
      retained_90: null,
      pdc: 1,
      pdc_days_at_risk: 41,
    });
    const comp = byPerson(moudRetention(tables, { dataEnd: "2024-12-31", death: "competing" }));
    expect(comp.p3).toMatchObject({ status: 2, event_type: "DIED", time_days: 41 });
  });

  it("neutral inpatient days: a 17-day raw gap with 15 inpatient days is 2 effective days", () => {
    expect(u.p5).toMatchObject({
      discontinuation_date: d("2024-02-26"),
      time_days: 57,
      pdc_days_covered: 40,
      pdc_days_at_risk: 165,
    });
    const unc = byPerson(moudRetention(tables, { dataEnd: "2024-12-31", institutionalDays: "uncovered" }));
    expect(unc.p5).toMatchObject({
      discontinuation_date: d("2024-01-10"),
      time_days: 10,
      pdc_days_at_risk: 180,
    });
  });

  it("summary counts and retention proportions over evaluable units only", () => {
    expect(r.summary).toMatchObject({ nUnits: 5, discontinued: 3, censored: 2, diedCompeting: 0 });
    // retained_90: p1 false, p2 null, p3 null, p4 false (Nov 30 < Jan 29), p5 false → 0 of 3
    expect(r.summary.retained["90"]!.overall).toMatchObject({ estimate: 0, n: 3, nExcluded: 2 });
  });

  it("an episode outside every observation period is excluded with its reason", () => {
    const obs = rows(OBS_COLS, [
      {
        period_id: "o",
        person_id: "p1",
        start_date: d("2024-06-01"),
        end_date: d("2024-12-31"),
        source: "STUDY",
      },
    ]);
    const x = byPerson(moudRetention({ ...tables, observation_periods: obs }, { dataEnd: "2024-12-31" }));
    expect(x.p1).toMatchObject({
      in_denominator: false,
      reason: "NO_OBSERVATION_PERIOD",
      time_days: null,
      retained_30: null,
    });
  });
});

describe("nqf3175", () => {
  const t = {
    persons: persons([
      { person_id: "q1", birth_date: "1980-01-01" },
      { person_id: "q2", birth_date: "1980-01-01" },
      { person_id: "q3", birth_date: "2007-06-01" },
      { person_id: "q4", birth_date: "1980-01-01" },
    ]),
    medication_events: rows(MED_COLS, [
      med("q1", "2024-01-01", { days_supply: 90 }), // Jan 1–Mar 30
      med("q1", "2024-04-01", { days_supply: 90 }), // gap Mar 31 (1 day); Apr 1–Jun 29 ≥ Jun 28 = day 180
      med("q2", "2024-01-01", { days_supply: 170 }), // Jan 1–Jun 18
      med("q2", "2024-06-27", { days_supply: 180 }), // gap Jun 19–26 = 8 days → new episode Jun 27
      med("q3", "2024-01-01", { days_supply: 200 }),
      med("q4", "2024-01-01", { days_supply: 100 }), // Jan 1–Apr 9; data end Apr 15 (gap 6 days, open)
    ]),
  };
  it("continuous through day 180 with a 1-day gap; an 8-day gap breaks it; a restart inside the window counts", () => {
    const narrow = byPerson(
      nqf3175(t, {
        identificationStart: "2024-01-01",
        identificationEnd: "2024-06-01",
        dataEnd: "2025-12-31",
      }),
    );
    expect(narrow.q1).toMatchObject({ continuous: true, first_continuous_start: d("2024-01-01") });
    expect(narrow.q2).toMatchObject({ continuous: false, n_episodes: 1 });
    expect(narrow.q3).toMatchObject({ in_denominator: false, reason: "AGE_BELOW_MIN", continuous: null });
    const wide = byPerson(
      nqf3175(t, {
        identificationStart: "2024-01-01",
        identificationEnd: "2024-12-31",
        dataEnd: "2025-12-31",
      }),
    );
    expect(wide.q2).toMatchObject({
      continuous: true,
      n_episodes: 2,
      first_continuous_start: d("2024-06-27"),
    });
  });
  it("an episode not yet observed for 180 days is not evaluable, never 'not continuous'", () => {
    const x = byPerson(nqf3175(t, { dataEnd: "2024-04-15" }));
    expect(x.q4).toMatchObject({ continuous: null, reason: "FOLLOW_UP_INCOMPLETE" });
  });
});

describe("programRetention", () => {
  const obs = rows(OBS_COLS, [
    {
      period_id: "a",
      person_id: "r1",
      start_date: d("2024-01-01"),
      end_date: d("2024-03-31"),
      source: "PROGRAM",
    },
    {
      period_id: "b",
      person_id: "r2",
      start_date: d("2024-06-01"),
      end_date: d("2025-06-01"),
      source: "PROGRAM",
    },
    {
      period_id: "c",
      person_id: "r1",
      start_date: d("2023-01-01"),
      end_date: d("2025-12-31"),
      source: "ENROLLMENT",
    },
  ]);
  it("length of stay from PROGRAM periods; open periods censored at the data end", () => {
    const x = byPerson(
      programRetention({ observation_periods: obs }, { dataEnd: "2024-12-31", plannedDurationDays: 90 }),
    );
    expect(x.r1).toMatchObject({
      length_of_stay: 91,
      ended: true,
      status: 1,
      time_days: 91,
      retained_30: true,
      retained_90: true,
      retained_180: false,
      completed: true,
    });
    expect(x.r2).toMatchObject({
      length_of_stay: 214,
      ended: false,
      status: 0,
      retained_180: true,
      retained_365: null,
      completed: true,
    });
  });
  it("peer-contact engagement episodes: gap > 30 days ends an episode; attempts do not count", () => {
    const pc = rows(
      ["contact_id", "person_id", "peer_id", "contact_date", "completed"],
      [
        { contact_id: "1", person_id: "c1", peer_id: "x", contact_date: d("2024-01-01"), completed: true },
        { contact_id: "2", person_id: "c1", peer_id: "x", contact_date: d("2024-01-20"), completed: true },
        { contact_id: "3", person_id: "c1", peer_id: "x", contact_date: d("2024-02-10"), completed: false },
        { contact_id: "4", person_id: "c1", peer_id: "x", contact_date: d("2024-02-25"), completed: true },
      ],
    );
    const first = byPerson(
      programRetention({ peer_contacts: pc }, { source: "peer-contacts", dataEnd: "2024-12-31" }),
    );
    expect(first.c1).toMatchObject({
      episode_start: d("2024-01-01"),
      length_of_stay: 20,
      ended: true,
      retained_30: false,
    });
    const all = programRetention(
      { peer_contacts: pc },
      { source: "peer-contacts", dataEnd: "2024-12-31", unit: "all-episodes" },
    );
    expect((all.units.objects() as U[]).map((e) => [e.length_of_stay, e.ended])).toEqual([
      [20, true],
      [1, true],
    ]);
    // last contact 20 days before the data end: cannot tell yet → censored
    const open = byPerson(
      programRetention({ peer_contacts: pc }, { source: "peer-contacts", dataEnd: "2024-01-25" }),
    );
    expect(open.c1).toMatchObject({ ended: false, status: 0, time_days: 25, retained_30: null });
  });
});
