/**
 * `npm run bench [-- NAME …]`: runs every benchmark (or the named ones), each in its own process so
 * peak-memory figures are per benchmark. Targets are measured here, never asserted in tests.
 * Benchmarks that compare with R run R themselves when Rscript is installed.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const ALL = ["load", "synth", "survival-km", "cox", "glm", "compare", "measures", "evaluate"];
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ALL;
const tsx = join(here, "..", "node_modules", ".bin", "tsx");
let failed = 0;
for (const name of chosen) {
  const file = join(here, `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`bench: no benchmark "${name}" (have: ${ALL.join(", ")})`);
    failed++;
    continue;
  }
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(tsx, [file], { stdio: "inherit" });
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
