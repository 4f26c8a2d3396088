/**
 * Days to MOUD in an evaluation that also has measure outcomes: its adjustment may use the evaluation
 * cohort's covariates (computed once) when its people are cohort persons at the same index event. The
 * result must be the one computed from the outcome's own covariates, for weighted and matched designs.
 */
import { describe, expect, it } from "vitest";
import { type EvaluationCohort, evaluationCohort } from "../../src/evaluate/cohort.js";
import { parseEvaluationConfig } from "../../src/evaluate/config.js";
import { daysToMoudSteps } from "../../src/evaluate/outcome-days-to-moud.js";
import { EVALUATION_TABLES } from "../../src/evaluate/run.js";
import { runSteps } from "../../src/evaluate/tasks.js";
import { loadDataset } from "../../src/io/load-dataset.js";

const COVARIATES = ["age", "sex", "payer", "housing", "index_type", "prior_ed_visits_365", "prior_moud_365"];

/** The cohort with its shared age values replaced (to see whether an outcome reads them). */
function withAgeShifted(cohort: EvaluationCohort, by: number): EvaluationCohort {
  const shared = cohort.adjustmentCovariates;
  if (!shared) throw new Error("no adjustment covariates");
  return {
    ...cohort,
    adjustmentCovariates: {
      ...shared,
      values: shared.values.map((v) =>
        v.kind === "numeric" && v.name === "age" ? { ...v, values: v.values.map((x) => x + by) } : v,
      ),
    },
  };
}

describe("days to MOUD with the evaluation cohort's covariates", async () => {
  const load = await loadDataset("examples/synthetic-ed", { tables: [...EVALUATION_TABLES] });
  const setup = (design: Record<string, unknown>) => {
    const parsed = parseEvaluationConfig({
      data: "examples/synthetic-ed",
      design,
      outcomes: [{ measure: "daysToMoud" }, { measure: "edUtilization" }],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const config = parsed.config;
    const outcome = config.outcomes[0];
    if (outcome?.measure !== "daysToMoud") throw new Error("config");
    return { config, outcome, cohort: evaluationCohort(load.dataset, config) };
  };
  const json = (x: unknown) => JSON.parse(JSON.stringify(x));

  for (const design of [
    { kind: "weighted", covariates: COVARIATES, estimand: "ATT" },
    { kind: "matched", covariates: COVARIATES, caliper: 0.2, exact: ["sex", "payer"] },
  ]) {
    it(`${design.kind}: the same result as from its own covariates, which come from the cohort`, () => {
      const { config, outcome, cohort } = setup(design);
      const own = runSteps(daysToMoudSteps(load.dataset, config, outcome));
      const shared = runSteps(daysToMoudSteps(load.dataset, config, outcome, () => cohort));
      expect(shared.comparability).not.toBeNull();
      expect(json(shared)).toEqual(json(own));
      // Most people's index event is the cohort's (12 of 2,326 differ: a later first new episode), so
      // altered cohort values change the outcome's balance table.
      const altered = runSteps(
        daysToMoudSteps(load.dataset, config, outcome, () => withAgeShifted(cohort, 50)),
      );
      expect(json(altered.comparability?.balance)).not.toEqual(json(own.comparability?.balance));
    });
  }

  it("computes its own covariates for units whose index event is not the cohort's", () => {
    const { config, outcome, cohort } = setup({ kind: "weighted", covariates: COVARIATES, estimand: "ATT" });
    const own = runSteps(daysToMoudSteps(load.dataset, config, outcome));
    // No person at the index event of any unit, and the cohort's values altered: none may be used.
    const shifted: EvaluationCohort = {
      ...withAgeShifted(cohort, 50),
      indexRow: cohort.indexRow.map(() => -5),
    };
    const fallback = runSteps(daysToMoudSteps(load.dataset, config, outcome, () => shifted));
    expect(json(fallback)).toEqual(json(own));
  });
});
