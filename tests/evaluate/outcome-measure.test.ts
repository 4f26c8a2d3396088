/**
 * Measure outcomes of `evaluate` against R (tests/reference/evaluate-measures: the cohort rule, the
 * joins and every contrast re-derived in R from the raw example CSVs and the measures' unit tables,
 * with glm/lm + sandwich): randomized contrasts with group values and subgroups, pre/post within the
 * peer arm, and the unweighted difference in differences. Tolerances: 1e-9 relative for IRLS fits
 * (both sides converge to ~1e-12), 1e-10 for closed forms; counts exact.
 */
import { readFileSync } from "node:fs";
import { type ColumnTable, table } from "arquero";
import { beforeAll, describe, expect, it } from "vitest";
import type { LoadResult } from "../../src/dictionary/load-result.js";
import { type EvaluationConfigInput, parseEvaluationConfig } from "../../src/evaluate/config.js";
import { evaluateLoaded } from "../../src/evaluate/evaluate.js";
import type { EffectResult, MeasureOutcomeResult } from "../../src/evaluate/result.js";
import { loadDataset } from "../../src/io/load-dataset.js";
import { expectClose } from "../helpers/expect-close.js";

const refText = readFileSync("tests/reference/evaluate-measures/evaluate-measures.json", "utf8");
// biome-ignore lint/suspicious/noExplicitAny: reference values are read by key paths, each checked by an assertion
const ref: Record<string, any> = JSON.parse(refText);

const GLM = { rel: 1e-9, abs: 1e-12 };
const EXACT = { rel: 1e-10, abs: 1e-13 };

let rct: LoadResult;
let ed: LoadResult;
beforeAll(async () => {
  rct = await loadDataset("examples/synthetic-rct");
  ed = await loadDataset("examples/synthetic-ed");
}, 60_000);

function run(load: LoadResult, input: Omit<EvaluationConfigInput, "data">): MeasureOutcomeResult[] {
  const parsed = parseEvaluationConfig({ data: "unused", ...input });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const result = evaluateLoaded(parsed.config, load, { nodeVersion: "test", generatedAt: "2026-01-01" });
  return result.outcomes.filter((o): o is MeasureOutcomeResult => o.kind === "measure");
}

function effect(o: MeasureOutcomeResult, label: RegExp): EffectResult {
  const e = o.effects.find((x) => label.test(x.label));
  if (!e) throw new Error(`no effect ${label} in ${o.effects.map((x) => x.label).join(", ")}`);
  return e;
}

function expectInterval(
  actual: { estimate: number | null; lower: number | null; upper: number | null },
  expected: { estimate: number; lower: number; upper: number },
  tol: { rel: number; abs: number },
  label: string,
): void {
  expectClose(actual.estimate, expected.estimate, tol, `${label} estimate`);
  expectClose(actual.lower, expected.lower, tol, `${label} lower`);
  expectClose(actual.upper, expected.upper, tol, `${label} upper`);
}

describe("randomized design (examples/synthetic-rct)", () => {
  let out: MeasureOutcomeResult[];
  beforeAll(() => {
    out = run(rct, {
      design: { kind: "randomized" },
      outcomes: [
        { measure: "edUtilization", windowDays: 180, preWindowDays: 180 },
        { measure: "moudRetention", days: 180 },
        { measure: "recoveryCapital", wave: "M6" },
        { measure: "followUpAfterEd", days: 30 },
      ],
      subgroups: ["sex"],
    });
  });

  it("ED utilization: rate ratio, rate difference per person-year and group rates as R", () => {
    const o = out.find((x) => x.id === "ed-utilization")!;
    const r = ref.rct_ed;
    expect(o.analysis).toBe("comparison");
    expect(o.groups.map((g) => [g.group, g.n])).toEqual([
      ["PEER", r.nPeer],
      ["COMPARISON", r.n - r.nPeer],
    ]);
    const rr = effect(o, /^Rate ratio/);
    expectInterval(rr, r.rateRatio, GLM, "rate ratio");
    expectClose(rr.pValue, r.rateRatio.p, { rel: 1e-7, abs: 1e-15 }, "rate ratio p");
    expect(rr.eValue?.estimate).toBeGreaterThan(1);
    expectInterval(effect(o, /^Rate difference/), r.rateDifference, GLM, "rate difference");
    expectInterval(o.groups[0]!, r.peer, GLM, "peer rate");
    expectInterval(o.groups[1]!, r.comparison, GLM, "comparison rate");
  });

  it("ED utilization by sex: per-level rate ratios, counts and the interaction test as R", () => {
    const o = out.find((x) => x.id === "ed-utilization")!;
    const s = o.subgroups.find((x) => x.variable === "sex")!;
    const r = ref.rct_ed.sex;
    expect(s.nMissing).toBe(r.nMissing);
    expect(s.scale).toBe("ratio");
    const labels: Record<string, string> = {
      F: "Female",
      M: "Male",
      U: "Unknown",
      X: "Another sex or gender (non-binary)",
    };
    for (const lv of r.levels) {
      const got = s.levels.find((l) => l.level === labels[lv.level]);
      expect(got, lv.level).toBeDefined();
      expect([got!.n, got!.nTreated]).toEqual([lv.n, lv.nTreated]);
      if (lv.rr) expectInterval(got!, lv.rr, GLM, `rate ratio, sex ${lv.level}`);
    }
    expectClose(s.interaction.statistic, r.interaction.statistic, GLM, "interaction χ²");
    expect(s.interaction.df).toBe(r.interaction.df);
    expectClose(s.interaction.pValue, r.interaction.p, GLM, "interaction p");
  });

  it("retention on MOUD at day 180: risk difference, risk ratio and group proportions as R", () => {
    const o = out.find((x) => x.id === "moud-retention")!;
    const r = ref.rct_moud_retention;
    expect(o.groups.reduce((s, g) => s + g.n, 0)).toBe(r.n);
    expectInterval(effect(o, /^Risk difference/), r.riskDifference, GLM, "risk difference");
    expectInterval(effect(o, /^Risk ratio/), r.riskRatio, GLM, "risk ratio");
    expectInterval(o.groups[0]!, r.peer, GLM, "peer proportion");
    expectInterval(o.groups[1]!, r.comparison, GLM, "comparison proportion");
  });

  it("follow-up within 30 days after the first eligible ED visit on or after the index: as R", () => {
    const o = out.find((x) => x.id === "follow-up-after-ed")!;
    const r = ref.rct_fua;
    expect(o.groups.map((g) => g.n)).toEqual([r.nPeer, r.n - r.nPeer]);
    expectInterval(effect(o, /^Risk difference/), r.riskDifference, GLM, "risk difference");
    expectInterval(effect(o, /^Risk ratio/), r.riskRatio, GLM, "risk ratio");
  });

  it("BARC-10 change from intake to 6 months: mean difference and group means as R", () => {
    const o = out.find((x) => x.id === "recovery-capital")!;
    const r = ref.rct_recovery_capital;
    expect(o.groups.map((g) => g.n)).toEqual([r.nPeer, r.n - r.nPeer]);
    expectInterval(effect(o, /^Mean difference/), r.meanDifference, GLM, "mean difference");
    expectInterval(o.groups[0]!, r.peer, GLM, "peer mean change");
    expectInterval(o.groups[1]!, r.comparison, GLM, "comparison mean change");
    expect(o.charts.trajectory?.points.length).toBeGreaterThanOrEqual(4);
  });
});

describe("pre/post in the peer arm (examples/synthetic-ed)", () => {
  let out: MeasureOutcomeResult[];
  beforeAll(() => {
    out = run(ed, {
      design: { kind: "prePost", group: "PEER" },
      outcomes: [{ measure: "recoveryCapital" }, { measure: "edUtilization" }],
    });
  });

  it("BARC-10: the paired t interval of R's t.test", () => {
    const o = out.find((x) => x.id === "recovery-capital")!;
    const r = ref.ed_prepost.recoveryCapital;
    expect(o.analysis).toBe("prePost");
    expect(o.groups[0]?.n).toBe(r.n);
    expectInterval(effect(o, /^Mean change/), r, EXACT, "paired mean change");
    expectClose(o.tests[0]?.statistic ?? null, r.statistic, EXACT, "paired t");
    expect(o.warnings.some((w) => w.code === "PREPOST_NO_COMPARISON")).toBe(true);
  });

  it("ED visits: within-person rate ratio with person-clustered variance as R", () => {
    const o = out.find((x) => x.id === "ed-utilization")!;
    const r = ref.ed_prepost.edVisits;
    expect(o.groups[0]?.n).toBe(r.n);
    expectInterval(effect(o, /^Rate ratio, after vs before/), r, GLM, "pre/post rate ratio");
  });
});

describe("difference in differences without weights (examples/synthetic-ed)", () => {
  let out: MeasureOutcomeResult[];
  beforeAll(() => {
    out = run(ed, {
      design: { kind: "differenceInDifferences" },
      outcomes: [{ measure: "edUtilization" }, { measure: "recoveryCapital" }],
    });
  });

  it("ED visits: DiD in visits per person-year and the ratio of rate ratios as R", () => {
    const o = out.find((x) => x.id === "ed-utilization")!;
    const r = ref.ed_did.edVisits;
    expect(o.analysis).toBe("differenceInDifferences");
    expect(o.groups.reduce((s, g) => s + g.n, 0)).toBe(r.n);
    expectInterval(effect(o, /^Difference in differences/), r.absolute, GLM, "DiD absolute");
    expectInterval(effect(o, /^Ratio of rate ratios/), r.relative, GLM, "DiD ratio");
  });

  it("BARC-10: DiD in points as R", () => {
    const o = out.find((x) => x.id === "recovery-capital")!;
    const r = ref.ed_did.recoveryCapital;
    expect(o.groups.reduce((s, g) => s + g.n, 0)).toBe(r.n);
    expectInterval(effect(o, /^Difference in differences/), r.absolute, GLM, "DiD points");
  });
});

describe("weighted design (examples/synthetic-ed, ATT weights)", () => {
  it("weighted contrasts use each person's design weight, as R's weighted glm/lm with HC0", () => {
    const out = run(ed, {
      design: {
        kind: "weighted",
        covariates: [
          "age",
          "sex",
          "housing",
          "payer",
          "prior_ed_visits_365_group",
          "prior_overdose_365",
          "prior_moud_365",
        ],
        estimand: "ATT",
      },
      outcomes: [{ measure: "edUtilization" }, { measure: "recoveryCapital" }],
    });
    const r = ref.ed_weighted;
    const edo = out.find((x) => x.id === "ed-utilization")!;
    expect(edo.groups.reduce((s, g) => s + g.n, 0)).toBe(r.edVisits.n);
    expectInterval(effect(edo, /^Rate ratio/), r.edVisits, GLM, "weighted rate ratio");
    const rco = out.find((x) => x.id === "recovery-capital")!;
    expect(rco.groups.reduce((s, g) => s + g.n, 0)).toBe(r.recoveryCapital.n);
    expectInterval(effect(rco, /^Mean difference/), r.recoveryCapital, GLM, "weighted mean difference");
    expect(edo.comparability?.balance.allBalanced).toBe(true);
  });
});

describe("degenerate data", () => {
  it("an outcome with no analysable unit is reported as not evaluable, not as a number", () => {
    const [o] = run(rct, { design: { kind: "randomized" }, outcomes: [{ measure: "programRetention" }] });
    expect(o?.effects).toEqual([]);
    expect(o?.warnings.some((w) => w.code === "EFFECT_NOT_EVALUABLE")).toBe(true);
    expect(o?.groups.every((g) => g.n === 0 && g.estimate === null)).toBe(true);
  });

  it("the service dose is described by group, never contrasted", () => {
    const [o] = run(rct, { design: { kind: "randomized" }, outcomes: [{ measure: "peerDose" }] });
    expect(o?.analysis).toBe("described");
    expect(o?.effects).toEqual([]);
    expect(o?.notes.join(" ")).toMatch(/not compared/);
  });

  it("results do not depend on row order", () => {
    const reversed = (t: ColumnTable) =>
      table(
        Object.fromEntries(
          t.columnNames().map((c) => [c, Array.from(t.array(c) as ArrayLike<unknown>).reverse()]),
        ),
      );
    const shuffled = {
      ...rct,
      dataset: Object.fromEntries(Object.entries(rct.dataset).map(([k, t]) => [k, t ? reversed(t) : t])),
    } as LoadResult;
    const cfg = {
      design: { kind: "randomized" as const },
      outcomes: [{ measure: "edUtilization" as const }],
    };
    const a = run(rct, cfg)[0]!;
    const b = run(shuffled, cfg)[0]!;
    expect(b.groups.map((g) => g.n)).toEqual(a.groups.map((g) => g.n));
    expectClose(b.effects[0]?.estimate ?? null, a.effects[0]?.estimate ?? Number.NaN, EXACT, "reversed rows");
  });
});
