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
  FEW_EVENTS: "fewer events than model parameters: the estimates are unstable or infinite",
  SINGULAR_DESIGN: "the design matrix is rank deficient",
  FEW_CLUSTERS: "fewer than 30 clusters: the cluster-robust variance may be too small",
  TIMES_MERGED: "near-equal times were merged before estimation (survival's aeqSurv rule, timefix = TRUE)",
  GROUP_NO_EXPECTED:
    "a group has no expected events (all its subjects left before the first event), so it adds no degree of freedom",
  TEST_NOT_COMPUTED: "the test is not defined for this input, so it was not computed",
  SINGULAR_VARIANCE:
    "the variance matrix of the test statistic is singular, so the statistic is not evaluable",
  TAU_BEYOND_FOLLOW_UP:
    "the restriction time tau lies beyond the last observed time of a curve, which is carried forward flat",
  EMPTY_DENOMINATOR: "a group has no observations (n = 0), so its proportion is not evaluable",
  ZERO_MARGIN: "a row or column total of the table is zero, so this quantity is not evaluable",
  CONTINUITY_CORRECTION: "0.5 was added to every cell of the 2x2 table because a cell is zero",
  ZERO_WIDTH_INTERVAL: "the interval has zero width because the estimated variance is 0",
  NNT_INFINITE: "the risk difference is 0, so the number needed to treat is infinite (not evaluable)",
  NNT_CI_THROUGH_INFINITY:
    "the risk-difference interval includes 0, so the NNT interval runs through infinity (Altman 1998)",
  NON_INTEGER_COUNTS: "the response is not a whole number of events/successes for a count or binomial family",
  NO_RESIDUAL_DF: "no residual degrees of freedom: the dispersion and its standard errors are not estimable",
  SINGULAR_FIT: "a variance component is estimated at its boundary (0): a singular fit",
  WORKING_CORRELATION_INVALID: "the estimated working correlation is outside its valid range",
} as const satisfies Record<string, string>;
