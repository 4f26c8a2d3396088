/**
 * Evaluate benchmark: generates N people with the synthetic generator (observational design) into a
 * temporary folder, then times the three steps a user runs with `prss evaluate`: load and validate,
 * evaluate (the demo's weighted design: covariates, propensity model, ATT weights, balance, weighted
 * Aalen–Johansen / Kaplan–Meier / Cox on days to MOUD), and write the report (HTML, Markdown, SVG + PNG
 * charts, results.json). Reports seconds per step and peak resident memory.
 *
 * Run: `npx tsx bench/evaluate.ts [nPeople] [--data DIR] [--outcomes a,b,…]` (default 100,000 people).
 * `--data DIR` evaluates an existing data folder (e.g. one written by `prss synth`) instead of generating
 * one; `--outcomes` replaces the config's outcome list by `[{ "measure": name }, …]` (`all` = every
 * measure the evaluation supports). Figures on a shared machine are indicative.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createCsvDirectorySink } from "../src/cli/synth.js";
import { OUTCOME_MEASURES, parseEvaluationConfig } from "../src/evaluate/config.js";
import { evaluateLoaded } from "../src/evaluate/evaluate.js";
import { toReportInput } from "../src/evaluate/to-report.js";
import { loadDataset } from "../src/io/load-dataset.js";
import { writeReport } from "../src/report/write.js";
import { generateCohort } from "../src/synth/index.js";

/** Figures of one benchmark run. */
export interface EvaluateBenchResult {
  /** People generated, or (with an existing folder) rows of persons.csv read. */
  readonly people: number;
  readonly outcomes: readonly string[];
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
  /** Evaluate seconds of each outcome when run one at a time (`perOutcome` option), else empty. */
  readonly outcomeSeconds: Readonly<Record<string, number>>;
}

/** Options of one benchmark run. */
export interface EvaluateBenchOptions {
  /** Evaluate this existing folder instead of generating `nPeople` people. */
  readonly data?: string;
  /** Outcome measures (default: the example config's, days to MOUD). */
  readonly outcomes?: readonly string[];
  /** Also time each outcome alone (one extra evaluation per outcome). */
  readonly perOutcome?: boolean;
}

/** Every outcome measure the evaluation accepts (from the config schema). */
export const ALL_OUTCOMES = OUTCOME_MEASURES;

const peakRss = (): number => process.resourceUsage().maxRSS / 1024;

/**
 * Generates `nPeople` synthetic people (seed 20240501, no derived truth), then loads, evaluates with
 * the weighted design of examples/evaluate-days-to-moud.json and writes the report, timing each step.
 */
export async function runEvaluateBench(
  nPeople: number,
  options: EvaluateBenchOptions = {},
): Promise<EvaluateBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), "prss-bench-evaluate-"));
  try {
    let data = options.data ?? join(dir, "data");
    let t = performance.now();
    let generateSeconds = 0;
    if (options.data === undefined) {
      const sink = await createCsvDirectorySink(data);
      await generateCohort({ n: nPeople, seed: 20240501, truthSamples: 0 }, sink);
      await sink.close();
      generateSeconds = (performance.now() - t) / 1000;
    } else data = options.data;

    const raw = JSON.parse(readFileSync(join("examples", "evaluate-days-to-moud.json"), "utf8"));
    const outcomes =
      options.outcomes === undefined
        ? raw.outcomes
        : options.outcomes.map((m) =>
            m === "daysToMoud"
              ? raw.outcomes.find((o: { measure: string }) => o.measure === m)
              : { measure: m },
          );
    const parsed = parseEvaluationConfig({ ...raw, data, outcomes });
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

    const outcomeSeconds: Record<string, number> = {};
    if (options.perOutcome && parsed.config.outcomes.length > 1) {
      for (const outcome of parsed.config.outcomes) {
        const t1 = performance.now();
        evaluateLoaded({ ...parsed.config, outcomes: [outcome] }, load, {
          nodeVersion: process.version,
          generatedAt: new Date().toISOString(),
        });
        outcomeSeconds[outcome.measure] = (performance.now() - t1) / 1000;
      }
    }

    t = performance.now();
    await writeReport(join(dir, "report"), toReportInput(result), { results: result, png: true });
    const reportSeconds = (performance.now() - t) / 1000;

    const o = result.outcomes[0];
    return {
      people:
        options.data === undefined ? nPeople : (load.files.find((f) => f.table === "persons")?.read ?? 0),
      outcomes: parsed.config.outcomes.map((o) => o.measure),
      outcomeSeconds,
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
  const args = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const positional = args.find((a, i) => !a.startsWith("--") && (i === 0 || !args[i - 1]?.startsWith("--")));
  const n = Number(positional ?? 100_000);
  const list = flag("--outcomes");
  const data = flag("--data");
  const r = await runEvaluateBench(n, {
    ...(data === undefined ? {} : { data }),
    ...(list === undefined ? {} : { outcomes: list === "all" ? ALL_OUTCOMES : list.split(",") }),
    perOutcome: args.includes("--per-outcome"),
  });
  console.log(
    `evaluate ${r.people.toLocaleString("en-US")} people (weighted design, ${r.outcomes.join(", ")}; ${r.analysed.toLocaleString("en-US")} analysed, balanced: ${r.balanced}, RD30 ${r.difference30?.toFixed(4)}):\n` +
      (data === undefined
        ? `  generate ${r.generateSeconds.toFixed(1)} s (not counted)\n`
        : `  data ${data}\n`) +
      `  load ${r.loadSeconds.toFixed(1)} s (peak RSS ${r.peakRssMiB.load.toFixed(0)} MiB)\n` +
      `  evaluate ${r.evaluateSeconds.toFixed(1)} s (peak RSS ${r.peakRssMiB.evaluate.toFixed(0)} MiB)\n` +
      `  report ${r.reportSeconds.toFixed(1)} s (peak RSS ${r.peakRssMiB.report.toFixed(0)} MiB)\n` +
      `  total ${r.totalSeconds.toFixed(1)} s` +
      Object.entries(r.outcomeSeconds)
        .map(([m, sec]) => `\n    ${m}: ${sec.toFixed(1)} s alone`)
        .join(""),
  );
}
