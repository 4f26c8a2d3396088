/**
 * A Kaplan–Meier fit evaluated at chosen times (R `summary(fit, times = ..., extend = TRUE)`),
 * e.g. cumulative incidence 1 − Ŝ at 7, 30 and 90 days.
 */
import { InvalidInputError } from "../errors.js";
import { probabilityCi, zCritical } from "../inference/index.js";
import type { GroupLabel, KaplanMeierResult } from "./kaplan-meier.js";
import { freezeDeep } from "./survival-input.js";

export interface SurvivalAtTimesCurve {
  readonly group: GroupLabel | null;
  /** The requested times, sorted ascending, duplicates removed. */
  readonly time: readonly number[];
  /** Number at risk at t: n.risk of the first curve time ≥ t; 0 beyond the last time. */
  readonly nRisk: readonly number[];
  /** Events in (previous requested time, t] (from the start for the first). */
  readonly nEvent: readonly number[];
  /** Censorings in the same interval. */
  readonly nCensor: readonly number[];
  /** Ŝ(t): the right-continuous step function; 1 before the first time; carried flat after the last. */
  readonly surv: readonly number[];
  /** SE of Ŝ(t) (0 before the first time; null where not evaluable). */
  readonly stdErr: readonly (number | null)[];
  readonly lower: readonly (number | null)[];
  readonly upper: readonly (number | null)[];
  /** Cumulative incidence 1 − Ŝ(t) and its CI (1 − upper, 1 − lower). */
  readonly cumulativeIncidence: readonly number[];
  readonly cumulativeIncidenceLower: readonly (number | null)[];
  readonly cumulativeIncidenceUpper: readonly (number | null)[];
  /** True where t is after the group's last observed time (the value is extrapolated flat). */
  readonly beyondFollowUp: readonly boolean[];
}

export interface SurvivalAtTimesResult {
  readonly method: string;
  readonly confType: KaplanMeierResult["confType"];
  readonly confLevel: number;
  readonly curves: readonly SurvivalAtTimesCurve[];
}

/** Index of the last element ≤ t in an ascending array (−1 if none). */
export function lastAtOrBefore(a: readonly number[], t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Sorted unique finite times; throws on non-finite. */
export function checkTimes(fn: string, times: readonly number[]): number[] {
  for (const t of times) {
    if (typeof t !== "number" || !Number.isFinite(t))
      throw new InvalidInputError(fn, `times must be finite (received ${t})`);
  }
  return [...new Set(times)].sort((a, b) => a - b);
}

/**
 * Survival (and cumulative incidence 1 − Ŝ) at the requested times with pointwise CIs, from a
 * `kaplanMeier` fit — R `summary.survfit(fit, times, extend = TRUE)`: Ŝ at the last curve time ≤ t,
 * n.risk at the first curve time ≥ t, events and censorings counted over (previous time, t].
 * CIs use the fit's conf.type and level; 1 − Ŝ takes the complementary bounds.
 */
export function kaplanMeierAtTimes(fit: KaplanMeierResult, times: readonly number[]): SurvivalAtTimesResult {
  const ts = checkTimes("kaplanMeierAtTimes", times);
  const z = zCritical(fit.confLevel);
  const curves = fit.curves.map((c) => {
    const k = ts.length;
    const nRisk = new Array<number>(k);
    const nEvent = new Array<number>(k);
    const nCensor = new Array<number>(k);
    const surv = new Array<number>(k);
    const stdErr = new Array<number | null>(k);
    const lower = new Array<number | null>(k);
    const upper = new Array<number | null>(k);
    const ci = new Array<number>(k);
    const ciLower = new Array<number | null>(k);
    const ciUpper = new Array<number | null>(k);
    const beyond = new Array<boolean>(k);
    const m = c.time.length;
    let prevIdx = -1;
    for (let i = 0; i < k; i++) {
      const t = ts[i] as number;
      const j = lastAtOrBefore(c.time, t);
      let d = 0;
      let cc = 0;
      for (let l = prevIdx + 1; l <= j; l++) {
        d += c.nEvent[l] as number;
        cc += c.nCensor[l] as number;
      }
      if (j > prevIdx) prevIdx = j;
      nEvent[i] = d;
      nCensor[i] = cc;
      const next = j >= 0 && c.time[j] === t ? j : j + 1;
      nRisk[i] = next < m ? (c.nRisk[next] as number) : 0;
      beyond[i] = m === 0 || t > (c.time[m - 1] as number);
      if (j < 0) {
        surv[i] = 1;
        stdErr[i] = 0;
        const b = probabilityCi(1, 0, fit.confType, z);
        lower[i] = b.lower;
        upper[i] = b.upper;
      } else {
        surv[i] = c.surv[j] as number;
        stdErr[i] = c.stdErr[j] ?? null;
        lower[i] = c.lower[j] ?? null;
        upper[i] = c.upper[j] ?? null;
      }
      ci[i] = 1 - (surv[i] as number);
      const up = upper[i] ?? null;
      const lo = lower[i] ?? null;
      ciLower[i] = up === null ? null : 1 - up;
      ciUpper[i] = lo === null ? null : 1 - lo;
    }
    return {
      group: c.group,
      time: ts,
      nRisk,
      nEvent,
      nCensor,
      surv,
      stdErr,
      lower,
      upper,
      cumulativeIncidence: ci,
      cumulativeIncidenceLower: ciLower,
      cumulativeIncidenceUpper: ciUpper,
      beyondFollowUp: beyond,
    };
  });
  return freezeDeep({
    method: `${fit.method}; evaluated at fixed times`,
    confType: fit.confType,
    confLevel: fit.confLevel,
    curves,
  });
}
