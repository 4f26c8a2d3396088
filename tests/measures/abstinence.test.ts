/**
 * UDS (§5.1, §15.9), TLFB (§5.2, §15.10), GPRA follow-up rate (§7.2, §15.12, GPRA-1) and 30-day
 * self-reported abstinence (§5.3). Expected words, counts and percentages derived by hand.
 */
import { describe, expect, it } from "vitest";
import { gpraFollowUp, gpraFollowUpWindow } from "../../src/measures/gpra-follow-up.js";
import { selfReportAbstinence } from "../../src/measures/self-report-abstinence.js";
import { tlfb } from "../../src/measures/tlfb.js";
import { longestNegativeRun, udsAbstinence } from "../../src/measures/uds-abstinence.js";
import { d, rows } from "./fixtures.js";

type U = Record<string, unknown>;
const UDS_COLS = ["specimen_id", "person_id", "scheduled_date", "analyte", "result", "prescribed_explains"];
const s = (person: string, date: string, analyte: string, result: string | null, extra: U = {}) => ({
  person_id: person,
  scheduled_date: d(date),
  analyte,
  result,
  ...extra,
});

describe("udsAbstinence", () => {
  const uds = rows(UDS_COLS, [
    s("u1", "2024-01-01", "OPIOID", "NEG"),
    s("u1", "2024-01-01", "COCAINE", "NEG"),
    s("u1", "2024-01-08", "OPIOID", null),
    s("u1", "2024-01-08", "COCAINE", null),
    s("u1", "2024-01-15", "OPIOID", "NEG"),
    s("u1", "2024-01-22", "COCAINE", "POS"),
    s("u1", "2024-01-22", "OPIOID", "NEG"),
    s("u1", "2024-01-29", "OPIOID", "NEG"),
    s("u1", "2024-02-05", "OPIOID", "INVALID"),
    s("u1", "2024-02-05", "COCAINE", "NEG"),
    s("u1", "2024-02-12", "BUPRENORPHINE", "POS", { prescribed_explains: true }),
    s("u1", "2024-02-12", "OPIOID", "NEG"),
    s("u1", "2024-02-19", "OPIOID", "NEG"),
    s("u2", "2024-01-01", "OPIOID", "POS"),
    s("u2", "2024-01-01", "OPIOID", "NEG"),
  ]);
  const by = (r: ReturnType<typeof udsAbstinence>) =>
    Object.fromEntries((r.units.objects() as U[]).map((u) => [u.person_id as string, u]));

  it("builds the use-pattern word and both percent-negative variants (§15.9)", () => {
    const u = by(udsAbstinence({ uds_results: uds }));
    expect(u.u1).toMatchObject({
      use_pattern: "-o-+-*--",
      n_required: 8,
      n_negative: 5,
      n_positive: 1,
      n_missing: 1,
      n_inconclusive: 1,
      longest_neg_run_missing_pos: 2,
      longest_neg_run_missing_ignored: 3,
      k_consec_neg: false,
    });
    expect(u.u1!.pct_neg_missing_pos).toBeCloseTo(5 / 8, 15);
    expect(u.u1!.pct_neg_observed).toBeCloseTo(5 / 6, 15);
    expect(u.u2).toMatchObject({ use_pattern: "*", pct_neg_observed: null, pct_neg_missing_pos: 0 });
  });

  it("missingAs variants for k consecutive negatives and the primary percentage", () => {
    const ign = by(udsAbstinence({ uds_results: uds }, { missingAs: "ignored" }));
    expect(ign.u1).toMatchObject({ k_consec_neg: true });
    const neg = by(udsAbstinence({ uds_results: uds }, { missingAs: "negative" }));
    expect(neg.u1).toMatchObject({ k_consec_neg: true });
    expect(neg.u1!.pct_neg).toBeCloseTo(6 / 8, 15);
  });

  it("target analytes and an absolute window", () => {
    const op = by(udsAbstinence({ uds_results: uds }, { analytes: ["OPIOID"] }));
    expect(op.u1!.use_pattern).toBe("-o---*--");
    const win = by(
      udsAbstinence({ uds_results: uds }, { anchor: "absolute", from: "2024-01-08", to: "2024-02-05" }),
    );
    expect(win.u1!.use_pattern).toBe("o-+-*");
  });

  it("weekly words: mixed week '*', partly missing week '-', empty week 'o'", () => {
    const w = rows(UDS_COLS, [
      s("u3", "2024-01-01", "OPIOID", "NEG"),
      s("u3", "2024-01-03", "OPIOID", "POS"),
      s("u3", "2024-01-05", "OPIOID", "NEG"),
      s("u3", "2024-01-08", "OPIOID", "NEG"),
      s("u3", "2024-01-10", "OPIOID", null),
      s("u3", "2024-01-15", "OPIOID", null),
    ]);
    expect(by(udsAbstinence({ uds_results: w }, { unit: "week" })).u3!.use_pattern).toBe("*-o");
  });

  it("longestNegativeRun helper", () => {
    expect(longestNegativeRun("--o--+---", "")).toBe(3);
    expect(longestNegativeRun("--o--+---", "o")).toBe(4);
    expect(longestNegativeRun("", "")).toBe(0);
  });
});

describe("tlfb", () => {
  const DU = ["person_id", "use_date", "substance", "used", "source"];
  const u = (date: string, substance: string, used: boolean | null) => ({
    person_id: "t1",
    use_date: d(date),
    substance,
    used,
    source: "TLFB",
  });
  const du = rows(DU, [
    u("2024-01-01", "ALCOHOL", false),
    u("2024-01-01", "OPIOID", false),
    u("2024-01-02", "ALCOHOL", true),
    u("2024-01-03", "ALCOHOL", false),
    u("2024-01-03", "OPIOID", null),
    u("2024-01-04", "ALCOHOL", null),
    u("2024-01-04", "OPIOID", true),
    ...["05", "06", "07", "08", "09"].map((x) => u(`2024-01-${x}`, "ALCOHOL", false)),
  ]);
  const any = (r: ReturnType<typeof tlfb>, sub = "ANY") =>
    (r.units.objects() as U[]).find((x) => x.substance === sub)!;

  it("§15.10 any-drug days; PDA over known days when ≥ 80 % known", () => {
    const r = tlfb({ daily_use: du }, { anchor: "absolute", from: "2024-01-01", to: "2024-01-10" });
    expect(any(r)).toMatchObject({
      window_days: 10,
      use_days: 2,
      abstinent_days: 6,
      unknown_days: 2,
      pct_days_abstinent: 75,
      pct_days_use: 25,
      in_denominator: true,
    });
  });
  it("below 80 % known → not evaluable; requireAllSubstances; per substance", () => {
    const longer = tlfb({ daily_use: du }, { anchor: "absolute", from: "2024-01-01", to: "2024-01-11" });
    expect(any(longer)).toMatchObject({ pct_days_abstinent: null, reason: "INSUFFICIENT_KNOWN_DAYS" });
    const all = tlfb(
      { daily_use: du },
      {
        anchor: "absolute",
        from: "2024-01-01",
        to: "2024-01-10",
        substances: ["ALCOHOL", "OPIOID"],
        requireAllSubstances: true,
      },
    );
    expect(any(all)).toMatchObject({ abstinent_days: 1, use_days: 2, pct_days_abstinent: null });
    const by = tlfb(
      { daily_use: du },
      { anchor: "absolute", from: "2024-01-01", to: "2024-01-10", bySubstance: true },
    );
    expect(any(by, "ALCOHOL")).toMatchObject({ abstinent_days: 7, use_days: 1, pct_days_abstinent: 87.5 });
  });
});

const GPRA_COLS = [
  "assessment_id",
  "person_id",
  "assessment_date",
  "instrument",
  "wave",
  "gpra_interview_type",
  "gpra_days_alcohol",
  "gpra_days_drugs",
];
const g = (id: string, person: string, date: string, type: number | null, extra: U = {}) => ({
  assessment_id: id,
  person_id: person,
  assessment_date: d(date),
  instrument: "GPRA",
  wave: type === 1 ? "INTAKE" : "M6",
  gpra_interview_type: type,
  ...extra,
});

describe("gpraFollowUp", () => {
  it("GPRA-1: intake 2024-01-01 → due 2024-07-01, window 2024-06-01 … 2024-09-01; month-end clamping", () => {
    expect(gpraFollowUpWindow(d("2024-01-01"))).toEqual({
      due: d("2024-07-01"),
      open: d("2024-06-01"),
      close: d("2024-09-01"),
    });
    expect(gpraFollowUpWindow(d("2023-08-31"))).toEqual({
      due: d("2024-02-29"),
      open: d("2024-01-29"),
      close: d("2024-04-29"),
    });
  });
  const t = {
    assessments: rows(GPRA_COLS, [
      g("a1", "g1", "2024-01-01", 1),
      g("b1", "g1", "2024-09-01", 2),
      g("a2", "g2", "2024-01-01", 1),
      g("b2", "g2", "2024-05-31", 2),
      g("a3", "g3", "2024-03-15", 1),
      g("a4", "g4", "2024-01-10", 1),
      g("b4", "g4", "2024-09-10", null),
    ]),
  };
  it("due once the window has closed; in-window follow-ups complete; 80 % floor flagged", () => {
    const r = gpraFollowUp(t, { reportDate: "2024-10-01" });
    const u = Object.fromEntries((r.units.objects() as U[]).map((x) => [x.person_id as string, x]));
    expect(u.g1).toMatchObject({ in_denominator: true, completed: true, follow_up_date: d("2024-09-01") });
    expect(u.g2).toMatchObject({ in_denominator: true, completed: false });
    expect(u.g3).toMatchObject({ in_denominator: false, completed: null, reason: "NOT_YET_DUE" });
    expect(u.g4).toMatchObject({ completed: true });
    expect(r.summary).toMatchObject({ intakes: 4, due: 3, completed: 2, meetsFloor: false });
    expect(r.summary.rate.overall.estimate).toBeCloseTo(2 / 3, 15);
    expect(r.warnings.map((w) => w.code)).toEqual(["MEASURE_BELOW_FOLLOW_UP_FLOOR"]);
    const prog = gpraFollowUp(t, { reportDate: "2024-10-01", view: "in-progress" });
    expect(prog.summary.due).toBe(4);
  });
  it("nothing due → not evaluable, never 0 % (§15.13)", () => {
    const r = gpraFollowUp(t, { reportDate: "2024-02-01" });
    expect(r.summary.rate.overall.estimate).toBeNull();
    expect(r.summary.meetsFloor).toBeNull();
  });
});

describe("selfReportAbstinence", () => {
  const t = {
    assessments: rows(GPRA_COLS, [
      g("a", "s1", "2024-01-01", 1, { gpra_days_alcohol: 10, gpra_days_drugs: 5 }),
      g("b", "s1", "2024-07-01", 2, { gpra_days_alcohol: 0, gpra_days_drugs: 2 }),
      g("c", "s2", "2024-01-01", 1, { gpra_days_alcohol: 0, gpra_days_drugs: 0 }),
      g("e", "s2", "2024-07-01", 2, { gpra_days_alcohol: 0, gpra_days_drugs: 0 }),
      g("f", "s3", "2024-01-01", 1, { gpra_days_alcohol: 3, gpra_days_drugs: 0 }),
      g("h", "s4", "2024-01-01", 1, { gpra_days_alcohol: null, gpra_days_drugs: 0 }),
    ]),
  };
  const by = (r: ReturnType<typeof selfReportAbstinence>) =>
    Object.fromEntries((r.units.objects() as U[]).map((x) => [x.person_id as string, x]));
  it("abstinence = 0 alcohol and 0 drug days; reduction only for people in active use", () => {
    const u = by(selfReportAbstinence(t));
    expect(u.s1).toMatchObject({
      abstinent_30d_intake: false,
      abstinent_30d_follow_up: false,
      reduced_alcohol: true,
      reduced_drugs: true,
      reduced_any: true,
      days_use_max_change: -8,
    });
    expect(u.s2).toMatchObject({
      abstinent_30d_intake: true,
      abstinent_30d_follow_up: true,
      reduced_any: null,
      active_use_at_intake: false,
    });
    expect(u.s3).toMatchObject({
      abstinent_30d_follow_up: null,
      reduced_alcohol: null,
      in_denominator: false,
    });
    expect(u.s4).toMatchObject({ abstinent_30d_intake: null });
  });
  it("sensitivity: a missing follow-up counted as use", () => {
    const u = by(selfReportAbstinence(t, { missingFollowUpAs: "use" }));
    expect(u.s3).toMatchObject({
      abstinent_30d_follow_up: false,
      reduced_alcohol: false,
      reduced_drugs: null,
    });
  });
});
