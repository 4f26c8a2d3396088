/**
 * Issue codes of the load area (reading and validating a data folder): code → one-line description.
 * Add codes here, never inline. `src/dictionary/issues.ts` gives each code its severity.
 */
export const LOAD_CODES = {
  // Whole files
  MISSING_TABLE: "a required table file is absent",
  EMPTY_FILE: "the file is empty (no header row)",
  FILE_UNREADABLE: "the file could not be read",
  ENCODING_INVALID: "the file is not valid UTF-8; invalid bytes were replaced by U+FFFD",
  UNKNOWN_FILE: "a CSV file that is not a table of the data dictionary was ignored",
  MISSING_COLUMN: "a required column is absent from the header, so every row of the file is rejected",
  DUPLICATE_COLUMN: "a column name appears twice in the header, so every row of the file is rejected",
  UNKNOWN_COLUMN: "a column that is not in the data dictionary was ignored",
  ISSUES_TRUNCATED: "more issues of this kind were found than are listed; the count is exact",
  // Parsing a row
  PARSE_QUOTES: "unbalanced or misplaced quotes: the row could not be split into fields",
  PARSE_TOO_FEW_FIELDS: "the row has fewer fields than the header",
  PARSE_TOO_MANY_FIELDS: "the row has more fields than the header",
  // One field
  FIELD_TOO_LONG: "the value is longer than the column allows",
  REQUIRED_MISSING: "a required value is missing",
  TYPE_INVALID: "the value is not of the column's type",
  DATE_INVALID: "the value is not a real calendar date in ISO YYYY-MM-DD form",
  CODE_NOT_ALLOWED: "the value is not one of the column's allowed codes",
  RANGE: "the value is outside the column's allowed range",
  // Several fields of one row
  END_BEFORE_START: "an end date is before its start date",
  ITEM_NOT_IN_INSTRUMENT: "an item is answered that the row's instrument does not have",
  // Across rows and tables
  DUPLICATE_KEY: "the primary key repeats an earlier row's key",
  ORPHAN: "a foreign key refers to a row that is not in the referenced table",
  FK_NOT_CHECKED: "a foreign key could not be checked because the referenced table was not loaded",
  AFTER_DEATH: "the event is dated after the person's death date",
  OUTSIDE_OBSERVATION: "the event is dated outside every observation period of the person",
} as const satisfies Record<string, string>;

/** A load issue code. */
export type LoadIssueCode = keyof typeof LOAD_CODES;
