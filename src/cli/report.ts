/**
 * `prss report RESULTS [--out DIR] [--no-png]`: re-renders the report from a results.json written by
 * `prss evaluate` (the report is a function of the result alone).
 */
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { EvaluationResult } from "../evaluate/result.js";
import { toReportInput } from "../evaluate/to-report.js";
import { writeReport } from "../report/write.js";
import { parseCommandArgs, UsageError } from "./args.js";
import type { CliIo } from "./io.js";

const HELP = `prss report RESULTS [options]

Re-renders report.html, report.md and charts/ from a results.json written by "prss evaluate".

Options:
  --out DIR    output folder (default: the folder of RESULTS)
  --no-png     write charts as SVG only
  --json       print the list of written files as JSON
  -h, --help   this help`;

/** The `prss report` command. */
export async function reportCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs(argv, {
      out: { type: "string" },
      "no-png": { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    const path = positionals[0];
    if (!path || positionals.length > 1) throw new UsageError("expected exactly one RESULTS file");
    let result: EvaluationResult;
    try {
      result = JSON.parse(await readFile(path, "utf8")) as EvaluationResult;
    } catch (error) {
      throw new UsageError(
        `cannot read ${path} as JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (!result || typeof result !== "object" || !Array.isArray(result.outcomes) || !result.manifest) {
      throw new UsageError(`${path} is not a prss-eval results.json (no outcomes or manifest)`);
    }
    const outDir = values.out ?? dirname(path);
    const written = await writeReport(outDir, toReportInput(result), { png: !values["no-png"] });
    if (values.json) io.stdout(JSON.stringify({ dir: outDir, files: written.files }, null, 2));
    else io.stdout(`Wrote ${written.files.join(", ")} to ${outDir}`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`prss report: ${error.message}\nSee prss report --help.`);
      return 2;
    }
    throw error;
  }
}
