/**
 * The prss-eval data dictionary: every table (columns.md) as a zod row schema with its metadata,
 * keys, foreign keys and rules. Row types come from `z.output` of the schemas; the codebook and the
 * JSON Schema files are generated from here (`npx tsx data-dictionary/generate.ts`).
 */
import type * as z from "zod";
import type { TableDefinition } from "./define-table.js";
import { arms } from "./tables/arms.js";
import { assessments } from "./tables/assessments.js";
import { coInterventions } from "./tables/co-interventions.js";
import { dailyUse } from "./tables/daily-use.js";
import { encounters } from "./tables/encounters.js";
import { indexEvents } from "./tables/index-events.js";
import { medicationEvents } from "./tables/medication-events.js";
import { observationPeriods } from "./tables/observation-periods.js";
import { peerContacts } from "./tables/peer-contacts.js";
import { persons } from "./tables/persons.js";
import { udsResults } from "./tables/uds-results.js";
import { DICTIONARY_VERSION } from "./version.js";

export type { ColumnKind, ColumnMeta } from "./column-meta.js";
export {
  COLUMN_KINDS,
  columnMetaSchema,
  DEFAULT_MAX_LENGTH,
  META_KEY,
  MISSING_CODES,
} from "./column-meta.js";
export type { ColumnSpec } from "./columns.js";
export {
  BOOL_PATTERN,
  DATE_PATTERN,
  ID_PATTERN,
  INT_PATTERN,
  LIST_PATTERN,
  NUM_PATTERN,
} from "./columns.js";
export type { ColumnInfo, ForeignKey, TableDefinition } from "./define-table.js";
export type {
  CompiledRowRule,
  DateOrderRule,
  EventDateCheck,
  InstrumentItemsRule,
  RowRule,
  RuleViolation,
} from "./rules.js";
export { compileRowRule } from "./rules.js";
export { ITEM_COLUMNS } from "./tables/assessments.js";
export { DICTIONARY_VERSION };

/** Every table, by name. */
export const tables = {
  persons,
  observation_periods: observationPeriods,
  arms,
  index_events: indexEvents,
  encounters,
  medication_events: medicationEvents,
  peer_contacts: peerContacts,
  uds_results: udsResults,
  daily_use: dailyUse,
  assessments,
  co_interventions: coInterventions,
} as const;

/** Name of a table of the dictionary. */
export type TableName = keyof typeof tables;

/** Table names in columns.md order. */
export const TABLE_NAMES = Object.keys(tables) as TableName[];

/**
 * Order in which the loader reads tables: every table after the tables its foreign keys refer to,
 * and observation_periods before the event tables checked against it.
 */
export const LOAD_ORDER: readonly TableName[] = [
  "persons",
  "observation_periods",
  "encounters",
  "arms",
  "index_events",
  "medication_events",
  "peer_contacts",
  "uds_results",
  "daily_use",
  "assessments",
  "co_interventions",
];

/** The typed row of a table after loading (dates as day numbers, missing as null). */
export type TableRow<T extends TableName> = z.output<(typeof tables)[T]["schema"]>;
/** The text row of a table as read from its CSV (keyed by header name). */
export type TableTextRow<T extends TableName> = z.input<(typeof tables)[T]["schema"]>;

export type PersonRow = TableRow<"persons">;
export type ObservationPeriodRow = TableRow<"observation_periods">;
export type ArmRow = TableRow<"arms">;
export type IndexEventRow = TableRow<"index_events">;
export type EncounterRow = TableRow<"encounters">;
export type MedicationEventRow = TableRow<"medication_events">;
export type PeerContactRow = TableRow<"peer_contacts">;
export type UdsResultRow = TableRow<"uds_results">;
export type DailyUseRow = TableRow<"daily_use">;
export type AssessmentRow = TableRow<"assessments">;
export type CoInterventionRow = TableRow<"co_interventions">;

/** The whole dictionary: version and tables, iterable in columns.md order. */
export interface Dictionary {
  readonly version: string;
  readonly tables: readonly TableDefinition<TableName>[];
  /** The table of a name. */
  readonly table: (name: TableName) => TableDefinition<TableName>;
}

/** The data dictionary, for code that iterates over tables and columns. */
export const dictionary: Dictionary = {
  version: DICTIONARY_VERSION,
  tables: TABLE_NAMES.map((name) => tables[name] as TableDefinition<TableName>),
  table: (name) => tables[name] as TableDefinition<TableName>,
};
