/**
 * Propensity score: logistic regression of the treatment on pre-index covariates, with overlap
 * (common-support / positivity) diagnostics.
 */
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import {
  type DesignColumn,
  type FactorColumn,
  type GlmCoefficient,
  type GlmResult,
  glm,
  predictGlm,
} from "../stats/regression/index.js";
import { freezeResult } from "../stats/result.js";
import { toDesignColumns } from "./design-matrix.js";
import { readTreat, requireBothArms } from "./util.js";

export interface PropensityInput {
  /** 1 = treated (peer group), 0 = comparison. */
  readonly treat: ArrayLike<number | boolean>;
  /** Numeric covariate columns (factor dummies from `designMatrix`). NaN/null = missing. */
  readonly covariates: readonly DesignColumn[] | Readonly<Record<string, ArrayLike<number>>>;
  /**
   * Categorical covariates in coded form (code −1 = missing), treatment-coded as R's model.matrix:
   * the same model as their dummies appended to `covariates`, fitted without building them.
   * Model columns: "(Intercept)", `covariates`, then each factor's non-reference levels.
   */
  readonly factors?: readonly FactorColumn[];
}

export interface PropensityOptions {
  /**
   * Missing covariate values: "error" (default) throws, naming the columns; "exclude" fits on complete
   * cases, sets `complete[i] = 0`, gives NaN scores for the excluded rows and warns
   * (MISSING_COVARIATES_EXCLUDED). Downstream matching and weighting need complete cases only.
   */
  readonly missing?: "error" | "exclude";
  /** Scores below `extreme[0]` or above `extreme[1]` are counted as positivity problems (default 0.05, 0.95). */
  readonly extreme?: readonly [number, number];
  readonly confLevel?: number;
}

/** Propensity-score range and extreme counts within one arm. */
export interface ArmOverlap {
  readonly n: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Units with score < extreme[0] / > extreme[1]. */
  readonly below: number;
  readonly above: number;
  /** Units outside the other arm's [min, max]; and their share of this arm. */
  readonly outsideOtherRange: number;
  readonly shareOutsideOtherRange: number;
}

export interface OverlapDiagnostics {
  readonly treated: ArmOverlap;
  readonly control: ArmOverlap;
  /** [max of the arm minima, min of the arm maxima]: the region where both arms have units. */
  readonly commonSupport: { readonly lower: number; readonly upper: number };
  readonly extreme: readonly [number, number];
}

export interface PropensityScoreResult {
  /** Logistic-model coefficients (log odds of treatment), Wald z SEs and CIs. */
  readonly coefficients: readonly GlmCoefficient[];
  /** P(treated | covariates) per input row (NaN for excluded rows). */
  readonly ps: Float64Array;
  /** Linear predictor (logit of the score) per input row (NaN for excluded rows). */
  readonly linearPredictor: Float64Array;
  /** 1 where the row entered the model. */
  readonly complete: Uint8Array;
  readonly overlap: OverlapDiagnostics;
  readonly model: GlmResult;
  readonly n: number;
  readonly nTreated: number;
  readonly nControl: number;
  readonly nExcluded: number;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

const FN = "propensityScore";

function armOverlap(
  ps: Float64Array,
  t: Uint8Array,
  complete: Uint8Array,
  arm: number,
  other: { min: number; max: number },
  extreme: readonly [number, number],
): ArmOverlap {
  let n = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let below = 0;
  let above = 0;
  let outside = 0;
  for (let i = 0; i < ps.length; i++) {
    if (!complete[i] || t[i] !== arm) continue;
    const p = ps[i]!;
    n++;
    sum += p;
    if (p < min) min = p;
    if (p > max) max = p;
    if (p < extreme[0]) below++;
    if (p > extreme[1]) above++;
    if (p < other.min || p > other.max) outside++;
  }
  return {
    n,
    min,
    max,
    mean: sum / n,
    below,
    above,
    outsideOtherRange: outside,
    shareOutsideOtherRange: outside / n,
  };
}

function range(
  ps: Float64Array,
  t: Uint8Array,
  complete: Uint8Array,
  arm: number,
): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < ps.length; i++) {
    if (!complete[i] || t[i] !== arm) continue;
    const p = ps[i]!;
    if (p < min) min = p;
    if (p > max) max = p;
  }
  return { min, max };
}

/**
 * Estimates the propensity score e(x) = P(treated | x) by logistic regression (R
 * `glm(treat ~ x, family = binomial)`, IRLS to a relative deviance change of 1e-12; coefficients with
 * model-based Wald z SEs as `summary.glm`), and reports overlap diagnostics: per-arm min/max/mean,
 * the share of each arm outside the other arm's score range, counts of scores < 0.05 and > 0.95
 * (PS_EXTREME) and the common-support interval. Quasi-separation (scores numerically 0 or 1) gives
 * the glm SEPARATION warning. Both arms must be present; missing covariates throw unless
 * `missing: "exclude"`.
 *
 * Reference: Rosenbaum & Rubin (1983), Biometrika 70:41–55; R `MatchIt::matchit(distance = "glm")`.
 */
export function propensityScore(
  input: PropensityInput,
  options: PropensityOptions = {},
): PropensityScoreResult {
  const t = readTreat(FN, input.treat);
  const n = t.length;
  requireBothArms(FN, t);
  const cols = toDesignColumns(FN, input.covariates, n);
  const factors = input.factors ?? [];
  if (cols.length + factors.length === 0) throw new InvalidInputError(FN, "no covariates given");
  const extreme = options.extreme ?? [0.05, 0.95];
  if (!(extreme[0] >= 0 && extreme[0] < extreme[1] && extreme[1] <= 1)) {
    throw new InvalidInputError(FN, "extreme must be [lower, upper] with 0 ≤ lower < upper ≤ 1");
  }
  const complete = new Uint8Array(n).fill(1);
  const missingBy: string[] = [];
  for (const c of cols) {
    let k = 0;
    for (let i = 0; i < n; i++) {
      const v = c.values[i] as number | null | undefined;
      if (v === null || v === undefined || Number.isNaN(v)) {
        complete[i] = 0;
        k++;
      } else if (!Number.isFinite(v))
        throw new InvalidInputError(FN, `covariate "${c.name}" is infinite at row ${i}`);
    }
    if (k > 0) missingBy.push(`${c.name} (${k})`);
  }
  factors.forEach((f, j) => {
    if (!f || !(f.codes instanceof Int32Array) || f.codes.length !== n) {
      throw new InvalidInputError(
        FN,
        `factor ${f?.name ?? j + 1}: codes must be an Int32Array of ${n} values`,
      );
    }
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (f.codes[i] === -1) {
        complete[i] = 0;
        k++;
      }
    }
    if (k > 0) missingBy.push(`${f.name ?? `factor ${j + 1}`} (${k})`);
  });
  let nExcluded = 0;
  for (let i = 0; i < n; i++) nExcluded += 1 - complete[i]!;
  const warnings: Warning[] = [];
  if (nExcluded > 0) {
    if ((options.missing ?? "error") === "error") {
      throw new InvalidInputError(
        FN,
        `${nExcluded} unit(s) have a missing covariate value — ${missingBy.join(", ")}. Impute them, add a missingness indicator, or pass missing: "exclude" for a complete-case analysis`,
      );
    }
    warnings.push(
      warning("MISSING_COVARIATES_EXCLUDED", `${nExcluded} unit(s): ${missingBy.join(", ")}`, {
        count: nExcluded,
        columns: missingBy,
      }),
    );
  }
  {
    let nt = 0;
    let nc = 0;
    for (let i = 0; i < n; i++) {
      if (!complete[i]) continue;
      if (t[i] === 1) nt++;
      else nc++;
    }
    if (nt === 0 || nc === 0) {
      throw new InvalidInputError(
        FN,
        `no ${nt === 0 ? "treated" : "control"} unit has complete covariates: a comparison needs both arms`,
      );
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = complete[i]! ? t[i]! : Number.NaN;
  const model = glm(
    { y, x: cols, ...(factors.length > 0 ? { factors } : {}) },
    { family: "binomial", ...(options.confLevel ? { confLevel: options.confLevel } : {}) },
  );
  for (const w of model.warnings) if (w.code !== "MISSING_DROPPED") warnings.push(w);

  const eta = new Float64Array(n).fill(Number.NaN);
  const ps = new Float64Array(n).fill(Number.NaN);
  // η = Xβ column by column (aliased coefficients are dropped, as R's predict), then e = 1/(1 + e^−η).
  const pred = predictGlm(model, cols, { factors });
  for (let i = 0; i < n; i++) {
    if (!complete[i]) continue;
    eta[i] = pred.link[i]!;
    ps[i] = pred.response[i]!;
  }
  const rt = range(ps, t, complete, 1);
  const rc = range(ps, t, complete, 0);
  const treated = armOverlap(ps, t, complete, 1, rc, extreme);
  const control = armOverlap(ps, t, complete, 0, rt, extreme);
  const overlap: OverlapDiagnostics = {
    treated,
    control,
    commonSupport: { lower: Math.max(rt.min, rc.min), upper: Math.min(rt.max, rc.max) },
    extreme: [extreme[0], extreme[1]],
  };
  const nExtreme = treated.below + treated.above + control.below + control.above;
  if (nExtreme > 0) {
    warnings.push(
      warning(
        "PS_EXTREME",
        `${nExtreme} unit(s) outside [${extreme[0]}, ${extreme[1]}] (treated: ${treated.below} low, ${treated.above} high; control: ${control.below} low, ${control.above} high)`,
        {
          treatedBelow: treated.below,
          treatedAbove: treated.above,
          controlBelow: control.below,
          controlAbove: control.above,
        },
      ),
    );
  }
  if (treated.outsideOtherRange + control.outsideOtherRange > 0) {
    warnings.push(
      warning(
        "PS_OUTSIDE_SUPPORT",
        `${treated.outsideOtherRange} treated and ${control.outsideOtherRange} control unit(s) outside the other arm's range`,
        { treated: treated.outsideOtherRange, control: control.outsideOtherRange },
      ),
    );
  }
  return freezeResult({
    coefficients: model.coefficients,
    ps,
    linearPredictor: eta,
    complete,
    overlap,
    model,
    n: n - nExcluded,
    nTreated: treated.n,
    nControl: control.n,
    nExcluded,
    method: "Propensity score: logistic regression (glm binomial/logit, IRLS), model-based Wald z SEs",
    warnings,
  });
}
