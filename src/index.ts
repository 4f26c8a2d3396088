/**
 * prss-eval public API. Analyses and notebooks import from here only.
 */
export * from "./dates.js";
export * from "./messages.js";
export * from "./stats/distributions/index.js";
export * from "./stats/errors.js";
export * from "./stats/result.js";
