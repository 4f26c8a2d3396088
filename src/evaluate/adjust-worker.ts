/**
 * Worker thread of `adjust-pool.ts`: fits requested matched or weighted adjustments (`adjustRequested`)
 * and answers on the results port. A job is taken only if the main thread has not taken it first
 * (compare-and-swap on the job's shared state word); a job that throws is answered "failed" and the
 * main thread fits it itself, so the error is raised where it would be without the worker.
 */
import { type MessagePort, parentPort } from "node:worker_threads";
import { adjustRequested } from "./adjust.js";
import { JOB_DONE, JOB_PENDING, JOB_RUNNING, type PoolMessage } from "./adjust-pool-protocol.js";
import type { CovariateColumnValues } from "./covariates.js";

let results: MessagePort | null = null;
const valueSets = new Map<number, { values: CovariateColumnValues[]; exact: CovariateColumnValues[] }>();

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
      const set = valueSets.get(m.valuesKey);
      let answer: unknown;
      try {
        if (!set) throw new Error("unknown covariate set");
        answer = { type: "done", id: m.id, adjustment: adjustRequested({ ...m.request, ...set }) };
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
