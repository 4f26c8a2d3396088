/**
 * Gray's K-sample test for equality of cumulative incidence functions (R `cmprsk::cuminc` Tests).
 */
import { type Warning, warning } from "../../messages.js";
import { chiSquaredUpperTail } from "../distributions/index.js";
import { InsufficientDataError, InvalidInputError } from "../errors.js";
import {
  freezeDeep,
  type GroupLabel,
  type LabelColumn,
  type NumberColumn,
  type PreparedSurvival,
  partitionByKey,
  prepareSurvivalInput,
} from "./survival-input.js";
import { quadraticFormGinv } from "./survival-linalg.js";

export interface GrayTestInput {
  readonly time: NumberColumn;
  /** 0 = censored, 1..K = event type. */
  readonly status: NumberColumn;
  readonly group: LabelColumn;
  /** Optional strata (scores and variances summed over strata, as cuminc's `strata`). */
  readonly strata?: LabelColumn;
}

export interface GrayTestOptions {
  /** Event type whose cumulative incidence is compared (default 1). */
  readonly eventType?: number;
  /** Power of the weight (1 − F(t−))^rho (default 0, cuminc's default). */
  readonly rho?: number;
  readonly timefix?: boolean;
}

export interface GrayTestResult {
  readonly eventType: number;
  /** s' V⁻¹ s; null when V is singular (cuminc then reports −1). */
  readonly statistic: number | null;
  /** Number of groups − 1. */
  readonly df: number | null;
  /** Upper tail of χ²(df), at full precision (cuminc's `1 - pchisq()` prints 0 for large statistics). */
  readonly pValue: number | null;
  readonly nullDistribution: string;
  readonly n: number;
  readonly nExcluded: number;
  readonly method: string;
  readonly rho: number;
  readonly groups: readonly GroupLabel[];
  /** Scores of the first K − 1 groups. */
  readonly score: readonly number[];
  /** Their (K − 1)×(K − 1) variance matrix. */
  readonly variance: readonly (readonly number[])[];
  readonly warnings: readonly Warning[];
}

/**
 * Gray's score and variance for one event type (cmprsk's Fortran `crstm`/`crst`, translated
 * line by line): rows are sorted by time within strata; m = 0 censored, 1 the event type of
 * interest, 2 any other event type.
 */
export function grayScore(
  p: PreparedSurvival,
  eventType: number,
  rho: number,
): { s: Float64Array; v: Float64Array; ng1: number } {
  const ng = p.groupLabels.length;
  const ng1 = ng - 1;
  const nStrata = p.strata ? p.strataLabels.length : 1;
  const { order, sorted, start } = partitionByKey(
    p.timeOrder,
    p.timeSorted,
    p.strata ?? new Int32Array(p.n),
    nStrata,
  );
  const S = new Float64Array(Math.max(ng1, 0));
  const Vt = new Float64Array(Math.max(ng1 * ng1, 0));
  const rs = new Float64Array(ng);
  const f1m = new Float64Array(ng);
  const f1 = new Float64Array(ng);
  const skmm = new Float64Array(ng);
  const skm = new Float64Array(ng);
  const v3 = new Float64Array(ng);
  const v2 = new Float64Array(Math.max(ng1, 0) * ng);
  const c = new Float64Array(ng * ng);
  const a = new Float64Array(ng * ng);
  const d1 = new Float64Array(ng);
  const d2 = new Float64Array(ng);
  const v = new Float64Array(Math.max(ng1 * ng1, 0));
  const s = new Float64Array(Math.max(ng1, 0));
  const { status, group } = p;
  for (let st = 0; st < nStrata; st++) {
    const from = start[st] as number;
    const to = start[st + 1] as number;
    rs.fill(0);
    for (let k = from; k < to; k++) rs[group[order[k] as number] as number]!++;
    s.fill(0);
    v.fill(0);
    f1m.fill(0);
    f1.fill(0);
    skmm.fill(1);
    skm.fill(1);
    v3.fill(0);
    v2.fill(0);
    c.fill(0);
    let fm = 0;
    let f = 0;
    let ll = from;
    while (ll < to) {
      const t = sorted[ll] as number;
      let lu = ll;
      while (lu < to && sorted[lu] === t) lu++;
      d1.fill(0);
      d2.fill(0);
      let nd1 = 0;
      let nd2 = 0;
      for (let q = ll; q < lu; q++) {
        const r = order[q] as number;
        const code = status[r] as number;
        if (code === 0) continue;
        if (code === eventType) {
          d1[group[r] as number]!++;
          nd1++;
        } else {
          d2[group[r] as number]!++;
          nd2++;
        }
      }
      if (nd1 > 0 || nd2 > 0) {
        let tr = 0;
        let tq = 0;
        for (let i = 0; i < ng; i++) {
          const ri = rs[i] as number;
          if (ri <= 0) continue;
          const td = (d1[i] as number) + (d2[i] as number);
          skm[i] = ((skmm[i] as number) * (ri - td)) / ri;
          f1[i] = (f1m[i] as number) + ((skmm[i] as number) * (d1[i] as number)) / ri;
          tr += ri / (skmm[i] as number);
          tq += (ri * (1 - (f1m[i] as number))) / (skmm[i] as number);
        }
        f = fm + nd1 / tr;
        const fb = (1 - fm) ** rho;
        a.fill(0);
        for (let i = 0; i < ng; i++) {
          const ri = rs[i] as number;
          if (ri <= 0) continue;
          const t1 = ri / (skmm[i] as number);
          const aii = fb * t1 * (1 - t1 / tr);
          a[i * ng + i] = aii;
          c[i * ng + i] = (c[i * ng + i] as number) + (aii * nd1) / (tr * (1 - fm));
          for (let j = i + 1; j < ng; j++) {
            const rj = rs[j] as number;
            if (rj <= 0) continue;
            const aij = (-fb * t1 * rj) / ((skmm[j] as number) * tr);
            a[i * ng + j] = aij;
            c[i * ng + j] = (c[i * ng + j] as number) + (aij * nd1) / (tr * (1 - fm));
          }
        }
        for (let i = 1; i < ng; i++) {
          for (let j = 0; j < i; j++) {
            a[i * ng + j] = a[j * ng + i] as number;
            c[i * ng + j] = c[j * ng + i] as number;
          }
        }
        for (let i = 0; i < ng1; i++) {
          const ri = rs[i] as number;
          if (ri <= 0) continue;
          s[i] =
            (s[i] as number) +
            fb * ((d1[i] as number) - (nd1 * ri * (1 - (f1m[i] as number))) / ((skmm[i] as number) * tq));
        }
        if (nd1 > 0) {
          for (let k = 0; k < ng; k++) {
            const rk = rs[k] as number;
            if (rk <= 0) continue;
            let t4 = 1;
            if ((skm[k] as number) > 0) t4 = 1 - (1 - f) / (skm[k] as number);
            let t5 = 1;
            if (nd1 > 1) t5 = 1 - (nd1 - 1) / (tr * (skmm[k] as number) - 1);
            const t3 = (t5 * (skmm[k] as number) * nd1) / (tr * rk);
            v3[k] = (v3[k] as number) + t4 * t4 * t3;
            for (let i = 0; i < ng1; i++) {
              const t1 = (a[i * ng + k] as number) - t4 * (c[i * ng + k] as number);
              v2[i * ng + k] = (v2[i * ng + k] as number) + t1 * t4 * t3;
              for (let j = 0; j <= i; j++) {
                const t2 = (a[j * ng + k] as number) - t4 * (c[j * ng + k] as number);
                v[i * ng1 + j] = (v[i * ng1 + j] as number) + t1 * t2 * t3;
              }
            }
          }
        }
        if (nd2 > 0) {
          for (let k = 0; k < ng; k++) {
            const d2k = d2[k] as number;
            if ((skm[k] as number) <= 0 || d2k <= 0) continue;
            const rk = rs[k] as number;
            const t4 = (1 - f) / (skm[k] as number);
            let t5 = 1;
            if (d2k > 1) t5 = 1 - (d2k - 1) / (rk - 1);
            const t3 = (t5 * (skmm[k] as number) ** 2 * d2k) / (rk * rk);
            v3[k] = (v3[k] as number) + t4 * t4 * t3;
            for (let i = 0; i < ng1; i++) {
              const t1 = t4 * (c[i * ng + k] as number);
              v2[i * ng + k] = (v2[i * ng + k] as number) - t1 * t4 * t3;
              for (let j = 0; j <= i; j++) {
                const t2 = t4 * (c[j * ng + k] as number);
                v[i * ng1 + j] = (v[i * ng1 + j] as number) + t1 * t2 * t3;
              }
            }
          }
        }
      }
      for (let q = ll; q < lu; q++) rs[group[order[q] as number] as number]!--;
      fm = f;
      for (let i = 0; i < ng; i++) {
        f1m[i] = f1[i] as number;
        skmm[i] = skm[i] as number;
      }
      ll = lu;
    }
    for (let i = 0; i < ng1; i++) {
      for (let j = 0; j <= i; j++) {
        let x = v[i * ng1 + j] as number;
        for (let k = 0; k < ng; k++) {
          x += (c[i * ng + k] as number) * (c[j * ng + k] as number) * (v3[k] as number);
          x += (c[i * ng + k] as number) * (v2[j * ng + k] as number);
          x += (c[j * ng + k] as number) * (v2[i * ng + k] as number);
        }
        v[i * ng1 + j] = x;
      }
    }
    for (let i = 0; i < ng1; i++) {
      S[i] = (S[i] as number) + (s[i] as number);
      for (let j = 0; j <= i; j++) Vt[i * ng1 + j] = (Vt[i * ng1 + j] as number) + (v[i * ng1 + j] as number);
    }
  }
  for (let i = 0; i < ng1; i++) for (let j = 0; j < i; j++) Vt[j * ng1 + i] = Vt[i * ng1 + j] as number;
  return { s: S, v: Vt, ng1 };
}

/** Test result from a prepared data set (shared with cumulativeIncidence). */
export function grayTestPrepared(p: PreparedSurvival, eventType: number, rho: number): GrayTestResult {
  const warnings: Warning[] = [...p.warnings];
  const ng = p.groupLabels.length;
  let statistic: number | null = null;
  let df: number | null = null;
  let pValue: number | null = null;
  let score: number[] = [];
  let variance: number[][] = [];
  let nEvents = 0;
  for (let i = 0; i < p.n; i++) if (p.status[i] === eventType) nEvents++;
  if (ng < 2) {
    warnings.push(warning("ONE_GROUP"));
  } else if (nEvents === 0) {
    warnings.push(warning("NO_EVENTS", `no events of type ${eventType}`));
  } else {
    const { s, v, ng1 } = grayScore(p, eventType, rho);
    score = Array.from(s);
    variance = [];
    for (let i = 0; i < ng1; i++) variance.push(Array.from(v.subarray(i * ng1, (i + 1) * ng1)));
    const qf = quadraticFormGinv(v, s, ng1, 1e-7);
    df = ng1;
    if (qf.rank < ng1) {
      warnings.push(warning("SINGULAR_VARIANCE", `rank ${qf.rank} of ${ng1}`));
    } else {
      statistic = qf.value;
      pValue = chiSquaredUpperTail(statistic, df);
    }
  }
  return {
    eventType,
    statistic,
    df,
    pValue,
    nullDistribution: "chi-squared",
    n: p.n,
    nExcluded: p.nExcluded,
    method: `Gray's test for equal cumulative incidence (cmprsk::cuminc, rho = ${rho}${p.strata ? ", stratified" : ""})`,
    rho,
    groups: p.groupLabels,
    score,
    variance,
    warnings,
  };
}

/**
 * Gray's (1988) K-sample test that the cumulative incidence of one event type is equal across
 * groups, in the presence of competing events; optional strata.
 *
 * Variant: cmprsk `cuminc(ftime, fstatus, group, strata, rho = 0)` — a translation of its Fortran
 * `crstm`; the statistic is s'V⁻¹s on (groups − 1) df. Unlike cuminc, the p-value is the χ² upper
 * tail at full precision (cuminc's `1 - pchisq()` prints 0 for large statistics). Ties across
 * event types are handled as they fall (no jitter). No case weights.
 *
 * Reference: Gray RJ (1988), Ann Stat 16:1141–1154; R package cmprsk (`cuminc`, `crstm.f`).
 */
export function grayTest(input: GrayTestInput, options: GrayTestOptions = {}): GrayTestResult {
  const fn = "grayTest";
  const eventType = options.eventType ?? 1;
  const rho = options.rho ?? 0;
  if (!(Number.isInteger(eventType) && eventType >= 1)) {
    throw new InvalidInputError(fn, `eventType must be a positive integer (received ${eventType})`);
  }
  if (!(Number.isFinite(rho) && rho >= 0)) throw new InvalidInputError(fn, `rho must be ≥ 0`);
  if (input.group === undefined) throw new InvalidInputError(fn, "group is required");
  const prep = prepareSurvivalInput({
    fn,
    time: input.time,
    status: input.status,
    group: input.group,
    strata: input.strata,
    maxStatus: Number.MAX_SAFE_INTEGER,
    timefix: options.timefix,
  });
  if (prep.n === 0) throw new InsufficientDataError(fn, 1, 0);
  return freezeDeep(grayTestPrepared(prep, eventType, rho));
}
