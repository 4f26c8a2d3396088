/**
 * Restricted mean survival time (area under the Kaplan–Meier curve up to τ) by group, and the
 * difference between two groups.
 */
import { type Warning, warning } from "../../messages.js";
import { InsufficientDataError, InvalidInputError } from "../errors.js";
import { checkConfLevel, waldCi, zTest } from "../inference/index.js";
import type { ConfidenceInterval } from "../result.js";
import { type KmCore, kmByGroup } from "./km-core.js";
import {
  freezeDeep,
  type GroupLabel,
  type LabelColumn,
  type NumberColumn,
  prepareSurvivalInput,
} from "./survival-input.js";

export interface RmstInput {
  readonly time: NumberColumn;
  /** 1 = event, 0 = censored. */
  readonly status: NumberColumn;
  readonly group?: LabelColumn;
  /** Optional case weights (counts enter the Greenwood-form SE weighted, as R survmean). */
  readonly weights?: NumberColumn;
}

export interface RmstOptions {
  /** Restriction time τ > 0 (required). */
  readonly tau: number;
  readonly confLevel?: number;
  /** Merge near-equal times as survival's aeqSurv (default true). */
  readonly timefix?: boolean;
}

export interface RmstEstimate {
  readonly group: GroupLabel | null;
  /** RMST ∫₀^τ Ŝ(t) dt. */
  readonly estimate: number;
  /** Greenwood-form SE √Σ_j A_j² d_j/(n_j(n_j − d_j)), A_j = ∫_{t_j}^τ Ŝ (terms with n_j = d_j count 0). */
  readonly se: number;
  /** Wald interval estimate ± z·se. */
  readonly ci: ConfidenceInterval;
  readonly n: number;
  readonly nEvents: number;
  /** The group's last observed time (τ beyond it extends the curve flat). */
  readonly lastTime: number;
}

export interface RmstResult {
  readonly method: string;
  readonly tau: number;
  readonly confLevel: number;
  readonly n: number;
  readonly nExcluded: number;
  readonly groups: readonly GroupLabel[];
  readonly estimates: readonly RmstEstimate[];
  readonly warnings: readonly Warning[];
}

/** RMST and its Greenwood-form variance from one Kaplan–Meier curve (R survival's survmean). */
export function rmstFromCurve(core: KmCore, tau: number, start = 0): { estimate: number; variance: number } {
  const { time, surv, nRisk, nEvent } = core;
  let k = 0;
  while (k < core.m && (time[k] as number) <= tau) k++;
  if (k === 0) return { estimate: tau - start, variance: 0 };
  // rect[0] = (t_1 − start)·1, rect[i] = (t_{i+1} − t_i)·S_i (i = 1..k−1), rect[k] = (τ − t_k)·S_k
  let estimate = (time[0] as number) - start;
  let after = (tau - (time[k - 1] as number)) * (surv[k - 1] as number); // A_k
  let variance = 0;
  for (let i = k - 1; i >= 0; i--) {
    // `after` is ∫_{t_i}^τ Ŝ (0-based time index i)
    const n = nRisk[i] as number;
    const d = nEvent[i] as number;
    if (d > 0 && n - d > 0) variance += (after * after * d) / (n * (n - d));
    if (i > 0) {
      const r = ((time[i] as number) - (time[i - 1] as number)) * (surv[i - 1] as number);
      after += r;
    }
  }
  estimate += after;
  return { estimate, variance };
}

function prepare(fn: string, input: RmstInput, options: RmstOptions) {
  const { tau } = options;
  if (typeof tau !== "number" || !Number.isFinite(tau) || !(tau > 0)) {
    throw new InvalidInputError(fn, `tau must be a positive finite number (received ${String(tau)})`);
  }
  const confLevel = options.confLevel ?? 0.95;
  checkConfLevel(confLevel, fn);
  const prep = prepareSurvivalInput({
    fn,
    time: input.time,
    status: input.status,
    weights: input.weights,
    group: input.group,
    maxStatus: 1,
    timefix: options.timefix,
  });
  if (prep.n === 0) throw new InsufficientDataError(fn, 1, 0);
  const cores = kmByGroup(prep, false);
  const warnings = [...prep.warnings];
  const hasGroups = input.group !== undefined;
  const estimates: RmstEstimate[] = cores.map((core, k) => {
    const { estimate, variance } = rmstFromCurve(core, tau);
    const se = Math.sqrt(variance);
    let nEvents = 0;
    for (let j = 0; j < core.m; j++) nEvents += core.nEvent[j] as number;
    const lastTime = core.m > 0 ? (core.time[core.m - 1] as number) : 0;
    const group = hasGroups ? (prep.groupLabels[k] as GroupLabel) : null;
    if (tau > lastTime) {
      warnings.push(
        warning(
          "TAU_BEYOND_FOLLOW_UP",
          `tau = ${tau} > last time ${lastTime}${group === null ? "" : ` (group ${group})`}`,
          {
            group,
            lastTime,
          },
        ),
      );
    }
    if (nEvents === 0)
      warnings.push(warning("NO_EVENTS", group === null ? undefined : `group ${group}`, { group }));
    return { group, estimate, se, ci: waldCi(estimate, se, confLevel), n: core.n, nEvents, lastTime };
  });
  return { prep, estimates, warnings, confLevel, tau, hasGroups };
}

/**
 * Restricted mean survival time RMST(τ) = ∫₀^τ Ŝ(u) du under the Kaplan–Meier curve, by group, with
 * the Greenwood-form SE √Σ_j A_j² d_j/(n_j(n_j − d_j)), A_j = ∫_{t_j}^τ Ŝ, and a Wald CI.
 *
 * Variant: identical to R `print(survfit(...), rmean = τ)` / `summary(fit, rmean = τ)$table`
 * ("rmean", "se(rmean)") and to `survRM2::rmst2`'s per-arm RMST (same formula); τ beyond a group's
 * last time extends the curve flat with a TAU_BEYOND_FOLLOW_UP warning (survRM2 refuses such τ).
 *
 * Reference: Royston & Parmar (2013), BMC Med Res Methodol 13:152; R survival `survmean`.
 */
export function rmst(input: RmstInput, options: RmstOptions): RmstResult {
  const fn = "rmst";
  const { prep, estimates, warnings, confLevel, tau, hasGroups } = prepare(fn, input, options);
  return freezeDeep({
    method: "Restricted mean survival time (area under the Kaplan-Meier curve), Greenwood-form SE, Wald CI",
    tau,
    confLevel,
    n: prep.n,
    nExcluded: prep.nExcluded,
    groups: hasGroups ? prep.groupLabels : [],
    estimates,
    warnings,
  });
}

export interface RmstDifferenceOptions extends RmstOptions {
  /** Reference group label (default: the first in sorted order); the difference is other − reference. */
  readonly reference?: GroupLabel;
}

export interface RmstDifferenceResult {
  /** RMST(other) − RMST(reference). */
  readonly estimate: number;
  readonly se: number;
  readonly ci: ConfidenceInterval;
  /** z = estimate / se. */
  readonly statistic: number | null;
  readonly pValue: number | null;
  readonly alternative: "two-sided";
  readonly nullDistribution: string;
  readonly n: number;
  readonly nExcluded: number;
  readonly method: string;
  readonly tau: number;
  /** [reference, other]. */
  readonly groups: readonly [GroupLabel, GroupLabel];
  /** Per-arm RMSTs, reference first. */
  readonly arms: readonly [RmstEstimate, RmstEstimate];
  readonly warnings: readonly Warning[];
}

/**
 * Difference in restricted mean survival time between two groups, RMST(other) − RMST(reference),
 * with SE √(se₁² + se₀²) (independent arms), Wald CI and two-sided z-test p-value — the
 * "RMST (arm=1)-(arm=0)" row of `survRM2::rmst2`.
 *
 * @throws InvalidInputError unless the group column has exactly two groups (after exclusions).
 */
export function rmstDifference(input: RmstInput, options: RmstDifferenceOptions): RmstDifferenceResult {
  const fn = "rmstDifference";
  if (input.group === undefined)
    throw new InvalidInputError(fn, "a group column with two groups is required");
  const { prep, estimates, warnings, confLevel, tau } = prepare(fn, input, options);
  if (estimates.length !== 2) {
    throw new InvalidInputError(fn, `exactly two groups are required (found ${estimates.length})`);
  }
  let refIdx = 0;
  if (options.reference !== undefined) {
    refIdx = prep.groupLabels.indexOf(options.reference);
    if (refIdx < 0) throw new InvalidInputError(fn, `reference group ${String(options.reference)} not found`);
  }
  const ref = estimates[refIdx] as RmstEstimate;
  const other = estimates[1 - refIdx] as RmstEstimate;
  const estimate = other.estimate - ref.estimate;
  const se = Math.sqrt(other.se * other.se + ref.se * ref.se);
  const test = zTest(estimate, se);
  return freezeDeep({
    estimate,
    se,
    ci: waldCi(estimate, se, confLevel),
    statistic: test.statistic,
    pValue: test.pValue,
    alternative: "two-sided" as const,
    nullDistribution: "standard normal",
    n: prep.n,
    nExcluded: prep.nExcluded,
    method:
      "Difference in restricted mean survival time, Greenwood-form SEs, Wald CI and z test (survRM2::rmst2)",
    tau,
    groups: [ref.group as GroupLabel, other.group as GroupLabel] as const,
    arms: [ref, other] as const,
    warnings,
  });
}
