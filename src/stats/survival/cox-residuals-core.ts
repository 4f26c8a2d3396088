/**
 * Residual arithmetic of the Cox model on prepared (sorted) data: martingale and score residuals
 * with the Efron share for tied deaths (R survival `coxmart`/`agmart3`, `coxscore2`/`agscore3`),
 * and the cluster-collapsed score sums behind the robust sandwich variance.
 *
 * For row i at risk over (start, stop] with risk score rᵢ = exp(ηᵢ):
 *   martingale  Mᵢ = δᵢ − rᵢ·[Λ(stop) − Λ(start)] + δᵢ·rᵢ·c₁(stop)
 *   score       Lᵢ = δᵢ·(xᵢ − x̄ₛ(stop)) − rᵢ·[xᵢ·ΔΛ − ΔXΛ] + δᵢ·rᵢ·(xᵢ·c₁ − c_x)(stop)
 * with Λ, XΛ the cumulative sums of Σₖhₖ and Σₖhₖx̄ₖ over event times, and c₁, c_x the Efron
 * corrections Σₖ(k/d)hₖ, Σₖ(k/d)hₖx̄ₖ at the row's own death time (a tied death is at risk with
 * weight 1 − k/d in substep k).
 */
import type { CoxData } from "./cox-data.js";
import type { CoxPass } from "./cox-engine.js";

/** Index of the last event time ≤ t in [lo, hi) of `times` (ascending), or lo − 1. */
function lastAtOrBefore(times: Float64Array, lo: number, hi: number, t: number): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >> 1;
    if ((times[mid] as number) <= t) a = mid + 1;
    else b = mid;
  }
  return a - 1;
}

export interface SortedResiduals {
  /** Martingale residuals, sorted order. */
  readonly martingale: Float64Array;
  /** Score residuals n × p row-major, sorted order (null when not requested). */
  readonly score: Float64Array | null;
}

/** Martingale (and optionally score) residuals from a pass computed with `detail`. */
export function coxResidualsSorted(d: CoxData, pass: CoxPass, wantScore: boolean): SortedResiduals {
  const det = pass.detail;
  if (!det) throw new Error("coxResidualsSorted needs a pass with detail");
  const n = d.n;
  const p = d.pa;
  const nT = det.nTimes;
  const cumL = new Float64Array(nT);
  const cumXL = new Float64Array(nT * p);
  const nStrata = d.strataBounds.length - 1;
  for (let s = 0; s < nStrata; s++) {
    const lo = det.timeBounds[s] as number;
    const hi = det.timeBounds[s + 1] as number;
    let acc = 0;
    const accX = new Float64Array(p);
    for (let q = lo; q < hi; q++) {
      acc += det.dLambda[q] as number;
      cumL[q] = acc;
      for (let j = 0; j < p; j++) {
        accX[j] = (accX[j] as number) + (det.dXLambda[q * p + j] as number);
        cumXL[q * p + j] = accX[j] as number;
      }
    }
  }
  const mart = new Float64Array(n);
  const score = wantScore ? new Float64Array(n * p) : null;
  const { stop, start, status, stratum, xRow } = d;
  const eta = pass.eta;
  const shift = pass.shift;
  for (let i = 0; i < n; i++) {
    const s = stratum[i] as number;
    const lo = det.timeBounds[s] as number;
    const hi = det.timeBounds[s + 1] as number;
    const qs = lastAtOrBefore(det.time, lo, hi, stop[i] as number);
    const q0 = start ? lastAtOrBefore(det.time, lo, hi, start[i] as number) : lo - 1;
    const lamS = qs >= lo ? (cumL[qs] as number) : 0;
    const lam0 = q0 >= lo ? (cumL[q0] as number) : 0;
    const r = Math.exp((eta[i] as number) - shift);
    const dead = status[i] === 1;
    const dLam = lamS - lam0;
    let m = (dead ? 1 : 0) - r * dLam;
    const c1 = dead ? (det.efronC1[qs] as number) : 0;
    if (dead) m += r * c1;
    mart[i] = m;
    if (score) {
      for (let j = 0; j < p; j++) {
        const xij = xRow[i * p + j] as number;
        const xlS = qs >= lo ? (cumXL[qs * p + j] as number) : 0;
        const xl0 = q0 >= lo ? (cumXL[q0 * p + j] as number) : 0;
        let v = -r * (xij * dLam - (xlS - xl0));
        if (dead)
          v += xij - (det.xbarS[qs * p + j] as number) + r * (xij * c1 - (det.efronCx[qs * p + j] as number));
        score[i * p + j] = v;
      }
    }
  }
  return { martingale: mart, score };
}

/**
 * Sums of wᵢ·Lᵢ (score residuals) by cluster (each row its own cluster when `cluster` is null):
 * returns G × p row-major.
 */
export function clusterScoreSums(
  d: CoxData,
  score: Float64Array,
  cluster: Int32Array | null,
  nClusters: number,
): Float64Array {
  const p = d.pa;
  const n = d.n;
  const g = cluster ? nClusters : n;
  const out = new Float64Array(g * p);
  for (let i = 0; i < n; i++) {
    const c = cluster ? (cluster[i] as number) : i;
    const w = d.weight[i] as number;
    for (let j = 0; j < p; j++)
      out[c * p + j] = (out[c * p + j] as number) + w * (score[i * p + j] as number);
  }
  return out;
}

/** Σ_g s_g s_gᵀ for G × p row-major sums. */
export function crossProduct(sums: Float64Array, p: number): Float64Array {
  const g = sums.length / p;
  const out = new Float64Array(p * p);
  for (let c = 0; c < g; c++) {
    for (let j = 0; j < p; j++) {
      const sj = sums[c * p + j] as number;
      if (sj === 0) continue;
      for (let k = j; k < p; k++)
        out[j * p + k] = (out[j * p + k] as number) + sj * (sums[c * p + k] as number);
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) out[j * p + k] = out[k * p + j] as number;
  return out;
}
