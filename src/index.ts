/**
 * prss-eval public API. Analyses and notebooks import from here only.
 *
 * Sections: evaluation (one call), data (dictionary, loading, synthetic data), measures, comparison
 * designs, the statistical core, and the report layer.
 */

// Data: the dictionary, loading and validation, synthetic cohorts.
export * from "../data-dictionary/index.js";
// Cohort and measures.
export * from "./cohort/index.js";
// Names used by both the comparison layer and the report: the comparison layer's win; the report's are aliased.
export type { DesignKind, ForestRow } from "./compare/index.js";
// Comparison designs.
export * from "./compare/index.js";
export * from "./dates.js";
export * from "./dictionary/index.js";
// Evaluation: config → result → report.
export * from "./evaluate/index.js";
export * from "./io/index.js";
export * from "./measures/days-to-moud.js";
export * from "./measures/index.js";
// Warnings and the package version.
export * from "./messages.js";
export type { DesignKind as ReportDesignKind, ForestRow as ReportForestRow } from "./report/index.js";
// Reports.
export * from "./report/index.js";
export * from "./stats/distributions/index.js";
export * from "./stats/effect-size/index.js";
export * from "./stats/errors.js";
export * from "./stats/inference/index.js";
export * from "./stats/multiplicity/index.js";
export * from "./stats/regression/index.js";
// Statistical core.
export * from "./stats/result.js";
export type { GroupLabel } from "./stats/survival/index.js";
export * from "./stats/survival/index.js";
export * from "./stats/tables/index.js";
export * from "./stats/tests/index.js";
export * from "./synth/index.js";
export { PACKAGE_VERSION } from "./version.js";
