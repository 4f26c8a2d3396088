/**
 * Difference-in-differences with a concurrent comparison group, and event-study coefficients by
 * period relative to the start of the program.
 */
import { type Warning, warning } from "../messages.js";
import { chiSquaredUpperTail, normalQuantile } from "../stats/distributions/index.js";
import { InvalidInputError } from "../stats/errors.js";
import { type DesignColumn, type GlmResult, glm } from "../stats/regression/index.js";
import { freezeResult } from "../stats/result.js";
import type { EffectMeasure } from "./effects.js";
import { type Label, quadForm, readNumbers, readTreat, readWeights, requireLength } from "./util.js";

export interface DidInput {
  /** Person (or unit) id per row: rows are person-periods. */
  readonly unit: ArrayLike<Label>;
  /** 1 = program group, 0 = comparison group (constant within unit). */
  readonly group: ArrayLike<number | boolean>;
  /** Period relative to the program start: < 0 before, ≥ 0 after (whole numbers). */
  readonly period: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** Optional person-time per row (Poisson offset log(t)). */
  readonly personTime?: ArrayLike<number>;
  readonly weights?: ArrayLike<number>;
  /** Cluster per row (e.g. site); default: the unit (person). */
  readonly cluster?: ArrayLike<Label>;
}

export interface DidOptions {
  readonly confLevel?: number;
  /** Also fit the event study (default true). */
  readonly eventStudy?: boolean;
  /** Reference period of the event study (default −1). */
  readonly referencePeriod?: number;
  /** Cluster small-sample factor (default "HC0": G/(G−1)). */
  readonly clusterAdjust?: "HC0" | "HC1";
}

export interface EventStudyPoint {
  readonly period: number;
  /** Group × period coefficient (0 at the reference period); null if not estimable. */
  readonly estimate: number | null;
  readonly se: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly reference: boolean;
  readonly nTreated: number;
  readonly nControl: number;
}

export interface DidResult {
  /** Interaction group × post of the gaussian model: the DiD in outcome units. */
  readonly absolute: EffectMeasure;
  /** exp(interaction) of the Poisson model: ratio of rate ratios (null when y < 0 somewhere). */
  readonly relative: EffectMeasure;
  /** Cell means: pre/post × comparison/program. */
  readonly cells: {
    readonly controlPre: number;
    readonly controlPost: number;
    readonly treatedPre: number;
    readonly treatedPost: number;
  };
  readonly eventStudy: readonly EventStudyPoint[] | null;
  /** Joint Wald test that all pre-period event-study coefficients are 0 (a parallel-trends check). */
  readonly preTrendTest: { readonly statistic: number; readonly df: number; readonly pValue: number } | null;
  readonly nClusters: number;
  readonly n: number;
  readonly nExcluded: number;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

const FN = "differenceInDifferences";

function interaction(
  fit: GlmResult,
  name: string,
): {
  est: number | null;
  se: number | null;
  stat: number | null;
  p: number | null;
  lo: number | null;
  hi: number | null;
} {
  const c = fit.coefficients.find((k) => k.name === name)!;
  return { est: c.estimate, se: c.se, stat: c.statistic, p: c.pValue, lo: c.ci.lower, hi: c.ci.upper };
}

/**
 * Difference-in-differences on person-period rows: y ~ group + post + group:post (post = period ≥ 0),
 * weighted when weights are given, with cluster-robust variance by person (or the given cluster, e.g.
 * site; sandwich::vcovCL, G/(G−1)). Absolute effect: the interaction of the gaussian (identity) model;
 * relative: exp(interaction) of the Poisson (log) model, a ratio of rate ratios (with log person-time
 * offset when given). Event study: y ~ group + factor(period) + Σ_{k ≠ ref} group·1[period = k],
 * gaussian, cluster-robust, with a joint Wald test of the pre-period coefficients (parallel trends).
 *
 * Reference: Angrist & Pischke (2009) ch. 5; Bertrand, Duflo & Mullainathan (2004) QJE 119:249 on
 * clustering; R `lm` + `sandwich::vcovCL`.
 */
export function differenceInDifferences(input: DidInput, options: DidOptions = {}): DidResult {
  const level = options.confLevel ?? 0.95;
  const g = readTreat(FN, input.group, "group");
  const n = g.length;
  requireLength(FN, "unit", input.unit, n);
  requireLength(FN, "period", input.period, n);
  requireLength(FN, "y", input.y, n);
  requireLength(FN, "personTime", input.personTime, n);
  requireLength(FN, "cluster", input.cluster, n);
  const period = readNumbers(FN, "period", input.period);
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(period[i]!))
      throw new InvalidInputError(FN, `period must be a whole number (row ${i})`);
  }
  const y = readNumbers(FN, "y", input.y);
  const w = input.weights ? readWeights(FN, input.weights, n).weights : null;
  const cluster = input.cluster ?? input.unit;
  // group constant within unit
  const unitGroup = new Map<Label, number>();
  for (let i = 0; i < n; i++) {
    const u = input.unit[i]!;
    const prev = unitGroup.get(u);
    if (prev === undefined) unitGroup.set(u, g[i]!);
    else if (prev !== g[i]) throw new InvalidInputError(FN, `unit "${u}" is in both groups`);
  }
  const post = new Float64Array(n);
  const gp = new Float64Array(n);
  const gf = Float64Array.from(g);
  const cellSum = new Float64Array(4);
  const cellW = new Float64Array(4);
  for (let i = 0; i < n; i++) {
    post[i] = period[i]! >= 0 ? 1 : 0;
    gp[i] = gf[i]! * post[i]!;
    if (Number.isNaN(y[i]!)) continue;
    const k = g[i]! * 2 + post[i]!;
    const wi = w ? w[i]! : 1;
    cellSum[k] = cellSum[k]! + wi * y[i]!;
    cellW[k] = cellW[k]! + wi;
  }
  for (let k = 0; k < 4; k++) {
    if (!(cellW[k]! > 0)) {
      throw new InvalidInputError(
        FN,
        "difference-in-differences needs both groups observed both before (period < 0) and after (period ≥ 0)",
      );
    }
  }
  const warnings: Warning[] = [];
  const clusterAdjust = options.clusterAdjust ?? "HC0";
  const x: DesignColumn[] = [
    { name: "group", values: gf },
    { name: "post", values: post },
    { name: "group:post", values: gp },
  ];
  const base = { x, cluster, ...(w ? { weights: w } : {}) };
  const lin = glm(
    { y, ...base },
    { family: "gaussian", variance: "cluster", clusterAdjust, confLevel: level },
  );
  for (const wn of lin.warnings) warnings.push(wn);
  const a = interaction(lin, "group:post");
  const absolute: EffectMeasure = {
    measure: "difference in differences",
    scale: "absolute",
    nullValue: 0,
    estimate: a.est,
    se: a.se,
    ci: { lower: a.lo, upper: a.hi, level },
    statistic: a.stat,
    pValue: a.p,
    n: lin.n,
    nExcluded: lin.nExcluded,
    method: `DiD: gaussian GLM y ~ group * post, cluster-robust variance (${lin.nClusters} clusters, vcovCL ${clusterAdjust}), t CI`,
    warnings: [],
  };
  let nonNegative = true;
  for (let i = 0; i < n; i++) if (y[i]! < 0) nonNegative = false;
  let relative: EffectMeasure;
  if (nonNegative) {
    let offset: Float64Array | undefined;
    if (input.personTime) {
      const pt = readNumbers(FN, "personTime", input.personTime);
      offset = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        if (!(pt[i]! > 0) && !Number.isNaN(pt[i]!))
          throw new InvalidInputError(FN, `personTime must be > 0 (row ${i})`);
        offset[i] = Math.log(pt[i]!);
      }
    }
    const pois = glm(
      { y, ...base, ...(offset ? { offset } : {}) },
      { family: "poisson", variance: "cluster", clusterAdjust, confLevel: level },
    );
    const r = interaction(pois, "group:post");
    const z = normalQuantile(0.5 + level / 2);
    relative = {
      measure: "ratio of rate ratios",
      scale: "relative",
      nullValue: 1,
      estimate: r.est === null ? null : Math.exp(r.est),
      se: r.se,
      ci: {
        lower: r.est === null || r.se === null ? null : Math.exp(r.est - z * r.se),
        upper: r.est === null || r.se === null ? null : Math.exp(r.est + z * r.se),
        level,
      },
      statistic: r.stat,
      pValue: r.p,
      n: pois.n,
      nExcluded: pois.nExcluded,
      method: `DiD (multiplicative): Poisson GLM y ~ group * post${offset ? " + offset(log t)" : ""}, exp(interaction), cluster-robust variance`,
      warnings: pois.warnings.filter((k) => k.code !== "NON_INTEGER_COUNTS"),
    };
  } else {
    relative = {
      measure: "ratio of rate ratios",
      scale: "relative",
      nullValue: 1,
      estimate: null,
      se: null,
      ci: { lower: null, upper: null, level },
      statistic: null,
      pValue: null,
      n: lin.n,
      nExcluded: lin.nExcluded,
      method: "not evaluable: the outcome takes negative values",
      warnings: [warning("EFFECT_NOT_EVALUABLE", "ratio DiD needs a non-negative outcome")],
    };
  }

  let eventStudy: EventStudyPoint[] | null = null;
  let preTrendTest: DidResult["preTrendTest"] = null;
  if (options.eventStudy ?? true) {
    const ref = options.referencePeriod ?? -1;
    const periods = [...new Set(Array.from(period))].sort((p, q) => p - q);
    if (!periods.includes(ref)) throw new InvalidInputError(FN, `reference period ${ref} does not occur`);
    const others = periods.filter((p) => p !== ref);
    const cols: DesignColumn[] = [{ name: "group", values: gf }];
    for (const p of others) {
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = period[i] === p ? 1 : 0;
      cols.push({ name: `period${p}`, values: d });
    }
    for (const p of others) {
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = period[i] === p ? gf[i]! : 0;
      cols.push({ name: `group:period${p}`, values: d });
    }
    const es = glm(
      { y, x: cols, cluster, ...(w ? { weights: w } : {}) },
      { family: "gaussian", variance: "cluster", clusterAdjust, confLevel: level },
    );
    const counts = (p: number, grp: number): number => {
      const units = new Set<Label>();
      for (let i = 0; i < n; i++) if (period[i] === p && g[i] === grp) units.add(input.unit[i]!);
      return units.size;
    };
    eventStudy = periods.map((p) => {
      if (p === ref) {
        return {
          period: p,
          estimate: 0,
          se: 0,
          lower: 0,
          upper: 0,
          reference: true,
          nTreated: counts(p, 1),
          nControl: counts(p, 0),
        };
      }
      const c = es.coefficients.find((k) => k.name === `group:period${p}`)!;
      return {
        period: p,
        estimate: c.estimate,
        se: c.se,
        lower: c.ci.lower,
        upper: c.ci.upper,
        reference: false,
        nTreated: counts(p, 1),
        nControl: counts(p, 0),
      };
    });
    // Joint Wald test of pre-period coefficients.
    const names = es.coefficients.map((k) => k.name);
    const idx = others
      .filter((p) => p < 0)
      .map((p) => names.indexOf(`group:period${p}`))
      .filter((j) => j >= 0 && es.coefficients[j]!.estimate !== null);
    if (idx.length > 0) {
      const k = idx.length;
      const b = idx.map((j) => es.coefficients[j]!.estimate!);
      const V = idx.map((i) => idx.map((j) => es.vcov[i]![j]!));
      const stat = quadForm(V, b);
      if (stat !== null) {
        preTrendTest = { statistic: stat, df: k, pValue: chiSquaredUpperTail(stat, k) };
      }
    }
  }
  return freezeResult({
    absolute,
    relative,
    cells: {
      controlPre: cellSum[0]! / cellW[0]!,
      controlPost: cellSum[1]! / cellW[1]!,
      treatedPre: cellSum[2]! / cellW[2]!,
      treatedPost: cellSum[3]! / cellW[3]!,
    },
    eventStudy,
    preTrendTest,
    nClusters: lin.nClusters ?? 0,
    n: lin.n,
    nExcluded: lin.nExcluded,
    method: `Difference-in-differences (two-way: group × post) with cluster-robust variance${w ? ", weighted" : ""}${eventStudy ? "; event study by relative period" : ""}`,
    warnings,
  });
}
