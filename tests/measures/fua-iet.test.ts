/**
 * FUA (§2.1) test vectors FUA-1 … FUA-6 and IET (§2.3) IET-1 … IET-4, plus the PRSS clinical-only
 * variant, the mental-health-provider alternative (not for peer services), the peer contact log,
 * eligibility by overdose diagnosis, the value-set parser (JSON and CSV, zod-validated) and the
 * ILLUSTRATIVE flag. Dates: Mar 10 + 7 = Mar 17; + 30 = Apr 9; Mar 5 + 34 = Apr 8 (2024).
 */
import { describe, expect, it } from "vitest";
import { fua } from "../../src/measures/fua.js";
import { iet } from "../../src/measures/iet.js";
import {
  illustrativeValueSets,
  parseValueSetsCsv,
  parseValueSetsJson,
} from "../../src/measures/value-sets.js";
import { d, ENC_COLS, enc, MED_COLS, med, persons, rows } from "./fixtures.js";

type U = Record<string, unknown>;
const vs = illustrativeValueSets();
const adult = (ids: string[]) => persons(ids.map((id) => ({ person_id: id, birth_date: "1980-01-01" })));
const edVisit = (p: string, date: string, dx = "F11.20", extra: U = {}) =>
  enc(p, "ED", date, { dx_principal: dx, disposition: "RELEASED", ...extra });
const peer = (p: string, date: string, dx: string | null = "F11.20", extra: U = {}) =>
  enc(p, "PEER", date, { dx_principal: dx, procedure_codes: "H0038", provider_id: "peer1", ...extra });

function runFua(encRows: U[], extra: U = {}, params: U = {}) {
  const people = [...new Set(encRows.map((r) => r.person_id as string))];
  return fua({ persons: adult(people), encounters: rows(ENC_COLS, encRows), ...extra }, vs, {
    measurementYear: 2024,
    dataEnd: "2024-12-31",
    ...params,
  });
}
const units = (r: { units: { objects(): object[] } }) => r.units.objects() as U[];

describe("fua", () => {
  it("FUA-1: peer claim with SUD dx on day 7 → 7-day and 30-day follow-up; not in the clinical-only variant", () => {
    const [u] = units(runFua([edVisit("a", "2024-03-10"), peer("a", "2024-03-17")]));
    expect(u).toMatchObject({
      in_denominator: true,
      fua_7: true,
      fua_30: true,
      first_follow_up_day: 7,
      first_follow_up_source: "PEER_SERVICE",
      fua_7_clinical: false,
      fua_30_clinical: false,
    });
  });
  it("FUA-2: peer claim on day 8 → 7-day no, 30-day yes", () => {
    expect(units(runFua([edVisit("a", "2024-03-10"), peer("a", "2024-03-18")]))[0]).toMatchObject({
      fua_7: false,
      fua_30: true,
    });
  });
  it("FUA-3: day 30 (Apr 9) counts, day 31 (Apr 10) does not", () => {
    expect(units(runFua([edVisit("a", "2024-03-10"), peer("a", "2024-04-09")]))[0]).toMatchObject({
      fua_30: true,
      first_follow_up_day: 30,
    });
    expect(units(runFua([edVisit("a", "2024-03-10"), peer("a", "2024-04-10")]))[0]).toMatchObject({
      fua_30: false,
      first_follow_up_day: null,
    });
  });
  it("FUA-4: peer claim without SUD/substance/overdose dx (even with an MH provider) is not a follow-up; an outpatient MH-provider visit is", () => {
    expect(units(runFua([edVisit("a", "2024-03-10"), peer("a", "2024-03-17", "Z00.00")]))[0]).toMatchObject({
      fua_7: false,
      fua_30: false,
    });
    expect(
      units(runFua([edVisit("a", "2024-03-10"), peer("a", "2024-03-17", null, { provider_is_mh: true })]))[0],
    ).toMatchObject({ fua_7: false });
    const mh = enc("a", "OUTPATIENT", "2024-03-17", { dx_principal: "F32.9", provider_is_mh: true });
    expect(units(runFua([edVisit("a", "2024-03-10"), mh]))[0]).toMatchObject({
      fua_7: true,
      fua_7_clinical: true,
      first_follow_up_source: "MH_PROVIDER_VISIT",
    });
  });
  it("FUA-5: eligible visits Jan 1, Jan 15, Jan 31, Feb 1 → keep Jan 1 and Feb 1", () => {
    const r = runFua(["2024-01-01", "2024-01-15", "2024-01-31", "2024-02-01"].map((x) => edVisit("a", x)));
    expect(units(r).map((u) => [u.visit_date, u.reason])).toEqual([
      [d("2024-01-01"), "INCLUDED"],
      [d("2024-01-15"), "DEDUPLICATED_31_DAY"],
      [d("2024-01-31"), "DEDUPLICATED_31_DAY"],
      [d("2024-02-01"), "INCLUDED"],
    ]);
  });
  it("FUA-6: admission Jan 20 excludes Jan 1; Jan 25 is kept because de-duplication runs on eligible visits only", () => {
    const r = runFua([
      edVisit("a", "2024-01-01"),
      enc("a", "INPATIENT_ACUTE", "2024-01-20", { end_date: "2024-01-22", dx_principal: "J18.9" }),
      edVisit("a", "2024-01-25"),
    ]);
    expect(units(r).map((u) => [u.visit_date, u.reason])).toEqual([
      [d("2024-01-01"), "INPATIENT_ADMISSION"],
      [d("2024-01-25"), "INCLUDED"],
    ]);
  });
  it("eligibility: overdose in any position qualifies, SUD only as a secondary dx does not; residential excludes; age and period", () => {
    const r = runFua([
      edVisit("a", "2024-03-01", "J96.00", { dx_other: "T40.1X1A" }),
      edVisit("b", "2024-03-01", "J96.00", { dx_other: ["F11.20"] }),
      edVisit("c", "2024-03-01"),
      enc("c", "RESIDENTIAL", "2024-03-05", { end_date: "2024-03-20" }),
      edVisit("e", "2024-12-02"),
    ]);
    const by = Object.fromEntries(units(r).map((u) => [u.person_id as string, u.reason]));
    expect(by).toEqual({
      a: "INCLUDED",
      b: "NOT_ELIGIBLE_DIAGNOSIS",
      c: "RESIDENTIAL_TREATMENT",
      e: "OUTSIDE_PERIOD",
    });
    const teen = fua(
      {
        persons: persons([{ person_id: "t", birth_date: "2011-06-01" }]),
        encounters: rows(ENC_COLS, [edVisit("t", "2024-03-01")]),
      },
      vs,
      { measurementYear: 2024, dataEnd: "2024-12-31" },
    );
    expect(units(teen)[0]).toMatchObject({ reason: "AGE_BELOW_MIN", age: 12 });
  });
  it("pharmacotherapy on day 0 counts; lab claims do not; a coded peer contact log row counts", () => {
    const rx = runFua([edVisit("a", "2024-03-10")], {
      medication_events: rows(MED_COLS, [med("a", "2024-03-10", { days_supply: 7 })]),
    });
    expect(units(rx)[0]).toMatchObject({
      fua_7: true,
      first_follow_up_day: 0,
      first_follow_up_source: "PHARMACOTHERAPY",
      fua_7_clinical: true,
    });
    const lab = runFua([
      edVisit("a", "2024-03-10"),
      enc("a", "OUTPATIENT", "2024-03-12", { dx_principal: "F11.20", lab_claim: true }),
    ]);
    expect(units(lab)[0]).toMatchObject({ fua_30: false });
    const log = rows(
      ["contact_id", "person_id", "peer_id", "contact_date", "completed", "hcpcs", "dx"],
      [
        {
          contact_id: "1",
          person_id: "a",
          peer_id: "x",
          contact_date: d("2024-03-12"),
          completed: true,
          hcpcs: "H0038",
          dx: "F11.20",
        },
        {
          contact_id: "2",
          person_id: "a",
          peer_id: "x",
          contact_date: d("2024-03-11"),
          completed: true,
          hcpcs: "H0038",
          dx: null,
        },
      ],
    );
    expect(units(runFua([edVisit("a", "2024-03-10")], { peer_contacts: log }))[0]).toMatchObject({
      first_follow_up_day: 2,
      first_follow_up_source: "PEER_CONTACT_LOG",
      fua_7_clinical: false,
    });
  });
  it("labels and warnings: HEDIS-adjusted, ILLUSTRATIVE value sets; empty denominator not evaluable", () => {
    const r = runFua([edVisit("a", "2024-11-25")], {}, { dataEnd: "2024-12-10" });
    expect(r.definition.label).toBe("HEDIS-adjusted (non-plan)");
    expect(r.definition.adjustments).toContain("ILLUSTRATIVE value sets (not NCQA): not a HEDIS rate");
    expect(r.warnings.map((w) => w.code)).toContain("MEASURE_VALUE_SET_ILLUSTRATIVE");
    expect(units(r)[0]).toMatchObject({ reason: "FOLLOW_UP_INCOMPLETE" });
    expect(r.summary.fua30.overall.estimate).toBeNull();
  });
});

describe("iet", () => {
  const op = (p: string, date: string, provider = "dr1", extra: U = {}) =>
    enc(p, "OUTPATIENT", date, { dx_principal: "F11.20", provider_id: provider, ...extra });
  function runIet(encRows: U[], extra: U = {}) {
    const people = [...new Set(encRows.map((r) => r.person_id as string))];
    return units(
      iet({ persons: adult(people), encounters: rows(ENC_COLS, encRows), ...extra }, vs, {
        dataEnd: "2024-12-31",
      }),
    );
  }
  it("IET-1: initiation on day 13 (Mar 14) counts, day 14 (Mar 15) does not", () => {
    expect(runIet([op("a", "2024-03-01"), op("a", "2024-03-14", "dr2")])[0]).toMatchObject({
      cohort: "OPIOID",
      initiated: true,
      initiation_date: d("2024-03-14"),
    });
    const late = runIet([op("a", "2024-03-01"), op("a", "2024-03-15", "dr2")]);
    expect(late[0]).toMatchObject({ initiated: false, engaged: false, reason: "INCLUDED" });
    // the Mar 15 visit is itself no new episode (SUD dx 14 days earlier)
    expect(late[1]).toMatchObject({ reason: "NEGATIVE_DX_HISTORY_FAILED" });
  });
  it("IET-2: a same-day visit with the same provider is not an initiation; a different provider is", () => {
    expect(runIet([op("a", "2024-03-01", "dr1"), op("a", "2024-03-01", "dr1")])[0]).toMatchObject({
      initiated: false,
    });
    expect(runIet([op("a", "2024-03-01", "dr1"), op("a", "2024-03-01", "dr2")])[0]).toMatchObject({
      initiated: true,
      initiation_date: d("2024-03-01"),
    });
  });
  it("IET-3: initiation Mar 5, buprenorphine injection Mar 20 (d_init 15) → engaged (long-acting)", () => {
    const u = runIet([op("a", "2024-03-01"), op("a", "2024-03-05", "dr2")], {
      medication_events: rows(MED_COLS, [
        med("a", "2024-03-20", { route: "ADMINISTRATION", med_row: "BUP_INJ" }),
      ]),
    });
    expect(u[0]).toMatchObject({
      initiation_date: d("2024-03-05"),
      engaged: true,
      engaged_by: "LONG_ACTING",
    });
  });
  it("IET-4: visits Apr 8 (d_init 34) and Apr 9 (35) → one event → not engaged; Apr 7 and Apr 8 → engaged", () => {
    const base = [op("a", "2024-03-01"), op("a", "2024-03-05", "dr2")];
    expect(runIet([...base, op("a", "2024-04-08", "dr3"), op("a", "2024-04-09", "dr3")])[0]).toMatchObject({
      initiated: true,
      engaged: false,
      engagement_events: 1,
    });
    expect(runIet([...base, op("a", "2024-04-07", "dr3"), op("a", "2024-04-08", "dr3")])[0]).toMatchObject({
      engaged: true,
      engaged_by: "TWO_EVENTS",
      engagement_events: 2,
    });
  });
  it("two same-date engagement visits need different providers; a visit and a medication on one date count twice", () => {
    const base = [op("a", "2024-03-01"), op("a", "2024-03-05", "dr2")];
    expect(runIet([...base, op("a", "2024-03-10", "dr3"), op("a", "2024-03-10", "dr3")])[0]).toMatchObject({
      engaged: false,
      engagement_events: 1,
    });
    const withMed = runIet([...base, op("a", "2024-03-10", "dr3")], {
      medication_events: rows(MED_COLS, [
        med("a", "2024-03-05", { days_supply: 7 }),
        med("a", "2024-03-10", { days_supply: 7 }),
      ]),
    });
    expect(withMed[0]).toMatchObject({ engaged: true, engagement_events: 2 });
  });
  it("negative histories: prior SUD visit or medication within 194 days removes the episode; a prior ED visit does not", () => {
    expect(runIet([op("a", "2023-12-01"), op("a", "2024-03-01")])[1]).toMatchObject({
      reason: "NEGATIVE_DX_HISTORY_FAILED",
    });
    const edPrior = runIet([
      enc("a", "ED", "2023-12-01", { dx_principal: "F11.20", disposition: "RELEASED" }),
      op("a", "2024-03-01"),
    ]);
    expect(edPrior.map((u) => u.reason)).toEqual(["INCLUDED", "INCLUDED"]);
    const medPrior = runIet([op("a", "2024-03-01")], {
      medication_events: rows(MED_COLS, [med("a", "2023-12-01", { days_supply: 7 })]),
    });
    expect(medPrior[0]).toMatchObject({ reason: "NEGATIVE_MED_HISTORY_FAILED" });
  });
  it("inpatient episode: discharge date, initiated, engagement from the day after discharge; two cohorts → two rows", () => {
    const u = runIet([
      enc("a", "INPATIENT_ACUTE", "2024-03-01", {
        end_date: "2024-03-05",
        dx_principal: "F10.20",
        dx_other: "F11.20",
      }),
    ]);
    expect(u.map((x) => [x.cohort, x.episode_date, x.initiated, x.initiation_kind])).toEqual([
      ["ALCOHOL", d("2024-03-05"), true, "INPATIENT_EPISODE"],
      ["OPIOID", d("2024-03-05"), true, "INPATIENT_EPISODE"],
    ]);
  });
});

describe("value-set mappings", () => {
  it("validates JSON with zod and names the problem", () => {
    expect(() =>
      parseValueSetsJson({
        meta: { name: "x", illustrative: false, source: "s" },
        valueSets: { SUD_DX: {} },
      }),
    ).toThrow(/at least one code/);
    expect(() => parseValueSetsJson("{ not json")).toThrow(/not valid JSON/);
    const m = parseValueSetsJson({
      meta: { name: "x", illustrative: false, source: "s" },
      valueSets: { SUD_DX: { prefixes: ["F11"], excludePrefixes: ["F11.9"] } },
    });
    expect([
      m.matches("SUD_DX", "F11.20"),
      m.matches("SUD_DX", "f1120"),
      m.matches("SUD_DX", "F11.90"),
      m.matches("SUD_DX", "F10.20"),
    ]).toEqual([true, true, false, false]);
  });
  it("parses CSV: exact codes, '*' prefixes, and rejects bad ids with the row number", () => {
    const m = parseValueSetsCsv("value_set_id,code\nSUD_DX,F11*\nPEER_SUPPORT_SERVICES,H0038\n", {
      name: "csv",
      source: "test",
      illustrative: false,
    });
    expect([
      m.matches("SUD_DX", "F11.23"),
      m.matches("PEER_SUPPORT_SERVICES", "H0038"),
      m.matches("PEER_SUPPORT_SERVICES", "H00381"),
    ]).toEqual([true, true, false]);
    expect(() =>
      parseValueSetsCsv("value_set_id,code\nsud dx,F11\n", { name: "csv", source: "t", illustrative: false }),
    ).toThrow(/row 2/);
  });
  it("the shipped mapping is flagged ILLUSTRATIVE and excludes F17", () => {
    expect(vs.illustrative).toBe(true);
    expect(vs.matches("SUD_DX", "F17.210")).toBe(false);
    expect(vs.matches("SUD_DX", "F19.10")).toBe(true);
  });
});
