/**
 * Seeded pseudo-random numbers for the synthetic cohort generator. Never the unseeded global generator.
 *
 * Core: xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 2021; reference C code at https://prng.di.unimi.it/xoshiro128starstar.c), seeded from
 * SplitMix32 outputs so that every (seed, domain, person, stream) key gives an independent,
 * reproducible stream. Per-person streams make a cohort's rows independent of chunk size and let one
 * outcome module change without shifting the random numbers of another.
 */

/** One SplitMix32 step on a 32-bit state; returns the new state and the output (both uint32). */
export function splitmix32(state: number): { state: number; value: number } {
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return { state: s >>> 0, value: z >>> 0 };
}

/** Mixes a list of 32-bit integers into one 32-bit key (murmur3-style finaliser per word). */
export function mixKey(...words: number[]): number {
  let h = 0x2545f491;
  for (const w of words) {
    let k = Math.imul(w | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Splits a non-negative safe integer seed into its low and high 32-bit words. */
export function seedWords(seed: number): [number, number] {
  const lo = seed % 4294967296;
  const hi = Math.floor(seed / 4294967296);
  return [lo >>> 0, hi >>> 0];
}

const TWO_POW_NEG_32 = 1 / 4294967296;

/**
 * xoshiro128** generator with helpers for the distributions the generator needs. All draws are
 * deterministic functions of the seed state. Not cryptographic.
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal = 0;
  private hasSpare = false;

  /** Creates a generator seeded from one 32-bit key (see {@link Rng.reseed}). */
  constructor(key = 0) {
    this.reseed(key);
  }

  /** Seeds the four state words from four SplitMix32 outputs of `key` (never all zero). */
  reseed(key: number): this {
    let st = key >>> 0;
    let r = splitmix32(st);
    this.s0 = r.value | 0;
    st = r.state;
    r = splitmix32(st);
    this.s1 = r.value | 0;
    st = r.state;
    r = splitmix32(st);
    this.s2 = r.value | 0;
    st = r.state;
    r = splitmix32(st);
    this.s3 = r.value | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.hasSpare = false;
    return this;
  }

  /** Sets the raw state (for checking against the reference C implementation). */
  setState(a: number, b: number, c: number, d: number): this {
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
    this.hasSpare = false;
    return this;
  }

  /** Next 32-bit output as an unsigned integer. */
  nextU32(): number {
    const s1 = this.s1;
    let r = Math.imul(s1, 5);
    r = (r << 7) | (r >>> 25);
    r = Math.imul(r, 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return r >>> 0;
  }

  /** Uniform on the open interval (0, 1), resolution 2^−32. */
  uniform(): number {
    return (this.nextU32() + 0.5) * TWO_POW_NEG_32;
  }

  /** Integer uniform on [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo + 1));
  }

  /** true with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Standard normal by the Marsaglia polar method (pairs; the spare is kept). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spareNormal;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /** Exponential with rate 1. */
  exponential(): number {
    return -Math.log(this.uniform());
  }

  /**
   * Gamma(shape, scale=1) by Marsaglia & Tsang (ACM TOMS 2000), with the u^(1/shape) boost for
   * shape < 1.
   */
  gamma(shape: number): number {
    if (shape < 1) {
      const g = this.gamma(shape + 1);
      return g * this.uniform() ** (1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x = 0;
      let v = 0;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /**
   * Poisson(mean): multiplication method for mean < 30, otherwise Hörmann's PTRS transformed
   * rejection ("The transformed rejection method for generating Poisson random variables", 1993).
   */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean < 30) {
      const limit = Math.exp(-mean);
      let k = 0;
      let p = this.uniform();
      while (p > limit) {
        k++;
        p *= this.uniform();
      }
      return k;
    }
    const slam = Math.sqrt(mean);
    const loglam = Math.log(mean);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (
        Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
        -mean + k * loglam - logFactorial(k)
      ) {
        return k;
      }
    }
  }

  /** Number of failures before the first success in Bernoulli(p) trials (support 0, 1, 2, …). */
  geometric(p: number): number {
    if (p >= 1) return 0;
    if (!(p > 0)) return Number.POSITIVE_INFINITY;
    return Math.floor(Math.log(this.uniform()) / Math.log1p(-p));
  }

  /** Binomial(n, p) by summing Bernoulli trials (n is small here). */
  binomial(n: number, p: number): number {
    let k = 0;
    for (let i = 0; i < n; i++) if (this.uniform() < p) k++;
    return k;
  }

  /** Index drawn from cumulative weights (last entry = total). */
  pickCumulative(cumulative: ArrayLike<number>): number {
    const last = cumulative.length - 1;
    const u = this.uniform() * (cumulative[last] as number);
    for (let i = 0; i < last; i++) if (u < (cumulative[i] as number)) return i;
    return last;
  }
}

const LOG_FACT_TABLE: number[] = [0];
/** log(k!) — exact sum for k ≤ 256, Stirling series beyond. */
export function logFactorial(k: number): number {
  if (k <= 256) {
    for (let i = LOG_FACT_TABLE.length; i <= k; i++) {
      LOG_FACT_TABLE.push((LOG_FACT_TABLE[i - 1] as number) + Math.log(i));
    }
    return LOG_FACT_TABLE[k] as number;
  }
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/** Cumulative sums of weights, for {@link Rng.pickCumulative}. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i] as number;
    out[i] = s;
  }
  return out;
}
