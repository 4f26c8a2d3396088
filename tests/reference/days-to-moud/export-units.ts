/**
 * Writes the analysed days-to-MOUD units of examples/synthetic-rct (time, event, arm) to units.csv,
 * the input of make-days-to-moud.R. Run from the repository root:
 *   npx tsx tests/reference/days-to-moud/export-units.ts && Rscript tests/reference/days-to-moud/make-days-to-moud.R
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadDataset } from "../../../src/io/load-dataset.js";
import { daysToMoud } from "../../../src/measures/days-to-moud.js";

const here = join("tests", "reference", "days-to-moud");
const load = await loadDataset(join("examples", "synthetic-rct"));
const d = load.dataset;
if (!d.persons || !d.index_events) throw new Error("example data missing");
const result = daysToMoud(
  {
    persons: d.persons,
    index_events: d.index_events,
    medication_events: d.medication_events,
    observation_periods: d.observation_periods,
    arms: d.arms,
  },
  { horizonDays: 365 },
);
const lines = ["time,event,arm"];
const u = result.units;
for (let k = 0; k < u.reason.length; k++) {
  if (u.reason[k] === "INCLUDED" && u.arm[k] !== null) lines.push(`${u.time[k]},${u.event[k]},${u.arm[k]}`);
}
writeFileSync(join(here, "units.csv"), `${lines.join("\n")}\n`);
console.log(`wrote ${lines.length - 1} units`);
