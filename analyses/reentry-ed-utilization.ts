/**
 * Peer support after release from prison, and everywhere else the trial enrolled — a RANDOMIZED
 * evaluation of ED utilization: ED visits per person-year in the year after the index event, peer
 * support versus usual care, as a rate ratio and a rate difference, with subgroups by sex, housing and
 * setting (the re-entry stratum is printed on its own). One call of the public API, `evaluate()`, on
 * synthetic data with known truth (examples/synthetic-rct: 2,000 people randomized 1:1 at their index
 * event in five settings, 297 of them at release from custody).
 *
 *   npx tsx analyses/reentry-ed-utilization.ts [OUT_DIR]     (default output/analyses/reentry-ed-utilization)
 *
 * Writes the full report (report.html, report.md, charts/, results.json) and truth-check.md, and prints
 * each estimate with its 95% CI next to the generator's truth.
 *
 * What the truths are (src/synth/truth.ts; truth.json → derived.edVisits): post-index ED visits
 * (day ≥ 1) per person-time over days 1 … end of observation (365-day follow-up, death day included),
 * simulated for every person under both arms. `marginalRateRatio.ate.allDays` is the MARGINAL rate
 * ratio over the trial population — with randomization the ATE is what intention-to-treat estimates —
 * and `ratePer1000PersonYears.ate` gives the two arms' rates, whose difference is the true rate
 * difference. The generator's CONDITIONAL rate ratio is 0.8 for everyone (per at-risk day), so the
 * marginal ratio is about 0.8 in every subgroup too, including re-entry. The outcome window is set to
 * 365 days to match the truth's follow-up; intention to treat: 15 % of people assigned peer support
 * never engaged, and the truth is defined by assigned arm too.
 */
import { join, relative } from "node:path";
import type { EvaluationConfigInput } from "../src/index.js";
import {
  type AnalysisOutput,
  check,
  effectOf,
  evaluateInto,
  formatChecks,
  outcomeById,
  REPO_ROOT,
  readTruth,
  type TruthCheck,
  truthNumber,
  writeTruthCheck,
} from "./truth-check.js";

/** The evaluation, as a config object (the same keys as a JSON/YAML config for `prss evaluate`). */
export const REENTRY_ED_CONFIG: EvaluationConfigInput = {
  title: "Peer support after release and other index events: ED utilization (randomized, synthetic data)",
  data: "examples/synthetic-rct",
  design: { kind: "randomized" },
  outcomes: [{ measure: "edUtilization", windowDays: 365 }],
  subgroups: ["sex", "housing", "index_setting"],
  seed: 20240502,
};

/** Runs the randomized evaluation, writes the report into `outDir` and checks the estimates against the truth. */
export async function runReentryEdAnalysis(
  outDir: string,
  options: { png?: boolean } = {},
): Promise<AnalysisOutput> {
  const { result, files } = await evaluateInto(REENTRY_ED_CONFIG, outDir, options);
  const truth = readTruth("synthetic-rct");
  const rrTruth = truthNumber(truth, "derived.edVisits.marginalRateRatio.ate.allDays");
  // Rates per 1,000 person-years → visits per person-year, the report's scale.
  const rdTruth =
    (truthNumber(truth, "derived.edVisits.ratePer1000PersonYears.ate.PEER") -
      truthNumber(truth, "derived.edVisits.ratePer1000PersonYears.ate.COMPARISON")) /
    1000;
  const ed = outcomeById(result, "ed-utilization");
  const checks: TruthCheck[] = [
    check(
      ed.title,
      "rate ratio of ED visits per person-year, peer / usual care",
      effectOf(ed, "Rate ratio"),
      rrTruth,
      "derived.edVisits.marginalRateRatio.ate.allDays: marginal over the trial population (ATE = intention to treat under randomization)",
    ),
    check(
      ed.title,
      "rate difference, peer − usual care",
      effectOf(ed, "Rate difference"),
      rdTruth,
      "derived.edVisits.ratePer1000PersonYears.ate, PEER − COMPARISON, divided by 1,000",
      { digits: 3, unit: "visits per person-year" },
    ),
  ];
  // The re-entry stratum of the setting subgroup analysis: its truth is the same marginal ratio (the
  // conditional rate ratio does not vary by setting). Secondary: a stratum's CI may miss by chance.
  if (ed.kind === "measure") {
    const reentry = ed.subgroups
      .find((s) => s.variable === "index_setting")
      ?.levels.find((l) => /reentry|custody/i.test(l.label));
    if (reentry) {
      checks.push(
        check(
          ed.title,
          `rate ratio among the ${reentry.n} people enrolled at release from custody`,
          reentry,
          rrTruth,
          "the same marginal rate ratio: the generator's conditional rate ratio (0.8) does not vary by setting",
          { primary: false },
        ),
      );
    }
  }
  writeTruthCheck(outDir, result.title, "synthetic-rct", checks, [], result.confLevel);
  return { result, truth: rrTruth, checks, outDir, files: [...files, join(outDir, "truth-check.md")] };
}

const isEntry = process.argv[1]?.endsWith("reentry-ed-utilization.ts") ?? false;
if (isEntry) {
  const out = process.argv[2] ?? join(REPO_ROOT, "output", "analyses", "reentry-ed-utilization");
  const { result, checks } = await runReentryEdAnalysis(out);
  const ed = outcomeById(result, "ed-utilization");
  console.log(result.title);
  if (ed.kind === "measure") {
    for (const g of ed.groups) {
      console.log(
        `  ${g.group === "PEER" ? "Peer support" : "Usual care"}: ${g.n} people, ${g.events} ED visits in ${g.personYears?.toFixed(0)} person-years = ${g.estimate?.toFixed(2)} per person-year`,
      );
    }
    for (const s of ed.subgroups) {
      console.log(
        `  Subgroups by ${s.label.toLowerCase()}: interaction p = ${s.interaction.pValue?.toFixed(2)}`,
      );
    }
  }
  console.log("");
  for (const line of formatChecks(checks, result.confLevel)) console.log(line);
  console.log("");
  console.log(`Report: ${relative(process.cwd(), join(out, "report.html"))}`);
}
