/**
 * E-values (VanderWeele & Ding 2017): how strong unmeasured confounding would have to be, on the
 * risk-ratio scale with both the treatment and the outcome, to explain away an estimate.
 */
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import { freezeResult } from "../stats/result.js";

export type EValueMeasure = "RR" | "OR" | "HR" | "SMD";

export interface EValueInput {
  readonly measure: EValueMeasure;
  /** Point estimate (a ratio > 0, or a standardised mean difference for "SMD"). */
  readonly estimate: number;
  /** CI bounds on the same scale (optional; null = unknown). */
  readonly lower?: number | null;
  readonly upper?: number | null;
  /**
   * OR and HR: whether the outcome is rare (< 15 % by the end of follow-up). Rare: OR ≈ RR and HR ≈ RR.
   * Common: RR ≈ √OR; RR ≈ (1 − 0.5^√HR)/(1 − 0.5^√(1/HR)). Required for OR and HR.
   */
  readonly rareOutcome?: boolean;
  /** SMD only: its standard error, for the CI bound (EValue::evalues.MD: exp(0.91·d ± 1.78·se)). */
  readonly se?: number;
}

export interface EValueResult {
  readonly measure: EValueMeasure;
  /** The estimate converted to the risk-ratio scale. */
  readonly riskRatio: number;
  readonly riskRatioLower: number | null;
  readonly riskRatioUpper: number | null;
  /** E-value of the point estimate (1 when the estimate is exactly null). */
  readonly point: number;
  /** E-value of the CI bound nearer the null: 1 when the CI includes 1; null when no CI was given. */
  readonly ciBound: number | null;
  readonly conversion: string;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

/** E-value of a risk ratio: RR* + √(RR*(RR* − 1)), RR* = max(RR, 1/RR). */
export function evalueOfRiskRatio(rr: number): number {
  if (!(rr > 0) || !Number.isFinite(rr))
    throw new InvalidInputError("evalue", `risk ratio must be positive and finite (${rr})`);
  const r = rr < 1 ? 1 / rr : rr;
  return r + Math.sqrt(r * (r - 1));
}

function toRiskRatio(measure: EValueMeasure, x: number, rare: boolean): number {
  switch (measure) {
    case "RR":
      return x;
    case "OR":
      return rare ? x : Math.sqrt(x);
    case "HR":
      return rare ? x : (1 - 0.5 ** Math.sqrt(x)) / (1 - 0.5 ** Math.sqrt(1 / x));
    default:
      return Math.exp(0.91 * x);
  }
}

/**
 * E-value for an observational estimate and its confidence interval (VanderWeele & Ding 2017, Ann
 * Intern Med 167:268–274; R package EValue `evalues.RR/OR/HR/MD`). The estimate is first converted to
 * a risk ratio: RR as is; OR as is if the outcome is rare (< 15 %), else √OR; HR as is if rare, else
 * (1 − 0.5^√HR)/(1 − 0.5^√(1/HR)) (VanderWeele 2017, Biometrics 73:1195); SMD d → exp(0.91·d) with
 * CI exp(0.91·d ± 1.78·se). E = RR* + √(RR*(RR* − 1)) with RR* = RR or 1/RR for protective
 * estimates. For the CI: the bound nearer the null (the lower bound of a harmful estimate, the upper
 * of a protective one) gets its own E-value, 1 if the interval includes the null.
 */
export function eValue(input: EValueInput): EValueResult {
  const fn = "eValue";
  const { measure, estimate } = input;
  if (!["RR", "OR", "HR", "SMD"].includes(measure))
    throw new InvalidInputError(fn, `unknown measure "${measure}"`);
  if (!Number.isFinite(estimate) || (measure !== "SMD" && !(estimate > 0))) {
    throw new InvalidInputError(
      fn,
      `estimate must be ${measure === "SMD" ? "finite" : "a positive ratio"} (${estimate})`,
    );
  }
  const warnings: Warning[] = [];
  let rare = true;
  let conversion = "none (risk ratio)";
  if (measure === "OR" || measure === "HR") {
    if (input.rareOutcome === undefined) {
      throw new InvalidInputError(
        fn,
        `${measure}: say whether the outcome is rare (< 15 %): rareOutcome true or false`,
      );
    }
    rare = input.rareOutcome;
    conversion = rare
      ? `${measure} ≈ RR (rare outcome, < 15 %)`
      : measure === "OR"
        ? "RR ≈ √OR (common outcome)"
        : "RR ≈ (1 − 0.5^√HR)/(1 − 0.5^√(1/HR)) (common outcome)";
    warnings.push(warning("EVALUE_APPROXIMATION", conversion));
  } else if (measure === "SMD") conversion = "RR ≈ exp(0.91·d) (VanderWeele & Ding 2017)";
  const rr = toRiskRatio(measure, estimate, rare);
  let lo: number | null = null;
  let hi: number | null = null;
  if (measure === "SMD") {
    if (input.se !== undefined) {
      if (!(input.se >= 0)) throw new InvalidInputError(fn, "se must be ≥ 0");
      lo = Math.exp(0.91 * estimate - 1.78 * input.se);
      hi = Math.exp(0.91 * estimate + 1.78 * input.se);
    }
  } else {
    const check = (v: number | null | undefined, name: string): number | null => {
      if (v === null || v === undefined) return null;
      if (!(v > 0) || !Number.isFinite(v))
        throw new InvalidInputError(fn, `${name} must be a positive ratio (${v})`);
      return toRiskRatio(measure, v, rare);
    };
    lo = check(input.lower, "lower");
    hi = check(input.upper, "upper");
    if (lo !== null && hi !== null && lo > hi) throw new InvalidInputError(fn, "lower must not exceed upper");
  }
  const point = rr === 1 ? 1 : evalueOfRiskRatio(rr);
  let ciBound: number | null = null;
  if (rr > 1 && lo !== null) ciBound = lo <= 1 ? 1 : evalueOfRiskRatio(lo);
  else if (rr < 1 && hi !== null) ciBound = hi >= 1 ? 1 : evalueOfRiskRatio(hi);
  else if (rr === 1 && (lo !== null || hi !== null)) ciBound = 1;
  return freezeResult({
    measure,
    riskRatio: rr,
    riskRatioLower: lo,
    riskRatioUpper: hi,
    point,
    ciBound,
    conversion,
    method: `E-value (VanderWeele & Ding 2017): ${conversion}; E = RR + √(RR(RR − 1)) on the side away from 1; CI bound nearer the null (1 if the CI includes 1)`,
    warnings,
  });
}
