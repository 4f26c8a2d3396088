/**
 * Generalized linear models: gaussian (identity), binomial (logit), Poisson (log) and negative
 * binomial (log, θ by maximum likelihood as MASS::glm.nb), with model-based, HC0, HC1 and
 * cluster-robust (sandwich::vcovCL) variances.
 */

import { type Warning, warning } from "../../messages.js";
import {
  normalQuantile,
  normalTwoSidedP,
  studentTQuantile,
  studentTTwoSidedP,
} from "../distributions/index.js";
import { InsufficientDataError, InvalidInputError } from "../errors.js";
import type { ConfidenceInterval } from "../result.js";
import { freezeResult } from "../result.js";
import {
  type DesignColumn,
  type FactorColumn,
  type GroupLabel,
  INTERCEPT_NAME,
  type PreparedData,
  prepareData,
} from "./design.js";
import {
  FAMILY_BINOMIAL,
  FAMILY_GAUSSIAN,
  FAMILY_NEGBIN,
  FAMILY_POISSON,
  type FamilyCode,
  factorColumnCounts,
  type IrlsData,
  type IrlsFit,
  irls,
  linearPredictor,
  modelWidth,
  scoreResiduals,
  toModelVector,
  weightedCrossprod,
} from "./irls.js";
import { sandwichProduct } from "./matrix.js";
import { digamma, lchoose, lgamma, roundHalfEven, trigamma } from "./special.js";

export type GlmFamily = "gaussian" | "binomial" | "poisson" | "negativeBinomial";
export type GlmVariance = "model" | "HC0" | "HC1" | "cluster";

export interface GlmInput {
  /** Response: numeric (gaussian), 0/1 or proportions with `weights` = trials (binomial), counts. */
  readonly y: ArrayLike<number>;
  /** Design columns (no intercept column: it is added when `options.intercept` is true, the default). */
  readonly x: readonly DesignColumn[];
  /**
   * Categorical covariates in coded form (treatment coding, R contr.treatment). Model column order:
   * "(Intercept)", the `x` columns, then per factor (in the order given) its non-reference levels in
   * level order, named `names[level]` — the same fit as passing those dummies in `x` at the end.
   */
  readonly factors?: readonly FactorColumn[];
  /** Prior weights (R's `weights`): ≥ 0; zero-weight rows are dropped and counted. */
  readonly weights?: ArrayLike<number>;
  /** Offset on the linear-predictor scale (e.g. log exposure for Poisson). */
  readonly offset?: ArrayLike<number>;
  /** Cluster labels for `variance: "cluster"`. */
  readonly cluster?: ArrayLike<GroupLabel>;
}

export interface GlmOptions {
  readonly family: GlmFamily;
  /** Add an "(Intercept)" column first (default true). With false the model has no intercept (R's `~ 0 + …`). */
  readonly intercept?: boolean;
  readonly variance?: GlmVariance;
  /**
   * Cluster variance small-sample factor: "HC0" (default) = G/(G−1), R's `vcovCL(type = "HC0")` and
   * vcovCL's default for glm objects; "HC1" = G/(G−1)·(n−1)/(n−k), vcovCL's default for lm objects
   * and Stata's `vce(cluster)`.
   */
  readonly clusterAdjust?: "HC0" | "HC1";
  readonly confLevel?: number;
  /** Maximum IRLS iterations (default 100). */
  readonly maxIter?: number;
  /** Relative deviance change for convergence (default 1e-12). */
  readonly tol?: number;
}

export interface GlmCoefficient {
  readonly name: string;
  /** null when the column is aliased (R's NA). */
  readonly estimate: number | null;
  readonly se: number | null;
  /** z or t statistic. */
  readonly statistic: number | null;
  /** Residual df when the reference distribution is t; null for z. */
  readonly df: number | null;
  readonly pValue: number | null;
  readonly ci: ConfidenceInterval;
  readonly aliased: boolean;
}

export interface GlmResult {
  readonly family: GlmFamily;
  readonly link: "identity" | "logit" | "log";
  readonly coefficients: readonly GlmCoefficient[];
  /** The covariance used for the SEs (p×p, null rows/columns for aliased coefficients). */
  readonly vcov: readonly (readonly (number | null)[])[];
  readonly variance: GlmVariance;
  readonly referenceDistribution: "z" | "t";
  readonly deviance: number;
  readonly nullDeviance: number;
  readonly dfResidual: number;
  readonly dfNull: number;
  readonly rank: number;
  /** Log-likelihood as R's logLik() (null when undefined, e.g. non-integer Poisson counts). */
  readonly logLik: number | null;
  /** AIC as R's AIC() (NB counts θ as a parameter). */
  readonly aic: number | null;
  /** Dispersion used for model-based SEs: Pearson χ²/df for gaussian, 1 otherwise. */
  readonly dispersion: number;
  readonly iterations: number;
  readonly converged: boolean;
  /**
   * Negative binomial θ (R's `theta`, `SE.theta`); null for other families. When θ diverges (no
   * overdispersion) estimate and se are null, the coefficients are the Poisson limit and logLik/AIC
   * are null, with NOT_CONVERGED.
   */
  readonly theta: { readonly estimate: number | null; readonly se: number | null } | null;
  readonly nClusters: number | null;
  readonly hasIntercept: boolean;
  readonly n: number;
  readonly nExcluded: number;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

const FAMILY_CODE: Record<GlmFamily, FamilyCode> = {
  gaussian: FAMILY_GAUSSIAN,
  binomial: FAMILY_BINOMIAL,
  poisson: FAMILY_POISSON,
  negativeBinomial: FAMILY_NEGBIN,
};
const LINK: Record<GlmFamily, "identity" | "logit" | "log"> = {
  gaussian: "identity",
  binomial: "logit",
  poisson: "log",
  negativeBinomial: "log",
};

function checkResponse(fn: string, family: GlmFamily, d: PreparedData, warnings: Warning[]): boolean {
  const { y, weights: w, n } = d;
  let integerCounts = true;
  if (family === "binomial") {
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      if (v < 0 || v > 1) throw new InvalidInputError(fn, `binomial y must be in [0, 1] (row ${i}: ${v})`);
      const s = (w ? w[i]! : 1) * v;
      if (Math.abs(s - Math.round(s)) > 1e-8 * Math.max(1, Math.abs(s))) integerCounts = false;
    }
    if (!integerCounts) {
      warnings.push(
        warning(
          "NON_INTEGER_COUNTS",
          "weights × y are not whole numbers of successes (R: 'non-integer #successes in a binomial glm'); estimates and sandwich SEs are valid, logLik/AIC use rounded counts as R does",
        ),
      );
    }
  } else if (family === "poisson" || family === "negativeBinomial") {
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      if (v < 0) throw new InvalidInputError(fn, `${family} y must be ≥ 0 (row ${i}: ${v})`);
      if (v !== Math.floor(v)) integerCounts = false;
    }
    if (!integerCounts) {
      if (family === "negativeBinomial") {
        throw new InvalidInputError(fn, "negative binomial y must be whole counts");
      }
      warnings.push(
        warning(
          "NON_INTEGER_COUNTS",
          "y is not integer: the Poisson estimating equations are used (quasi-likelihood); logLik and AIC are not defined",
        ),
      );
    }
  }
  return integerCounts;
}

const LGAMMA_CACHE = new Float64Array(1025);
for (let k = 0; k < LGAMMA_CACHE.length; k++) LGAMMA_CACHE[k] = lgamma(k + 1);
/** log(y!) for whole y ≥ 0. */
function logFactorial(y: number): number {
  return y < LGAMMA_CACHE.length ? LGAMMA_CACHE[y]! : lgamma(y + 1);
}

/**
 * Log-likelihood as R's logLik.glm / logLik.negbin. `mu` (fitted means) is needed only for
 * weighted binomial (R rounds w and w·y) and negative binomial; otherwise the likelihood follows
 * from the deviance and the saturated log-likelihood.
 */
function logLikelihood(
  family: GlmFamily,
  d: PreparedData,
  mu: () => Float64Array,
  deviance: number,
  theta: number,
  integerCounts: boolean,
): number | null {
  const { y, weights: w, n } = d;
  let ll = 0;
  switch (family) {
    case "gaussian": {
      let slw = 0;
      if (w) for (let i = 0; i < n; i++) slw += Math.log(w[i]!);
      return -0.5 * n * (Math.log((2 * Math.PI * deviance) / n) + 1) + 0.5 * slw;
    }
    case "binomial": {
      let binary = !w;
      if (binary) {
        for (let i = 0; i < n; i++) {
          const v = y[i]!;
          if (v !== 0 && v !== 1) {
            binary = false;
            break;
          }
        }
      }
      // y ∈ {0,1} with unit weights: the saturated log-likelihood is 0.
      if (binary) return -0.5 * deviance;
      const m = mu();
      for (let i = 0; i < n; i++) {
        const size = roundHalfEven(w ? w[i]! : 1);
        const k = roundHalfEven((w ? w[i]! : 1) * y[i]!);
        const p = m[i]!;
        let term = k > 0 && k < size ? lchoose(size, k) : 0;
        if (k > 0) term += k * Math.log(p);
        if (size - k > 0) term += (size - k) * Math.log1p(-p);
        ll += term;
      }
      return ll;
    }
    case "poisson": {
      if (!integerCounts) return null;
      // log dpois(y, μ) = −[y log(y/μ) − (y − μ)] + y log y − y − log y!
      let sat = 0;
      for (let i = 0; i < n; i++) {
        const yi = y[i]!;
        sat += (w ? w[i]! : 1) * ((yi > 0 ? yi * Math.log(yi) : 0) - yi - logFactorial(yi));
      }
      return -0.5 * deviance + sat;
    }
    default: {
      const m = mu();
      for (let i = 0; i < n; i++) {
        const yi = y[i]!;
        const mi = m[i]!;
        ll +=
          (w ? w[i]! : 1) *
          (lgamma(theta + yi) -
            lgamma(theta) -
            logFactorial(yi) +
            theta * Math.log(theta) +
            yi * Math.log(mi + (yi === 0 ? 1 : 0)) -
            (theta + yi) * Math.log(theta + mi));
      }
      return ll;
    }
  }
}

function fittedMeans(family: FamilyCode, eta: Float64Array): Float64Array {
  const mu = new Float64Array(eta.length);
  const eps = Number.EPSILON;
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]!;
    if (family === FAMILY_GAUSSIAN) mu[i] = e;
    else if (family === FAMILY_BINOMIAL) {
      if (e < -30) mu[i] = eps / (1 + eps);
      else if (e > 30) mu[i] = 1 / eps / (1 + 1 / eps);
      else {
        const ex = Math.exp(e);
        mu[i] = ex / (1 + ex);
      }
    } else {
      const ex = Math.exp(e);
      mu[i] = Math.max(ex, eps);
    }
  }
  return mu;
}

/**
 * θ by maximum likelihood given the means (MASS::theta.ml: Newton on the score, started at the
 * moment estimate n/Σw(y/μ−1)²), iterated to |Δθ| ≤ 1e-12·θ instead of MASS's ε^¼.
 */
export function thetaMl(
  y: Float64Array,
  mu: Float64Array,
  w: Float64Array | null,
  start?: number,
): { theta: number; se: number; converged: boolean } {
  const n = y.length;
  let sw = 0;
  let t0 = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    sw += wi;
    const q = y[i]! / mu[i]! - 1;
    t0 += wi * q * q;
  }
  let th = start !== undefined && start > 0 ? start : sw / t0;
  let info = Number.NaN;
  let converged = false;
  for (let it = 0; it < 200; it++) {
    th = Math.abs(th);
    let score = 0;
    info = 0;
    const dgth = digamma(th);
    const tgth = trigamma(th);
    const lth = Math.log(th);
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i]! : 1;
      const yi = y[i]!;
      const mi = mu[i]!;
      const mt = mi + th;
      score += wi * (digamma(th + yi) - dgth + lth + 1 - Math.log(mt) - (yi + th) / mt);
      info += wi * (-trigamma(th + yi) + tgth - 1 / th + 2 / mt - (yi + th) / (mt * mt));
    }
    const del = score / info;
    th += del;
    if (!Number.isFinite(th) || th > 1e10) break;
    if (Math.abs(del) <= 1e-12 * Math.abs(th)) {
      converged = true;
      break;
    }
  }
  return { theta: th, se: Math.sqrt(1 / info), converged };
}

/** Deviance at the linear predictor offset + c (c a constant), one pass. */
function devianceAtConstant(data: IrlsData, c: number): number {
  const { n, y, weights: w, offset } = data;
  if (!offset) {
    // Constant mean: no exponentials per row.
    const eps = Number.EPSILON;
    let dev = 0;
    if (data.family === FAMILY_GAUSSIAN) {
      for (let i = 0; i < n; i++) {
        const r = y[i]! - c;
        dev += (w ? w[i]! : 1) * r * r;
      }
      return dev;
    }
    if (data.family === FAMILY_BINOMIAL) {
      const mu = c < -30 ? eps / (1 + eps) : c > 30 ? 1 / eps / (1 + 1 / eps) : 1 / (1 + Math.exp(-c));
      const lmu = Math.log(mu);
      const l1mu = Math.log1p(-mu);
      for (let i = 0; i < n; i++) {
        const yi = y[i]!;
        const wi = w ? w[i]! : 1;
        if (yi === 0) dev -= wi * l1mu;
        else if (yi === 1) dev -= wi * lmu;
        else dev += wi * (yi * Math.log(yi / mu) + (1 - yi) * Math.log((1 - yi) / (1 - mu)));
      }
      return 2 * dev;
    }
  }
  const fit = irls(
    { ...data, cols: [new Float64Array(n).fill(1)], factors: null },
    { tol: 0, maxIter: 0, start: Float64Array.of(c) },
  );
  return fit.deviance;
}

/**
 * Null deviance as R: with an intercept and no offset, the deviance at the weighted mean of y; with
 * an offset, the deviance of the intercept-only fit (glm() refits it); without an intercept, the
 * deviance at μ = g⁻¹(offset).
 */
function nullDeviance(d: PreparedData, data: IrlsData, tol: number, maxIter: number): number {
  const { n, y, weights: w } = d;
  if (!d.hasIntercept) return devianceAtConstant(data, 0);
  let sw = 0;
  let swy = 0;
  let swe = 0;
  let swo = 0;
  const off = d.offset;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    sw += wi;
    swy += wi * y[i]!;
    if (off) {
      swe += wi * Math.exp(off[i]!);
      swo += wi * off[i]!;
    }
  }
  const ybar = swy / sw;
  const link = (m: number): number =>
    data.family === FAMILY_GAUSSIAN
      ? m
      : data.family === FAMILY_BINOMIAL
        ? Math.log(m / (1 - m))
        : Math.log(m);
  if (!off) return devianceAtConstant(data, link(ybar));
  // Intercept-only fit with the offset, started at the Poisson closed form / mean-offset guess.
  let start: number;
  if (data.family === FAMILY_GAUSSIAN) start = ybar - swo / sw;
  else if (data.family === FAMILY_BINOMIAL) start = link(Math.min(Math.max(ybar, 1e-8), 1 - 1e-8)) - swo / sw;
  else start = Math.log(Math.max(swy, 1e-300) / swe);
  const fit = irls(
    { ...data, cols: [new Float64Array(n).fill(1)], factors: null },
    { tol, maxIter, start: Float64Array.of(start) },
  );
  return fit.deviance;
}

/** Sandwich covariance B·M·B with B = (X'WX)⁻¹ and the requested meat. */
function robustVcov(
  data: IrlsData,
  fit: IrlsFit,
  variance: GlmVariance,
  cluster: Int32Array | null,
  nClusters: number,
  clusterAdjust: "HC0" | "HC1",
): Float64Array {
  const p = modelWidth(data);
  const r = scoreResiduals(data, fit.beta);
  const meat = new Float64Array(p * p);
  const n = data.n;
  const k = fit.rank;
  const kept: number[] = [];
  for (let j = 0; j < p; j++) if (!fit.aliased[j]) kept.push(j);
  if (variance === "cluster") {
    const u = new Float64Array(nClusters * p);
    // Dense columns (all of them with factors: re-based factor columns are formed from the intercept's).
    const denseCols = data.factors ? data.cols.map((_, j) => j) : kept;
    for (const j of denseCols) {
      if (j >= data.cols.length) continue;
      const xj = data.cols[j]!;
      for (let i = 0; i < n; i++) u[cluster![i]! * p + j] = u[cluster![i]! * p + j]! + r[i]! * xj[i]!;
    }
    if (data.factors) {
      // Factor columns: u[g, c] += r_i for each factor column c of row i (aliased ones not read below).
      const { rowPtr, col } = data.factors;
      for (let i = 0; i < n; i++) {
        const base = cluster![i]! * p;
        const ri = r[i]!;
        for (let e = rowPtr[i]!; e < rowPtr[i + 1]!; e++) u[base + col[e]!] = u[base + col[e]!]! + ri;
      }
      for (let gi = 0; gi < nClusters; gi++) toModelVector(data.factors, u, gi * p);
    }
    for (let gi = 0; gi < nClusters; gi++) {
      const base = gi * p;
      for (const a of kept) {
        const ua = u[base + a]!;
        if (ua === 0) continue;
        for (const b of kept) meat[a * p + b] = meat[a * p + b]! + ua * u[base + b]!;
      }
    }
    let adj = nClusters / (nClusters - 1);
    if (clusterAdjust === "HC1") adj *= (n - 1) / (n - k);
    for (let i = 0; i < p * p; i++) meat[i] = meat[i]! * adj;
  } else {
    const r2 = new Float64Array(n);
    for (let i = 0; i < n; i++) r2[i] = r[i]! * r[i]!;
    meat.set(weightedCrossprod(data, r2));
    for (let a = 0; a < p; a++) {
      if (!fit.aliased[a]) continue;
      for (let b = 0; b < p; b++) {
        meat[a * p + b] = 0;
        meat[b * p + a] = 0;
      }
    }
    if (variance === "HC1") {
      const adj = n / (n - k);
      for (let i = 0; i < p * p; i++) meat[i] = meat[i]! * adj;
    }
  }
  return sandwichProduct(fit.xtwxInverse, meat, p);
}

/**
 * Fits a generalized linear model by IRLS (R `glm()`; negative binomial as `MASS::glm.nb`).
 *
 * Families and links: gaussian/identity, binomial/logit (y in {0,1}, or proportions with
 * `weights` = trials), poisson/log, negativeBinomial/log with θ by maximum likelihood, alternating
 * θ (Newton on its score, MASS::theta.ml) and β (IRLS given θ) until both settle; coefficient SEs are
 * conditional on θ and θ's SE is MASS's `SE.theta`. Convergence: R's relative deviance criterion
 * |Δdev|/(|dev|+0.1) < tol (default 1e-12) plus a negligible next Newton step.
 *
 * Variance: "model" = dispersion·(X'WX)⁻¹ (dispersion = Pearson χ²/df.residual for gaussian, 1
 * otherwise, as summary.glm); "HC0"/"HC1" = sandwich::vcovHC(type = "HC0"/"HC1") (HC1 = n/(n−k));
 * "cluster" = sandwich::vcovCL(fit, cluster, type = "HC0"), i.e. G/(G−1)·Σ_g u_g u_g′ in the meat, for
 * every family (for gaussian this is vcovCL's glm default, not its lm default HC1, which
 * `clusterAdjust: "HC1"` selects). Inference: t(df.residual) for gaussian (summary.glm, coeftest on
 * lm), z otherwise (summary.glm, coeftest on glm); Wald CIs (confint.default).
 *
 * Rank-deficient designs: aliased columns (a later column in the span of earlier ones, R's order)
 * get null estimates like R's NA, with SINGULAR_DESIGN (or CONSTANT_COVARIATE); separation and
 * zero cells (fitted means at the boundary) give SEPARATION; NaN rows are excluded and counted.
 */
export function glm(input: GlmInput, options: GlmOptions): GlmResult {
  const fn = "glm";
  const family = options.family;
  if (!(family in FAMILY_CODE)) throw new InvalidInputError(fn, `unknown family "${String(family)}"`);
  const variance = options.variance ?? "model";
  if (!["model", "HC0", "HC1", "cluster"].includes(variance)) {
    throw new InvalidInputError(fn, `unknown variance "${variance}"`);
  }
  const confLevel = options.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) throw new InvalidInputError(fn, "confLevel must be in (0, 1)");
  const tol = options.tol ?? 1e-12;
  const maxIter = options.maxIter ?? 100;
  const clusterAdjust = options.clusterAdjust ?? "HC0";
  if (variance === "cluster" && !input.cluster)
    throw new InvalidInputError(fn, 'variance "cluster" needs input.cluster');

  const d = prepareData(
    fn,
    {
      y: input.y,
      x: input.x,
      factors: input.factors,
      weights: input.weights,
      offset: input.offset,
      group: variance === "cluster" ? input.cluster : undefined,
    },
    options.intercept ?? true,
  );
  const p = d.p;
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
  if (d.n < p) throw new InsufficientDataError(fn, p, d.n);
  const integerCounts = checkResponse(fn, family, d, warnings);

  const code = FAMILY_CODE[family];
  let data: IrlsData = {
    n: d.n,
    cols: d.cols,
    factors: d.factors,
    y: d.y,
    weights: d.weights,
    offset: d.offset,
    family: code === FAMILY_NEGBIN ? FAMILY_POISSON : code,
    theta: Number.POSITIVE_INFINITY,
  };
  let fit = irls(data, { tol, maxIter });
  let theta: { estimate: number | null; se: number | null } | null = null;
  let converged = fit.converged;
  let iterations = fit.iterations;
  if (code === FAMILY_NEGBIN) {
    let mu = fittedMeans(FAMILY_POISSON, linearPredictor(data, fit.beta));
    let th = thetaMl(d.y, mu, d.weights);
    let thetaOk = th.converged;
    let alternations = 0;
    let settled = false;
    while (alternations < maxIter && thetaOk) {
      alternations++;
      data = { ...data, family: FAMILY_NEGBIN, theta: th.theta };
      fit = irls(data, { tol, maxIter, start: fit.beta, aliased: fit.aliased });
      iterations += fit.iterations;
      mu = fittedMeans(FAMILY_NEGBIN, linearPredictor(data, fit.beta));
      const next = thetaMl(d.y, mu, d.weights, th.theta);
      thetaOk = next.converged;
      const change = Math.abs(next.theta - th.theta);
      th = next;
      if (change <= 1e-11 * th.theta && fit.converged) {
        settled = true;
        break;
      }
    }
    if (settled) {
      // Final β given the final θ (SEs conditional on θ).
      data = { ...data, family: FAMILY_NEGBIN, theta: th.theta };
      fit = irls(data, { tol, maxIter, start: fit.beta, aliased: fit.aliased });
      iterations += fit.iterations;
    }
    converged = settled && fit.converged;
    if (!settled) {
      warnings.push(
        warning(
          "NOT_CONVERGED",
          thetaOk
            ? "the θ/β alternation did not settle"
            : "θ diverges (no overdispersion: the Poisson model may suffice) or its Newton iteration failed",
          { theta: th.theta },
        ),
      );
    }
    theta = settled
      ? { estimate: th.theta, se: Number.isFinite(th.se) ? th.se : null }
      : { estimate: null, se: null };
  } else if (!fit.converged) {
    warnings.push(warning("NOT_CONVERGED", `IRLS stopped after ${fit.iterations} iterations`));
  }

  // Aliasing diagnostics.
  const aliasedNames: string[] = [];
  const constantNames: string[] = [];
  const pd = d.cols.length;
  let factorCounts: Float64Array | null = null;
  for (let j = 0; j < p; j++) {
    if (!fit.aliased[j]) continue;
    let constant = true;
    if (j < pd) {
      const col = d.cols[j]!;
      for (let i = 1; i < d.n; i++) {
        if (col[i] !== col[0]) {
          constant = false;
          break;
        }
      }
    } else {
      // A factor column is constant when its level is absent (all 0) or on every row (all 1).
      factorCounts ??= factorColumnCounts(d.factors!, d.n);
      constant = factorCounts[j] === 0 || factorCounts[j] === d.n;
    }
    if (constant) constantNames.push(d.names[j]!);
    else aliasedNames.push(d.names[j]!);
  }
  if (constantNames.length > 0) {
    warnings.push(
      warning(
        "CONSTANT_COVARIATE",
        `${constantNames.join(", ")} (coefficient not estimable, reported as null)`,
        {
          columns: constantNames,
        },
      ),
    );
  }
  if (aliasedNames.length > 0) {
    warnings.push(
      warning(
        "SINGULAR_DESIGN",
        `${aliasedNames.join(", ")} ${aliasedNames.length === 1 ? "is a" : "are"} linear combination(s) of earlier columns (coefficient reported as null, as R's NA)`,
        { columns: aliasedNames },
      ),
    );
  }
  if (fit.boundary > 0) {
    warnings.push(
      warning(
        "SEPARATION",
        family === "binomial"
          ? `fitted probabilities numerically 0 or 1 for ${fit.boundary} row(s); the diverging coefficients and their SEs are not meaningful`
          : `fitted means numerically 0 for ${fit.boundary} row(s) (a zero cell); the diverging coefficients and their SEs are not meaningful`,
        { rows: fit.boundary },
      ),
    );
  }

  const rank = fit.rank;
  const dfResidual = d.n - rank;
  const dfNull = d.n - (d.hasIntercept ? 1 : 0);
  let dispersion = 1;
  if (code === FAMILY_GAUSSIAN) {
    dispersion = dfResidual > 0 ? fit.pearson / dfResidual : Number.NaN;
    if (!(dfResidual > 0)) {
      warnings.push(warning("NO_RESIDUAL_DF", `n = ${d.n} observations for ${rank} coefficients`));
    }
  }

  let nClusters: number | null = null;
  let vc: Float64Array;
  if (variance === "model") {
    vc = new Float64Array(p * p);
    for (let i = 0; i < p * p; i++) vc[i] = dispersion * fit.xtwxInverse[i]!;
  } else {
    if (variance === "cluster") {
      nClusters = d.groupLabels.length;
      if (nClusters < 2) throw new InvalidInputError(fn, "cluster variance needs at least 2 clusters");
      if (nClusters < 30)
        warnings.push(warning("FEW_CLUSTERS", `${nClusters} clusters`, { clusters: nClusters }));
    }
    if ((variance === "HC1" || (variance === "cluster" && clusterAdjust === "HC1")) && !(dfResidual > 0)) {
      warnings.push(warning("NO_RESIDUAL_DF", "the HC1 factor n/(n−k) is undefined"));
    }
    vc = robustVcov(data, fit, variance, d.group, nClusters ?? 0, clusterAdjust);
  }

  const useT = code === FAMILY_GAUSSIAN;
  const tDf = dfResidual;
  const q = useT
    ? dfResidual > 0
      ? studentTQuantile(0.5 + confLevel / 2, tDf)
      : Number.NaN
    : normalQuantile(0.5 + confLevel / 2);
  const coefficients: GlmCoefficient[] = [];
  for (let j = 0; j < p; j++) {
    const name = d.names[j]!;
    if (fit.aliased[j]) {
      coefficients.push({
        name,
        estimate: null,
        se: null,
        statistic: null,
        df: useT ? tDf : null,
        pValue: null,
        ci: { lower: null, upper: null, level: confLevel },
        aliased: true,
      });
      continue;
    }
    const est = fit.beta[j]!;
    const v = vc[j * p + j]!;
    const se = v >= 0 && Number.isFinite(v) ? Math.sqrt(v) : null;
    const stat = se !== null && se > 0 ? est / se : null;
    const pValue =
      stat === null ? null : useT ? (tDf > 0 ? studentTTwoSidedP(stat, tDf) : null) : normalTwoSidedP(stat);
    const ok = se !== null && Number.isFinite(q);
    coefficients.push({
      name,
      estimate: est,
      se,
      statistic: stat,
      df: useT ? tDf : null,
      pValue,
      ci: { lower: ok ? est - q * se : null, upper: ok ? est + q * se : null, level: confLevel },
      aliased: false,
    });
  }
  const vcov: (number | null)[][] = [];
  for (let i = 0; i < p; i++) {
    const row: (number | null)[] = [];
    for (let j = 0; j < p; j++) row.push(fit.aliased[i] || fit.aliased[j] ? null : vc[i * p + j]!);
    vcov.push(row);
  }

  const nullDev = nullDeviance(d, data, tol, maxIter);
  const finalData = data;
  const finalBeta = fit.beta;
  const ll =
    family === "negativeBinomial" && theta?.estimate == null
      ? null
      : logLikelihood(
          family,
          d,
          () => fittedMeans(finalData.family, linearPredictor(finalData, finalBeta)),
          fit.deviance,
          theta?.estimate ?? 0,
          integerCounts,
        );
  const nParams = rank + (family === "gaussian" || family === "negativeBinomial" ? 1 : 0);
  const aic = ll === null ? null : -2 * ll + 2 * nParams;

  const varianceLabel =
    variance === "model"
      ? family === "gaussian"
        ? "model-based variance (dispersion = Pearson χ²/df)"
        : "model-based variance (dispersion 1)"
      : variance === "cluster"
        ? `cluster-robust sandwich variance (sandwich::vcovCL type ${clusterAdjust}: G/(G−1)${clusterAdjust === "HC1" ? "·(n−1)/(n−k)" : ""})`
        : `${variance} sandwich variance (sandwich::vcovHC)`;
  const method = `GLM ${family === "negativeBinomial" ? "negative binomial (θ by ML, MASS::glm.nb)" : family} (${LINK[family]} link), IRLS; ${varianceLabel}; Wald ${useT ? "t(df.residual)" : "z"} tests and CIs`;

  return freezeResult({
    family,
    link: LINK[family],
    coefficients,
    vcov,
    variance,
    referenceDistribution: useT ? "t" : "z",
    deviance: fit.deviance,
    nullDeviance: nullDev,
    dfResidual,
    dfNull,
    rank,
    logLik: ll,
    aic,
    dispersion,
    iterations,
    converged,
    theta,
    nClusters,
    hasIntercept: d.hasIntercept,
    n: d.n,
    nExcluded: d.nMissing + d.nZeroWeight,
    method,
    warnings,
  });
}

export interface GlmPrediction {
  /** Linear predictor η = offset + Xβ (NaN where a covariate or offset is missing). */
  readonly link: Float64Array;
  /** Fitted mean μ = g⁻¹(η) (probability for binomial). */
  readonly response: Float64Array;
  /** Rows with missing covariates (their predictions are NaN). */
  readonly nMissing: number;
}

/**
 * Linear predictor and fitted mean for new (or the original) rows from a glm() result (R
 * `predict.glm(type = "link" | "response")`). Columns are matched by name (dense columns in `x`,
 * factor columns through `options.factors`' level names); the intercept is added when the fit has
 * one; aliased coefficients contribute 0 (as R's predict on a rank-deficient fit). Rows with a
 * missing covariate (NaN, or factor code −1) get NaN and are counted in `nMissing`.
 */
export function predictGlm(
  fit: GlmResult,
  x: readonly DesignColumn[],
  options: { readonly offset?: ArrayLike<number>; readonly factors?: readonly FactorColumn[] } = {},
): GlmPrediction {
  const fn = "predictGlm";
  const byName = new Map<string, ArrayLike<number>>();
  for (const c of x) byName.set(c.name, c.values);
  // Factor columns: name → (factor, level).
  const factors = options.factors ?? [];
  const byLevel = new Map<string, { f: number; level: number }>();
  factors.forEach((f, k) => {
    for (let l = 0; l < f.nLevels; l++) if (l !== f.reference) byLevel.set(f.names[l]!, { f: k, level: l });
  });
  const levelBeta = factors.map((f) => new Float64Array(f.nLevels));
  let n = -1;
  for (const c of x) {
    if (n === -1) n = c.values.length;
    else if (c.values.length !== n) throw new InvalidInputError(fn, "columns differ in length");
  }
  for (const f of factors) {
    if (n === -1) n = f.codes.length;
    else if (f.codes.length !== n) throw new InvalidInputError(fn, "columns differ in length");
  }
  if (options.offset) {
    if (n === -1) n = options.offset.length;
    else if (options.offset.length !== n)
      throw new InvalidInputError(fn, "offset and columns differ in length");
  }
  if (n === -1) throw new InvalidInputError(fn, "no columns given: pass at least one column (or an offset)");
  const eta = new Float64Array(n);
  if (options.offset) for (let i = 0; i < n; i++) eta[i] = options.offset[i]!;
  for (const c of fit.coefficients) {
    if (c.estimate === null || c.estimate === 0) continue;
    if (c.name === INTERCEPT_NAME && fit.hasIntercept) {
      for (let i = 0; i < n; i++) eta[i] = eta[i]! + c.estimate;
      continue;
    }
    const v = byName.get(c.name);
    if (!v) {
      const lv = byLevel.get(c.name);
      if (!lv) throw new InvalidInputError(fn, `column "${c.name}" is missing`);
      levelBeta[lv.f]![lv.level] = c.estimate;
      continue;
    }
    const b = c.estimate;
    for (let i = 0; i < n; i++) eta[i] = eta[i]! + b * (v[i] as number);
  }
  factors.forEach((f, k) => {
    const lb = levelBeta[k]!;
    const codes = f.codes;
    for (let i = 0; i < n; i++) {
      const c = codes[i]!;
      if (c >= 0 && c < f.nLevels) eta[i] = eta[i]! + lb[c]!;
      else if (c === -1) eta[i] = Number.NaN;
      else
        throw new InvalidInputError(
          fn,
          `factor ${f.name ?? k + 1} has code ${c} at row ${i} (levels 0…${f.nLevels - 1}, −1 = missing)`,
        );
    }
  });
  let nMissing = 0;
  for (let i = 0; i < n; i++) {
    const e = eta[i]!;
    if (Number.isNaN(e)) nMissing++;
    else if (!Number.isFinite(e)) throw new InvalidInputError(fn, `infinite linear predictor at row ${i}`);
  }
  const response = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = eta[i]!;
    response[i] = fit.link === "identity" ? e : fit.link === "log" ? Math.exp(e) : 1 / (1 + Math.exp(-e));
  }
  return { link: eta, response, nMissing };
}
