/**
 * Propensity-score weights: inverse probability of treatment (ATE, ATT, ATC), overlap weights,
 * stabilisation, trimming (WeightIt `trim` semantics) and effective sample sizes.
 */
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import { freezeResult } from "../stats/result.js";
import { essOf, quantileType3, readTreat, readWeights, requireBothArms, requireLength } from "./util.js";

export type WeightEstimand = "ATE" | "ATT" | "ATC" | "ATO";

export interface TrimOptions {
  /**
   * A quantile in (0, 1) (values below 0.5 are read as 1 − at, as WeightIt), or a whole number ≥ 1 of
   * top weights to trim. Quantiles are R type 3 over the weights eligible for trimming (for ATT/ATC the
   * focal arm, whose weights are all 1, is left alone).
   */
  readonly at: number;
  /** Also trim the lower tail at 1 − at (or the bottom `at` weights). Default false. */
  readonly lower?: boolean;
  /** Set trimmed weights to 0 instead of winsorising them (default false). */
  readonly drop?: boolean;
}

export interface PropensityWeightsOptions {
  /**
   * "ATE": 1/e (treated), 1/(1 − e) (control); "ATT": 1 and e/(1 − e); "ATC": (1 − e)/e and 1;
   * "ATO" (overlap weights, Li, Morgan & Zaslavsky 2018): 1 − e and e.
   */
  readonly estimand: WeightEstimand;
  /** ATE only: multiply by the marginal probability of the unit's own arm (Robins, Hernán & Brumback 2000). */
  readonly stabilize?: boolean;
  readonly trim?: TrimOptions;
  /** A weight above this multiple of its arm's mean weight triggers WEIGHTS_EXTREME (default 10). */
  readonly extremeRatio?: number;
}

export interface ArmWeightSummary {
  readonly n: number;
  readonly sumWeights: number;
  /** Kish effective sample size (Σw)²/Σw². */
  readonly ess: number;
  readonly min: number;
  readonly max: number;
  /** Units with weight 0. */
  readonly nZero: number;
}

export interface WeightsResult {
  readonly estimand: WeightEstimand;
  readonly weights: Float64Array;
  readonly treated: ArmWeightSummary;
  readonly control: ArmWeightSummary;
  /** Trimming applied: thresholds [lower, upper] (lower null when only the top was trimmed) and units changed. */
  readonly trim: {
    readonly at: number;
    readonly lower: number | null;
    readonly upper: number;
    readonly nTrimmed: number;
    readonly drop: boolean;
  } | null;
  readonly stabilized: boolean;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

const FN = "propensityWeights";

/** Per-arm weight summary (n, Σw, ESS, range, zeros). */
export function summarizeArmWeights(w: Float64Array, t: Uint8Array, arm: number): ArmWeightSummary {
  let n = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let nZero = 0;
  for (let i = 0; i < w.length; i++) {
    if (t[i] !== arm) continue;
    n++;
    const a = w[i]!;
    if (a < min) min = a;
    if (a > max) max = a;
    if (a === 0) nZero++;
  }
  const { sum, ess } = essOf(w, t, arm);
  return { n, sumWeights: sum, ess, min, max, nZero };
}

/**
 * WeightIt-style trimming of `w` in place. Returns thresholds and the number of units changed.
 * Reference: WeightIt `trim()` / `.trim_weights` (quantiles of type 3; focal arm excluded for ATT/ATC).
 */
export function trimWeights(
  w: Float64Array,
  eligible: Uint8Array,
  opts: TrimOptions,
): { at: number; lower: number | null; upper: number; nTrimmed: number } {
  const fn = "trimWeights";
  const { at } = opts;
  const lowerToo = opts.lower ?? false;
  const drop = opts.drop ?? false;
  if (!(at > 0) || !Number.isFinite(at)) throw new InvalidInputError(fn, "trim.at must be a positive number");
  const vals: number[] = [];
  for (let i = 0; i < w.length; i++) if (eligible[i]) vals.push(w[i]!);
  vals.sort((a, b) => a - b);
  const m = vals.length;
  let lo: number;
  let hi: number;
  let atUsed: number;
  if (at < 1) {
    atUsed = Math.max(at, 1 - at);
    lo = lowerToo ? quantileType3(vals, 1 - atUsed) : Number.NEGATIVE_INFINITY;
    hi = quantileType3(vals, atUsed);
  } else {
    if (!Number.isInteger(at))
      throw new InvalidInputError(fn, "trim.at ≥ 1 must be a whole number of weights");
    if (at >= m)
      throw new InvalidInputError(
        fn,
        `trim.at (${at}) must be less than the ${m} weights eligible for trimming`,
      );
    atUsed = Math.min(at, m - at);
    lo = lowerToo ? vals[atUsed]! : Number.NEGATIVE_INFINITY;
    hi = vals[m - atUsed - 1]!;
  }
  let nTrimmed = 0;
  for (let i = 0; i < w.length; i++) {
    if (!eligible[i]) continue;
    const a = w[i]!;
    if (a > hi) {
      w[i] = drop ? 0 : hi;
      nTrimmed++;
    } else if (a < lo) {
      w[i] = drop ? 0 : lo;
      nTrimmed++;
    }
  }
  return { at: atUsed, lower: lowerToo ? lo : null, upper: hi, nTrimmed };
}

/**
 * Propensity-score weights for a binary treatment, as WeightIt `weightit(method = "glm")`:
 * ATE 1/e and 1/(1 − e); ATT 1 and e/(1 − e); ATC (1 − e)/e and 1; overlap (ATO) 1 − e and e
 * (Li, Morgan & Zaslavsky 2018, JASA 113:390–400). `stabilize` (ATE) multiplies by the arm's share
 * of units. `trim` follows WeightIt `trim(at, lower, drop)`: winsorise by default at the type-3
 * quantile over the non-focal weights. Reports per-arm Σw, Kish ESS (Σw)²/Σw², range and zeros.
 *
 * A score of 0 or 1 (infinite weight) or NaN throws: restrict to the region of overlap, trim, or use
 * overlap weights. Extreme weights (> 10× the arm mean) and ESS below half the arm size are coded
 * warnings.
 */
export function propensityWeights(
  input: { readonly treat: ArrayLike<number | boolean>; readonly ps: ArrayLike<number> },
  options: PropensityWeightsOptions,
): WeightsResult {
  const t = readTreat(FN, input.treat);
  const n = t.length;
  requireLength(FN, "ps", input.ps, n);
  requireBothArms(FN, t);
  const estimand = options.estimand;
  if (!["ATE", "ATT", "ATC", "ATO"].includes(estimand))
    throw new InvalidInputError(FN, `unknown estimand "${estimand}"`);
  const stabilize = options.stabilize ?? false;
  if (stabilize && estimand !== "ATE")
    throw new InvalidInputError(FN, "stabilize applies to ATE weights only");
  const w = new Float64Array(n);
  let nInf = 0;
  for (let i = 0; i < n; i++) {
    const e = input.ps[i] as number;
    if (typeof e !== "number" || Number.isNaN(e)) {
      throw new InvalidInputError(
        FN,
        `ps at row ${i} is missing: subset to the units with a propensity score`,
      );
    }
    if (!(e >= 0 && e <= 1)) throw new InvalidInputError(FN, `ps at row ${i} (${e}) is not a probability`);
    const tr = t[i] === 1;
    let v: number;
    switch (estimand) {
      case "ATE":
        v = tr ? 1 / e : 1 / (1 - e);
        break;
      case "ATT":
        v = tr ? 1 : e / (1 - e);
        break;
      case "ATC":
        v = tr ? (1 - e) / e : 1;
        break;
      default:
        v = tr ? 1 - e : e;
    }
    if (!Number.isFinite(v)) nInf++;
    w[i] = v;
  }
  if (nInf > 0) {
    throw new InvalidInputError(
      FN,
      `${nInf} unit(s) have a propensity score of exactly 0 or 1, so their ${estimand} weight is infinite (a positivity violation): restrict to the region of common support, trim the scores, or use overlap weights (estimand "ATO")`,
    );
  }
  const warnings: Warning[] = [];
  if (stabilize) {
    let nt = 0;
    for (let i = 0; i < n; i++) nt += t[i]!;
    const pt = nt / n;
    for (let i = 0; i < n; i++) w[i] = w[i]! * (t[i] ? pt : 1 - pt);
  }
  let trim: WeightsResult["trim"] = null;
  if (options.trim && options.trim.at !== 0) {
    const eligible = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      eligible[i] = estimand === "ATT" ? 1 - t[i]! : estimand === "ATC" ? t[i]! : 1;
    }
    const r = trimWeights(w, eligible, options.trim);
    trim = { ...r, drop: options.trim.drop ?? false };
    if (r.nTrimmed > 0) {
      warnings.push(
        warning(trim.drop ? "WEIGHTS_DROPPED" : "WEIGHTS_TRIMMED", `${r.nTrimmed} unit(s) at ${r.at}`, {
          count: r.nTrimmed,
          upper: r.upper,
          lower: r.lower,
        }),
      );
    }
  }
  const treated = summarizeArmWeights(w, t, 1);
  const control = summarizeArmWeights(w, t, 0);
  warnings.push(...weightWarnings(treated, control, options.extremeRatio ?? 10));
  const method = `Propensity-score weights for the ${estimand === "ATO" ? "ATO (overlap weights)" : estimand} (WeightIt glm formulas)${stabilize ? ", stabilised by the marginal arm share" : ""}${
    trim
      ? `, ${trim.drop ? "dropped" : "winsorised"} at the ${trim.at} quantile (type 3${trim.lower !== null ? ", both tails" : ""})`
      : ""
  }; ESS = (Σw)²/Σw²`;
  return freezeResult({
    estimand,
    weights: w,
    treated,
    control,
    trim,
    stabilized: stabilize,
    method,
    warnings,
  });
}

/** WEIGHTS_EXTREME / LOW_EFFECTIVE_SAMPLE_SIZE checks on per-arm summaries. */
export function weightWarnings(
  treated: ArmWeightSummary,
  control: ArmWeightSummary,
  extremeRatio: number,
): Warning[] {
  const out: Warning[] = [];
  for (const [name, a] of [
    ["treated", treated],
    ["control", control],
  ] as const) {
    const nPos = a.n - a.nZero;
    if (nPos === 0) continue;
    const mean = a.sumWeights / nPos;
    if (a.max > extremeRatio * mean) {
      out.push(
        warning(
          "WEIGHTS_EXTREME",
          `${name} arm: largest weight ${a.max.toPrecision(4)} vs mean ${mean.toPrecision(4)}`,
          {
            arm: name,
            max: a.max,
            mean,
          },
        ),
      );
    }
    if (a.ess < 0.5 * nPos) {
      out.push(
        warning("LOW_EFFECTIVE_SAMPLE_SIZE", `${name} arm: ESS ${a.ess.toFixed(1)} of ${nPos}`, {
          arm: name,
          ess: a.ess,
          n: nPos,
        }),
      );
    }
  }
  if (treated.nZero + control.nZero > 0) {
    out.push(
      warning(
        "ZERO_WEIGHTS_DROPPED",
        `${treated.nZero} treated and ${control.nZero} control unit(s) have weight 0`,
        {
          treated: treated.nZero,
          control: control.nZero,
        },
      ),
    );
  }
  return out;
}

/**
 * Kish effective sample size (Σw)²/Σw² per arm of user-supplied weights (cobalt `ESS`). NaN, ±Infinity
 * and negative weights throw; zero weights are allowed (they count towards `nZero`).
 */
export function effectiveSampleSize(
  treat: ArrayLike<number | boolean>,
  weights: ArrayLike<number>,
): { readonly treated: ArmWeightSummary; readonly control: ArmWeightSummary } {
  const fn = "effectiveSampleSize";
  const t = readTreat(fn, treat);
  const { weights: w } = readWeights(fn, weights, t.length);
  return freezeResult({ treated: summarizeArmWeights(w, t, 1), control: summarizeArmWeights(w, t, 0) });
}
