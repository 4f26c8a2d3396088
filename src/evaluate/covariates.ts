/**
 * The catalogue of pre-index covariates an adjusted design may use, and their computation for the
 * analysed units. Every covariate is measured strictly before the index episode (time zero is the
 * same index-event definition in both arms, so nothing after time zero can enter the propensity model).
 *
 * Baseline window: the 365 days before the start of the index episode, [anchor − 365, anchor − 1],
 * where the anchor is the start date of the index event's encounter when the index event points at
 * one that began earlier (a hospital discharge: the admission, whose ED visit belongs to the index
 * episode), else the index date.
 *
 * Missing values: a missing code (or yes/no) becomes its own category "(missing)" (missing-indicator
 * category); a missing number (age) either stops the evaluation (`numericMissing: "error"`) or is filled
 * with the mean of the observed values with an added 0/1 missing-indicator column (`"indicator"`, the
 * default). Counts of missing values per arm are reported.
 */

import { civilFromDays } from "../dates.js";
import type { Dataset } from "../dictionary/load-result.js";
import { foreignKeyRows } from "../dictionary/typed-columns.js";
import { type CodeIndex, readCodeIndex, readDays, readLists } from "../measures/core/columns.js";
import { isMoudRow } from "../measures/moud-days-supply.js";
import { illustrativeValueSets, VALUE_SET_IDS } from "../measures/value-sets.js";
import { InvalidInputError } from "../stats/errors.js";
import { mapToFloat64, mapToInt32, mapToUint8 } from "../util/typed-map.js";
import type { CovariateName } from "./config.js";
import { columnValues } from "./table-columns.js";

/** Label shown for the missing-value category of a code covariate. */
export const MISSING_LEVEL = "(missing)";

/** Days before the index episode that the prior-* covariates look back. */
export const BASELINE_DAYS = 365;

export interface CovariateDefinition {
  readonly name: CovariateName;
  readonly label: string;
  readonly kind: "numeric" | "code";
  /** Where it comes from and how it is computed. */
  readonly definition: string;
}

/** The fixed catalogue (config `design.covariates` names entries of it). */
export const COVARIATE_CATALOGUE: Readonly<Record<CovariateName, CovariateDefinition>> = {
  age: {
    name: "age",
    label: "Age at index (years)",
    kind: "numeric",
    definition: "(index date − persons.birth_date) / 365.25",
  },
  sex: { name: "sex", label: "Sex", kind: "code", definition: "persons.sex" },
  race: { name: "race", label: "Race", kind: "code", definition: "persons.race" },
  ethnicity: { name: "ethnicity", label: "Ethnicity", kind: "code", definition: "persons.ethnicity" },
  payer: { name: "payer", label: "Payer", kind: "code", definition: "persons.payer" },
  housing: { name: "housing", label: "Housing", kind: "code", definition: "persons.housing" },
  rurality: { name: "rurality", label: "Rurality", kind: "code", definition: "persons.rurality" },
  justice_involved: {
    name: "justice_involved",
    label: "Justice involved",
    kind: "code",
    definition: "persons.justice_involved (yes/no)",
  },
  primary_substance: {
    name: "primary_substance",
    label: "Primary substance",
    kind: "code",
    definition: "persons.primary_substance",
  },
  active_use_at_enrollment: {
    name: "active_use_at_enrollment",
    label: "Active use at enrollment",
    kind: "code",
    definition: "persons.active_use_at_enrollment (yes/no)",
  },
  index_setting: {
    name: "index_setting",
    label: "Index setting",
    kind: "code",
    definition: "index_events.setting of the index event",
  },
  index_type: {
    name: "index_type",
    label: "Index event type",
    kind: "code",
    definition: "index_events.type of the index event",
  },
  index_year: {
    name: "index_year",
    label: "Index year",
    kind: "code",
    definition: "calendar year of the index date",
  },
  site: {
    name: "site",
    label: "Site",
    kind: "code",
    definition: "index_events.site_id of the index event, else arms.site_id",
  },
  prior_ed_visits_365: {
    name: "prior_ed_visits_365",
    label: "ED visits in the year before the index",
    kind: "numeric",
    definition: `number of encounters of kind ED starting in the ${BASELINE_DAYS} days before the index episode`,
  },
  prior_ed_visits_365_group: {
    name: "prior_ed_visits_365_group",
    label: "ED visits in the year before the index (grouped)",
    kind: "code",
    definition:
      "prior_ed_visits_365 grouped as 0, 1, 2, 3–4, 5 or more (a step function, so a few people with many visits do not dominate a linear term)",
  },
  prior_overdose_365: {
    name: "prior_overdose_365",
    label: "Overdose in the year before the index",
    kind: "code",
    definition: `an encounter with a drug-overdose diagnosis (ILLUSTRATIVE value set DRUG_OVERDOSE_DX: ICD-10-CM T40.x, principal or other) or an OVERDOSE index event in the ${BASELINE_DAYS} days before the index episode (yes/no)`,
  },
  prior_moud_365: {
    name: "prior_moud_365",
    label: "MOUD in the year before the index",
    kind: "code",
    definition: `a MOUD medication event (any medication row except AUD_OTHER) in the ${BASELINE_DAYS} days before the index episode (yes/no)`,
  },
};

/** The analysed units whose covariates are computed (aligned arrays). */
export interface CovariateUnits {
  readonly personId: readonly string[];
  readonly indexId: readonly string[];
  readonly indexDay: ArrayLike<number>;
  /** Row of each unit's index event in index_events, when known (saves looking the ids up). */
  readonly indexRow?: ArrayLike<number>;
}

/** A numeric covariate: values (NaN = missing before the rule) and the missing mask. */
export interface NumericCovariate {
  readonly name: CovariateName;
  readonly kind: "numeric";
  readonly values: Float64Array;
  readonly missing: Uint8Array;
}

/** A code covariate: level per unit (MISSING_LEVEL for a missing value), levels sorted. */
export interface CodeCovariate {
  readonly name: CovariateName;
  readonly kind: "code";
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

export type CovariateColumnValues = NumericCovariate | CodeCovariate;

function col<T>(table: Dataset[keyof Dataset], name: string): ArrayLike<T> | null {
  return columnValues<T>(table, name);
}

const FN = "computeCovariates";

/** A string or code column as a dictionary (all −1 when the table has no such column). */
function dictionaryOf(table: NonNullable<Dataset[keyof Dataset]>, name: string): CodeIndex {
  if (table.columnIndex(name) < 0) return { index: new Int32Array(table.numRows()).fill(-1), values: [] };
  return readCodeIndex(table, name, FN);
}

function requireTable(
  dataset: Dataset,
  name: keyof Dataset,
  covariate: string,
): NonNullable<Dataset[keyof Dataset]> {
  const t = dataset[name];
  if (!t) {
    throw new InvalidInputError(
      "covariates",
      `covariate "${covariate}" needs ${name}.csv in the data folder (or remove it from design.covariates)`,
    );
  }
  return t;
}

function yesNo(v: unknown): string | null {
  if (v === null || v === undefined || v === "") return null;
  if (v === true || v === 1 || v === "1" || v === "true") return "yes";
  if (v === false || v === 0 || v === "0" || v === "false") return "no";
  return String(v);
}

/** Builds a code column from labels (null = missing), levels in sorted order with "(missing)" last. */
function codeColumn(name: CovariateName, labels: readonly (string | null)[]): CodeCovariate {
  const set = new Set<string>();
  let anyMissing = false;
  for (const l of labels) {
    if (l === null) anyMissing = true;
    else set.add(l);
  }
  const levels = [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (anyMissing) levels.push(MISSING_LEVEL);
  const index = new Map(levels.map((l, k) => [l, k]));
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    codes[i] = index.get(l === null || l === undefined ? MISSING_LEVEL : l) as number;
  }
  return { name, kind: "code", codes, levels };
}

/**
 * A code column from a dictionary-coded table column (`readCodeIndex`) read at each unit's row (−1 =
 * none): the label of each distinct value is worked out once, then units are coded in one typed pass.
 * The same levels and codes as `codeColumn` of the per-unit labels.
 */
function dictionaryCodeColumn(
  name: CovariateName,
  rowOfUnit: ArrayLike<number>,
  dict: CodeIndex,
  toLabel: (value: string) => string | null,
): CodeCovariate {
  const n = rowOfUnit.length;
  const labelOf = dict.values.map(toLabel);
  const used = new Uint8Array(labelOf.length);
  let anyMissing = false;
  for (let u = 0; u < n; u++) {
    const r = rowOfUnit[u] as number;
    const k = r < 0 ? -1 : (dict.index[r] as number);
    if (k < 0 || labelOf[k] === null) anyMissing = true;
    else used[k] = 1;
  }
  const set = new Set<string>();
  labelOf.forEach((l, k) => {
    if (used[k] && l !== null) set.add(l);
  });
  const levels = [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (anyMissing) levels.push(MISSING_LEVEL);
  const level = new Map(levels.map((l, k) => [l, k]));
  const missing = anyMissing ? levels.length - 1 : -1;
  const codeOf = Int32Array.from(labelOf, (l) => (l === null ? missing : (level.get(l) ?? missing)));
  const codes = new Int32Array(n);
  for (let u = 0; u < n; u++) {
    const r = rowOfUnit[u] as number;
    const k = r < 0 ? -1 : (dict.index[r] as number);
    codes[u] = k < 0 ? missing : (codeOf[k] as number);
  }
  return { name, kind: "code", codes, levels };
}

/** Per-person list of unit positions (a person may hold several units only with selection "all"). */
const unitsByPersonMemo = new WeakMap<CovariateUnits, Map<string, number[]>>();

/** Units of each person id (memoized per units object: every person-level covariate needs it). */
function unitsByPerson(units: CovariateUnits): Map<string, number[]> {
  const memo = unitsByPersonMemo.get(units);
  if (memo) return memo;
  const m = new Map<string, number[]>();
  unitsByPersonMemo.set(units, m);
  for (let u = 0; u < units.personId.length; u++) {
    const id = units.personId[u] as string;
    const list = m.get(id);
    if (list) list.push(u);
    else m.set(id, [u]);
  }
  return m;
}

/** Index-event rows of the units (given, or looked up by index id). */
function indexRows(dataset: Dataset, units: CovariateUnits): Int32Array {
  const t = requireTable(dataset, "index_events", "index");
  if (units.indexRow && units.indexRow.length === units.indexId.length) {
    return units.indexRow instanceof Int32Array ? units.indexRow : Int32Array.from(units.indexRow);
  }
  const ids = col<string>(t, "index_id");
  const want = new Map<string, number>();
  units.indexId.forEach((id, u) => {
    want.set(id, u);
  });
  const rows = new Int32Array(units.indexId.length).fill(-1);
  if (ids) {
    for (let r = 0; r < ids.length; r++) {
      const u = want.get(ids[r] as string);
      if (u !== undefined) rows[u] = r;
    }
  }
  return rows;
}

/** Start of the index episode per unit: the index encounter's start date when earlier, else the index day. */
export function indexEpisodeStart(dataset: Dataset, units: CovariateUnits, rows?: Int32Array): Int32Array {
  const n = units.indexId.length;
  const anchor = mapToInt32({ length: n }, (_, u) => units.indexDay[u] as number);
  const ix = dataset.index_events;
  const enc = dataset.encounters;
  if (!ix || !enc) return anchor;
  const r = rows ?? indexRows(dataset, units);
  // The loader's foreign-key rows: index event → encounter row, without building any string.
  const encRowOfIndex = foreignKeyRows(ix, "encounter_id");
  const encStartRows = col<number>(enc, "start_date");
  if (encRowOfIndex && encStartRows) {
    for (let u = 0; u < n; u++) {
      const row = r[u] as number;
      const e = row < 0 ? -1 : (encRowOfIndex[row] as number);
      if (e < 0) continue;
      const st = encStartRows[e] as number | null;
      if (st !== null && st < (anchor[u] as number)) anchor[u] = st;
    }
    return anchor;
  }
  const encIdOfIndex = col<string | null>(ix, "encounter_id");
  if (!encIdOfIndex) return anchor;
  const wanted = new Map<string, number[]>();
  for (let u = 0; u < n; u++) {
    const row = r[u] as number;
    if (row < 0) continue;
    const e = encIdOfIndex[row];
    if (e === null || e === undefined || e === "") continue;
    const list = wanted.get(e);
    if (list) list.push(u);
    else wanted.set(e, [u]);
  }
  if (wanted.size === 0) return anchor;
  const encIds = col<string>(enc, "encounter_id");
  const encStart = col<number>(enc, "start_date");
  if (!encIds || !encStart) return anchor;
  for (let k = 0; k < encIds.length; k++) {
    const list = wanted.get(encIds[k] as string);
    if (!list) continue;
    const s = encStart[k] as number;
    for (const u of list) if (s < (anchor[u] as number)) anchor[u] = s;
  }
  return anchor;
}

function personColumn(
  dataset: Dataset,
  units: CovariateUnits,
  column: string,
  covariate: string,
  tableName: "persons" | "arms" = "persons",
): (unknown | null)[] {
  const t = requireTable(dataset, tableName, covariate);
  const values = col<unknown>(t, column);
  const n = units.personId.length;
  const out = new Array<unknown | null>(n).fill(null);
  if (!values) return out;
  const rows = personRows(t, units, dataset);
  for (let u = 0; u < n; u++) {
    const r = rows[u] as number;
    if (r >= 0) out[u] = values[r] ?? null;
  }
  return out;
}

const personRowsMemo = new WeakMap<object, WeakMap<CovariateUnits, Int32Array>>();

/**
 * The same rows from the loader's foreign-key columns (index event → person row, table row → person
 * row) when the units' index rows are known; null otherwise.
 */
function personRowsByKeys(
  dataset: Dataset,
  t: NonNullable<Dataset[keyof Dataset]>,
  units: CovariateUnits,
): Int32Array | null {
  const ix = dataset.index_events;
  const persons = dataset.persons;
  if (!units.indexRow || !ix || !persons) return null;
  const personOfIndex = foreignKeyRows(ix, "person_id");
  if (!personOfIndex) return null;
  let rowOfPerson: Int32Array | null = null;
  if (t !== persons) {
    const personOfRow = foreignKeyRows(t, "person_id");
    if (!personOfRow) return null;
    rowOfPerson = new Int32Array(persons.numRows()).fill(-1);
    for (let r = 0; r < personOfRow.length; r++) {
      const p = personOfRow[r] as number;
      if (p >= 0) rowOfPerson[p] = r;
    }
  }
  const n = units.personId.length;
  const out = new Int32Array(n).fill(-1);
  for (let u = 0; u < n; u++) {
    const ir = units.indexRow[u] as number;
    const p = ir < 0 ? -1 : (personOfIndex[ir] as number);
    out[u] = p < 0 ? -1 : rowOfPerson ? (rowOfPerson[p] as number) : p;
  }
  return out;
}

/** Row of each unit's person in a person-keyed table (−1 = none), memoized per table and units. */
function personRows(
  t: NonNullable<Dataset[keyof Dataset]>,
  units: CovariateUnits,
  dataset: Dataset,
): Int32Array {
  let byUnits = personRowsMemo.get(t);
  if (!byUnits) {
    byUnits = new WeakMap();
    personRowsMemo.set(t, byUnits);
  }
  const memo = byUnits.get(units);
  if (memo) return memo;
  const fast = personRowsByKeys(dataset, t, units);
  if (fast) {
    byUnits.set(units, fast);
    return fast;
  }
  const ids = col<string>(t, "person_id");
  const rows = new Int32Array(units.personId.length).fill(-1);
  if (ids) {
    const byPerson = unitsByPerson(units);
    for (let r = 0; r < ids.length; r++) {
      const list = byPerson.get(ids[r] as string);
      if (!list) continue;
      for (const u of list) rows[u] = r;
    }
  }
  byUnits.set(units, rows);
  return rows;
}

/**
 * Computes the named covariates for the units (before the missing-value rule): numeric columns with a
 * missing mask, code columns with a "(missing)" level when needed. Throws InvalidInputError when a
 * covariate's source table is absent.
 */
export function computeCovariates(
  dataset: Dataset,
  units: CovariateUnits,
  names: readonly CovariateName[],
): CovariateColumnValues[] {
  const n = units.personId.length;
  const rows = indexRows(dataset, units);
  let anchor: Int32Array | null = null;
  const episode = (): Int32Array => {
    anchor ??= indexEpisodeStart(dataset, units, rows);
    return anchor;
  };
  const out: CovariateColumnValues[] = [];
  let priorEdVisits: Float64Array | null = null;
  for (const name of names) {
    switch (name) {
      case "age": {
        const birth = personColumn(dataset, units, "birth_date", name);
        const values = new Float64Array(n);
        const missing = new Uint8Array(n);
        for (let u = 0; u < n; u++) {
          const b = birth[u];
          if (typeof b === "number" && Number.isFinite(b)) {
            values[u] = ((units.indexDay[u] as number) - b) / 365.25;
          } else {
            values[u] = Number.NaN;
            missing[u] = 1;
          }
        }
        out.push({ name, kind: "numeric", values, missing });
        break;
      }
      case "sex":
      case "race":
      case "ethnicity":
      case "payer":
      case "housing":
      case "rurality":
      case "primary_substance": {
        const t = requireTable(dataset, "persons", name);
        out.push(dictionaryCodeColumn(name, personRows(t, units, dataset), dictionaryOf(t, name), (x) => x));
        break;
      }
      case "justice_involved":
      case "active_use_at_enrollment": {
        const t = requireTable(dataset, "persons", name);
        out.push(dictionaryCodeColumn(name, personRows(t, units, dataset), dictionaryOf(t, name), yesNo));
        break;
      }
      case "index_setting":
      case "index_type":
      case "site": {
        const t = requireTable(dataset, "index_events", name);
        const column = name === "index_setting" ? "setting" : name === "index_type" ? "type" : "site_id";
        const coded = dictionaryCodeColumn(name, rows, dictionaryOf(t, column), (x) => x);
        if (name !== "site" || !coded.levels.includes(MISSING_LEVEL) || !dataset.arms) {
          out.push(coded);
          break;
        }
        // Site missing on an index event: the arm's site (arms.site_id) instead.
        const labels = Array.from(coded.codes, (k) =>
          coded.levels[k] === MISSING_LEVEL ? null : coded.levels[k]!,
        );
        const armSite = personColumn(dataset, units, "site_id", name, "arms");
        for (let u = 0; u < n; u++) {
          const s = armSite[u];
          if (labels[u] === null && s !== null && s !== undefined && s !== "") labels[u] = String(s);
        }
        out.push(codeColumn(name, labels));
        break;
      }
      case "index_year": {
        const labels = Array.from({ length: n }, (_, u) =>
          String(civilFromDays(units.indexDay[u] as number).year),
        );
        out.push(codeColumn(name, labels));
        break;
      }
      case "prior_ed_visits_365":
      case "prior_ed_visits_365_group": {
        const values: Float64Array = priorEdVisits ?? countPriorEdVisits(dataset, units, episode(), name);
        priorEdVisits = values;
        if (name === "prior_ed_visits_365_group") {
          out.push(codeColumn(name, Array.from(values, edVisitGroup)));
        } else {
          out.push({ name, kind: "numeric", values: Float64Array.from(values), missing: new Uint8Array(n) });
        }
        break;
      }
      case "prior_overdose_365": {
        const t = requireTable(dataset, "encounters", name);
        const flag = new Uint8Array(n);
        const a = episode();
        const vs = illustrativeValueSets();
        const od = VALUE_SET_IDS.DRUG_OVERDOSE_DX;
        const unitsOf = unitsOfRow(dataset, t, units);
        const start = readDays(t, "start_date", FN, false);
        // Whether each distinct principal diagnosis / list of other diagnoses is an overdose code.
        const dxP = dictionaryOf(t, "dx_principal");
        const hitP = dxP.values.map((c) => c !== "" && vs.matches(od, c));
        const dxO = t.columnIndex("dx_other") >= 0 ? readLists(t, "dx_other", FN) : null;
        const dictO = dxO?.dictionary() ?? null;
        const anyHit = (codes: readonly string[]) => codes.some((c) => vs.matches(od, c));
        const hitO = dictO ? dictO.lists.map(anyHit) : null;
        for (let r = 0; r < start.length; r++) {
          const list = unitsOf(r);
          if (list.length === 0) continue;
          const d = start[r] as number;
          let inWindow = false;
          for (const u of list) {
            const au = a[u] as number;
            if (d >= au - BASELINE_DAYS && d <= au - 1 && !flag[u]) inWindow = true;
          }
          if (!inWindow) continue;
          const kp = dxP.index[r] as number;
          let hit = kp >= 0 && (hitP[kp] as boolean);
          if (!hit && dxO) {
            if (hitO && dictO) {
              const ko = dictO.index[r] as number;
              hit = ko >= 0 && (hitO[ko] as boolean);
            } else hit = anyHit(dxO.get(r));
          }
          if (!hit) continue;
          for (const u of list) {
            const au = a[u] as number;
            if (d >= au - BASELINE_DAYS && d <= au - 1) flag[u] = 1;
          }
        }
        const ix = dataset.index_events;
        if (ix) {
          const ixType = dictionaryOf(ix, "type");
          const overdose = ixType.values.indexOf("OVERDOSE");
          const ixDate = readDays(ix, "index_date", FN, false);
          const unitsOfIndex = unitsOfRow(dataset, ix, units);
          for (let r = 0; r < ixDate.length; r++) {
            if (overdose < 0 || ixType.index[r] !== overdose) continue;
            const list = unitsOfIndex(r);
            if (list.length === 0) continue;
            const d = ixDate[r] as number;
            for (const u of list) {
              const au = a[u] as number;
              if (d >= au - BASELINE_DAYS && d <= au - 1) flag[u] = 1;
            }
          }
        }
        out.push(
          codeColumn(
            name,
            Array.from(flag, (f) => (f ? "yes" : "no")),
          ),
        );
        break;
      }
      case "prior_moud_365": {
        const flag = new Uint8Array(n);
        const t = dataset.medication_events;
        if (t) {
          const a = episode();
          const unitsOf = unitsOfRow(dataset, t, units);
          const date = readDays(t, "event_date", FN, false);
          const row = dictionaryOf(t, "med_row");
          const moud = row.values.map(isMoudRow);
          for (let r = 0; r < date.length; r++) {
            const k = row.index[r] as number;
            if (k < 0 || !moud[k]) continue;
            const list = unitsOf(r);
            if (list.length === 0) continue;
            const d = date[r] as number;
            for (const u of list) {
              const au = a[u] as number;
              if (d >= au - BASELINE_DAYS && d <= au - 1) flag[u] = 1;
            }
          }
        }
        out.push(
          codeColumn(
            name,
            Array.from(flag, (f) => (f ? "yes" : "no")),
          ),
        );
        break;
      }
    }
  }
  return out;
}

/** 0, 1, 2, "3–4", "5 or more". */
function edVisitGroup(count: number): string {
  if (count >= 5) return "5 or more";
  if (count >= 3) return "3–4";
  return String(count);
}

/** ED encounters starting in [anchor − 365, anchor − 1] per unit. */
const NO_UNITS: readonly number[] = [];
const unitsOfPersonRowMemo = new WeakMap<CovariateUnits, (readonly number[] | undefined)[]>();

/**
 * The units of each row's person in a person-keyed table (encounters, medication_events, …), for the
 * baseline-window loops over millions of event rows: through the loader's foreign-key rows (no id
 * strings) when the units' index rows are known, else by person id.
 */
function unitsOfRow(
  dataset: Dataset,
  t: NonNullable<Dataset[keyof Dataset]>,
  units: CovariateUnits,
): (row: number) => readonly number[] {
  const persons = dataset.persons;
  const fk = persons && units.indexRow ? foreignKeyRows(t, "person_id") : null;
  if (fk && persons) {
    let lists = unitsOfPersonRowMemo.get(units);
    if (!lists) {
      const pr = personRows(persons, units, dataset);
      const built: number[][] = new Array(persons.numRows());
      for (let u = 0; u < pr.length; u++) {
        const p = pr[u] as number;
        if (p < 0) continue;
        const list = built[p];
        if (list) list.push(u);
        else built[p] = [u];
      }
      lists = built;
      unitsOfPersonRowMemo.set(units, lists);
    }
    const byRow = lists;
    return (r) => {
      const p = fk[r] as number;
      return p >= 0 ? (byRow[p] ?? NO_UNITS) : NO_UNITS;
    };
  }
  const byPerson = unitsByPerson(units);
  const pid = col<string>(t, "person_id");
  return (r) => (pid ? byPerson.get(pid[r] as string) : undefined) ?? NO_UNITS;
}

function countPriorEdVisits(
  dataset: Dataset,
  units: CovariateUnits,
  anchor: Int32Array,
  covariate: string,
): Float64Array {
  const t = requireTable(dataset, "encounters", covariate);
  const n = units.personId.length;
  const values = new Float64Array(n);
  const unitsOf = unitsOfRow(dataset, t, units);
  if (t.columnIndex("start_date") < 0) return values;
  const start = readDays(t, "start_date", FN, false);
  const kind = dictionaryOf(t, "kind");
  const ed = kind.values.indexOf("ED");
  if (ed < 0) return values;
  for (let r = 0; r < start.length; r++) {
    if (kind.index[r] !== ed) continue;
    const list = unitsOf(r);
    if (list.length === 0) continue;
    const d = start[r] as number;
    for (const u of list) {
      const au = anchor[u] as number;
      if (d >= au - BASELINE_DAYS && d <= au - 1) values[u] = (values[u] as number) + 1;
    }
  }
  return values;
}

/**
 * Covariates of units drawn from two computations of the same covariates: unit k takes `a`'s values at
 * row `fromA[k]` when that is ≥ 0, else `b`'s at row `fromB[k]`. Code levels are those the units use,
 * sorted with "(missing)" last: what `computeCovariates` of the units themselves gives.
 */
export function gatherCovariates(
  a: readonly CovariateColumnValues[],
  fromA: Int32Array,
  b: readonly CovariateColumnValues[],
  fromB: Int32Array,
): CovariateColumnValues[] {
  const n = fromA.length;
  return a.map((va, j) => {
    const vb = b[j];
    if (va.kind === "numeric") {
      const nb = vb?.kind === "numeric" ? vb : null;
      const values = new Float64Array(n);
      const missing = new Uint8Array(n);
      for (let k = 0; k < n; k++) {
        const r = fromA[k] as number;
        const src = r >= 0 ? va : (nb as NumericCovariate);
        const i = r >= 0 ? r : (fromB[k] as number);
        values[k] = src.values[i] as number;
        missing[k] = src.missing[i] as number;
      }
      return { ...va, values, missing };
    }
    const cb = vb?.kind === "code" ? vb : null;
    // Level names used by the units, then their sorted order (as codeColumn sorts them).
    const usedA = new Uint8Array(va.levels.length);
    const usedB = new Uint8Array(cb?.levels.length ?? 0);
    for (let k = 0; k < n; k++) {
      const r = fromA[k] as number;
      if (r >= 0) usedA[va.codes[r] as number] = 1;
      else usedB[(cb as CodeCovariate).codes[fromB[k] as number] as number] = 1;
    }
    const names = new Set<string>();
    for (let c = 0; c < va.levels.length; c++) if (usedA[c]) names.add(va.levels[c] as string);
    for (let c = 0; c < usedB.length; c++) if (usedB[c]) names.add(cb?.levels[c] as string);
    const anyMissing = names.delete(MISSING_LEVEL);
    const levels = [...names].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    if (anyMissing) levels.push(MISSING_LEVEL);
    const index = new Map(levels.map((l, c) => [l, c]));
    const remapA = Int32Array.from(va.levels, (l) => index.get(l) ?? -1);
    const remapB = Int32Array.from(cb?.levels ?? [], (l) => index.get(l) ?? -1);
    const codes = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const r = fromA[k] as number;
      codes[k] =
        r >= 0
          ? (remapA[va.codes[r] as number] as number)
          : (remapB[(cb as CodeCovariate).codes[fromB[k] as number] as number] as number);
    }
    return { ...va, codes, levels };
  });
}

/**
 * The covariate values of a subset of the units (`rows` into the original units), with code levels
 * that no unit of the subset has dropped (so that no all-zero indicator enters a model or a table).
 */
export function subsetCovariates(
  values: readonly CovariateColumnValues[],
  rows: ArrayLike<number>,
): CovariateColumnValues[] {
  const n = rows.length;
  return values.map((v) => {
    if (v.kind === "numeric") {
      return {
        ...v,
        values: mapToFloat64({ length: n }, (_, i) => v.values[rows[i] as number] as number),
        missing: mapToUint8({ length: n }, (_, i) => v.missing[rows[i] as number] as number),
      };
    }
    const used = new Uint8Array(v.levels.length);
    for (let i = 0; i < n; i++) used[v.codes[rows[i] as number] as number] = 1;
    const remap = new Int32Array(v.levels.length).fill(-1);
    const levels: string[] = [];
    v.levels.forEach((l, k) => {
      if (used[k]) {
        remap[k] = levels.length;
        levels.push(l);
      }
    });
    return {
      ...v,
      levels,
      codes: mapToInt32({ length: n }, (_, i) => remap[v.codes[rows[i] as number] as number] as number),
    };
  });
}
