/** Regression: GLMs (glm, predictGlm), GEE (gee) and the random-intercept linear mixed model (lmm). */
export type { DesignColumn, FactorColumn, GroupLabel } from "./design.js";
export { expandFactors, factorColumnNames, INTERCEPT_NAME } from "./design.js";
export type { GeeCoefficient, GeeCorrelation, GeeFamily, GeeInput, GeeOptions, GeeResult } from "./gee.js";
export { gee } from "./gee.js";
export type {
  GlmCoefficient,
  GlmFamily,
  GlmInput,
  GlmOptions,
  GlmPrediction,
  GlmResult,
  GlmVariance,
} from "./glm.js";
export { glm, predictGlm } from "./glm.js";
export type { LmmCoefficient, LmmInput, LmmOptions, LmmResult } from "./lmm.js";
export { lmm } from "./lmm.js";
