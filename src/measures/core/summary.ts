/**
 * Group summaries of unit-level measure values, overall and by arm (MEASURES §1.6 group estimates;
 * contrasts between arms are the comparison layer's job).
 *
 * - proportions: `proportionCI` from src/stats/tables (Wilson score interval), behind the one adapter
 *   `proportionEstimate` below;
 * - rates: exact Poisson (Garwood 1936) interval from chi-squared quantiles, per 1,000 person-days
 *   and per 1,000 person-years (365.25 days);
 * - means: Student t interval, mean ± t(n−1) · s/√n.
 */
import { type Warning, warning } from "../../messages.js";
import { chiSquaredQuantile, studentTQuantile } from "../../stats/distributions/index.js";
import { type Estimate, freezeResult, makeEstimate } from "../../stats/result.js";
import { proportionCI } from "../../stats/tables/proportion-ci.js";

/** Overall and per-arm results. Units whose person has no arm row are counted under "UNASSIGNED". */
export interface GroupSummary<T> {
  readonly overall: T;
  readonly byArm: Readonly<Record<string, T>>;
}

/**
 * Adapter to the stats layer's single-proportion interval (Wilson score, R `prop.test(correct = FALSE)`).
 * The one call site for every measure proportion; n = 0 gives a not-evaluable (null) estimate.
 */
export function proportionEstimate(x: number, n: number, level = 0.95): Estimate {
  return proportionCI(x, n, { method: "wilson", confLevel: level });
}

/**
 * Poisson rate events ÷ person-time × `per`, with the exact (Garwood 1936) interval
 * [χ²(α/2; 2x)/2, χ²(1−α/2; 2x+2)/2] ÷ person-time × `per` (R `poisson.test(x, T)$conf.int`).
 * se = √x ÷ person-time × per. Person-time 0 → not evaluable (null).
 */
export function poissonRateEstimate(
  events: number,
  personTime: number,
  per: number,
  unitLabel: string,
  level = 0.95,
): Estimate {
  const method = `Poisson rate per ${unitLabel}, exact (Garwood) interval from chi-squared quantiles (R poisson.test)`;
  if (!(personTime > 0)) {
    return makeEstimate({
      estimate: null,
      se: null,
      ci: { lower: null, upper: null, level },
      n: 0,
      method,
      warnings: [warning("EMPTY_DENOMINATOR", "person-time = 0")],
    });
  }
  const a = 1 - level;
  const lower = events === 0 ? 0 : chiSquaredQuantile(a / 2, 2 * events) / 2;
  const upper = chiSquaredQuantile(1 - a / 2, 2 * events + 2) / 2;
  const scale = per / personTime;
  return makeEstimate({
    estimate: events * scale,
    se: Math.sqrt(events) * scale,
    ci: { lower: lower * scale, upper: upper * scale, level },
    n: events,
    method,
  });
}

/** Mean with a Student t interval; fewer than 2 values → interval not evaluable (null), 0 values → all null. */
export function meanEstimate(values: readonly number[], level = 0.95, nExcluded = 0): Estimate {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  if (n >= 2) for (const v of values) ss += (v - mean) * (v - mean);
  return meanFromMoments(n, mean, ss, level, nExcluded);
}

/**
 * `meanEstimate` from n, the mean (Σv ÷ n, summed in unit order) and Σ(v − mean)² (summed in unit
 * order), so a caller can accumulate several groups in one pass over typed values.
 */
function meanFromMoments(n: number, mean: number, ss: number, level: number, nExcluded: number): Estimate {
  const method = "arithmetic mean, Student t interval mean ± t(n−1)·s/√n";
  if (n === 0) {
    return makeEstimate({
      estimate: null,
      se: null,
      ci: { lower: null, upper: null, level },
      n: 0,
      nExcluded,
      method,
      warnings: [warning("EMPTY_DENOMINATOR", "no evaluable values")],
    });
  }
  if (n < 2) {
    return makeEstimate({
      estimate: mean,
      se: null,
      ci: { lower: null, upper: null, level },
      n,
      nExcluded,
      method,
      warnings: [warning("MEASURE_SMALL_GROUP", "n = 1")],
    });
  }
  const se = Math.sqrt(ss / (n - 1) / n);
  const t = studentTQuantile(1 - (1 - level) / 2, n - 1);
  return makeEstimate({
    estimate: mean,
    se,
    ci: { lower: mean - t * se, upper: mean + t * se, level },
    n,
    nExcluded,
    method,
  });
}

/**
 * Each unit's arm, for the group summaries: the arm labels present among the units (sorted; persons
 * without an arm are "UNASSIGNED") and each unit's index into them. Built from integer codes, so a
 * million units cost no per-unit strings.
 */
export interface UnitArms {
  readonly keys: readonly string[];
  readonly idx: Int32Array;
}

/** Per-person arm codes into distinct labels (null arm → "UNASSIGNED"), once per arms array. */
const armCodesCache = new WeakMap<readonly (string | null)[], { code: Int32Array; labels: string[] }>();

function armCodes(arms: readonly (string | null)[]): { code: Int32Array; labels: string[] } {
  let hit = armCodesCache.get(arms);
  if (hit === undefined) {
    const code = new Int32Array(arms.length);
    const labels: string[] = [];
    const pos = new Map<string, number>();
    for (let p = 0; p < arms.length; p++) {
      const a = arms[p] ?? "UNASSIGNED";
      let k = pos.get(a);
      if (k === undefined) {
        k = labels.length;
        labels.push(a);
        pos.set(a, k);
      }
      code[p] = k;
    }
    hit = { code, labels };
    armCodesCache.set(arms, hit);
  }
  return hit;
}

/** UnitArms from each unit's code into `labels` (distinct): keys are the labels present, sorted. */
function compactArms(unitCode: Int32Array, labels: readonly string[]): UnitArms {
  const present = new Uint8Array(labels.length);
  for (let u = 0; u < unitCode.length; u++) present[unitCode[u]!] = 1;
  const keys = labels.filter((_, k) => present[k] === 1).sort();
  const remap = new Int32Array(labels.length);
  const at = new Map(labels.map((l, k) => [l, k]));
  keys.forEach((key, j) => {
    remap[at.get(key)!] = j;
  });
  const idx = new Int32Array(unitCode.length);
  for (let u = 0; u < unitCode.length; u++) idx[u] = remap[unitCode[u]!]!;
  return { keys, idx };
}

/** Arm of each unit from its person ("UNASSIGNED" when the person has no arm). */
export function unitArms(unitPerson: ArrayLike<number>, arms: readonly (string | null)[]): UnitArms {
  const { code, labels } = armCodes(arms);
  const unitCode = new Int32Array(unitPerson.length);
  for (let u = 0; u < unitPerson.length; u++) unitCode[u] = code[unitPerson[u]!]!;
  return compactArms(unitCode, labels);
}

/** The arms of a subset of units (`units`: their positions), as `unitArms` of that subset would give. */
export function selectUnits(arms: UnitArms, units: ArrayLike<number>): UnitArms {
  const unitCode = new Int32Array(units.length);
  for (let j = 0; j < units.length; j++) unitCode[j] = arms.idx[units[j]!]!;
  return compactArms(unitCode, arms.keys);
}

/** Group index per unit (sorted group keys) — one pass, no per-group closures. */
const groupCache = new WeakMap<readonly string[], { keys: string[]; idx: Int32Array }>();

/** Groups of the units: none without arms, else from arm labels (strings, as in tests) or UnitArms. */
function groupIndex(
  armOfUnit: readonly string[] | UnitArms,
  hasArms: boolean,
): { keys: readonly string[]; idx: Int32Array } {
  if (!hasArms) return { keys: [], idx: new Int32Array(unitCount(armOfUnit)).fill(-1) };
  if (!Array.isArray(armOfUnit)) return armOfUnit as UnitArms;
  const labels = armOfUnit as readonly string[];
  const hit = groupCache.get(labels);
  if (hit !== undefined) return hit;
  const idx = new Int32Array(labels.length);
  const pos = new Map<string, number>();
  let last: string | undefined;
  let lastK = -1;
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i]!;
    if (a !== last) {
      let k = pos.get(a);
      if (k === undefined) {
        k = pos.size;
        pos.set(a, k);
      }
      last = a;
      lastK = k;
    }
    idx[i] = lastK;
  }
  // renumber so that keys are sorted
  const keys = [...pos.keys()].sort();
  const remap = new Int32Array(pos.size);
  keys.forEach((key, k) => {
    remap[pos.get(key)!] = k;
  });
  for (let i = 0; i < idx.length; i++) idx[i] = remap[idx[i]!]!;
  const out = { keys, idx };
  groupCache.set(labels, out);
  return out;
}

function unitCount(armOfUnit: readonly string[] | UnitArms): number {
  return Array.isArray(armOfUnit) ? armOfUnit.length : (armOfUnit as UnitArms).idx.length;
}

/**
 * The proportion x / n (Wilson, `proportionEstimate`) with `excluded` more units counted in nExcluded:
 * one group of `summarizeProportion`, for callers that count without building a value array.
 */
export function proportionFromCounts(x: number, n: number, excluded: number, level = 0.95): Estimate {
  const e = proportionEstimate(x, n, level);
  return excluded === 0 ? e : freezeResult({ ...e, nExcluded: e.nExcluded + excluded });
}

/**
 * Proportion of units with value 1 among units with value 0 or 1 (−1 = not evaluable, excluded and
 * counted in nExcluded; units outside the denominator must be passed as −1 too).
 */
export function summarizeProportion(
  value: ArrayLike<number>,
  armOfUnit: readonly string[] | UnitArms,
  hasArms: boolean,
  level = 0.95,
): GroupSummary<Estimate> {
  const { keys, idx } = groupIndex(armOfUnit, hasArms);
  const g = keys.length;
  const x = new Float64Array(g + 1);
  const n = new Float64Array(g + 1);
  const ex = new Float64Array(g + 1);
  for (let i = 0; i < value.length; i++) {
    const v = value[i]!;
    const k = idx[i]! >= 0 ? idx[i]! : g;
    if (v === 1) {
      x[k]!++;
      n[k]!++;
    } else if (v === 0) n[k]!++;
    else ex[k]!++;
  }
  const make = (xx: number, nn: number, ee: number): Estimate => proportionFromCounts(xx, nn, ee, level);
  const byArm: Record<string, Estimate> = {};
  let tx = x[g]!;
  let tn = n[g]!;
  let te = ex[g]!;
  keys.forEach((key, k) => {
    byArm[key] = make(x[k]!, n[k]!, ex[k]!);
    tx += x[k]!;
    tn += n[k]!;
    te += ex[k]!;
  });
  return freezeResult({ overall: make(tx, tn, te), byArm });
}

/**
 * Mean of units' non-null values, overall and by arm (null, undefined and NaN are excluded and counted).
 * Two passes over the values (sums, then squared deviations), each group summed in unit order.
 */
export function summarizeMean(
  value: ArrayLike<number | null>,
  armOfUnit: readonly string[] | UnitArms,
  hasArms: boolean,
  level = 0.95,
): GroupSummary<Estimate> {
  const { keys, idx } = groupIndex(armOfUnit, hasArms);
  const g = keys.length; // slot g: every unit (the overall mean)
  const n = new Float64Array(g + 1);
  const sum = new Float64Array(g + 1);
  const ex = new Float64Array(g + 1);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    const k = idx[i]!;
    if (v === null || v === undefined || Number.isNaN(v)) {
      ex[k >= 0 ? k : g]!++;
      continue;
    }
    sum[g]! += v;
    n[g]!++;
    if (k >= 0) {
      sum[k]! += v;
      n[k]!++;
    }
  }
  const mean = new Float64Array(g + 1);
  for (let k = 0; k <= g; k++) mean[k] = sum[k]! / n[k]!;
  const ss = new Float64Array(g + 1);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (v === null || v === undefined || Number.isNaN(v)) continue;
    const k = idx[i]!;
    const dAll = v - mean[g]!;
    ss[g]! += dAll * dAll;
    if (k >= 0) {
      const d = v - mean[k]!;
      ss[k]! += d * d;
    }
  }
  const byArm: Record<string, Estimate> = {};
  let totalEx = 0;
  keys.forEach((key, k) => {
    byArm[key] = meanFromMoments(n[k]!, mean[k]!, n[k]! >= 2 ? ss[k]! : 0, level, ex[k]!);
  });
  for (let k = 0; k <= g; k++) totalEx += ex[k]!;
  return freezeResult({ overall: meanFromMoments(n[g]!, mean[g]!, ss[g]!, level, totalEx), byArm });
}

/** A Poisson rate expressed per 1,000 person-days and per 1,000 person-years. */
export interface RatePair {
  readonly events: number;
  readonly personDays: number;
  readonly per1000PersonDays: Estimate;
  readonly per1000PersonYears: Estimate;
}

/**
 * Pooled Poisson rate (Σ events ÷ Σ person-time) over units whose events and person-time are both given
 * (null, undefined or NaN leave the unit out), overall and by arm.
 */
export function summarizeRate(
  events: ArrayLike<number | null>,
  personDays: ArrayLike<number | null>,
  armOfUnit: readonly string[] | UnitArms,
  hasArms: boolean,
  level = 0.95,
): GroupSummary<RatePair> {
  const { keys, idx } = groupIndex(armOfUnit, hasArms);
  const g = keys.length;
  const ev = new Float64Array(g + 1);
  const pt = new Float64Array(g + 1);
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const t = personDays[i];
    if (e === null || e === undefined || t === null || t === undefined) continue;
    if (Number.isNaN(e) || Number.isNaN(t)) continue;
    const k = idx[i]! >= 0 ? idx[i]! : g;
    ev[k]! += e;
    pt[k]! += t;
  }
  const make = (x: number, p: number): RatePair => ({
    events: x,
    personDays: p,
    per1000PersonDays: poissonRateEstimate(x, p, 1000, "1,000 person-days", level),
    per1000PersonYears: poissonRateEstimate(x, p / 365.25, 1000, "1,000 person-years (365.25 days)", level),
  });
  const byArm: Record<string, RatePair> = {};
  keys.forEach((key, k) => {
    byArm[key] = make(ev[k]!, pt[k]!);
  });
  return freezeResult({
    overall: make(
      ev.reduce((a, b) => a + b, 0),
      pt.reduce((a, b) => a + b, 0),
    ),
    byArm,
  });
}

/** A coded warning when persons contribute more than one unit to a summary. */
export function clusteredUnitsWarning(
  unitPerson: ArrayLike<number>,
  inDenominator: ArrayLike<number>,
): Warning | null {
  let maxP = -1;
  for (let i = 0; i < unitPerson.length; i++) if (unitPerson[i]! > maxP) maxP = unitPerson[i]!;
  const seen = new Uint8Array(maxP + 1);
  let units = 0;
  let persons = 0;
  for (let i = 0; i < unitPerson.length; i++) {
    if (inDenominator[i] !== 1) continue;
    units++;
    if (seen[unitPerson[i]!] === 0) {
      seen[unitPerson[i]!] = 1;
      persons++;
    }
  }
  if (units > persons) {
    return warning("MEASURE_CLUSTERED_UNITS", `${units} units from ${persons} persons`, { units, persons });
  }
  return null;
}
