/**
 * Residuals and predicted curves of a fitted Cox model (R survival `residuals.coxph` and
 * `survfit.coxph`). Per-observation vectors are in input row order with NaN marking rows that were
 * excluded from the fit (R's `na.exclude`); the fit's `nExcluded` counts them.
 */
import { InvalidInputError } from "../errors.js";
import { type CoxLabel, type CoxPHResult, coxState } from "./cox.js";
import { coxPass } from "./cox-engine.js";
import { coxResidualsSorted } from "./cox-residuals-core.js";

/** A residual matrix: one Float64Array per fitted covariate, input row order (NaN = excluded row). */
export interface CoxResidualMatrix {
  readonly names: readonly string[];
  readonly columns: readonly Float64Array[];
}

function activeNames(fit: CoxPHResult): string[] {
  const s = coxState(fit);
  return Array.from(s.data.active, (j) => s.data.names[j] as string);
}

function residuals(fit: CoxPHResult, wantScore: boolean) {
  const s = coxState(fit);
  const pass = coxPass(s.data, s.beta, s.ties, { detail: true });
  return { s, res: coxResidualsSorted(s.data, pass, wantScore) };
}

/**
 * Martingale residuals δᵢ − Λ̂ᵢ (Efron share for tied deaths under Efron ties), as R
 * `residuals(fit, "martingale")`; `weighted` multiplies by the case weight.
 */
export function coxMartingaleResiduals(
  fit: CoxPHResult,
  options: { readonly weighted?: boolean } = {},
): Float64Array {
  const { s, res } = residuals(fit, false);
  const d = s.data;
  const out = new Float64Array(d.nInput).fill(Number.NaN);
  for (let i = 0; i < d.n; i++) {
    const w = options.weighted ? (d.weight[i] as number) : 1;
    out[d.rowIndex[i] as number] = w * (res.martingale[i] as number);
  }
  return out;
}

/** Score residuals ∫(xᵢ − x̄(t)) dMᵢ(t), as R `residuals(fit, "score")` (unweighted by default). */
export function coxScoreResiduals(
  fit: CoxPHResult,
  options: { readonly weighted?: boolean } = {},
): CoxResidualMatrix {
  const { s, res } = residuals(fit, true);
  const d = s.data;
  const pa = d.pa;
  const score = res.score as Float64Array;
  const columns = Array.from({ length: pa }, () => new Float64Array(d.nInput).fill(Number.NaN));
  for (let i = 0; i < d.n; i++) {
    const w = options.weighted ? (d.weight[i] as number) : 1;
    for (let j = 0; j < pa; j++)
      (columns[j] as Float64Array)[d.rowIndex[i] as number] = w * (score[i * pa + j] as number);
  }
  return { names: activeNames(fit), columns };
}

/**
 * dfbeta residuals: (weighted) score residuals times the model-based variance, the approximate change
 * in β̂ when row i is dropped; R `residuals(fit, "dfbeta")`, weighted by default as in R.
 */
export function coxDfbeta(
  fit: CoxPHResult,
  options: { readonly weighted?: boolean } = {},
): CoxResidualMatrix {
  const { s, res } = residuals(fit, true);
  const d = s.data;
  const pa = d.pa;
  const score = res.score as Float64Array;
  const v = s.varianceModel;
  const weighted = options.weighted ?? true;
  const columns = Array.from({ length: pa }, () => new Float64Array(d.nInput).fill(Number.NaN));
  for (let i = 0; i < d.n; i++) {
    const w = weighted ? (d.weight[i] as number) : 1;
    for (let j = 0; j < pa; j++) {
      let acc = 0;
      for (let k = 0; k < pa; k++) acc += (score[i * pa + k] as number) * (v[k * pa + j] as number);
      (columns[j] as Float64Array)[d.rowIndex[i] as number] = w * acc;
    }
  }
  return { names: activeNames(fit), columns };
}

/** Schoenfeld residuals: one row per death, ordered by stratum then time (ties in input order). */
export interface CoxSchoenfeld {
  readonly names: readonly string[];
  readonly time: Float64Array;
  /** Input row of each death. */
  readonly row: Int32Array;
  /** Stratum label per death (null without strata). */
  readonly stratum: readonly CoxLabel[] | null;
  /** One column per fitted covariate: xᵢ − x̄(tᵢ) (x̄ averaged over Efron substeps). */
  readonly columns: readonly Float64Array[];
}

/** Schoenfeld residuals, as R `residuals(fit, "schoenfeld")` (unscaled). */
export function coxSchoenfeldResiduals(fit: CoxPHResult): CoxSchoenfeld {
  const s = coxState(fit);
  const d = s.data;
  const pass = coxPass(d, s.beta, s.ties, { detail: true });
  const det = pass.detail;
  if (!det) throw new Error("missing detail");
  const pa = d.pa;
  const nd = d.nEvents;
  const time = new Float64Array(nd);
  const row = new Int32Array(nd);
  const strat: CoxLabel[] = [];
  const columns = Array.from({ length: pa }, () => new Float64Array(nd));
  let k = 0;
  let q = 0;
  for (let i = 0; i < d.n; i++) {
    if (d.status[i] !== 1) continue;
    const st = d.stratum[i] as number;
    while (
      (det.stratum[q] as number) < st ||
      ((det.stratum[q] as number) === st && (det.time[q] as number) < (d.stop[i] as number))
    )
      q++;
    time[k] = d.stop[i] as number;
    row[k] = d.rowIndex[i] as number;
    if (d.strataLabels.length > 0) strat.push(d.strataLabels[st] as CoxLabel);
    for (let j = 0; j < pa; j++)
      (columns[j] as Float64Array)[k] = (d.xRow[i * pa + j] as number) - (det.xbarS[q * pa + j] as number);
    k++;
  }
  return { names: activeNames(fit), time, row, stratum: d.strataLabels.length > 0 ? strat : null, columns };
}

/** Predicted cumulative hazard and survival for one covariate vector, per stratum. */
export interface CoxCurve {
  readonly stratum: CoxLabel | null;
  /** Event times. */
  readonly time: Float64Array;
  readonly cumulativeHazard: Float64Array;
  /** exp(−cumulative hazard) (R survfit.coxph stype = 2). */
  readonly survival: Float64Array;
  /** Variance of the cumulative hazard (R `std.err²`), from the model-based variance of β̂. */
  readonly varianceCumulativeHazard: Float64Array;
}

/**
 * The survival curve predicted for covariate values `z` (one per covariate), as R
 * `survfit(fit, newdata = z, censor = FALSE)`: Breslow (or Efron-type, with Efron ties) baseline
 * hazard, S = exp(−Λ(t; z)), and the Tsiatis variance exp(2β'z)[Σ d w/D² + dᵀ V d] with V the
 * model-based variance. One curve per stratum.
 */
export function coxSurvivalCurve(fit: CoxPHResult, z: readonly number[]): readonly CoxCurve[] {
  const s = coxState(fit);
  const d = s.data;
  if (z.length !== d.p)
    throw new InvalidInputError("coxSurvivalCurve", `z has ${z.length} values for ${d.p} covariates`);
  const pa = d.pa;
  const zc = new Float64Array(pa);
  let lp = 0;
  for (let a = 0; a < pa; a++) {
    const v = z[d.active[a] as number] as number;
    if (!Number.isFinite(v)) throw new InvalidInputError("coxSurvivalCurve", "z values must be finite");
    zc[a] = v - (d.center[a] as number);
    lp += (s.beta[a] as number) * (zc[a] as number);
  }
  const pass = coxPass(d, s.beta, s.ties, { detail: true });
  const det = pass.detail;
  if (!det) throw new Error("missing detail");
  const risk = Math.exp(lp - pass.shift);
  const v = s.varianceModel;
  const curves: CoxCurve[] = [];
  const nStrata = d.strataBounds.length - 1;
  for (let st = 0; st < nStrata; st++) {
    const lo = det.timeBounds[st] as number;
    const hi = det.timeBounds[st + 1] as number;
    const m = hi - lo;
    const time = det.time.slice(lo, hi);
    const ch = new Float64Array(m);
    const sv = new Float64Array(m);
    const vv = new Float64Array(m);
    let cum = 0;
    let cumVar = 0;
    const dvec = new Float64Array(pa);
    for (let q = 0; q < m; q++) {
      const t = lo + q;
      cum += det.dLambda[t] as number;
      cumVar += det.varHaz[t] as number;
      for (let a = 0; a < pa; a++)
        dvec[a] =
          (dvec[a] as number) +
          (det.dXLambda[t * pa + a] as number) -
          (zc[a] as number) * (det.dLambda[t] as number);
      let quad = 0;
      for (let a = 0; a < pa; a++)
        for (let b = 0; b < pa; b++)
          quad += (dvec[a] as number) * (v[a * pa + b] as number) * (dvec[b] as number);
      ch[q] = risk * cum;
      sv[q] = Math.exp(-(ch[q] as number));
      vv[q] = risk * risk * (cumVar + quad);
    }
    curves.push({
      stratum: d.strataLabels.length > 0 ? (d.strataLabels[st] as CoxLabel) : null,
      time,
      cumulativeHazard: ch,
      survival: sv,
      varianceCumulativeHazard: vv,
    });
  }
  return curves;
}
