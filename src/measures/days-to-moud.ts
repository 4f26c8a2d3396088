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
import { type FollowUpEnd, followUpWindow, mergeSpans } from "../cohort/follow-up.js";
import { buildPersonIndex, groupEventsByPerson } from "../cohort/person-events.js";
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

function col<T>(table: ColumnTable | undefined, name: string): ArrayLike<T> {
  if (!table) return [];
  return table.array(name) as unknown as ArrayLike<T>;
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
  const persons = buildPersonIndex(col<string>(tables.persons, "person_id"));
  const nPersons = persons.ids.length;

  const deathCol = col<number | null>(tables.persons, "death_date");
  const deathDay = new Float64Array(nPersons).fill(Number.NaN);
  const personIdsCol = col<string>(tables.persons, "person_id");
  for (let i = 0; i < personIdsCol.length; i++) {
    const k = persons.indexOf.get(personIdsCol[i] as string) as number;
    const d = deathCol[i];
    if (d !== null && d !== undefined && Number.isNaN(deathDay[k] as number)) deathDay[k] = d;
  }

  const armOf = new Map<string, string>();
  if (tables.arms) {
    const ids = col<string>(tables.arms, "person_id");
    const arms = col<string>(tables.arms, "arm");
    for (let i = 0; i < ids.length; i++) armOf.set(ids[i] as string, arms[i] as string);
  }

  // Observation spans per person.
  const obsPerson = col<string>(tables.observation_periods, "person_id");
  const obsStart = col<number>(tables.observation_periods, "start_date");
  const obsEnd = col<number>(tables.observation_periods, "end_date");
  const obsGroups = groupEventsByPerson(persons, obsPerson, obsStart);

  // MOUD events per person.
  const medPerson = col<string>(tables.medication_events, "person_id");
  const medDate = col<number>(tables.medication_events, "event_date");
  const medRow = col<string>(tables.medication_events, "med_row");
  const medRoute = col<string>(tables.medication_events, "route");
  const medSupply = col<number | null>(tables.medication_events, "days_supply");
  const medUnits = col<number | null>(tables.medication_events, "units");
  const medGroups = groupEventsByPerson(persons, medPerson, medDate);
  let nonMoudMedicationRows = 0;
  for (let i = 0; i < medRow.length; i++) if (!isMoudRow(medRow[i] as string)) nonMoudMedicationRows++;

  // Index events of the requested types, grouped per person in date order (ties by index_id).
  const ixId = col<string>(tables.index_events, "index_id");
  const ixPerson = col<string>(tables.index_events, "person_id");
  const ixType = col<string>(tables.index_events, "type");
  const ixDate = col<number>(tables.index_events, "index_date");
  const typeSet = p.indexTypes ? new Set(p.indexTypes) : null;
  const considered: number[] = [];
  let indexEventsOtherType = 0;
  for (let i = 0; i < ixId.length; i++) {
    if (typeSet && !typeSet.has(ixType[i] as string)) indexEventsOtherType++;
    else considered.push(i);
  }
  considered.sort(
    (a, b) =>
      (ixPerson[a] as string).localeCompare(ixPerson[b] as string) ||
      (ixDate[a] as number) - (ixDate[b] as number) ||
      (ixId[a] as string).localeCompare(ixId[b] as string),
  );

  const n = considered.length;
  const units: DaysToMoudUnits = {
    personId: new Array<string>(n),
    indexId: new Array<string>(n),
    indexType: new Array<string>(n),
    indexDay: new Int32Array(n),
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
    units.indexType[u] = ixType[row] as string;
    units.indexDay[u] = day;
    units.arm[u] = armOf.get(personId) ?? null;
    const pk = persons.indexOf.get(personId);
    let reason: DaysToMoudReason;
    if (pk === undefined) {
      reason = "EXCLUDED_UNKNOWN_PERSON";
    } else {
      personHasIndex[pk] = 1;
      const death = deathDay[pk] as number;
      if (p.selection === "first" && personSelected[pk]) {
        reason = "EXCLUDED_NOT_FIRST";
      } else if (
        isContinuing(medGroups, pk, day, {
          date: medDate,
          row: medRow,
          route: medRoute,
          supply: medSupply,
          units: medUnits,
        })
      ) {
        reason = "EXCLUDED_CONTINUING_MOUD";
      } else {
        personSelected[pk] = 1;
        const lo = obsGroups.offsets[pk] as number;
        const hi = obsGroups.offsets[pk + 1] as number;
        const starts: number[] = [];
        const ends: number[] = [];
        for (let k = lo; k < hi; k++) {
          const r = obsGroups.order[k] as number;
          starts.push(obsStart[r] as number);
          ends.push(obsEnd[r] as number);
        }
        const window = followUpWindow(
          day,
          p.horizonDays,
          mergeSpans(starts, ends),
          Number.isNaN(death) ? null : death,
        );
        if (!Number.isNaN(death) && death < day) {
          reason = "EXCLUDED_DEATH_BEFORE_INDEX";
        } else if (window === null) {
          reason = "EXCLUDED_NO_OBSERVATION";
        } else {
          reason = "INCLUDED";
          const first = firstMoudOnOrAfter(medGroups, pk, day, medDate, medRow);
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

/** Day of the first MOUD event on or after `day` for person pk, or null. */
function firstMoudOnOrAfter(
  groups: ReturnType<typeof groupEventsByPerson>,
  pk: number,
  day: number,
  dates: ArrayLike<number>,
  rows: ArrayLike<string>,
): number | null {
  const lo = groups.offsets[pk] as number;
  const hi = groups.offsets[pk + 1] as number;
  for (let k = lo; k < hi; k++) {
    const r = groups.order[k] as number;
    const d = dates[r] as number;
    if (d >= day && isMoudRow(rows[r] as string)) return d;
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
  med: {
    date: ArrayLike<number>;
    row: ArrayLike<string>;
    route: ArrayLike<string>;
    supply: ArrayLike<number | null>;
    units: ArrayLike<number | null>;
  },
): boolean {
  const lo = groups.offsets[pk] as number;
  const hi = groups.offsets[pk + 1] as number;
  const coveredThrough = new Map<string, number>();
  for (let k = lo; k < hi; k++) {
    const r = groups.order[k] as number;
    const d = med.date[r] as number;
    if (d >= day) break;
    const medRow = med.row[r] as string;
    if (!isMoudRow(medRow)) continue;
    const days =
      daysSupplyOf(medRow, med.route[r] as string, med.supply[r] ?? null, med.units[r] ?? null) ?? 1;
    const running = coveredThrough.get(medRow);
    const start = running !== undefined && running >= d ? running + 1 : d;
    coveredThrough.set(medRow, start + days - 1);
  }
  for (const end of coveredThrough.values()) if (end >= day - 1) return true;
  return false;
}
