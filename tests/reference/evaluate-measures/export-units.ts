/**
 * Writes the unit tables of the measures that the evaluate reference uses (ED utilization, MOUD
 * retention, recovery capital) for both examples into OUT_DIR as CSV, with the parameters that
 * `evaluate` passes. make-evaluate-measures.R joins them to arms.csv / persons.csv itself.
 *
 *   npx tsx tests/reference/evaluate-measures/export-units.ts OUT_DIR
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { adjustRequested } from "../../../src/evaluate/adjust.js";
import {
  EdUtilizationMeasure,
  evaluationCohort,
  FuaMeasure,
  illustrativeValueSets,
  loadDataset,
  MoudRetentionMeasure,
  parseEvaluationConfig,
  RecoveryCapitalMeasure,
} from "../../../src/index.js";

const out = process.argv[2];
if (!out) throw new Error("usage: export-units.ts OUT_DIR");
mkdirSync(out, { recursive: true });

function csv(table: { columnNames(): string[]; objects(): object[] }): string {
  const cols = table.columnNames();
  const rows = (table.objects() as Record<string, unknown>[]).map((r) =>
    cols.map((c) => (r[c] === null || r[c] === undefined ? "NA" : String(r[c]))).join(","),
  );
  return `${cols.join(",")}\n${rows.join("\n")}\n`;
}

for (const example of ["synthetic-rct", "synthetic-ed"]) {
  const load = await loadDataset(join("examples", example));
  const d = load.dataset as never;
  const ed = EdUtilizationMeasure.edUtilization(d, {
    windowDays: 180,
    preWindowDays: 180,
    indexSelection: "first",
  });
  writeFileSync(join(out, `${example}-ed.csv`), csv(ed.units));
  const mr = MoudRetentionMeasure.moudRetention(d, { thresholds: [30, 90, 180, 365] });
  writeFileSync(join(out, `${example}-moud-retention.csv`), csv(mr.units));
  const rc = RecoveryCapitalMeasure.recoveryCapital(d, { instrument: "BARC10" });
  writeFileSync(join(out, `${example}-recovery-capital.csv`), csv(rc.units));
  const fu = FuaMeasure.fua(d, illustrativeValueSets());
  writeFileSync(join(out, `${example}-fua.csv`), csv(fu.units));
}
// The weighted design's ATT weights on the observational example, fitted per outcome among the people
// analysed for it (ED visits: follow-up time after the index; BARC-10: intake and 6-month totals).
const WEIGHTED_DESIGN = {
  kind: "weighted",
  covariates: [
    "age",
    "sex",
    "housing",
    "payer",
    "prior_ed_visits_365_group",
    "prior_overdose_365",
    "prior_moud_365",
  ],
  estimand: "ATT",
} as const;
const parsed = parseEvaluationConfig({
  data: "x",
  design: WEIGHTED_DESIGN,
  outcomes: [{ measure: "edUtilization" }],
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const edLoad = await loadDataset("examples/synthetic-ed");
const cohort = evaluationCohort(edLoad.dataset, parsed.config);
const request = cohort.adjustmentRequest;
if (!request) throw new Error("no adjustment");
const analysedPersons = (units: { objects(): object[] }, keep: (r: Record<string, unknown>) => boolean) => {
  const seen = new Set<string>();
  for (const r of units.objects() as Record<string, unknown>[]) {
    const p = r.person_id as string;
    if (keep(r) && cohort.positionOf.has(p) && !seen.has(p)) seen.add(p);
  }
  return [...seen];
};
const d2 = edLoad.dataset as never;
const outcomes = {
  ed: analysedPersons(
    EdUtilizationMeasure.edUtilization(d2, { windowDays: 180, preWindowDays: 180, indexSelection: "first" })
      .units,
    (r) => r.in_denominator === true && typeof r.post_person_days === "number" && r.post_person_days > 0,
  ),
  rc: analysedPersons(
    RecoveryCapitalMeasure.recoveryCapital(d2, { instrument: "BARC10" }).units,
    (r) => r.in_denominator === true && r.wave === "M6" && r.total !== null && r.baseline_total !== null,
  ),
};
for (const [name, persons] of Object.entries(outcomes)) {
  const positions = persons.map((p) => cohort.positionOf.get(p) as number).sort((x, y) => x - y);
  const adj = adjustRequested(request(positions));
  writeFileSync(
    join(out, `synthetic-ed-weights-${name}.csv`),
    `person_id,weight\n${positions.map((p, i) => `${cohort.personId[p]},${adj.weights[i]}`).join("\n")}\n`,
  );
}
console.log(`wrote unit tables to ${out}`);
