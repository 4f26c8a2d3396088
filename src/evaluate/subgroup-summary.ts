/**
 * Subgroup effects of an outcome for the report: the outcome's own estimator within each level of a
 * pre-index code covariate, with per-level and per-arm counts and the joint treatment × subgroup
 * interaction test (`subgroupEffects`; Wang et al. 2007, NEJM 357:2189). Missing values of the
 * variable are left out and counted.
 */
import type { EffectResult as CompareEffect, EffectInput, EffectOptions } from "../compare/effects.js";
import { subgroupEffects } from "../compare/subgroups.js";
import type { CohortSubgroup } from "./cohort.js";
import type { IntervalValue, SubgroupResultSummary } from "./result.js";

const NONE: IntervalValue = { estimate: null, se: null, lower: null, upper: null };

function scaled(
  e: { estimate: number | null; se: number | null; ci: { lower: number | null; upper: number | null } },
  factor: number,
): IntervalValue {
  const f = (x: number | null) => (x === null ? null : x * factor);
  return { estimate: f(e.estimate), se: f(e.se), lower: f(e.ci.lower), upper: f(e.ci.upper) };
}

/**
 * Effects within the levels of one subgroup variable.
 * @param input the outcome's effect input (treat, outcome, weights, cluster) over the analysed units
 * @param codes level code per analysed unit (−1 = missing), indexing `subgroup.levelLabels`
 * @param labels effect labels on the ratio and difference scales (e.g. "Rate ratio", "Rate difference")
 * @param overall the outcome's overall effect on the scale the interaction test uses
 * @param differenceFactor multiplier of absolute effects for display (e.g. 365.25: per person-year)
 */
export function subgroupSummary(
  input: EffectInput,
  options: EffectOptions,
  subgroup: CohortSubgroup,
  codes: ArrayLike<number>,
  labels: { readonly ratio: string; readonly difference: string },
  overall: (scale: "ratio" | "difference") => IntervalValue,
  differenceFactor = 1,
): SubgroupResultSummary {
  const levelOf = Array.from(codes, (c) => (c < 0 ? null : (subgroup.levelLabels[c] as string)));
  const r = subgroupEffects({ ...input, subgroup: levelOf }, { ...options, name: subgroup.label });
  const ratio = r.scale === "multiplicative";
  const pick = (x: CompareEffect) => (ratio ? x.relative : x.absolute);
  return {
    variable: subgroup.name,
    label: subgroup.label,
    effectLabel: ratio ? labels.ratio : labels.difference,
    scale: ratio ? "ratio" : "difference",
    levels: r.levels.map((l) => ({
      level: String(l.level),
      label: String(l.level),
      n: l.n,
      nTreated: l.nTreated,
      nControl: l.nControl,
      ...(l.effect ? scaled(pick(l.effect), ratio ? 1 : differenceFactor) : NONE),
    })),
    overall: overall(ratio ? "ratio" : "difference"),
    interaction: {
      label: `Interaction: peer support × ${subgroup.label.toLowerCase()}`,
      statistic: r.interaction.statistic,
      df: r.interaction.df ?? null,
      pValue: r.interaction.pValue,
      method: r.method,
    },
    nMissing: r.nExcluded,
    warnings: r.warnings,
  };
}
