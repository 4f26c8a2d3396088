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
import { warning, type Warning } from "../../messages.js";
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
export function poissonRateEstimate(events: number, personTime: number, per: number, unitLabel: string, level = 0.95): Estimate {
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
  return makeEstimate({ estimate: mean, se, ci: { lower: mean - t * se, upper: mean + t * se, level }, n, nExcluded, method });
}

/** Arm label per unit from its person ("UNASSIGNED" when the person has no arm). */
export function unitArms(unitPerson: ArrayLike<number>, arms: readonly (string | null)[]): string[] {
  const out = new Array<string>(unitPerson.length);
  for (let i = 0; i < unitPerson.length; i++) out[i] = arms[unitPerson[i]!] ?? "UNASSIGNED";
  return out;
}

function groupKeys(armOfUnit: readonly string[], hasArms: boolean): string[] {
  if (!hasArms) return [];
  return [...new Set(armOfUnit)].sort();
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
  const one = (keep: (i: number) => boolean): Estimate => {
    let x = 0;
    let n = 0;
    let excluded = 0;
    for (let i = 0; i < value.length; i++) {
      if (!keep(i)) continue;
      const v = value[i]!;
      if (v === 1) {
        x++;
        n++;
      } else if (v === 0) n++;
      else excluded++;
    }
    const e = proportionEstimate(x, n, level);
    return excluded === 0 ? e : freezeResult({ ...e, nExcluded: e.nExcluded + excluded });
  };
  const byArm: Record<string, Estimate> = {};
  for (const g of groupKeys(armOfUnit, hasArms)) byArm[g] = one((i) => armOfUnit[i] === g);
  return freezeResult({ overall: one(() => true), byArm });
}

/** Mean of units' non-null values, overall and by arm. */
export function summarizeMean(
  value: ArrayLike<number | null>,
  armOfUnit: readonly string[],
  hasArms: boolean,
  level = 0.95,
): GroupSummary<Estimate> {
  const one = (keep: (i: number) => boolean): Estimate => {
    const vals: number[] = [];
    let excluded = 0;
    for (let i = 0; i < value.length; i++) {
      if (!keep(i)) continue;
      const v = value[i];
      if (v === null || v === undefined || Number.isNaN(v)) excluded++;
      else vals.push(v);
    }
    return meanEstimate(vals, level, excluded);
  };
  const byArm: Record<string, Estimate> = {};
  for (const g of groupKeys(armOfUnit, hasArms)) byArm[g] = one((i) => armOfUnit[i] === g);
  return freezeResult({ overall: one(() => true), byArm });
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
  const one = (keep: (i: number) => boolean): RatePair => {
    let x = 0;
    let pt = 0;
    for (let i = 0; i < events.length; i++) {
      if (!keep(i)) continue;
      const e = events[i];
      const t = personDays[i];
      if (e === null || e === undefined || t === null || t === undefined) continue;
      x += e;
      pt += t;
    }
    return {
      events: x,
      personDays: pt,
      per1000PersonDays: poissonRateEstimate(x, pt, 1000, "1,000 person-days", level),
      per1000PersonYears: poissonRateEstimate(x, pt / 365.25, 1000, "1,000 person-years (365.25 days)", level),
    };
  };
  const byArm: Record<string, RatePair> = {};
  for (const g of groupKeys(armOfUnit, hasArms)) byArm[g] = one((i) => armOfUnit[i] === g);
  return freezeResult({ overall: one(() => true), byArm });
}

/** A coded warning when persons contribute more than one unit to a summary. */
export function clusteredUnitsWarning(unitPerson: ArrayLike<number>, inDenominator: ArrayLike<number>): Warning | null {
  const seen = new Set<number>();
  let units = 0;
  for (let i = 0; i < unitPerson.length; i++) {
    if (inDenominator[i] !== 1) continue;
    units++;
    seen.add(unitPerson[i]!);
  }
  if (units > seen.size) {
    return warning("MEASURE_CLUSTERED_UNITS", `${units} units from ${seen.size} persons`, {
      units,
      persons: seen.size,
    });
  }
  return null;
}
