/**
 * `prss validate DIR [--strict] [--json]`: loads a data folder against the data dictionary and prints
 * the issues grouped by rule with their locations, and the rows read/accepted/rejected per file.
 * Exit code 0 when there is no error (warnings allowed), 1 when there are errors, 2 for usage errors
 * (bad arguments, DIR absent or not a folder).
 */
import { DICTIONARY_VERSION } from "../../data-dictionary/index.js";
import { formatFileCounts, formatIssues } from "../dictionary/format-issues.js";
import { LOAD_ISSUE_SEVERITY, type LoadIssue } from "../dictionary/issues.js";
import type { LoadResult } from "../dictionary/load-result.js";
import { DataFolderError, loadDataset } from "../io/load-dataset.js";
import type { CliIo } from "./io.js";

/** Help text of `prss validate`. */
export const VALIDATE_HELP = `prss validate — check a data folder against the data dictionary (version ${DICTIONARY_VERSION})

Usage: prss validate DIR [--strict] [--json]

DIR holds one CSV per table (persons.csv is required; see data-dictionary/codebook.md).
Every row is checked: types, dates, codes, ranges, keys, foreign keys, date order, events after
death or outside observation. Errors reject the row; warnings keep it.

Options:
  --strict   any error fails the whole load (the dataset is empty); all issues are still listed
  --json     print a machine-readable JSON report instead of text
  --help     show this help

Exit codes: 0 no errors (warnings allowed), 1 the data has errors, 2 usage error.`;

interface ParsedArgs {
  readonly dir: string;
  readonly strict: boolean;
  readonly json: boolean;
}

function parseArgs(
  argv: readonly string[],
): ParsedArgs | { readonly help: true } | { readonly error: string } {
  let dir: string | null = null;
  let strict = false;
  let json = false;
  for (const arg of argv) {
    if (arg === "--help" || arg === "-h") return { help: true };
    if (arg === "--strict") strict = true;
    else if (arg === "--json") json = true;
    else if (arg.startsWith("-")) return { error: `unknown option ${arg}` };
    else if (dir === null) dir = arg;
    else return { error: `unexpected argument ${arg} (one DIR only)` };
  }
  if (dir === null) return { error: "missing DIR (the folder holding the table CSV files)" };
  return { dir, strict, json };
}

/** Exact error and warning counts (the issue list may be capped per file and code). */
export function countIssues(result: LoadResult): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  const counted = new Set(result.files.map((f) => f.file));
  for (const f of result.files) {
    for (const [code, n] of Object.entries(f.issueCounts)) {
      if (LOAD_ISSUE_SEVERITY[code as LoadIssue["code"]] === "error") errors += n ?? 0;
      else warnings += n ?? 0;
    }
  }
  for (const issue of result.issues) {
    if (counted.has(issue.file) || issue.code === "ISSUES_TRUNCATED") continue;
    if (issue.severity === "error") errors++;
    else warnings++;
  }
  return { errors, warnings };
}

/** Runs `prss validate`; returns the exit code. */
export async function validateCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  if ("help" in args) {
    io.stdout(VALIDATE_HELP);
    return 0;
  }
  if ("error" in args) {
    io.stderr(
      `prss validate: ${args.error}. Usage: prss validate DIR [--strict] [--json]; see prss validate --help.`,
    );
    return 2;
  }
  let result: LoadResult;
  try {
    result = await loadDataset(args.dir, { strict: args.strict });
  } catch (error) {
    if (error instanceof DataFolderError) {
      io.stderr(`prss validate: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const { errors, warnings } = countIssues(result);
  if (args.json) {
    io.stdout(
      JSON.stringify(
        {
          ok: result.ok,
          strict: args.strict,
          dir: args.dir,
          dictionaryVersion: result.dictionaryVersion,
          errors,
          warnings,
          files: result.files,
          checksums: result.checksums,
          issues: result.issues,
        },
        null,
        2,
      ),
    );
  } else {
    const lines = [
      `prss validate ${args.dir} (data dictionary ${result.dictionaryVersion}${args.strict ? ", strict" : ""})`,
      "",
      formatFileCounts(result.files),
      "",
      formatIssues(result.issues),
      "",
      errors === 0
        ? `OK: no errors${warnings > 0 ? `, ${warnings} warning(s)` : ""}.`
        : `FAILED: ${errors} error(s), ${warnings} warning(s).${
            args.strict
              ? " Strict mode: the whole load is rejected."
              : " Rows with errors were rejected; all other rows were kept."
          }`,
    ];
    io.stdout(lines.join("\n"));
  }
  return errors === 0 ? 0 : 1;
}
