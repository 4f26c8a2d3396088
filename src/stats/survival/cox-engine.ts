/**
 * The computational core of the Cox model: one backward pass over the sorted data computing the
 * partial log-likelihood, score and information (Breslow or Efron ties, strata, case weights,
 * counting-process risk sets), and the Newton–Raphson iteration with step halving of R survival's
 * `coxfit6`/`agfit4` (Therneau & Grambsch 2000, ch. 3; survival 3.x C sources).
 *
 * Risk sums are cumulative over time (O(n·p²) per pass after one sort; the Efron substeps of a tied
 * time reduce to a few scalar sums, so ties cost O(1) each), about 0.1 s per pass over a million rows. Covariates arrive centred (see cox-data.ts); the Newton step
 * is solved on survival's scaled information (S·I·S, S = diag(scale)) so that the rank detection of
 * `cholesky2` sees the same matrix as in R.
 */
import { DEFAULT_CHOLESKY_TOLERANCE, ldlDecompose, ldlInverse, ldlSolve } from "../linalg/index.js";
import type { CoxData } from "./cox-data.js";

export type CoxTies = "efron" | "breslow";

/** Per distinct event time (ascending within stratum, strata in order): quantities for residuals, curves and cox.zph. */
export interface CoxEventDetail {
  readonly nTimes: number;
  readonly time: Float64Array;
  readonly stratum: Int32Array;
  /** Event times of stratum s occupy [timeBounds[s], timeBounds[s+1]). */
  readonly timeBounds: Int32Array;
  readonly nDead: Int32Array;
  readonly deadWeight: Float64Array;
  /** Baseline hazard increment Σₖ hₖ (risk scores exp(η − shift), η on centred covariates). */
  readonly dLambda: Float64Array;
  /** Efron correction Σₖ (k/d)·hₖ (0 for Breslow). */
  readonly efronC1: Float64Array;
  /** Σₖ wₐᵥₑ / Dₖ² (survfit.coxph's variance increment). */
  readonly varHaz: Float64Array;
  /** nTimes × p: Σₖ hₖ·x̄ₖ. */
  readonly dXLambda: Float64Array;
  /** nTimes × p: Σₖ (k/d)·hₖ·x̄ₖ. */
  readonly efronCx: Float64Array;
  /** nTimes × p: x̄ averaged over the Efron substeps (Schoenfeld residual centre). */
  readonly xbarS: Float64Array;
  /** nTimes × p: score contribution Σ_deaths w·x − deadWeight·x̄ₛ (only with `zph`). */
  readonly uT: Float64Array | null;
  /** nTimes × p × p: information contribution (only with `zph`). */
  readonly vT: Float64Array | null;
  /** Risk scores are exp(η − shift). */
  readonly shift: number;
}

export interface CoxPass {
  readonly loglik: number;
  readonly score: Float64Array;
  /** p × p row-major. */
  readonly info: Float64Array;
  /** Linear predictor on the centred covariates, sorted order. */
  readonly eta: Float64Array;
  readonly shift: number;
  readonly detail: CoxEventDetail | null;
}

export interface CoxPassOptions {
  readonly detail?: boolean;
  readonly zph?: boolean;
}

/** log L, U and I at β (β on the centred active covariates), with optional per-event-time detail. */
export function coxPass(
  d: CoxData,
  beta: ArrayLike<number>,
  ties: CoxTies,
  opts: CoxPassOptions = {},
): CoxPass {
  const n = d.n;
  const p = d.pa;
  const { stop, start, status, weight, strataBounds, startOrder } = d;
  const efron = ties === "efron";
  const xr = d.xRow;
  const eta = new Float64Array(n);
  const wr = new Float64Array(n);
  let maxEta = Number.NEGATIVE_INFINITY;
  for (let i = 0, base = 0; i < n; i++, base += p) {
    let e = 0;
    for (let j = 0; j < p; j++) e += (beta[j] as number) * (xr[base + j] as number);
    eta[i] = e;
    if (e > maxEta) maxEta = e;
    wr[i] = (weight[i] as number) * Math.exp(e);
  }
  // Risk scores are exp(η − shift); shift only when exp would overflow or underflow wholesale.
  const shift = Math.abs(maxEta) > 300 && Number.isFinite(maxEta) ? maxEta : 0;
  if (shift !== 0)
    for (let i = 0; i < n; i++) wr[i] = (weight[i] as number) * Math.exp((eta[i] as number) - shift);

  const wantDetail = opts.detail === true || opts.zph === true;
  const wantZph = opts.zph === true;
  const cap = wantDetail ? Math.max(d.nEvents, 1) : 0;
  const dTime = new Float64Array(cap);
  const dStratum = new Int32Array(cap);
  const dNDead = new Int32Array(cap);
  const dDeadW = new Float64Array(cap);
  const dLam = new Float64Array(cap);
  const dC1 = new Float64Array(cap);
  const dVarH = new Float64Array(cap);
  const dXL = new Float64Array(cap * p);
  const dCx = new Float64Array(cap * p);
  const dXbS = new Float64Array(cap * p);
  const dUT = wantZph ? new Float64Array(cap * p) : null;
  const dVT = wantZph ? new Float64Array(cap * p * p) : null;
  let nTimes = 0;

  const u = new Float64Array(p);
  const info = new Float64Array(p * p);
  const a = new Float64Array(p);
  const cm = new Float64Array(p * p);
  const a2 = new Float64Array(p);
  const cm2 = new Float64Array(p * p);
  const xbar = new Float64Array(p);
  const sumWX = new Float64Array(p);
  let loglik = 0;
  const nStrata = strataBounds.length - 1;
  const timeBounds = new Int32Array(nStrata + 1);

  /** acc += sign·wr[i]·x_i, accM (upper triangle) += sign·wr[i]·x_i x_iᵀ. */
  const addRow = (i: number, r: number, acc: Float64Array, accM: Float64Array) => {
    const base = i * p;
    for (let j = 0; j < p; j++) {
      const rx = r * (xr[base + j] as number);
      acc[j] = (acc[j] as number) + rx;
      const row = j * p;
      for (let k = j; k < p; k++) accM[row + k] = (accM[row + k] as number) + rx * (xr[base + k] as number);
    }
  };

  for (let s = 0; s < nStrata; s++) {
    const b0 = strataBounds[s] as number;
    const b1 = strataBounds[s + 1] as number;
    timeBounds[s] = nTimes;
    let denom = 0;
    a.fill(0);
    cm.fill(0);
    let nrisk = 0;
    let ps = b1 - 1;
    let i = b1 - 1;
    while (i >= b0) {
      const t = stop[i] as number;
      if (start && startOrder) {
        let removed = false;
        while (ps >= b0) {
          const r = startOrder[ps] as number;
          if ((start[r] as number) < t) break;
          denom -= wr[r] as number;
          if (p > 0) addRow(r, -(wr[r] as number), a, cm);
          nrisk--;
          ps--;
          removed = true;
        }
        if (removed && nrisk === 0) {
          denom = 0;
          a.fill(0);
          cm.fill(0);
        }
      }
      let ndead = 0;
      let deadwt = 0;
      let denom2 = 0;
      let hasDead = false;
      while (i >= b0 && (stop[i] as number) === t) {
        const wri = wr[i] as number;
        if (status[i] === 1) {
          if (!hasDead) {
            hasDead = true;
            a2.fill(0);
            cm2.fill(0);
            sumWX.fill(0);
          }
          const wi = weight[i] as number;
          ndead++;
          deadwt += wi;
          loglik += wi * (eta[i] as number);
          for (let j = 0; j < p; j++) {
            const wx = wi * (xr[i * p + j] as number);
            u[j] = (u[j] as number) + wx;
            sumWX[j] = (sumWX[j] as number) + wx;
          }
          denom2 += wri;
          if (p > 0) addRow(i, wri, a2, cm2);
        } else {
          denom += wri;
          if (p > 0) addRow(i, wri, a, cm);
        }
        nrisk++;
        i--;
      }
      if (!hasDead) continue;
      const dTot = denom + denom2;
      for (let j = 0; j < p; j++) {
        a[j] = (a[j] as number) + (a2[j] as number);
        for (let k = j; k < p; k++) cm[j * p + k] = (cm[j * p + k] as number) + (cm2[j * p + k] as number);
      }
      const tIdx = nTimes;
      if (wantDetail) {
        dTime[tIdx] = t;
        dStratum[tIdx] = s;
        dNDead[tIdx] = ndead;
        dDeadW[tIdx] = deadwt;
      }
      if (!efron || ndead === 1) {
        loglik -= deadwt * (Math.log(dTot) + shift);
        for (let j = 0; j < p; j++) {
          const xb = (a[j] as number) / dTot;
          xbar[j] = xb;
          u[j] = (u[j] as number) - deadwt * xb;
        }
        for (let j = 0; j < p; j++)
          for (let k = j; k < p; k++) {
            const v = deadwt * ((cm[j * p + k] as number) / dTot - (xbar[j] as number) * (xbar[k] as number));
            info[j * p + k] = (info[j * p + k] as number) + v;
            if (dVT) dVT[tIdx * p * p + j * p + k] = v;
          }
        if (wantDetail) {
          const h = deadwt / dTot;
          dLam[tIdx] = h;
          dVarH[tIdx] = deadwt / (dTot * dTot);
          for (let j = 0; j < p; j++) {
            dXL[tIdx * p + j] = h * (xbar[j] as number);
            dXbS[tIdx * p + j] = xbar[j] as number;
            if (dUT) dUT[tIdx * p + j] = (sumWX[j] as number) - deadwt * (xbar[j] as number);
          }
        }
      } else {
        // Efron: substep k (f = k/d) uses D_k = D − f·D₂, x̄_k = (A − f·A₂)/D_k. The sums over k
        // need only the scalars Σ1/D_k, Σf/D_k, Σ1/D_k², Σf/D_k², Σf²/D_k² and Σ log D_k.
        const wtave = deadwt / ndead;
        let s0 = 0;
        let s1 = 0;
        let t0 = 0;
        let t1 = 0;
        let t2 = 0;
        let logSum = 0;
        for (let kk = 0; kk < ndead; kk++) {
          const f = kk / ndead;
          const dk = dTot - f * denom2;
          const inv = 1 / dk;
          const inv2 = inv * inv;
          logSum += Math.log(dk);
          s0 += inv;
          s1 += f * inv;
          t0 += inv2;
          t1 += f * inv2;
          t2 += f * f * inv2;
        }
        loglik -= wtave * (logSum + ndead * shift);
        for (let j = 0; j < p; j++) {
          const aj = a[j] as number;
          const a2j = a2[j] as number;
          u[j] = (u[j] as number) - wtave * (aj * s0 - a2j * s1);
          for (let k = j; k < p; k++) {
            const ak = a[k] as number;
            const a2k = a2[k] as number;
            const v =
              wtave *
              ((cm[j * p + k] as number) * s0 -
                (cm2[j * p + k] as number) * s1 -
                (aj * ak * t0 - (aj * a2k + a2j * ak) * t1 + a2j * a2k * t2));
            info[j * p + k] = (info[j * p + k] as number) + v;
            if (dVT) dVT[tIdx * p * p + j * p + k] = v;
          }
        }
        if (wantDetail) {
          dLam[tIdx] = wtave * s0;
          dC1[tIdx] = wtave * s1;
          dVarH[tIdx] = wtave * t0;
          for (let j = 0; j < p; j++) {
            const aj = a[j] as number;
            const a2j = a2[j] as number;
            dXL[tIdx * p + j] = wtave * (aj * t0 - a2j * t1);
            dCx[tIdx * p + j] = wtave * (aj * t1 - a2j * t2);
            const xs = (aj * s0 - a2j * s1) / ndead;
            dXbS[tIdx * p + j] = xs;
            if (dUT) dUT[tIdx * p + j] = (sumWX[j] as number) - deadwt * xs;
          }
        }
      }
      denom = dTot;
      if (wantDetail) nTimes++;
    }
  }
  timeBounds[nStrata] = nTimes;
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) info[j * p + k] = info[k * p + j] as number;

  let detail: CoxEventDetail | null = null;
  if (wantDetail) {
    // Reverse each stratum's block so event times ascend.
    const rev = (arr: Float64Array | Int32Array, width: number) => {
      for (let s = 0; s < nStrata; s++) {
        let lo = timeBounds[s] as number;
        let hi = (timeBounds[s + 1] as number) - 1;
        while (lo < hi) {
          for (let q = 0; q < width; q++) {
            const t = arr[lo * width + q] as number;
            arr[lo * width + q] = arr[hi * width + q] as number;
            arr[hi * width + q] = t;
          }
          lo++;
          hi--;
        }
      }
    };
    rev(dTime, 1);
    rev(dStratum, 1);
    rev(dNDead, 1);
    rev(dDeadW, 1);
    rev(dLam, 1);
    rev(dC1, 1);
    rev(dVarH, 1);
    rev(dXL, p);
    rev(dCx, p);
    rev(dXbS, p);
    if (dUT) rev(dUT, p);
    if (dVT) {
      for (let q = 0; q < nTimes; q++) {
        const base = q * p * p;
        for (let j = 0; j < p; j++)
          for (let k = 0; k < j; k++) dVT[base + j * p + k] = dVT[base + k * p + j] as number;
      }
      rev(dVT, p * p);
    }
    detail = {
      nTimes,
      time: dTime.subarray(0, nTimes),
      stratum: dStratum.subarray(0, nTimes),
      timeBounds,
      nDead: dNDead.subarray(0, nTimes),
      deadWeight: dDeadW.subarray(0, nTimes),
      dLambda: dLam.subarray(0, nTimes),
      efronC1: dC1.subarray(0, nTimes),
      varHaz: dVarH.subarray(0, nTimes),
      dXLambda: dXL.subarray(0, nTimes * p),
      efronCx: dCx.subarray(0, nTimes * p),
      xbarS: dXbS.subarray(0, nTimes * p),
      uT: dUT ? dUT.subarray(0, nTimes * p) : null,
      vT: dVT ? dVT.subarray(0, nTimes * p * p) : null,
      shift,
    };
  }
  return { loglik, score: u, info, eta, shift, detail };
}

export interface CoxNewtonOptions {
  readonly ties: CoxTies;
  /** Initial β on the active covariates (default 0). */
  readonly init: Float64Array;
  readonly maxIter: number;
  readonly eps: number;
  readonly tolerChol?: number;
  readonly tolerInf?: number;
}

export interface CoxNewtonResult {
  readonly beta: Float64Array;
  readonly loglikInit: number;
  readonly loglik: number;
  readonly scoreInit: Float64Array;
  /** Score test at init: U(init)ᵀ I(init)⁻ U(init). */
  readonly scoreTest: number;
  readonly score: Float64Array;
  readonly info: Float64Array;
  /** Generalised inverse of the information at the final β (redundant rows/columns 0). */
  readonly variance: Float64Array;
  readonly redundant: readonly boolean[];
  readonly rank: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Per coefficient: the log-likelihood converged while the next Newton step is still large (β → ±∞). */
  readonly infinite: readonly boolean[];
}

function scaledFactor(info: Float64Array, scale: Float64Array, p: number, toler: number) {
  const s = new Float64Array(p * p);
  for (let j = 0; j < p; j++)
    for (let k = 0; k < p; k++)
      s[j * p + k] = (info[j * p + k] as number) * (scale[j] as number) * (scale[k] as number);
  return ldlDecompose(s, p, toler);
}

/** Newton step I⁻U computed through the scaled factor. */
function newtonStep(
  f: ReturnType<typeof ldlDecompose>,
  u: Float64Array,
  scale: Float64Array,
  p: number,
): Float64Array {
  const su = new Float64Array(p);
  for (let j = 0; j < p; j++) su[j] = (u[j] as number) * (scale[j] as number);
  const y = ldlSolve(f, su);
  for (let j = 0; j < p; j++) y[j] = (y[j] as number) * (scale[j] as number);
  return y;
}

function scaledInverse(f: ReturnType<typeof ldlDecompose>, scale: Float64Array, p: number): Float64Array {
  const v = ldlInverse(f);
  for (let j = 0; j < p; j++)
    for (let k = 0; k < p; k++)
      v[j * p + k] = (v[j * p + k] as number) * (scale[j] as number) * (scale[k] as number);
  return v;
}

/**
 * Newton–Raphson with step halving, step for step as survival's coxfit6: converged when
 * |1 − L_old/L_new| ≤ eps outside a halving step; a step that lowers log L is halved; `maxIter = 0`
 * evaluates at `init` only (R `iter.max = 0`), `maxIter = 1` returns one Newton step.
 */
export function coxNewton(d: CoxData, opts: CoxNewtonOptions): CoxNewtonResult {
  const p = d.pa;
  const tolerChol = opts.tolerChol ?? DEFAULT_CHOLESKY_TOLERANCE;
  const tolerInf = opts.tolerInf ?? Math.sqrt(1e-9);
  const scale = d.scale;
  let beta = Float64Array.from(opts.init);
  const first = coxPass(d, beta, opts.ties);
  let f = scaledFactor(first.info, scale, p, tolerChol);
  const a = newtonStep(f, first.score, scale, p);
  let scoreTest = 0;
  for (let j = 0; j < p; j++) scoreTest += (first.score[j] as number) * (a[j] as number);
  const loglikInit = first.loglik;
  let newbeta = new Float64Array(p);
  for (let j = 0; j < p; j++) newbeta[j] = (beta[j] as number) + (a[j] as number);
  if (opts.maxIter === 0) {
    return {
      beta,
      loglikInit,
      loglik: loglikInit,
      scoreInit: first.score,
      scoreTest,
      score: first.score,
      info: first.info,
      variance: scaledInverse(f, scale, p),
      redundant: f.redundant,
      rank: f.rank,
      iterations: 0,
      converged: true,
      infinite: new Array<boolean>(p).fill(false),
    };
  }
  let loglikOld = loglikInit;
  let halving = false;
  let iter = 1;
  let pass = first;
  let converged = false;
  for (; iter <= opts.maxIter; iter++) {
    pass = coxPass(d, newbeta, opts.ties);
    const newlk = pass.loglik;
    f = scaledFactor(pass.info, scale, p, tolerChol);
    if (!halving && Number.isFinite(newlk) && Math.abs(1 - loglikOld / newlk) <= opts.eps) {
      converged = true;
      loglikOld = newlk;
      beta = newbeta;
      break;
    }
    if (iter === opts.maxIter) break;
    if (!Number.isFinite(newlk) || newlk < loglikOld) {
      halving = true;
      const nb = new Float64Array(p);
      for (let j = 0; j < p; j++) nb[j] = ((newbeta[j] as number) + (beta[j] as number)) / 2;
      newbeta = nb;
    } else {
      halving = false;
      loglikOld = newlk;
      const step = newtonStep(f, pass.score, scale, p);
      beta = newbeta;
      const nb = new Float64Array(p);
      for (let j = 0; j < p; j++) nb[j] = (newbeta[j] as number) + (step[j] as number);
      newbeta = nb;
    }
  }
  if (!converged) {
    loglikOld = pass.loglik;
    beta = newbeta;
    iter = Math.min(iter, opts.maxIter);
  }
  const variance = scaledInverse(f, scale, p);
  const infinite: boolean[] = new Array<boolean>(p).fill(false);
  if (opts.maxIter > 1) {
    for (let j = 0; j < p; j++) {
      if (f.redundant[j]) continue;
      let step = 0;
      for (let k = 0; k < p; k++) step += (pass.score[k] as number) * (variance[k * p + j] as number);
      const b = beta[j] as number;
      if (!Number.isFinite(pass.score[j] as number) || Math.abs(step) > tolerInf * (1 + Math.abs(b)))
        infinite[j] = true;
    }
  }
  return {
    beta,
    loglikInit,
    loglik: loglikOld,
    scoreInit: first.score,
    scoreTest,
    score: pass.score,
    info: pass.info,
    variance,
    redundant: f.redundant,
    rank: f.rank,
    iterations: iter,
    converged,
    infinite,
  };
}
