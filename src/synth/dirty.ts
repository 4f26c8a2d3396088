/**
 * Injects realistic data errors into one person's rows (option `dirty`), for testing validators.
 * Each chosen person gets exactly one error; every error is logged (kind, table, row id, column) and
 * written to truth.json, so a validator's findings can be checked one by one.
 */

import type { PersonSummary } from "./person.js";
import { type DateText, T } from "./person.js";
import type { Rng } from "./rng.js";
import { SYNTH_COLUMNS, SYNTH_TABLES, type SynthTableName } from "./tables.js";
import type { DirtyError } from "./truth.js";

/** The error kinds the injector can produce. */
export const DIRTY_KINDS = [
  "END_BEFORE_START",
  "EVENT_AFTER_DEATH",
  "OUTSIDE_OBSERVATION",
  "INVALID_DATE",
  "INVALID_CODE",
  "NONPOSITIVE_DAYS_SUPPLY",
  "DUPLICATE_PRIMARY_KEY",
  "ORPHAN_FOREIGN_KEY",
  "ITEM_OUT_OF_RANGE",
  "MISSING_REQUIRED",
  "NEGATIVE_DURATION",
  "BAD_BOOLEAN",
  "DUPLICATE_ED_SAME_DAY",
] as const;
export type DirtyKind = (typeof DIRTY_KINDS)[number];

function col(table: SynthTableName, name: string): number {
  return SYNTH_COLUMNS[table].indexOf(name);
}

/**
 * Applies one error of a randomly chosen kind to the person's rows and logs it. When the kind does
 * not apply to this person (e.g. EVENT_AFTER_DEATH for someone alive), the next kinds are tried in a
 * random cyclic order; BAD_BOOLEAN always applies, so exactly one error is injected.
 */
export function injectError(
  rng: Rng,
  person: PersonSummary,
  rows: string[][],
  dates: DateText,
  log: DirtyError[],
): void {
  const K = DIRTY_KINDS.length;
  const first = Math.floor(rng.uniform() * K);
  // K is prime, so every step 1 … K−1 visits every kind.
  const step = 1 + Math.floor(rng.uniform() * (K - 1));
  for (let k = 0; k < K; k++) {
    if (apply(DIRTY_KINDS[(first + k * step) % K] as DirtyKind, rng, person, rows, dates, log)) return;
  }
}

function personRows(
  person: PersonSummary,
  rows: string[][],
  t: number,
  filter?: (cells: string[]) => boolean,
): number[] {
  const out: number[] = [];
  const list = rows[t]!;
  for (let i = person.starts[t]!; i < list.length; i++) {
    if (filter === undefined || filter(list[i]!.split(","))) out.push(i);
  }
  return out;
}

function apply(
  kind: DirtyKind,
  rng: Rng,
  person: PersonSummary,
  rows: string[][],
  dates: DateText,
  log: DirtyError[],
): boolean {
  const pick = (list: number[]): number => list[Math.floor(rng.uniform() * list.length)] as number;
  const edit = (t: number, idx: number, column: string, value: string): void => {
    const table = SYNTH_TABLES[t]!;
    const cells = rows[t]![idx]!.split(",");
    cells[col(table, column)] = value;
    rows[t]![idx] = cells.join(",");
    log.push({ kind, table, rowId: cells[0] as string, column });
  };
  const lat = person.latent;
  // Single-date event tables (encounters are left out so that one edit makes exactly one error).
  const eventTables: [number, string][] = [
    [T.medication_events, "event_date"],
    [T.co_interventions, "co_date"],
    [T.peer_contacts, "contact_date"],
  ];
  const pickEventRow = (): [number, string, number] | null => {
    const candidates = eventTables.filter(([t]) => rows[t]!.length > person.starts[t]!);
    if (candidates.length === 0) return null;
    const [t, column] = candidates[Math.floor(rng.uniform() * candidates.length)]!;
    return [t, column, pick(personRows(person, rows, t))];
  };
  switch (kind) {
    case "END_BEFORE_START": {
      // Swap the dates of a multi-day stay (observation periods are left alone: a broken period
      // would put all of the person's events outside observation).
      const e = col("encounters", "end_date");
      const s = col("encounters", "start_date");
      const stays = personRows(person, rows, T.encounters, (c) => (c[e] ?? "") > (c[s] ?? ""));
      if (stays.length === 0) return false;
      const idx = pick(stays);
      const cells = rows[T.encounters]![idx]!.split(",");
      const tmp = cells[s] as string;
      cells[s] = cells[e] as string;
      cells[e] = tmp;
      rows[T.encounters]![idx] = cells.join(",");
      log.push({ kind, table: "encounters", rowId: cells[0] as string, column: "end_date" });
      return true;
    }
    case "EVENT_AFTER_DEATH": {
      if (!person.dead) return false;
      const r = pickEventRow();
      if (r === null) return false;
      edit(r[0], r[2], r[1], dates.get(lat.indexDay + person.endDay + rng.int(1, 30)));
      return true;
    }
    case "OUTSIDE_OBSERVATION": {
      const r = pickEventRow();
      if (r === null) return false;
      const day = person.dead
        ? lat.indexDay + lat.obsStart - rng.int(1, 60)
        : lat.indexDay + person.endDay + rng.int(1, 60);
      edit(r[0], r[2], r[1], dates.get(day));
      return true;
    }
    case "INVALID_DATE": {
      const r = pickEventRow();
      if (r === null) return false;
      const cells = rows[r[0]]![r[2]]!.split(",");
      const original = cells[col(SYNTH_TABLES[r[0]]!, r[1])] as string;
      const [y, m, d] = original.split("-");
      const value = rng.uniform() < 0.5 ? `${y}-02-30` : `${m}/${d}/${y}`;
      edit(r[0], r[2], r[1], value);
      return true;
    }
    case "INVALID_CODE": {
      const u = rng.uniform();
      if (u < 0.4 && rows[T.encounters]!.length > person.starts[T.encounters]!) {
        edit(
          T.encounters,
          pick(personRows(person, rows, T.encounters)),
          "kind",
          rng.uniform() < 0.5 ? "ER" : "ed",
        );
      } else if (u < 0.7 && rows[T.medication_events]!.length > person.starts[T.medication_events]!) {
        edit(T.medication_events, pick(personRows(person, rows, T.medication_events)), "route", "Dispensing");
      } else {
        edit(T.persons, person.starts[T.persons]!, "sex", rng.uniform() < 0.5 ? "Male" : "f");
      }
      return true;
    }
    case "NONPOSITIVE_DAYS_SUPPLY": {
      const list = personRows(person, rows, T.medication_events);
      if (list.length === 0) return false;
      edit(T.medication_events, pick(list), "days_supply", rng.uniform() < 0.5 ? "0" : "-7");
      return true;
    }
    case "DUPLICATE_PRIMARY_KEY": {
      const t =
        rows[T.medication_events]!.length > person.starts[T.medication_events]!
          ? T.medication_events
          : T.encounters;
      const list = personRows(person, rows, t);
      if (list.length === 0) return false;
      const idx = pick(list);
      const row = rows[t]![idx]!;
      rows[t]!.splice(idx + 1, 0, row);
      log.push({
        kind,
        table: SYNTH_TABLES[t]!,
        rowId: row.split(",")[0] as string,
        column: SYNTH_COLUMNS[SYNTH_TABLES[t]!][0]!,
      });
      return true;
    }
    case "ORPHAN_FOREIGN_KEY": {
      const r = pickEventRow();
      if (r === null) return false;
      edit(r[0], r[2], "person_id", `${person.pid}X`);
      return true;
    }
    case "ITEM_OUT_OF_RANGE": {
      const inst = col("assessments", "instrument");
      const list = personRows(person, rows, T.assessments, (c) => c[inst] === "BARC10");
      if (list.length === 0) return false;
      const item = `item_${String(rng.int(1, 10)).padStart(2, "0")}`;
      edit(T.assessments, pick(list), item, rng.uniform() < 0.5 ? "7" : "0");
      return true;
    }
    case "MISSING_REQUIRED": {
      const r = pickEventRow();
      if (r === null) return false;
      edit(r[0], r[2], r[1], "");
      return true;
    }
    case "NEGATIVE_DURATION": {
      const d = col("peer_contacts", "duration_min");
      const list = personRows(person, rows, T.peer_contacts, (c) => (c[d] ?? "") !== "");
      if (list.length === 0) return false;
      edit(T.peer_contacts, pick(list), "duration_min", "-15");
      return true;
    }
    case "BAD_BOOLEAN": {
      // An encounter flag when there is one (a bad persons row would orphan all the person's rows).
      const value = rng.uniform() < 0.5 ? "Y" : "yes";
      const enc = personRows(person, rows, T.encounters);
      if (enc.length > 0) edit(T.encounters, pick(enc), "lab_claim", value);
      else edit(T.persons, person.starts[T.persons]!, "active_use_at_enrollment", value);
      return true;
    }
    case "DUPLICATE_ED_SAME_DAY": {
      const k = col("encounters", "kind");
      const list = personRows(person, rows, T.encounters, (c) => c[k] === "ED");
      if (list.length === 0) return false;
      const idx = pick(list);
      const cells = rows[T.encounters]![idx]!.split(",");
      cells[0] = `${cells[0]}D`;
      rows[T.encounters]!.splice(idx + 1, 0, cells.join(","));
      log.push({ kind, table: "encounters", rowId: cells[0] as string, column: "start_date" });
      return true;
    }
  }
}
