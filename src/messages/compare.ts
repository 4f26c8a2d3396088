/** Warning codes of the compare area: code → one-line description. Add codes here, never inline. */
export const COMPARE_CODES = {
  PS_EXTREME:
    "some propensity scores are below 0.05 or above 0.95: a positivity (overlap) problem that makes weights extreme and matches poor",
  PS_OUTSIDE_SUPPORT:
    "some units lie outside the other arm's propensity-score range (no common support): they have no comparable counterpart",
  MISSING_COVARIATES_EXCLUDED:
    "units with a missing covariate value were excluded (complete-case analysis); the estimand is restricted to complete cases",
  UNMATCHED_TREATED:
    "some treated units found no acceptable control and were left unmatched: the estimate is for the matched treated only",
  MATCH_WITH_REPLACEMENT_VARIANCE:
    "matching with replacement: matched sets overlap, so the variance is unit-level robust (HC) rather than clustered by matched set",
  WEIGHTS_EXTREME: "some weights exceed 10 times their arm's mean weight: a few units dominate the estimate",
  LOW_EFFECTIVE_SAMPLE_SIZE:
    "the effective sample size of an arm is below half its size: weighting costs much precision",
  WEIGHTS_TRIMMED: "weights were trimmed (winsorised) at a quantile; the target population changes slightly",
  WEIGHTS_DROPPED: "trimming with drop set some weights to 0: those units leave the analysis",
  BALANCE_NOT_ACHIEVED:
    "some covariates have an absolute standardised mean difference of 0.1 or more after adjustment",
  BALANCE_CONSTANT_COVARIATE:
    "a covariate has no variation in the unadjusted sample, so its standardised difference is not evaluable",
  EXPOSURE_GRACE_WINDOW:
    "exposure was defined within a grace window after time zero; units exposed later are analysed as unexposed (comparison)",
  LANDMARK_EXCLUDED:
    "units whose follow-up ended before the landmark day were excluded; follow-up is counted from the landmark",
  PER_PROTOCOL_SENSITIVITY:
    "per-protocol estimates are a sensitivity analysis: adherence happens after randomisation and may be confounded",
  EVALUE_APPROXIMATION:
    "the E-value of an odds or hazard ratio converts it to an approximate risk ratio first (VanderWeele 2017 rules)",
  PREPOST_NO_COMPARISON:
    "a pre/post change without a concurrent comparison group is descriptive: it cannot separate the program from secular trends or regression to the mean",
  SUBGROUP_INTERACTION_NOT_EVALUABLE:
    "the interaction test needs at least two subgroup levels with an evaluable effect (events or values in both arms)",
  SUBGROUP_NOT_EVALUABLE:
    "a subgroup level lacks an arm, an event or variation, so its effect is not evaluable",
  SUBGROUP_SMALL: "a subgroup level has fewer than 11 units in an arm, so its estimate is unstable",
  FEW_DISCORDANT_PAIRS:
    "fewer than 25 discordant pairs: prefer the exact McNemar p-value to the chi-squared one",
  EFFECT_NOT_EVALUABLE:
    "an effect could not be estimated from this sample (no events, one arm, or no variation)",
} as const satisfies Record<string, string>;
