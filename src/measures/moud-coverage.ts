/**
 * MOUD coverage — the covered-day construction of HEDIS POD (MEASURES.md §2.4) reused by every MOUD
 * measure (POD, NQF 3175, retention, PDC).
 *
 * Algorithm, per person (events sorted once by person, day, medication row):
 * 1. Days supply per event (§2.4 days-supply table): a DISPENSING event uses its recorded days_supply;
 *    when missing, the table's "if missing" value (BUP_ORAL 7, BUP_INJ 31 per the NCQA MY2026 FAQ,
 *    NALTREXONE_INJ 31, BUP_IMPLANT 180, BUP_NALOXONE 1, methadone 1/7; NALTREXONE_ORAL has none, so
 *    such events are left out and warned). ADMINISTRATION and OTP_DOSE events use the value-set days
 *    supply (BUP_ORAL / BUP_NALOXONE / METHADONE_ORAL 1 per unit, *_WEEKLY 7 per unit — 3 units of a
 *    weekly code = 21 days; long-acting rows one fixed supply whatever the units), unless
 *    `administrationDaysSupply = 'recorded-first'`.
 * 2. Each event covers [start, start + daysSupply − 1].
 * 3. Same medication row (§15.2): a fill overlapping the *running stacked coverage* of its row is laid
 *    end to end after it (pharmacy shift method: it starts the day after the row's running end).
 * 4. Different rows are unioned (no shifting across rows); a day is covered if any row covers it.
 * 5. Institutional days (§2.7): inpatient stays (and custody periods when supplied) not covered by a
 *    medication are `neutral` (removed from gap counts and PDC denominators) by default, or ordinary
 *    uncovered days with `institutionalDays = 'uncovered'`. Medication given during the stay covers its
 *    days like any other event (§15.5).
 *
 * Output: per-person sorted, disjoint covered intervals (typed CSR arrays), the neutral intervals, and
 * a per-event trace (days supply used and its source, shifted interval, or why the event was left out;
 * built on first read).
 *
 * Reference: NCQA HEDIS MY2025 Technical Specifications Vol. 2, Pharmacotherapy for Opioid Use Disorder.
 */
import { type ColumnTable, table } from "arquero";
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import { NULL_DAY as NULL_DAY_IMPORTED } from "./core/columns.js";
import {
  type EncounterKind,
  MED as MED_IMPORTED,
  MED_ROWS,
  MeasureData,
  type MeasureTables,
  type MedRow,
} from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import { IntBuffer, type IntervalSets, sortAndMerge } from "./core/intervals.js";
import { codeColumn, intColumn, personIdColumn } from "./core/result.js";
import { INPATIENT_KINDS, institutionalStays } from "./core/stays.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;
const MED = MED_IMPORTED;

export const MEASURE_ID = "moud-coverage";
export const VERSION = "1.0.0";

/** Days-supply rule of one medication row (MEASURES §2.4 table). */
export interface DaysSupplyRule {
  /** Days when a dispensing event lacks days_supply (null: none — event left out). */
  readonly missingDispensing: number | null;
  /** Value-set days supply of one administration unit (null: no administration codes). */
  readonly perAdministration: number | null;
  /** Whether administration units multiply the value-set days supply (daily/weekly codes). */
  readonly perUnit: boolean;
}

/** MEASURES.md §2.4 days-supply table (BUP_INJ missing → 31 per NCQA FAQ for MY2026). */
export const DAYS_SUPPLY_TABLE: Readonly<Record<MedRow, DaysSupplyRule>> = Object.freeze({
  NALTREXONE_ORAL: { missingDispensing: null, perAdministration: null, perUnit: false },
  NALTREXONE_INJ: { missingDispensing: 31, perAdministration: 31, perUnit: false },
  BUP_ORAL: { missingDispensing: 7, perAdministration: 1, perUnit: true },
  BUP_ORAL_WEEKLY: { missingDispensing: 7, perAdministration: 7, perUnit: true },
  BUP_INJ: { missingDispensing: 31, perAdministration: 31, perUnit: false },
  BUP_IMPLANT: { missingDispensing: 180, perAdministration: 180, perUnit: false },
  BUP_NALOXONE: { missingDispensing: 1, perAdministration: 1, perUnit: true },
  METHADONE_ORAL: { missingDispensing: 1, perAdministration: 1, perUnit: true },
  METHADONE_ORAL_WEEKLY: { missingDispensing: 7, perAdministration: 7, perUnit: true },
  AUD_OTHER: { missingDispensing: null, perAdministration: null, perUnit: false },
});

/** The OUD medication rows (every row except AUD_OTHER). */
export const OUD_MED_ROWS: readonly MedRow[] = MED_ROWS.filter((r) => r !== "AUD_OTHER");

export interface MoudCoverageParams {
  /** Medication rows that produce coverage. Default: the OUD rows. */
  readonly medRows: readonly MedRow[];
  /** 'value-set' (HEDIS: administrations use the table) or 'recorded-first' (use days_supply when recorded). */
  readonly administrationDaysSupply: "value-set" | "recorded-first";
  /** Override of individual rows of the days-supply table. */
  readonly daysSupplyOverrides: Readonly<Partial<Record<MedRow, DaysSupplyRule>>>;
  /** Institutional days not covered by medication: 'neutral' (removed) or 'uncovered' (§2.7). */
  readonly institutionalDays: "neutral" | "uncovered";
  /** Encounter kinds that are institutional stays. Default inpatient acute and non-acute. */
  readonly institutionalKinds: readonly EncounterKind[];
  /** Include custody_periods (toolkit extension table) as institutional days when supplied. */
  readonly includeCustody: boolean;
}

export const DEFAULTS: MoudCoverageParams = Object.freeze({
  medRows: OUD_MED_ROWS,
  administrationDaysSupply: "value-set",
  daysSupplyOverrides: {},
  institutionalDays: "neutral",
  institutionalKinds: INPATIENT_KINDS,
  includeCustody: true,
});

/** Per-event status codes of the coverage trace (closed set). */
export const EVENT_STATUS = ["COVERED", "ROW_NOT_SELECTED", "DAYS_SUPPLY_UNRESOLVED"] as const;
/** Source of the days supply used (closed set). */
export const DAYS_SUPPLY_SOURCE = ["RECORDED", "TABLE_MISSING_DISPENSING", "TABLE_ADMINISTRATION"] as const;

export interface MoudCoverage {
  readonly params: MoudCoverageParams;
  readonly personIds: readonly string[];
  /** Union of covered days per person (sorted, disjoint, non-adjacent). */
  readonly covered: IntervalSets;
  /** Institutional days not covered (empty sets when institutionalDays = 'uncovered'). */
  readonly neutral: IntervalSets;
  /** Covered events per person in (day, row) order: CSR offsets and parallel arrays. */
  readonly eventOffsets: Int32Array;
  readonly eventDay: Int32Array;
  /** Last day of the event's (shifted) coverage. */
  readonly eventCoverEnd: Int32Array;
  /** Source row of the event in medication_events. */
  readonly eventRow: Int32Array;
  /**
   * Per source row: status index into EVENT_STATUS, days supply used, its source, shifted end
   * (start = end − days + 1). Computed on first read.
   */
  readonly rowStatus: Int8Array;
  readonly rowDaysSupply: Int32Array;
  readonly rowDaysSupplySource: Int8Array;
  readonly rowCoverEnd: Int32Array;
  readonly warnings: readonly Warning[];
}

/** The manifest definition of the coverage construction. */
export function definition(params?: Partial<MoudCoverageParams>): MeasureDefinition<MoudCoverageParams> {
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title: "MOUD covered days (HEDIS POD coverage construction)",
    unit: "person (covered intervals)",
    status: ["STD", "TK"],
    sources: [
      "NCQA HEDIS MY2025 Vol. 2, Pharmacotherapy for Opioid Use Disorder (POD): days-supply table and coverage rules",
      "NCQA FAQ (MY2026): buprenorphine injection dispensing without days supply counts 31 days",
    ],
    parameters: resolveParams(DEFAULTS, params),
    defaults: DEFAULTS,
    readings: ["15.2", "15.5"],
    notes: [
      "Administration units multiply the value-set days supply only for daily/weekly rows (BUP_ORAL, BUP_ORAL_WEEKLY, BUP_NALOXONE, METHADONE_ORAL, METHADONE_ORAL_WEEKLY); units are rounded to whole units, minimum 1. Long-acting rows give one fixed supply per event.",
      "A dispensing event without days_supply uses the table's 'if missing' value; NALTREXONE_ORAL has none, so such events are left out of coverage (status DAYS_SUPPLY_UNRESOLVED) and counted in a warning.",
      "Same-day events of one row are stacked in medication-row then input order; the result is the same whichever goes first.",
      "Neutral institutional days do not count toward an uncovered run and do not end one: they are removed from the timeline (TK reading of §2.7 'removed from denominator').",
    ],
    reasonCodes: [...EVENT_STATUS],
  });
}

function resolveRule(params: MoudCoverageParams, row: MedRow): DaysSupplyRule {
  return params.daysSupplyOverrides[row] ?? DAYS_SUPPLY_TABLE[row];
}

function coverageKey(p: MoudCoverageParams): string {
  return `coverage:${JSON.stringify(p)}`;
}

/**
 * Builds MOUD coverage for every person (memoised on the MeasureData per parameter set).
 * @param input loader tables or a shared MeasureData; needs medication_events (encounters for stays)
 * @throws InvalidInputError for a non-positive recorded days supply
 */
export function moudCoverage(
  input: MeasureTables | MeasureData,
  params?: Partial<MoudCoverageParams>,
): MoudCoverage {
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  return data.memo(coverageKey(p), () => buildCoverage(data, p));
}

/** The days-supply rules by medication-row code, as typed arrays (NaN = no value). */
interface RuleTable {
  readonly selected: Uint8Array;
  readonly missingDispensing: Float64Array;
  readonly perAdministration: Float64Array;
  readonly perUnit: Uint8Array;
}

function ruleTable(params: MoudCoverageParams): RuleTable {
  const t: RuleTable = {
    selected: new Uint8Array(MED_ROWS.length),
    missingDispensing: new Float64Array(MED_ROWS.length).fill(Number.NaN),
    perAdministration: new Float64Array(MED_ROWS.length).fill(Number.NaN),
    perUnit: new Uint8Array(MED_ROWS.length),
  };
  for (const r of params.medRows) t.selected[MED[r]] = 1;
  MED_ROWS.forEach((r, k) => {
    const rule = resolveRule(params, r);
    if (rule.missingDispensing !== null) t.missingDispensing[k] = rule.missingDispensing;
    if (rule.perAdministration !== null) t.perAdministration[k] = rule.perAdministration;
    t.perUnit[k] = rule.perUnit ? 1 : 0;
  });
  return t;
}

/** Per medication_events row: status (EVENT_STATUS), days supply used and its source, shifted coverage end. */
interface RowTrace {
  readonly status: Int8Array;
  readonly daysSupply: Int32Array;
  readonly source: Int8Array;
  readonly coverEnd: Int32Array;
}

/** Covered intervals (merged per person) and covered events (CSR over persons) of one sweep. */
interface Sweep {
  readonly covered: IntervalSets;
  readonly eventOffsets: Int32Array;
  readonly eventDay: Int32Array;
  readonly eventCoverEnd: Int32Array;
  readonly eventRow: Int32Array;
  /** Events left out because the days-supply table has no value for them. */
  readonly unresolved: number;
}

/**
 * The coverage sweep over every person's events (steps 1–4 of the module doc); also fills the per-row
 * trace when one is given (it is built only when asked for: ten million rows nobody reads otherwise).
 */
function sweepCoverage(data: MeasureData, params: MoudCoverageParams, trace: RowTrace | null): Sweep {
  const fn = "moudCoverage";
  const ev = data.medEvents();
  const nP = data.nPersons;
  const rules = ruleTable(params);
  const recordedFirst = params.administrationDaysSupply === "recorded-first";

  // Covered intervals and events, at most one per medication event.
  const covOffsets = new Int32Array(nP + 1);
  const covS = new Int32Array(ev.n);
  const covE = new Int32Array(ev.n);
  let nCov = 0;
  const evOffsets = new Int32Array(nP + 1);
  const evDay = new Int32Array(ev.n);
  const evEnd = new Int32Array(ev.n);
  const evRow = new Int32Array(ev.n);
  let nEv = 0;
  const runEnd = new Int32Array(MED_ROWS.length);
  let unresolved = 0;
  const { offsets, order } = ev.csr;
  const { medRow, daysSupply, route, units, day: evDate } = ev;

  for (let person = 0; person < nP; person++) {
    covOffsets[person] = nCov;
    evOffsets[person] = nEv;
    const lo = offsets[person]!;
    const hi = offsets[person + 1]!;
    if (hi === lo) continue;
    for (let r = 0; r < runEnd.length; r++) runEnd[r] = NULL_DAY;
    const first = nCov; // this person's intervals are covS/covE[first … first + m)
    let m = 0;
    for (let k = lo; k < hi; k++) {
      const i = order[k]!;
      const r = medRow[i]!;
      if (rules.selected[r] !== 1) {
        if (trace !== null) trace.status[i] = 1;
        continue;
      }
      const recorded = daysSupply[i]!;
      let ds = NULL_DAY;
      let src = -1;
      if (recorded !== NULL_DAY && recorded <= 0) {
        throw new InvalidInputError(
          fn,
          `medication_events row ${i + 1}: days_supply ${recorded} must be > 0`,
        );
      }
      const isAdmin = route[i]! !== 0;
      if (!isAdmin || recordedFirst) {
        if (recorded !== NULL_DAY) {
          ds = recorded;
          src = 0;
        }
      }
      if (ds === NULL_DAY) {
        if (isAdmin && !Number.isNaN(rules.perAdministration[r]!)) {
          const u = units[i]!;
          const n = rules.perUnit[r] === 1 && !Number.isNaN(u) ? Math.max(1, Math.round(u)) : 1;
          ds = rules.perAdministration[r]! * n;
          src = 2;
        } else if (!isAdmin && !Number.isNaN(rules.missingDispensing[r]!)) {
          ds = rules.missingDispensing[r]!;
          src = 1;
        }
      }
      if (ds === NULL_DAY) {
        if (trace !== null) trace.status[i] = 2;
        unresolved++;
        continue;
      }
      const day = evDate[i]!;
      const prev = runEnd[r]!;
      const s = prev !== NULL_DAY && day <= prev ? prev + 1 : day;
      const e = s + ds - 1;
      runEnd[r] = e;
      if (trace !== null) {
        trace.status[i] = 0;
        trace.daysSupply[i] = ds;
        trace.source[i] = src;
        trace.coverEnd[i] = e;
      }
      covS[first + m] = s;
      covE[first + m] = e;
      m++;
      evDay[nEv] = day;
      evEnd[nEv] = e;
      evRow[nEv] = i;
      nEv++;
    }
    nCov += sortAndMerge(covS, covE, m, first);
  }
  covOffsets[nP] = nCov;
  evOffsets[nP] = nEv;
  return {
    covered: { offsets: covOffsets, starts: covS.subarray(0, nCov), ends: covE.subarray(0, nCov) },
    eventOffsets: evOffsets,
    eventDay: evDay.subarray(0, nEv),
    eventCoverEnd: evEnd.subarray(0, nEv),
    eventRow: evRow.subarray(0, nEv),
    unresolved,
  };
}

/** The per-row trace, from a second sweep (same rules, same rows). */
function traceCoverage(data: MeasureData, params: MoudCoverageParams): RowTrace {
  const n = data.medEvents().n;
  const trace: RowTrace = {
    status: new Int8Array(n),
    daysSupply: new Int32Array(n).fill(NULL_DAY),
    source: new Int8Array(n).fill(-1),
    coverEnd: new Int32Array(n).fill(NULL_DAY),
  };
  sweepCoverage(data, params, trace);
  return trace;
}

function buildCoverage(data: MeasureData, params: MoudCoverageParams): MoudCoverage {
  const nP = data.nPersons;
  const warnings: Warning[] = [];
  const sweep = sweepCoverage(data, params, null);
  if (sweep.unresolved > 0) {
    warnings.push(
      warning("MEASURE_DAYS_SUPPLY_UNRESOLVED", `${sweep.unresolved} events`, { count: sweep.unresolved }),
    );
  }
  const covered = sweep.covered;
  let neutral: IntervalSets = {
    offsets: new Int32Array(nP + 1),
    starts: new Int32Array(0),
    ends: new Int32Array(0),
  };
  if (params.institutionalDays === "neutral") {
    const stays = institutionalStays(
      data,
      data.tables.encounters ? params.institutionalKinds : [],
      params.includeCustody,
    );
    warnings.push(...stays.warnings);
    neutral = subtractSets(stays.sets, covered, nP);
  }
  let trace: RowTrace | null = null;
  const rowTrace = (): RowTrace => {
    trace ??= traceCoverage(data, params);
    return trace;
  };
  return {
    params,
    get personIds() {
      return data.persons.ids;
    },
    covered,
    neutral,
    eventOffsets: sweep.eventOffsets,
    eventDay: sweep.eventDay,
    eventCoverEnd: sweep.eventCoverEnd,
    eventRow: sweep.eventRow,
    get rowStatus() {
      return rowTrace().status;
    },
    get rowDaysSupply() {
      return rowTrace().daysSupply;
    },
    get rowDaysSupplySource() {
      return rowTrace().source;
    },
    get rowCoverEnd() {
      return rowTrace().coverEnd;
    },
    warnings,
  };
}

/** Per person: days of `a` not in `b` (both sorted, disjoint). */
function subtractSets(a: IntervalSets, b: IntervalSets, nP: number): IntervalSets {
  const offsets = new Int32Array(nP + 1);
  const os = new IntBuffer(a.starts.length + 1);
  const oe = new IntBuffer(a.starts.length + 1);
  for (let p = 0; p < nP; p++) {
    offsets[p] = os.length;
    let j = b.offsets[p]!;
    const jEnd = b.offsets[p + 1]!;
    for (let i = a.offsets[p]!; i < a.offsets[p + 1]!; i++) {
      let s = a.starts[i]!;
      const e = a.ends[i]!;
      while (j < jEnd && b.ends[j]! < s) j++;
      let k = j;
      while (s <= e) {
        if (k >= jEnd || b.starts[k]! > e) {
          os.push(s);
          oe.push(e);
          break;
        }
        const bs = b.starts[k]!;
        const be = b.ends[k]!;
        if (bs > s) {
          os.push(s);
          oe.push(bs - 1);
        }
        s = be + 1;
        k++;
      }
    }
  }
  offsets[nP] = os.length;
  return { offsets, starts: os.toArray(), ends: oe.toArray() };
}

/** Reused output buffer of `newEpisodeStarts` (its result is copied out). */
let startsScratch = new Int32Array(64);

/**
 * Start days of new treatment episodes of person p (§2.4 negative medication history, §15.1): an event
 * day s starts an episode when no covered event lies in [s − lookbackDays, s − 1] and no earlier
 * (stacked) supply covers any day of that look-back — i.e. a fill made while any earlier supply is still
 * running never starts a new episode. Same-day events give one start.
 */
export function newEpisodeStarts(cov: MoudCoverage, p: number, lookbackDays: number): number[] {
  const events = cov.eventOffsets[p + 1]! - cov.eventOffsets[p]!;
  if (events > startsScratch.length) startsScratch = new Int32Array(2 * events);
  const n = episodeStartsInto(cov, p, lookbackDays, startsScratch);
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = startsScratch[k]!;
  return out;
}

/**
 * `newEpisodeStarts` written into `out` (at least as long as the person's covered events) without
 * allocating; returns the number of starts.
 */
export function episodeStartsInto(
  cov: MoudCoverage,
  p: number,
  lookbackDays: number,
  out: Int32Array,
): number {
  let n = 0;
  const lo = cov.eventOffsets[p]!;
  const hi = cov.eventOffsets[p + 1]!;
  let lastDay = NULL_DAY;
  let maxEnd = NULL_DAY;
  let k = lo;
  while (k < hi) {
    const s = cov.eventDay[k]!;
    if (lastDay === NULL_DAY || (lastDay < s - lookbackDays && maxEnd < s - lookbackDays)) out[n++] = s;
    while (k < hi && cov.eventDay[k] === s) {
      if (cov.eventCoverEnd[k]! > maxEnd) maxEnd = cov.eventCoverEnd[k]!;
      k++;
    }
    lastDay = s;
  }
  return n;
}

/** Outcome of walking a person's coverage from an episode start (see `walkDiscontinuation`). */
export interface Discontinuation {
  /** 1 discontinued (a qualifying gap was observed), 0 censored. */
  readonly discontinued: 0 | 1;
  /** Discontinuation day (last covered day before the first qualifying gap) or NULL_DAY when censored. */
  readonly discontinuationDay: number;
  /** Last covered day reached (≤ lastDay) with no qualifying gap before it. */
  readonly lastCoveredObserved: number;
}

/**
 * Walks coverage from `start` (a covered day) up to `lastDay` (last observed day, inclusive) and finds
 * the first uncovered run longer than `maxGapDays` (MEASURES §2.7). Neutral (institutional) days are
 * removed from the timeline: they neither lengthen nor end a run. A run still open at `lastDay` is a
 * discontinuation only when its observed length already exceeds maxGapDays (otherwise censored, §15.4).
 */
export function walkDiscontinuation(
  cov: MoudCoverage,
  p: number,
  start: number,
  lastDay: number,
  maxGapDays: number,
): Discontinuation {
  const { starts, ends, offsets } = cov.covered;
  const hi = offsets[p + 1]!;
  let i = offsets[p]!;
  while (i < hi && ends[i]! < start) i++;
  if (i >= hi || starts[i]! > start) {
    // start not covered: treat the start day as the only covered day (defensive; callers pass event days)
    return walkFrom(cov, p, start, start, i, hi, lastDay, maxGapDays);
  }
  return walkFrom(cov, p, start, ends[i]!, i + 1, hi, lastDay, maxGapDays);
}

function walkFrom(
  cov: MoudCoverage,
  p: number,
  _start: number,
  firstEnd: number,
  next: number,
  hi: number,
  lastDay: number,
  maxGap: number,
): Discontinuation {
  const { starts, ends } = cov.covered;
  const nS = cov.neutral.starts;
  const nE = cov.neutral.ends;
  const nHi = cov.neutral.offsets[p + 1]!;
  let nk = cov.neutral.offsets[p]!;
  let L = firstEnd;
  let j = next;
  for (;;) {
    if (L >= lastDay) return { discontinued: 0, discontinuationDay: NULL_DAY, lastCoveredObserved: lastDay };
    const ns = j < hi ? starts[j]! : Number.MAX_SAFE_INTEGER;
    const observedRefill = ns <= lastDay;
    const gapEnd = observedRefill ? ns - 1 : lastDay;
    // effective gap length: days L+1 … gapEnd minus neutral days
    let neutralDays = 0;
    while (nk < nHi && nE[nk]! < L + 1) nk++;
    for (let q = nk; q < nHi && nS[q]! <= gapEnd; q++) {
      neutralDays += Math.min(nE[q]!, gapEnd) - Math.max(nS[q]!, L + 1) + 1;
    }
    const gap = gapEnd - L - neutralDays;
    if (gap > maxGap) return { discontinued: 1, discontinuationDay: L, lastCoveredObserved: L };
    if (!observedRefill) return { discontinued: 0, discontinuationDay: NULL_DAY, lastCoveredObserved: L };
    L = ends[j]!;
    j++;
  }
}

/** Covered days and neutral (removed) days of person p within [a, b]. */
export function coverageCounts(
  cov: MoudCoverage,
  p: number,
  a: number,
  b: number,
): { covered: number; neutral: number } {
  return {
    covered: countIn(cov.covered, p, a, b),
    neutral: countIn(cov.neutral, p, a, b),
  };
}

function countIn(set: IntervalSets, p: number, a: number, b: number): number {
  if (b < a) return 0;
  let total = 0;
  for (let k = set.offsets[p]!; k < set.offsets[p + 1]!; k++) {
    const s = set.starts[k]!;
    if (s > b) break;
    const e = set.ends[k]!;
    if (e < a) continue;
    total += Math.min(e, b) - Math.max(s, a) + 1;
  }
  return total;
}

/** Covered intervals as a table: person_id, start_date, end_date (day numbers). */
export function coverageTable(cov: MoudCoverage): ColumnTable {
  const n = cov.covered.starts.length;
  const person = new Int32Array(n);
  for (let p = 0; p < cov.personIds.length; p++) {
    person.fill(p, cov.covered.offsets[p]!, cov.covered.offsets[p + 1]!);
  }
  return table({
    person_id: personIdColumn(person, cov.personIds),
    start_date: cov.covered.starts,
    end_date: cov.covered.ends,
  });
}

/** Per-event trace in input row order: status, days supply used and its source, shifted coverage. */
export function coverageEventTable(input: MeasureData, cov: MoudCoverage): ColumnTable {
  const ev = input.medEvents();
  return table({
    med_event_id: ev.id,
    person_id: personIdColumn(ev.person, cov.personIds),
    event_date: ev.day,
    med_row: codeColumn(ev.medRow, MED_ROWS),
    status: codeColumn(cov.rowStatus, EVENT_STATUS),
    days_supply_used: intColumn(cov.rowDaysSupply),
    days_supply_source: codeColumn(cov.rowDaysSupplySource, DAYS_SUPPLY_SOURCE),
    cover_start: intColumn(
      Int32Array.from(cov.rowCoverEnd, (e, i) => (e === NULL_DAY ? NULL_DAY : e - cov.rowDaysSupply[i]! + 1)),
    ),
    cover_end: intColumn(cov.rowCoverEnd),
  });
}
