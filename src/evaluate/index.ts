/** One-call evaluation: config schema, the pipeline, the result type and its report input. */

export { type Adjustment, type AdjustmentOptions, type AdjustmentUnits, adjustDesign } from "./adjust.js";
export {
  analyseTimeToEvent,
  type TimeToEventData,
  type TimeToEventOptions,
} from "./analyse-time-to-event.js";
export { type EvaluationCohort, evaluationCohort } from "./cohort.js";
export {
  COVARIATE_NAMES,
  type ConfigIssue,
  type CovariateName,
  EvaluationConfig,
  type EvaluationConfigInput,
  evaluationConfigJsonSchema,
  type MatchedDesignConfig,
  OUTCOME_MEASURES,
  parseEvaluationConfig,
  type WeightedDesignConfig,
} from "./config.js";
export {
  BASELINE_DAYS,
  COVARIATE_CATALOGUE,
  type CovariateDefinition,
  computeCovariates,
  indexEpisodeStart,
  MISSING_LEVEL,
} from "./covariates.js";
export { designDescription, type EvaluationContext, evaluateLoaded } from "./evaluate.js";
export { type CifInfluence, cifInfluenceAt, clusteredSumOfSquares } from "./influence.js";
export type {
  ArmOverlapSummary,
  ArmSampleSize,
  ComparabilityResult,
  CovariateSummary,
  EffectResult as EvaluationEffect,
  EvaluationResult,
  IntervalValue,
  Manifest,
  OutcomeResult,
  Table1Cell,
  Table1Row,
  TestSummary,
  TimepointValue,
  TimeToEventGroup,
  TimeToEventOutcomeResult,
} from "./result.js";
export { RESULT_SCHEMA_VERSION } from "./result.js";
export { EvaluationResultSchema, evaluationResultJsonSchema } from "./result-schema.js";
export {
  type EvaluateOptions,
  type EvaluateOutput,
  EvaluationConfigError,
  evaluate,
} from "./run.js";
export { evaluationSchemaFiles } from "./schemas.js";
export { comparabilitySection, groupLabel, toReportInput } from "./to-report.js";
