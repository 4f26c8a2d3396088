/**
 * Worker thread of `task-pool.ts`: computes outcome tasks (`runTask`) and answers on the results port.
 * A job is taken only if the main thread has not taken it first (compare-and-swap on the job's shared
 * state word); a task that throws is answered "failed" and the main thread computes it itself, so the
 * error is raised where it would be without the worker.
 */
import { type MessagePort, parentPort } from "node:worker_threads";
import type { CovariateColumnValues } from "./covariates.js";
import { JOB_DONE, JOB_PENDING, JOB_RUNNING, type PoolMessage, type SentTask } from "./task-pool-protocol.js";
import { runTask, type Task } from "./tasks.js";

let results: MessagePort | null = null;
const valueSets = new Map<number, { values: CovariateColumnValues[]; exact: CovariateColumnValues[] }>();

function received(sent: SentTask): Task {
  if (sent.kind !== "adjust") return sent;
  const set = valueSets.get(sent.valuesKey);
  if (!set) throw new Error("unknown covariate set");
  return { kind: "adjust", request: { ...sent.request, ...set } };
}

parentPort?.on("message", (m: PoolMessage) => {
  switch (m.type) {
    case "init":
      results = m.port;
      return;
    case "values":
      valueSets.set(m.key, { values: m.values, exact: m.exact });
      return;
    case "job": {
      if (Atomics.compareExchange(m.state, 0, JOB_PENDING, JOB_RUNNING) !== JOB_PENDING) return;
      Atomics.notify(m.state, 0);
      let answer: unknown;
      try {
        answer = { type: "done", id: m.id, result: runTask(received(m.task)) };
      } catch {
        answer = { type: "failed", id: m.id };
      }
      results?.postMessage(answer);
      Atomics.store(m.state, 0, JOB_DONE);
      Atomics.notify(m.state, 0);
      return;
    }
  }
});
