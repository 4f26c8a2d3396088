/**
 * Recovery capital (MEASURES §6, §15.11): RCI-1 test vector (BARC-10, SD 8, r = .90 → SE 2.53, S_diff
 * 3.58, minimum reliable change 7.01), Maassen variant, BARC-10 scoring with the missing/prorate rule
 * (prorated 46.67 is not rounded up to the 47 cut-off), out-of-range items as located errors, change
 * from intake, crossing the cut-off, ceiling, and ARC domain scoring with an unsupported variant.
 * Closed-form constants below were computed by hand: √0.1 = 0.31622776601683794, √0.2 = 0.4472135954999579.
 */
import { describe, expect, it } from "vitest";
import { recoveryCapital, reliableChangeConstants } from "../../src/measures/recovery-capital.js";
import { expectClose } from "../helpers/expect-close.js";
import { d, rows } from "./fixtures.js";

type U = Record<string, unknown>;
const ITEM = (k: number) => `item_${String(k).padStart(2, "0")}`;
const COLS = [
  "assessment_id",
  "person_id",
  "assessment_date",
  "instrument",
  "wave",
  "scoring_variant",
  ...Array.from({ length: 50 }, (_, k) => ITEM(k + 1)),
];
function asmt(
  id: string,
  person: string,
  date: string,
  wave: string,
  values: (number | null)[],
  instrument = "BARC10",
  variant: string | null = null,
): U {
  const r: U = {
    assessment_id: id,
    person_id: person,
    assessment_date: d(date),
    instrument,
    wave,
    scoring_variant: variant,
  };
  values.forEach((v, k) => {
    r[ITEM(k + 1)] = v;
  });
  return r;
}
const same = (v: number, n = 10) => Array.from({ length: n }, () => v);

describe("reliableChangeConstants", () => {
  it("RCI-1: SD 8, r = .90 → SE 2.53, S_diff 3.58, reliable change needs |Δ| ≥ 7.01", () => {
    const c = reliableChangeConstants({ sd1: 8, r: 0.9 });
    expectClose(c.se, 8 * 0.31622776601683794, { rel: 1e-14 }, "SE");
    expectClose(c.sDiff, 8 * 0.4472135954999579, { rel: 1e-14 }, "S_diff");
    expectClose(c.minReliableChange, 1.96 * 8 * 0.4472135954999579, { rel: 1e-14 }, "min change");
    expect(Number(c.se!.toFixed(2))).toBe(2.53);
    expect(Number(c.sDiff.toFixed(2))).toBe(3.58);
    expect(Number(c.minReliableChange.toFixed(2))).toBe(7.01);
  });
  it("Maassen: S_diff = √((SD1² + SD2²)(1 − r)) = √10 for SD 8 and 6, r = .9", () => {
    const c = reliableChangeConstants({ sd1: 8, sd2: 6, r: 0.9, method: "Maassen" });
    expectClose(c.sDiff, Math.sqrt(10), { rel: 1e-14 }, "S_diff");
    expect(() => reliableChangeConstants({ sd1: 8, r: 1 })).toThrow();
  });
});

describe("recoveryCapital — BARC-10", () => {
  const t = {
    assessments: rows(COLS, [
      asmt("b1i", "b1", "2024-01-01", "INTAKE", same(5)),
      asmt("b1f", "b1", "2024-07-01", "M6", same(6)),
      asmt("b2i", "b2", "2024-01-01", "INTAKE", [4, 4, 4, 5, 5, 5, 5, 5, 5, null]),
      asmt("b3i", "b3", "2024-01-01", "INTAKE", [5, 5, 5, 5, 5, 5, 5, 5, 5, 7]),
      asmt("b4f", "b4", "2024-04-01", "M3", same(3)),
      asmt("b5i", "b5", "2024-01-01", "INTAKE", same(4)),
      asmt("b5f", "b5", "2024-04-01", "M3", same(5)),
    ]),
  };
  const by = (r: ReturnType<typeof recoveryCapital>) =>
    Object.fromEntries((r.units.objects() as U[]).map((u) => [u.assessment_id as string, u]));

  it("totals, cut-off ≥ 47, ceiling, change, RC with a given baseline SD", () => {
    const r = recoveryCapital(t, { reliability: 0.9, baselineSd: 8, reliabilitySource: "alpha-based (.90)" });
    const u = by(r);
    expect(u.b1i).toMatchObject({ total: 50, high: true, change: null, reason: "SCORED" });
    expect(u.b1f).toMatchObject({
      total: 60,
      at_ceiling: true,
      change: 10,
      baseline_total: 50,
      days_from_intake: 182,
      reliable_change: "IMPROVED",
    });
    expectClose(u.b1f!.rc as number, 10 / (8 * 0.4472135954999579), { rel: 1e-14 }, "RC");
    expect(u.b5f).toMatchObject({ total: 50, change: 10, crossed_cutoff: true });
    expect(u.b4f).toMatchObject({ total: 30, change: null, baseline_total: null });
  });

  it("§15.11: missing item → no total by default; prorate gives 46.67 (not rounded) → below 47", () => {
    expect(by(recoveryCapital(t)).b2i).toMatchObject({
      total: null,
      reason: "ITEMS_MISSING",
      in_denominator: false,
    });
    const pr = recoveryCapital(t, { missingRule: "prorate" });
    const b2 = by(pr).b2i!;
    expectClose(b2.total as number, (42 / 9) * 10, { rel: 1e-15 }, "prorated total");
    expect(b2).toMatchObject({ prorated: true, high: false });
    expect(pr.warnings.map((w) => w.code)).toContain("MEASURE_PRORATED_SCORES");
  });

  it("an item outside 1–6 is a located data error, not missing", () => {
    const r = recoveryCapital(t, { missingRule: "prorate" });
    expect(by(r).b3i).toMatchObject({ total: null, reason: "ITEM_OUT_OF_RANGE" });
    const w = r.warnings.find((x) => x.code === "MEASURE_ITEM_OUT_OF_RANGE")!;
    expect(w.detail).toMatchObject({
      count: 1,
      locations: [{ assessment: "b3i", item: "item_10", value: 7 }],
    });
  });

  it("baseline SD from the sample: intakes 50 and 40 (b2 unscored) → SD √50", () => {
    const r = recoveryCapital(t, { reliability: 0.9 });
    expectClose(r.summary.sd1, Math.sqrt(50), { rel: 1e-14 }, "sd1");
    expect(r.summary.changeByWave.M3!.overall).toMatchObject({ estimate: 10, n: 1 });
  });
});

describe("recoveryCapital — ARC", () => {
  const arcItems = Array.from({ length: 50 }, (_, k) => (k < 5 || k >= 40 ? 1 : 0));
  const missingLast = [...arcItems.slice(0, 49), null];
  const t = {
    assessments: rows(COLS, [
      asmt("a1", "x1", "2024-01-01", "INTAKE", arcItems, "ARC"),
      asmt("a2", "x2", "2024-01-01", "INTAKE", arcItems, "ARC", "LIKERT6"),
      asmt("a3", "x3", "2024-01-01", "INTAKE", missingLast, "ARC", "AGREE_DISAGREE"),
    ]),
  };
  it("domains of 5 items in order, total 0–50; unsupported variants not scored; missing item → domain and total null", () => {
    const r = recoveryCapital(t, { instrument: "ARC" });
    const u = Object.fromEntries((r.units.objects() as U[]).map((x) => [x.assessment_id as string, x]));
    expect(u.a1).toMatchObject({
      total: 15,
      domain_substance_use_sobriety: 5,
      domain_psychological_health: 0,
      domain_coping_life_functioning: 5,
      domain_recovery_experience: 5,
      high: null,
    });
    expect(u.a2).toMatchObject({ total: null, reason: "SCORING_VARIANT_UNSUPPORTED" });
    expect(u.a3).toMatchObject({
      total: null,
      domain_recovery_experience: null,
      domain_substance_use_sobriety: 5,
      reason: "ITEMS_MISSING",
    });
  });
});
