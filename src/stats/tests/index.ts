/** Hypothesis tests on means. */
export { type TTestOptions, type TTestResult, type TTestType, tTest } from "./t-test.js";
