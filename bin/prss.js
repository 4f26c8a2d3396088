#!/usr/bin/env node
// Launches the TypeScript CLI through tsx so the package runs without a build step.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const tsxCli = join(dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");
const result = spawnSync(
  process.execPath,
  [tsxCli, join(here, "..", "src", "cli.ts"), ...process.argv.slice(2)],
  {
    stdio: "inherit",
  },
);
process.exit(result.status ?? 1);
