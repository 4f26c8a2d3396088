/**
 * Internal: Brent's root finder (Brent 1973, "Algorithms for Minimization without Derivatives",
 * ch. 4; the zeroin algorithm R's `uniroot` also uses) on a bracketing interval [a, b] with
 * f(a)·f(b) ≤ 0. Iterates to |b − a| ≤ 4·ε·|b| + tol, i.e. to machine precision with tol = 0.
 */
export function brentRoot(
  f: (x: number) => number,
  lower: number,
  upper: number,
  tol = 0,
  maxIter = 200,
): number {
  let a = lower;
  let b = upper;
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (fa * fb > 0 || Number.isNaN(fa) || Number.isNaN(fb)) {
    throw new RangeError(`brentRoot: f(${a}) = ${fa} and f(${b}) = ${fb} do not bracket a root`);
  }
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < maxIter; iter++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : xm > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return b;
}

/**
 * Internal: finds x with f(x) = 0 for a monotone f, expanding a bracket from `start` by doubling the
 * step (up to `maxExpand` times) before calling {@link brentRoot}. Returns null if no sign change is
 * found.
 */
export function monotoneRoot(
  f: (x: number) => number,
  start: number,
  step: number,
  maxExpand = 60,
): number | null {
  let lo = start - step;
  let hi = start + step;
  let flo = f(lo);
  let fhi = f(hi);
  let width = step;
  for (let i = 0; i < maxExpand && flo * fhi > 0; i++) {
    width *= 2;
    if (Math.abs(flo) < Math.abs(fhi)) {
      lo -= width;
      flo = f(lo);
    } else {
      hi += width;
      fhi = f(hi);
    }
  }
  if (!(flo * fhi <= 0)) return null;
  return brentRoot(f, lo, hi);
}
