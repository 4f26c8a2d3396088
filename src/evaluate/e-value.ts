/**
 * E-values for ratio estimates (VanderWeele & Ding 2017, Ann Intern Med 167:268–274): the minimum
 * strength of association, on the risk-ratio scale, that an unmeasured confounder would need with both
 * treatment and outcome to explain away the estimate. Hazard ratios use the common-outcome
 * approximation RR ≈ (1 − 0.5^√HR)/(1 − 0.5^√(1/HR)) (VanderWeele 2017 "Hazard ratios" addendum)
 * unless `rareOutcome` is set, in which case HR ≈ RR.
 */

/** E-value of a risk ratio: RR + √(RR·(RR − 1)) for RR ≥ 1, applied to 1/RR below 1. */
export function eValueRiskRatio(rr: number): number {
  const r = rr >= 1 ? rr : 1 / rr;
  return r + Math.sqrt(r * (r - 1));
}

function hazardToRisk(hr: number): number {
  const s = Math.sqrt(hr);
  return (1 - 0.5 ** s) / (1 - 0.5 ** (1 / s));
}

/**
 * E-value of a ratio estimate and of its CI bound nearer the null (1 when the CI includes 1).
 * Null when the estimate is not evaluable.
 */
export function eValueForRatio(
  estimate: number | null,
  lower: number | null,
  upper: number | null,
  options: { hazardRatio?: boolean; rareOutcome?: boolean } = {},
): { estimate: number | null; ciBound: number | null } {
  if (estimate === null || !(estimate > 0)) return { estimate: null, ciBound: null };
  const toRr = options.hazardRatio && !options.rareOutcome ? hazardToRisk : (x: number) => x;
  const point = eValueRiskRatio(toRr(estimate));
  let bound: number | null = null;
  if (lower !== null && upper !== null) {
    if (lower <= 1 && upper >= 1) bound = 1;
    else bound = eValueRiskRatio(toRr(estimate > 1 ? lower : upper));
  }
  return { estimate: point, ciBound: bound };
}
