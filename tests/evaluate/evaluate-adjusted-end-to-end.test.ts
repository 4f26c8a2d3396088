/**
 * End to end on the observational example (examples/synthetic-ed, confounded by design): the weighted
 * demo config and the matched config, run as a user runs them, against the unadjusted comparison and the
 * generator's truth (truth.json → derived.moudInitiation: ATT for both designs). The weighted report is
 * opened in headless Chromium: every chart drawn, no foreign request, no visible count of 1–10, no
 * person identifier anywhere in the output.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { EvaluationResult } from "../../src/evaluate/result.js";
import { isSmallNumber, launchChromium, openHtmlFile, visibleCounts } from "../helpers/chromium.js";

const root = mkdtempSync(join(tmpdir(), "prss-e2e-adjusted-"));
const runs = {
  weighted: { config: "examples/evaluate-days-to-moud.json", out: join(root, "weighted") },
  matched: { config: "examples/evaluate-matched.json", out: join(root, "matched") },
  unadjusted: { config: "examples/evaluate-unadjusted.json", out: join(root, "unadjusted") },
} as const;
const exit: Record<string, number> = {};
const stderr: string[] = [];
let browser: Browser | undefined;

beforeAll(async () => {
  for (const [name, r] of Object.entries(runs)) {
    exit[name] = await main(["evaluate", r.config, "--out", r.out, "--no-png"], {
      stdout: () => undefined,
      stderr: (s) => stderr.push(s),
    });
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

const result = (name: keyof typeof runs): EvaluationResult =>
  JSON.parse(readFileSync(join(runs[name].out, "results.json"), "utf8"));
const truth = JSON.parse(readFileSync("examples/synthetic-ed/truth.json", "utf8"));
const att = truth.derived.moudInitiation.cumulativeIncidence.att;
const trueAttDiff30 = att.PEER["30"] - att.COMPARISON["30"];
const rd = (r: EvaluationResult) => r.outcomes[0]!.effects.find((e) => e.scale === "difference")!;

describe("weighted and matched designs on the observational example", () => {
  it("all three configs run and exit 0", () => {
    expect(stderr).toEqual([]);
    expect(exit).toEqual({ weighted: 0, matched: 0, unadjusted: 0 });
  });

  it("weighting balances every covariate row and reports the effective sample size", () => {
    const c = result("weighted").outcomes[0]!.comparability!;
    expect(c.design).toBe("weighted");
    expect(c.estimand).toBe("ATT");
    expect(c.balance.nImbalancedBefore).toBeGreaterThan(5);
    expect(c.balance.allBalanced).toBe(true);
    expect(c.balance.maxAbsSmdAfter!).toBeLessThan(0.1);
    // ATT: the peer arm keeps weight 1; the comparison arm's ESS is below its size.
    expect(c.sampleSize.treated.ess).toBeCloseTo(c.sampleSize.treated.n, 9);
    expect(c.sampleSize.control.ess).toBeLessThan(c.sampleSize.control.n);
  });

  it("the adjusted day-30 difference is closer to the true ATT than the unadjusted one, and its CI covers it", () => {
    const w = rd(result("weighted"));
    const u = rd(result("unadjusted"));
    const m = rd(result("matched"));
    // Recorded for the report: weighted, matched and unadjusted estimates against the truth.
    expect(Math.abs(w.estimate! - trueAttDiff30)).toBeLessThan(Math.abs(u.estimate! - trueAttDiff30));
    expect(Math.abs(m.estimate! - trueAttDiff30)).toBeLessThan(Math.abs(u.estimate! - trueAttDiff30));
    expect(w.lower!).toBeLessThan(trueAttDiff30);
    expect(w.upper!).toBeGreaterThan(trueAttDiff30);
    expect(m.lower!).toBeLessThan(trueAttDiff30);
    expect(m.upper!).toBeGreaterThan(trueAttDiff30);
    // The unadjusted estimate targets the factual (confounded) contrast.
    expect(Math.abs(u.estimate! - truth.derived.moudInitiation.riskDifferenceDay30.factual)).toBeLessThan(
      0.01,
    );
  });

  it("the flow accounts for every eligible person (matched: unmatched and unused people excluded)", () => {
    for (const name of ["weighted", "matched"] as const) {
      const flow = result(name).outcomes[0]!.flow;
      const k = flow.findIndex((s) => s.label.startsWith("Eligible"));
      const eligible = flow[k]!;
      const excluded = (eligible.excluded ?? []).reduce((a, e) => a + e.n, 0);
      expect(eligible.n, name).toBe(excluded + flow[k + 1]!.n);
      expect(flow[k + 1]!.label).toMatch(name === "matched" ? /matched sample/ : /weighted sample/);
    }
    const m = result("matched").outcomes[0]!.comparability!.matching!;
    expect(m.caliper!.sdUnits).toBe(0.2);
    expect(m.caliper!.definition).toMatch(/Austin/);
    expect(m.nSets).toBe(m.nTreatedMatched);
  });

  it("says 'Among comparable patients' only because balance passed; methods name the variance", () => {
    const html = readFileSync(join(runs.weighted.out, "report.html"), "utf8");
    expect(html).toContain("Among comparable patients");
    expect(html).toContain("Comparability of the groups");
    const r = result("weighted");
    expect(r.design.causalLanguageAllowed).toBe(false);
    const methods = r.outcomes[0]!.effects.map((e) => e.method).join(" ");
    expect(methods).toMatch(/weights treated as fixed/);
    expect(methods).toMatch(/robust/);
  });

  it("holds no person identifier from the input anywhere in the output", () => {
    const ids = readFileSync("examples/synthetic-ed/persons.csv", "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",")[0] as string);
    for (const name of ["weighted", "matched"] as const) {
      for (const f of ["report.html", "report.md", "results.json"]) {
        const text = readFileSync(join(runs[name].out, f), "utf8");
        expect(
          ids.filter((id) => text.includes(id)),
          `${name}/${f}`,
        ).toEqual([]);
      }
    }
  });

  it("the weighted report renders offline: every chart drawn, no foreign request, no visible 1–10 count", async () => {
    const r = await openHtmlFile(browser!, join(runs.weighted.out, "report.html"));
    try {
      const body = await r.page.evaluate(() => ({ ...document.body.dataset }));
      expect(body.renderError).toBeUndefined();
      expect(body.rendered).toBe("yes");
      expect(body.chartCount).toBe("4");
      expect(r.foreign).toEqual([]);
      expect(r.errors).toEqual([]);
      const svgs = await r.page.$$eval(".chart[data-chart-spec]", (els) =>
        els.map(
          (el) => el.querySelectorAll("svg .role-mark path, svg .role-mark line, svg .role-mark rect").length,
        ),
      );
      expect(svgs.length).toBe(4);
      for (const n of svgs) expect(n).toBeGreaterThan(0);
      const counts = await visibleCounts(r.page);
      expect(counts.length).toBeGreaterThan(100);
      expect(counts.filter(isSmallNumber)).toEqual([]);
      expect(counts).toContain("≤10");
      // Table 1: percentages of hidden counts are hidden too, and so are their SMDs.
      const table1 = await r.page.$$eval("table.table1 tbody tr", (rows) =>
        rows.map((tr) => (tr.textContent ?? "").replace(/\s+/g, " ")),
      );
      for (const row of table1.filter((t) => t.includes("≤10")))
        expect(row).not.toMatch(/\(\d+(\.\d)?%\).*≤10|≤10 \(/);
    } finally {
      await r.close();
    }
  });
});
