/** Small builders for hand-made measure fixtures: ISO dates in, loader-shaped arquero tables out. */
import { type ColumnTable, table } from "arquero";
import { parseIsoDate } from "../../src/dates.js";

/** Day number of an ISO date (throws on a typo so fixtures cannot silently shift). */
export function d(iso: string): number {
  const x = parseIsoDate(iso);
  if (x === null) throw new Error(`bad fixture date ${iso}`);
  return x;
}

type Row = Record<string, unknown>;

/** Builds a loader-shaped table from row objects; `columns` fixes the column set (missing keys → null). */
export function rows(columns: readonly string[], data: readonly Row[]): ColumnTable {
  const cols: Record<string, unknown[]> = {};
  for (const c of columns) cols[c] = data.map((r) => (r[c] === undefined ? null : r[c]));
  return table(cols);
}

export const MED_COLS = [
  "med_event_id",
  "person_id",
  "event_date",
  "route",
  "med_row",
  "days_supply",
  "units",
  "setting",
] as const;
export const ENC_COLS = [
  "encounter_id",
  "person_id",
  "start_date",
  "end_date",
  "kind",
  "pos",
  "procedure_codes",
  "dx_principal",
  "dx_other",
  "provider_id",
  "provider_is_mh",
  "disposition",
  "lab_claim",
] as const;
export const PERSON_COLS = ["person_id", "birth_date", "death_date"] as const;
export const OBS_COLS = ["period_id", "person_id", "start_date", "end_date", "source"] as const;
export const ARM_COLS = ["person_id", "design", "arm"] as const;
export const INDEX_COLS = [
  "index_id",
  "person_id",
  "type",
  "index_date",
  "setting",
  "source_system",
] as const;

/** A medication event row with defaults (BUP_ORAL dispensing). */
export function med(person: string, date: string, extra: Row = {}): Row {
  return { person_id: person, event_date: d(date), route: "DISPENSING", med_row: "BUP_ORAL", ...extra };
}

/** An encounter row. */
export function enc(person: string, kind: string, start: string, extra: Row = {}): Row {
  const e = extra.end_date;
  return {
    person_id: person,
    kind,
    start_date: d(start),
    ...extra,
    end_date: typeof e === "string" ? d(e) : (e ?? null),
  };
}

export function persons(list: readonly Row[]): ColumnTable {
  return rows(
    PERSON_COLS,
    list.map((r) => ({
      ...r,
      birth_date: typeof r.birth_date === "string" ? d(r.birth_date) : (r.birth_date ?? null),
      death_date: typeof r.death_date === "string" ? d(r.death_date) : (r.death_date ?? null),
    })),
  );
}
