/**
 * Evaluate benchmark: generates N people with the synthetic generator (observational design) into a
 * temporary folder, then times the three steps a user runs with `prss evaluate`: load and validate,
 * evaluate (the demo's weighted design: covariates, propensity model, ATT weights, balance, weighted
 * Aalen–Johansen / Kaplan–Meier / Cox on days to MOUD), and write the report (HTML, Markdown, SVG + PNG
 * charts, results.json). Reports seconds per step and peak resident memory.
 *
 * Run: `npx tsx bench/evaluate.ts [nPeople]` (default 100,000). Figures on a shared machine are indicative.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createCsvDirectorySink } from "../src/cli/synth.js";
import { parseEvaluationConfig } from "../src/evaluate/config.js";
import { evaluateLoaded } from "../src/evaluate/evaluate.js";
import { toReportInput } from "../src/evaluate/to-report.js";
import { loadDataset } from "../src/io/load-dataset.js";
import { writeReport } from "../src/report/write.js";
import { generateCohort } from "../src/synth/index.js";

/** Figures of one benchmark run. */
export interface EvaluateBenchResult {
  readonly people: number;
  readonly generateSeconds: number;
  readonly loadSeconds: number;
  readonly evaluateSeconds: number;
  readonly reportSeconds: number;
  /** load + evaluate + report. */
  readonly totalSeconds: number;
  /** Peak resident set size of the process (MiB), after each step. */
  readonly peakRssMiB: { readonly load: number; readonly evaluate: number; readonly report: number };
  readonly analysed: number;
  readonly balanced: boolean;
  readonly difference30: number | null;
}

const peakRss = (): number => process.resourceUsage().maxRSS / 1024;

/**
 * Generates `nPeople` synthetic people (seed 20240501, no derived truth), then loads, evaluates with
 * the weighted design of examples/evaluate-days-to-moud.json and writes the report, timing each step.
 */
export async function runEvaluateBench(nPeople: number): Promise<EvaluateBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), "prss-bench-evaluate-"));
  try {
    const data = join(dir, "data");
    let t = performance.now();
    const sink = await createCsvDirectorySink(data);
    await generateCohort({ n: nPeople, seed: 20240501, truthSamples: 0 }, sink);
    await sink.close();
    const generateSeconds = (performance.now() - t) / 1000;

    const raw = JSON.parse(readFileSync(join("examples", "evaluate-days-to-moud.json"), "utf8"));
    const parsed = parseEvaluationConfig({ ...raw, data });
    if (!parsed.ok) throw new Error(`bench config: ${JSON.stringify(parsed.issues)}`);

    t = performance.now();
    const load = await loadDataset(data, { strict: false });
    const loadSeconds = (performance.now() - t) / 1000;
    const rssLoad = peakRss();

    t = performance.now();
    const result = evaluateLoaded(parsed.config, load, {
      nodeVersion: process.version,
      generatedAt: new Date().toISOString(),
    });
    const evaluateSeconds = (performance.now() - t) / 1000;
    const rssEvaluate = peakRss();

    t = performance.now();
    await writeReport(join(dir, "report"), toReportInput(result), { results: result, png: true });
    const reportSeconds = (performance.now() - t) / 1000;

    const o = result.outcomes[0];
    return {
      people: nPeople,
      generateSeconds,
      loadSeconds,
      evaluateSeconds,
      reportSeconds,
      totalSeconds: loadSeconds + evaluateSeconds + reportSeconds,
      peakRssMiB: { load: rssLoad, evaluate: rssEvaluate, report: peakRss() },
      analysed: o?.groups.reduce((a, g) => a + g.n, 0) ?? 0,
      balanced: o?.comparability?.balance.allBalanced ?? false,
      difference30: o?.effects.find((e) => e.scale === "difference")?.estimate ?? null,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const isEntry = process.argv[1] !== undefined && /bench[\\/]evaluate\.ts$/.test(process.argv[1]);
if (isEntry) {
  const n = Number(process.argv[2] ?? 100_000);
  const r = await runEvaluateBench(n);
  console.log(
    `evaluate ${r.people.toLocaleString("en-US")} people (weighted design, days to MOUD; ${r.analysed.toLocaleString("en-US")} analysed, balanced: ${r.balanced}, RD30 ${r.difference30?.toFixed(4)}):\n` +
      `  generate ${r.generateSeconds.toFixed(1)} s (not counted)\n` +
      `  load ${r.loadSeconds.toFixed(1)} s (peak RSS ${r.peakRssMiB.load.toFixed(0)} MiB)\n` +
      `  evaluate ${r.evaluateSeconds.toFixed(1)} s (peak RSS ${r.peakRssMiB.evaluate.toFixed(0)} MiB)\n` +
      `  report ${r.reportSeconds.toFixed(1)} s (peak RSS ${r.peakRssMiB.report.toFixed(0)} MiB)\n` +
      `  total ${r.totalSeconds.toFixed(1)} s`,
  );
}
