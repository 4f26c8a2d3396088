/** Proportions and 2×2 tables: single-proportion intervals and two-proportion comparisons. */
export {
  type CompareProportionsOptions,
  compareProportions,
  type NntBound,
  type NntEstimate,
  type ProportionComparison,
  type TwoByTwoCounts,
  type TwoProportionCounts,
} from "./compare-proportions.js";
export { type ProportionCiMethod, type ProportionCiOptions, proportionCI } from "./proportion-ci.js";
