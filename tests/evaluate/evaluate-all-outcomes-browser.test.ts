/**
 * End to end with every outcome: `prss evaluate` on the observational example with the weighted
 * design, all eight outcomes and two subgroup variables (a YAML config, as a user writes one). The
 * report must render offline in headless Chromium (every chart drawn with marks, no page error, no
 * network request), show no count between 1 and the threshold, and hold no person identifier; the
 * results must validate against the published result schema.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { EvaluationResult } from "../../src/evaluate/result.js";
import { EvaluationResultSchema } from "../../src/evaluate/result-schema.js";
import { isSmallNumber, launchChromium, openHtmlFile, visibleCounts } from "../helpers/chromium.js";

const tmp = mkdtempSync(join(tmpdir(), "prss-all-"));
const out = join(tmp, "report");
let browser: Browser | undefined;
const stderr: string[] = [];
let exitCode = -1;

const CONFIG = `# Weighted comparison of ED peer navigation, every outcome
title: ED peer navigation, all outcomes (synthetic)
data: ${resolve("examples/synthetic-ed")}
design:
  kind: weighted
  covariates: [age, sex, housing, payer, prior_ed_visits_365_group, prior_overdose_365, prior_moud_365]
  estimand: ATT
outcomes:
  - measure: daysToMoud
  - measure: edUtilization
  - measure: moudRetention
  - measure: programRetention
    source: peer-contacts
  - measure: udsAbstinence
  - measure: selfReportAbstinence
  - measure: recoveryCapital
  - measure: followUpAfterEd
  - measure: peerDose
subgroups: [sex, housing]
`;

beforeAll(async () => {
  const cfg = join(tmp, "all.yaml");
  writeFileSync(cfg, CONFIG);
  exitCode = await main(["evaluate", cfg, "--out", out, "--no-png"], {
    stdout: () => {},
    stderr: (s) => stderr.push(s),
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("prss evaluate with every outcome (weighted design, subgroups)", () => {
  it("exits 0, and results.json validates against the published schema", () => {
    expect(stderr).toEqual([]);
    expect(exitCode).toBe(0);
    const result: EvaluationResult = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    const parsed = EvaluationResultSchema.safeParse(result);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
    expect(result.outcomes.map((o) => o.id)).toEqual([
      "days-to-moud",
      "ed-utilization",
      "moud-retention",
      "program-retention",
      "uds-abstinence",
      "self-report-abstinence",
      "recovery-capital",
      "follow-up-after-ed",
      "peer-dose",
    ]);
    const measures = result.outcomes.filter((o) => o.kind === "measure");
    const compared = measures.filter((o) => o.analysis === "comparison");
    expect(compared.length).toBeGreaterThanOrEqual(4);
    for (const o of compared) {
      expect(
        o.subgroups.map((s) => s.variable),
        o.id,
      ).toEqual(["sex", "housing"]);
      expect(o.effects.length, o.id).toBeGreaterThanOrEqual(2);
    }
    expect(measures.find((o) => o.id === "peer-dose")?.analysis).toBe("described");
  });

  it("holds no person identifier from the input anywhere in the output", () => {
    const ids = readFileSync("examples/synthetic-ed/persons.csv", "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",")[0] as string);
    for (const f of ["report.html", "report.md", "results.json"]) {
      const text = readFileSync(join(out, f), "utf8");
      expect(
        ids.filter((id) => text.includes(id)),
        f,
      ).toEqual([]);
    }
  });

  it("renders offline with every chart drawn and no small count visible", async () => {
    const r = await openHtmlFile(browser!, join(out, "report.html"));
    try {
      const body = await r.page.evaluate(() => ({ ...document.body.dataset }));
      expect(body.rendered).toBe("yes");
      expect(Number(body.chartCount)).toBeGreaterThanOrEqual(20);
      expect(r.foreign).toEqual([]);
      expect(r.errors).toEqual([]);
      const marks = await r.page.$$eval(".chart[data-chart-spec]", (els) =>
        els.map((el) => el.querySelectorAll("g.role-mark path, g.role-mark line, g.role-mark rect").length),
      );
      expect(marks.filter((m) => m === 0)).toEqual([]);
      const counts = await visibleCounts(r.page);
      expect(counts.length).toBeGreaterThan(50);
      expect(counts.filter(isSmallNumber)).toEqual([]);
    } finally {
      await r.close();
    }
  });
});
