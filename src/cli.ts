/**
 * The `prss` command: validate, synth, evaluate, report, dictionary. Each subcommand lives in
 * `src/cli/<name>.ts` and returns an exit code; this file only dispatches and turns unexpected
 * failures into one clear line (never a stack trace unless PRSS_DEBUG=1).
 */
import process from "node:process";
import type { CliIo } from "./cli/io.js";

const HELP = `prss — evaluate peer recovery support services

Usage: prss <command> [options]

Commands:
  validate DIR        check a data folder against the data dictionary; issues grouped by rule
  synth               write a synthetic dataset (all tables) with known true effects
  evaluate CONFIG     run an evaluation from a JSON config; writes report.html and results.json
  report RESULTS      re-render the report from a results.json
  dictionary          print the codebook (Markdown) or the JSON Schema of the data dictionary

Run "prss <command> --help" for a command's options. Every command accepts --json.
Exit codes: 0 success, 1 the data or evaluation has errors, 2 usage or configuration error.`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => (await import("./cli/validate.js")).validateCommand,
  synth: async () => (await import("./cli/synth.js")).synthCommand,
  evaluate: async () => (await import("./cli/evaluate.js")).evaluateCommand,
  report: async () => (await import("./cli/report.js")).reportCommand,
  dictionary: async () => (await import("./cli/dictionary.js")).dictionaryCommand,
};

/** Runs the CLI with the given arguments (without `node` and the script path). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    const { PACKAGE_VERSION } = await import("./version.js");
    io.stdout(PACKAGE_VERSION);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr(
      `prss: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(", ")}. See prss --help.`,
    );
    return 2;
  }
  const command = await load();
  return command(rest, io);
}

const isEntry = process.argv[1] !== undefined && /cli\.(ts|js)$/.test(process.argv[1]);
if (isEntry) {
  // A closed pipe (prss dictionary | head) ends the output quietly instead of a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const io: CliIo = {
    stdout: (s) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`),
    stderr: (s) => process.stderr.write(s.endsWith("\n") ? s : `${s}\n`),
    isTTY: Boolean(process.stderr.isTTY),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      io.stderr(`prss: ${message}`);
      if (process.env.PRSS_DEBUG === "1" && error instanceof Error && error.stack) io.stderr(error.stack);
      process.exitCode = 1;
    },
  );
}
