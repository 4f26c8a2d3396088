/**
 * Generalized estimating equations with independence or exchangeable working correlation, following
 * geepack::geeglm (Halekoh, Højsgaard & Yan 2006, J Stat Softw 15(2)).
 */
import { type Warning, warning } from "../../messages.js";
import { normalQuantile, normalTwoSidedP } from "../distributions/index.js";
import { InvalidInputError } from "../errors.js";
import type { ConfidenceInterval } from "../result.js";
import { freezeResult } from "../result.js";
import { type DesignColumn, type GroupLabel, prepareData } from "./design.js";
import { FAMILY_BINOMIAL, FAMILY_GAUSSIAN, FAMILY_POISSON, type FamilyCode, irls } from "./irls.js";
import { choleskyInverse, choleskySolve, pivotedCholesky, sandwichProduct } from "./matrix.js";

export type GeeFamily = "gaussian" | "binomial" | "poisson";
export type GeeCorrelation = "independence" | "exchangeable";

export interface GeeInput {
  readonly y: ArrayLike<number>;
  /** Design columns (intercept added when `options.intercept` is true, the default). */
  readonly x: readonly DesignColumn[];
  /** Cluster identifier; rows of a cluster need not be contiguous. */
  readonly id: ArrayLike<GroupLabel>;
  /** Prior weights (geeglm `weights`). */
  readonly weights?: ArrayLike<number>;
  readonly offset?: ArrayLike<number>;
}

export interface GeeOptions {
  readonly family: GeeFamily;
  readonly corstr: GeeCorrelation;
  readonly intercept?: boolean;
  readonly confLevel?: number;
  /** Convergence: every |Δβ_j| ≤ tol·(1+|β_j|), |Δφ| ≤ tol·φ, |Δα| ≤ tol (default 1e-12). */
  readonly tol?: number;
  readonly maxIter?: number;
}

export interface GeeCoefficient {
  readonly name: string;
  readonly estimate: number;
  /** Robust (sandwich) SE, geeglm `std.err = "san.se"`. */
  readonly se: number;
  /** Model-based ("naive") SE: sqrt of diag φ·(Σ D'V⁻¹D)⁻¹ (geese `vbeta.naiv`). */
  readonly seNaive: number;
  /** Wald z = estimate/se (geeglm prints z² as "Wald"). */
  readonly statistic: number;
  readonly pValue: number;
  readonly ci: ConfidenceInterval;
}

export interface GeeResult {
  readonly family: GeeFamily;
  readonly link: "identity" | "logit" | "log";
  readonly corstr: GeeCorrelation;
  readonly coefficients: readonly GeeCoefficient[];
  /** Robust covariance (p×p). */
  readonly vcov: readonly (readonly number[])[];
  readonly vcovNaive: readonly (readonly number[])[];
  /** Exchangeable correlation α (null for independence). */
  readonly alpha: number | null;
  /** Scale φ = Σw·r²/Σw over Pearson residuals r (geepack's moment estimator, no df correction). */
  readonly scale: number;
  readonly nClusters: number;
  readonly maxClusterSize: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly n: number;
  readonly nExcluded: number;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

const CODE: Record<GeeFamily, FamilyCode> = {
  gaussian: FAMILY_GAUSSIAN,
  binomial: FAMILY_BINOMIAL,
  poisson: FAMILY_POISSON,
};
const LINK = { gaussian: "identity", binomial: "logit", poisson: "log" } as const;

function toMatrix(a: Float64Array, p: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < p; i++) out.push(Array.from(a.subarray(i * p, (i + 1) * p)));
  return out;
}

/**
 * Fits a marginal model by GEE as geepack::geeglm: mean link identity (gaussian), logit
 * (binomial) or log (Poisson); working correlation independence or exchangeable. Iterations follow
 * geese: a Fisher-scoring step for β given (φ, α), then φ = Σw·r²/Σw (Pearson residuals r, divisor
 * Σw — no N−p correction), then the exchangeable α = Σ_{j<k} w_j w_k e_j e_k / Σ_{j<k} w_j w_k
 * (e = r/√φ, clusters of size 1 skipped), to a tight tolerance (geeglm's default 1e-4 is loose).
 * SEs: robust sandwich H⁻¹(Σ U_i U_iᵀ)H⁻¹ (`std.err = "san.se"`, no small-sample factor) and the
 * model-based φ·H⁻¹ with H = Σ D_iᵀ W^½ R_i⁻¹ W^½ D_i. Wald z tests and CIs.
 * Rank-deficient designs are refused (as geeglm).
 */
export function gee(input: GeeInput, options: GeeOptions): GeeResult {
  const fn = "gee";
  const family = options.family;
  if (!(family in CODE)) throw new InvalidInputError(fn, `unknown family "${String(family)}"`);
  const corstr = options.corstr;
  if (corstr !== "independence" && corstr !== "exchangeable") {
    throw new InvalidInputError(fn, `unknown corstr "${String(corstr)}"`);
  }
  const confLevel = options.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) throw new InvalidInputError(fn, "confLevel must be in (0, 1)");
  const tol = options.tol ?? 1e-12;
  const maxIter = options.maxIter ?? 500;
  const d = prepareData(
    fn,
    { y: input.y, x: input.x, weights: input.weights, offset: input.offset, group: input.id },
    options.intercept ?? true,
    "id",
  );
  const warnings: Warning[] = [];
  if (d.nMissing > 0) {
    warnings.push(
      warning("MISSING_DROPPED", `${d.nMissing} row(s) with missing values`, { count: d.nMissing }),
    );
  }
  if (d.nZeroWeight > 0) {
    warnings.push(
      warning("ZERO_WEIGHTS_DROPPED", `${d.nZeroWeight} row(s) with weight 0`, { count: d.nZeroWeight }),
    );
  }
  const { n, y, cols } = d;
  const p = cols.length;
  if (n <= p) throw new InvalidInputError(fn, `${n} observations for ${p} coefficients`);
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (family === "binomial" && (v < 0 || v > 1))
      throw new InvalidInputError(fn, `binomial y must be in [0, 1]`);
    if (family === "poisson" && v < 0) throw new InvalidInputError(fn, "poisson y must be ≥ 0");
  }
  const code = CODE[family];

  // Cluster membership: rows grouped by id code (stable within a cluster).
  const group = d.group!;
  const nClusters = d.groupLabels.length;
  const sizes = new Int32Array(nClusters);
  for (let i = 0; i < n; i++) sizes[group[i]!] = sizes[group[i]!]! + 1;
  const starts = new Int32Array(nClusters + 1);
  for (let c = 0; c < nClusters; c++) starts[c + 1] = starts[c]! + sizes[c]!;
  const fill = starts.slice(0, nClusters);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[group[i]!]!++] = i;
  let maxSize = 0;
  for (let c = 0; c < nClusters; c++) maxSize = Math.max(maxSize, sizes[c]!);
  if (nClusters < 30)
    warnings.push(warning("FEW_CLUSTERS", `${nClusters} clusters`, { clusters: nClusters }));

  // Start: the GLM fit (geeglm starts from glm()).
  const start = irls(
    { n, cols, y, weights: d.weights, offset: d.offset, family: code, theta: Number.POSITIVE_INFINITY },
    { tol: 1e-12, maxIter: 100 },
  );
  if (start.rank < p) {
    const names = d.names.filter((_, j) => start.aliased[j]);
    throw new InvalidInputError(
      fn,
      `the design matrix is rank deficient (${names.join(", ")}); GEE cannot proceed`,
    );
  }
  let beta = Float64Array.from(start.beta);
  let alpha = 0;
  const exch = corstr === "exchangeable";

  // Per-row working arrays.
  const a = new Float64Array(n * p); // √w·μ′/√V·x (row-major)
  const pr = new Float64Array(n); // Pearson residual (y−μ)/√V
  const sw = new Float64Array(n); // √w
  for (let i = 0; i < n; i++) sw[i] = d.weights ? Math.sqrt(d.weights[i]!) : 1;

  const rows = (): void => {
    for (let i = 0; i < n; i++) {
      let eta = d.offset ? d.offset[i]! : 0;
      for (let j = 0; j < p; j++) eta += beta[j]! * cols[j]![i]!;
      let mu: number;
      let mueta: number;
      let v: number;
      if (code === FAMILY_GAUSSIAN) {
        mu = eta;
        mueta = 1;
        v = 1;
      } else if (code === FAMILY_BINOMIAL) {
        mu = 1 / (1 + Math.exp(-eta));
        v = mu * (1 - mu);
        mueta = v;
      } else {
        mu = Math.exp(eta);
        mueta = mu;
        v = mu;
      }
      const rv = 1 / Math.sqrt(v);
      pr[i] = (y[i]! - mu) * rv;
      const f = sw[i]! * mueta * rv;
      for (let j = 0; j < p; j++) a[i * p + j] = f * cols[j]![i]!;
    }
  };

  const h = new Float64Array(p * p);
  const g = new Float64Array(p);
  const sumA = new Float64Array(p);
  const uPer = new Float64Array(nClusters * p);
  /** Accumulates H = Σ Aᵢᵀ Rᵢ⁻¹ Aᵢ and U = Σ Aᵢᵀ Rᵢ⁻¹ eᵢ (e = √w·r) at the current β, α. */
  const accumulate = (keepPerCluster: boolean): void => {
    h.fill(0);
    g.fill(0);
    for (let c = 0; c < nClusters; c++) {
      const s = starts[c]!;
      const m = sizes[c]!;
      // R⁻¹ = [I − κ J]/(1−α), κ = α/(1+(m−1)α); size-1 clusters have R = 1.
      const kappa = exch && m > 1 ? alpha / (1 + (m - 1) * alpha) : 0;
      const scale = exch && m > 1 ? 1 / (1 - alpha) : 1;
      sumA.fill(0);
      let sumE = 0;
      const ub = c * p;
      for (let t = 0; t < m; t++) {
        const i = order[s + t]!;
        const e = sw[i]! * pr[i]!;
        sumE += e;
        const base = i * p;
        for (let j = 0; j < p; j++) {
          const aj = a[base + j]!;
          sumA[j] = sumA[j]! + aj;
          g[j] = g[j]! + scale * aj * e;
          if (keepPerCluster) uPer[ub + j] = uPer[ub + j]! + scale * aj * e;
          const row = j * p;
          for (let k = j; k < p; k++) h[row + k] = h[row + k]! + scale * aj * a[base + k]!;
        }
      }
      if (kappa !== 0) {
        for (let j = 0; j < p; j++) {
          const sj = sumA[j]!;
          g[j] = g[j]! - scale * kappa * sj * sumE;
          if (keepPerCluster) uPer[ub + j] = uPer[ub + j]! - scale * kappa * sj * sumE;
          const row = j * p;
          for (let k = j; k < p; k++) h[row + k] = h[row + k]! - scale * kappa * sj * sumA[k]!;
        }
      }
    }
    for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) h[k * p + j] = h[j * p + k]!;
  };

  const updateScaleAlpha = (): { phi: number; alpha: number } => {
    let swSum = 0;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const w = d.weights ? d.weights[i]! : 1;
      swSum += w;
      s += w * pr[i]! * pr[i]!;
    }
    const phi = s / swSum;
    if (!exch) return { phi, alpha: 0 };
    let num = 0;
    let den = 0;
    for (let c = 0; c < nClusters; c++) {
      const m = sizes[c]!;
      if (m < 2) continue;
      const st = starts[c]!;
      let se = 0;
      let se2 = 0;
      let sw1 = 0;
      let sw2 = 0;
      for (let t = 0; t < m; t++) {
        const i = order[st + t]!;
        const w = d.weights ? d.weights[i]! : 1;
        const e = pr[i]! / Math.sqrt(phi);
        se += w * e;
        se2 += w * w * e * e;
        sw1 += w;
        sw2 += w * w;
      }
      num += 0.5 * (se * se - se2);
      den += 0.5 * (sw1 * sw1 - sw2);
    }
    return { phi, alpha: den > 0 ? num / den : 0 };
  };

  rows();
  let phi = updateScaleAlpha().phi;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIter) {
    iterations++;
    accumulate(false);
    const f = pivotedCholesky(h, p, 1e-14);
    const step = choleskySolve(f, g);
    let dBeta = true;
    for (let j = 0; j < p; j++) {
      const nb = beta[j]! + step[j]!;
      if (!(Math.abs(step[j]!) <= tol * (1 + Math.abs(nb)))) dBeta = false;
      beta[j] = nb;
    }
    rows();
    const next = updateScaleAlpha();
    const dPhi = Math.abs(next.phi - phi) <= tol * next.phi;
    const dAlpha = Math.abs(next.alpha - alpha) <= tol;
    phi = next.phi;
    alpha = next.alpha;
    if (!beta.every(Number.isFinite)) break;
    if (dBeta && dPhi && dAlpha) {
      converged = true;
      break;
    }
  }
  if (!converged) warnings.push(warning("NOT_CONVERGED", `GEE stopped after ${iterations} iterations`));
  if (exch && maxSize > 1 && !(alpha > -1 / (maxSize - 1) && alpha < 1)) {
    warnings.push(
      warning(
        "WORKING_CORRELATION_INVALID",
        `exchangeable α = ${alpha} is outside (−1/(m−1), 1) for clusters of size ${maxSize}`,
      ),
    );
  }

  // Variance at the final (β, φ, α).
  beta = Float64Array.from(beta);
  uPer.fill(0);
  accumulate(true);
  const f = pivotedCholesky(h, p, 1e-14);
  const hInv = choleskyInverse(f);
  const meat = new Float64Array(p * p);
  for (let c = 0; c < nClusters; c++) {
    const ub = c * p;
    for (let j = 0; j < p; j++) {
      const uj = uPer[ub + j]!;
      for (let k = 0; k < p; k++) meat[j * p + k] = meat[j * p + k]! + uj * uPer[ub + k]!;
    }
  }
  const robust = sandwichProduct(hInv, meat, p);
  const naive = new Float64Array(p * p);
  for (let i = 0; i < p * p; i++) naive[i] = phi * hInv[i]!;

  const q = normalQuantile(0.5 + confLevel / 2);
  const coefficients: GeeCoefficient[] = [];
  for (let j = 0; j < p; j++) {
    const est = beta[j]!;
    const se = Math.sqrt(robust[j * p + j]!);
    const z = est / se;
    coefficients.push({
      name: d.names[j]!,
      estimate: est,
      se,
      seNaive: Math.sqrt(naive[j * p + j]!),
      statistic: z,
      pValue: normalTwoSidedP(z),
      ci: { lower: est - q * se, upper: est + q * se, level: confLevel },
    });
  }
  return freezeResult({
    family,
    link: LINK[family],
    corstr,
    coefficients,
    vcov: toMatrix(robust, p),
    vcovNaive: toMatrix(naive, p),
    alpha: exch ? alpha : null,
    scale: phi,
    nClusters,
    maxClusterSize: maxSize,
    iterations,
    converged,
    n,
    nExcluded: d.nMissing + d.nZeroWeight,
    method: `GEE (geepack::geeglm conventions), ${family} family, ${LINK[family]} link, ${corstr} working correlation; robust sandwich SEs (san.se, no small-sample factor); Wald z tests and CIs`,
    warnings,
  });
}
