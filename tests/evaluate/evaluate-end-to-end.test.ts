/**
 * End to end, as a user runs it: `prss evaluate` on the randomized example writes a report that
 * renders offline in headless Chromium, hides small counts, holds no person identifier, and recovers
 * the generator's true effect.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { EvaluationResult } from "../../src/evaluate/result.js";
import { isSmallNumber, launchChromium, openHtmlFile, visibleCounts } from "../helpers/chromium.js";

const out = mkdtempSync(join(tmpdir(), "prss-e2e-"));
let browser: Browser | undefined;
const stdout: string[] = [];
const stderr: string[] = [];
let exitCode = -1;

beforeAll(async () => {
  exitCode = await main(["evaluate", "examples/evaluate-rct-days-to-moud.json", "--out", out, "--no-png"], {
    stdout: (s) => stdout.push(s),
    stderr: (s) => stderr.push(s),
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

describe("prss evaluate on the randomized example", () => {
  it("exits 0 and writes the report files", () => {
    expect(stderr).toEqual([]);
    expect(exitCode).toBe(0);
    for (const f of [
      "report.html",
      "report.md",
      "results.json",
      "charts/days-to-moud-cumulative-incidence.svg",
    ]) {
      expect(readFileSync(join(out, f)).length, f).toBeGreaterThan(100);
    }
  });

  it("accounts for every index event in the flow", () => {
    const result: EvaluationResult = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    const flow = result.outcomes[0]!.flow;
    const considered = flow.find((s) => s.label === "Index events considered")!;
    const analysed = flow.find((s) => s.label === "Analysed")!;
    const excluded = (considered.excluded ?? []).reduce((a, e) => a + e.n, 0);
    expect(considered.n).toBe(excluded + analysed.n);
    expect(result.manifest.inputs["persons.csv"]).toMatch(/^[0-9a-f]{64}$/);
    expect(result.manifest.dictionaryVersion).toBe("1.0.0");
    expect(result.manifest.measureDefinitions).toEqual([{ id: "days-to-moud", version: "1.0.0" }]);
  });

  it("recovers the true difference in 30-day cumulative incidence within its 95% CI", () => {
    const result: EvaluationResult = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    const truth = JSON.parse(readFileSync("examples/synthetic-rct/truth.json", "utf8"));
    const ate = truth.derived.moudInitiation.cumulativeIncidence.ate;
    const trueDiff = ate.PEER["30"] - ate.COMPARISON["30"];
    const rd = result.outcomes[0]!.effects.find((e) => e.scale === "difference")!;
    expect(rd.lower!).toBeLessThan(trueDiff);
    expect(rd.upper!).toBeGreaterThan(trueDiff);
  });

  it("holds no person identifier from the input anywhere in the output", () => {
    const ids = readFileSync("examples/synthetic-rct/persons.csv", "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",")[0] as string);
    expect(ids.length).toBeGreaterThan(1000);
    for (const f of ["report.html", "report.md", "results.json"]) {
      const text = readFileSync(join(out, f), "utf8");
      const leaked = ids.filter((id) => text.includes(id));
      expect(leaked, f).toEqual([]);
    }
  });

  it("renders offline in headless Chromium with every chart drawn and small counts hidden", async () => {
    const r = await openHtmlFile(browser!, join(out, "report.html"));
    try {
      const body = await r.page.evaluate(() => ({ ...document.body.dataset }));
      expect(body.rendered).toBe("yes");
      expect(body.chartCount).toBe("2");
      expect(r.foreign).toEqual([]);
      expect(r.errors).toEqual([]);
      const marks = await r.page.$$eval(".chart[data-chart-spec]", (els) =>
        els.map((el) => el.querySelectorAll("g.mark-line.role-mark path").length),
      );
      expect(marks).toEqual([2, 2]);
      const counts = await visibleCounts(r.page);
      expect(counts.length).toBeGreaterThan(10);
      expect(counts.filter(isSmallNumber)).toEqual([]);
    } finally {
      await r.close();
    }
  });
});
