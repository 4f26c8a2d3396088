/**
 * Days to MOUD initiation after an index event — MEASURES.md §3 ([LIT] Samuels 2018, Larochelle 2018,
 * with [TK] conventions), resolved readings §15.6 (new versus continuing) and §15.7 (index selection).
 *
 * Definition (version 1.0.0):
 * - Index events: rows of `index_events` whose type is in `indexTypes` (all types by default).
 * - MOUD events: `medication_events` rows whose medication row is an opioid-use-disorder medication
 *   (every row except AUD_OTHER); dispensing, administration and OTP dosing all count.
 * - Continuing MOUD (§15.6): a supply that started before the index day and, stacked per medication
 *   row (same-row fills laid end to end, §15.2), still covers the index day or the day before. A dose
 *   on the index day itself belongs to the index event and never makes a person "continuing".
 * - Selection `first` (§15.7): per person the first index event (by date, then index_id) that is NEW.
 *   Selection `all`: every NEW index event (the unit is then the event, clustered within person).
 * - Follow-up: day 0 = index day, through the earliest of index + horizonDays, the end of the merged
 *   observation span containing the index day, and death. No observation span at the index day →
 *   excluded. Death is a competing event, not censoring (§3.3).
 * - Outcome: days from index to the first MOUD event on day ≥ 0 inside follow-up (event 1); death
 *   inside follow-up before any MOUD (event 2); otherwise censored (event 0) at the last observed day.
 *   A MOUD event on day 0 is flagged as a "bridge" dose (§3.2).
 */
import type { ColumnTable } from "arquero";
import {
  appendSpan,
  type FollowUpEnd,
  followUpWindow,
  mergeSpans,
  type ObservationSpans,
} from "../cohort/follow-up.js";
import {
  buildPersonIndex,
  groupEventsByPerson,
  groupRowsByPerson,
  type PersonEvents,
  type PersonIndex,
} from "../cohort/person-events.js";
import {
  DictColumn,
  IntColumn,
  KeyColumn,
  NumColumn,
  RefColumn,
  sharedKeyStrings,
} from "../dictionary/typed-columns.js";
import { daysSupplyOf, isMoudRow } from "./moud-days-supply.js";

export const DAYS_TO_MOUD_ID = "days-to-moud";
export const DAYS_TO_MOUD_VERSION = "1.0.0";

/** Parameters of the days-to-MOUD definition; every value is recorded in the result's manifest. */
export interface DaysToMoudParams {
  /** Index event types to use; null = every type. */
  readonly indexTypes: readonly string[] | null;
  /** Days of follow-up after the index day (day 0 to day horizonDays inclusive). */
  readonly horizonDays: number;
  /** `first`: one index event per person (the first NEW one); `all`: every NEW index event. */
  readonly selection: "first" | "all";
  /** Time points (days) at which cumulative incidence is reported. */
  readonly timepoints: readonly number[];
}

export const DAYS_TO_MOUD_DEFAULTS: DaysToMoudParams = Object.freeze({
  indexTypes: null,
  horizonDays: 365,
  selection: "first",
  timepoints: Object.freeze([7, 14, 30, 90, 180, 365]),
});

/** Why an index event is in or out of the analysis (the trace of every unit). */
export type DaysToMoudReason =
  | "INCLUDED"
  | "EXCLUDED_CONTINUING_MOUD"
  | "EXCLUDED_NO_OBSERVATION"
  | "EXCLUDED_DEATH_BEFORE_INDEX"
  | "EXCLUDED_NOT_FIRST"
  | "EXCLUDED_UNKNOWN_PERSON";

/** Outcome status codes of an included unit. */
export const EVENT_CENSORED = 0;
export const EVENT_MOUD = 1;
export const EVENT_DEATH = 2;

/** The tables days-to-MOUD reads (arquero tables with the dictionary's column names). */
export interface DaysToMoudTables {
  readonly persons: ColumnTable;
  readonly index_events: ColumnTable;
  readonly medication_events?: ColumnTable | undefined;
  readonly observation_periods?: ColumnTable | undefined;
  readonly arms?: ColumnTable | undefined;
}

/** One row per considered index event, columnar. Included rows carry time and event. */
export interface DaysToMoudUnits {
  readonly personId: string[];
  readonly indexId: string[];
  readonly indexType: string[];
  readonly indexDay: Int32Array;
  /** Row of the unit's index event in the index_events table. */
  readonly indexRow: Int32Array;
  /** Row of the unit's person in the persons table (its first row with that id); −1 when unknown. */
  readonly personRow: Int32Array;
  readonly arm: (string | null)[];
  readonly reason: DaysToMoudReason[];
  /** Days from index to event or censoring; -1 when excluded. */
  readonly time: Int32Array;
  /** 0 censored, 1 MOUD, 2 death; -1 when excluded. */
  readonly event: Int8Array;
  /** MOUD given on the index day itself (bridge dose). */
  readonly bridgeDay0: Uint8Array;
  readonly endReason: (FollowUpEnd | null)[];
}

/** Unit-level days-to-MOUD output with counts of every exclusion. */
export interface DaysToMoudResult {
  readonly measure: { readonly id: string; readonly version: string; readonly params: DaysToMoudParams };
  readonly units: DaysToMoudUnits;
  /** Number of units per reason (every considered index event is counted once). */
  readonly reasonCounts: Readonly<Record<DaysToMoudReason, number>>;
  /** Persons with no index event of the requested types. */
  readonly personsWithoutIndex: number;
  /** Index events of other types (not considered). */
  readonly indexEventsOtherType: number;
  /** Medication rows that are not MOUD (e.g. AUD medications), ignored. */
  readonly nonMoudMedicationRows: number;
}

/**
 * A column's values. The loader's compact columns are expanded directly (much faster than arquero's
 * row scan); required dates are used in place.
 */
function col<T>(table: ColumnTable | undefined, name: string): ArrayLike<T> {
  if (!table) return [];
  const raw = !table.isFiltered() && !table.isOrdered() ? (table.column(name) as unknown) : null;
  if (raw instanceof Int32Array) return raw as unknown as ArrayLike<T>;
  if (raw instanceof DictColumn) {
    const { index, values } = raw;
    const out = new Array<unknown>(raw.length);
    for (let i = 0; i < out.length; i++) {
      const k = index[i] as number;
      out[i] = k < 0 ? null : values[k];
    }
    return out as ArrayLike<T>;
  }
  if (raw instanceof KeyColumn) {
    // decoded once and shared with other readers of the keys (e.g. the measures' index ids)
    return sharedKeyStrings(table, name) as unknown as ArrayLike<T>;
  }
  if (raw instanceof IntColumn || raw instanceof NumColumn || raw instanceof RefColumn) {
    return raw.toArray() as unknown as ArrayLike<T>;
  }
  return table.array(name) as unknown as ArrayLike<T>;
}

/** Read access to a column's values by row (the loader's compact columns are read in place). */
interface Values<T> {
  readonly length: number;
  at(row: number): T | null;
}

const NO_VALUES: Values<never> = { length: 0, at: () => null };

/** A column as `Values`: loader columns as they are (they have `at`), anything else via its array. */
function values<T>(table: ColumnTable | undefined, name: string): Values<T> {
  if (!table) return NO_VALUES;
  const raw = !table.isFiltered() && !table.isOrdered() ? (table.column(name) as unknown) : null;
  if (raw instanceof DictColumn || raw instanceof IntColumn || raw instanceof NumColumn)
    return raw as Values<T>;
  const arr = col<T | null | undefined>(table, name);
  return { length: arr.length, at: (row) => arr[row] ?? null };
}

/**
 * The persons-table position of every row's person, when the loader's key columns allow it without
 * string lookups: `persons.person_id` is a key column (unique ids, so the index of an id is its row)
 * and the table's person_id refers to it. Otherwise null.
 */
function personRows(persons: ColumnTable, table: ColumnTable | undefined): Int32Array | null {
  if (!table || persons.isFiltered() || persons.isOrdered() || table.isFiltered() || table.isOrdered()) {
    return null;
  }
  const keys = persons.column("person_id") as unknown;
  const ref = table.column("person_id") as unknown;
  return keys instanceof KeyColumn && ref instanceof RefColumn && ref.parent === keys ? ref.index : null;
}

/** The loader's primary-key column of persons (unique ids, row k = person k), or null. */
function primaryKeys(persons: ColumnTable): KeyColumn | null {
  if (persons.isFiltered() || persons.isOrdered()) return null;
  const keys = persons.column("person_id") as unknown;
  return keys instanceof KeyColumn ? keys : null;
}

/**
 * The PersonIndex of unique keys (person k = key k), decoding ids and building the id map only when
 * first read: with the loader's foreign-key columns neither is needed.
 */
function keyIndex(keys: KeyColumn): PersonIndex {
  let ids: string[] | null = null;
  let indexOf: Map<string, number> | null = null;
  return {
    get ids() {
      if (ids === null) {
        ids = new Array<string>(keys.length);
        for (let k = 0; k < keys.length; k++) ids[k] = keys.cached(k); // shared with foreign keys
      }
      return ids;
    },
    get indexOf() {
      if (indexOf === null) {
        indexOf = new Map();
        const list = this.ids;
        for (let k = 0; k < list.length; k++) indexOf.set(list[k] as string, k);
      }
      return indexOf;
    },
  };
}

/** Rows of a table grouped by person (by row positions when possible, else by id lookups). */
function groupByPerson(
  persons: ColumnTable,
  index: PersonIndex,
  nPersons: number,
  table: ColumnTable | undefined,
  dates: ArrayLike<number>,
): PersonEvents {
  const rows = personRows(persons, table);
  if (rows !== null) return groupRowsByPerson(nPersons, rows, dates);
  return groupEventsByPerson(index, col<string>(table, "person_id"), dates);
}

/**
 * Computes days to MOUD initiation per index event with the trace of every unit (MEASURES.md §3).
 * @param tables persons, index_events, medication_events, observation_periods, arms (optional)
 * @param params overrides of DAYS_TO_MOUD_DEFAULTS
 */
export function daysToMoud(
  tables: DaysToMoudTables,
  params: Partial<DaysToMoudParams> = {},
): DaysToMoudResult {
  const p: DaysToMoudParams = { ...DAYS_TO_MOUD_DEFAULTS, ...params };
  // The loader's persons.person_id holds unique keys: the index of row i's id is i.
  const keys = primaryKeys(tables.persons);
  const personIdsCol = keys === null ? col<string>(tables.persons, "person_id") : null;
  const persons = personIdsCol === null ? keyIndex(keys as KeyColumn) : buildPersonIndex(personIdsCol);
  const nPersons = keys === null ? persons.ids.length : keys.length;
  const keyed = personRows(tables.persons, tables.index_events) !== null;

  const deathCol = values<number>(tables.persons, "death_date");
  const deathDay = new Float64Array(nPersons).fill(Number.NaN);
  // Persons row of each person index (the first row with that id).
  const firstRowOf = new Int32Array(nPersons);
  if (personIdsCol === null) for (let k = 0; k < nPersons; k++) firstRowOf[k] = k;
  else {
    const seen = new Uint8Array(nPersons);
    for (let i = 0; i < personIdsCol.length; i++) {
      const k = persons.indexOf.get(personIdsCol[i] as string) as number;
      if (seen[k] === 0) {
        seen[k] = 1;
        firstRowOf[k] = i;
      }
    }
  }
  const nRows = personIdsCol === null ? nPersons : personIdsCol.length;
  for (let i = 0; i < nRows; i++) {
    const k = personIdsCol === null ? i : (persons.indexOf.get(personIdsCol[i] as string) as number);
    const d = deathCol.at(i);
    if (d !== null && d !== undefined && Number.isNaN(deathDay[k] as number)) deathDay[k] = d;
  }

  // Arm by person: by persons row when the loader's key columns give it, else by id.
  const armOf = new Map<string, string>();
  let armByPk: (string | undefined)[] | null = null;
  if (tables.arms) {
    const arms = values<string>(tables.arms, "arm");
    const armRows = personRows(tables.persons, tables.arms);
    if (armRows !== null && keyed) {
      armByPk = new Array<string | undefined>(nPersons);
      for (let i = 0; i < armRows.length; i++) {
        const pk = armRows[i] as number;
        if (pk >= 0) armByPk[pk] = arms.at(i) as string;
      }
    } else {
      const ids = col<string>(tables.arms, "person_id");
      for (let i = 0; i < ids.length; i++) armOf.set(ids[i] as string, arms.at(i) as string);
    }
  }

  // Observation spans per person.
  const obsStart = col<number>(tables.observation_periods, "start_date");
  const obsEnd = col<number>(tables.observation_periods, "end_date");
  const obsGroups = groupByPerson(tables.persons, persons, nPersons, tables.observation_periods, obsStart);

  // MOUD events per person.
  const medDate = col<number>(tables.medication_events, "event_date");
  const medRow = values<string>(tables.medication_events, "med_row");
  const medRoute = values<string>(tables.medication_events, "route");
  const medSupply = values<number>(tables.medication_events, "days_supply");
  const medUnits = values<number>(tables.medication_events, "units");
  const medGroups = groupByPerson(tables.persons, persons, nPersons, tables.medication_events, medDate);
  let nonMoudMedicationRows = 0;
  const medRows = codesOf(medRow);
  const moudRow = moudRows(medRows);
  for (let i = 0; i < moudRow.length; i++) if (moudRow[i] === 0) nonMoudMedicationRows++;
  const stack = stackScratch(medRows.values.length);
  const spanScratch: ObservationSpans = { start: [], end: [] };

  // Index events of the requested types, grouped per person in date order (ties by index_id).
  const ixId = col<string>(tables.index_events, "index_id");
  const ixPerson = col<string>(tables.index_events, "person_id");
  // Person of each index event (−1 unknown): by row position when possible, else by id.
  const ixPk =
    (keyed ? personRows(tables.persons, tables.index_events) : null) ??
    Int32Array.from({ length: ixPerson.length }, (_, i) => persons.indexOf.get(ixPerson[i] as string) ?? -1);
  const ixType = values<string>(tables.index_events, "type");
  const ixDate = col<number>(tables.index_events, "index_date");
  const typeSet = p.indexTypes ? new Set(p.indexTypes) : null;
  const considered: number[] = [];
  let indexEventsOtherType = 0;
  for (let i = 0; i < ixId.length; i++) {
    if (typeSet && !typeSet.has(ixType.at(i) as string)) indexEventsOtherType++;
    else considered.push(i);
  }
  // Order: person id, then date, then index_id, ids compared with `localeCompare`. Person ids are
  // ranked once (ids that compare equal share a rank): sorted by code units, which is already the
  // locale order when every neighbouring pair agrees (typical ids), else sorted with localeCompare.
  const rank = new Map<string, number>(); // persons not in the persons table, by id
  const pkRank = new Int32Array(nPersons).fill(-1); // known persons, by index
  const names: string[] = [];
  const namePk: number[] = []; // person index of each name, −1 when not in the persons table
  for (const i of considered) {
    const pk = ixPk[i] as number;
    if (pk >= 0) {
      if (pkRank[pk] === -1) {
        pkRank[pk] = 0;
        names.push(keys === null ? (persons.ids[pk] as string) : keys.cached(pk));
        namePk.push(pk);
      }
    } else if (!rank.has(ixPerson[i] as string)) {
      rank.set(ixPerson[i] as string, 0);
      names.push(ixPerson[i] as string);
      namePk.push(-1);
    }
  }
  if (strictlyAscending(names)) {
    // Already in order (ids met in sorted order, as in files sorted by person): rank = position.
    for (let k = 0; k < names.length; k++) {
      const pk = namePk[k] as number;
      if (pk >= 0) pkRank[pk] = k;
      else rank.set(names[k] as string, k);
    }
  } else {
    const distinct = names.sort();
    for (let k = 1; k < distinct.length; k++) {
      if ((distinct[k - 1] as string).localeCompare(distinct[k] as string) > 0) {
        distinct.sort((a, b) => a.localeCompare(b));
        break;
      }
    }
    for (let k = 0, r = 0; k < distinct.length; k++) {
      if (k > 0 && (distinct[k - 1] as string).localeCompare(distinct[k] as string) !== 0) r++;
      const id = distinct[k] as string;
      const pk = persons.indexOf.get(id);
      if (pk !== undefined && pkRank[pk] !== -1) pkRank[pk] = r;
      else rank.set(id, r);
    }
  }
  const personRank = new Int32Array(ixId.length);
  for (const i of considered) {
    const pk = ixPk[i] as number;
    personRank[i] = pk >= 0 ? (pkRank[pk] as number) : (rank.get(ixPerson[i] as string) as number);
  }
  considered.sort(
    (a, b) =>
      (personRank[a] as number) - (personRank[b] as number) ||
      (ixDate[a] as number) - (ixDate[b] as number) ||
      (ixId[a] as string).localeCompare(ixId[b] as string),
  );

  const n = considered.length;
  const units: DaysToMoudUnits = {
    personId: new Array<string>(n),
    indexId: new Array<string>(n),
    indexType: new Array<string>(n),
    indexDay: new Int32Array(n),
    indexRow: new Int32Array(n),
    personRow: new Int32Array(n).fill(-1),
    arm: new Array<string | null>(n),
    reason: new Array<DaysToMoudReason>(n),
    time: new Int32Array(n).fill(-1),
    event: new Int8Array(n).fill(-1),
    bridgeDay0: new Uint8Array(n),
    endReason: new Array<FollowUpEnd | null>(n).fill(null),
  };
  const reasonCounts: Record<DaysToMoudReason, number> = {
    INCLUDED: 0,
    EXCLUDED_CONTINUING_MOUD: 0,
    EXCLUDED_NO_OBSERVATION: 0,
    EXCLUDED_DEATH_BEFORE_INDEX: 0,
    EXCLUDED_NOT_FIRST: 0,
    EXCLUDED_UNKNOWN_PERSON: 0,
  };
  const personHasIndex = new Uint8Array(nPersons);
  const personSelected = new Uint8Array(nPersons);

  for (let u = 0; u < n; u++) {
    const row = considered[u] as number;
    const personId = ixPerson[row] as string;
    const day = ixDate[row] as number;
    units.personId[u] = personId;
    units.indexId[u] = ixId[row] as string;
    units.indexType[u] = ixType.at(row) as string;
    units.indexDay[u] = day;
    units.indexRow[u] = row;
    const known = ixPk[row] as number;
    units.arm[u] = (armByPk !== null && known >= 0 ? armByPk[known] : armOf.get(personId)) ?? null;
    const pk = known >= 0 ? known : undefined;
    if (known >= 0) units.personRow[u] = firstRowOf[known] as number;
    let reason: DaysToMoudReason;
    if (pk === undefined) {
      reason = "EXCLUDED_UNKNOWN_PERSON";
    } else {
      personHasIndex[pk] = 1;
      const death = deathDay[pk] as number;
      if (p.selection === "first" && personSelected[pk]) {
        reason = "EXCLUDED_NOT_FIRST";
      } else if (
        isContinuing(medGroups, pk, day, stack, {
          date: medDate,
          row: medRows,
          moud: moudRow,
          route: medRoute,
          supply: medSupply,
          units: medUnits,
        })
      ) {
        reason = "EXCLUDED_CONTINUING_MOUD";
      } else {
        personSelected[pk] = 1;
        const window = followUpWindow(
          day,
          p.horizonDays,
          personSpans(obsGroups, pk, obsStart, obsEnd, spanScratch),
          Number.isNaN(death) ? null : death,
        );
        if (!Number.isNaN(death) && death < day) {
          reason = "EXCLUDED_DEATH_BEFORE_INDEX";
        } else if (window === null) {
          reason = "EXCLUDED_NO_OBSERVATION";
        } else {
          reason = "INCLUDED";
          const first = firstMoudOnOrAfter(medGroups, pk, day, medDate, moudRow);
          if (first !== null && first <= window.lastDay) {
            units.time[u] = first - day;
            units.event[u] = EVENT_MOUD;
            units.bridgeDay0[u] = first === day ? 1 : 0;
          } else {
            units.time[u] = window.lastDay - day;
            units.event[u] = window.endReason === "DEATH" ? EVENT_DEATH : EVENT_CENSORED;
          }
          units.endReason[u] = window.endReason;
        }
      }
    }
    units.reason[u] = reason;
    reasonCounts[reason]++;
  }
  let personsWithoutIndex = 0;
  for (let k = 0; k < nPersons; k++) if (!personHasIndex[k]) personsWithoutIndex++;

  return {
    measure: { id: DAYS_TO_MOUD_ID, version: DAYS_TO_MOUD_VERSION, params: p },
    units,
    reasonCounts,
    personsWithoutIndex,
    indexEventsOtherType,
    nonMoudMedicationRows,
  };
}

/**
 * True when the ids are strings in strictly increasing order both by code units (`Array.prototype.sort`)
 * and by `localeCompare`: sorting them then changes nothing and no two share a rank.
 */
function strictlyAscending(ids: readonly unknown[]): boolean {
  for (let k = 0; k < ids.length; k++) if (typeof ids[k] !== "string") return false;
  const s = ids as readonly string[];
  for (let k = 1; k < s.length; k++) {
    const a = s[k - 1] as string;
    const b = s[k] as string;
    if (!(a < b) || a.localeCompare(b) >= 0) return false;
  }
  return true;
}

/**
 * The merged observation spans of person pk (`mergeSpans` of the person's periods). With typed day
 * columns the periods are already in start order (grouped by start date), so they merge in one pass
 * into `scratch` (reused: read the result before the next call).
 */
function personSpans(
  groups: PersonEvents,
  pk: number,
  start: ArrayLike<number>,
  end: ArrayLike<number>,
  scratch: ObservationSpans,
): ObservationSpans {
  const lo = groups.offsets[pk] as number;
  const hi = groups.offsets[pk + 1] as number;
  if (!(start instanceof Int32Array && end instanceof Int32Array)) {
    const starts: number[] = [];
    const ends: number[] = [];
    for (let k = lo; k < hi; k++) {
      const r = groups.order[k] as number;
      starts.push(start[r] as number);
      ends.push(end[r] as number);
    }
    return mergeSpans(starts, ends);
  }
  const s = scratch.start as number[];
  const e = scratch.end as number[];
  s.length = 0;
  e.length = 0;
  for (let k = lo; k < hi; k++) {
    const r = groups.order[k] as number;
    appendSpan(s, e, start[r] as number, end[r] as number);
  }
  return scratch;
}

/** Dictionary codes of a string column: row i holds `values[code[i]]`, or null where code[i] is −1. */
interface RowCodes {
  readonly code: ArrayLike<number>;
  readonly values: readonly (string | null)[];
}

/** The codes of a column: the loader's dictionary (distinct values) as it is, other columns interned once. */
function codesOf(v: Values<string>): RowCodes {
  if (v instanceof DictColumn && new Set(v.values).size === v.values.length) {
    return { code: v.index, values: v.values as readonly (string | null)[] };
  }
  const code = new Int32Array(v.length);
  const values: (string | null)[] = [];
  const pos = new Map<string | null, number>();
  for (let i = 0; i < v.length; i++) {
    const x = v.at(i);
    let k = pos.get(x);
    if (k === undefined) {
      k = values.length;
      values.push(x);
      pos.set(x, k);
    }
    code[i] = k;
  }
  return { code, values };
}

/** 1 for the rows of an OUD medication (isMoudRow), decided once per distinct medication row. */
function moudRows(rows: RowCodes): Uint8Array {
  const ofValue = Uint8Array.from(rows.values, (x) => (isMoudRow(x as string) ? 1 : 0));
  const out = new Uint8Array(rows.code.length);
  for (let i = 0; i < out.length; i++) {
    const k = rows.code[i] as number;
    out[i] = k < 0 ? 0 : (ofValue[k] as number);
  }
  return out;
}

/** Per medication-row code: the running stacked coverage end of the current `isContinuing` call. */
interface StackScratch {
  call: number;
  readonly callOf: Int32Array;
  readonly end: Float64Array;
}

function stackScratch(nCodes: number): StackScratch {
  return { call: 0, callOf: new Int32Array(nCodes), end: new Float64Array(nCodes) };
}

/** Day of the first MOUD event on or after `day` for person pk, or null. */
function firstMoudOnOrAfter(
  groups: ReturnType<typeof groupEventsByPerson>,
  pk: number,
  day: number,
  dates: ArrayLike<number>,
  moud: Uint8Array,
): number | null {
  const lo = groups.offsets[pk] as number;
  const hi = groups.offsets[pk + 1] as number;
  for (let k = lo; k < hi; k++) {
    const r = groups.order[k] as number;
    const d = dates[r] as number;
    if (d >= day && moud[r] === 1) return d;
  }
  return null;
}

/**
 * True when MOUD supplies started before `day`, stacked per medication row (§15.2), still cover day − 1
 * or day (§15.6). Days supply by the §2.4 table (events without one cover their own day only).
 */
function isContinuing(
  groups: ReturnType<typeof groupEventsByPerson>,
  pk: number,
  day: number,
  stack: StackScratch,
  med: {
    date: ArrayLike<number>;
    row: RowCodes;
    moud: Uint8Array;
    route: Values<string>;
    supply: Values<number>;
    units: Values<number>;
  },
): boolean {
  const lo = groups.offsets[pk] as number;
  const hi = groups.offsets[pk + 1] as number;
  const call = ++stack.call; // codes whose callOf is this call have a running end
  for (let k = lo; k < hi; k++) {
    const r = groups.order[k] as number;
    const d = med.date[r] as number;
    if (d >= day) break;
    if (med.moud[r] === 0) continue;
    const c = med.row.code[r] as number;
    const medRow = med.row.values[c] as string;
    const days = daysSupplyOf(medRow, med.route.at(r) as string, med.supply.at(r), med.units.at(r)) ?? 1;
    const running = stack.callOf[c] === call ? (stack.end[c] as number) : undefined;
    const start = running !== undefined && running >= d ? running + 1 : d;
    stack.callOf[c] = call;
    stack.end[c] = start + days - 1;
  }
  for (let c = 0; c < stack.end.length; c++) {
    if (stack.callOf[c] === call && (stack.end[c] as number) >= day - 1) return true;
  }
  return false;
}
