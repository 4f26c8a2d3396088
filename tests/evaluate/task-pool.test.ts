/**
 * Computing the outcomes' tasks (adjustments, effects, time-to-event analyses) on a worker thread gives
 * the result of computing them in the main thread: whole evaluations with weighted and matched designs
 * (the worker is forced on at this small size; which thread computes which task depends on timing), and
 * the pool itself with jobs the worker is known to have taken.
 */
import { describe, expect, it } from "vitest";
import { adjustRequested } from "../../src/evaluate/adjust.js";
import { evaluationCohort } from "../../src/evaluate/cohort.js";
import { parseEvaluationConfig } from "../../src/evaluate/config.js";
import { evaluateLoaded } from "../../src/evaluate/evaluate.js";
import { EVALUATION_TABLES } from "../../src/evaluate/run.js";
import { TaskPool } from "../../src/evaluate/task-pool.js";
import { JOB_PENDING } from "../../src/evaluate/task-pool-protocol.js";
import { runTask, type Task } from "../../src/evaluate/tasks.js";
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

describe("evaluations with a worker thread", async () => {
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

describe("TaskPool", async () => {
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
    const pool = TaskPool.start();
    expect(pool).not.toBeNull();
    try {
      const request = cohortOf("indicator");
      const ticket = pool!.submit({ kind: "adjust", request });
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
    const pool = TaskPool.start()!;
    try {
      const ticket = pool.submit({ kind: "adjust", request });
      Atomics.wait(ticket.state, 0, JOB_PENDING, 60_000);
      expect(() => pool.result(ticket)).toThrow(/is missing for/);
    } finally {
      pool.close();
    }
  });
});

describe("TaskPool with effect and time-to-event tasks", () => {
  const n = 4000;
  const treat = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const y = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 11 < (treat[i] ? 4 : 3) ? 1 : 0));
  const weights = Float64Array.from({ length: n }, (_, i) => 0.5 + ((i * 104729) % 97) / 50);
  const tasks: Task[] = [
    {
      kind: "effect",
      input: { treat, outcome: { type: "binary", y }, weights },
      options: { confLevel: 0.95, estimand: "ATT" },
    },
    {
      kind: "timeToEvent",
      data: {
        time: Array.from({ length: n }, (_, i) => 1 + ((i * 31) % 200)),
        event: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : i % 7 === 0 ? 2 : 1)),
        group: Array.from({ length: n }, (_, i) => (treat[i] ? "PEER" : "COMPARISON")),
        day0: Array.from({ length: n }, () => 0),
      },
      options: {
        timepoints: [7, 30, 90],
        contrastDay: 30,
        horizonDays: 200,
        confLevel: 0.95,
        smallCellThreshold: 10,
        comparisonGroup: "PEER",
        referenceGroup: "COMPARISON",
      },
    },
  ];
  for (const task of tasks) {
    it(`${task.kind}: the worker's answer equals the in-thread result`, () => {
      const pool = TaskPool.start()!;
      try {
        const ticket = pool.submit(task);
        Atomics.wait(ticket.state, 0, JOB_PENDING, 60_000);
        expect(pool.pending(ticket)).toBe(false);
        expect(JSON.parse(JSON.stringify(pool.result(ticket)))).toEqual(
          JSON.parse(JSON.stringify(runTask(task))),
        );
      } finally {
        pool.close();
      }
    });
  }
});
