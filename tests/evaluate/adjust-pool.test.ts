/**
 * Fitting the adjustments on a worker thread gives the result of fitting them in the main thread, for
 * weighted and matched designs with several outcomes (the worker is forced on at this small size;
 * which thread fits which outcome depends on timing, so the pool itself is checked below with a job
 * the worker is known to have taken).
 */
import { describe, expect, it } from "vitest";
import { adjustRequested } from "../../src/evaluate/adjust.js";
import { AdjustPool } from "../../src/evaluate/adjust-pool.js";
import { JOB_PENDING } from "../../src/evaluate/adjust-pool-protocol.js";
import { evaluationCohort } from "../../src/evaluate/cohort.js";
import { parseEvaluationConfig } from "../../src/evaluate/config.js";
import { evaluateLoaded } from "../../src/evaluate/evaluate.js";
import { EVALUATION_TABLES } from "../../src/evaluate/run.js";
import { loadDataset } from "../../src/io/load-dataset.js";

const context = { nodeVersion: "test", generatedAt: "2026-01-01T00:00:00Z" };
const COVARIATES = ["age", "sex", "payer", "housing", "index_type", "prior_ed_visits_365", "prior_moud_365"];
const OUTCOMES = [
  { measure: "daysToMoud" },
  { measure: "edUtilization" },
  { measure: "moudRetention" },
  { measure: "recoveryCapital" },
  { measure: "followUpAfterEd" },
];

describe("adjustments on a worker thread", async () => {
  const load = await loadDataset("examples/synthetic-ed", { tables: [...EVALUATION_TABLES] });
  for (const design of [
    { kind: "weighted", covariates: COVARIATES, estimand: "ATT" },
    { kind: "matched", covariates: COVARIATES, caliper: 0.2, exact: ["sex"] },
  ]) {
    it(`${design.kind}: the same result with and without the worker`, () => {
      const parsed = parseEvaluationConfig({ data: "examples/synthetic-ed", design, outcomes: OUTCOMES });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      const inThread = evaluateLoaded(parsed.config, load, context, { worker: false });
      const withWorker = evaluateLoaded(parsed.config, load, context, { worker: true });
      expect(withWorker.outcomes.length).toBe(OUTCOMES.length);
      expect(withWorker.outcomes.every((o) => o.comparability !== null)).toBe(true);
      expect(JSON.parse(JSON.stringify(withWorker))).toEqual(JSON.parse(JSON.stringify(inThread)));
    });
  }
});

describe("AdjustPool", async () => {
  const load = await loadDataset("examples/synthetic-ed", { tables: [...EVALUATION_TABLES] });
  const cohortOf = (numericMissing: "indicator" | "error") => {
    const parsed = parseEvaluationConfig({
      data: "examples/synthetic-ed",
      design: { kind: "weighted", covariates: COVARIATES, estimand: "ATE", numericMissing },
      outcomes: [{ measure: "edUtilization" }],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const cohort = evaluationCohort(load.dataset, parsed.config);
    const request = cohort.adjustmentRequest;
    if (!request) throw new Error("no adjustment");
    // Every second person of the cohort.
    return request(Array.from({ length: Math.floor(cohort.personId.length / 2) }, (_, i) => 2 * i));
  };

  it("the worker takes a job and answers with the in-thread fit", () => {
    const pool = AdjustPool.start();
    expect(pool).not.toBeNull();
    try {
      const request = cohortOf("indicator");
      const ticket = pool!.submit(request);
      // Wait (up to 60 s) until the worker has taken the job, so that its answer is what is checked.
      Atomics.wait(ticket.state, 0, JOB_PENDING, 60_000);
      expect(Atomics.load(ticket.state, 0)).not.toBe(JOB_PENDING);
      const fromWorker = pool!.result(ticket);
      expect(JSON.parse(JSON.stringify(fromWorker))).toEqual(
        JSON.parse(JSON.stringify(adjustRequested(request))),
      );
    } finally {
      pool!.close();
    }
  });

  it("an error in the worker is raised in the calling thread, as without the worker", () => {
    const request = cohortOf("error");
    expect(() => adjustRequested(request)).toThrow(/is missing for/);
    const pool = AdjustPool.start()!;
    try {
      const ticket = pool.submit(request);
      Atomics.wait(ticket.state, 0, JOB_PENDING, 60_000);
      expect(() => pool.result(ticket)).toThrow(/is missing for/);
    } finally {
      pool.close();
    }
  });
});
