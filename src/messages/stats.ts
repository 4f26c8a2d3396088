/** Warning codes of the statistical core: code → one-line description. Add codes here, never inline. */
export const STATS_CODES = {
  NO_EVENTS: "no events were observed, so the estimate is not evaluable",
  ALL_CENSORED: "every observation is censored",
  ONE_GROUP: "only one group is present, so no comparison is possible",
  MEDIAN_NOT_REACHED: "the survival curve does not reach the requested quantile",
  NON_INTEGER_WEIGHTS:
    "case weights are not integers, so a robust (infinitesimal jackknife) variance is used",
  ZERO_WEIGHTS_DROPPED: "observations with zero weight contribute nothing and were excluded",
  MISSING_DROPPED: "observations with missing values were excluded",
  NOT_CONVERGED: "the iterative fit did not converge",
  SEPARATION: "the fit shows (quasi-)complete separation: some estimates are infinite",
  SMALL_EXPECTED_COUNTS: "expected cell counts below 5 make the chi-squared approximation unreliable",
  ZERO_CELL: "a cell of the table is zero",
  CONSTANT_COVARIATE: "a covariate is constant and cannot be estimated",
  SINGULAR_DESIGN: "the design matrix is rank deficient",
  FEW_CLUSTERS: "fewer than 30 clusters: the cluster-robust variance may be too small",
} as const satisfies Record<string, string>;
