/**
 * Recovery capital: BARC-10 and ARC scoring, change from intake, reliable change index and per-wave
 * long data for mixed models (MEASURES.md §6.1, §6.2, §6.4; resolved reading §15.11).
 *
 * - BARC-10 (Vilsaint et al. 2017, [STD-instrument]): items item_01 … item_10, each 1–6; total 10–60;
 *   high recovery capital = total ≥ 47. Missing items (§15.11): default rule 'missing' — a total only
 *   when all 10 items are answered; option 'prorate' — mean of the answered items × 10 when exactly one
 *   item is missing (flagged; not rounded before the 47 cut-off). An item outside 1–6 (or not an
 *   integer) is a located data error: no score, reason ITEM_OUT_OF_RANGE and a warning naming the
 *   assessment and item — never treated as missing.
 * - ARC (Groshkova et al. 2013, [LIT]): 50 agree/disagree items scored 1/0 in domain order —
 *   item_01–05 substance use and sobriety, 06–10 global psychological health, 11–15 physical health,
 *   16–20 citizenship and community involvement, 21–25 social support, 26–30 meaningful activities,
 *   31–35 housing and safety, 36–40 risk-taking, 41–45 coping and life functioning, 46–50 recovery
 *   experience. Domain 0–5 (null when any of its items is missing); total 0–50 only when all 50 are
 *   answered. Only the agree/disagree variant is scored: scoring_variant null or one of
 *   AGREE_DISAGREE / BINARY / YES_NO; any other variant (e.g. a 6-point Likert version) is not scored
 *   (reason SCORING_VARIANT_UNSUPPORTED) — variants are never mixed.
 * - Change: Δ = total − the person's baseline total (earliest scored assessment of wave INTAKE of the
 *   same instrument); days_from_intake likewise.
 * - Reliable change (Jacobson & Truax 1991): SE = SD1·√(1 − r), S_diff = √2·SE, RC = Δ / S_diff;
 *   Maassen 2004: S_diff = √((SD1² + SD2²)(1 − r)). |RC| > 1.96 → reliably improved / deteriorated.
 *   SD1 = `baselineSd` or the sample SD of baseline totals; SD2 (Maassen) = `followUpSd` or the sample
 *   SD of the totals at each follow-up wave. `reliability` (r) must be given — BARC-10 has only
 *   α = .90 published, so label it "α-based" (`reliabilitySource`).
 * The unit table is the per-wave long table (one row per assessment of the instrument) ready for a
 * linear mixed model (random intercept per person; group × time).
 */
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { gatherFloat64 } from "../util/typed-map.js";
import { NULL_DAY as NULL_DAY_IMPORTED } from "./core/columns.js";
import { INSTRUMENTS, MeasureData, type MeasureTables, WAVES } from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import {
  codeColumn,
  type MeasureResult,
  makeResult,
  numColumn,
  personIdColumn,
  reasonCounts,
  type UnitColumn,
  unitsTable,
} from "./core/result.js";
import {
  type GroupSummary,
  selectUnits,
  summarizeMean,
  summarizeProportion,
  unitArms,
} from "./core/summary.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

export const MEASURE_ID = "recovery-capital";
export const VERSION = "1.0.0";

export const REASONS = [
  "SCORED",
  "ITEMS_MISSING",
  "ITEM_OUT_OF_RANGE",
  "SCORING_VARIANT_UNSUPPORTED",
] as const;
export type RecoveryCapitalReason = (typeof REASONS)[number];
export const RELIABLE_CHANGE = ["IMPROVED", "DETERIORATED", "NO_RELIABLE_CHANGE"] as const;
export const ARC_DOMAINS = [
  "substance_use_sobriety",
  "psychological_health",
  "physical_health",
  "citizenship_community",
  "social_support",
  "meaningful_activities",
  "housing_safety",
  "risk_taking",
  "coping_life_functioning",
  "recovery_experience",
] as const;
const ARC_VARIANTS = new Set(["AGREE_DISAGREE", "BINARY", "YES_NO"]);
/** Wave order for the long table (time as categorical). */
export const WAVE_ORDER: Readonly<Record<(typeof WAVES)[number], number>> = {
  INTAKE: 0,
  M3: 1,
  M6: 2,
  M12: 3,
  DISCHARGE: 4,
  OTHER: 5,
};

export interface RecoveryCapitalParams {
  readonly instrument: "BARC10" | "ARC";
  readonly missingRule: "missing" | "prorate";
  readonly cutoff: number;
  readonly reliability: number | null;
  readonly reliabilitySource: string;
  readonly rciMethod: "JT" | "Maassen";
  readonly baselineSd: number | null;
  readonly followUpSd: number | null;
  readonly criticalValue: number;
}

export const DEFAULTS: RecoveryCapitalParams = Object.freeze({
  instrument: "BARC10",
  missingRule: "missing",
  cutoff: 47,
  reliability: null,
  reliabilitySource: "not given",
  rciMethod: "JT",
  baselineSd: null,
  followUpSd: null,
  criticalValue: 1.96,
} as RecoveryCapitalParams);

/** Reliable-change constants (Jacobson & Truax 1991; Maassen 2004). */
export interface ReliableChangeConstants {
  /** Standard error of measurement SD1·√(1 − r) (JT); null for Maassen. */
  readonly se: number | null;
  readonly sDiff: number;
  /** Smallest |Δ| that is reliable: critical value × S_diff. */
  readonly minReliableChange: number;
}

/**
 * Reliable change index constants. JT: SE = SD1·√(1 − r), S_diff = √2·SE; Maassen: S_diff =
 * √((SD1² + SD2²)(1 − r)). Minimum reliable change = criticalValue × S_diff.
 * @example reliableChangeConstants({ sd1: 8, r: 0.9 }) // se 2.5298, sDiff 3.5777, min 7.0123 (RCI-1)
 */
export function reliableChangeConstants(o: {
  sd1: number;
  r: number;
  method?: "JT" | "Maassen";
  sd2?: number;
  criticalValue?: number;
}): ReliableChangeConstants {
  const fn = "reliableChangeConstants";
  if (!(o.sd1 > 0) || !(o.r >= 0 && o.r < 1))
    throw new InvalidInputError(fn, "sd1 > 0 and 0 ≤ r < 1 required");
  const z = o.criticalValue ?? 1.96;
  if ((o.method ?? "JT") === "JT") {
    const se = o.sd1 * Math.sqrt(1 - o.r);
    const sDiff = Math.SQRT2 * se;
    return { se, sDiff, minReliableChange: z * sDiff };
  }
  if (!(o.sd2 !== undefined && o.sd2 > 0)) throw new InvalidInputError(fn, "Maassen needs sd2 > 0");
  const sDiff = Math.sqrt((o.sd1 * o.sd1 + o.sd2 * o.sd2) * (1 - o.r));
  return { se: null, sDiff, minReliableChange: z * sDiff };
}

export interface RecoveryCapitalSummary {
  readonly assessments: number;
  readonly reasons: Readonly<Record<RecoveryCapitalReason, number>>;
  /** Mean total per wave (overall and by arm). */
  readonly meanByWave: Readonly<Record<string, GroupSummary<Estimate>>>;
  /** Proportion at or above the cut-off per wave (BARC-10). */
  readonly highByWave: Readonly<Record<string, GroupSummary<Estimate>>>;
  /** Mean change from intake per follow-up wave. */
  readonly changeByWave: Readonly<Record<string, GroupSummary<Estimate>>>;
  /** Reliable-change constants per follow-up wave (null without reliability). */
  readonly reliableChange: Readonly<Record<string, ReliableChangeConstants | null>>;
  readonly sd1: number | null;
}

export function definition(
  params?: Partial<RecoveryCapitalParams>,
): MeasureDefinition<RecoveryCapitalParams> {
  const p = resolveParams(DEFAULTS, params);
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title:
      p.instrument === "BARC10"
        ? "BARC-10 recovery capital (10–60, high ≥ 47) and change"
        : "ARC recovery capital (0–50) and change",
    unit: "assessment (long table: person × wave)",
    status: p.instrument === "BARC10" ? ["STD", "LIT"] : ["LIT"],
    sources:
      p.instrument === "BARC10"
        ? ["Vilsaint CL et al. 2017, Drug Alcohol Depend 177:71–76", "Jacobson & Truax 1991; Maassen 2004"]
        : [
            "Groshkova T, Best D, White W. 2013, Drug Alcohol Rev 32(2):187–194",
            "Jacobson & Truax 1991; Maassen 2004",
          ],
    parameters: p,
    defaults: DEFAULTS,
    readings: p.instrument === "BARC10" ? ["15.11", "15.13"] : ["15.13"],
    notes: [
      "ARC items item_01 … item_50 are read in domain order, 5 items per domain (see module doc).",
      "Baseline = the person's earliest scored INTAKE-wave assessment of the instrument; no intake → no change.",
      "|RC| > criticalValue (strict) is reliable; RC exactly at the critical value is not.",
      `Reliability source: ${p.reliabilitySource}.`,
    ],
    reasonCodes: [...REASONS],
  });
}

function sampleSd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (values.length - 1));
}

/** Reason codes by name (indices into REASONS). */
const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<RecoveryCapitalReason, number>;
const INTAKE = WAVES.indexOf("INTAKE");

/** Per-assessment scores of the chosen instrument, in person then date order (`n` rows used). */
interface Scores {
  n: number;
  /** assessments row of each unit. */
  readonly rows: Int32Array;
  /** Total score, NaN when not scored. */
  readonly total: Float64Array;
  readonly prorated: Uint8Array;
  readonly reason: Int8Array;
  /** ARC domain sums (NaN = not scored); null for BARC-10. */
  readonly domains: Float64Array[] | null;
  /** Out-of-range item values: the first 50 located, and how many in all. */
  readonly outOfRange: { assessment: string | null; row: number; item: string; value: number }[];
  outOfRangeCount: number;
  nProrated: number;
  nVariant: number;
}

/** Scores every assessment of the instrument (MEASURES §7; missing-item and range rules above). */
function scoreAssessments(data: MeasureData, p: RecoveryCapitalParams): Scores {
  const a = data.assessments();
  const isBarc = p.instrument === "BARC10";
  const nItems = isBarc ? 10 : 50;
  const lo = isBarc ? 1 : 0;
  const hi = isBarc ? 6 : 1;
  const items = data.assessmentItems(nItems);
  const inst = INSTRUMENTS.indexOf(p.instrument);
  let cap = 0;
  for (let i = 0; i < a.n; i++) if (a.instrument[i] === inst) cap++;
  const sc: Scores = {
    n: 0,
    rows: new Int32Array(cap),
    total: new Float64Array(cap),
    prorated: new Uint8Array(cap),
    reason: new Int8Array(cap),
    domains: isBarc ? null : ARC_DOMAINS.map(() => new Float64Array(cap)),
    outOfRange: [],
    outOfRangeCount: 0,
    nProrated: 0,
    nVariant: 0,
  };
  for (let person = 0; person < data.nPersons; person++) {
    for (let k = a.csr.offsets[person]!; k < a.csr.offsets[person + 1]!; k++) {
      const i = a.csr.order[k]!;
      if (a.instrument[i] !== inst) continue;
      const u = sc.n++;
      sc.rows[u] = i;
      const variant = a.scoringVariant[i] ?? null;
      if (!isBarc && variant !== null && !ARC_VARIANTS.has(variant.toUpperCase())) {
        sc.reason[u] = R.SCORING_VARIANT_UNSUPPORTED;
        sc.total[u] = Number.NaN;
        for (const dcol of sc.domains!) dcol[u] = Number.NaN;
        sc.nVariant++;
        continue;
      }
      let sum = 0;
      let answered = 0;
      let bad = false;
      for (let q = 0; q < nItems; q++) {
        const v = items[q]![i]!;
        if (v === NULL_DAY) continue;
        if (v < lo || v > hi) {
          bad = true;
          if (sc.outOfRangeCount++ < 50) {
            sc.outOfRange.push({
              assessment: a.id[i] ?? null,
              row: i + 1,
              item: `item_${String(q + 1).padStart(2, "0")}`,
              value: v,
            });
          }
          continue;
        }
        sum += v;
        answered++;
      }
      if (sc.domains !== null) {
        for (let dd = 0; dd < 10; dd++) {
          let ds = 0;
          let ok = !bad;
          for (let q = dd * 5; q < dd * 5 + 5 && ok; q++) {
            const v = items[q]![i]!;
            if (v === NULL_DAY) ok = false;
            else ds += v;
          }
          sc.domains[dd]![u] = ok ? ds : Number.NaN;
        }
      }
      if (bad) {
        sc.reason[u] = R.ITEM_OUT_OF_RANGE;
        sc.total[u] = Number.NaN;
      } else if (answered === nItems) {
        sc.reason[u] = R.SCORED;
        sc.total[u] = sum;
      } else if (isBarc && p.missingRule === "prorate" && answered === nItems - 1) {
        sc.reason[u] = R.SCORED;
        sc.total[u] = (sum / answered) * nItems;
        sc.prorated[u] = 1;
        sc.nProrated++;
      } else {
        sc.reason[u] = R.ITEMS_MISSING;
        sc.total[u] = Number.NaN;
      }
    }
  }
  return sc;
}

/** Scores BARC-10 or ARC assessments and derives change and reliable change. Needs assessments. */
export function recoveryCapital(
  input: MeasureTables | MeasureData,
  params?: Partial<RecoveryCapitalParams>,
): MeasureResult<RecoveryCapitalParams, RecoveryCapitalSummary> {
  const fn = "recoveryCapital";
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  if (p.reliability !== null && !(p.reliability >= 0 && p.reliability < 1))
    throw new InvalidInputError(fn, "reliability must lie in [0, 1)");
  const a = data.assessments();
  const isBarc = p.instrument === "BARC10";
  const warnings: Warning[] = [];
  const sc = scoreAssessments(data, p);
  if (sc.outOfRangeCount > 0) {
    const [lo, hi] = isBarc ? [1, 6] : [0, 1];
    warnings.push(
      warning("MEASURE_ITEM_OUT_OF_RANGE", `${sc.outOfRangeCount} item values outside ${lo}–${hi}`, {
        locations: sc.outOfRange,
        count: sc.outOfRangeCount,
      }),
    );
  }
  if (sc.nProrated > 0)
    warnings.push(warning("MEASURE_PRORATED_SCORES", `${sc.nProrated} assessments`, { count: sc.nProrated }));
  if (sc.nVariant > 0)
    warnings.push(
      warning("MEASURE_SCORING_VARIANT_UNSUPPORTED", `${sc.nVariant} assessments`, { count: sc.nVariant }),
    );

  // baselines: each person's first scored intake (units are in person, then date order)
  const n = sc.n;
  const rows = sc.rows.subarray(0, n);
  const total = sc.total.subarray(0, n);
  const reason = sc.reason.subarray(0, n);
  const person = new Int32Array(n);
  for (let u = 0; u < n; u++) person[u] = a.person[rows[u]!]!;
  const baseTotal = new Float64Array(data.nPersons).fill(Number.NaN);
  const baseDay = new Int32Array(data.nPersons);
  const baselines: number[] = []; // in person order, as they were found
  for (let u = 0; u < n; u++) {
    const i = rows[u]!;
    const pu = person[u]!;
    if (a.wave[i] !== INTAKE || Number.isNaN(total[u]!) || !Number.isNaN(baseTotal[pu]!)) continue;
    baseTotal[pu] = total[u]!;
    baseDay[pu] = a.day[i]!;
    baselines.push(total[u]!);
  }
  const sd1 = p.baselineSd ?? sampleSd(baselines);
  const waveName = (i: number) => (a.wave[i]! >= 0 ? WAVES[a.wave[i]!]! : "UNKNOWN");
  const constants: Record<string, ReliableChangeConstants | null> = {};
  const constantsFor = (w: string): ReliableChangeConstants | null => {
    if (w in constants) return constants[w] ?? null;
    let c: ReliableChangeConstants | null = null;
    if (p.reliability !== null && sd1 !== null && sd1 > 0) {
      if (p.rciMethod === "JT")
        c = reliableChangeConstants({ sd1, r: p.reliability, criticalValue: p.criticalValue });
      else {
        // follow-up SD (Maassen): scored totals of the wave, in unit order
        const sd2 =
          p.followUpSd ??
          sampleSd(
            Array.from(rows).flatMap((i, u) =>
              !Number.isNaN(total[u]!) && waveName(i) === w ? [total[u]!] : [],
            ),
          );
        if (sd2 !== null && sd2 > 0)
          c = reliableChangeConstants({
            sd1,
            sd2,
            r: p.reliability,
            method: "Maassen",
            criticalValue: p.criticalValue,
          });
      }
    }
    constants[w] = c;
    return c;
  };

  const base = new Array<number | null>(n);
  const daysFrom = new Array<number | null>(n);
  const change = new Array<number | null>(n);
  const rc = new Array<number | null>(n);
  const rcClass = new Array<string | null>(n);
  const crossed = new Array<boolean | null>(n);
  for (let u = 0; u < n; u++) {
    const i = rows[u]!;
    const pu = person[u]!;
    const b = baseTotal[pu]!;
    const has = !Number.isNaN(b);
    const t = total[u]!;
    base[u] = has ? b : null;
    daysFrom[u] = has ? a.day[i]! - baseDay[pu]! : null;
    const isBaselineRow = has && a.wave[i] === INTAKE && a.day[i] === baseDay[pu];
    if (!has || Number.isNaN(t) || isBaselineRow) {
      change[u] = null;
      rc[u] = null;
      rcClass[u] = null;
      crossed[u] = null;
      continue;
    }
    const delta = t - b;
    change[u] = delta;
    crossed[u] = isBarc ? b < p.cutoff && t >= p.cutoff : null;
    const c = constantsFor(waveName(i));
    if (c === null) {
      rc[u] = null;
      rcClass[u] = null;
    } else {
      const v = delta / c.sDiff;
      rc[u] = v;
      rcClass[u] =
        v > p.criticalValue ? "IMPROVED" : v < -p.criticalValue ? "DETERIORATED" : "NO_RELIABLE_CHANGE";
    }
  }
  const totals = numColumn(total);
  const wave = new Array<string | null>(n);
  const waveOrder = new Array<number | null>(n);
  const high = new Array<boolean | null>(n);
  const atCeiling = new Array<boolean | null>(n);
  const inDenominator = new Array<boolean>(n);
  const prorated = new Array<boolean>(n);
  for (let u = 0; u < n; u++) {
    prorated[u] = sc.prorated[u] === 1;
    const w = a.wave[rows[u]!]!;
    wave[u] = w >= 0 ? WAVES[w]! : null;
    waveOrder[u] = w >= 0 ? WAVE_ORDER[WAVES[w]!] : null;
    const t = total[u]!;
    high[u] = isBarc && !Number.isNaN(t) ? t >= p.cutoff : null;
    atCeiling[u] = Number.isNaN(t) ? null : t === (isBarc ? 60 : 50);
    inDenominator[u] = reason[u] === R.SCORED;
  }
  const cols: Record<string, UnitColumn> = {
    assessment_id: a.idsAt(rows),
    person_id: personIdColumn(person, data.persons.ids),
    instrument: new Array<string>(n).fill(p.instrument),
    wave,
    wave_order: waveOrder,
    assessment_date: gatherInt32(a.day, rows),
    days_from_intake: daysFrom,
    total: totals,
    prorated,
    high,
    at_ceiling: atCeiling,
  };
  if (sc.domains !== null) {
    ARC_DOMAINS.forEach((name, dd) => {
      cols[`domain_${name}`] = numColumn(sc.domains![dd]!.subarray(0, n));
    });
  }
  Object.assign(cols, {
    baseline_total: base,
    change,
    rc,
    reliable_change: rcClass,
    crossed_cutoff: crossed,
    in_denominator: inDenominator,
    reason: codeColumn(reason, REASONS),
  });

  const armOfUnit = unitArms(person, data.arms());
  const hasArms = data.tables.arms !== undefined;
  const meanByWave: Record<string, GroupSummary<Estimate>> = {};
  const highByWave: Record<string, GroupSummary<Estimate>> = {};
  const changeByWave: Record<string, GroupSummary<Estimate>> = {};
  const reliable: Record<string, ReliableChangeConstants | null> = {};
  for (const [w, units] of unitsByWave(rows, waveName)) {
    const armSel = selectUnits(armOfUnit, units);
    const totalSel = gatherFloat64(total, units);
    meanByWave[w] = summarizeMean(totalSel, armSel, hasArms);
    if (isBarc) highByWave[w] = summarizeProportion(atOrAbove(totalSel, p.cutoff), armSel, hasArms);
    if (w !== "INTAKE") {
      changeByWave[w] = summarizeMean(
        units.map((u) => change[u]!),
        armSel,
        hasArms,
      );
      reliable[w] = constantsFor(w);
    }
  }
  const summary: RecoveryCapitalSummary = {
    assessments: n,
    reasons: reasonCounts(reason, REASONS) as Record<RecoveryCapitalReason, number>,
    meanByWave,
    highByWave,
    changeByWave,
    reliableChange: reliable,
    sd1,
  };
  return makeResult(definition(p), unitsTable(cols), summary, warnings);
}

/** Units of each wave (by wave name, in order of first appearance), each list in unit order. */
function unitsByWave(rows: Int32Array, waveName: (row: number) => string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let u = 0; u < rows.length; u++) {
    const w = waveName(rows[u]!);
    let list = out.get(w);
    if (list === undefined) {
      list = [];
      out.set(w, list);
    }
    list.push(u);
  }
  return out;
}

/** values[rows[u]] as an Int32Array. */
function gatherInt32(values: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let u = 0; u < rows.length; u++) out[u] = values[rows[u]!]!;
  return out;
}

/** 1 when the total is at or above the cut-off, 0 below, −1 not scored (`summarizeProportion` input). */
function atOrAbove(total: Float64Array, cutoff: number): Int8Array {
  const out = new Int8Array(total.length);
  for (let u = 0; u < total.length; u++) {
    const t = total[u]!;
    out[u] = Number.isNaN(t) ? -1 : t >= cutoff ? 1 : 0;
  }
  return out;
}
