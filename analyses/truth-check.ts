/**
 * Shared by the scripts in analyses/: read a synthetic example's truth.json, put an evaluation's
 * estimates next to the true values and say whether each confidence interval covers its truth; run an
 * analysis's evaluation into its output folder. Imports only the public API.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type EvaluationConfigInput,
  type EvaluationEffect,
  type EvaluationResult,
  evaluate,
  type OutcomeResult,
} from "../src/index.js";

/** The repository root (the scripts' data and default output paths are relative to it). */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** One estimate of an evaluation next to the true value it targets. */
export interface TruthCheck {
  /** Outcome title as in the report, e.g. "ED utilization". */
  readonly outcome: string;
  /** What is compared, with its estimand and scale, e.g. "rate ratio, peer vs comparison (ATE)". */
  readonly quantity: string;
  /** Where the truth comes from and what it means (conditional/marginal, ATT/ATE). */
  readonly truthNote: string;
  readonly truth: number;
  readonly estimate: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  /** True when lower ≤ truth ≤ upper; false when the CI misses it or is missing. */
  readonly covered: boolean;
  /** Primary checks are the ones the tests require to cover (a secondary one may miss by chance). */
  readonly primary: boolean;
  /** Display: multiply values by `factor` and show `digits` decimals with `unit`. */
  readonly factor: number;
  readonly digits: number;
  readonly unit: string;
}

/** A synthetic example's truth.json (parsed; read numbers with `truthNumber`). */
export function readTruth(example: string): unknown {
  return JSON.parse(readFileSync(join(REPO_ROOT, "examples", example, "truth.json"), "utf8"));
}

/** The number at a dotted path of truth.json, e.g. "derived.edVisits.marginalRateRatio.ate.allDays". */
export function truthNumber(truth: unknown, path: string): number {
  let v: unknown = truth;
  for (const key of path.split(".")) {
    v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
  }
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`truth.json has no number at ${path}`);
  return v;
}

/** The outcome with this id (e.g. "days-to-moud", "ed-utilization"); throws when it is missing. */
export function outcomeById(result: EvaluationResult, id: string): OutcomeResult {
  const o = result.outcomes.find((x) => x.id === id);
  if (!o) throw new Error(`the evaluation has no outcome "${id}"`);
  return o;
}

/** The effect whose label starts with `label` (e.g. "Rate ratio"); throws when it is missing. */
export function effectOf(outcome: OutcomeResult, label: string): EvaluationEffect {
  const e = outcome.effects.find((x) => x.label.startsWith(label));
  if (!e) {
    const have = outcome.effects.map((x) => `"${x.label}"`).join(", ");
    throw new Error(`${outcome.title}: no effect "${label}" (have ${have || "none"})`);
  }
  return e;
}

/** Builds a check from an interval estimate and its truth. */
export function check(
  outcome: string,
  quantity: string,
  value: { estimate: number | null; lower: number | null; upper: number | null },
  truth: number,
  truthNote: string,
  display: { factor?: number; digits?: number; unit?: string; primary?: boolean } = {},
): TruthCheck {
  const { estimate, lower, upper } = value;
  return {
    outcome,
    quantity,
    truthNote,
    truth,
    estimate,
    lower,
    upper,
    covered: lower !== null && upper !== null && lower <= truth && truth <= upper,
    primary: display.primary ?? true,
    factor: display.factor ?? 1,
    digits: display.digits ?? 3,
    unit: display.unit ?? "",
  };
}

function fmt(c: TruthCheck, x: number | null): string {
  return x === null ? "n/a" : (x * c.factor).toFixed(c.digits);
}

/** Plain-text lines: truth, estimate (CI), and whether the CI covers the truth. */
export function formatChecks(checks: readonly TruthCheck[], level = 0.95): string[] {
  const pct = `${Math.round(level * 100)}% CI`;
  const lines: string[] = [];
  for (const c of checks) {
    const unit = c.unit ? ` ${c.unit}` : "";
    lines.push(`${c.outcome}: ${c.quantity}${c.primary ? "" : " [secondary]"}`);
    lines.push(`  truth     ${fmt(c, c.truth)}${unit}  (${c.truthNote})`);
    lines.push(
      `  estimate  ${fmt(c, c.estimate)}${unit}  (${pct} ${fmt(c, c.lower)} to ${fmt(c, c.upper)})  → the CI ${c.covered ? "covers" : "does NOT cover"} the truth`,
    );
  }
  return lines;
}

/** Writes truth-check.md beside the report: the same table for readers of the output folder. */
export function writeTruthCheck(
  outDir: string,
  title: string,
  example: string,
  checks: readonly TruthCheck[],
  notes: readonly string[] = [],
  level = 0.95,
): string {
  const pct = `${Math.round(level * 100)}% CI`;
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const lines = [
    `# ${title}: estimates against the truth`,
    "",
    `The data are synthetic (examples/${example}); the generator's true values are in examples/${example}/truth.json.`,
    "",
    `| outcome | quantity | truth | estimate | ${pct} | CI covers the truth |`,
    "| --- | --- | ---: | ---: | --- | --- |",
    ...checks.map(
      (c) =>
        `| ${cell(c.outcome)} | ${cell(c.quantity)}${c.unit ? ` (${cell(c.unit)})` : ""} | ${fmt(c, c.truth)} | ${fmt(c, c.estimate)} | ${fmt(c, c.lower)} to ${fmt(c, c.upper)} | ${c.covered ? "yes" : "**no**"} |`,
    ),
    "",
    "What each truth is:",
    "",
    ...checks.map((c) => `- ${cell(c.outcome)}, ${c.quantity}: ${c.truthNote}.`),
    ...(notes.length > 0 ? ["", ...notes.map((n) => `- ${n}`)] : []),
    "",
  ];
  const path = join(outDir, "truth-check.md");
  writeFileSync(path, lines.join("\n"));
  return path;
}

/** What each analysis returns: the result, its primary truth, every check, and the files written. */
export interface AnalysisOutput {
  readonly result: EvaluationResult;
  /** The analysis's primary truth (its header says which quantity). */
  readonly truth: number;
  /** Every estimate checked against its truth. */
  readonly checks: readonly TruthCheck[];
  readonly outDir: string;
  readonly files: readonly string[];
}

/** Runs an analysis's evaluation (paths relative to the repository) and writes its report into `outDir`. */
export function evaluateInto(
  config: EvaluationConfigInput,
  outDir: string,
  options: { png?: boolean } = {},
): ReturnType<typeof evaluate> {
  return evaluate(config, { baseDir: REPO_ROOT, outDir, png: options.png ?? true });
}
