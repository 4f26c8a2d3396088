/** Warning codes of the evaluation pipeline: code → one-line description. Add codes here, never inline. */
export const EVALUATE_CODES = {
  DATA_ERRORS: "the data folder has rows with errors",
  NO_ARM_ASSIGNMENT: "some index events belong to persons without an arm assignment and were excluded",
  FOLLOW_UP_BELOW_80: "fewer than 80% of analysed people were followed to the horizon, an event or death",
  SINGLE_GROUP: "only one group was analysed: results are descriptive",
  NO_PRE_PERIOD:
    "this outcome has no value before the index event: compared after the index event only, not as a difference in differences",
  NON_PROPORTIONAL_HAZARDS:
    "the proportional-hazards test rejects (p < 0.05): the hazard ratio is an average over follow-up; read the curves and the differences at fixed days",
} as const satisfies Record<string, string>;
