/**
 * `MeasureData`: the loader's tables (one arquero table per table, columns contract) plus lazily built,
 * memoised typed views. Person ids are interned once across all tables, so every view indexes persons
 * with the same dense integers and every measure can share one coverage build.
 */

import { KeyColumn, RefColumn } from "../../dictionary/typed-columns.js";
import { InvalidInputError } from "../../stats/errors.js";
import {
  type CodeIndex,
  hasColumn,
  type ListColumn,
  NULL_DAY as NULL_DAY_IMPORTED,
  readBools,
  readCodeIndex,
  readCodes,
  readDays,
  readInts,
  readLists,
  readNums,
  readStrings,
  readStringsAt,
  type Table,
} from "./columns.js";
import { buildIntervalSets, type IntervalSets } from "./intervals.js";
import { buildCsr, type Csr, internColumn, internIdColumn, PersonIndex } from "./person-index.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

export const ENCOUNTER_KINDS = [
  "ED",
  "INPATIENT_ACUTE",
  "INPATIENT_NONACUTE",
  "RESIDENTIAL",
  "DETOX",
  "OBSERVATION",
  "OUTPATIENT",
  "IOP_PH",
  "TELEHEALTH",
  "TELEPHONE",
  "EVISIT",
  "OTP",
  "PEER",
  "OTHER",
] as const;
export type EncounterKind = (typeof ENCOUNTER_KINDS)[number];
export const KIND = Object.fromEntries(ENCOUNTER_KINDS.map((k, i) => [k, i])) as Record<
  EncounterKind,
  number
>;

export const DISPOSITIONS = ["RELEASED", "ADMITTED", "OBSERVATION", "TRANSFER", "LEFT", "DIED"] as const;
export const DISP = Object.fromEntries(DISPOSITIONS.map((k, i) => [k, i])) as Record<
  (typeof DISPOSITIONS)[number],
  number
>;

export const MED_ROWS = [
  "NALTREXONE_ORAL",
  "NALTREXONE_INJ",
  "BUP_ORAL",
  "BUP_ORAL_WEEKLY",
  "BUP_INJ",
  "BUP_IMPLANT",
  "BUP_NALOXONE",
  "METHADONE_ORAL",
  "METHADONE_ORAL_WEEKLY",
  "AUD_OTHER",
] as const;
export type MedRow = (typeof MED_ROWS)[number];
export const MED = Object.fromEntries(MED_ROWS.map((k, i) => [k, i])) as Record<MedRow, number>;

export const ROUTES = ["DISPENSING", "ADMINISTRATION", "OTP_DOSE"] as const;
export const MED_SETTINGS = ["COMMUNITY", "ED", "INPATIENT", "CUSTODY", "OTP"] as const;
export const OBSERVATION_SOURCES = ["ENROLLMENT", "STUDY", "PROGRAM"] as const;
export type ObservationSource = (typeof OBSERVATION_SOURCES)[number];
export const INDEX_TYPES = [
  "ED_VISIT",
  "OVERDOSE",
  "HOSPITAL_DISCHARGE",
  "RELEASE",
  "PEER_ENROLLMENT",
] as const;
export const PEER_SETTINGS = [
  "ED",
  "INPATIENT",
  "CUSTODY_PRE_RELEASE",
  "POST_RELEASE",
  "HARM_REDUCTION",
  "RECOVERY_CENTER",
  "TREATMENT_PROGRAM",
  "HOME_COMMUNITY",
  "OTHER",
] as const;
export const UDS_ANALYTES = [
  "OPIOID",
  "FENTANYL",
  "BUPRENORPHINE",
  "METHADONE",
  "COCAINE",
  "AMPHETAMINE",
  "BENZODIAZEPINE",
  "CANNABIS",
  "ALCOHOL",
  "OTHER",
] as const;
export const UDS_RESULTS = ["POS", "NEG", "INVALID"] as const;
export const SUBSTANCES = ["ALCOHOL", "OPIOID", "STIMULANT", "CANNABIS", "BENZODIAZEPINE", "OTHER"] as const;
export const INSTRUMENTS = ["BARC10", "ARC", "MIRC", "RCS", "GPRA"] as const;
export const WAVES = ["INTAKE", "M3", "M6", "M12", "DISCHARGE", "OTHER"] as const;

/** The loader's tables (MEASURES.md §8, columns contract). Every table is optional; measures say which they need. */
export interface MeasureTables {
  readonly persons?: Table;
  readonly observation_periods?: Table;
  readonly arms?: Table;
  readonly index_events?: Table;
  readonly encounters?: Table;
  readonly medication_events?: Table;
  readonly peer_contacts?: Table;
  readonly uds_results?: Table;
  readonly daily_use?: Table;
  readonly assessments?: Table;
  readonly co_interventions?: Table;
  /**
   * Toolkit extension, not in the loader contract: custody (incarceration) periods with columns
   * person_id, start_date, end_date. Used only where a measure removes custody days.
   */
  readonly custody_periods?: Table;
}

const TABLE_ORDER = [
  "persons",
  "arms",
  "observation_periods",
  "index_events",
  "encounters",
  "medication_events",
  "peer_contacts",
  "uds_results",
  "daily_use",
  "assessments",
  "co_interventions",
  "custody_periods",
] as const;
type TableName = (typeof TABLE_ORDER)[number];

export interface EncounterView {
  readonly n: number;
  readonly person: Int32Array;
  readonly start: Int32Array;
  /** end_date, or NULL_DAY when missing. */
  readonly end: Int32Array;
  readonly kind: Int8Array;
  /** disposition code index, −1 missing. */
  readonly disposition: Int8Array;
  /** rows by (person, start_date, kind). */
  readonly csr: Csr;
}

export interface EncounterCodesView {
  readonly encounterId: readonly (string | null)[];
  readonly pos: readonly (string | null)[];
  /** pos as a dictionary (per-value tests run once per distinct code). */
  readonly posCodes: CodeIndex;
  readonly procedures: ListColumn;
  readonly dxPrincipal: readonly (string | null)[];
  /** dx_principal as a dictionary. */
  readonly dxPrincipalCodes: CodeIndex;
  readonly dxOther: ListColumn;
  readonly provider: readonly (string | null)[];
  readonly providerIsMh: Int8Array;
  readonly labClaim: Int8Array;
}

export interface MedEventView {
  readonly n: number;
  readonly id: readonly (string | null)[];
  readonly person: Int32Array;
  readonly day: Int32Array;
  readonly route: Int8Array;
  readonly medRow: Int8Array;
  /** days_supply or NULL_DAY. */
  readonly daysSupply: Int32Array;
  /** units or NaN. */
  readonly units: Float64Array;
  readonly setting: Int8Array;
  /** rows by (person, event_date, med_row). */
  readonly csr: Csr;
}

export interface IndexView {
  readonly n: number;
  readonly id: readonly (string | null)[];
  readonly person: Int32Array;
  readonly day: Int32Array;
  readonly type: Int8Array;
  readonly encounterId: readonly (string | null)[];
  readonly csr: Csr;
}

export interface PeerContactView {
  readonly n: number;
  readonly id: readonly (string | null)[];
  readonly person: Int32Array;
  readonly day: Int32Array;
  /** 1 completed, 0 attempt only. */
  readonly completed: Int8Array;
  /** duration_min or NULL_DAY. */
  readonly duration: Int32Array;
  /** units or NULL_DAY. */
  readonly units: Int32Array;
  readonly setting: Int8Array;
  readonly hcpcs: readonly (string | null)[];
  /** hcpcs as a dictionary. */
  readonly hcpcsCodes: CodeIndex;
  readonly activities: ListColumn;
  readonly dx: ListColumn;
  readonly startTime: readonly (string | null)[];
  /** rows by (person, contact_date). */
  readonly csr: Csr;
}

export interface UdsView {
  readonly n: number;
  readonly person: Int32Array;
  readonly scheduled: Int32Array;
  readonly analyte: Int8Array;
  /** UDS_RESULTS index, −1 = specimen missing. */
  readonly result: Int8Array;
  readonly prescribedExplains: Int8Array;
  /** rows by (person, scheduled_date, analyte). */
  readonly csr: Csr;
}

export interface DailyUseView {
  readonly n: number;
  readonly person: Int32Array;
  readonly day: Int32Array;
  readonly substance: Int8Array;
  /** 1 used, 0 not used, −1 unknown. */
  readonly used: Int8Array;
  /** rows by (person, use_date, substance). */
  readonly csr: Csr;
}

export interface AssessmentView {
  readonly n: number;
  readonly id: readonly (string | null)[];
  /** assessment_id at the given rows (without reading the whole column). */
  idsAt(rows: ArrayLike<number>): (string | null)[];
  readonly person: Int32Array;
  readonly day: Int32Array;
  readonly instrument: Int8Array;
  readonly wave: Int8Array;
  readonly scoringVariant: readonly (string | null)[];
  /** gpra_interview_type or NULL_DAY. */
  readonly gpraType: Int32Array;
  readonly gpraAlcohol: Int32Array;
  readonly gpraDrugs: Int32Array;
  /** rows by (person, assessment_date). */
  readonly csr: Csr;
}

/** String columns read on first use only (most measures never need the ids of ten million events). */
const lazyIds = new WeakMap<Table, Map<string, readonly (string | null)[]>>();

/** `readStrings(t, name, fn, false)`, computed on first call and remembered per table. */
function lazyStrings(t: Table, name: string, fn: string): readonly (string | null)[] {
  let byName = lazyIds.get(t);
  if (byName === undefined) {
    byName = new Map();
    lazyIds.set(t, byName);
  }
  let ids = byName.get(name);
  if (ids === undefined) {
    ids = readStrings(t, name, fn, false);
    byName.set(name, ids);
  }
  return ids;
}

/** `lazyStrings(t, name, fn)` at the given rows: from the column when already read, else those rows only. */
function stringsAt(t: Table, name: string, fn: string, rows: ArrayLike<number>): (string | null)[] {
  const all = lazyIds.get(t)?.get(name);
  if (all === undefined) return readStringsAt(t, name, fn, rows);
  const out = new Array<string | null>(rows.length);
  for (let u = 0; u < rows.length; u++) out[u] = all[rows[u]!] ?? null;
  return out;
}

/** Loader tables plus memoised typed views; build once with `MeasureData.from(tables)` and share across measures. */
export class MeasureData {
  readonly persons = new PersonIndex();
  private readonly personCols = new Map<TableName, Int32Array>();
  private readonly cache = new Map<string, unknown>();
  /** Per loader key column: the person integer of each key interned so far. */
  private readonly keyMaps = new Map<KeyColumn, Int32Array>();

  private constructor(readonly tables: MeasureTables) {
    for (const name of TABLE_ORDER) {
      const t = tables[name];
      if (t === undefined) continue;
      if (!hasColumn(t, "person_id"))
        throw new InvalidInputError("MeasureData", `table ${name} has no person_id`);
      const raw = !t.isFiltered() && !t.isOrdered() ? (t.column("person_id") as unknown) : null;
      if (raw instanceof KeyColumn || raw instanceof RefColumn) {
        this.personCols.set(name, internIdColumn(this.persons, raw, this.keyMaps, "MeasureData", name));
        continue;
      }
      const ids = Array.isArray(raw) ? (raw as unknown[]) : (t.array("person_id") as ArrayLike<unknown>);
      this.personCols.set(name, internColumn(this.persons, ids, "MeasureData", name));
    }
  }

  /** Wraps loader tables (or returns an existing MeasureData unchanged). */
  static from(x: MeasureTables | MeasureData): MeasureData {
    return x instanceof MeasureData ? x : new MeasureData(x);
  }

  get nPersons(): number {
    return this.persons.size;
  }

  /** The table, or an InvalidInputError naming the measure that needs it. */
  require(name: TableName, fn: string): Table {
    const t = this.tables[name];
    if (t === undefined) throw new InvalidInputError(fn, `needs the ${name} table`);
    return t;
  }

  /** Interned person integers of a table's rows. */
  personColumn(name: TableName): Int32Array {
    const c = this.personCols.get(name);
    if (c === undefined) throw new InvalidInputError("MeasureData", `table ${name} not supplied`);
    return c;
  }

  /** Memoises any derived structure under a key (coverage builds, value-set matches…). */
  memo<T>(key: string, build: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const v = build();
    this.cache.set(key, v);
    return v;
  }

  /** Birth and death day per person (NULL_DAY when unknown or no persons table). */
  personDays(): { readonly birth: Int32Array; readonly death: Int32Array } {
    return this.memo("persons", () => {
      const n = this.nPersons;
      const birth = new Int32Array(n).fill(NULL_DAY);
      const death = new Int32Array(n).fill(NULL_DAY);
      const t = this.tables.persons;
      if (t !== undefined) {
        const p = this.personColumn("persons");
        const b = readDays(t, "birth_date", "persons", false);
        const d = readDays(t, "death_date", "persons", false);
        for (let i = 0; i < p.length; i++) {
          birth[p[i]!] = b[i]!;
          death[p[i]!] = d[i]!;
        }
      }
      return { birth, death };
    });
  }

  /** Arm per person (null when no arms table or no row). */
  arms(): (string | null)[] {
    return this.memo("arms", () => {
      const out: (string | null)[] = new Array(this.nPersons).fill(null);
      const t = this.tables.arms;
      if (t !== undefined) {
        const p = this.personColumn("arms");
        const a = readStrings(t, "arm", "arms", true);
        for (let i = 0; i < p.length; i++) out[p[i]!] = a[i]!;
      }
      return out;
    });
  }

  /**
   * Observation periods merged per person (overlapping or adjacent periods join), restricted to the
   * given sources; null when no observation_periods table was supplied.
   */
  observation(sources: readonly ObservationSource[] = OBSERVATION_SOURCES): IntervalSets | null {
    const t = this.tables.observation_periods;
    if (t === undefined) return null;
    return this.memo(`obs:${[...sources].sort().join(",")}`, () => {
      const p = this.personColumn("observation_periods");
      const s = readDays(t, "start_date", "observation_periods", true);
      const e = readDays(t, "end_date", "observation_periods", true);
      const src = readCodes(t, "source", OBSERVATION_SOURCES, "observation_periods", false);
      const allowed = new Uint8Array(OBSERVATION_SOURCES.length);
      for (const x of sources) allowed[OBSERVATION_SOURCES.indexOf(x)] = 1;
      return buildIntervalSets(p, s, e, this.nPersons, (i) => src[i] === -1 || allowed[src[i]!] === 1);
    });
  }

  /** Custody periods (toolkit extension table), merged per person; null when not supplied. */
  custody(): IntervalSets | null {
    const t = this.tables.custody_periods;
    if (t === undefined) return null;
    return this.memo("custody", () =>
      buildIntervalSets(
        this.personColumn("custody_periods"),
        readDays(t, "start_date", "custody_periods", true),
        readDays(t, "end_date", "custody_periods", true),
        this.nPersons,
      ),
    );
  }

  encounters(): EncounterView {
    return this.memo("encounters", () => {
      const fn = "encounters";
      const t = this.require("encounters", fn);
      const person = this.personColumn("encounters");
      const start = readDays(t, "start_date", fn, true);
      const end = readDays(t, "end_date", fn, false);
      const kind = readCodes(t, "kind", ENCOUNTER_KINDS, fn, true);
      const disposition = readCodes(t, "disposition", DISPOSITIONS, fn, false);
      return {
        n: person.length,
        person,
        start,
        end,
        kind,
        disposition,
        csr: buildCsr(person, this.nPersons, start, kind),
      };
    });
  }

  encounterCodes(): EncounterCodesView {
    return this.memo("encounterCodes", () => {
      const fn = "encounters";
      const t = this.require("encounters", fn);
      return {
        get encounterId() {
          return lazyStrings(t, "encounter_id", fn);
        },
        get pos() {
          return lazyStrings(t, "pos", fn);
        },
        posCodes: readCodeIndex(t, "pos", fn),
        procedures: readLists(t, "procedure_codes", fn),
        get dxPrincipal() {
          return lazyStrings(t, "dx_principal", fn);
        },
        dxPrincipalCodes: readCodeIndex(t, "dx_principal", fn),
        dxOther: readLists(t, "dx_other", fn),
        get provider() {
          return lazyStrings(t, "provider_id", fn);
        },
        providerIsMh: readBools(t, "provider_is_mh", fn, false),
        labClaim: readBools(t, "lab_claim", fn, false),
      };
    });
  }

  medEvents(): MedEventView {
    return this.memo("medEvents", () => {
      const fn = "medication_events";
      const t = this.require("medication_events", fn);
      const person = this.personColumn("medication_events");
      const day = readDays(t, "event_date", fn, true);
      const medRow = readCodes(t, "med_row", MED_ROWS, fn, true);
      return {
        n: person.length,
        get id() {
          return lazyStrings(t, "med_event_id", fn);
        },
        person,
        day,
        route: readCodes(t, "route", ROUTES, fn, true),
        medRow,
        daysSupply: readInts(t, "days_supply", fn, false),
        units: readNums(t, "units", fn, false),
        setting: readCodes(t, "setting", MED_SETTINGS, fn, false),
        csr: buildCsr(person, this.nPersons, day, medRow),
      };
    });
  }

  peerContacts(): PeerContactView {
    return this.memo("peerContacts", () => {
      const fn = "peer_contacts";
      const t = this.require("peer_contacts", fn);
      const person = this.personColumn("peer_contacts");
      const day = readDays(t, "contact_date", fn, true);
      return {
        n: person.length,
        get id() {
          return lazyStrings(t, "contact_id", fn);
        },
        person,
        day,
        completed: readBools(t, "completed", fn, true),
        duration: readInts(t, "duration_min", fn, false),
        units: readInts(t, "units", fn, false),
        setting: readCodes(t, "setting", PEER_SETTINGS, fn, false),
        get hcpcs() {
          return lazyStrings(t, "hcpcs", fn);
        },
        hcpcsCodes: readCodeIndex(t, "hcpcs", fn),
        activities: readLists(t, "activities", fn),
        dx: readLists(t, "dx", fn),
        get startTime() {
          return lazyStrings(t, "start_time", fn);
        },
        csr: buildCsr(person, this.nPersons, day),
      };
    });
  }

  uds(): UdsView {
    return this.memo("uds", () => {
      const fn = "uds_results";
      const t = this.require("uds_results", fn);
      const person = this.personColumn("uds_results");
      const scheduled = readDays(t, "scheduled_date", fn, true);
      const analyte = readCodes(t, "analyte", UDS_ANALYTES, fn, true);
      return {
        n: person.length,
        person,
        scheduled,
        analyte,
        result: readCodes(t, "result", UDS_RESULTS, fn, false),
        prescribedExplains: readBools(t, "prescribed_explains", fn, false),
        csr: buildCsr(person, this.nPersons, scheduled, analyte),
      };
    });
  }

  dailyUse(): DailyUseView {
    return this.memo("dailyUse", () => {
      const fn = "daily_use";
      const t = this.require("daily_use", fn);
      const person = this.personColumn("daily_use");
      const day = readDays(t, "use_date", fn, true);
      const substance = readCodes(t, "substance", SUBSTANCES, fn, true);
      return {
        n: person.length,
        person,
        day,
        substance,
        used: readBools(t, "used", fn, false),
        csr: buildCsr(person, this.nPersons, day, substance),
      };
    });
  }

  assessments(): AssessmentView {
    return this.memo("assessments", () => {
      const fn = "assessments";
      const t = this.require("assessments", fn);
      const person = this.personColumn("assessments");
      const day = readDays(t, "assessment_date", fn, true);
      return {
        n: person.length,
        get id() {
          return lazyStrings(t, "assessment_id", fn);
        },
        idsAt: (rows) => stringsAt(t, "assessment_id", fn, rows),
        person,
        day,
        instrument: readCodes(t, "instrument", INSTRUMENTS, fn, true),
        wave: readCodes(t, "wave", WAVES, fn, false),
        scoringVariant: readStrings(t, "scoring_variant", fn, false),
        gpraType: readInts(t, "gpra_interview_type", fn, false),
        gpraAlcohol: readInts(t, "gpra_days_alcohol", fn, false),
        gpraDrugs: readInts(t, "gpra_days_drugs", fn, false),
        csr: buildCsr(person, this.nPersons, day),
      };
    });
  }

  /** Item columns item_01 … item_<count> of the assessments table (NULL_DAY for missing or absent). */
  assessmentItems(count: number): Int32Array[] {
    return this.memo(`items:${count}`, () => {
      const t = this.require("assessments", "assessments");
      const out: Int32Array[] = [];
      for (let k = 1; k <= count; k++) {
        out.push(readInts(t, `item_${String(k).padStart(2, "0")}`, "assessments", false));
      }
      return out;
    });
  }

  indexEvents(): IndexView {
    return this.memo("indexEvents", () => {
      const fn = "index_events";
      const t = this.require("index_events", fn);
      const person = this.personColumn("index_events");
      const day = readDays(t, "index_date", fn, true);
      return {
        n: person.length,
        get id() {
          return lazyStrings(t, "index_id", fn);
        },
        person,
        day,
        type: readCodes(t, "type", INDEX_TYPES, fn, false),
        get encounterId() {
          return lazyStrings(t, "encounter_id", fn);
        },
        csr: buildCsr(person, this.nPersons, day),
      };
    });
  }

  /**
   * The data end used when a measure is not given one: the latest observation-period end, else the
   * latest date in the named event tables. Returns null when nothing is dated.
   */
  inferDataEnd(): number | null {
    return this.memo("dataEnd", () => {
      let best = NULL_DAY;
      const scan = (name: TableName, col: string): void => {
        const t = this.tables[name];
        if (t === undefined || !hasColumn(t, col)) return;
        const d = readDays(t, col, name, false);
        for (let i = 0; i < d.length; i++) if (d[i]! > best) best = d[i]!;
      };
      if (this.tables.observation_periods !== undefined) scan("observation_periods", "end_date");
      else {
        scan("encounters", "start_date");
        scan("encounters", "end_date");
        scan("medication_events", "event_date");
        scan("peer_contacts", "contact_date");
        scan("index_events", "index_date");
        scan("assessments", "assessment_date");
        scan("uds_results", "scheduled_date");
        scan("daily_use", "use_date");
      }
      return best === NULL_DAY ? null : best;
    });
  }
}
