/**
 * Sandwich variance of a weighted outcome GLM that accounts for estimating the propensity score:
 * the stacked M-estimator of (γ, β), logistic propensity equations plus the weighted outcome
 * equations (WeightIt `glm_weightit(vcov = "asympt")`; Lunceford & Davidian 2004, Stat Med
 * 23:2937–2960; Stefanski & Boos 2002, Am Stat 56:29–38).
 */
import { InvalidInputError } from "../stats/errors.js";
import { invertSymmetric } from "../stats/linalg/index.js";
import type { WeightEstimand } from "./weighting.js";

export interface StackedInput {
  /** Propensity design columns including the intercept column (q columns). */
  readonly x: readonly ArrayLike<number>[];
  /** Fitted propensity scores e_i. */
  readonly e: ArrayLike<number>;
  readonly t: ArrayLike<number>;
  /** The weights w_i(γ) of the estimand (untrimmed). */
  readonly w: ArrayLike<number>;
  readonly estimand: WeightEstimand;
  /** Outcome (NaN = missing: no outcome equation for the row). */
  readonly y: ArrayLike<number>;
  /** Outcome linear predictor (offset + β₀ + β₁·t). */
  readonly eta: ArrayLike<number>;
  readonly family: "gaussian" | "poisson" | "binomial";
  /** Extra prior weight per row (e.g. person-time of a rate regression); default 1. */
  readonly a?: ArrayLike<number> | null;
  /** Cluster codes 0..G−1 (null = each row its own cluster, no factor). */
  readonly cluster?: Int32Array | null;
  readonly nClusters?: number;
}

/**
 * Covariance (2 × 2, row-major [v00, v01, v10, v11]) of the outcome coefficients (intercept, treat)
 * from the stacked estimating equations ψᵢ = (xᵢ(tᵢ − eᵢ), wᵢ(γ)·aᵢ·zᵢ(yᵢ − μᵢ)), zᵢ = (1, tᵢ), canonical
 * links: V = A⁻¹ B A⁻ᵀ with A = −Σ ∂ψᵢ/∂θ (block lower triangular) and B = Σ ψᵢψᵢᵀ, or
 * G/(G−1)·Σ_g (Σ_{i∈g} ψᵢ)(…)ᵀ with clusters. Computed through per-row influence functions
 * IFᵢ = L ψᵢ with L the β rows of A⁻¹, so the cost is O(n·q) after one O(n·q²) pass.
 */
export function stackedVcov(s: StackedInput): Float64Array {
  const fn = "stackedVcov";
  const q = s.x.length;
  const n = s.t.length;
  const Agg = new Float64Array(q * q);
  const Abb = new Float64Array(4);
  const Abg = new Float64Array(2 * q);
  const c = new Float64Array(n);
  const r = new Float64Array(n);
  const xi = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    const e = s.e[i]!;
    const ti = s.t[i]!;
    const wi = s.w[i]!;
    switch (s.estimand) {
      case "ATE":
        c[i] = ti ? -(1 - e) / e : e / (1 - e);
        break;
      case "ATT":
        c[i] = ti ? 0 : e / (1 - e);
        break;
      case "ATC":
        c[i] = ti ? -(1 - e) / e : 0;
        break;
      default:
        c[i] = ti ? -e * (1 - e) : e * (1 - e);
    }
    for (let j = 0; j < q; j++) xi[j] = s.x[j]![i]!;
    const v = e * (1 - e);
    for (let j = 0; j < q; j++) {
      const vj = v * xi[j]!;
      for (let k = j; k < q; k++) Agg[j * q + k] = Agg[j * q + k]! + vj * xi[k]!;
    }
    const yi = s.y[i]!;
    if (Number.isNaN(yi)) continue;
    const eta = s.eta[i]!;
    const mu =
      s.family === "gaussian" ? eta : s.family === "poisson" ? Math.exp(eta) : 1 / (1 + Math.exp(-eta));
    const mp = s.family === "gaussian" ? 1 : s.family === "poisson" ? mu : mu * (1 - mu);
    const ai = s.a ? s.a[i]! : 1;
    r[i] = yi - mu;
    const h = wi * ai * mp;
    Abb[0] = Abb[0]! + h;
    Abb[1] = Abb[1]! + h * ti;
    Abb[3] = Abb[3]! + h * ti * ti;
    const g = ai * r[i]! * c[i]!;
    for (let j = 0; j < q; j++) {
      Abg[j] = Abg[j]! - g * xi[j]!;
      Abg[q + j] = Abg[q + j]! - g * ti * xi[j]!;
    }
  }
  for (let j = 0; j < q; j++) for (let k = 0; k < j; k++) Agg[j * q + k] = Agg[k * q + j]!;
  Abb[2] = Abb[1]!;
  const inv = invertSymmetric(Agg, q);
  if (inv.rank < q) throw new InvalidInputError(fn, "the propensity design is singular");
  const G = inv.inverse;
  const det = Abb[0]! * Abb[3]! - Abb[1]! * Abb[2]!;
  if (!(Math.abs(det) > 0)) throw new InvalidInputError(fn, "the outcome design is singular");
  const Bi = [Abb[3]! / det, -Abb[1]! / det, -Abb[2]! / det, Abb[0]! / det];
  // L = [−Abb⁻¹ Abg Agg⁻¹, Abb⁻¹]  (2 × (q + 2)).
  const M = new Float64Array(2 * q); // Abb⁻¹ Abg
  for (let a = 0; a < 2; a++) {
    for (let j = 0; j < q; j++) M[a * q + j] = Bi[a * 2]! * Abg[j]! + Bi[a * 2 + 1]! * Abg[q + j]!;
  }
  const Lg = new Float64Array(2 * q); // −M Agg⁻¹
  for (let a = 0; a < 2; a++) {
    for (let k = 0; k < q; k++) {
      let sum = 0;
      for (let j = 0; j < q; j++) sum += M[a * q + j]! * G[j * q + k]!;
      Lg[a * q + k] = -sum;
    }
  }
  const cl = s.cluster ?? null;
  const nG = cl ? (s.nClusters ?? 0) : 0;
  const U = cl ? new Float64Array(nG * 2) : null;
  let v00 = 0;
  let v01 = 0;
  let v11 = 0;
  for (let i = 0; i < n; i++) {
    const e = s.e[i]!;
    const ti = s.t[i]!;
    const pg = ti - e;
    let if0 = 0;
    let if1 = 0;
    for (let j = 0; j < q; j++) {
      const psi = s.x[j]![i]! * pg;
      if0 += Lg[j]! * psi;
      if1 += Lg[q + j]! * psi;
    }
    if (!Number.isNaN(s.y[i]!)) {
      const pb = s.w[i]! * (s.a ? s.a[i]! : 1) * r[i]!;
      if0 += Bi[0]! * pb + Bi[1]! * pb * ti;
      if1 += Bi[2]! * pb + Bi[3]! * pb * ti;
    }
    if (U && cl) {
      const g = cl[i]!;
      U[2 * g] = U[2 * g]! + if0;
      U[2 * g + 1] = U[2 * g + 1]! + if1;
    } else {
      v00 += if0 * if0;
      v01 += if0 * if1;
      v11 += if1 * if1;
    }
  }
  if (U) {
    for (let g = 0; g < nG; g++) {
      const a = U[2 * g]!;
      const b = U[2 * g + 1]!;
      v00 += a * a;
      v01 += a * b;
      v11 += b * b;
    }
    const adj = nG / (nG - 1);
    v00 *= adj;
    v01 *= adj;
    v11 *= adj;
  }
  return Float64Array.of(v00, v01, v01, v11);
}
