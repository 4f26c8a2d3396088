// Runs vitest and ends with the plain line "N passed, N failed" that CI recognises (TOOLING.md, CI notes).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const report = "vitest-report.json";
rmSync(report, { force: true });
const run = spawnSync(
  "npx",
  [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...process.argv.slice(2).filter((a) => a !== "--no-notebooks"),
  ],
  { stdio: "inherit" },
);
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
} else {
  failed = 1;
}
// The notebooks are executed end to end (Jupyter + tslab); each counts as one test.
if (!process.argv.includes("--no-notebooks") && process.argv.slice(2).length === 0) {
  const notebooks = readdirSync("notebooks").filter((f) => f.endsWith(".ipynb")).sort();
  for (const nb of notebooks) {
    const r = spawnSync("bash", ["scripts/run-notebooks.sh", join("notebooks", nb)], { stdio: "inherit" });
    if (r.status === 0) passed++;
    else failed++;
    console.log(`notebook ${nb}: ${r.status === 0 ? "passed" : "FAILED"}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
