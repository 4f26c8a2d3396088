/** Warning codes of the report area: code → one-line description. Add codes here, never inline. */
export const REPORT_CODES = {
  SUPPRESSION_OFF: "small-cell suppression is switched off, so the report may show counts of very few people",
  CELLS_SUPPRESSED: "counts were hidden by small-cell suppression",
  CAUSAL_WORDING: "the design does not support causal claims, but the report's text uses causal wording",
  HIDDEN_COUNT_IN_EFFECT:
    "a comparison is shown for an outcome whose group count is hidden; with the other group's numbers it may reveal the hidden count",
  MANIFEST_ROW_DATA: "the manifest looks like it holds row-level data",
} as const satisfies Record<string, string>;
