/**
 * Cox proportional hazards regression, numerically as R survival's `coxph` (3.x):
 * Newton–Raphson with step halving on the partial likelihood (coxfit6 / agfit4), Efron (default) or
 * Breslow ties, strata, case weights, right-censored or counting-process (start, stop] data, the
 * robust sandwich variance (sum of dfbeta cross-products, by cluster, no n/(n−1) factor), Wald,
 * likelihood-ratio, score and robust score tests, and Harrell's concordance of the linear predictor.
 * Reference: Therneau & Grambsch (2000), Modeling Survival Data, ch. 3 and appendix; R survival.
 */
import { type Warning, warning } from "../../messages.js";
import { mapToFloat64 } from "../../util/typed-map.js";
import { chiSquaredUpperTail, normalQuantile, normalTwoSidedP } from "../distributions/index.js";
import { InvalidInputError } from "../errors.js";
import { quadraticFormInverse, sandwich } from "../linalg/index.js";
import type { ConfidenceInterval, Estimate, TestResult } from "../result.js";
import { freezeResult } from "../result.js";
import { concordanceCore } from "./concordance.js";
import { type CoxData, type CoxInput, type CoxLabel, prepareCoxData } from "./cox-data.js";
import { type CoxNewtonResult, type CoxTies, coxNewton, coxPass } from "./cox-engine.js";
import { clusterScoreSums, coxResidualsSorted, crossProduct } from "./cox-residuals-core.js";

export type { CoxInput, CoxLabel } from "./cox-data.js";
export type { CoxTies } from "./cox-engine.js";

export interface CoxOptions {
  /** Tie handling (default "efron", as R). */
  readonly ties?: CoxTies;
  /**
   * Robust sandwich variance. Default as R: true when `cluster` is given or some weight is not an
   * integer, else false. (There is no `id` argument: for subjects with several rows, pass the subject
   * as `cluster`.) With robust = true and no cluster, each row is its own cluster.
   */
  readonly robust?: boolean;
  /** Coverage of the hazard-ratio intervals (default 0.95). */
  readonly confLevel?: number;
  /**
   * Maximum Newton–Raphson iterations (default 20, R's `iter.max`). 0 evaluates at `init` only
   * (R `iter.max = 0`); 1 returns one Newton step.
   */
  readonly maxIter?: number;
  /**
   * Convergence: stop when |1 − logL_old/logL_new| ≤ eps (default 1e-12; R's default is 1e-9,
   * which leaves β̂ accurate to about 1e-6 relative — 1e-12 gives about 1e-10).
   */
  readonly eps?: number;
  /** Initial coefficients, one per covariate (default 0). */
  readonly init?: readonly number[];
  /** survival's aeqSurv near-equal time merging (default true, R `timefix = TRUE`). */
  readonly timefix?: boolean;
  /** Relative pivot tolerance for rank detection (default ε^0.75, R `toler.chol`). */
  readonly tolerChol?: number;
  /** Monotone-likelihood detection threshold on the remaining Newton step (default √1e-9, R `toler.inf`). */
  readonly tolerInf?: number;
  /** Compute the concordance of the linear predictor (default true). */
  readonly concordance?: boolean;
}

/** One coefficient: `estimate` is β (log hazard ratio), `se`/`ci` on that scale use the variance in use. */
export interface CoxTerm extends Estimate {
  readonly name: string;
  readonly hazardRatio: number | null;
  readonly hazardRatioCi: ConfidenceInterval;
  readonly seModel: number | null;
  readonly seRobust: number | null;
  readonly z: number | null;
  readonly pValue: number | null;
}

export interface CoxConcordance {
  readonly estimate: number | null;
  readonly se: number | null;
  readonly concordant: number;
  readonly discordant: number;
  readonly tiedX: number;
  readonly tiedY: number;
  readonly tiedXY: number;
}

export interface CoxPHResult {
  readonly method: string;
  readonly ties: CoxTies;
  readonly robust: boolean;
  readonly names: readonly string[];
  readonly terms: readonly CoxTerm[];
  /** β per covariate (null when constant or aliased). */
  readonly coefficients: readonly (number | null)[];
  /** Variance in use (robust when robust), p × p, null rows/columns for dropped covariates. */
  readonly variance: readonly (readonly (number | null)[])[];
  readonly varianceModel: readonly (readonly (number | null)[])[];
  readonly varianceRobust: readonly (readonly (number | null)[])[] | null;
  /** log partial likelihood at `init` (the null model when init = 0), R `loglik[1]`. */
  readonly logLikInit: number | null;
  /** log partial likelihood at β̂, R `loglik[2]`. */
  readonly logLik: number | null;
  readonly tests: {
    readonly wald: TestResult;
    readonly likelihoodRatio: TestResult;
    readonly score: TestResult;
    readonly robustScore: TestResult | null;
  };
  readonly concordance: CoxConcordance | null;
  readonly n: number;
  readonly nEvents: number;
  readonly nExcluded: number;
  readonly nClusters: number | null;
  readonly strata: readonly CoxLabel[];
  readonly iterations: number;
  readonly converged: boolean;
  readonly confLevel: number;
  readonly warnings: readonly Warning[];
}

/** Internal state kept for residuals, curves and cox.zph (not part of the JSON result). */
export interface CoxState {
  readonly data: CoxData;
  readonly ties: CoxTies;
  /** β on the active covariates (0 for aliased ones). */
  readonly beta: Float64Array;
  readonly varianceModel: Float64Array;
  readonly variance: Float64Array;
  readonly redundant: readonly boolean[];
  readonly robust: boolean;
}

const STATE = new WeakMap<object, CoxState>();

/** The internal state of a fit made by `coxPH` (throws for other objects). */
export function coxState(fit: CoxPHResult): CoxState {
  const s = STATE.get(fit);
  if (!s) throw new InvalidInputError("cox", "not a result of coxPH (or the fit has no model state)");
  return s;
}

/** Registers state for a result object (used by fineGray). */
export function registerCoxState(fit: object, state: CoxState): void {
  STATE.set(fit, state);
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

function nullTest(method: string, n: number, nExcluded: number): TestResult {
  return { statistic: null, df: null, pValue: null, n, nExcluded, method, warnings: [] };
}

function chiTest(stat: number, df: number, method: string, n: number, nExcluded: number): TestResult {
  if (!(df > 0) || !Number.isFinite(stat)) return nullTest(method, n, nExcluded);
  return {
    statistic: stat,
    df,
    pValue: chiSquaredUpperTail(Math.max(stat, 0), df),
    n,
    nExcluded,
    method,
    nullDistribution: `chi-squared(${df})`,
    warnings: [],
  };
}

/** Expands an active-covariate p×p matrix to the full covariate set with nulls for dropped ones. */
function expandMatrix(m: Float64Array, d: CoxData, keep: readonly boolean[]): (number | null)[][] {
  const p = d.p;
  const pa = d.active.length;
  const pos = new Int32Array(p).fill(-1);
  for (let a = 0; a < pa; a++) if (keep[a]) pos[d.active[a] as number] = a;
  const out: (number | null)[][] = [];
  for (let j = 0; j < p; j++) {
    const row: (number | null)[] = [];
    for (let k = 0; k < p; k++) {
      const a = pos[j] as number;
      const b = pos[k] as number;
      row.push(a >= 0 && b >= 0 ? (m[a * pa + b] as number) : null);
    }
    out.push(row);
  }
  return out;
}

/** The robust sandwich V·(Σ_g s_g s_gᵀ)·V at the current fit; s_g = Σ_{i∈g} wᵢ·(score residual)ᵢ. */
function robustVariance(d: CoxData, beta: Float64Array, ties: CoxTies, v: Float64Array): Float64Array {
  const pa = d.pa;
  const pass = coxPass(d, beta, ties, { detail: true });
  const res = coxResidualsSorted(d, pass, true);
  const sums = clusterScoreSums(d, res.score as Float64Array, d.cluster, d.clusterLabels.length);
  return sandwich(v, crossProduct(sums, pa), pa);
}

/** Robust score test at `init`: U(init)ᵀ (Σ_g s_g s_gᵀ)⁻ U(init), R's `rscore`. */
function robustScoreTest(
  d: CoxData,
  init: Float64Array,
  ties: CoxTies,
  tolerChol: number,
): { stat: number; df: number } {
  const pa = d.pa;
  const pass = coxPass(d, init, ties, { detail: true });
  const res = coxResidualsSorted(d, pass, true);
  const sums = clusterScoreSums(d, res.score as Float64Array, d.cluster, d.clusterLabels.length);
  const u = new Float64Array(pa);
  for (let c = 0; c < sums.length / pa; c++)
    for (let j = 0; j < pa; j++) u[j] = (u[j] as number) + (sums[c * pa + j] as number);
  const q = quadraticFormInverse(crossProduct(sums, pa), pa, u, tolerChol);
  return { stat: q.statistic, df: q.rank };
}

/**
 * Fits a Cox proportional hazards model by maximum partial likelihood, as R survival `coxph`
 * (Efron ties by default; Breslow optional; exact ties not implemented). Returns coefficients,
 * model and robust SEs, hazard ratios with Wald CIs, Wald / likelihood-ratio / score (and robust
 * score) tests, log L at init and at β̂, Harrell's C of the linear predictor with its SE, and coded
 * warnings (NOT_CONVERGED, SEPARATION for a monotone likelihood, CONSTANT_COVARIATE,
 * SINGULAR_DESIGN, NO_EVENTS, FEW_EVENTS, MISSING_DROPPED, ZERO_WEIGHTS_DROPPED).
 */
export function coxPH(input: CoxInput, options: CoxOptions = {}): CoxPHResult {
  const fn = "coxPH";
  const ties: CoxTies = options.ties ?? "efron";
  if (ties !== "efron" && ties !== "breslow")
    throw new InvalidInputError(fn, `ties must be "efron" or "breslow" (exact ties are not implemented)`);
  const level = options.confLevel ?? 0.95;
  if (!(level > 0 && level < 1))
    throw new InvalidInputError(fn, "confLevel must be strictly between 0 and 1");
  const maxIter = options.maxIter ?? 20;
  if (!(Number.isInteger(maxIter) && maxIter >= 0))
    throw new InvalidInputError(fn, "maxIter must be an integer ≥ 0");
  const eps = options.eps ?? 1e-12;
  if (!(eps > 0)) throw new InvalidInputError(fn, "eps must be > 0");
  const tolerChol = options.tolerChol ?? 2.220446049250313e-16 ** 0.75;
  const d = prepareCoxData(fn, input, { timefix: options.timefix ?? true });
  if (options.init && options.init.length !== d.p)
    throw new InvalidInputError(fn, `init has ${options.init.length} values for ${d.p} covariates`);
  for (const v of options.init ?? [])
    if (!Number.isFinite(v)) throw new InvalidInputError(fn, "init values must be finite");
  const pa = d.active.length;
  const p = d.p;
  const warnings: Warning[] = [...d.warnings];
  if (d.nTimesMerged > 0)
    warnings.push(
      warning("TIMES_MERGED", `${d.nTimesMerged} distinct times merged`, { merged: d.nTimesMerged }),
    );
  const hasCluster = d.cluster !== null;
  const robust = options.robust ?? (hasCluster || d.nonIntegerWeights);
  if (options.robust === undefined && d.nonIntegerWeights)
    warnings.push(warning("NON_INTEGER_WEIGHTS", "robust sandwich variance used (R coxph default)"));
  if (robust && hasCluster && d.clusterLabels.length < 30)
    warnings.push(
      warning("FEW_CLUSTERS", `${d.clusterLabels.length} clusters`, { clusters: d.clusterLabels.length }),
    );
  const nExcluded = d.nInput - d.n;
  const init = new Float64Array(pa);
  for (let a = 0; a < pa; a++) init[a] = options.init ? (options.init[d.active[a] as number] as number) : 0;

  const methodParts = [
    `Cox proportional hazards (partial likelihood, ${ties === "efron" ? "Efron" : "Breslow"} ties${
      d.counting ? ", counting-process (start, stop] data" : ""
    }${d.strataLabels.length > 0 ? `, stratified (${d.strataLabels.length} strata)` : ""}${d.hasWeights ? ", case weights" : ""})`,
    "Newton-Raphson",
    robust
      ? `robust sandwich variance (${hasCluster ? `${d.clusterLabels.length} clusters` : "each row its own cluster"}, no small-sample factor)`
      : "model-based variance",
    "Wald CI",
  ];
  const method = methodParts.join("; ");

  const emptyResult = (extra: Warning[], logLik: number | null): CoxPHResult => {
    const terms: CoxTerm[] = d.names.map((name) => ({
      name,
      estimate: null,
      se: null,
      ci: { lower: null, upper: null, level },
      n: d.n,
      nExcluded,
      method,
      warnings: [],
      hazardRatio: null,
      hazardRatioCi: { lower: null, upper: null, level },
      seModel: null,
      seRobust: null,
      z: null,
      pValue: null,
    }));
    const nullM = d.names.map(() => d.names.map(() => null));
    return freezeResult({
      method,
      ties,
      robust,
      names: d.names,
      terms,
      coefficients: d.names.map(() => null),
      variance: nullM,
      varianceModel: nullM,
      varianceRobust: robust ? nullM : null,
      logLikInit: logLik,
      logLik,
      tests: {
        wald: nullTest("Wald test", d.n, nExcluded),
        likelihoodRatio: nullTest("likelihood-ratio test", d.n, nExcluded),
        score: nullTest("score (log-rank) test", d.n, nExcluded),
        robustScore: robust ? nullTest("robust score test", d.n, nExcluded) : null,
      },
      concordance: null,
      n: d.n,
      nEvents: d.nEvents,
      nExcluded,
      nClusters: hasCluster ? d.clusterLabels.length : null,
      strata: d.strataLabels,
      iterations: 0,
      converged: false,
      confLevel: level,
      warnings: [...warnings, ...extra],
    });
  };

  if (d.n === 0 || d.nEvents === 0) return emptyResult([warning("NO_EVENTS")], null);
  if (pa === 0) {
    const pass0 = coxPass(d, init, ties);
    return emptyResult([], pass0.loglik);
  }
  if (d.nEvents < pa)
    warnings.push(
      warning("FEW_EVENTS", `${d.nEvents} events for ${pa} coefficients`, {
        events: d.nEvents,
        parameters: pa,
      }),
    );

  const fit: CoxNewtonResult = coxNewton(d, {
    ties,
    init,
    maxIter,
    eps,
    tolerChol,
    ...(options.tolerInf !== undefined ? { tolerInf: options.tolerInf } : {}),
  });
  const keep = fit.redundant.map((r) => !r || maxIter === 0);
  const aliased = d.names.filter((_, j) => {
    const a = d.active.indexOf(j);
    return a >= 0 && fit.redundant[a] === true;
  });
  if (aliased.length > 0 && maxIter > 0)
    warnings.push(
      warning(
        "SINGULAR_DESIGN",
        `aliased (collinear) covariates: ${aliased.join(", ")}; their coefficients are null`,
        {
          covariates: aliased,
        },
      ),
    );
  const infinite = d.names.filter((_, j) => {
    const a = d.active.indexOf(j);
    return a >= 0 && fit.infinite[a] === true;
  });
  if (infinite.length > 0)
    warnings.push(
      warning(
        "SEPARATION",
        `log-likelihood converged before ${infinite.join(", ")}: coefficient may be infinite (monotone likelihood)`,
        { covariates: infinite, converged: fit.converged },
      ),
    );
  else if (!fit.converged && maxIter > 1)
    warnings.push(
      warning("NOT_CONVERGED", `no convergence in ${maxIter} iterations`, { iterations: maxIter }),
    );

  const vModel = fit.variance;
  let vRobust: Float64Array | null = null;
  let robustScore: TestResult | null = null;
  if (robust) {
    vRobust = robustVariance(d, fit.beta, ties, vModel);
    const rs = robustScoreTest(d, init, ties, tolerChol);
    robustScore = chiTest(rs.stat, rs.df, "robust score test (R coxph rscore)", d.n, nExcluded);
  }
  const vUse = vRobust ?? vModel;

  // Tests.
  const idx: number[] = [];
  for (let a = 0; a < pa; a++) if (keep[a]) idx.push(a);
  const k = idx.length;
  const sub = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let r = 0; r < k; r++) {
    b[r] = (fit.beta[idx[r] as number] as number) - (init[idx[r] as number] as number);
    for (let c = 0; c < k; c++) sub[r * k + c] = vUse[(idx[r] as number) * pa + (idx[c] as number)] as number;
  }
  let waldTest: TestResult;
  let allFinite = true;
  for (let q = 0; q < sub.length; q++) if (!Number.isFinite(sub[q] as number)) allFinite = false;
  if (k > 0 && allFinite) {
    const wq = quadraticFormInverse(sub, k, b, tolerChol);
    waldTest = chiTest(
      wq.statistic,
      wq.rank,
      robust ? "Wald test (robust variance)" : "Wald test",
      d.n,
      nExcluded,
    );
  } else waldTest = nullTest("Wald test", d.n, nExcluded);
  const lr = 2 * (fit.loglik - fit.loglikInit);
  const lrTest = chiTest(lr, k, "likelihood-ratio test", d.n, nExcluded);
  const scoreTest = chiTest(fit.scoreTest, k, "score (log-rank) test", d.n, nExcluded);

  // Terms.
  const z975 = normalQuantile(1 - (1 - level) / 2);
  const coefficients: (number | null)[] = new Array<number | null>(p).fill(null);
  const terms: CoxTerm[] = [];
  for (let j = 0; j < p; j++) {
    const a = d.active.indexOf(j);
    const name = d.names[j] as string;
    const termWarnings: Warning[] = [];
    if (a < 0 || !keep[a]) {
      terms.push({
        name,
        estimate: null,
        se: null,
        ci: { lower: null, upper: null, level },
        n: d.n,
        nExcluded,
        method,
        warnings: termWarnings,
        hazardRatio: null,
        hazardRatioCi: { lower: null, upper: null, level },
        seModel: null,
        seRobust: null,
        z: null,
        pValue: null,
      });
      continue;
    }
    const beta = fit.beta[a] as number;
    coefficients[j] = beta;
    const seM = Math.sqrt(vModel[a * pa + a] as number);
    const seR = vRobust ? Math.sqrt(vRobust[a * pa + a] as number) : null;
    const se = seR ?? seM;
    const z = beta / se;
    terms.push({
      name,
      estimate: beta,
      se: finiteOrNull(se),
      ci: { lower: finiteOrNull(beta - z975 * se), upper: finiteOrNull(beta + z975 * se), level },
      n: d.n,
      nExcluded,
      method,
      warnings: termWarnings,
      hazardRatio: finiteOrNull(Math.exp(beta)),
      hazardRatioCi: {
        lower: finiteOrNull(Math.exp(beta - z975 * se)),
        upper: finiteOrNull(Math.exp(beta + z975 * se)),
        level,
      },
      seModel: finiteOrNull(seM),
      seRobust: seR === null ? null : finiteOrNull(seR),
      z: finiteOrNull(z),
      pValue: Number.isFinite(z) ? normalTwoSidedP(z) : null,
    });
  }

  // Concordance of the linear predictor (risk-score orientation), within strata, by cluster.
  let conc: CoxConcordance | null = null;
  if (options.concordance !== false) {
    const eta = new Float64Array(d.n);
    const bk = mapToFloat64(fit.beta, (b, a) => (keep[a] ? b : 0));
    for (let i = 0, base = 0; i < d.n; i++, base += pa) {
      let e = 0;
      for (let a = 0; a < pa; a++) e += (bk[a] as number) * (d.xRow[base + a] as number);
      eta[i] = e;
    }
    const cc = concordanceCore(d, eta, robust ? d.cluster : null, d.clusterLabels.length);
    const npair = cc.counts.concordant + cc.counts.discordant + cc.counts.tiedX;
    conc = {
      estimate: npair > 0 ? (cc.counts.concordant + cc.counts.tiedX / 2) / npair : null,
      se: cc.variance === null ? null : Math.sqrt(cc.variance),
      ...cc.counts,
    };
  }

  const result: CoxPHResult = freezeResult({
    method,
    ties,
    robust,
    names: d.names,
    terms,
    coefficients,
    variance: expandMatrix(vUse, d, keep),
    varianceModel: expandMatrix(vModel, d, keep),
    varianceRobust: vRobust ? expandMatrix(vRobust, d, keep) : null,
    logLikInit: fit.loglikInit,
    logLik: fit.loglik,
    tests: { wald: waldTest, likelihoodRatio: lrTest, score: scoreTest, robustScore },
    concordance: conc,
    n: d.n,
    nEvents: d.nEvents,
    nExcluded,
    nClusters: hasCluster ? d.clusterLabels.length : null,
    strata: d.strataLabels,
    iterations: fit.iterations,
    converged: fit.converged,
    confLevel: level,
    warnings,
  });
  STATE.set(result, {
    data: d,
    ties,
    beta: fit.beta,
    varianceModel: vModel,
    variance: vUse,
    redundant: fit.redundant,
    robust,
  });
  return result;
}

/** log partial likelihood, score and information at a fixed β (no iteration), as R `coxph(init = β, iter.max = 0)`. */
export function coxLogLik(
  input: CoxInput,
  beta: readonly number[],
  options: { readonly ties?: CoxTies; readonly timefix?: boolean } = {},
): {
  readonly logLik: number;
  readonly score: readonly number[];
  readonly information: readonly (readonly number[])[];
} {
  const fn = "coxLogLik";
  const d = prepareCoxData(fn, input, { timefix: options.timefix ?? true });
  if (beta.length !== d.p)
    throw new InvalidInputError(fn, `beta has ${beta.length} values for ${d.p} covariates`);
  const pa = d.active.length;
  const b = new Float64Array(pa);
  for (let a = 0; a < pa; a++) b[a] = beta[d.active[a] as number] as number;
  const pass = coxPass(d, b, options.ties ?? "efron");
  const score: number[] = new Array<number>(d.p).fill(0);
  const info: number[][] = d.names.map(() => new Array<number>(d.p).fill(0));
  for (let a = 0; a < pa; a++) {
    score[d.active[a] as number] = pass.score[a] as number;
    for (let c = 0; c < pa; c++)
      (info[d.active[a] as number] as number[])[d.active[c] as number] = pass.info[a * pa + c] as number;
  }
  return freezeResult({ logLik: pass.loglik, score, information: info });
}
