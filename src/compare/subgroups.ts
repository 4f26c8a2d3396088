/**
 * Effects within subgroups (heterogeneity, MEASURES §1.7) and the treatment × subgroup interaction test.
 */
import { type Warning, warning } from "../messages.js";
import { chiSquaredUpperTail } from "../stats/distributions/index.js";
import { InvalidInputError } from "../stats/errors.js";
import { type DesignColumn, glm } from "../stats/regression/index.js";
import { freezeResult, type TestResult } from "../stats/result.js";
import { coxPH } from "../stats/survival/cox.js";
import { mapToFloat64, mapToUint8 } from "../util/typed-map.js";
import {
  type EffectInput,
  type EffectOptions,
  type EffectResult,
  estimateEffect,
  subsetOutcome,
} from "./effects.js";
import {
  compareLabels,
  type Label,
  quadForm,
  readNumbers,
  readTreat,
  readWeights,
  requireLength,
} from "./util.js";

export interface SubgroupInput extends EffectInput {
  /** Subgroup label per unit (e.g. race/ethnicity, payer, rurality); missing labels are excluded and counted. */
  readonly subgroup: ArrayLike<Label | null | undefined>;
}

export interface SubgroupOptions extends EffectOptions {
  /**
   * Scale of the interaction test: "multiplicative" (log link: risk, rate or hazard ratios; default for
   * binary, count and time-to-event outcomes) or "additive" (identity link; default for continuous).
   */
  readonly scale?: "additive" | "multiplicative";
  /** Name of the subgroup variable, for labels. */
  readonly name?: string;
}

export interface SubgroupLevel {
  readonly level: Label;
  readonly n: number;
  readonly nTreated: number;
  readonly nControl: number;
  /** The effect within the level (null when not evaluable: see warnings). */
  readonly effect: EffectResult | null;
  readonly warnings: readonly Warning[];
}

export interface SubgroupResult {
  readonly name: string;
  readonly levels: readonly SubgroupLevel[];
  /** Joint Wald χ² test of the treatment × subgroup terms (df = levels − 1), robust variance. */
  readonly interaction: TestResult;
  readonly scale: "additive" | "multiplicative";
  readonly nExcluded: number;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

const FN = "subgroupEffects";

/**
 * Treatment effect within each level of a subgroup variable (same estimator as `estimateEffect`, with
 * the same weights and variance), per-level counts, and the interaction test: a model with arm,
 * subgroup dummies and arm × subgroup terms (weighted GLM — Poisson/log for the multiplicative scale,
 * gaussian/identity for the additive one, with log person-time offset for counts — or a weighted Cox
 * model for time to event), whose interaction coefficients are tested jointly by a Wald χ² with the
 * robust (HC0, or cluster) variance. Levels lacking an arm or events are reported as not evaluable.
 *
 * Reference: Wang, Lagakos, Ware, Hunter & Drazen (2007), NEJM 357:2189–2194 (reporting subgroup
 * analyses); R `lmtest::waldtest` with `sandwich` variances.
 */
export function subgroupEffects(input: SubgroupInput, options: SubgroupOptions = {}): SubgroupResult {
  const t = readTreat(FN, input.treat);
  const n = t.length;
  requireLength(FN, "subgroup", input.subgroup, n);
  const name = options.name ?? "subgroup";
  const warnings: Warning[] = [];
  let keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = input.subgroup[i];
    if (v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v))) continue;
    keep.push(i);
  }
  const nExcluded = n - keep.length;
  if (nExcluded > 0)
    warnings.push(
      warning("MISSING_DROPPED", `${nExcluded} unit(s) without a ${name} value`, { count: nExcluded }),
    );
  const levels = [...new Set(keep.map((i) => input.subgroup[i] as Label))].sort(compareLabels);
  if (levels.length < 2) throw new InvalidInputError(FN, `${name} has fewer than two levels`);
  const w = input.weights ? readWeights(FN, input.weights, n).weights : null;

  const kcAll = input.cluster !== undefined;
  const perLevel: SubgroupLevel[] = levels.map((lev) => {
    const idx = keep.filter((i) => input.subgroup[i] === lev);
    let nt = 0;
    for (const i of idx) nt += t[i]!;
    const lw: Warning[] = [];
    let effect: EffectResult | null = null;
    try {
      effect = estimateEffect(
        {
          treat: mapToUint8(idx, (i) => t[i]!),
          outcome: subsetOutcome(input.outcome, idx),
          ...(w ? { weights: mapToFloat64(idx, (i) => w[i]!) } : {}),
          ...(input.cluster ? { cluster: idx.map((i) => input.cluster![i]!) } : {}),
        },
        options.variance === "stacked" ? { ...options, variance: kcAll ? "cluster" : "HC0" } : options,
      );
      if (effect.relative.estimate === null || effect.absolute.estimate === null) {
        lw.push(warning("SUBGROUP_NOT_EVALUABLE", `${name} = ${lev}`));
      }
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      lw.push(warning("SUBGROUP_NOT_EVALUABLE", `${name} = ${lev}: ${e.message}`));
    }
    if (Math.min(nt, idx.length - nt) < 11)
      lw.push(warning("SUBGROUP_SMALL", `${name} = ${lev}: ${nt} treated, ${idx.length - nt} control`));
    return { level: lev, n: idx.length, nTreated: nt, nControl: idx.length - nt, effect, warnings: lw };
  });
  for (const l of perLevel) warnings.push(...l.warnings);

  // Interaction model on the rows of the levels whose own effect is evaluable on the test's scale: a
  // level with no events (or one arm) in it gives a separated, unbounded coefficient that would make
  // the joint Wald statistic meaningless (R's glm returns such fits with a huge SE or a huge χ²).
  const o = input.outcome;
  const scale = options.scale ?? (o.type === "continuous" ? "additive" : "multiplicative");
  const evaluable = new Set(
    perLevel
      .filter(
        (l) =>
          l.effect !== null &&
          (scale === "multiplicative" ? l.effect.relative.estimate : l.effect.absolute.estimate) !== null,
      )
      .map((l) => l.level),
  );
  const leftOut = levels.filter((l) => !evaluable.has(l));
  if (levels.length - leftOut.length < 2) {
    warnings.push(
      warning(
        "SUBGROUP_INTERACTION_NOT_EVALUABLE",
        `${name}: ${levels.length - leftOut.length} level(s) with an evaluable effect`,
      ),
    );
    return freezeResult({
      name,
      levels: perLevel,
      interaction: {
        statistic: null,
        df: null,
        pValue: null,
        n: 0,
        nExcluded,
        method: `Wald χ² test of the arm × ${name} interaction (${scale} scale): not evaluable (fewer than two levels with an evaluable effect)`,
        nullDistribution: "chi-squared",
        warnings: [],
      },
      scale,
      nExcluded,
      method: `Subgroup effects by ${name} (${levels.length} levels); interaction not evaluable`,
      warnings,
    });
  }
  if (leftOut.length > 0) {
    const ev = levels.filter((l) => evaluable.has(l));
    keep = keep.filter((i) => evaluable.has(input.subgroup[i] as Label));
    levels.length = 0;
    levels.push(...ev);
  }
  const m = keep.length;
  const tr = mapToFloat64(keep, (i) => t[i]!);
  const cols: DesignColumn[] = [{ name: "treat", values: tr }];
  const interNames: string[] = [];
  for (let k = 1; k < levels.length; k++) {
    const d = mapToFloat64(keep, (i) => (input.subgroup[i] === levels[k] ? 1 : 0));
    cols.push({ name: `${name}${levels[k]}`, values: d });
  }
  for (let k = 1; k < levels.length; k++) {
    const d = cols[k]!.values as Float64Array;
    const x = new Float64Array(m);
    for (let j = 0; j < m; j++) x[j] = d[j]! * tr[j]!;
    const nm = `treat:${name}${levels[k]}`;
    interNames.push(nm);
    cols.push({ name: nm, values: x });
  }
  const kw = w ? mapToFloat64(keep, (i) => w[i]!) : null;
  const kc = input.cluster ? keep.map((i) => input.cluster![i]!) : null;
  const variance = options.variance === "stacked" ? "HC0" : (options.variance ?? (kc ? "cluster" : "HC0"));
  let est: (number | null)[] = [];
  let vc: (readonly (number | null)[])[] = [];
  let method: string;
  if (o.type === "timeToEvent") {
    const time = readNumbers(FN, "time", o.time);
    const status = readNumbers(FN, "status", o.status);
    const fit = coxPH(
      {
        time: mapToFloat64(keep, (i) => time[i]!),
        status: mapToFloat64(keep, (i) => status[i]!),
        x: cols.map((c) => c.values),
        names: cols.map((c) => c.name),
        ...(kw ? { weights: kw } : {}),
        ...(kc && variance === "cluster" ? { cluster: kc } : {}),
      },
      { robust: true, concordance: false },
    );
    const idx = interNames.map((nm) => fit.names.indexOf(nm));
    est = idx.map((j) => fit.coefficients[j] ?? null);
    vc = idx.map((a) => idx.map((b) => fit.variance[a]?.[b] ?? null));
    method = "Cox model with arm × subgroup terms, robust variance";
  } else {
    const y0 = readNumbers(FN, "y", o.y);
    let y = mapToFloat64(keep, (i) => y0[i]!);
    let offset: Float64Array | null = null;
    let ww = kw;
    if (o.type === "count") {
      const pt = readNumbers(FN, "personTime", o.personTime);
      const kp = mapToFloat64(keep, (i) => pt[i]!);
      if (scale === "multiplicative") offset = kp.map((v) => Math.log(v));
      else {
        y = y.map((v, j) => v / kp[j]!);
        ww = kp.map((v, j) => v * (kw ? kw[j]! : 1));
      }
    }
    const fit = glm(
      {
        y,
        x: cols,
        ...(ww ? { weights: ww } : {}),
        ...(offset ? { offset } : {}),
        ...(kc && variance === "cluster" ? { cluster: kc } : {}),
      },
      {
        family: scale === "multiplicative" ? "poisson" : "gaussian",
        variance: variance === "model" ? "HC0" : variance,
      },
    );
    const names = fit.coefficients.map((c) => c.name);
    const idx = interNames.map((nm) => names.indexOf(nm));
    est = idx.map((j) => fit.coefficients[j]!.estimate);
    vc = idx.map((a) => idx.map((b) => fit.vcov[a]![b]!));
    method = `${scale === "multiplicative" ? "Poisson (log link)" : "gaussian (identity link)"} GLM with arm × subgroup terms, ${variance === "cluster" ? "cluster-robust" : variance === "model" ? "HC0" : variance} variance`;
  }
  const okIdx = est.map((e, k) => (e === null ? -1 : k)).filter((k) => k >= 0);
  let stat: number | null = null;
  if (okIdx.length > 0) {
    stat = quadForm(
      okIdx.map((a) => okIdx.map((b) => vc[a]![b]!)),
      okIdx.map((k) => est[k]!),
    );
  }
  const df = okIdx.length;
  const interaction: TestResult = {
    statistic: stat,
    df: stat === null ? null : df,
    pValue: stat === null ? null : chiSquaredUpperTail(stat, df),
    n: m,
    nExcluded,
    method: `Wald χ² test of the arm × ${name} interaction (${scale} scale): ${method}${leftOut.length > 0 ? `; levels without an evaluable effect left out of the test: ${leftOut.join(", ")}` : ""}`,
    nullDistribution: "chi-squared",
    warnings: [],
  };
  return freezeResult({
    name,
    levels: perLevel,
    interaction,
    scale,
    nExcluded,
    method: `Subgroup effects by ${name} (${levels.length} levels) with a ${scale}-scale interaction test`,
    warnings,
  });
}
