/**
 * The measures keep their code lists as `as const` tuples (literal types and dense integer codes for
 * the hot loops). The data dictionary is the one source of those codes; this test fails when they drift.
 */
import { describe, expect, it } from "vitest";
import { type TableName, tables } from "../../data-dictionary/index.js";
import {
  DISPOSITIONS,
  ENCOUNTER_KINDS,
  INDEX_TYPES,
  MED_ROWS,
  MED_SETTINGS,
  OBSERVATION_SOURCES,
  PEER_SETTINGS,
  ROUTES,
} from "../../src/measures/core/data.js";

function dictionaryCodes(table: TableName, column: string): string[] {
  const col = tables[table].columns.find((c) => c.name === column);
  return (col?.codes ?? []).map((c) => c.code).sort();
}

const PAIRS: [readonly string[], TableName, string][] = [
  [ENCOUNTER_KINDS, "encounters", "kind"],
  [DISPOSITIONS, "encounters", "disposition"],
  [MED_ROWS, "medication_events", "med_row"],
  [ROUTES, "medication_events", "route"],
  [MED_SETTINGS, "medication_events", "setting"],
  [OBSERVATION_SOURCES, "observation_periods", "source"],
  [INDEX_TYPES, "index_events", "type"],
  [PEER_SETTINGS, "peer_contacts", "setting"],
];

describe("measure code lists match the data dictionary", () => {
  for (const [codes, table, column] of PAIRS) {
    it(`${table}.${column}`, () => {
      expect([...codes].sort()).toEqual(dictionaryCodes(table, column));
    });
  }
});
