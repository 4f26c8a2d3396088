/** Comparison-group layer: propensity scores, matching, weighting, balance, effects, designs, sensitivity, charts. */
export type {
  BalanceEstimand,
  BalanceInput,
  BalanceOptions,
  BalanceResult,
  BalanceRow,
  BalanceStats,
  BalanceSummary,
} from "./balance.js";
export { balanceTable } from "./balance.js";
export type { ForestRow, LovePlotOptions, OverlapPlotOptions } from "./charts.js";
export { eventStudySpec, forestPlotSpec, lovePlotSpec, overlapPlotSpec } from "./charts.js";
export type {
  CovariateColumn,
  DesignMatrixOptions,
  DesignMatrixResult,
  FactorCoding,
  FactorSpec,
} from "./design-matrix.js";
export { designMatrix } from "./design-matrix.js";
export type {
  AdjustedSample,
  CommonDesignOptions,
  DesignKind,
  DesignResult,
  DidDesignResult,
  ObservationalInput,
  PrePostDesignResult,
} from "./designs.js";
export {
  differenceInDifferencesDesign,
  matchedDesign,
  prePostDesign,
  randomizedDesign,
  weightedDesign,
} from "./designs.js";
export type { DidInput, DidOptions, DidResult, EventStudyPoint } from "./did.js";
export { differenceInDifferences } from "./did.js";
export type {
  ArmEstimate,
  EffectInput,
  EffectMeasure,
  EffectOptions,
  EffectResult,
  EffectVariance,
  Outcome,
  PropensityAdjustment,
} from "./effects.js";
export { estimateEffect } from "./effects.js";
export type { EValueInput, EValueMeasure, EValueResult } from "./evalue.js";
export { eValue, evalueOfRiskRatio } from "./evalue.js";
export type {
  CaliperInfo,
  MatchDistance,
  MatchInput,
  MatchOptions,
  MatchOrder,
  MatchResult,
  UnmatchedReason,
} from "./matching.js";
export { matchNearest, UNMATCHED_REASONS } from "./matching.js";
export {
  type MeasureContrastOptions,
  type MeasureContrastResult,
  measureContrast,
} from "./measure-contrast.js";
export type { PairedInput, PairedResult } from "./paired.js";
export { pairedChange } from "./paired.js";
export type {
  ArmOverlap,
  OverlapDiagnostics,
  PropensityInput,
  PropensityOptions,
  PropensityScoreResult,
} from "./propensity.js";
export { propensityScore } from "./propensity.js";
export type { SubgroupInput, SubgroupLevel, SubgroupOptions, SubgroupResult } from "./subgroups.js";
export { subgroupEffects } from "./subgroups.js";
export type { TimeZeroInput, TimeZeroOptions, TimeZeroResult } from "./time-zero.js";
export { alignExposure, ExposureAfterTimeZeroError } from "./time-zero.js";
export type {
  ArmWeightSummary,
  PropensityWeightsOptions,
  TrimOptions,
  WeightEstimand,
  WeightsResult,
} from "./weighting.js";
export { effectiveSampleSize, propensityWeights, trimWeights } from "./weighting.js";
