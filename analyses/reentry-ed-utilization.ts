/**
 * Peer support after release (randomized) and ED utilization — visits per person-time after the index
 * event, compared by arm with a Poisson rate ratio and rate difference, on synthetic data with known
 * truth (examples/synthetic-rct, true conditional rate ratio 0.8).
 *
 *   npx tsx analyses/reentry-ed-utilization.ts [OUT_DIR]
 *
 * Writes summary.md and results.json (aggregates only) and prints the estimate next to the truth.
 * Imports only the public API.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EdUtilizationMeasure, loadDataset, measureContrast } from "../src/index.js";

/** Runs the analysis; returns the rate-ratio contrast and the true marginal rate ratio. */
export async function runReentryEdAnalysis(outDir: string) {
  const load = await loadDataset("examples/synthetic-rct");
  if (!load.dataset.arms) throw new Error("arms.csv is missing");
  const ed = EdUtilizationMeasure.edUtilization(load.dataset as never);
  const contrast = measureContrast(ed.units, load.dataset.arms, {
    value: "post_visits",
    outcome: "count",
    personTime: "post_person_days",
  });
  const truth = JSON.parse(readFileSync("examples/synthetic-rct/truth.json", "utf8"));
  const trueRateRatio = truth.derived.edVisits.marginalRateRatio.ate.allDays as number;
  const rr = contrast.effect.relative;
  const rd = contrast.effect.absolute;
  const lines = [
    "# Peer support after release and ED utilization (randomized, synthetic data)",
    "",
    `Units analysed: ${contrast.n} (excluded: ${JSON.stringify(contrast.excluded)}).`,
    `ED visits per person-day after the index event, peer support versus comparison (${rr.method}).`,
    "",
    `| contrast | estimate | 95% CI |`,
    `| --- | --- | --- |`,
    `| rate ratio | ${rr.estimate?.toFixed(3)} | ${rr.ci.lower?.toFixed(3)} to ${rr.ci.upper?.toFixed(3)} |`,
    `| rate difference per 1,000 person-days | ${((rd.estimate ?? 0) * 1000).toFixed(2)} | ${((rd.ci.lower ?? 0) * 1000).toFixed(2)} to ${((rd.ci.upper ?? 0) * 1000).toFixed(2)} |`,
    "",
    `Truth (generator): marginal rate ratio ${trueRateRatio.toFixed(3)}.`,
  ];
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "summary.md"), `${lines.join("\n")}\n`);
  writeFileSync(
    join(outDir, "results.json"),
    `${JSON.stringify({ measure: ed.definition, contrast, truth: { rateRatio: trueRateRatio } }, null, 2)}\n`,
  );
  return { contrast, trueRateRatio };
}

const isEntry = process.argv[1]?.endsWith("reentry-ed-utilization.ts") ?? false;
if (isEntry) {
  const out = process.argv[2] ?? join("output", "analyses", "reentry-ed-utilization");
  const { contrast, trueRateRatio } = await runReentryEdAnalysis(out);
  const rr = contrast.effect.relative;
  console.log(`True ED rate ratio: ${trueRateRatio.toFixed(3)}`);
  console.log(
    `Estimated: ${rr.estimate?.toFixed(3)} (95% CI ${rr.ci.lower?.toFixed(3)} to ${rr.ci.upper?.toFixed(3)})`,
  );
  console.log(`Summary: ${join(out, "summary.md")}`);
}
