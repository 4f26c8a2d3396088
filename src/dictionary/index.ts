/** Validation against the data dictionary: converters, per-table loading, cross-table checks, issues. */
export {
  BoolStore,
  type ColumnStore,
  createColumnStore,
  DateStore,
  DictStore,
  IntStore,
  KeyStore,
  NumStore,
  RefStore,
} from "./column-builder.js";
export {
  type ColumnConverter,
  type ColumnValue,
  ConversionFailure,
  compileColumnConverter,
  compileMissingReason,
  missingReasonColumnName,
  rangeRuleOf,
  typeRuleOf,
} from "./convert-column.js";
export { DatasetContext } from "./dataset-context.js";
export { type FormatIssuesOptions, formatFileCounts, formatIssues } from "./format-issues.js";
export {
  ISSUE_VALUE_MAX_LENGTH,
  IssueCollector,
  type IssueInput,
  LOAD_ISSUE_SEVERITY,
  type LoadIssue,
  type LoadIssueCode,
  type LoadIssueSeverity,
  makeIssue,
  truncateValue,
} from "./issues.js";
export { KeyIndex } from "./key-index.js";
export type { Dataset, FileCount, LoadOptions, LoadResult } from "./load-result.js";
export { type TableCounts, TableLoader } from "./table-loader.js";
export {
  BoolColumn,
  type ColumnParts,
  columnFromParts,
  columnParts,
  DictColumn,
  foreignKeyRows,
  INT32_NULL,
  IntColumn,
  type IntStorage,
  intNullOf,
  KeyColumn,
  NumColumn,
  RefColumn,
} from "./typed-columns.js";
export {
  checkRowWithZod,
  loadCodeOfZodIssue,
  type ZodColumnIssue,
  type ZodRowCheck,
} from "./zod-row-check.js";
