/**
 * Peer service dose (MEASURES §9.2): attempts never count as dose, minutes with an unknown duration,
 * H0038 units with and without a per-day cap, the two "days engaged" senses, active segments 1–30 /
 * 31–60 / 61–90 (not evaluable when follow-up ends first, §15.13), bedside ED contact on day −1, and the
 * session / brief check-in split. Values derived by hand (2024: Jan 10 + 70 days = Mar 20).
 */
import { describe, expect, it } from "vitest";
import { peerDose } from "../../src/measures/peer-dose.js";
import { d, INDEX_COLS, rows } from "./fixtures.js";

type U = Record<string, unknown>;
const PC = [
  "contact_id",
  "person_id",
  "peer_id",
  "contact_date",
  "duration_min",
  "completed",
  "format",
  "modality",
  "setting",
  "activities",
  "hcpcs",
  "units",
];
const c = (person: string, date: string, completed: boolean, extra: U = {}): U => ({
  person_id: person,
  peer_id: "peer",
  contact_date: d(date),
  completed,
  format: "INDIVIDUAL",
  modality: "IN_PERSON",
  setting: "HOME_COMMUNITY",
  ...extra,
});
const t = {
  index_events: rows(INDEX_COLS, [
    {
      index_id: "i1",
      person_id: "k1",
      type: "ED_VISIT",
      index_date: d("2024-01-10"),
      setting: "ED",
      source_system: "x",
    },
    {
      index_id: "i2",
      person_id: "k2",
      type: "ED_VISIT",
      index_date: d("2024-12-01"),
      setting: "ED",
      source_system: "x",
    },
  ]),
  peer_contacts: rows(PC, [
    c("k1", "2024-01-09", true, { setting: "ED", activities: "ENGAGEMENT" }),
    c("k1", "2024-01-10", true, {
      setting: "ED",
      duration_min: 30,
      hcpcs: "H0038",
      units: 2,
      activities: ["ENGAGEMENT", "WARM_HANDOFF"],
    }),
    c("k1", "2024-01-10", false, { modality: "PHONE" }),
    c("k1", "2024-01-15", true, { duration_min: 15, hcpcs: "H0038", units: 1, activities: "BRIEF_CHECKIN" }),
    c("k1", "2024-01-15", true, { hcpcs: "H0038-HF", units: 20, activities: "NAVIGATION" }),
    c("k1", "2024-03-20", true, { duration_min: 60, activities: "BRIEF_CHECKIN" }),
    c("k1", "2024-04-15", true, { duration_min: 60 }),
  ]),
};

describe("peerDose", () => {
  const by = (r: ReturnType<typeof peerDose>) =>
    Object.fromEntries((r.units.objects() as U[]).map((u) => [u.person_id as string, u]));
  it("counts completed contacts only and names both senses of days engaged", () => {
    const u = by(peerDose(t, { dataEnd: "2024-12-31" }));
    expect(u.k1).toMatchObject({
      contacts_completed: 4,
      attempts: 1,
      minutes_total: 105,
      minutes_unknown: 1,
      units_billed: 23,
      h0038_units: 23,
      contact_days: 3,
      engagement_span_days: 71,
      days_index_to_first_contact: 0,
      first_contact_setting: "ED",
      ed_bedside_contact: true,
      sessions: 2,
      brief_checkins: 2,
      active_30: true,
      active_60: false,
      active_90: true,
    });
  });
  it("caps units per day when configured (16 per day: day 2 gives 1 + 15)", () => {
    expect(by(peerDose(t, { dataEnd: "2024-12-31", maxUnitsPerDay: 16 })).k1).toMatchObject({
      units_billed: 18,
    });
  });
  it("no contacts: zero dose; segments after the end of follow-up are not evaluable", () => {
    const r = peerDose(t, { dataEnd: "2024-12-31" });
    expect(by(r).k2).toMatchObject({
      contacts_completed: 0,
      engagement_span_days: null,
      days_index_to_first_contact: null,
      active_30: false,
      active_60: null,
      active_90: null,
    });
    expect(r.summary.active["60"]!.overall).toMatchObject({ estimate: 0, n: 1, nExcluded: 1 });
    expect(r.summary.anyContact.overall.estimate).toBe(0.5);
  });
});
