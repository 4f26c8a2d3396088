/** Messages and job states shared by `task-pool.ts` (main thread) and `task-worker.ts`. */
import type { MessagePort } from "node:worker_threads";
import type { CovariateColumnValues } from "./covariates.js";
import type { Task } from "./tasks.js";

/** Job state word (Int32Array on a SharedArrayBuffer): waiting, computed by the worker, answered, or taken by the main thread. */
export const JOB_PENDING = 0;
export const JOB_RUNNING = 1;
export const JOB_DONE = 2;
export const JOB_TAKEN = 3;

/**
 * A task as sent: an adjustment's covariates (the same cohort-wide arrays for every outcome) travel
 * once, as a numbered set, and its request names the set.
 */
export type SentTask =
  | Exclude<Task, { kind: "adjust" }>
  | {
      readonly kind: "adjust";
      readonly valuesKey: number;
      readonly request: Omit<Extract<Task, { kind: "adjust" }>["request"], "values" | "exact">;
    };

/** Main → worker. */
export type PoolMessage =
  | { readonly type: "init"; readonly port: MessagePort }
  | {
      readonly type: "values";
      readonly key: number;
      readonly values: CovariateColumnValues[];
      readonly exact: CovariateColumnValues[];
    }
  | { readonly type: "job"; readonly id: number; readonly state: Int32Array; readonly task: SentTask };

/** Worker → main, on the results port. */
export type PoolAnswer =
  | { readonly type: "done"; readonly id: number; readonly result: unknown }
  | { readonly type: "failed"; readonly id: number };
