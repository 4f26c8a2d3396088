/**
 * The scripted evaluations in analyses/ run end to end through `evaluate()`, write the full report, and
 * recover the generator's truth: each primary estimate's 95% CI must cover the true value in the
 * example's truth.json (fixed by the generator, not by this code — so these checks can fail).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runEdNavigationAnalysis } from "../../analyses/ed-navigation-days-to-moud.js";
import { runRecoveryCapitalAnalysis } from "../../analyses/recovery-centre-recovery-capital.js";
import { runReentryEdAnalysis } from "../../analyses/reentry-ed-utilization.js";
import type { TruthCheck } from "../../analyses/truth-check.js";
import type { OutcomeResult } from "../../src/index.js";

const out = mkdtempSync(join(tmpdir(), "prss-analyses-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const truthJson = (example: string) =>
  JSON.parse(readFileSync(join("examples", example, "truth.json"), "utf8")) as {
    derived: {
      moudInitiation: { riskDifferenceDay30: { att: number } };
      edVisits: {
        marginalRateRatio: { ate: { allDays: number } };
        ratePer1000PersonYears: { ate: { PEER: number; COMPARISON: number } };
      };
      barc10: { totalChangeEffect: { ate: number } };
    };
  };

/** The report folder holds the full report; both renderings name every outcome. */
function expectFullReport(dir: string, titles: readonly string[]) {
  for (const f of ["report.html", "report.md", "results.json", "truth-check.md"]) {
    expect(existsSync(join(dir, f)), f).toBe(true);
  }
  const html = readFileSync(join(dir, "report.html"), "utf8");
  const md = readFileSync(join(dir, "report.md"), "utf8");
  expect(html).toContain("<svg");
  for (const t of titles) {
    expect(html, `report.html names "${t}"`).toContain(t);
    expect(md, `report.md names "${t}"`).toContain(t);
  }
}

/** No person id of the example appears in the written results (aggregates only). */
function expectNoPersonIds(dir: string, example: string) {
  const ids = readFileSync(join("examples", example, "persons.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1, 300)
    .map((l) => l.split(",")[0] as string);
  const written = readFileSync(join(dir, "results.json"), "utf8");
  expect(ids.filter((id) => written.includes(`"${id}"`))).toEqual([]);
}

function expectCovers(c: TruthCheck) {
  expect(c.lower, `${c.quantity}: lower`).not.toBeNull();
  expect(c.upper, `${c.quantity}: upper`).not.toBeNull();
  expect(c.lower as number, `${c.quantity}: lower ≤ truth`).toBeLessThanOrEqual(c.truth);
  expect(c.upper as number, `${c.quantity}: upper ≥ truth`).toBeGreaterThanOrEqual(c.truth);
  expect(c.covered).toBe(true);
}

function measure(o: OutcomeResult | undefined) {
  if (o?.kind !== "measure") throw new Error("expected a measure outcome");
  return o;
}

describe("analyses (evaluate() on the synthetic examples, checked against truth.json)", () => {
  it("ED navigation (matched): the day-30 difference covers the true ATT, the rate ratio the true ratio", async () => {
    const dir = join(out, "ed");
    const { result, truth, checks } = await runEdNavigationAnalysis(dir, { png: false });
    const t = truthJson("synthetic-ed").derived;
    expect(truth).toBe(t.moudInitiation.riskDifferenceDay30.att);
    expect(checks.map((c) => c.truth)).toEqual([
      t.moudInitiation.riskDifferenceDay30.att,
      t.edVisits.marginalRateRatio.ate.allDays,
    ]);
    for (const c of checks.filter((x) => x.primary)) expectCovers(c);
    expect(result.design.kind).toBe("matched");
    const moud = result.outcomes.find((o) => o.id === "days-to-moud");
    expect(moud?.kind).toBe("timeToEvent");
    expect(moud?.comparability?.matching?.nTreatedMatched).toBeGreaterThan(500);
    expect(moud?.comparability?.balance.allBalanced).toBe(true);
    const ed = measure(result.outcomes.find((o) => o.id === "ed-utilization"));
    expect(ed.subgroups.map((s) => s.variable)).toEqual(["housing"]);
    expect(ed.subgroups[0]?.interaction.pValue).not.toBeNull();
    expectFullReport(dir, ["Days to MOUD initiation", "ED utilization"]);
    expectNoPersonIds(dir, "synthetic-ed");
  }, 60_000);

  it("re-entry ED utilization (randomized): the rate ratio and rate difference cover the true marginal values", async () => {
    const dir = join(out, "reentry");
    const { result, truth, checks } = await runReentryEdAnalysis(dir, { png: false });
    const t = truthJson("synthetic-rct").derived.edVisits;
    expect(truth).toBe(t.marginalRateRatio.ate.allDays);
    const primary = checks.filter((c) => c.primary);
    expect(primary.map((c) => c.truth)).toEqual([
      t.marginalRateRatio.ate.allDays,
      (t.ratePer1000PersonYears.ate.PEER - t.ratePer1000PersonYears.ate.COMPARISON) / 1000,
    ]);
    for (const c of primary) expectCovers(c);
    expect(result.design.kind).toBe("randomized");
    const ed = measure(result.outcomes[0]);
    expect(ed.analysis).toBe("comparison");
    expect(ed.subgroups.map((s) => s.variable)).toEqual(["sex", "housing", "index_setting"]);
    for (const s of ed.subgroups) expect(s.interaction.pValue).not.toBeNull();
    // The re-entry stratum is reported (a secondary check: its CI may miss by chance).
    expect(checks.some((c) => !c.primary && /custody/.test(c.quantity))).toBe(true);
    expectFullReport(dir, ["ED utilization", "Subgroups by sex", "Subgroups by housing"]);
    expectNoPersonIds(dir, "synthetic-rct");
  }, 60_000);

  it("recovery centre (weighted difference in differences): the BARC-10 DiD covers the true effect on the change", async () => {
    const dir = join(out, "recovery");
    const { result, truth, checks } = await runRecoveryCapitalAnalysis(dir, { png: false });
    expect(truth).toBe(truthJson("synthetic-ed").derived.barc10.totalChangeEffect.ate);
    for (const c of checks.filter((x) => x.primary)) expectCovers(c);
    expect(result.design.kind).toBe("differenceInDifferences");
    const rc = measure(result.outcomes.find((o) => o.id === "recovery-capital"));
    expect(rc.analysis).toBe("differenceInDifferences");
    expect(rc.comparability?.balance.allBalanced).toBe(true);
    // Retention: both groups have programme episodes, so it is compared (after the index event only).
    const ret = measure(result.outcomes.find((o) => o.id === "program-retention"));
    expect(ret.analysis).toBe("comparison");
    expect(ret.groups.map((g) => g.n > 0)).toEqual([true, true]);
    expectFullReport(dir, ["Recovery capital (BARC-10)", "Retention in the program (enrollment periods)"]);
    expectNoPersonIds(dir, "synthetic-ed");
  }, 60_000);
});
