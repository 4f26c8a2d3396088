/**
 * The G-rho family of k-sample tests for right-censored data (R `survival::survdiff`).
 */
import { type Warning, warning } from "../../messages.js";
import { chiSquaredUpperTail } from "../distributions/index.js";
import { InsufficientDataError, InvalidInputError } from "../errors.js";
import {
  freezeDeep,
  type GroupLabel,
  type LabelColumn,
  type NumberColumn,
  partitionByKey,
  prepareSurvivalInput,
} from "./survival-input.js";
import { quadraticFormGinv } from "./survival-linalg.js";

export interface LogRankInput {
  readonly time: NumberColumn;
  /** 1 = event, 0 = censored. */
  readonly status: NumberColumn;
  /** Group labels (at least two groups for a test). */
  readonly group: LabelColumn;
  /** Optional strata: risk sets are formed within strata and O, E, V summed over them. */
  readonly strata?: LabelColumn;
}

export interface LogRankOptions {
  /** 0 (default): log-rank (Mantel–Haenszel); 1: Peto–Peto modification of the Gehan–Wilcoxon test. */
  readonly rho?: number;
  /** Merge near-equal times as survival's aeqSurv (default true, R `timefix = TRUE`). */
  readonly timefix?: boolean;
}

export interface LogRankResult {
  /** χ² = (O − E)' V⁻ (O − E) over the groups with E > 0 (first of them dropped); null if not evaluable. */
  readonly statistic: number | null;
  /** Number of groups with E > 0, minus 1 (R survdiff). */
  readonly df: number | null;
  readonly pValue: number | null;
  readonly nullDistribution: string;
  readonly n: number;
  readonly nExcluded: number;
  readonly method: string;
  readonly rho: number;
  /** Group labels in sorted order; every per-group array follows this order. */
  readonly groups: readonly GroupLabel[];
  /** Rows per group. */
  readonly nPerGroup: readonly number[];
  /** Σ_t w_t d_gt (w_t = Ŝ(t−)^rho, pooled KM within stratum). */
  readonly observed: readonly number[];
  /** Σ_t w_t d_t n_gt / n_t. */
  readonly expected: readonly number[];
  /** O − E per group. */
  readonly observedMinusExpected: readonly number[];
  /** O / E per group (null where E = 0). */
  readonly observedOverExpected: readonly (number | null)[];
  /** Variance matrix of O − E: Σ_t w_t² d_t (n_t − d_t)/(n_t − 1) [diag(n_gt/n_t) − n_gt n_ht/n_t²]. */
  readonly variance: readonly (readonly number[])[];
  /** Number of strata (1 when none given). */
  readonly nStrata: number;
  readonly warnings: readonly Warning[];
}

const FN = "logRankTest";

/**
 * G-rho family test of equal survival across groups (Harrington & Fleming 1982), stratified or not.
 *
 * Variant: exactly R `survival::survdiff` — rho = 0 is the log-rank test; rho = 1 weights each
 * event time by Ŝ(t−), the Kaplan–Meier estimate of the pooled sample (within the stratum) just
 * before t, i.e. the Peto & Peto (1972) modification of the Gehan–Wilcoxon test. Observed counts are
 * weighted too (O = Σ w d_g). Ties: all events at a time enter together with the hypergeometric
 * variance factor (n − d)/(n − 1). Groups whose expected count is 0 (every subject left before the
 * first event) are dropped from the quadratic form and from df (GROUP_NO_EXPECTED); the statistic
 * uses a generalized inverse of V after dropping the first remaining group. No case weights (R's
 * survdiff has none). With one group, or no events, the statistic is null with ONE_GROUP / NO_EVENTS.
 *
 * Reference: Mantel (1966); Peto & Peto (1972), JRSS A 135:185–207; Harrington & Fleming (1982),
 * Biometrika 69:553–566; R survival `survdiff`.
 */
export function logRankTest(input: LogRankInput, options: LogRankOptions = {}): LogRankResult {
  const rho = options.rho ?? 0;
  if (typeof rho !== "number" || !Number.isFinite(rho) || rho < 0) {
    throw new InvalidInputError(FN, `rho must be a finite number ≥ 0 (received ${String(rho)})`);
  }
  if (input.group === undefined) throw new InvalidInputError(FN, "group is required");
  const prep = prepareSurvivalInput({
    fn: FN,
    time: input.time,
    status: input.status,
    group: input.group,
    strata: input.strata,
    maxStatus: 1,
    timefix: options.timefix,
  });
  if (prep.n === 0) throw new InsufficientDataError(FN, 1, 0);
  const G = prep.groupLabels.length;
  const nStrata = prep.strata ? prep.strataLabels.length : 1;
  const strataKey = prep.strata ?? new Int32Array(prep.n);
  const { order, sorted, start } = partitionByKey(prep.timeOrder, prep.timeSorted, strataKey, nStrata);
  const { status, group } = prep;

  const obs = new Float64Array(G);
  const exp = new Float64Array(G);
  const V = new Float64Array(G * G);
  const nPerGroup = new Float64Array(G);
  for (let i = 0; i < prep.n; i++) nPerGroup[group[i] as number]!++;
  const risk = new Float64Array(G);
  const dg = new Float64Array(G);

  for (let s = 0; s < nStrata; s++) {
    const from = start[s] as number;
    const to = start[s + 1] as number;
    risk.fill(0);
    for (let k = from; k < to; k++) risk[group[order[k] as number] as number]!++;
    let nrisk = to - from;
    let km = 1;
    let k = from;
    while (k < to) {
      const t = sorted[k] as number;
      dg.fill(0);
      let d = 0;
      let l = k;
      for (; l < to; l++) {
        if (sorted[l] !== t) break;
        const r = order[l] as number;
        if (status[r] === 1) {
          dg[group[r] as number]!++;
          d++;
        }
      }
      if (d > 0) {
        const w = rho === 0 ? 1 : km ** rho;
        for (let g = 0; g < G; g++) {
          obs[g]! += w * (dg[g] as number);
          exp[g]! += (w * d * (risk[g] as number)) / nrisk;
        }
        if (nrisk > 1) {
          const c = (w * w * d * (nrisk - d)) / (nrisk * (nrisk - 1));
          for (let g = 0; g < G; g++) {
            const rg = risk[g] as number;
            if (rg === 0) continue;
            const tmp = c * rg;
            V[g * G + g]! += tmp;
            for (let h = 0; h < G; h++) V[g * G + h]! -= (tmp * (risk[h] as number)) / nrisk;
          }
        }
        km *= (nrisk - d) / nrisk;
      }
      for (let q = k; q < l; q++) risk[group[order[q] as number] as number]!--;
      nrisk -= l - k;
      k = l;
    }
  }

  const warnings: Warning[] = [...prep.warnings];
  const keep: number[] = [];
  for (let g = 0; g < G; g++) {
    if ((exp[g] as number) > 0) keep.push(g);
  }
  let totalEvents = 0;
  for (let i = 0; i < prep.n; i++) totalEvents += status[i] as number;
  let statistic: number | null = null;
  let df: number | null = null;
  let pValue: number | null = null;
  if (G < 2) {
    warnings.push(warning("ONE_GROUP", `group has a single value (${String(prep.groupLabels[0])})`));
  } else if (totalEvents === 0) {
    warnings.push(warning("NO_EVENTS"));
  } else {
    for (let g = 0; g < G; g++) {
      if (!((exp[g] as number) > 0)) {
        warnings.push(
          warning("GROUP_NO_EXPECTED", `group ${String(prep.groupLabels[g])}`, {
            group: prep.groupLabels[g],
          }),
        );
      }
    }
    df = keep.length - 1;
    if (keep.length < 2) {
      warnings.push(warning("ONE_GROUP", "fewer than two groups have expected events"));
      df = null;
    } else {
      const idx = keep.slice(1);
      const q = idx.length;
      const u = new Float64Array(q);
      const M = new Float64Array(q * q);
      for (let a = 0; a < q; a++) {
        const ga = idx[a] as number;
        u[a] = (obs[ga] as number) - (exp[ga] as number);
        for (let b = 0; b < q; b++) M[a * q + b] = V[ga * G + (idx[b] as number)] as number;
      }
      const qf = quadraticFormGinv(M, u, q);
      statistic = qf.value;
      if (qf.rank < q) warnings.push(warning("SINGULAR_VARIANCE", `rank ${qf.rank} of ${q}`));
      pValue = chiSquaredUpperTail(statistic, df);
    }
  }
  const variance: number[][] = [];
  for (let g = 0; g < G; g++) variance.push(Array.from(V.subarray(g * G, (g + 1) * G)));
  const observed = Array.from(obs);
  const expected = Array.from(exp);
  return freezeDeep({
    statistic,
    df,
    pValue,
    nullDistribution: "chi-squared",
    n: prep.n,
    nExcluded: prep.nExcluded,
    method:
      rho === 0
        ? `Log-rank test (survdiff rho = 0)${prep.strata ? ", stratified" : ""}`
        : rho === 1
          ? `Peto-Peto test (survdiff rho = 1, weights pooled KM S(t-))${prep.strata ? ", stratified" : ""}`
          : `G-rho test (survdiff rho = ${rho}, weights pooled KM S(t-)^rho)${prep.strata ? ", stratified" : ""}`,
    rho,
    groups: prep.groupLabels,
    nPerGroup: Array.from(nPerGroup),
    observed,
    expected,
    observedMinusExpected: observed.map((o, g) => o - (expected[g] as number)),
    observedOverExpected: observed.map((o, g) =>
      (expected[g] as number) > 0 ? o / (expected[g] as number) : null,
    ),
    variance,
    nStrata,
    warnings,
  });
}
