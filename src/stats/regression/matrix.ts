/**
 * Small dense p×p helpers for the regression fitters (private to src/stats/regression/).
 * Matrices are row-major Float64Arrays of length p·p; only the upper triangle of a symmetric
 * input is read.
 */

/** Result of a Cholesky factorisation that skips (aliases) columns with negligible pivots. */
export interface PivotedCholesky {
  readonly p: number;
  /** Lower factor of the equilibrated kept submatrix, row-major p×p (aliased rows/cols are 0). */
  readonly l: Float64Array;
  /** Equilibration: scale[j] = 1/sqrt(A_jj) (0 for aliased columns). */
  readonly scale: Float64Array;
  /** true where column j was aliased (linearly dependent on earlier kept columns, or zero). */
  readonly aliased: readonly boolean[];
  readonly rank: number;
}

/**
 * Cholesky of the symmetric positive semi-definite A (upper triangle read), after equilibration to
 * unit diagonal. Columns are processed in order; column j is aliased when its pivot (1 − R² of
 * column j on the earlier kept columns, in A's inner product) is below `tol`. This mirrors R's
 * `qr(..., tol)` choice of which columns to drop (the later of two collinear columns goes), with
 * `tol` on the squared norm ratio.
 */
export function pivotedCholesky(
  a: Float64Array,
  p: number,
  tol = 1e-10,
  forced?: readonly boolean[],
): PivotedCholesky {
  const scale = new Float64Array(p);
  const aliased: boolean[] = new Array<boolean>(p).fill(false);
  for (let j = 0; j < p; j++) {
    const d = a[j * p + j]!;
    if (!(d > 0) || !Number.isFinite(d) || forced?.[j]) {
      aliased[j] = true;
    } else {
      scale[j] = 1 / Math.sqrt(d);
    }
  }
  const l = new Float64Array(p * p);
  let rank = 0;
  for (let j = 0; j < p; j++) {
    if (aliased[j]) continue;
    const sj = scale[j]!;
    let d = a[j * p + j]! * sj * sj;
    for (let k = 0; k < j; k++) {
      const v = l[j * p + k]!;
      d -= v * v;
    }
    if (!(d > tol)) {
      aliased[j] = true;
      scale[j] = 0;
      for (let k = 0; k < j; k++) l[j * p + k] = 0;
      continue;
    }
    const ljj = Math.sqrt(d);
    l[j * p + j] = ljj;
    rank++;
    for (let i = j + 1; i < p; i++) {
      if (aliased[i]) continue;
      // A is read from its upper triangle: A[j][i] with j < i.
      let s = a[j * p + i]! * sj * scale[i]!;
      for (let k = 0; k < j; k++) s -= l[i * p + k]! * l[j * p + k]!;
      l[i * p + j] = s / ljj;
    }
  }
  return { p, l, scale, aliased, rank };
}

/** Solves A x = b with a factor from pivotedCholesky; aliased components of x are 0. */
export function choleskySolve(f: PivotedCholesky, b: ArrayLike<number>): Float64Array {
  const { p, l, scale, aliased } = f;
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    if (aliased[i]) continue;
    let s = b[i]! * scale[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * z[k]!;
    z[i] = s / l[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    if (aliased[i]) continue;
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * z[k]!;
    z[i] = s / l[i * p + i]!;
  }
  for (let i = 0; i < p; i++) z[i] = aliased[i] ? 0 : z[i]! * scale[i]!;
  return z;
}

/** Inverse of A (kept block) from its factor; aliased rows and columns are 0. Full symmetric p×p. */
export function choleskyInverse(f: PivotedCholesky): Float64Array {
  const { p } = f;
  const inv = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (f.aliased[j]) continue;
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(f, e);
    for (let i = 0; i < p; i++) inv[i * p + j] = col[i]!;
  }
  // Symmetrise against rounding.
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      const v = 0.5 * (inv[i * p + j]! + inv[j * p + i]!);
      inv[i * p + j] = v;
      inv[j * p + i] = v;
    }
  }
  return inv;
}

/** log det of the kept block of A (sum over kept columns of log pivots, undoing equilibration). */
export function choleskyLogDet(f: PivotedCholesky): number {
  let s = 0;
  for (let j = 0; j < f.p; j++) {
    if (f.aliased[j]) continue;
    const ljj = f.l[j * f.p + j]!;
    s += 2 * Math.log(ljj) - 2 * Math.log(f.scale[j]!);
  }
  return s;
}

/** C = A · B · A for symmetric p×p A, B (row-major). */
export function sandwichProduct(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const t = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < p; k++) {
      const aik = a[i * p + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < p; j++) t[i * p + j] = t[i * p + j]! + aik * b[k * p + j]!;
    }
  }
  const c = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < p; k++) {
      const tik = t[i * p + k]!;
      if (tik === 0) continue;
      for (let j = 0; j < p; j++) c[i * p + j] = c[i * p + j]! + tik * a[k * p + j]!;
    }
  }
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      const v = 0.5 * (c[i * p + j]! + c[j * p + i]!);
      c[i * p + j] = v;
      c[j * p + i] = v;
    }
  }
  return c;
}

/** Copies the upper triangle of a row-major p×p matrix into the lower triangle. */
export function symmetrizeUpper(a: Float64Array, p: number): void {
  for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) a[j * p + i] = a[i * p + j]!;
}
