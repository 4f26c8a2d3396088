/**
 * Aalen–Johansen cumulative incidence functions for competing risks, by group
 * (R `survfit(Surv(time, factor(status)) ~ group)` and `cmprsk::cuminc`).
 */
import { type Warning, warning } from "../../messages.js";
import { InsufficientDataError, InvalidInputError } from "../errors.js";
import {
  checkConfLevel,
  type ProbabilityCiTransform,
  probabilityCi,
  probabilityCiArrays,
  zCritical,
} from "../inference/index.js";
import { type GrayTestResult, grayTestPrepared } from "./gray-test.js";
import { checkTimes, lastAtOrBefore } from "./kaplan-meier-at-times.js";
import { groupedOrder } from "./km-core.js";
import type { GroupLabel, LabelColumn, NumberColumn } from "./survival-input.js";
import {
  freezeDeep,
  type PreparedSurvival,
  prepareSurvivalInput,
  toPlain,
  toPlainNullable,
} from "./survival-input.js";

export interface CumulativeIncidenceInput {
  readonly time: NumberColumn;
  /** 0 = censored; 1..K = type of the (first) event. */
  readonly status: NumberColumn;
  readonly group?: LabelColumn;
  /** Optional non-negative case weights (infinitesimal-jackknife variance only). */
  readonly weights?: NumberColumn;
}

/** Variance of the cumulative incidence. */
export type CumulativeIncidenceVariance = "infinitesimal-jackknife" | "gray";

export interface CumulativeIncidenceOptions {
  /** Pointwise CI transform of the cumulative incidence F (default "log", R survfit). */
  readonly confType?: ProbabilityCiTransform;
  readonly confLevel?: number;
  /**
   * "infinitesimal-jackknife" (default; R survfit for multi-state curves) or "gray" (the
   * delta-method variance of cmprsk::cuminc; no weights).
   */
  readonly variance?: CumulativeIncidenceVariance;
  /** Times at which to report the estimates (R `summary(fit, times)` / cmprsk `timepoints`). */
  readonly times?: readonly number[];
  /** Compute Gray's test per event type when there are ≥ 2 groups (default true; not with weights). */
  readonly grayTest?: boolean;
  /** rho of Gray's test (default 0). */
  readonly rho?: number;
  readonly timefix?: boolean;
}

/** One event type's cumulative incidence within a curve (columnar, aligned with the curve's time). */
export interface CumulativeIncidenceCause {
  readonly eventType: number;
  /** Events of this type at each time (weighted). */
  readonly nEvent: readonly number[];
  /** F_k(t) = Σ_{t_j ≤ t} Ŝ(t_j−) d_kj / n_j (Aalen–Johansen). */
  readonly estimate: readonly number[];
  readonly stdErr: readonly (number | null)[];
  readonly lower: readonly (number | null)[];
  readonly upper: readonly (number | null)[];
}

export interface CumulativeIncidenceAtTimes {
  readonly time: readonly number[];
  /** Number event-free and under observation at t (first curve time ≥ t; 0 beyond the last). */
  readonly nRisk: readonly number[];
  /** Event-free probability Ŝ(t). */
  readonly eventFree: readonly number[];
  readonly causes: readonly {
    readonly eventType: number;
    /** Events of this type in (previous requested time, t]. */
    readonly nEvent: readonly number[];
    readonly estimate: readonly number[];
    readonly stdErr: readonly (number | null)[];
    readonly lower: readonly (number | null)[];
    readonly upper: readonly (number | null)[];
  }[];
  readonly beyondFollowUp: readonly boolean[];
}

export interface CumulativeIncidenceCurve {
  readonly group: GroupLabel | null;
  readonly n: number;
  readonly sumWeights: number;
  /** Every distinct time of the group (events of any type and censorings), ascending. */
  readonly time: readonly number[];
  /**
   * Number event-free and under observation just before t, as a weighted sum (like the KM's
   * n.risk; R's multi-state survfit reports unweighted counts here even with weights).
   */
  readonly nRisk: readonly number[];
  readonly nCensor: readonly number[];
  /** Probability of no event yet, Ŝ(t) (Kaplan–Meier for the first event of any type). */
  readonly eventFree: readonly number[];
  /** Its infinitesimal-jackknife SE (= Greenwood × Ŝ without weights, 0 once Ŝ = 0). */
  readonly eventFreeStdErr: readonly (number | null)[];
  readonly causes: readonly CumulativeIncidenceCause[];
  /** Estimates at `options.times`, when given. */
  readonly atTimes: CumulativeIncidenceAtTimes | null;
}

export interface CumulativeIncidenceResult {
  readonly method: string;
  readonly confType: ProbabilityCiTransform;
  readonly confLevel: number;
  readonly variance: CumulativeIncidenceVariance;
  readonly n: number;
  readonly nExcluded: number;
  readonly groups: readonly GroupLabel[];
  /** Event types present (sorted). */
  readonly eventTypes: readonly number[];
  readonly curves: readonly CumulativeIncidenceCurve[];
  /** Gray's test per event type (null with one group, weights, or grayTest: false). */
  readonly grayTests: readonly GrayTestResult[] | null;
  readonly warnings: readonly Warning[];
}

interface CifCore {
  m: number;
  n: number;
  sumW: number;
  time: Float64Array;
  nRisk: Float64Array;
  nCensor: Float64Array;
  surv: Float64Array;
  survSe: Float64Array;
  dk: Float64Array[];
  F: Float64Array[];
  se: Float64Array[];
}

/**
 * Aalen–Johansen sweep for one group (rows order[from..to) sorted by time), K event types
 * (codes types[k]). Variance: infinitesimal jackknife Σ_i (w_i U_ik(t))², with U_ik the derivative of
 * F_k(t) with respect to row i's weight; a row still at risk at t has U = G_k(t) =
 * Σ_{t_j ≤ t} Ŝ(t_j−)(d_kj/n_j)(A(t_{j−1}) − 1/n_j), A the Greenwood sum; a row that left at T with
 * class c has U = c_ik + L_c F_k(t), L_c = A(T) − [c is an event]/(n − d)|_T, so running sums
 * suffice (O(n·K²)). Or Gray's delta-method variance (cmprsk `cinc`), unweighted.
 */
function cifSweep(
  p: PreparedSurvival,
  order: Uint32Array,
  sorted: Float64Array,
  from: number,
  to: number,
  types: readonly number[],
  variance: CumulativeIncidenceVariance,
): CifCore {
  const { status, weights } = p;
  const K = types.length;
  const typeIndex = new Map<number, number>();
  types.forEach((t, k) => {
    typeIndex.set(t, k);
  });
  let m = 0;
  for (let q = from; q < to; q++) if (q === from || sorted[q] !== sorted[q - 1]) m++;
  const tt = new Float64Array(m);
  const C = new Float64Array(m);
  const dk = types.map(() => new Float64Array(m));
  const W2c = new Float64Array(m * (K + 1)); // Σ w² of exits per class (0 = censored, 1+k = type k)
  let sumW = 0;
  {
    let j = -1;
    let prev = Number.NaN;
    for (let q = from; q < to; q++) {
      const r = order[q] as number;
      const t = sorted[q] as number;
      if (t !== prev) {
        j++;
        tt[j] = t;
        prev = t;
      }
      const w = weights ? (weights[r] as number) : 1;
      sumW += w;
      const code = status[r] as number;
      if (code === 0) {
        C[j]! += w;
        W2c[j * (K + 1)]! += w * w;
      } else {
        const k = typeIndex.get(code) as number;
        (dk[k] as Float64Array)[j]! += w;
        W2c[j * (K + 1) + 1 + k]! += w * w;
      }
    }
  }
  const D = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let d = 0;
    for (let k = 0; k < K; k++) d += (dk[k] as Float64Array)[j] as number;
    D[j] = d;
  }
  const nRisk = new Float64Array(m);
  {
    let acc = 0;
    for (let j = m - 1; j >= 0; j--) {
      acc += (D[j] as number) + (C[j] as number);
      nRisk[j] = acc;
    }
  }
  const surv = new Float64Array(m);
  const survSe = new Float64Array(m);
  const F = types.map(() => new Float64Array(m));
  const se = types.map(() => new Float64Array(m));
  const Fk = new Float64Array(K);
  const Gk = new Float64Array(K);
  const SC2 = new Float64Array(K);
  const SCL = new Float64Array(K);
  // Gray (cinc) accumulators per type
  const gv1 = new Float64Array(K);
  const gv2 = new Float64Array(K);
  const gv3 = new Float64Array(K);
  const gv = new Float64Array(K);
  let SL2 = 0;
  // Σ w² of rows still at risk after t_j, by backward sums (no running subtraction)
  const w2After = new Float64Array(m);
  {
    let acc = 0;
    for (let j = m - 1; j >= 0; j--) {
      w2After[j] = acc;
      for (let c = 0; c <= K; c++) acc += W2c[j * (K + 1) + c] as number;
    }
  }
  let W2 = 0;
  let S = 1;
  let A = 0;
  let sZero = false;
  const L = new Float64Array(K + 1);
  for (let j = 0; j < m; j++) {
    const n = nRisk[j] as number;
    const d = D[j] as number;
    const nd = n - d;
    const Sprev = S;
    const Aprev = A;
    if (d > 0) {
      for (let k = 0; k < K; k++) {
        const dkj = (dk[k] as Float64Array)[j] as number;
        if (dkj > 0) {
          const h = dkj / n;
          Gk[k] = (Gk[k] as number) + Sprev * h * (Aprev - 1 / n);
          Fk[k] = (Fk[k] as number) + Sprev * h;
        }
      }
      if (nd > 0) {
        S = Sprev * (nd / n);
        A += d / (n * nd);
      } else {
        S = 0;
        A = Number.POSITIVE_INFINITY;
        sZero = true;
      }
    }
    surv[j] = S;
    if (variance === "gray") {
      // cmprsk cinc: unweighted counts; variance updated only at times with events of the type
      const rs = n;
      const fk = Sprev;
      const fkn = S;
      for (let k = 0; k < K; k++) {
        const nd1 = (dk[k] as Float64Array)[j] as number;
        const nd2 = d - nd1;
        const f = Fk[k] as number;
        if (nd2 > 0 && fkn > 0) {
          const t5 = nd2 > 1 ? 1 - (nd2 - 1) / (rs - 1) : 1;
          const t6 = (fk * fk * t5 * nd2) / (rs * rs);
          const t3 = 1 / fkn;
          const t4 = f / fkn;
          gv1[k] = (gv1[k] as number) + t4 * t4 * t6;
          gv2[k] = (gv2[k] as number) + t3 * t4 * t6;
          gv3[k] = (gv3[k] as number) + t3 * t3 * t6;
        }
        if (nd1 > 0) {
          const t5 = nd1 > 1 ? 1 - (nd1 - 1) / (rs - 1) : 1;
          const t6 = (fk * fk * t5 * nd1) / (rs * rs);
          const t3 = fkn > 0 ? 1 / fkn : 0;
          const t4 = 1 + t3 * f;
          gv1[k] = (gv1[k] as number) + t4 * t4 * t6;
          gv2[k] = (gv2[k] as number) + t3 * t4 * t6;
          gv3[k] = (gv3[k] as number) + t3 * t3 * t6;
          gv[k] = (gv1[k] as number) + f * f * (gv3[k] as number) - 2 * f * (gv2[k] as number);
        }
        (F[k] as Float64Array)[j] = f;
        (se[k] as Float64Array)[j] = Math.sqrt(Math.max(gv[k] as number, 0));
      }
      survSe[j] = sZero ? 0 : S * Math.sqrt(A);
      continue;
    }
    // infinitesimal jackknife: rows leaving at t_j, by class
    const base = j * (K + 1);
    for (let c = 0; c <= K; c++) {
      const w2 = W2c[base + c] as number;
      if (w2 === 0) {
        L[c] = 0;
        continue;
      }
      let l: number;
      if (c === 0) l = A;
      else l = nd > 0 ? A - 1 / nd : 0;
      L[c] = l;
      if (!sZero || c > 0) SL2 += w2 * l * l;
      for (let k = 0; k < K; k++) {
        const ck = (Gk[k] as number) + (c === k + 1 ? Sprev / n : 0) - l * (Fk[k] as number);
        SC2[k] = (SC2[k] as number) + w2 * ck * ck;
        SCL[k] = (SCL[k] as number) + w2 * ck * l;
      }
    }
    W2 = w2After[j] as number;
    survSe[j] = sZero ? 0 : S * Math.sqrt(Math.max(SL2 + A * A * W2, 0));
    for (let k = 0; k < K; k++) {
      const f = Fk[k] as number;
      const g = Gk[k] as number;
      const vv = W2 * g * g + (SC2[k] as number) + 2 * f * (SCL[k] as number) + f * f * SL2;
      (F[k] as Float64Array)[j] = f;
      (se[k] as Float64Array)[j] = Math.sqrt(Math.max(vv, 0));
    }
  }
  return { m, n: to - from, sumW, time: tt, nRisk, nCensor: C, surv, survSe, dk, F, se };
}

/**
 * Aalen–Johansen estimate of the cumulative incidence function of each event type with competing
 * risks, F_k(t) = Σ_{t_j ≤ t} Ŝ(t_j−) d_kj / n_j (Ŝ = Kaplan–Meier for the first event of any type),
 * by group (sorted labels), with pointwise CIs, optional values at fixed times and Gray's test.
 *
 * Variant: R `survfit(Surv(time, factor(status)) ~ group)` (survival 3.x multi-state, pstate
 * columns for the event types) with its infinitesimal-jackknife standard errors — the default — or
 * cmprsk `cuminc`'s delta-method (Gray) variance, reported as cinc does (updated at event times of
 * the type). CIs: "log" (default, survfit: exp(log F ± z·se/F), capped at 1), "log-log"
 * (F^exp(±z·se/(F log F)), the tidycmprsk/Stata form) or "plain". Ties across event types at one
 * time enter together (no jitter). Gray's test per event type when ≥ 2 groups and no weights.
 * Near-equal times are merged as survival's aeqSurv (cmprsk does not merge).
 *
 * Reference: Aalen & Johansen (1978), Scand J Stat 5:141–150; Gray (1988), Ann Stat 16:1141–1154;
 * R survival `survfit` (multi-state), cmprsk `cuminc`.
 */
export function cumulativeIncidence(
  input: CumulativeIncidenceInput,
  options: CumulativeIncidenceOptions = {},
): CumulativeIncidenceResult {
  const fn = "cumulativeIncidence";
  const confType = options.confType ?? "log";
  if (confType !== "log" && confType !== "log-log" && confType !== "plain") {
    throw new InvalidInputError(fn, `confType must be "log", "log-log" or "plain"`);
  }
  const confLevel = options.confLevel ?? 0.95;
  checkConfLevel(confLevel, fn);
  const variance = options.variance ?? "infinitesimal-jackknife";
  if (variance !== "infinitesimal-jackknife" && variance !== "gray") {
    throw new InvalidInputError(fn, `variance must be "infinitesimal-jackknife" or "gray"`);
  }
  if (variance === "gray" && input.weights !== undefined) {
    throw new InvalidInputError(fn, `the Gray (cmprsk) variance is defined for unweighted data only`);
  }
  const rho = options.rho ?? 0;
  if (!(Number.isFinite(rho) && rho >= 0)) throw new InvalidInputError(fn, "rho must be ≥ 0");
  const times = options.times ? checkTimes(fn, options.times) : null;
  const prep = prepareSurvivalInput({
    fn,
    time: input.time,
    status: input.status,
    weights: input.weights,
    group: input.group,
    maxStatus: Number.MAX_SAFE_INTEGER,
    timefix: options.timefix,
  });
  if (prep.n === 0) throw new InsufficientDataError(fn, 1, 0);
  const typeSet = new Set<number>();
  for (let i = 0; i < prep.n; i++) if ((prep.status[i] as number) > 0) typeSet.add(prep.status[i] as number);
  const types = [...typeSet].sort((a, b) => a - b);
  const warnings: Warning[] = [...prep.warnings];
  if (types.length === 0) warnings.push(warning("NO_EVENTS"));
  const nGroups = Math.max(1, prep.groupLabels.length);
  const hasGroups = input.group !== undefined;
  const g = groupedOrder(prep, prep.group, nGroups);
  const z = zCritical(confLevel);
  const curves: CumulativeIncidenceCurve[] = [];
  for (let q = 0; q < nGroups; q++) {
    const core = cifSweep(
      prep,
      g.order,
      g.sorted,
      g.start[q] as number,
      g.start[q + 1] as number,
      types,
      variance,
    );
    const causes: CumulativeIncidenceCause[] = types.map((eventType, k) => {
      const est = toPlain(core.F[k] as Float64Array, core.m);
      const sd = toPlainNullable(core.se[k] as Float64Array, core.m);
      const { lower, upper } = probabilityCiArrays(est, sd, confType, z);
      return {
        eventType,
        nEvent: toPlain(core.dk[k] as Float64Array, core.m),
        estimate: est,
        stdErr: sd,
        lower,
        upper,
      };
    });
    const time = toPlain(core.time, core.m);
    const nRisk = toPlain(core.nRisk, core.m);
    const eventFree = toPlain(core.surv, core.m);
    const curve: CumulativeIncidenceCurve = {
      group: hasGroups ? (prep.groupLabels[q] as GroupLabel) : null,
      n: core.n,
      sumWeights: core.sumW,
      time,
      nRisk,
      nCensor: toPlain(core.nCensor, core.m),
      eventFree,
      eventFreeStdErr: toPlainNullable(core.survSe, core.m),
      causes,
      atTimes: times ? evaluateAt(time, nRisk, eventFree, causes, times, confType, z) : null,
    };
    curves.push(curve);
  }
  let grayTests: GrayTestResult[] | null = null;
  const wantGray = options.grayTest ?? true;
  if (wantGray && hasGroups && prep.groupLabels.length >= 2 && types.length > 0) {
    if (input.weights !== undefined) {
      warnings.push(warning("TEST_NOT_COMPUTED", "Gray's test is not defined with case weights"));
    } else {
      const bare = { ...prep, warnings: [] };
      grayTests = types.map((t) => grayTestPrepared(bare, t, rho));
    }
  }
  return freezeDeep({
    method: `Aalen-Johansen cumulative incidence, ${
      variance === "gray" ? "Gray (cmprsk) delta-method" : "infinitesimal-jackknife"
    } variance, ${confType} CI`,
    confType,
    confLevel,
    variance,
    n: prep.n,
    nExcluded: prep.nExcluded,
    groups: hasGroups ? prep.groupLabels : [],
    eventTypes: types,
    curves,
    grayTests,
    warnings,
  });
}

function evaluateAt(
  time: readonly number[],
  nRisk: readonly number[],
  eventFree: readonly number[],
  causes: readonly CumulativeIncidenceCause[],
  ts: readonly number[],
  confType: ProbabilityCiTransform,
  z: number,
): CumulativeIncidenceAtTimes {
  const m = time.length;
  const idx = ts.map((t) => lastAtOrBefore(time, t));
  const risk = ts.map((t, i) => {
    const j = idx[i] as number;
    const next = j >= 0 && time[j] === t ? j : j + 1;
    return next < m ? (nRisk[next] as number) : 0;
  });
  return {
    time: ts,
    nRisk: risk,
    eventFree: idx.map((j) => (j < 0 ? 1 : (eventFree[j] as number))),
    causes: causes.map((c) => {
      const nEvent: number[] = [];
      let prev = -1;
      for (const j of idx) {
        let d = 0;
        for (let l = prev + 1; l <= j; l++) d += c.nEvent[l] as number;
        if (j > prev) prev = j;
        nEvent.push(d);
      }
      const estimate = idx.map((j) => (j < 0 ? 0 : (c.estimate[j] as number)));
      const stdErr = idx.map((j) => (j < 0 ? 0 : (c.stdErr[j] ?? null)));
      const before = probabilityCi(0, 0, confType, z);
      const lower = idx.map((j) => (j < 0 ? before.lower : (c.lower[j] ?? null)));
      const upper = idx.map((j) => (j < 0 ? before.upper : (c.upper[j] ?? null)));
      return { eventType: c.eventType, nEvent, estimate, stdErr, lower, upper };
    }),
    beyondFollowUp: ts.map((t) => m === 0 || t > (time[m - 1] as number)),
  };
}
