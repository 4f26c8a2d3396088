/** Multiplicity adjustment of p-values. */
export { type PAdjustMethod, pAdjust } from "./p-adjust.js";
