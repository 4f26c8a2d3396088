/**
 * The Kaplan–Meier / Nelson–Aalen sweep over one group's time-sorted rows (internal).
 * Right-censored or (entry, exit] data, case weights, Greenwood or infinitesimal-jackknife variance.
 */
import { type PreparedSurvival, partitionByKey } from "./survival-input.js";

/** One curve as typed arrays (length m = number of distinct exit times). */
export interface KmCore {
  readonly m: number;
  readonly n: number;
  readonly sumWeights: number;
  readonly time: Float64Array;
  readonly nRisk: Float64Array;
  readonly nEvent: Float64Array;
  readonly nCensor: Float64Array;
  readonly surv: Float64Array;
  /** SE of S(t) itself (summary.survfit `std.err`); NaN where not evaluable. */
  readonly stdErr: Float64Array;
  /** SE of log S(t) (survfit `$std.err` when logse); Inf/NaN where not evaluable. */
  readonly stdErrLog: Float64Array;
  readonly cumhaz: Float64Array;
  readonly stdCumhaz: Float64Array;
}

/** Rows of the prepared data sorted by (group, exit time), and per group by entry time if any. */
export interface GroupedOrder {
  readonly order: Uint32Array;
  /** Exit times in that order. */
  readonly sorted: Float64Array;
  readonly start: Uint32Array;
  readonly entryOrder: Uint32Array | null;
  readonly entrySorted: Float64Array | null;
  readonly entryStart: Uint32Array | null;
}

/** The prepared sort by exit time, stably partitioned by group code. */
export function groupedOrder(p: PreparedSurvival, key: Int32Array, nKeys: number): GroupedOrder {
  const byTime = partitionByKey(p.timeOrder, p.timeSorted, key, nKeys);
  if (!p.entry || !p.entryOrder || !p.entrySorted) {
    return { ...byTime, entryOrder: null, entrySorted: null, entryStart: null };
  }
  const byEntry = partitionByKey(p.entryOrder, p.entrySorted, key, nKeys);
  return { ...byTime, entryOrder: byEntry.order, entrySorted: byEntry.sorted, entryStart: byEntry.start };
}

/**
 * Kaplan–Meier product-limit estimate S(t) = Π (1 − d_j/n_j), the Nelson–Aalen cumulative hazard
 * Σ d_j/n_j, and their variances for the rows order[from..to) (sorted by exit time) — survival's
 * `survfitkm` with stype = 1, ctype = 1.
 *
 * Greenwood: var(log S) = Σ d/(n(n−d)), var(H) = Σ d/n² (weighted counts when weighted).
 * Robust (infinitesimal jackknife, each row its own cluster): var = Σ_i (w_i U_i(t))² with U_i the
 * derivative of the estimate with respect to row i's weight. For log S,
 * U_i(t) = A(min(t, T_i)) − A(E_i) − δ_i[T_i ≤ t]/(n − d)|_{T_i}, A(t) = Σ_{t_j ≤ t} d_j/(n_j(n_j − d_j)),
 * so the sum collapses to running totals and the whole sweep stays O(n).
 */
export function kmSweep(
  p: PreparedSurvival,
  g: GroupedOrder,
  from: number,
  to: number,
  entryFrom: number,
  robust: boolean,
): KmCore {
  const { order, entryOrder } = g;
  const { status, weights, entry } = p;
  const len = to - from;
  // gather the slice's exit times, statuses and weights in time order (sequential access below)
  const st = g.sorted.subarray(from, to);
  const ss = new Uint8Array(len);
  const sw = weights ? new Float64Array(len) : null;
  for (let k = 0; k < len; k++) {
    const r = order[from + k] as number;
    ss[k] = status[r] === 1 ? 1 : 0;
    if (sw) sw[k] = (weights as Float64Array)[r] as number;
  }
  // distinct times
  let m = 0;
  for (let k = 0; k < len; k++) {
    if (k === 0 || st[k] !== st[k - 1]) m++;
  }
  const tt = new Float64Array(m);
  const D = new Float64Array(m);
  const C = new Float64Array(m);
  let sumW = 0;
  {
    let j = -1;
    let prev = Number.NaN;
    for (let k = 0; k < len; k++) {
      const t = st[k] as number;
      if (t !== prev) {
        j++;
        tt[j] = t;
        prev = t;
      }
      const w = sw ? (sw[k] as number) : 1;
      sumW += w;
      if (ss[k] === 1) D[j]! += w;
      else C[j]! += w;
    }
  }
  // number at risk by backward sums: exits at or after t minus entries at or after t
  const nRisk = new Float64Array(m);
  {
    let acc = 0;
    for (let j = m - 1; j >= 0; j--) {
      acc += (D[j] as number) + (C[j] as number);
      nRisk[j] = acc;
    }
    if (entry && entryOrder) {
      let e = entryFrom + len - 1;
      let accE = 0;
      for (let j = m - 1; j >= 0; j--) {
        const t = tt[j] as number;
        while (e >= entryFrom && (g.entrySorted![e] as number) >= t) {
          const r = entryOrder[e] as number;
          accE += weights ? (weights[r] as number) : 1;
          e--;
        }
        nRisk[j] = (nRisk[j] as number) - accE;
      }
    }
  }

  const surv = new Float64Array(m);
  const stdErr = new Float64Array(m);
  const stdErrLog = new Float64Array(m);
  const cumhaz = new Float64Array(m);
  const stdCumhaz = new Float64Array(m);
  let S = 1;
  let A = 0; // Greenwood sum Σ d/(n(n−d)); Infinity once n = d
  let H = 0;
  let B = 0; // Σ d/n²
  // robust accumulators
  let Cl = 0; // Σ over exited rows of (w U_log)²
  let Ch = 0; // Σ over exited rows of (w U_H)²
  let W2 = 0; // Σ w² over rows at risk
  let W2a = 0; // Σ w² α over rows at risk (α = A at entry)
  let W2a2 = 0;
  let W2b = 0; // Σ w² β (β = B at entry)
  let W2b2 = 0;
  let sZero = false;
  const alpha = robust && entry ? new Float64Array(p.n) : null;
  const beta = robust && entry ? new Float64Array(p.n) : null;
  // Right-censored: Σ w² over rows still at risk after t_j by backward sums (a running
  // subtraction would accumulate rounding error over n rows).
  const w2After = robust && !entry ? new Float64Array(m) : null;
  if (w2After) {
    let acc = 0;
    let j = m - 1;
    for (let k = len - 1; k >= 0; k--) {
      while (j >= 0 && (tt[j] as number) >= (st[k] as number)) {
        w2After[j] = acc;
        j--;
      }
      const w = sw ? (sw[k] as number) : 1;
      acc += w * w;
    }
    while (j >= 0) {
      w2After[j] = acc;
      j--;
    }
  }
  let e = entryFrom;
  const eTo = entryFrom + len;
  let k = 0;
  for (let j = 0; j < m; j++) {
    const t = tt[j] as number;
    if (robust && entry && entryOrder && alpha && beta) {
      while (e < eTo && (g.entrySorted![e] as number) < t) {
        const r = entryOrder[e] as number;
        const w = weights ? (weights[r] as number) : 1;
        const w2 = w * w;
        alpha[r] = A;
        beta[r] = B;
        W2 += w2;
        W2a += w2 * A;
        W2a2 += w2 * A * A;
        W2b += w2 * B;
        W2b2 += w2 * B * B;
        e++;
      }
    }
    const n = nRisk[j] as number;
    const d = D[j] as number;
    const nd = n - d;
    if (d > 0) {
      S = nd > 0 ? S * (nd / n) : 0;
      if (nd > 0) {
        const a = d / (n * nd);
        A += a;
      } else {
        A = Number.POSITIVE_INFINITY;
        sZero = true;
      }
      H += d / n;
      B += d / (n * n);
    }
    surv[j] = S;
    cumhaz[j] = H;
    if (!robust) {
      stdErrLog[j] = Math.sqrt(A);
      stdErr[j] = S === 0 ? Number.NaN : S * Math.sqrt(A);
      stdCumhaz[j] = Math.sqrt(B);
      // advance k past this time (not needed for Greenwood)
      continue;
    }
    // exits at t
    const invNd = nd > 0 ? 1 / nd : 0;
    const invN = n > 0 ? 1 / n : 0;
    while (k < len && st[k] === t) {
      const r = order[from + k] as number;
      const w = sw ? (sw[k] as number) : 1;
      const w2 = w * w;
      const a0 = alpha ? (alpha[r] as number) : 0;
      const b0 = beta ? (beta[r] as number) : 0;
      const ev = ss[k] === 1;
      if (!sZero) {
        const uL = A - a0 - (ev ? invNd : 0);
        Cl += w2 * uL * uL;
      }
      const uH = -(B - b0) + (ev ? invN : 0);
      Ch += w2 * uH * uH;
      W2 -= w2;
      W2a -= w2 * a0;
      W2a2 -= w2 * a0 * a0;
      W2b -= w2 * b0;
      W2b2 -= w2 * b0 * b0;
      k++;
    }
    if (w2After) W2 = w2After[j] as number;
    else if (W2 < 0) W2 = 0;
    const vH = Ch + B * B * W2 - 2 * B * W2b + W2b2;
    stdCumhaz[j] = Math.sqrt(Math.max(vH, 0));
    if (sZero) {
      stdErr[j] = 0;
      stdErrLog[j] = Number.NaN;
    } else {
      const vL = Cl + A * A * W2 - 2 * A * W2a + W2a2;
      const sl = Math.sqrt(Math.max(vL, 0));
      stdErrLog[j] = sl;
      stdErr[j] = S * sl;
    }
  }
  return {
    m,
    n: len,
    sumWeights: sumW,
    time: tt,
    nRisk,
    nEvent: D,
    nCensor: C,
    surv,
    stdErr,
    stdErrLog,
    cumhaz,
    stdCumhaz,
  };
}

/** Runs the sweep for every group of a prepared data set. */
export function kmByGroup(p: PreparedSurvival, robust: boolean): KmCore[] {
  const nGroups = Math.max(1, p.groupLabels.length);
  const g = groupedOrder(p, p.group, nGroups);
  const out: KmCore[] = [];
  for (let k = 0; k < nGroups; k++) {
    const from = g.start[k] as number;
    const to = g.start[k + 1] as number;
    out.push(kmSweep(p, g, from, to, g.entryStart ? (g.entryStart[k] as number) : 0, robust));
  }
  return out;
}
