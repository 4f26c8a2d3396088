/**
 * Infinitesimal-jackknife influence of the Aalen–Johansen cumulative incidence at one time, per unit,
 * so that contrasts between arms can use a variance clustered by matched set (the arms of a matched
 * sample are not independent). Without clustering the variance Σ_i IF_i² equals R survfit's
 * infinitesimal-jackknife variance of a weighted multi-state curve; with clusters it is
 * Σ_c (Σ_{i∈c} IF_i)², R `survfit(..., cluster = set)`.
 */
import { InvalidInputError } from "../stats/errors.js";

export interface CifInfluence {
  /** F_cause(t). */
  readonly estimate: number;
  /** w_i · ∂F/∂w_i per unit (0 for a unit of weight 0), aligned with the input. */
  readonly influence: Float64Array;
}

/**
 * Aalen–Johansen estimate F_k(t) = Σ_{t_j ≤ t} Ŝ(t_{j−1}) d_kj / n_j of event type `cause` at time `t`
 * (weighted counts, Ŝ the Kaplan–Meier estimate of being free of any event) and its per-unit
 * infinitesimal-jackknife influence w_i·∂F_k(t)/∂w_i, in O(n log n):
 *
 *   ∂F/∂w_i = Σ_{j ≤ J} λ_kj Ŝ_{j−1} A(min(j−1, r_i)) − e_i (C(J) − C(r_i)) / (n_{r_i}(1 − dΛ_{r_i}))
 *             + c_i Ŝ_{r_i−1}/n_{r_i} − Σ_{j ≤ min(J, r_i)} Ŝ_{j−1} λ_kj / n_j,
 *
 * with λ_kj = d_kj/n_j, dΛ_j = d_j/n_j, A(j) = Σ_{l ≤ j} dΛ_l/(n_l(1 − dΛ_l)), C(j) = F_k(t_j), r_i the
 * unit's time index, e_i = 1 for any event, c_i = 1 for an event of type k, and J the last time ≤ t
 * (terms with later indices drop out). Reference: the infinitesimal jackknife of Efron (1982) as used by
 * R survival's survfit for multi-state curves (Therneau, "The survfit function: multi-state curves").
 *
 * @param status 0 censored, 1..K event types
 */
export function cifInfluenceAt(
  time: ArrayLike<number>,
  status: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  t: number,
  cause = 1,
): CifInfluence {
  const fn = "cifInfluenceAt";
  const n = time.length;
  if (status.length !== n || (weights && weights.length !== n)) {
    throw new InvalidInputError(fn, "time, status and weights must have the same length");
  }
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = weights ? (weights[i] as number) : 1;
    if (!(w >= 0) || !Number.isFinite(w)) throw new InvalidInputError(fn, `weight at row ${i} is not ≥ 0`);
    if (!Number.isFinite(time[i] as number))
      throw new InvalidInputError(fn, `time at row ${i} is not finite`);
    if (w > 0) order.push(i);
  }
  order.sort((a, b) => (time[a] as number) - (time[b] as number));
  // Distinct times, weighted totals per time.
  const tj: number[] = [];
  const dAll: number[] = [];
  const dCause: number[] = [];
  const wAt: number[] = [];
  const rIndex = new Int32Array(n).fill(-1);
  for (const i of order) {
    const ti = time[i] as number;
    if (tj.length === 0 || (tj[tj.length - 1] as number) !== ti) {
      tj.push(ti);
      dAll.push(0);
      dCause.push(0);
      wAt.push(0);
    }
    const j = tj.length - 1;
    const w = weights ? (weights[i] as number) : 1;
    const s = status[i] as number;
    wAt[j] = (wAt[j] as number) + w;
    if (s > 0) dAll[j] = (dAll[j] as number) + w;
    if (s === cause) dCause[j] = (dCause[j] as number) + w;
    rIndex[i] = j;
  }
  const m = tj.length;
  // n_j: weighted at risk (time ≥ t_j).
  const nRisk = new Float64Array(m);
  let acc = 0;
  for (let j = m - 1; j >= 0; j--) {
    acc += wAt[j] as number;
    nRisk[j] = acc;
  }
  // J: last time index with t_j ≤ t (−1: none).
  let J = -1;
  while (J + 1 < m && (tj[J + 1] as number) <= t) J++;
  // Prefix arrays (index j+1 holds the sum through time j; index 0 = empty sum).
  const Sprev = new Float64Array(m + 1); // Sprev[j] = Ŝ(t_{j−1}) for time index j (Sprev[0] = 1)
  const A = new Float64Array(m + 1); // A[j+1] = A(j)
  const B = new Float64Array(m + 1); // Σ_{l ≤ j} λ_kl Ŝ_{l−1} A(l−1)
  const C = new Float64Array(m + 1); // Σ_{l ≤ j} λ_kl Ŝ_{l−1} = F_k(t_j)
  const D = new Float64Array(m + 1); // Σ_{l ≤ j} Ŝ_{l−1} λ_kl / n_l
  const eventCoef = new Float64Array(m); // 1/(n_j(1 − dΛ_j)), 0 when the curve drops to 0
  let S = 1;
  for (let j = 0; j < m; j++) {
    const nj = nRisk[j] as number;
    const dL = (dAll[j] as number) / nj;
    const l1 = (dCause[j] as number) / nj;
    Sprev[j] = S;
    B[j + 1] = (B[j] as number) + l1 * S * (A[j] as number);
    C[j + 1] = (C[j] as number) + l1 * S;
    D[j + 1] = (D[j] as number) + (S * l1) / nj;
    const q = 1 - dL;
    const inc = q > 0 ? dL / (nj * q) : 0;
    A[j + 1] = (A[j] as number) + inc;
    eventCoef[j] = q > 0 ? 1 / (nj * q) : 0;
    S *= Math.max(q, 0);
  }
  const estimate = J >= 0 ? (C[J + 1] as number) : 0;
  const influence = new Float64Array(n);
  if (J < 0) return { estimate, influence };
  const CJ = C[J + 1] as number;
  for (const i of order) {
    const r = rIndex[i] as number;
    const s = status[i] as number;
    const w = weights ? (weights[i] as number) : 1;
    // first: Σ_{j ≤ J} λ_j Ŝ_{j−1} A(min(j−1, r))
    const k = Math.min(J, r + 1); // j ≤ r+1 uses A(j−1)
    let u = B[k + 1] as number;
    if (J > r + 1) u += (A[r + 1] as number) * (CJ - (C[r + 2] as number));
    // second: the unit's own event in Ŝ for later jumps
    if (s > 0 && J > r) u -= (eventCoef[r] as number) * (CJ - (C[r + 1] as number));
    // third: its own event of this type
    if (s === cause && r <= J) u += (Sprev[r] as number) / (nRisk[r] as number);
    // fourth: at-risk contribution to the denominators
    u -= D[Math.min(J, r) + 1] as number;
    influence[i] = w * u;
  }
  return { estimate, influence };
}

/**
 * Σ_c (Σ_{i∈c} x_i)² over clusters (cluster[i] ≥ 0; a negative cluster makes the unit its own cluster),
 * or Σ_i x_i² without clusters: the infinitesimal-jackknife (robust) variance of a sum of influences.
 */
export function clusteredSumOfSquares(x: ArrayLike<number>, cluster: ArrayLike<number> | null): number {
  const n = x.length;
  if (!cluster) {
    let s = 0;
    for (let i = 0; i < n; i++) s += (x[i] as number) ** 2;
    return s;
  }
  const sums = new Map<number, number>();
  let own = 0;
  for (let i = 0; i < n; i++) {
    const c = cluster[i] as number;
    const v = x[i] as number;
    if (c < 0) own += v * v;
    else sums.set(c, (sums.get(c) ?? 0) + v);
  }
  let s = own;
  for (const v of sums.values()) s += v * v;
  return s;
}
