/**
 * `prss evaluate CONFIG [--out DIR] [--json] [--no-png]`: runs the evaluation a config describes and
 * writes report.html, report.md, charts/*.svg|png and results.json.
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, extname, isAbsolute, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { type EvaluationConfig, parseEvaluationConfig } from "../evaluate/config.js";
import type { EvaluationResult } from "../evaluate/result.js";
import { evaluate } from "../evaluate/run.js";
import { DataFolderError } from "../io/load-dataset.js";
import { InvalidInputError } from "../stats/errors.js";
import { parseCommandArgs, UsageError } from "./args.js";
import type { CliIo } from "./io.js";
import { progress } from "./progress.js";

const HELP = `prss evaluate CONFIG [options]

Runs the evaluation described by CONFIG (a JSON or YAML file (.yaml/.yml); see
schemas/evaluation-config.schema.json).
Paths in the config are relative to the config file.

Options:
  --out DIR     output folder (default: the config's "output", else output/<config name>)
  --no-png      write charts as SVG only
  --json        print the results JSON to stdout instead of a summary
  -h, --help    this help

Writes DIR/report.html (self-contained), DIR/report.md, DIR/charts/*.svg and *.png, DIR/results.json.
Exit codes: 0 done, 1 the data has errors in strict mode or the evaluation failed, 2 usage/config error.`;

/** Reads and validates a config file; throws UsageError with every located problem. */
export async function readConfigFile(path: string): Promise<{ config: EvaluationConfig; raw: unknown }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new UsageError(`cannot read config file ${path}`);
  }
  let raw: unknown;
  const yamlFile = /\.ya?ml$/i.test(path);
  try {
    raw = yamlFile ? parseYaml(text, { prettyErrors: true }) : JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${path} is not valid ${yamlFile ? "YAML" : "JSON"}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = parseEvaluationConfig(raw);
  if (!parsed.ok) {
    const lines = parsed.issues.map((i) => `  ${i.path}: ${i.message}`);
    throw new UsageError(`invalid config ${path}:\n${lines.join("\n")}`);
  }
  return { config: parsed.config, raw };
}

/** Runs an evaluation from a config file path; returns the result and the output folder. */
export async function runEvaluation(
  configPath: string,
  options: { out?: string; png?: boolean; io?: CliIo } = {},
): Promise<{ result: EvaluationResult; outDir: string; files: readonly string[] }> {
  const { config } = await readConfigFile(configPath);
  const base = dirname(resolve(configPath));
  const outDir =
    options.out ??
    (config.output
      ? isAbsolute(config.output)
        ? config.output
        : join(base, config.output)
      : join("output", basename(configPath, extname(configPath))));
  const bar = progress(options.io, "evaluate");
  const { result, files } = await evaluate(config, {
    baseDir: base,
    outDir,
    png: options.png ?? true,
    onStep: (step) => bar.step(step),
  });
  bar.done();
  return { result, outDir, files };
}

/** The `prss evaluate` command. */
export async function evaluateCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs(argv, {
      out: { type: "string" },
      json: { type: "boolean" },
      "no-png": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    const configPath = positionals[0];
    if (!configPath || positionals.length > 1) throw new UsageError("expected exactly one CONFIG file");
    const { result, outDir, files } = await runEvaluation(configPath, {
      ...(values.out ? { out: values.out } : {}),
      png: !values["no-png"],
      io,
    });
    if (values.json) {
      io.stdout(JSON.stringify(result, null, 2));
    } else {
      io.stdout(summaryOf(result, outDir, files));
    }
    return hasNoOutcome(result) ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`prss evaluate: ${error.message}\nSee prss evaluate --help.`);
      return 2;
    }
    if (error instanceof DataFolderError) {
      io.stderr(`prss evaluate: ${error.message}`);
      return 2;
    }
    if (error instanceof InvalidInputError) {
      // The data cannot support the configured analysis (e.g. a missing covariate under numericMissing
      // "error", a table a covariate needs, both arms required, infinite ATE weights).
      io.stderr(`prss evaluate: the evaluation failed: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

function hasNoOutcome(result: EvaluationResult): boolean {
  return result.outcomes.length === 0;
}

function summaryOf(result: EvaluationResult, outDir: string, files: readonly string[]): string {
  const lines = [`${result.title}`, `Design: ${result.design.kind}`];
  for (const o of result.outcomes) {
    lines.push(`${o.title}:`);
    const c = o.comparability;
    if (c) {
      lines.push(
        `  ${c.design === "matched" ? "Matched" : "Weighted"} (${c.estimand}): balance ${c.balance.allBalanced ? "achieved" : "NOT achieved"} (max |SMD| ${c.balance.maxAbsSmdBefore?.toFixed(3) ?? "n/a"} before, ${c.balance.maxAbsSmdAfter?.toFixed(3) ?? "n/a"} after); effective sample size ${c.sampleSize.treated.ess.toFixed(1)} / ${c.sampleSize.control.ess.toFixed(1)}`,
      );
    }
    if (o.kind === "timeToEvent") {
      for (const g of o.groups) {
        const v = g.cumulativeIncidence.find((x) => x.time === Number(o.measure.params.contrastDay));
        lines.push(
          `  ${g.group}: n=${g.n}, events=${g.nEvents}, deaths=${g.nCompeting}, cumulative incidence at day ${v?.time}: ${v?.estimate === null || v === undefined ? "n/a" : (100 * v.estimate).toFixed(1)}%`,
        );
      }
    } else {
      const f = (x: number | null) =>
        x === null ? "n/a" : o.valueType === "proportion" ? `${(100 * x).toFixed(1)}%` : x.toFixed(2);
      for (const g of o.groups) {
        lines.push(
          `  ${g.group}: n=${g.n}, ${o.valueLabel}: ${f(g.estimate)} (${f(g.lower)} to ${f(g.upper)})${g.pre ? `; before: ${f(g.pre.estimate)}` : ""}`,
        );
      }
    }
    for (const e of o.effects) {
      const f = (x: number | null) => (x === null ? "n/a" : x.toFixed(3));
      lines.push(`  ${e.label}: ${f(e.estimate)} (${f(e.lower)} to ${f(e.upper)})`);
    }
  }
  lines.push(`Wrote ${files.length} files to ${outDir}: report.html, report.md, results.json, charts/`);
  return lines.join("\n");
}
