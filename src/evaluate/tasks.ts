/**
 * The pure computations of an outcome that may run on another thread: fitting a matched or weighted
 * adjustment, estimating an effect between arms, analysing a time-to-event outcome. An outcome's steps
 * (`outcome-steps.ts`) yield tasks and resume with their results; each task is plain data (typed
 * arrays, strings, numbers), so it can be sent to a worker, and `runTask` computes it anywhere with
 * the same result.
 */
import {
  type EffectInput,
  type EffectOptions,
  type EffectResult,
  estimateEffect,
} from "../compare/effects.js";
import { type Adjustment, type AdjustmentRequest, adjustRequested } from "./adjust.js";
import {
  analyseTimeToEvent,
  type TimeToEventAnalysis,
  type TimeToEventData,
  type TimeToEventOptions,
} from "./analyse-time-to-event.js";

/** A computation an outcome hands to whoever drives its steps. */
export type Task =
  | { readonly kind: "adjust"; readonly request: AdjustmentRequest }
  | { readonly kind: "effect"; readonly input: EffectInput; readonly options: EffectOptions }
  | { readonly kind: "timeToEvent"; readonly data: TimeToEventData; readonly options: TimeToEventOptions }
  /**
   * No computation: the outcome has finished a long step of this thread's own work (a measure, the
   * cohort) and lets whoever drives the steps first hand out other outcomes' tasks (see `pause`).
   */
  | { readonly kind: "pause" };

/** Computes a task in this thread. */
export function runTask(task: Task): unknown {
  switch (task.kind) {
    case "adjust":
      return adjustRequested(task.request);
    case "effect":
      return estimateEffect(task.input, task.options);
    case "timeToEvent":
      return analyseTimeToEvent(task.data, task.options);
    case "pause":
      return undefined;
  }
}

/** Steps of one outcome: yield tasks, resume with their results, return the outcome's result. */
export type OutcomeSteps<T> = Generator<Task, T, unknown>;

/** `yield*` this in an outcome's steps: the adjustment fitted for the request. */
export function* adjustmentOf(request: AdjustmentRequest): Generator<Task, Adjustment, unknown> {
  return (yield { kind: "adjust", request }) as Adjustment;
}

/** `yield*` this in an outcome's steps: `estimateEffect(input, options)`. */
export function* effectOf(
  input: EffectInput,
  options: EffectOptions,
): Generator<Task, EffectResult, unknown> {
  return (yield { kind: "effect", input, options }) as EffectResult;
}

/** `yield*` this in an outcome's steps: `analyseTimeToEvent(data, options)`. */
export function* timeToEventOf(
  data: TimeToEventData,
  options: TimeToEventOptions,
): Generator<Task, TimeToEventAnalysis, unknown> {
  return (yield { kind: "timeToEvent", data, options }) as TimeToEventAnalysis;
}

/**
 * `yield*` this in an outcome's steps after a long step that needs this thread (deriving a measure):
 * a driver with a worker resumes other outcomes whose tasks are done, so the worker gets their next
 * tasks, before it continues here. Without a worker it continues at once.
 */
export function* pause(): Generator<Task, void, unknown> {
  yield { kind: "pause" };
}

/** Runs the steps to the end, computing every task in this thread. */
export function runSteps<T>(steps: OutcomeSteps<T>): T {
  let r = steps.next();
  while (!r.done) r = steps.next(runTask(r.value));
  return r.value;
}
