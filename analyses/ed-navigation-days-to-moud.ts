/**
 * ED peer navigation and days to MOUD — an observational evaluation with a matched comparison group,
 * on synthetic data with known truth (examples/synthetic-ed, true conditional cause-specific HR 1.5).
 *
 *   npx tsx analyses/ed-navigation-days-to-moud.ts [OUT_DIR]
 *
 * Writes the full report (report.html, report.md, charts/, results.json) and prints the estimate next
 * to the truth. Imports only the public API.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type EvaluationResult,
  evaluateLoaded,
  loadDataset,
  parseEvaluationConfig,
  toReportInput,
  writeReport,
} from "../src/index.js";

/** Runs the matched evaluation and returns the result with the true day-30 difference (ATT). */
export async function runEdNavigationAnalysis(
  outDir: string,
): Promise<{ result: EvaluationResult; truth: number }> {
  const parsed = parseEvaluationConfig({
    title: "ED peer navigation and days to MOUD (matched comparison, synthetic data)",
    data: "examples/synthetic-ed",
    index: { selection: "first" },
    design: {
      kind: "matched",
      covariates: [
        "age",
        "sex",
        "race",
        "payer",
        "housing",
        "justice_involved",
        "primary_substance",
        "active_use_at_enrollment",
        "index_type",
        "site",
        "prior_ed_visits_365_group",
        "prior_overdose_365",
        "prior_moud_365",
      ],
      ratio: 1,
      caliper: 0.2,
      exact: ["index_setting"],
    },
    outcomes: [{ measure: "daysToMoud", horizonDays: 365, contrastDay: 30 }],
    seed: 20240501,
  });
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; "));
  const load = await loadDataset("examples/synthetic-ed");
  const result = evaluateLoaded(parsed.config, load, {
    nodeVersion: process.version,
    generatedAt: new Date().toISOString(),
  });
  await writeReport(outDir, toReportInput(result), { results: result, png: false });
  const truth = JSON.parse(readFileSync("examples/synthetic-ed/truth.json", "utf8"));
  const att = truth.derived.moudInitiation.cumulativeIncidence.att;
  return { result, truth: att.PEER["30"] - att.COMPARISON["30"] };
}

const isEntry = process.argv[1]?.endsWith("ed-navigation-days-to-moud.ts") ?? false;
if (isEntry) {
  const out = process.argv[2] ?? join("output", "analyses", "ed-navigation-days-to-moud");
  const { result, truth } = await runEdNavigationAnalysis(out);
  const rd = result.outcomes[0]?.effects.find((e) => e.scale === "difference");
  const f = (x: number | null | undefined) => (x === null || x === undefined ? "n/a" : (100 * x).toFixed(1));
  console.log(`True difference in 30-day MOUD initiation (ATT): ${f(truth)} percentage points`);
  console.log(
    `Matched estimate: ${f(rd?.estimate)} (95% CI ${f(rd?.lower)} to ${f(rd?.upper)}) percentage points`,
  );
  console.log(`Report: ${join(out, "report.html")}`);
}
