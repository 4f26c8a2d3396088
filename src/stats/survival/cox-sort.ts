/**
 * Sorting helpers for the Cox code: a stable O(n) least-significant-digit radix argsort of doubles
 * (11-bit digits over the IEEE-754 bit pattern; a counting sort when the keys are integers in a
 * modest range, e.g. day numbers) and a stable counting sort by small integer codes.
 */

/**
 * Stable ascending argsort of finite doubles (−0 sorts just before +0). `index` (optional) restricts
 * and orders the input: the result is a permutation of `index` (default 0..n−1).
 */
export function radixArgsort(keys: ArrayLike<number>, index?: Int32Array): Int32Array {
  const m = index ? index.length : keys.length;
  let src = new Int32Array(m);
  if (index) src.set(index);
  else for (let i = 0; i < m; i++) src[i] = i;
  if (m < 2) return src;
  // Fast path: integer keys with a modest range (e.g. whole days) — one stable counting sort.
  {
    let mn = Number.POSITIVE_INFINITY;
    let mx = Number.NEGATIVE_INFINITY;
    let integral = true;
    for (let k = 0; k < m; k++) {
      const v = keys[src[k] as number] as number;
      if (v !== Math.floor(v) || (v === 0 && 1 / v < 0)) {
        integral = false;
        break;
      }
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    if (integral && mx - mn < 1 << 22 && mx - mn < 4 * m + 65536) {
      const range = mx - mn + 1;
      const count = new Int32Array(range + 1);
      for (let k = 0; k < m; k++) {
        const d = (keys[src[k] as number] as number) - mn;
        count[d + 1] = (count[d + 1] as number) + 1;
      }
      for (let d = 1; d <= range; d++) count[d] = (count[d] as number) + (count[d - 1] as number);
      const out = new Int32Array(m);
      for (let k = 0; k < m; k++) {
        const i = src[k] as number;
        const d = (keys[i] as number) - mn;
        const pos = count[d] as number;
        count[d] = pos + 1;
        out[pos] = i;
      }
      return out;
    }
  }
  // Order-preserving 64-bit keys (hi, lo words), moved along with the indices so that every pass
  // reads sequentially; 11-bit digits (6 passes, 2048 buckets), skipping constant digits.
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  f64[0] = -1;
  const hiWord = u32[1] === 0xbff00000 ? 1 : 0;
  const loWord = 1 - hiWord;
  let kl = new Uint32Array(m);
  let kh = new Uint32Array(m);
  for (let k = 0; k < m; k++) {
    f64[0] = keys[src[k] as number] as number;
    let h = u32[hiWord] as number;
    let l = u32[loWord] as number;
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
    }
    kh[k] = h;
    kl[k] = l;
  }
  // LSD radix on the high word only (3 passes: 11 + 11 + 10 bits), carrying the low word; then runs
  // with equal high words (rare for continuous data) are ordered by the low word.
  let dst = new Int32Array(m);
  let kl2 = new Uint32Array(m);
  let kh2 = new Uint32Array(m);
  const count = new Int32Array(2049);
  const dig = new Uint16Array(m);
  for (const [shift, bits] of [
    [0, 11],
    [11, 11],
    [22, 10],
  ] as const) {
    const mask = (1 << bits) - 1;
    const nb = 1 << bits;
    count.fill(0);
    for (let k = 0; k < m; k++) {
      const d = ((kh[k] as number) >>> shift) & mask;
      dig[k] = d;
      count[d + 1] = (count[d + 1] as number) + 1;
    }
    let constant = false;
    for (let d = 1; d <= nb; d++) {
      const c = count[d] as number;
      if (c === m) constant = true;
      if (c > 0) break;
    }
    if (constant) continue;
    for (let d = 1; d <= nb; d++) count[d] = (count[d] as number) + (count[d - 1] as number);
    for (let k = 0; k < m; k++) {
      const d = dig[k] as number;
      const pos = count[d] as number;
      count[d] = pos + 1;
      dst[pos] = src[k] as number;
      kl2[pos] = kl[k] as number;
      kh2[pos] = kh[k] as number;
    }
    const ti = src;
    src = dst;
    dst = ti;
    let tu = kl;
    kl = kl2;
    kl2 = tu;
    tu = kh;
    kh = kh2;
    kh2 = tu;
  }
  // Order runs of equal high word by the low word (stable): insertion sort for short runs, a
  // comparator sort of the run otherwise.
  let r0 = 0;
  while (r0 < m) {
    const h = kh[r0] as number;
    let r1 = r0 + 1;
    while (r1 < m && kh[r1] === h) r1++;
    const len = r1 - r0;
    if (len > 1) {
      let sorted = true;
      for (let k = r0 + 1; k < r1; k++)
        if ((kl[k] as number) < (kl[k - 1] as number)) {
          sorted = false;
          break;
        }
      if (!sorted) {
        if (len <= 32) {
          for (let k = r0 + 1; k < r1; k++) {
            const lv = kl[k] as number;
            const iv = src[k] as number;
            let q = k - 1;
            while (q >= r0 && (kl[q] as number) > lv) {
              kl[q + 1] = kl[q] as number;
              src[q + 1] = src[q] as number;
              q--;
            }
            kl[q + 1] = lv;
            src[q + 1] = iv;
          }
        } else {
          const idx = Array.from({ length: len }, (_, q) => r0 + q);
          idx.sort((a, b) => (kl[a] as number) - (kl[b] as number) || a - b);
          const lv = idx.map((q) => kl[q] as number);
          const iv = idx.map((q) => src[q] as number);
          for (let q = 0; q < len; q++) {
            kl[r0 + q] = lv[q] as number;
            src[r0 + q] = iv[q] as number;
          }
        }
      }
    }
    r0 = r1;
  }
  return src;
}

/** Stable counting sort of `order` by the non-negative integer `codes[order[k]]` (< nCodes). */
export function stableSortByCode(order: Int32Array, codes: Int32Array, nCodes: number): Int32Array {
  if (nCodes <= 1) return order;
  const start = new Int32Array(nCodes + 1);
  for (let k = 0; k < order.length; k++) {
    const c = codes[order[k] as number] as number;
    start[c + 1] = (start[c + 1] as number) + 1;
  }
  for (let c = 1; c <= nCodes; c++) start[c] = (start[c] as number) + (start[c - 1] as number);
  const out = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    const c = codes[i] as number;
    const pos = start[c] as number;
    start[c] = pos + 1;
    out[pos] = i;
  }
  return out;
}
