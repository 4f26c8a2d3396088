/** Special functions and a 1-D minimiser for the regression fitters (private). */
import gammaln from "@stdlib/math-base-special-gammaln";

/** log Γ(x) (R `lgamma`). */
export function lgamma(x: number): number {
  return gammaln(x);
}

/** log choose(n, k) for real n ≥ k ≥ 0 (R `lchoose`). */
export function lchoose(n: number, k: number): number {
  return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
}

/** Digamma ψ(x) for x > 0: upward recurrence to x ≥ 10, then the asymptotic series. */
export function digamma(x: number): number {
  let r = 0;
  while (x < 10) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  const t =
    f *
    (-1 / 12 +
      f *
        (1 / 120 +
          f *
            (-1 / 252 +
              f * (1 / 240 + f * (-1 / 132 + f * (691 / 32760 + f * (-1 / 12 + (f * 3617) / 8160)))))));
  return r + Math.log(x) - 0.5 / x + t;
}

/** Trigamma ψ′(x) for x > 0: upward recurrence to x ≥ 10, then the asymptotic series. */
export function trigamma(x: number): number {
  let r = 0;
  while (x < 10) {
    r += 1 / (x * x);
    x += 1;
  }
  const f = 1 / (x * x);
  const t =
    1 / x +
    f / 2 +
    (f / x) *
      (1 / 6 + f * (-1 / 30 + f * (1 / 42 + f * (-1 / 30 + f * (5 / 66 + f * (-691 / 2730 + (f * 7) / 6))))));
  return r + t;
}

/** Rounds half to even, as R's `round()` does for exactly representable halves. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

/**
 * Brent's minimiser (R's `optimize`/`fmin` algorithm: golden section with parabolic steps) on
 * [a, b]; stops when the bracket is within 2·(√ε·|x| + tol/3).
 */
export function brentMinimize(
  f: (x: number) => number,
  a: number,
  b: number,
  tol = 1e-12,
  maxIter = 500,
): { x: number; fx: number; iterations: number } {
  const c = (3 - Math.sqrt(5)) * 0.5;
  const eps = Math.sqrt(Number.EPSILON);
  let v = a + c * (b - a);
  let w = v;
  let x = v;
  let d = 0;
  let e = 0;
  let fx = f(x);
  let fv = fx;
  let fw = fx;
  const tol3 = tol / 3;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    const xm = (a + b) * 0.5;
    const tol1 = eps * Math.abs(x) + tol3;
    const t2 = tol1 * 2;
    if (Math.abs(x - xm) <= t2 - (b - a) * 0.5) break;
    let pp = 0;
    let q = 0;
    let r = 0;
    if (Math.abs(e) > tol1) {
      r = (x - w) * (fx - fv);
      q = (x - v) * (fx - fw);
      pp = (x - v) * q - (x - w) * r;
      q = (q - r) * 2;
      if (q > 0) pp = -pp;
      else q = -q;
      r = e;
      e = d;
    }
    if (Math.abs(pp) >= Math.abs(q * 0.5 * r) || pp <= q * (a - x) || pp >= q * (b - x)) {
      e = x < xm ? b - x : a - x;
      d = c * e;
    } else {
      d = pp / q;
      const u = x + d;
      if (u - a < t2 || b - u < t2) d = x < xm ? tol1 : -tol1;
    }
    const u = Math.abs(d) >= tol1 ? x + d : d > 0 ? x + tol1 : x - tol1;
    const fu = f(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      w = x;
      x = u;
      fv = fw;
      fw = fx;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, fx, iterations: iter };
}
