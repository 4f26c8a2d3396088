/**
 * The one call of a scripted evaluation: `await evaluate(config)` validates the config, loads and
 * validates the data folder, evaluates every outcome and (unless `write: false`) writes the report
 * folder — report.html, report.md, charts/*.svg|png, results.json — exactly as `prss evaluate` does.
 */
import { isAbsolute, join, resolve } from "node:path";
import { TABLE_NAMES, type TableName } from "../../data-dictionary/index.js";
import { loadDataset } from "../io/load-dataset.js";
import { writeReport } from "../report/write.js";
import { type EvaluationConfig, type EvaluationConfigInput, parseEvaluationConfig } from "./config.js";
import { evaluateLoaded } from "./evaluate.js";
import type { EvaluationResult } from "./result.js";
import { toReportInput } from "./to-report.js";

/**
 * Tables an evaluation reads: every table but daily_use and co_interventions, which no evaluation
 * outcome, covariate or design uses (TLFB and co-interventions are measures of their own; `prss
 * validate` checks every file). Skipping them saves about a tenth of the rows of a typical extract.
 */
export const EVALUATION_TABLES: readonly TableName[] = TABLE_NAMES.filter(
  (t) => t !== "daily_use" && t !== "co_interventions",
);

/** A config that failed validation: every problem located at its key path. */
export class EvaluationConfigError extends Error {
  readonly issues: readonly { readonly path: string; readonly message: string }[];
  constructor(issues: readonly { readonly path: string; readonly message: string }[]) {
    super(`invalid evaluation config:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`);
    this.name = "EvaluationConfigError";
    this.issues = issues;
  }
}

export interface EvaluateOptions {
  /** Folder that relative `data` and `output` paths are resolved against (default: the working directory). */
  readonly baseDir?: string;
  /** Output folder (overrides `config.output`; default output/evaluation). */
  readonly outDir?: string;
  /** Write the report folder (default true). */
  readonly write?: boolean;
  /** Also write PNG copies of the charts (default true). */
  readonly png?: boolean;
  /** Called before each long step (loading, computing, writing), e.g. for a progress display. */
  readonly onStep?: (step: string) => void;
}

export interface EvaluateOutput {
  readonly config: EvaluationConfig;
  readonly result: EvaluationResult;
  /** The report folder, or null when nothing was written. */
  readonly outDir: string | null;
  readonly files: readonly string[];
}

/**
 * Runs an evaluation from a config object (validated with the published schema; defaults filled):
 * load → validate → measures → comparison → statistics → result (+ report files).
 * @throws EvaluationConfigError for an invalid config (each problem located at its key).
 */
export async function evaluate(
  config: EvaluationConfigInput,
  options: EvaluateOptions = {},
): Promise<EvaluateOutput> {
  const parsed = parseEvaluationConfig(config);
  if (!parsed.ok) throw new EvaluationConfigError(parsed.issues);
  const c = parsed.config;
  const base = resolve(options.baseDir ?? ".");
  const at = (p: string) => (isAbsolute(p) ? p : join(base, p));
  options.onStep?.("loading and validating data");
  const load = await loadDataset(at(c.data), { strict: c.strict, tables: EVALUATION_TABLES });
  options.onStep?.("computing measures and estimates");
  const result = evaluateLoaded(c, load, {
    nodeVersion: process.version,
    generatedAt: new Date().toISOString(),
    configForManifest: c as unknown as Record<string, unknown>,
  });
  if (options.write === false) return { config: c, result, outDir: null, files: [] };
  const outDir = options.outDir ?? (c.output ? at(c.output) : join("output", "evaluation"));
  options.onStep?.("writing the report");
  const written = await writeReport(outDir, toReportInput(result), {
    results: result,
    png: options.png ?? true,
  });
  return { config: c, result, outDir, files: written.files };
}
