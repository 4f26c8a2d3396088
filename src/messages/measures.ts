/** Warning codes of the measures area: code → one-line description. Add codes here, never inline. */
export const MEASURE_CODES = {
  MEASURE_DATA_END_INFERRED:
    "no data end was given, so the latest date in the data was used as the end of observability",
  MEASURE_NO_OBSERVATION_TABLE:
    "no observation_periods table was supplied, so every person is assumed observed up to the data end",
  MEASURE_DAYS_SUPPLY_UNRESOLVED:
    "medication events without a usable days supply (none recorded and no table default) were left out of coverage",
  MEASURE_STAY_END_MISSING: "inpatient or custody stays without an end date were taken as one-day stays",
  MEASURE_CLUSTERED_UNITS:
    "some persons contribute several units; the interval treats units as independent (use a cluster-robust model for inference)",
  MEASURE_SMALL_GROUP: "a group has fewer than 2 evaluable units, so its t interval is not evaluable",
  MEASURE_ITEM_OUT_OF_RANGE:
    "an instrument item lies outside its allowed range; the score is not computed (data error)",
  MEASURE_PRORATED_SCORES: "some totals were prorated from 9 of 10 items (flagged per assessment)",
  MEASURE_SCORING_VARIANT_UNSUPPORTED:
    "assessments with an unsupported scoring variant were not scored (variants are never mixed)",
  MEASURE_VALUE_SET_ILLUSTRATIVE:
    "the value-set mapping is ILLUSTRATIVE research code families, not NCQA value sets: results are not HEDIS rates",
  MEASURE_VALUE_SET_MISSING: "a value set the measure uses is absent from the mapping, so it matches nothing",
  MEASURE_PROVIDER_MISSING:
    "same-day visits lacked a provider id, so the different-provider rule could not be met for them",
  MEASURE_BELOW_FOLLOW_UP_FLOOR: "the GPRA follow-up rate is below the SAMHSA 80% floor",
  MEASURE_PRE_POST_DESCRIPTIVE:
    "a pre/post change without a comparison group is descriptive only (regression to the mean after an index ED visit)",
} as const satisfies Record<string, string>;
