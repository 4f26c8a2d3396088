/**
 * Writes the unit tables of the measures that the evaluate reference uses (ED utilization, MOUD
 * retention, recovery capital) for both examples into OUT_DIR as CSV, with the parameters that
 * `evaluate` passes. make-evaluate-measures.R joins them to arms.csv / persons.csv itself.
 *
 *   npx tsx tests/reference/evaluate-measures/export-units.ts OUT_DIR
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  EdUtilizationMeasure,
  evaluationCohort,
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
}
// The weighted design's person weights (ATT) on the observational example, for the weighted contrasts.
export const WEIGHTED_DESIGN = {
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
const cohort = evaluationCohort((await loadDataset("examples/synthetic-ed")).dataset, parsed.config);
writeFileSync(
  join(out, "synthetic-ed-weights.csv"),
  `person_id,weight\n${cohort.personId.map((p, i) => `${p},${cohort.weights[i]}`).join("\n")}\n`,
);
console.log(`wrote unit tables to ${out}`);
