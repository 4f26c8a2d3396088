/**
 * Linear mixed model with one random intercept per group, by REML or ML, with the likelihood
 * profiled over the variance ratio as lme4::lmer (Bates, Mächler, Bolker & Walker 2015, J Stat
 * Softw 67(1)).
 */
import { type Warning, warning } from "../../messages.js";
import { normalQuantile, normalTwoSidedP } from "../distributions/index.js";
import { InsufficientDataError, InvalidInputError } from "../errors.js";
import type { ConfidenceInterval } from "../result.js";
import { freezeResult } from "../result.js";
import { type DesignColumn, type GroupLabel, prepareData } from "./design.js";
import { choleskyInverse, choleskyLogDet, choleskySolve, pivotedCholesky } from "./matrix.js";
import { brentMinimize } from "./special.js";

export interface LmmInput {
  readonly y: ArrayLike<number>;
  /** Fixed-effect design columns (intercept added when `options.intercept` is true, the default). */
  readonly x: readonly DesignColumn[];
  /** Grouping factor of the random intercept. */
  readonly group: ArrayLike<GroupLabel>;
}

export interface LmmOptions {
  /** "REML" (default, lmer's default) or "ML". */
  readonly method?: "REML" | "ML";
  readonly intercept?: boolean;
  readonly confLevel?: number;
}

export interface LmmCoefficient {
  readonly name: string;
  readonly estimate: number;
  readonly se: number;
  /** Wald z = estimate/se (lme4 reports a "t value" without df; we use the normal reference). */
  readonly statistic: number;
  readonly pValue: number;
  /** Wald z interval, as confint(fit, method = "Wald"). */
  readonly ci: ConfidenceInterval;
}

export interface LmmResult {
  readonly method: string;
  readonly estimation: "REML" | "ML";
  readonly coefficients: readonly LmmCoefficient[];
  readonly vcov: readonly (readonly number[])[];
  /** Random-intercept variance σ²_group. */
  readonly sigma2Group: number;
  /** Residual variance σ². */
  readonly sigma2Residual: number;
  /** lme4's θ = σ_group/σ. */
  readonly theta: number;
  /** Intraclass correlation σ²_group/(σ²_group + σ²). */
  readonly icc: number;
  /** logLik(fit): the REML log-likelihood for REML fits (= −REMLcrit/2), else the ML log-likelihood. */
  readonly logLik: number;
  /** The criterion minimised: REMLcrit (REML) or deviance = −2·logLik (ML). */
  readonly deviance: number;
  readonly nGroups: number;
  readonly n: number;
  readonly nExcluded: number;
  readonly warnings: readonly Warning[];
}

/**
 * Fits y = Xβ + b_group + ε with b ~ N(0, σ²_g), ε ~ N(0, σ²) by REML or ML (lme4::lmer(y ~ x +
 * (1 | group))). The profiled criterion (σ² and β concentrated out) is a function of θ = σ_g/σ only;
 * it is evaluated in O(G·p² + p³) from per-group sums (Woodbury: V_g⁻¹ = I − θ²/(1+n_gθ²)·J), minimised
 * by Brent's method over θ, then polished by Newton steps on its analytic derivative, so the
 * estimates match lme4's objective to ~1e-12. Fixed-effect covariance σ̂²(X'V⁻¹X)⁻¹ as vcov.merMod;
 * lme4 gives no df, so tests and CIs use the normal reference (confint(method = "Wald")).
 */
export function lmm(input: LmmInput, options: LmmOptions = {}): LmmResult {
  const fn = "lmm";
  const estimation = options.method ?? "REML";
  if (estimation !== "REML" && estimation !== "ML")
    throw new InvalidInputError(fn, `unknown method "${String(estimation)}"`);
  const confLevel = options.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) throw new InvalidInputError(fn, "confLevel must be in (0, 1)");
  const d = prepareData(
    fn,
    { y: input.y, x: input.x, group: input.group },
    options.intercept ?? true,
    "group",
  );
  const warnings: Warning[] = [];
  if (d.nMissing > 0) {
    warnings.push(
      warning("MISSING_DROPPED", `${d.nMissing} row(s) with missing values`, { count: d.nMissing }),
    );
  }
  const { n, y, cols } = d;
  const p = cols.length;
  const group = d.group!;
  const nGroups = d.groupLabels.length;
  if (n <= p) throw new InsufficientDataError(fn, p + 1, n);
  if (nGroups < 2) throw new InvalidInputError(fn, "a random intercept needs at least 2 groups");

  // Sufficient statistics: X'X, X'y, y'y and per-group n_g, Σx, Σy.
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  let yty = 0;
  const ng = new Float64Array(nGroups);
  const sx = new Float64Array(nGroups * p);
  const sy = new Float64Array(nGroups);
  for (let i = 0; i < n; i++) {
    const gi = group[i]!;
    const yi = y[i]!;
    ng[gi] = ng[gi]! + 1;
    sy[gi] = sy[gi]! + yi;
    yty += yi * yi;
    for (let j = 0; j < p; j++) {
      const xj = cols[j]![i]!;
      sx[gi * p + j] = sx[gi * p + j]! + xj;
      xty[j] = xty[j]! + xj * yi;
      for (let k = j; k < p; k++) xtx[j * p + k] = xtx[j * p + k]! + xj * cols[k]![i]!;
    }
  }
  const fx = pivotedCholesky(xtx, p, 1e-10);
  if (fx.rank < p) {
    const names = d.names.filter((_, j) => fx.aliased[j]);
    throw new InvalidInputError(fn, `the fixed-effect design is rank deficient (${names.join(", ")})`);
  }

  const dfQ = estimation === "REML" ? n - p : n;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  /** Profiled quantities at γ = θ². */
  const profile = (gamma: number) => {
    a.set(xtx);
    b.set(xty);
    let q = yty;
    let logdetV = 0;
    for (let gi = 0; gi < nGroups; gi++) {
      const c = gamma / (1 + ng[gi]! * gamma);
      logdetV += Math.log1p(ng[gi]! * gamma);
      if (c === 0) continue;
      const base = gi * p;
      const syg = sy[gi]!;
      q -= c * syg * syg;
      for (let j = 0; j < p; j++) {
        const sj = sx[base + j]!;
        b[j] = b[j]! - c * sj * syg;
        for (let k = j; k < p; k++) a[j * p + k] = a[j * p + k]! - c * sj * sx[base + k]!;
      }
    }
    const f = pivotedCholesky(a, p, 0);
    const beta = choleskySolve(f, b);
    let bb = 0;
    for (let j = 0; j < p; j++) bb += b[j]! * beta[j]!;
    const quad = q - bb;
    const logdetA = choleskyLogDet(f);
    const dev =
      dfQ * (1 + Math.log((2 * Math.PI * quad) / dfQ)) + logdetV + (estimation === "REML" ? logdetA : 0);
    return { dev, beta, quad, f };
  };
  /** d(criterion)/dγ (analytic: envelope theorem for β, Woodbury derivatives). */
  const gradient = (gamma: number): number => {
    const pr = profile(gamma);
    let dq = 0;
    let dlogV = 0;
    const inv = estimation === "REML" ? choleskyInverse(pr.f) : null;
    let trace = 0;
    for (let gi = 0; gi < nGroups; gi++) {
      const ngi = ng[gi]!;
      const den = 1 + ngi * gamma;
      const base = gi * p;
      let s = sy[gi]!;
      for (let j = 0; j < p; j++) s -= sx[base + j]! * pr.beta[j]!;
      dq -= (s * s) / (den * den);
      dlogV += ngi / den;
      if (inv) {
        // tr(A⁻¹ dA/dγ) with dA/dγ = −Σ sx sxᵀ/den².
        let quadForm = 0;
        for (let j = 0; j < p; j++) {
          let t = 0;
          for (let k = 0; k < p; k++) t += inv[j * p + k]! * sx[base + k]!;
          quadForm += sx[base + j]! * t;
        }
        trace -= quadForm / (den * den);
      }
    }
    return (dfQ * dq) / pr.quad + dlogV + trace;
  };

  // Coarse grid over θ (lme4's scale-free parameter), then Brent, then Newton on the gradient in γ.
  const grid: number[] = [0];
  for (let e = -4; e <= 3.0001; e += 0.125) grid.push(10 ** e);
  let best = 0;
  let bestDev = Number.POSITIVE_INFINITY;
  // Extend the grid upward while the criterion still decreases at its end (very large θ).
  while (grid.length < 200) {
    const last = grid[grid.length - 1]!;
    if (profile(last * last).dev >= profile((last / 1.5) ** 2).dev || last > 1e12) break;
    grid.push(last * 10);
  }
  const devs = grid.map((t) => profile(t * t).dev);
  devs.forEach((v, i) => {
    if (v < bestDev) {
      bestDev = v;
      best = i;
    }
  });
  const lo = grid[Math.max(0, best - 1)]!;
  const hi = grid[Math.min(grid.length - 1, best + 1)]!;
  let theta = brentMinimize((t) => profile(t * t).dev, lo, hi, 1e-14 * Math.max(1, hi)).x;
  let boundary = false;
  if (best === 0 || theta <= 1e-6 * Math.max(hi, 1e-300)) {
    // At or next to the boundary: θ = 0 when the criterion increases from it.
    if (gradient(0) >= 0) {
      theta = 0;
      boundary = true;
    }
  }
  if (!boundary) {
    let gamma = theta * theta;
    for (let it = 0; it < 8; it++) {
      const g0 = gradient(gamma);
      const h = 1e-5 * gamma;
      const h2 = (gradient(gamma + h) - gradient(gamma - h)) / (2 * h);
      if (!(h2 > 0)) break;
      const next = gamma - g0 / h2;
      if (!(next > 0) || Math.abs(next - gamma) > 0.5 * gamma) break;
      const done = Math.abs(next - gamma) <= 1e-15 * gamma;
      if (profile(next).dev > profile(gamma).dev + 1e-12 * Math.abs(profile(gamma).dev)) break;
      gamma = next;
      if (done) break;
    }
    theta = Math.sqrt(gamma);
  }
  if (boundary) {
    warnings.push(warning("SINGULAR_FIT", "σ²_group = 0 (lme4: 'boundary (singular) fit')"));
  }
  const fin = profile(theta * theta);
  const sigma2 = fin.quad / dfQ;
  const inv = choleskyInverse(fin.f);
  const q = normalQuantile(0.5 + confLevel / 2);
  const coefficients: LmmCoefficient[] = [];
  const vcov: number[][] = [];
  for (let j = 0; j < p; j++) {
    const row: number[] = [];
    for (let k = 0; k < p; k++) row.push(sigma2 * inv[j * p + k]!);
    vcov.push(row);
    const est = fin.beta[j]!;
    const se = Math.sqrt(sigma2 * inv[j * p + j]!);
    const z = est / se;
    coefficients.push({
      name: d.names[j]!,
      estimate: est,
      se,
      statistic: z,
      pValue: normalTwoSidedP(z),
      ci: { lower: est - q * se, upper: est + q * se, level: confLevel },
    });
  }
  const sigma2Group = theta * theta * sigma2;
  return freezeResult({
    method: `Linear mixed model, random intercept (lme4::lmer conventions), ${estimation}; profiled criterion minimised over θ = σ_g/σ (Brent + Newton polish); Wald z tests and CIs (no df)`,
    estimation,
    coefficients,
    vcov,
    sigma2Group,
    sigma2Residual: sigma2,
    theta,
    icc: sigma2Group / (sigma2Group + sigma2),
    logLik: -0.5 * fin.dev,
    deviance: fin.dev,
    nGroups,
    n,
    nExcluded: d.nMissing,
    warnings,
  });
}
