/**
 * Small dense symmetric linear algebra on row-major `Float64Array` matrices (n × n, n small:
 * regression-sized). The decomposition is the LDLᵀ Cholesky of R survival's `cholesky2`
 * (Therneau): a pivot below `toler · max(diag)` marks the column as redundant, its row/column of
 * the factor is zeroed, and solves and inverses then act as a generalised inverse that sets the
 * redundant components to 0 (what `coxph`/`coxph.wtest` do for aliased columns).
 */

/** An LDLᵀ factorisation: `factor` holds L below the diagonal (unit diagonal implied) and D on it. */
export interface LdlFactor {
  /** n × n row-major: L strictly below the diagonal, D on the diagonal (0 for a redundant column). */
  readonly factor: Float64Array;
  readonly n: number;
  /** Number of non-redundant columns. */
  readonly rank: number;
  /** True for columns whose pivot fell below the tolerance (aliased / constant). */
  readonly redundant: readonly boolean[];
  /** False when some pivot was clearly negative (< −8·tolerance): the matrix is not positive semi-definite. */
  readonly nonNegative: boolean;
}

/** Default relative pivot tolerance: R survival's `toler.chol = .Machine$double.eps^0.75`. */
export const DEFAULT_CHOLESKY_TOLERANCE = 2.220446049250313e-16 ** 0.75;

/**
 * LDLᵀ decomposition of a symmetric matrix with rank detection (survival `cholesky2`).
 * Only the upper triangle of `a` is read. The input is not modified.
 * @param toler relative pivot tolerance (pivot < toler · max diagonal ⇒ redundant).
 */
export function ldlDecompose(a: ArrayLike<number>, n: number, toler = DEFAULT_CHOLESKY_TOLERANCE): LdlFactor {
  const m = new Float64Array(n * n);
  let eps = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i * n + i] as number;
    if (d > eps) eps = d;
    for (let j = i; j < n; j++) {
      const v = a[i * n + j] as number;
      m[j * n + i] = v; // lower triangle holds the working copy
    }
  }
  eps = eps === 0 ? toler : eps * toler;
  let rank = 0;
  let nonNegative = true;
  const redundant: boolean[] = new Array<boolean>(n).fill(false);
  for (let i = 0; i < n; i++) {
    const pivot = m[i * n + i] as number;
    if (!Number.isFinite(pivot) || pivot < eps) {
      if (pivot < -8 * eps) nonNegative = false;
      m[i * n + i] = 0;
      redundant[i] = true;
      for (let j = i + 1; j < n; j++) m[j * n + i] = 0;
      continue;
    }
    rank++;
    for (let j = i + 1; j < n; j++) {
      const temp = (m[j * n + i] as number) / pivot;
      m[j * n + i] = temp;
      m[j * n + j] = (m[j * n + j] as number) - temp * temp * pivot;
      for (let k = j + 1; k < n; k++)
        m[k * n + j] = (m[k * n + j] as number) - temp * (m[k * n + i] as number);
    }
  }
  // Clear the strict upper triangle so `factor` is a clean L\D store.
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[i * n + j] = 0;
  return { factor: m, n, rank, redundant, nonNegative };
}

/** Solves A x = b with an LDLᵀ factor; redundant components of x are set to 0 (survival `chsolve2`). */
export function ldlSolve(f: LdlFactor, b: ArrayLike<number>): Float64Array {
  const { factor: m, n } = f;
  const y = Float64Array.from({ length: n }, (_, i) => b[i] as number);
  for (let i = 0; i < n; i++) {
    let temp = y[i] as number;
    for (let j = 0; j < i; j++) temp -= (y[j] as number) * (m[i * n + j] as number);
    y[i] = temp;
  }
  for (let i = n - 1; i >= 0; i--) {
    const d = m[i * n + i] as number;
    if (d === 0) {
      y[i] = 0;
      continue;
    }
    let temp = (y[i] as number) / d;
    for (let j = i + 1; j < n; j++) temp -= (y[j] as number) * (m[j * n + i] as number);
    y[i] = temp;
  }
  return y;
}

/**
 * Inverse of A from its LDLᵀ factor: (Lᵀ)⁻¹ D⁻ L⁻¹, with the rows and columns of redundant columns set
 * to 0 (survival `chinv2`). Returns a full symmetric n × n row-major matrix.
 */
export function ldlInverse(f: LdlFactor): Float64Array {
  const { factor: m, n } = f;
  // Invert the unit lower-triangular L (columns of redundant pivots are already zero).
  const li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    li[i * n + i] = 1;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= (m[i * n + k] as number) * (li[k * n + j] as number);
      li[i * n + j] = s;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) {
        const d = m[k * n + k] as number;
        if (d === 0) continue;
        s += ((li[k * n + i] as number) * (li[k * n + j] as number)) / d;
      }
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  for (let i = 0; i < n; i++) {
    if (!f.redundant[i]) continue;
    for (let j = 0; j < n; j++) {
      out[i * n + j] = 0;
      out[j * n + i] = 0;
    }
  }
  return out;
}

/** Generalised inverse of a symmetric positive semi-definite matrix (redundant rows/columns 0). */
export function invertSymmetric(
  a: ArrayLike<number>,
  n: number,
  toler = DEFAULT_CHOLESKY_TOLERANCE,
): { inverse: Float64Array; rank: number; redundant: readonly boolean[] } {
  const f = ldlDecompose(a, n, toler);
  return { inverse: ldlInverse(f), rank: f.rank, redundant: f.redundant };
}

/** Solves A x = b for symmetric positive (semi-)definite A; redundant components of x are 0. */
export function solveSymmetric(
  a: ArrayLike<number>,
  n: number,
  b: ArrayLike<number>,
  toler = DEFAULT_CHOLESKY_TOLERANCE,
): Float64Array {
  return ldlSolve(ldlDecompose(a, n, toler), b);
}

/**
 * The quadratic form bᵀ A⁻ b and the rank of A, with A⁻ the generalised inverse above: the Wald /
 * score statistic of R survival's `coxph.wtest` (df = rank).
 */
export function quadraticFormInverse(
  a: ArrayLike<number>,
  n: number,
  b: ArrayLike<number>,
  toler = DEFAULT_CHOLESKY_TOLERANCE,
): { statistic: number; rank: number } {
  const f = ldlDecompose(a, n, toler);
  const x = ldlSolve(f, b);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] as number) * (b[i] as number);
  return { statistic: s, rank: f.rank };
}

/** The sandwich product V M V for symmetric n × n row-major V (bread) and M (meat); symmetric result. */
export function sandwich(v: ArrayLike<number>, meat: ArrayLike<number>, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (v[i * n + k] as number) * (meat[k * n + j] as number);
      t[i * n + j] = s;
    }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (t[i * n + k] as number) * (v[k * n + j] as number);
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  return out;
}
