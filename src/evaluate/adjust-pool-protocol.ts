/** Messages and job states shared by `adjust-pool.ts` (main thread) and `adjust-worker.ts`. */
import type { MessagePort } from "node:worker_threads";
import type { Adjustment, AdjustmentRequest } from "./adjust.js";
import type { CovariateColumnValues } from "./covariates.js";

/** Job state word (Int32Array on a SharedArrayBuffer): waiting, fitted by the worker, answered, or taken by the main thread. */
export const JOB_PENDING = 0;
export const JOB_RUNNING = 1;
export const JOB_DONE = 2;
export const JOB_TAKEN = 3;

/** Main → worker. */
export type PoolMessage =
  | { readonly type: "init"; readonly port: MessagePort }
  | {
      readonly type: "values";
      readonly key: number;
      readonly values: CovariateColumnValues[];
      readonly exact: CovariateColumnValues[];
    }
  | {
      readonly type: "job";
      readonly id: number;
      readonly state: Int32Array;
      readonly valuesKey: number;
      readonly request: Omit<AdjustmentRequest, "values" | "exact">;
    };

/** Worker → main, on the results port. */
export type PoolAnswer =
  | { readonly type: "done"; readonly id: number; readonly adjustment: Adjustment }
  | { readonly type: "failed"; readonly id: number };
