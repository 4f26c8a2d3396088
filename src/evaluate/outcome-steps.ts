/**
 * An outcome's computation as steps: the outcome yields the request for its matched or weighted
 * adjustment and resumes with the fitted adjustment. Whoever drives the steps decides where the fit
 * runs — here, in this thread (`runSteps`), or in a worker while this thread derives the next
 * outcome's measure (`src/evaluate/adjust-pool.ts`).
 */
import { type Adjustment, type AdjustmentRequest, adjustRequested } from "./adjust.js";

/** Steps of one outcome: yields adjustment requests, returns the outcome's result. */
export type OutcomeSteps<T> = Generator<AdjustmentRequest, T, Adjustment>;

/** Runs the steps to the end, fitting every requested adjustment in this thread. */
export function runSteps<T>(steps: OutcomeSteps<T>): T {
  let r = steps.next();
  while (!r.done) r = steps.next(adjustRequested(r.value));
  return r.value;
}
