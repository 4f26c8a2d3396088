/**
 * Public names of the non-Cox survival estimators (merged into `index.ts` by the lead).
 */
export type {
  CumulativeIncidenceAtTimes,
  CumulativeIncidenceCause,
  CumulativeIncidenceCurve,
  CumulativeIncidenceInput,
  CumulativeIncidenceOptions,
  CumulativeIncidenceResult,
  CumulativeIncidenceVariance,
} from "./cumulative-incidence.js";
export { cumulativeIncidence } from "./cumulative-incidence.js";
export type { GrayTestInput, GrayTestOptions, GrayTestResult } from "./gray-test.js";
export { grayTest } from "./gray-test.js";
export type {
  KaplanMeierCurve,
  KaplanMeierInput,
  KaplanMeierOptions,
  KaplanMeierResult,
  SurvivalConfType,
  SurvivalVarianceType,
} from "./kaplan-meier.js";
export { kaplanMeier } from "./kaplan-meier.js";
export type { SurvivalAtTimesCurve, SurvivalAtTimesResult } from "./kaplan-meier-at-times.js";
export { kaplanMeierAtTimes } from "./kaplan-meier-at-times.js";
export type { LogRankInput, LogRankOptions, LogRankResult } from "./log-rank.js";
export { logRankTest } from "./log-rank.js";
export type {
  RmstDifferenceOptions,
  RmstDifferenceResult,
  RmstEstimate,
  RmstInput,
  RmstOptions,
  RmstResult,
} from "./rmst.js";
export { rmst, rmstDifference } from "./rmst.js";
export type { GroupLabel, LabelColumn, NumberColumn } from "./survival-input.js";
export type { SurvivalQuantile } from "./survival-quantile.js";
export { curveQuantiles } from "./survival-quantile.js";
