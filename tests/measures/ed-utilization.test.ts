/**
 * ED utilization (MEASURES §4.2–4.3, §15.8) and 30-day ED revisit (§4.3). Hand-derived: same-day claims
 * collapse to one visit, the index day is never an outcome, window edge day index + 180 counts and
 * + 181 does not, inpatient days leave the person-time (admission and discharge included), death
 * inside the window, an observation period ending inside it, an index with no observation period,
 * the transfer rule and 31-day de-duplication of index visits.
 */
import { describe, expect, it } from "vitest";
import { edRevisit } from "../../src/measures/ed-revisit.js";
import { edUtilization } from "../../src/measures/ed-utilization.js";
import { d, ENC_COLS, enc, INDEX_COLS, OBS_COLS, persons, rows } from "./fixtures.js";

type U = Record<string, unknown>;
const byPerson = (r: { units: { objects(): object[] } }) =>
  Object.fromEntries((r.units.objects() as U[]).map((u) => [u.person_id as string, u]));
const ix = (id: string, person: string, date: string) => ({
  index_id: id,
  person_id: person,
  type: "ED_VISIT",
  index_date: d(date),
  setting: "ED",
  source_system: "x",
});
const ed = (person: string, date: string, disposition: string | null = "RELEASED") =>
  enc(person, "ED", date, { disposition });

const base = {
  persons: persons([{ person_id: "e1" }, { person_id: "e2", death_date: "2024-03-20" }]),
  index_events: rows(INDEX_COLS, [
    ix("i1", "e1", "2024-03-01"),
    ix("i1b", "e1", "2024-07-01"),
    ix("i2", "e2", "2024-03-01"),
  ]),
  encounters: rows(ENC_COLS, [
    ed("e1", "2024-01-15"),
    ed("e1", "2024-02-29"),
    ed("e1", "2024-03-01"),
    ed("e1", "2024-03-01", "ADMITTED"),
    ed("e1", "2024-03-02"),
    ed("e1", "2024-03-02"),
    ed("e1", "2024-04-10"),
    ed("e1", "2024-06-01"),
    ed("e1", "2024-08-28"),
    ed("e1", "2024-08-29"),
    enc("e1", "INPATIENT_ACUTE", "2024-04-20", { end_date: "2024-04-29" }),
  ]),
};

describe("edUtilization", () => {
  it("counts collapsed visits on index+1 … index+180; rates per 1,000 person-days and person-years", () => {
    const u = byPerson(edUtilization(base, { dataEnd: "2024-12-31" }));
    expect(u.e1).toMatchObject({
      index_id: "i1",
      post_visits: 4,
      post_person_days: 180,
      post_end_reason: "WINDOW",
      any_ed_post: true,
      frequent_post: true,
      pre_visits: 2,
      pre_person_days: 180,
      any_ed_pre: true,
      frequent_pre: false,
      in_denominator: true,
    });
    expect(u.e1!.post_rate_per_1000_pd).toBeCloseTo((4 / 180) * 1000, 12);
    expect(u.e1!.post_rate_per_1000_py).toBeCloseTo((4 / 180) * 365.25 * 1000, 9);
  });

  it("removes inpatient days, admission and discharge included (§15.8): 10 days → 170 person-days", () => {
    const u = byPerson(edUtilization(base, { dataEnd: "2024-12-31", excludeInstitutionalDays: true }));
    expect(u.e1).toMatchObject({ post_person_days: 170, post_days_removed: 10, post_visits: 4 });
  });

  it("death inside the window ends person-time (death day at risk); 'any visit' evaluated or not evaluable", () => {
    const u = byPerson(edUtilization(base, { dataEnd: "2024-12-31" }));
    expect(u.e2).toMatchObject({
      post_person_days: 19,
      post_end_reason: "DEATH",
      post_visits: 0,
      any_ed_post: false,
    });
    const strict = byPerson(edUtilization(base, { dataEnd: "2024-12-31", deathInWindow: "not-evaluable" }));
    expect(strict.e2).toMatchObject({ any_ed_post: null, frequent_post: null });
  });

  it("an observation period ending inside the window: censored binaries are null; an index with no period is excluded", () => {
    const t = {
      persons: persons([{ person_id: "e3" }, { person_id: "e4" }]),
      index_events: rows(INDEX_COLS, [ix("i3", "e3", "2024-03-01"), ix("i4", "e4", "2024-03-01")]),
      encounters: rows(ENC_COLS, []),
      observation_periods: rows(OBS_COLS, [
        {
          period_id: "o3",
          person_id: "e3",
          start_date: d("2024-01-01"),
          end_date: d("2024-04-30"),
          source: "STUDY",
        },
      ]),
    };
    const u = byPerson(edUtilization(t, { dataEnd: "2024-12-31" }));
    expect(u.e3).toMatchObject({
      post_person_days: 60,
      post_end_reason: "OBSERVATION_END",
      any_ed_post: null,
      pre_person_days: 60,
      any_ed_pre: null,
      in_denominator: true,
    });
    expect(u.e4).toMatchObject({ in_denominator: false, reason: "NO_OBSERVATION_PERIOD", post_visits: null });
  });

  it("summary: pooled exact Poisson rate (4 + 0 visits over 180 + 19 days)", () => {
    const r = edUtilization(base, { dataEnd: "2024-12-31" });
    expect(r.summary.postRate.overall.events).toBe(4);
    expect(r.summary.postRate.overall.personDays).toBe(199);
    expect(r.summary.postRate.overall.per1000PersonDays.estimate).toBeCloseTo((4 / 199) * 1000, 12);
    expect(r.warnings.map((w) => w.code)).toContain("MEASURE_PRE_POST_DESCRIPTIVE");
  });
});

describe("edRevisit", () => {
  const t = {
    persons: persons([
      { person_id: "v1" },
      { person_id: "v2" },
      { person_id: "v3" },
      { person_id: "v4", death_date: "2024-01-20" },
      { person_id: "v5" },
    ]),
    encounters: rows(ENC_COLS, [
      ed("v1", "2024-01-10"),
      ed("v1", "2024-01-11"),
      ed("v2", "2024-01-10"),
      ed("v2", "2024-01-10", "TRANSFER"),
      ed("v2", "2024-01-11"),
      ed("v2", "2024-02-09"),
      ed("v3", "2024-01-10", "ADMITTED"),
      ed("v4", "2024-01-10"),
      ed("v5", "2024-01-10"),
    ]),
    observation_periods: rows(
      OBS_COLS,
      ["v1", "v2", "v3", "v4", "v5"].map((p) => ({
        period_id: p,
        person_id: p,
        start_date: d("2023-01-01"),
        end_date: p === "v5" ? d("2024-01-25") : d("2024-12-31"),
        source: "STUDY",
      })),
    ),
  };
  const units = edRevisit(t, { dataEnd: "2024-12-31" }).units.objects() as U[];
  const at = (p: string, date: string) => units.find((u) => u.person_id === p && u.visit_date === d(date))!;

  it("a day-1 visit is a revisit; the last visit with a full 30 days and none after is not", () => {
    expect(at("v1", "2024-01-10")).toMatchObject({ revisit_30: true, revisit_day: 1, status: 1 });
    expect(at("v1", "2024-01-11")).toMatchObject({ revisit_30: false, status: 0, time_days: 30 });
  });
  it("transfer on day 0–1 is not a revisit; day 30 still counts", () => {
    expect(at("v2", "2024-01-10")).toMatchObject({
      disposition: "RELEASED",
      revisit_30: true,
      revisit_day: 30,
    });
  });
  it("admitted visits are not index visits; death competes; censoring before day 30 is not evaluable", () => {
    expect(at("v3", "2024-01-10")).toMatchObject({ in_denominator: false, reason: "NOT_TREAT_AND_RELEASE" });
    expect(at("v4", "2024-01-10")).toMatchObject({ revisit_30: false, status: 2, time_days: 10 });
    expect(at("v5", "2024-01-10")).toMatchObject({
      revisit_30: null,
      status: 0,
      time_days: 15,
      in_denominator: true,
    });
  });
  it("31-day de-duplication of index visits", () => {
    const dd = {
      encounters: rows(ENC_COLS, [ed("w", "2024-01-01"), ed("w", "2024-01-15"), ed("w", "2024-02-01")]),
    };
    const u = edRevisit(dd, { dataEnd: "2024-12-31", deduplicate31Days: true }).units.objects() as U[];
    expect(u.map((x) => x.reason)).toEqual(["INCLUDED", "DEDUPLICATED_31_DAY", "INCLUDED"]);
  });
});
