export type { ProbabilityCiTransform } from "./wald.js";
export { checkConfLevel, probabilityCi, waldCi, waldCiLog, zCritical, zTest } from "./wald.js";
