/** Warning codes of the evaluation pipeline: code → one-line description. Add codes here, never inline. */
export const EVALUATE_CODES = {
  DATA_ERRORS: "the data folder has rows with errors",
  NO_ARM_ASSIGNMENT: "some index events belong to persons without an arm assignment and were excluded",
  FOLLOW_UP_BELOW_80: "fewer than 80% of analysed people were followed to the horizon, an event or death",
  SINGLE_GROUP: "only one group was analysed: results are descriptive",
} as const satisfies Record<string, string>;
