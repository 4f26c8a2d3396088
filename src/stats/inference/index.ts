export type { ProbabilityCiTransform } from "./wald.js";
export {
  checkConfLevel,
  probabilityCi,
  probabilityCiArrays,
  probabilityCiInto,
  waldCi,
  waldCiLog,
  zCritical,
  zTest,
} from "./wald.js";
