/** Small argument-parsing helpers shared by the CLI commands (node:util parseArgs with clear errors). */
import { type ParseArgsConfig, parseArgs } from "node:util";

/** A usage problem: printed as one line with the command's help hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** parseArgs that reports unknown options and missing values as a UsageError instead of throwing raw. */
export function parseCommandArgs<T extends ParseArgsConfig["options"]>(
  argv: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
