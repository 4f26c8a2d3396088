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
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
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
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
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

/** Arm label per unit from its person ("UNASSIGNED" when the person has no arm). */
export function unitArms(unitPerson: ArrayLike<number>, arms: readonly (string | null)[]): string[] {
  const out = new Array<string>(unitPerson.length);
  for (let i = 0; i < unitPerson.length; i++) out[i] = arms[unitPerson[i]!] ?? "UNASSIGNED";
  return out;
}

/** Group index per unit (sorted group keys) — one pass, no per-group closures. */
const groupCache = new WeakMap<readonly string[], { keys: string[]; idx: Int32Array }>();

function groupIndex(armOfUnit: readonly string[], hasArms: boolean): { keys: string[]; idx: Int32Array } {
  if (!hasArms) return { keys: [], idx: new Int32Array(armOfUnit.length).fill(-1) };
  const hit = groupCache.get(armOfUnit);
  if (hit !== undefined) return hit;
  const idx = new Int32Array(armOfUnit.length);
  const pos = new Map<string, number>();
  let last: string | undefined;
  let lastK = -1;
  for (let i = 0; i < armOfUnit.length; i++) {
    const a = armOfUnit[i]!;
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
  groupCache.set(armOfUnit, out);
  return out;
}

/**
 * Proportion of units with value 1 among units with value 0 or 1 (−1 = not evaluable, excluded and
 * counted in nExcluded; units outside the denominator must be passed as −1 too).
 */
export function summarizeProportion(
  value: ArrayLike<number>,
  armOfUnit: readonly string[],
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
  const make = (xx: number, nn: number, ee: number): Estimate => {
    const e = proportionEstimate(xx, nn, level);
    return ee === 0 ? e : freezeResult({ ...e, nExcluded: e.nExcluded + ee });
  };
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

/** Mean of units' non-null values, overall and by arm. */
export function summarizeMean(
  value: ArrayLike<number | null>,
  armOfUnit: readonly string[],
  hasArms: boolean,
  level = 0.95,
): GroupSummary<Estimate> {
  const { keys, idx } = groupIndex(armOfUnit, hasArms);
  const groups: number[][] = keys.map(() => []);
  const all: number[] = [];
  const ex = new Float64Array(keys.length + 1);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    const k = idx[i]!;
    if (v === null || v === undefined || Number.isNaN(v)) {
      ex[k >= 0 ? k : keys.length]!++;
      continue;
    }
    all.push(v);
    if (k >= 0) groups[k]!.push(v);
  }
  const byArm: Record<string, Estimate> = {};
  keys.forEach((key, k) => {
    byArm[key] = meanEstimate(groups[k]!, level, ex[k]!);
  });
  const totalEx = ex.reduce((a, b) => a + b, 0);
  return freezeResult({ overall: meanEstimate(all, level, totalEx), byArm });
}

/** A Poisson rate expressed per 1,000 person-days and per 1,000 person-years. */
export interface RatePair {
  readonly events: number;
  readonly personDays: number;
  readonly per1000PersonDays: Estimate;
  readonly per1000PersonYears: Estimate;
}

/** Pooled Poisson rate (Σ events ÷ Σ person-time) over units with person-time not null, overall and by arm. */
export function summarizeRate(
  events: ArrayLike<number | null>,
  personDays: ArrayLike<number | null>,
  armOfUnit: readonly string[],
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
