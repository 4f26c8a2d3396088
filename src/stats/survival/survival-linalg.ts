/**
 * Small dense symmetric solves for the k-sample test statistics (internal).
 */

/**
 * u' M⁻ u for a symmetric positive semi-definite q×q matrix M (row-major), by an LDLᵀ
 * factorisation in which a pivot below `toler`·max|diag| is treated as zero (that direction is
 * dropped, giving a generalized inverse — survival's `cholesky2` convention). Also returns the rank.
 */
export function quadraticFormGinv(
  M: Float64Array,
  u: Float64Array,
  q: number,
  toler = 1e-9,
): { value: number; rank: number } {
  const a = Float64Array.from(M);
  let maxDiag = 0;
  for (let i = 0; i < q; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * q + i] as number));
  const eps = toler * maxDiag;
  const zero = new Uint8Array(q);
  let rank = 0;
  for (let i = 0; i < q; i++) {
    const pivot = a[i * q + i] as number;
    if (!(pivot > eps)) {
      zero[i] = 1;
      for (let j = i; j < q; j++) a[j * q + i] = 0;
      continue;
    }
    rank++;
    for (let j = i + 1; j < q; j++) {
      const temp = (a[j * q + i] as number) / pivot;
      a[j * q + i] = temp;
      a[j * q + j] = (a[j * q + j] as number) - temp * temp * pivot;
      for (let k = j + 1; k < q; k++)
        a[k * q + j] = (a[k * q + j] as number) - temp * (a[k * q + i] as number);
    }
  }
  // forward solve L z = u, then value = Σ z_i² / d_i over nonzero pivots
  const z = Float64Array.from(u);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < i; j++) z[i] = (z[i] as number) - (a[i * q + j] as number) * (z[j] as number);
  }
  let value = 0;
  for (let i = 0; i < q; i++) {
    if (zero[i] === 1) continue;
    value += ((z[i] as number) * (z[i] as number)) / (a[i * q + i] as number);
  }
  return { value, rank };
}
