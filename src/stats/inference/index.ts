export type { ProbabilityCiTransform } from "./wald.js";
export {
  checkConfLevel,
  probabilityCi,
  probabilityCiArrays,
  waldCi,
  waldCiLog,
  zCritical,
  zTest,
} from "./wald.js";
