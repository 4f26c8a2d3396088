/** One-call evaluation: config schema, the pipeline, the result type and its report input. */

export {
  analyseTimeToEvent,
  type TimeToEventData,
  type TimeToEventOptions,
} from "./analyse-time-to-event.js";
export {
  type ConfigIssue,
  EvaluationConfig,
  type EvaluationConfigInput,
  evaluationConfigJsonSchema,
  parseEvaluationConfig,
} from "./config.js";
export { type EvaluationContext, evaluateLoaded } from "./evaluate.js";
export type {
  EffectResult as EvaluationEffect,
  EvaluationResult,
  IntervalValue,
  Manifest,
  OutcomeResult,
  TestSummary,
  TimepointValue,
  TimeToEventGroup,
  TimeToEventOutcomeResult,
} from "./result.js";
export { RESULT_SCHEMA_VERSION } from "./result.js";
export { groupLabel, toReportInput } from "./to-report.js";
