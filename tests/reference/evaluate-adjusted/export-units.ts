/**
 * Writes the analysed units of the weighted and matched example designs on examples/synthetic-ed
 * (time, event, arm, weight, matched set) to units-weighted.csv and units-matched.csv, the input of
 * make-evaluate-adjusted.R. No person identifiers. Run from the repository root:
 *   npx tsx tests/reference/evaluate-adjusted/export-units.ts && Rscript tests/reference/evaluate-adjusted/make-evaluate-adjusted.R
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { adjustDesign } from "../../../src/evaluate/adjust.js";
import { parseEvaluationConfig } from "../../../src/evaluate/config.js";
import { loadDataset } from "../../../src/io/load-dataset.js";
import { daysToMoud } from "../../../src/measures/days-to-moud.js";

const here = join("tests", "reference", "evaluate-adjusted");
const load = await loadDataset(join("examples", "synthetic-ed"));
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
const u = result.units;
const eligible: number[] = [];
for (let k = 0; k < u.reason.length; k++)
  if (u.reason[k] === "INCLUDED" && u.arm[k] !== null) eligible.push(k);
const units = {
  personId: eligible.map((k) => u.personId[k] as string),
  indexId: eligible.map((k) => u.indexId[k] as string),
  indexDay: Int32Array.from(eligible, (k) => u.indexDay[k] as number),
  treat: Uint8Array.from(eligible, (k) => (u.arm[k] === "PEER" ? 1 : 0)),
};
for (const [name, file] of [
  ["weighted", "evaluate-days-to-moud.json"],
  ["matched", "evaluate-matched.json"],
] as const) {
  const parsed = parseEvaluationConfig(JSON.parse(readFileSync(join("examples", file), "utf8")));
  if (!parsed.ok) throw new Error(`bad config ${file}`);
  const design = parsed.config.design;
  if (design.kind !== "weighted" && design.kind !== "matched") throw new Error("not an adjusted design");
  const adj = adjustDesign(d, units, design, {
    treatedGroup: "PEER",
    controlGroup: "COMPARISON",
    smallCellThreshold: 10,
    seed: parsed.config.seed,
  });
  const lines = ["time,event,arm,weight,set"];
  eligible.forEach((k, e) => {
    const w = adj.weights[e] as number;
    if (!(w > 0)) return;
    const set = adj.cluster ? (adj.cluster[e] as number) : -1;
    lines.push(`${u.time[k]},${u.event[k]},${u.arm[k]},${w.toPrecision(17)},${set}`);
  });
  writeFileSync(join(here, `units-${name}.csv`), `${lines.join("\n")}\n`);
  console.log(`${name}: wrote ${lines.length - 1} units`);
}
