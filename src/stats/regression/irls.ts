/**
 * Iteratively reweighted least squares for the GLM families used by glm() (private).
 * One pass over the data per iteration, in row blocks that stay in cache: the linear predictor,
 * family quantities, deviance, X'WX (upper triangle) and the score X'r are accumulated together;
 * the p×p system is solved by an equilibrated Cholesky factorisation. The design is read through a
 * small kernel interface (η and X'WX/X'r for a block of rows) with three implementations: dense
 * column-major columns, dense plus a row-sparse (CSR) layout of indicator-like columns, and dense
 * plus factor (treatment-coded categorical) columns stored as per-row level columns.
 */
import {
  choleskyInverse,
  choleskySolve,
  type PivotedCholesky,
  pivotedCholesky,
  symmetrizeUpper,
} from "./matrix.js";

export const FAMILY_GAUSSIAN = 0;
export const FAMILY_BINOMIAL = 1;
export const FAMILY_POISSON = 2;
export const FAMILY_NEGBIN = 3;
export type FamilyCode = 0 | 1 | 2 | 3;

const EPS = Number.EPSILON;
const BLOCK = 512;
/** Squared-norm ratio below which a column counts as aliased (R's qr tol 1e-7 is on the norm). */
export const ALIAS_TOL = 1e-10;

/**
 * A factor re-based on its most frequent level s (≠ its reference level r) for storage: the stored
 * column `slot` holds the indicator of r, while the model column `slot` is the dummy of s, which is
 * 1 − 1[r] − Σ_{c ∈ others} (stored column c) given the intercept. Rows at level s store nothing.
 */
export interface RebasedFactor {
  readonly slot: number;
  /** Model columns of the factor's levels other than r and s (stored as they are). */
  readonly others: Int32Array;
}

/**
 * Factor (treatment-coded indicator) columns of a design, row-compressed: row i has the value 1 in
 * stored columns `col[rowPtr[i]] … col[rowPtr[i+1]−1]` (strictly ascending) and 0 in every other
 * factor column. Factor columns follow the dense columns: columns `cols.length … p−1`. The stored
 * design S equals the model design X except for the re-based factors' slots: X = S·T (T identity
 * but for the slot columns, see RebasedFactor); η = S·(Tβ), X'WX = T'(S'WS)T, X'r = T'(S'r).
 */
export interface FactorBlock {
  /** Total model width (dense columns + factor columns). */
  readonly p: number;
  readonly rowPtr: Int32Array;
  readonly col: Int32Array;
  /** Dense column of ones (the intercept; the re-basing needs it); −1 when none (then `rebased` is empty). */
  readonly intercept: number;
  readonly rebased: readonly RebasedFactor[];
}

export interface IrlsData {
  readonly n: number;
  /** Dense model columns (model columns 0 … cols.length−1). */
  readonly cols: readonly Float64Array[];
  /** Factor columns after the dense ones (null/absent: none). */
  readonly factors?: FactorBlock | null;
  readonly y: Float64Array;
  readonly weights: Float64Array | null;
  readonly offset: Float64Array | null;
  readonly family: FamilyCode;
  /** Negative binomial θ (ignored otherwise). */
  readonly theta: number;
}

export interface IrlsControl {
  readonly tol: number;
  readonly maxIter: number;
  /** Starting coefficients (else R's `mustart` for the family). */
  readonly start?: Float64Array | null;
  /** Aliasing fixed in advance (e.g. from an earlier fit with the same design). */
  readonly aliased?: readonly boolean[] | null;
  /** Warm-start large non-gaussian fits from a subsample fit (default true). */
  readonly subsample?: boolean;
  /**
   * Use the row-sparse kernel for indicator-like dense columns when it pays (default true; false:
   * dense). Designs with factor columns always use the factor kernel.
   */
  readonly sparse?: boolean;
}

export interface IrlsFit {
  readonly beta: Float64Array;
  readonly aliased: readonly boolean[];
  readonly rank: number;
  /** X'WX at the final coefficients (full symmetric p×p). */
  readonly xtwx: Float64Array;
  readonly factor: PivotedCholesky;
  /** (X'WX)⁻¹ at the final coefficients (aliased rows/columns 0). */
  readonly xtwxInverse: Float64Array;
  readonly deviance: number;
  /** Σ prior·(y−μ)² for gaussian (the Pearson χ² = deviance); not computed (0) for other families. */
  readonly pearson: number;
  readonly iterations: number;
  /** Passes over the data (iterations + 1 + step halvings; a subsample warm start not counted). */
  readonly passes: number;
  readonly converged: boolean;
  /** Rows whose fitted mean is numerically at the boundary (μ < 10ε, or > 1−10ε for binomial). */
  readonly boundary: number;
}

function ylogy(y: number, mu: number): number {
  return y > 0 ? y * Math.log(y / mu) : 0;
}

/**
 * Family quantities for rows i0..i0+m−1 given eta[0..m): working weights w, score residuals
 * r = prior·(y−μ)·μ′/V, and the deviance contribution. Returns [deviance, pearson, boundary].
 */
export function evalBlock(
  d: IrlsData,
  i0: number,
  m: number,
  eta: Float64Array,
  w: Float64Array,
  r: Float64Array,
  acc: Float64Array,
): void {
  const { y, weights: pw } = d;
  let dev = 0;
  let pear = 0;
  let bnd = 0;
  switch (d.family) {
    case FAMILY_GAUSSIAN:
      for (let b = 0; b < m; b++) {
        const i = i0 + b;
        const pwi = pw ? pw[i]! : 1;
        const res = y[i]! - eta[b]!;
        w[b] = pwi;
        r[b] = pwi * res;
        dev += pwi * res * res;
      }
      pear = dev;
      break;
    case FAMILY_BINOMIAL:
      for (let b = 0; b < m; b++) {
        const i = i0 + b;
        const pwi = pw ? pw[i]! : 1;
        const e = eta[b]!;
        const yi = y[i]!;
        if (e >= -30 && e <= 30) {
          // logit: μ′ = μ(1−μ) = V, so w = prior·V and r = prior·(y−μ).
          const ex = Math.exp(e);
          const mu = ex / (1 + ex);
          const v = mu * (1 - mu);
          w[b] = pwi * v;
          r[b] = pwi * (yi - mu);
          if (yi === 0) dev -= pwi * Math.log(1 - mu);
          else if (yi === 1) dev -= pwi * Math.log(mu);
          else dev += pwi * (ylogy(yi, mu) + ylogy(1 - yi, 1 - mu));
          if (mu < 10 * EPS || mu > 1 - 10 * EPS) bnd++;
        } else {
          // R's logit_linkinv / logit_mu_eta thresholds (|η| > 30).
          const mu = e < 0 ? EPS / (1 + EPS) : 1 / EPS / (1 + 1 / EPS);
          const v = mu * (1 - mu);
          w[b] = (pwi * EPS * EPS) / v;
          r[b] = (pwi * (yi - mu) * EPS) / v;
          dev += pwi * (ylogy(yi, mu) + ylogy(1 - yi, 1 - mu));
          bnd++;
        }
      }
      dev *= 2;
      break;
    case FAMILY_POISSON:
      for (let b = 0; b < m; b++) {
        const i = i0 + b;
        const pwi = pw ? pw[i]! : 1;
        const ex = Math.exp(eta[b]!);
        const mu = Math.max(ex, EPS);
        const yi = y[i]!;
        const res = yi - mu;
        // log link: μ′ = μ, so w = prior·μ and r = prior·(y − μ).
        w[b] = pwi * mu;
        r[b] = pwi * res;
        dev += pwi * (yi > 0 ? yi * Math.log(yi / mu) - res : mu);
        if (mu < 10 * EPS) bnd++;
      }
      dev *= 2;
      break;
    default: {
      const th = d.theta;
      for (let b = 0; b < m; b++) {
        const i = i0 + b;
        const pwi = pw ? pw[i]! : 1;
        const ex = Math.exp(eta[b]!);
        const mu = Math.max(ex, EPS);
        const yi = y[i]!;
        const res = yi - mu;
        const v = mu + (mu * mu) / th;
        w[b] = (pwi * mu * mu) / v;
        r[b] = (pwi * res * mu) / v;
        dev += pwi * (yi * Math.log(Math.max(yi, 1) / mu) - (yi + th) * Math.log((yi + th) / (mu + th)));
        if (mu < 10 * EPS) bnd++;
      }
      dev *= 2;
    }
  }
  acc[0]! += dev;
  acc[1]! += pear;
  acc[2]! += bnd;
}

/** R's starting linear predictor (from `mustart`) for rows i0..i0+m−1. */
function startEta(d: IrlsData, i0: number, m: number, eta: Float64Array): void {
  const { y, weights: pw } = d;
  for (let b = 0; b < m; b++) {
    const i = i0 + b;
    const yi = y[i]!;
    switch (d.family) {
      case FAMILY_GAUSSIAN:
        eta[b] = yi;
        break;
      case FAMILY_BINOMIAL: {
        const pwi = pw ? pw[i]! : 1;
        const ms = (pwi * yi + 0.5) / (pwi + 1);
        eta[b] = Math.log(ms / (1 - ms));
        break;
      }
      default:
        eta[b] = Math.log(yi + 0.1);
    }
  }
}

/** Number of model columns of a design (dense + factor). */
export function modelWidth(d: Pick<IrlsData, "cols" | "factors">): number {
  return d.factors ? d.factors.p : d.cols.length;
}

/** γ = Tβ: coefficients of the stored factor columns that give the model's η (X β = S γ). */
function storedCoefficients(fb: FactorBlock, beta: Float64Array, gamma: Float64Array): void {
  gamma.set(beta);
  const j0 = fb.intercept;
  for (const { slot, others } of fb.rebased) {
    const b = beta[slot]!;
    gamma[slot] = -b;
    gamma[j0] = gamma[j0]! + b;
    for (let k = 0; k < others.length; k++) gamma[others[k]!] = gamma[others[k]!]! - b;
  }
}

/** v ← T'v in place for v = v[o … o+p): sums over the stored columns → sums over the model columns. */
export function toModelVector(fb: FactorBlock, v: Float64Array, o = 0): void {
  const j0 = o + fb.intercept;
  for (const { slot, others } of fb.rebased) {
    let t = v[j0]! - v[o + slot]!;
    for (let k = 0; k < others.length; k++) t -= v[o + others[k]!]!;
    v[o + slot] = t;
  }
}

/** G ← T'GT in place for a full symmetric p×p G (cross-products of stored → model columns). */
function toModelCrossprod(fb: FactorBlock, g: Float64Array): void {
  const p = fb.p;
  const j0 = fb.intercept;
  // Columns: G[:, slot] = G[:, j0] − G[:, slot] − Σ G[:, c]; then the same on the rows.
  for (const { slot, others } of fb.rebased) {
    for (let i = 0; i < p; i++) {
      const row = i * p;
      let t = g[row + j0]! - g[row + slot]!;
      for (let k = 0; k < others.length; k++) t -= g[row + others[k]!]!;
      g[row + slot] = t;
    }
  }
  for (const { slot, others } of fb.rebased) {
    const rs = slot * p;
    const r0 = j0 * p;
    for (let j = 0; j < p; j++) {
      let t = g[r0 + j]! - g[rs + j]!;
      for (let k = 0; k < others.length; k++) t -= g[others[k]! * p + j]!;
      g[rs + j] = t;
    }
  }
}

/** Rows with a 1 in each model column of a factor block (index: model column; dense columns 0). */
export function factorColumnCounts(fb: FactorBlock, n: number): Float64Array {
  const counts = new Float64Array(fb.p);
  for (let e = 0; e < fb.col.length; e++) counts[fb.col[e]!]!++;
  if (fb.rebased.length > 0) {
    counts[fb.intercept] = n;
    toModelVector(fb, counts);
    counts[fb.intercept] = 0;
  }
  return counts;
}

/** Dense part of the linear predictor for rows i0..i0+m−1: eta = offset + Σ_j β_j·cols[j] (2 columns at a time). */
function blockEta(
  cols: readonly Float64Array[],
  offset: Float64Array | null,
  beta: Float64Array,
  i0: number,
  m: number,
  eta: Float64Array,
): void {
  if (offset) for (let b = 0; b < m; b++) eta[b] = offset[i0 + b]!;
  else eta.fill(0, 0, m);
  const p = cols.length;
  let j = 0;
  for (; j + 1 < p; j += 2) {
    const b0 = beta[j]!;
    const b1 = beta[j + 1]!;
    const x0 = cols[j]!;
    const x1 = cols[j + 1]!;
    for (let b = 0; b < m; b++) eta[b] = eta[b]! + b0 * x0[i0 + b]! + b1 * x1[i0 + b]!;
  }
  if (j < p) {
    const b0 = beta[j]!;
    const x0 = cols[j]!;
    for (let b = 0; b < m; b++) eta[b] = eta[b]! + b0 * x0[i0 + b]!;
  }
}

/** Linear predictor η = offset + Xβ for all rows. */
export function linearPredictor(d: IrlsData, beta: Float64Array): Float64Array {
  const k = makeKernel(d, false);
  const out = new Float64Array(d.n);
  const eta = new Float64Array(BLOCK);
  for (let i0 = 0; i0 < d.n; i0 += BLOCK) {
    const m = Math.min(BLOCK, d.n - i0);
    k.eta(beta, i0, m, eta);
    out.set(eta.subarray(0, m), i0);
  }
  return out;
}

/**
 * Adds block rows i0..i0+m−1 of the p columns `cols` to X'WX (upper triangle, row stride `s`:
 * entry (j, k) at g[j·s + k]) and X'r; 2×2 register blocking.
 */
function accumulateBlock(
  cols: readonly Float64Array[],
  p: number,
  s: number,
  i0: number,
  m: number,
  w: Float64Array,
  r: Float64Array,
  wx: Float64Array,
  wx2: Float64Array,
  g: Float64Array,
  rhs: Float64Array,
): void {
  let j = 0;
  for (; j + 1 < p; j += 2) {
    const xa = cols[j]!;
    const xb = cols[j + 1]!;
    let ra = 0;
    let rb = 0;
    for (let b = 0; b < m; b++) {
      const wb = w[b]!;
      const rr = r[b]!;
      const va = xa[i0 + b]!;
      const vb = xb[i0 + b]!;
      wx[b] = wb * va;
      wx2[b] = wb * vb;
      ra += rr * va;
      rb += rr * vb;
    }
    rhs[j] = rhs[j]! + ra;
    rhs[j + 1] = rhs[j + 1]! + rb;
    // Diagonal 2×2 block: (j,j), (j,j+1), (j+1,j+1).
    let s00 = 0;
    let s01 = 0;
    let s11 = 0;
    for (let b = 0; b < m; b++) {
      const va = xa[i0 + b]!;
      const vb = xb[i0 + b]!;
      s00 += wx[b]! * va;
      s01 += wx[b]! * vb;
      s11 += wx2[b]! * vb;
    }
    g[j * s + j] = g[j * s + j]! + s00;
    g[j * s + j + 1] = g[j * s + j + 1]! + s01;
    g[(j + 1) * s + j + 1] = g[(j + 1) * s + j + 1]! + s11;
    let k = j + 2;
    for (; k + 1 < p; k += 2) {
      const xc = cols[k]!;
      const xd = cols[k + 1]!;
      let t00 = 0;
      let t01 = 0;
      let t10 = 0;
      let t11 = 0;
      for (let b = 0; b < m; b++) {
        const a0 = wx[b]!;
        const a1 = wx2[b]!;
        const c = xc[i0 + b]!;
        const dd = xd[i0 + b]!;
        t00 += a0 * c;
        t01 += a0 * dd;
        t10 += a1 * c;
        t11 += a1 * dd;
      }
      g[j * s + k] = g[j * s + k]! + t00;
      g[j * s + k + 1] = g[j * s + k + 1]! + t01;
      g[(j + 1) * s + k] = g[(j + 1) * s + k]! + t10;
      g[(j + 1) * s + k + 1] = g[(j + 1) * s + k + 1]! + t11;
    }
    if (k < p) {
      const xc = cols[k]!;
      let t0 = 0;
      let t1 = 0;
      for (let b = 0; b < m; b++) {
        const c = xc[i0 + b]!;
        t0 += wx[b]! * c;
        t1 += wx2[b]! * c;
      }
      g[j * s + k] = g[j * s + k]! + t0;
      g[(j + 1) * s + k] = g[(j + 1) * s + k]! + t1;
    }
  }
  if (j < p) {
    const xa = cols[j]!;
    let ra = 0;
    let sjj = 0;
    for (let b = 0; b < m; b++) {
      const va = xa[i0 + b]!;
      ra += r[b]! * va;
      sjj += w[b]! * va * va;
    }
    rhs[j] = rhs[j]! + ra;
    g[j * s + j] = g[j * s + j]! + sjj;
  }
}

/**
 * Row-sparse storage of the indicator-like columns of a design (dummy columns of code covariates:
 * mostly zero), beside the dense ones. X'WX then costs Σ_rows (k_i² / 2 + k_i·d) instead of n·p² / 2
 * (k_i = nonzero sparse entries of row i, d = dense columns): for a propensity model with a dozen
 * code covariates (45 columns, 12 nonzero per row) about ten times less. Used only when it pays.
 */
interface SparseLayout {
  /** Original indices of the dense columns, ascending, and the columns. */
  readonly dense: Int32Array;
  readonly denseCols: readonly Float64Array[];
  /** CSR of the sparse columns: row i holds entries rowPtr[i] … rowPtr[i+1]−1, ascending column. */
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  readonly vals: Float64Array;
  /** Dense X'WX and X'r accumulated in compact form during a pass. */
  readonly gDense: Float64Array;
  readonly rhsDense: Float64Array;
}

/** Builds the sparse layout, or null when the dense kernel is as cheap (few or dense columns). */
function sparseLayout(cols: readonly Float64Array[], n: number): SparseLayout | null {
  const p = cols.length;
  if (p < 8 || n < 5000) return null;
  const nnz = new Int32Array(p);
  for (let j = 0; j < p; j++) {
    const c = cols[j]!;
    let k = 0;
    for (let i = 0; i < n; i++) if (c[i] !== 0) k++;
    nnz[j] = k;
  }
  const dense: number[] = [];
  const sparse: number[] = [];
  let total = 0;
  for (let j = 0; j < p; j++) {
    if (nnz[j]! <= 0.3 * n) {
      sparse.push(j);
      total += nnz[j]!;
    } else dense.push(j);
  }
  const perRow = total / n;
  const costSparse = n * (perRow * perRow * 0.5 + perRow * dense.length + dense.length * dense.length * 0.5);
  if (sparse.length < 4 || costSparse > 0.35 * n * p * p * 0.5) return null;
  const rowPtr = new Int32Array(n + 1);
  for (const j of sparse) {
    const c = cols[j]!;
    for (let i = 0; i < n; i++) if (c[i] !== 0) rowPtr[i + 1]!++;
  }
  for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i + 1]! + rowPtr[i]!;
  const fill = rowPtr.slice(0, n);
  const colIdx = new Int32Array(total);
  const vals = new Float64Array(total);
  for (const j of sparse) {
    const c = cols[j]!;
    for (let i = 0; i < n; i++) {
      const v = c[i]!;
      if (v === 0) continue;
      const e = fill[i]!;
      colIdx[e] = j;
      vals[e] = v;
      fill[i] = e + 1;
    }
  }
  const pd = dense.length;
  return {
    dense: Int32Array.from(dense),
    denseCols: dense.map((j) => cols[j]!),
    rowPtr,
    colIdx,
    vals,
    gDense: new Float64Array(pd * pd),
    rhsDense: new Float64Array(pd),
  };
}

/** Linear predictor for rows i0..i0+m−1 from the sparse layout (offset included). */
function blockEtaSparse(
  d: IrlsData,
  sp: SparseLayout,
  beta: Float64Array,
  i0: number,
  m: number,
  eta: Float64Array,
): void {
  const off = d.offset;
  if (off) for (let b = 0; b < m; b++) eta[b] = off[i0 + b]!;
  else eta.fill(0, 0, m);
  const { dense, denseCols, rowPtr, colIdx, vals } = sp;
  for (let k = 0; k < dense.length; k++) {
    const bk = beta[dense[k]!]!;
    const x = denseCols[k]!;
    for (let b = 0; b < m; b++) eta[b] = eta[b]! + bk * x[i0 + b]!;
  }
  for (let b = 0; b < m; b++) {
    const i = i0 + b;
    let s = eta[b]!;
    for (let e = rowPtr[i]!; e < rowPtr[i + 1]!; e++) s += beta[colIdx[e]!]! * vals[e]!;
    eta[b] = s;
  }
}

/** Adds rows i0..i0+m−1 to X'WX (upper triangle) and X'r through the sparse layout. */
function accumulateSparse(
  sp: SparseLayout,
  p: number,
  i0: number,
  m: number,
  w: Float64Array,
  r: Float64Array,
  wx: Float64Array,
  wx2: Float64Array,
  g: Float64Array,
  rhs: Float64Array,
): void {
  const { dense, denseCols, rowPtr, colIdx, vals } = sp;
  const pd = dense.length;
  accumulateBlock(denseCols, pd, pd, i0, m, w, r, wx, wx2, sp.gDense, sp.rhsDense);
  for (let b = 0; b < m; b++) {
    const i = i0 + b;
    const wi = w[b]!;
    const ri = r[b]!;
    const e0 = rowPtr[i]!;
    const e1 = rowPtr[i + 1]!;
    for (let e = e0; e < e1; e++) {
      const j = colIdx[e]!;
      const v = vals[e]!;
      const wv = wi * v;
      rhs[j] = rhs[j]! + ri * v;
      const rowJ = j * p;
      for (let e2 = e; e2 < e1; e2++) {
        const k = colIdx[e2]!;
        g[rowJ + k] = g[rowJ + k]! + wv * vals[e2]!;
      }
      for (let q = 0; q < pd; q++) {
        const c = dense[q]!;
        const t = wv * denseCols[q]![i]!;
        if (c < j) g[c * p + j] = g[c * p + j]! + t;
        else g[rowJ + c] = g[rowJ + c]! + t;
      }
    }
  }
}

/** Adds the compact dense X'WX and X'r of a pass into the full ones, and clears them. */
function scatterDense(sp: SparseLayout, p: number, g: Float64Array, rhs: Float64Array): void {
  const { dense, gDense, rhsDense } = sp;
  const pd = dense.length;
  for (let a = 0; a < pd; a++) {
    const ja = dense[a]!;
    rhs[ja] = rhs[ja]! + rhsDense[a]!;
    for (let b = a; b < pd; b++) {
      const jb = dense[b]!;
      g[ja * p + jb] = g[ja * p + jb]! + gDense[a * pd + b]!;
    }
  }
  gDense.fill(0);
  rhsDense.fill(0);
}

/**
 * How a pass reads the design: the linear predictor of a block of rows, and the block's
 * contributions to X'WX (upper triangle, row-major p×p) and X'r.
 */
interface Kernel {
  /** η = offset + Xβ for rows i0..i0+m−1 into eta[0..m). */
  eta(beta: Float64Array, i0: number, m: number, eta: Float64Array): void;
  /** Adds rows i0..i0+m−1 (working weights w[0..m), residuals r[0..m)) to g and rhs. */
  accumulate(
    i0: number,
    m: number,
    w: Float64Array,
    r: Float64Array,
    g: Float64Array,
    rhs: Float64Array,
  ): void;
  /** Ends a pass: adds partial sums the kernel keeps in compact form into g and rhs, and clears them. */
  finish(g: Float64Array, rhs: Float64Array): void;
}

/** Dense column-major design. */
function denseKernel(d: Pick<IrlsData, "cols" | "offset">): Kernel {
  const { cols, offset } = d;
  const p = cols.length;
  const wx = new Float64Array(BLOCK);
  const wx2 = new Float64Array(BLOCK);
  return {
    eta: (beta, i0, m, eta) => blockEta(cols, offset, beta, i0, m, eta),
    accumulate: (i0, m, w, r, g, rhs) => accumulateBlock(cols, p, p, i0, m, w, r, wx, wx2, g, rhs),
    finish: () => {},
  };
}

/** Dense columns plus a row-sparse layout of the indicator-like ones. */
function sparseKernel(d: IrlsData, sp: SparseLayout): Kernel {
  const p = d.cols.length;
  const wx = new Float64Array(BLOCK);
  const wx2 = new Float64Array(BLOCK);
  return {
    eta: (beta, i0, m, eta) => blockEtaSparse(d, sp, beta, i0, m, eta),
    accumulate: (i0, m, w, r, g, rhs) => accumulateSparse(sp, p, i0, m, w, r, wx, wx2, g, rhs),
    finish: (g, rhs) => scatterDense(sp, p, g, rhs),
  };
}

/**
 * Dense columns (model columns 0…pd−1) plus factor columns (pd…p−1). Per row with stored factor
 * columns c_1 < … < c_k (value 1): S'WS gains w at every (c_a, c_b), a ≤ b, and w·x_j at (j, c_a) for
 * each dense column j; S'r gains r at c_a; η gains γ_{c_a} (γ = Tβ). The factor × dense sums are kept
 * compact (per factor column, contiguous; the intercept's are the factor diagonal) and scattered when the pass ends, when S'WS and S'r
 * are also mapped to X'WX = T'(S'WS)T and X'r = T'(S'r) for re-based factors.
 */
function factorKernel(d: Pick<IrlsData, "cols" | "offset">, fb: FactorBlock): Kernel {
  const { cols, offset } = d;
  const pd = cols.length;
  const { p, rowPtr, col } = fb;
  const wx = new Float64Array(BLOCK);
  const wx2 = new Float64Array(BLOCK);
  // Dense columns crossed with the factor columns one by one (the intercept's cross-products are the
  // factor diagonal, copied when the pass ends).
  const j0 = fb.intercept;
  const dense: Float64Array[] = [];
  const denseAt: number[] = [];
  for (let k = 0; k < pd; k++) {
    if (k === j0) continue;
    dense.push(cols[k]!);
    denseAt.push(k);
  }
  const nd = dense.length;
  const fd = new Float64Array(p * nd);
  const wxk = new Float64Array(nd);
  const rebased = fb.rebased.length > 0;
  const gamma = new Float64Array(p);
  return {
    eta(beta, i0, m, eta) {
      let coef = beta;
      if (rebased) {
        storedCoefficients(fb, beta, gamma);
        coef = gamma;
      }
      blockEta(cols, offset, coef, i0, m, eta);
      for (let b = 0; b < m; b++) {
        const i = i0 + b;
        const e1 = rowPtr[i + 1]!;
        let s = eta[b]!;
        for (let e = rowPtr[i]!; e < e1; e++) s += coef[col[e]!]!;
        eta[b] = s;
      }
    },
    accumulate(i0, m, w, r, g, rhs) {
      accumulateBlock(cols, pd, p, i0, m, w, r, wx, wx2, g, rhs);
      for (let b = 0; b < m; b++) {
        const i = i0 + b;
        const e0 = rowPtr[i]!;
        const e1 = rowPtr[i + 1]!;
        if (e0 === e1) continue;
        const wi = w[b]!;
        const ri = r[b]!;
        for (let k = 0; k < nd; k++) wxk[k] = wi * dense[k]![i]!;
        for (let e = e0; e < e1; e++) {
          const c = col[e]!;
          const rowC = c * p;
          g[rowC + c] = g[rowC + c]! + wi;
          rhs[c] = rhs[c]! + ri;
          for (let e2 = e + 1; e2 < e1; e2++) {
            const at = rowC + col[e2]!;
            g[at] = g[at]! + wi;
          }
          const f0 = c * nd;
          let k = 0;
          for (; k + 2 < nd; k += 3) {
            fd[f0 + k] = fd[f0 + k]! + wxk[k]!;
            fd[f0 + k + 1] = fd[f0 + k + 1]! + wxk[k + 1]!;
            fd[f0 + k + 2] = fd[f0 + k + 2]! + wxk[k + 2]!;
          }
          for (; k < nd; k++) fd[f0 + k] = fd[f0 + k]! + wxk[k]!;
        }
      }
    },
    finish(g, rhs) {
      for (let c = pd; c < p; c++) {
        const f0 = c * nd;
        for (let k = 0; k < nd; k++) g[denseAt[k]! * p + c] = g[denseAt[k]! * p + c]! + fd[f0 + k]!;
        if (j0 >= 0) g[j0 * p + c] = g[c * p + c]!;
      }
      fd.fill(0);
      if (rebased) {
        symmetrizeUpper(g, p);
        toModelCrossprod(fb, g);
        toModelVector(fb, rhs);
      }
    },
  };
}

/** The kernel for a design: factor when it has factor columns, else sparse when allowed and it pays, else dense. */
function makeKernel(d: IrlsData, allowSparse: boolean): Kernel {
  if (d.factors) return factorKernel(d, d.factors);
  if (allowSparse) {
    const sp = sparseLayout(d.cols, d.n);
    if (sp) return sparseKernel(d, sp);
  }
  return denseKernel(d);
}

interface PassOut {
  dev: number;
  pearson: number;
  boundary: number;
}

/**
 * One IRLS pass: with `beta` null the linear predictor comes from mustart and the right-hand side is
 * X'W z (z = working response minus offset); otherwise the right-hand side is the score X'r.
 */
function pass(
  d: IrlsData,
  beta: Float64Array | null,
  g: Float64Array,
  rhs: Float64Array,
  scratch: Scratch,
  kernel: Kernel,
): PassOut {
  const n = d.n;
  g.fill(0);
  rhs.fill(0);
  const { eta, w, r, acc } = scratch;
  acc.fill(0);
  const off = d.offset;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const m = Math.min(BLOCK, n - i0);
    if (beta) kernel.eta(beta, i0, m, eta);
    else startEta(d, i0, m, eta);
    evalBlock(d, i0, m, eta, w, r, acc);
    if (!beta) {
      for (let b = 0; b < m; b++) r[b] = r[b]! + w[b]! * (eta[b]! - (off ? off[i0 + b]! : 0));
    }
    kernel.accumulate(i0, m, w, r, g, rhs);
  }
  kernel.finish(g, rhs);
  return { dev: acc[0]!, pearson: acc[1]!, boundary: acc[2]! };
}

interface Scratch {
  eta: Float64Array;
  w: Float64Array;
  r: Float64Array;
  acc: Float64Array;
}

function makeScratch(): Scratch {
  return {
    eta: new Float64Array(BLOCK),
    w: new Float64Array(BLOCK),
    r: new Float64Array(BLOCK),
    acc: new Float64Array(3),
  };
}

/** Rows above which a non-gaussian fit is warm-started from a converged fit on a systematic subsample. */
const SUBSAMPLE_FROM = 200_000;
const SUBSAMPLE_SIZE = 50_000;

/** Rows 0, k, 2k, … (m of them) of a factor block. */
function pickFactorRows(fb: FactorBlock, k: number, m: number): FactorBlock {
  const { rowPtr, col } = fb;
  const rp = new Int32Array(m + 1);
  let nnz = 0;
  for (let i = 0; i < m; i++) {
    nnz += rowPtr[i * k + 1]! - rowPtr[i * k]!;
    rp[i + 1] = nnz;
  }
  const c = new Int32Array(nnz);
  for (let i = 0; i < m; i++) c.set(col.subarray(rowPtr[i * k]!, rowPtr[i * k + 1]!), rp[i]!);
  return { ...fb, rowPtr: rp, col: c };
}

/**
 * Warm start for large data: fits every k-th row (about 50,000 rows) to a loose tolerance and
 * returns its coefficients, which are within sampling error of the full-data MLE, so the full-data
 * Newton iterations start in the quadratic region (one full pass fewer). Returns null (R's
 * `mustart` start is used instead) when the subsample fit is separated or unconverged.
 */
function subsampleStart(d: IrlsData): Float64Array | null {
  if (d.family === FAMILY_GAUSSIAN || d.n < SUBSAMPLE_FROM) return null;
  const k = Math.floor(d.n / SUBSAMPLE_SIZE);
  const m = Math.floor(d.n / k);
  const pick = (a: Float64Array): Float64Array => {
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) out[i] = a[i * k]!;
    return out;
  };
  const sub: IrlsData = {
    n: m,
    cols: d.cols.map(pick),
    factors: d.factors ? pickFactorRows(d.factors, k, m) : null,
    y: pick(d.y),
    weights: d.weights ? pick(d.weights) : null,
    offset: d.offset ? pick(d.offset) : null,
    family: d.family,
    theta: d.theta,
  };
  const fit = irls(sub, { tol: 1e-8, maxIter: 50 });
  if (!fit.converged || fit.boundary > 0) return null;
  // Columns aliased in the subsample start at 0 (the full fit decides its own aliasing).
  for (let j = 0; j < fit.beta.length; j++) if (fit.aliased[j]) fit.beta[j] = 0;
  return fit.beta;
}

/**
 * Fits the GLM by IRLS. Convergence: |dev − dev_old|/(|dev| + 0.1) < tol (R's criterion) AND the
 * next Newton step is negligible (|Δβ_j| ≤ 1e-10·SE_j + 1e-12·|β_j|); when the deviance has
 * converged but fitted means sit at the boundary (separation, zero cells) the fit stops there.
 * The returned X'WX, deviance and boundary count are evaluated at the returned coefficients.
 */
export function irls(d: IrlsData, control: IrlsControl): IrlsFit {
  const p = modelWidth(d);
  const g = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const scratch = makeScratch();
  let beta: Float64Array | null = control.start
    ? Float64Array.from(control.start)
    : control.subsample === false
      ? null
      : subsampleStart(d);
  let aliasFixed: readonly boolean[] | null = control.aliased ?? null;
  const kernel = makeKernel(d, control.sparse !== false);
  let passes = 1;
  let out = pass(d, beta, g, rhs, scratch, kernel);
  let factor = pivotedCholesky(g, p, ALIAS_TOL, aliasFixed ?? undefined);
  aliasFixed = factor.aliased;
  let devOld = Number.NaN;
  let iterations = 0;
  let converged = false;
  for (;;) {
    const step = choleskySolve(factor, rhs);
    if (beta !== null && Number.isFinite(devOld)) {
      const rel = Math.abs(out.dev - devOld) / (Math.abs(out.dev) + 0.1);
      if (rel < control.tol) {
        const inv = choleskyInverse(factor);
        const phi = d.family === FAMILY_GAUSSIAN && d.n > factor.rank ? out.pearson / (d.n - factor.rank) : 1;
        let small = true;
        for (let j = 0; j < p; j++) {
          if (factor.aliased[j]) continue;
          const se = Math.sqrt(Math.max(0, phi * inv[j * p + j]!));
          if (!(Math.abs(step[j]!) <= 1e-10 * se + 1e-12 * Math.abs(beta[j]!))) {
            small = false;
            break;
          }
        }
        if (small || out.boundary > 0) {
          converged = true;
          break;
        }
      }
    }
    if (iterations >= control.maxIter) break;
    let trial: Float64Array;
    if (beta === null)
      trial = step; // z-form start: the WLS solution itself
    else {
      trial = new Float64Array(p);
      for (let j = 0; j < p; j++) trial[j] = beta[j]! + step[j]!;
    }
    iterations++;
    const prevDev = out.dev;
    const from = beta;
    out = pass(d, trial, g, rhs, scratch, kernel);
    passes++;
    // Step halving when the deviance is not finite, or rises after a coefficient-based step.
    let halvings = 0;
    while (
      from !== null &&
      (!Number.isFinite(out.dev) || out.dev - prevDev > 1e-9 * (Math.abs(prevDev) + 0.1)) &&
      halvings < 40
    ) {
      halvings++;
      const t = new Float64Array(p);
      for (let j = 0; j < p; j++) t[j] = 0.5 * (trial[j]! + from[j]!);
      trial = t;
      out = pass(d, trial, g, rhs, scratch, kernel);
      passes++;
    }
    beta = trial;
    devOld = prevDev;
    // Aliasing is decided on the first pass; later passes only drop numerically singular pivots
    // (under separation the weights of separated rows vanish, which must not alias their columns).
    factor = pivotedCholesky(g, p, 1e-300, aliasFixed);
    if (!Number.isFinite(out.dev)) break;
  }
  if (beta === null) beta = new Float64Array(p);
  symmetrizeUpper(g, p);
  return {
    beta,
    aliased: factor.aliased,
    rank: factor.rank,
    xtwx: Float64Array.from(g),
    factor,
    xtwxInverse: choleskyInverse(factor),
    deviance: out.dev,
    pearson: out.pearson,
    iterations,
    passes,
    converged,
    boundary: out.boundary,
  };
}

/**
 * Score residuals r_i = prior·(y−μ)·μ′/V at `beta` (the per-row factor of the GLM estimating
 * function: ψ_i = r_i·x_i), for sandwich variances.
 */
export function scoreResiduals(d: IrlsData, beta: Float64Array): Float64Array {
  const kernel = makeKernel(d, false);
  const out = new Float64Array(d.n);
  const eta = new Float64Array(BLOCK);
  const w = new Float64Array(BLOCK);
  const r = new Float64Array(BLOCK);
  const acc = new Float64Array(3);
  for (let i0 = 0; i0 < d.n; i0 += BLOCK) {
    const m = Math.min(BLOCK, d.n - i0);
    kernel.eta(beta, i0, m, eta);
    evalBlock(d, i0, m, eta, w, r, acc);
    out.set(r.subarray(0, m), i0);
  }
  return out;
}

/**
 * X' diag(v) X (full symmetric p×p) of a dense or dense + factor design, in cache-sized row blocks,
 * e.g. the HC0 meat with v = r².
 */
export function weightedCrossprod(d: Pick<IrlsData, "cols" | "factors">, v: Float64Array): Float64Array {
  const p = modelWidth(d);
  const n = v.length;
  const kernel = d.factors
    ? factorKernel({ cols: d.cols, offset: null }, d.factors)
    : denseKernel({ cols: d.cols, offset: null });
  const g = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const w = new Float64Array(BLOCK);
  const r = new Float64Array(BLOCK);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const m = Math.min(BLOCK, n - i0);
    w.set(v.subarray(i0, i0 + m));
    kernel.accumulate(i0, m, w, r, g, rhs);
  }
  kernel.finish(g, rhs);
  symmetrizeUpper(g, p);
  return g;
}
