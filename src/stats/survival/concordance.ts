/**
 * Harrell's concordance for survival data, as R survival ≥ 3 `concordance()` / `concordancefit()`
 * with the default time weight ("n"): pair counts, C, and the infinitesimal-jackknife standard error.
 *
 * A pair is comparable when the earlier time is an event and the other subject is still at risk at
 * that time (a subject censored at the time of the event counts as longer; for (start, stop] data,
 * at risk means start < t ≤ stop). Pairs of events at the same time are tied on y (`tiedY`, or
 * `tiedXY` when x is tied too) and excluded. Weighted counts multiply wᵢwⱼ. With `reverse = false`
 * (R's default) a larger x predicts a longer time; `reverse = true` treats x as a risk score (what
 * coxph reports for its linear predictor). C = (concordant + tiedX/2)/(concordant + discordant + tiedX).
 * Counting is O(n log n) with Fenwick trees over the ranks of x.
 */
import { type Warning, warning } from "../../messages.js";
import { normalQuantile } from "../distributions/index.js";
import { InvalidInputError } from "../errors.js";
import {
  type CoxData,
  type CoxLabelColumn,
  type CoxNumberColumn,
  type CoxStatusColumn,
  prepareCoxData,
} from "./cox-data.js";
import { radixArgsort } from "./cox-sort.js";

export interface ConcordanceCounts {
  readonly concordant: number;
  readonly discordant: number;
  readonly tiedX: number;
  readonly tiedY: number;
  readonly tiedXY: number;
}

export interface ConcordanceResult {
  /** Harrell's C. */
  readonly estimate: number | null;
  /** Infinitesimal-jackknife SE of C (R `sqrt(concordance(...)$var)`), clustered when `cluster` is given. */
  readonly se: number | null;
  readonly ci: { readonly lower: number | null; readonly upper: number | null; readonly level: number };
  readonly counts: ConcordanceCounts;
  readonly n: number;
  readonly nExcluded: number;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

export interface ConcordanceInput {
  readonly time?: CoxNumberColumn | undefined;
  readonly start?: CoxNumberColumn | undefined;
  readonly stop?: CoxNumberColumn | undefined;
  readonly status: CoxStatusColumn;
  /** The predictor (risk score when `reverse` is true). */
  readonly x: CoxNumberColumn;
  readonly strata?: CoxLabelColumn | undefined;
  readonly weights?: CoxNumberColumn | undefined;
  readonly cluster?: CoxLabelColumn | undefined;
}

export interface ConcordanceOptions {
  /** true: larger x predicts a shorter time (risk score). Default false, as R. */
  readonly reverse?: boolean;
  readonly confLevel?: number;
  /** survival's aeqSurv time merging (default true). */
  readonly timefix?: boolean;
}

/** Fenwick tree over ranks 0..k−1. */
class Fenwick {
  readonly tree: Float64Array;
  constructor(readonly size: number) {
    this.tree = new Float64Array(size + 1);
  }
  add(r: number, v: number): void {
    for (let i = r + 1; i <= this.size; i += i & -i) this.tree[i] = (this.tree[i] as number) + v;
  }
  /** Σ over ranks < r. */
  prefix(r: number): number {
    let s = 0;
    for (let i = r; i > 0; i -= i & -i) s += this.tree[i] as number;
    return s;
  }
  clear(r: number): void {
    for (let i = r + 1; i <= this.size; i += i & -i) this.tree[i] = 0;
  }
}

export interface ConcordanceCore {
  /** Counts with x as a risk score (reverse = TRUE orientation). */
  readonly counts: ConcordanceCounts;
  /** Variance of C (infinitesimal jackknife), or null when there are no comparable pairs. */
  readonly variance: number | null;
}

interface RawCounts {
  readonly cHi: number;
  readonly cLo: number;
  readonly cEq: number;
  readonly tiedY: number;
  readonly tiedXY: number;
  readonly infHi: Float64Array | null;
  readonly infLo: Float64Array | null;
  readonly infEq: Float64Array | null;
  /** Weight of the row behind each influence entry. */
  readonly infWeight: Float64Array | null;
  /** Sorted-data row behind each influence entry (null: identity). */
  readonly infRow: Int32Array | null;
}

/** Fenwick add on a 1-based Float64Array tree of size m + 1. */
function fwAdd(tree: Float64Array, m: number, r: number, v: number): void {
  for (let i = r + 1; i <= m; i += i & -i) tree[i] = (tree[i] as number) + v;
}
/** Fenwick sum over indices < r. */
function fwPrefix(tree: Float64Array, r: number): number {
  let s = 0;
  for (let i = r; i > 0; i -= i & -i) s += tree[i] as number;
  return s;
}

/**
 * Right-censored data: rows are visited in increasing x (within stratum) and Fenwick trees over the
 * distinct times hold the rows already visited. With key = 2·rank(stop) + (censored ? 1 : 0), row j is
 * at risk for a death at time-rank r exactly when key_j ≥ 2r + 1 (a death is not compared with deaths
 * at its own time, which are tied on y). Few distinct times (whole days) keep the trees in cache.
 */
function countByTimeTree(d: CoxData, x: Float64Array, wantInfluence: boolean): RawCounts {
  const n = d.n;
  const { stop, status, weight, strataBounds } = d;
  const nStrata = strataBounds.length - 1;
  const trank = new Int32Array(n);
  const nT = new Int32Array(nStrata);
  for (let s = 0; s < nStrata; s++) {
    let r = -1;
    let last = Number.NaN;
    for (let i = strataBounds[s] as number; i < (strataBounds[s + 1] as number); i++) {
      const t = stop[i] as number;
      if (t !== last) {
        r++;
        last = t;
      }
      trank[i] = r;
    }
    nT[s] = r + 1;
  }
  // Positions ordered by stratum, then x (stable), and the per-row data gathered in that order so
  // that the counting loops below read sequentially.
  const order = radixArgsort(x);
  const byX = nStrata === 1 ? order : new Int32Array(n);
  if (nStrata > 1) {
    const next = Int32Array.from(strataBounds.subarray(0, nStrata));
    for (let k = 0; k < n; k++) {
      const i = order[k] as number;
      const st = d.stratum[i] as number;
      byX[next[st] as number] = i;
      next[st] = (next[st] as number) + 1;
    }
  }
  const packed = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    packed[4 * i] = x[i] as number;
    packed[4 * i + 1] = weight[i] as number;
    packed[4 * i + 2] = trank[i] as number;
    packed[4 * i + 3] = status[i] as number;
  }
  const xq = new Float64Array(n);
  const wq = new Float64Array(n);
  const rq = new Int32Array(n);
  const dq = new Uint8Array(n);
  for (let q = 0; q < n; q++) {
    const b4 = 4 * (byX[q] as number);
    xq[q] = packed[b4] as number;
    wq[q] = packed[b4 + 1] as number;
    rq[q] = packed[b4 + 2] as number;
    dq[q] = packed[b4 + 3] as number;
  }
  const hiQ = wantInfluence ? new Float64Array(n) : null;
  const loQ = wantInfluence ? new Float64Array(n) : null;
  const eqQ = wantInfluence ? new Float64Array(n) : null;
  const tmpBelow = new Float64Array(n);
  const tmpLess = wantInfluence ? new Float64Array(n) : null;
  let cHi = 0;
  let cLo = 0;
  let cEq = 0;
  let tiedAll = 0;
  let tiedXY = 0;
  for (let s = 0; s < nStrata; s++) {
    const b0 = strataBounds[s] as number;
    const b1 = strataBounds[s + 1] as number;
    const T = nT[s] as number;
    if (T === 0) continue;
    const m2 = 2 * T;
    const riskTree = new Float64Array(m2 + 1);
    const deathTree = new Float64Array(T + 1);
    const keyW = new Float64Array(m2);
    const deathW = new Float64Array(T);
    const deathW2 = new Float64Array(T);
    for (let q = b0; q < b1; q++) {
      const r = rq[q] as number;
      const w = wq[q] as number;
      const dead = dq[q] === 1;
      const key = 2 * r + (dead ? 0 : 1);
      keyW[key] = (keyW[key] as number) + w;
      if (dead) {
        deathW[r] = (deathW[r] as number) + w;
        deathW2[r] = (deathW2[r] as number) + w * w;
      }
    }
    // atRisk[r]: weight at risk for a death at rank r (keys ≥ 2r+1); deathCum[r+1]: deaths at ranks ≤ r.
    const atRisk = new Float64Array(T);
    let acc = 0;
    for (let key = m2 - 1; key >= 1; key--) {
      acc += keyW[key] as number;
      if (key % 2 === 1) atRisk[(key - 1) / 2] = acc;
    }
    const deathCum = new Float64Array(T + 1);
    for (let r = 0; r < T; r++) {
      const w = deathW[r] as number;
      deathCum[r + 1] = (deathCum[r] as number) + w;
      tiedAll += (w * w - (deathW2[r] as number)) / 2;
    }
    let riskTotal = 0;
    const grpW = new Float64Array(T);
    const grpW2 = new Float64Array(T);
    const touched: number[] = [];
    let g0 = b0;
    while (g0 < b1) {
      const xv = xq[g0] as number;
      let g1 = g0 + 1;
      while (g1 < b1 && xq[g1] === xv) g1++;
      if (g1 === g0 + 1) {
        // A single row with this x: no ties in x, so one query per tree suffices.
        const q = g0;
        const r = rq[q] as number;
        const w = wq[q] as number;
        const dead = dq[q] === 1;
        if (dead) {
          const below = riskTotal - fwPrefix(riskTree, 2 * r + 1);
          const above = (atRisk[r] as number) - below;
          cHi += w * below;
          cLo += w * above;
          if (hiQ && loQ) {
            hiQ[q] = below;
            loQ[q] = above;
          }
        }
        if (hiQ && loQ) {
          const lim = dead ? r - 1 : r;
          if (lim >= 0) {
            const less = fwPrefix(deathTree, lim + 1);
            loQ[q] = (loQ[q] as number) + less;
            hiQ[q] = (hiQ[q] as number) + ((deathCum[lim + 1] as number) - less);
          }
        }
        fwAdd(riskTree, m2, 2 * r + (dead ? 0 : 1), w);
        riskTotal += w;
        if (dead) fwAdd(deathTree, T, r, w);
        g0 = g1;
        continue;
      }
      // Before inserting the group: rows with smaller x.
      for (let q = g0; q < g1; q++) {
        const r = rq[q] as number;
        const dead = dq[q] === 1;
        if (dead) tmpBelow[q] = riskTotal - fwPrefix(riskTree, 2 * r + 1);
        if (tmpLess) {
          const lim = dead ? r - 1 : r;
          tmpLess[q] = lim >= 0 ? fwPrefix(deathTree, lim + 1) : 0;
        }
      }
      for (let q = g0; q < g1; q++) {
        const r = rq[q] as number;
        const w = wq[q] as number;
        const dead = dq[q] === 1;
        fwAdd(riskTree, m2, 2 * r + (dead ? 0 : 1), w);
        riskTotal += w;
        if (dead) fwAdd(deathTree, T, r, w);
      }
      // After inserting: ties in x.
      for (let q = g0; q < g1; q++) {
        const r = rq[q] as number;
        const w = wq[q] as number;
        const dead = dq[q] === 1;
        if (dead) {
          const below = tmpBelow[q] as number;
          const belowEq = riskTotal - fwPrefix(riskTree, 2 * r + 1);
          const eq = belowEq - below;
          const above = (atRisk[r] as number) - belowEq;
          cHi += w * below;
          cEq += w * eq;
          cLo += w * above;
          if (hiQ && loQ && eqQ) {
            hiQ[q] = below;
            eqQ[q] = eq;
            loQ[q] = above;
          }
          if (grpW[r] === 0 && grpW2[r] === 0) touched.push(r);
          grpW[r] = (grpW[r] as number) + w;
          grpW2[r] = (grpW2[r] as number) + w * w;
        }
        if (hiQ && loQ && eqQ && tmpLess) {
          // As a partner: deaths at ranks ≤ lim (those this row is at risk for).
          const lim = dead ? r - 1 : r;
          if (lim >= 0) {
            const less = tmpLess[q] as number;
            const leq = fwPrefix(deathTree, lim + 1);
            loQ[q] = (loQ[q] as number) + less;
            eqQ[q] = (eqQ[q] as number) + (leq - less);
            hiQ[q] = (hiQ[q] as number) + ((deathCum[lim + 1] as number) - leq);
          }
        }
      }
      for (const r of touched) {
        const w = grpW[r] as number;
        tiedXY += (w * w - (grpW2[r] as number)) / 2;
        grpW[r] = 0;
        grpW2[r] = 0;
      }
      touched.length = 0;
      g0 = g1;
    }
  }
  return {
    cHi,
    cLo,
    cEq,
    tiedY: tiedAll - tiedXY,
    tiedXY,
    infHi: hiQ,
    infLo: loQ,
    infEq: eqQ,
    infWeight: wq,
    infRow: byX,
  };
}

/**
 * (start, stop] data: a Fenwick tree over the ranks of x, walking event times backwards. The
 * influence of row j as a partner is the death weight seen between its entry into and exit from the
 * risk set (snapshots of a second tree of death weights).
 */
function countByRiskTree(d: CoxData, x: Float64Array, wantInfluence: boolean): RawCounts {
  const n = d.n;
  // Ranks of x.
  const sorted = Float64Array.from(x).sort();
  let k = 0;
  for (let i = 0; i < n; i++)
    if (i === 0 || (sorted[i] as number) !== (sorted[k - 1] as number)) sorted[k++] = sorted[i] as number;
  const uniq = sorted.subarray(0, k);
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((uniq[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
  }
  const risk = new Fenwick(Math.max(k, 1));
  const deaths = new Fenwick(Math.max(k, 1));
  const { stop, start, startOrder, status, weight, strataBounds } = d;
  // Influence in risk-score orientation: hi = partner pairs where the death has the larger x.
  const infHi = wantInfluence ? new Float64Array(n) : null;
  const infLo = wantInfluence ? new Float64Array(n) : null;
  const infEq = wantInfluence ? new Float64Array(n) : null;
  let cHi = 0;
  let cLo = 0;
  let cEq = 0;
  let tiedY = 0;
  let tiedXY = 0;
  let riskTotal = 0;
  let deathTotal = 0;
  const deadIdx: number[] = [];
  const inRisk = new Uint8Array(n);

  // Death-tree snapshot for row j: weight of deaths with x > x_j, < x_j, = x_j.
  const snapshot = (j: number, sign: number) => {
    if (!infHi || !infLo || !infEq) return;
    const r = rank[j] as number;
    const below = deaths.prefix(r);
    const atOrBelow = deaths.prefix(r + 1);
    // Partner j: deaths with larger x are "hi" pairs for the pair (death, j).
    infHi[j] = (infHi[j] as number) + sign * (deathTotal - atOrBelow);
    infLo[j] = (infLo[j] as number) + sign * below;
    infEq[j] = (infEq[j] as number) + sign * (atOrBelow - below);
  };

  const nStrata = strataBounds.length - 1;
  for (let s = 0; s < nStrata; s++) {
    const b0 = strataBounds[s] as number;
    const b1 = strataBounds[s + 1] as number;
    riskTotal = 0;
    deathTotal = 0;
    let ps = b1 - 1;
    let i = b1 - 1;
    while (i >= b0) {
      const t = stop[i] as number;
      if (start && startOrder) {
        while (ps >= b0) {
          const r = startOrder[ps] as number;
          if ((start[r] as number) < t) break;
          if (inRisk[r]) {
            risk.add(rank[r] as number, -(weight[r] as number));
            riskTotal -= weight[r] as number;
            inRisk[r] = 0;
            snapshot(r, 1);
          }
          ps--;
        }
      }
      deadIdx.length = 0;
      let j = i;
      while (j >= b0 && (stop[j] as number) === t) {
        if (status[j] === 1) deadIdx.push(j);
        else {
          risk.add(rank[j] as number, weight[j] as number);
          riskTotal += weight[j] as number;
          inRisk[j] = 1;
          snapshot(j, -1);
        }
        j--;
      }
      if (deadIdx.length > 0) {
        for (const di of deadIdx) {
          const r = rank[di] as number;
          const w = weight[di] as number;
          const below = risk.prefix(r);
          const atOrBelow = risk.prefix(r + 1);
          const above = riskTotal - atOrBelow;
          const eq = atOrBelow - below;
          cHi += w * below;
          cLo += w * above;
          cEq += w * eq;
          if (infHi && infLo && infEq) {
            infHi[di] = (infHi[di] as number) + below;
            infLo[di] = (infLo[di] as number) + above;
            infEq[di] = (infEq[di] as number) + eq;
          }
        }
        if (deadIdx.length > 1) {
          // Pairs of deaths at the same time: tied on y (and on x when ranks agree).
          const byRank = deadIdx.slice().sort((a, b) => (rank[a] as number) - (rank[b] as number));
          let sw = 0;
          let sw2 = 0;
          let g0 = 0;
          for (let q = 0; q < byRank.length; q++) {
            const w = weight[byRank[q] as number] as number;
            sw += w;
            sw2 += w * w;
          }
          const allPairs = (sw * sw - sw2) / 2;
          let xyPairs = 0;
          while (g0 < byRank.length) {
            let g1 = g0;
            let gw = 0;
            let gw2 = 0;
            const r0 = rank[byRank[g0] as number];
            while (g1 < byRank.length && rank[byRank[g1] as number] === r0) {
              const w = weight[byRank[g1] as number] as number;
              gw += w;
              gw2 += w * w;
              g1++;
            }
            xyPairs += (gw * gw - gw2) / 2;
            g0 = g1;
          }
          tiedXY += xyPairs;
          tiedY += allPairs - xyPairs;
        }
        for (const di of deadIdx) {
          deaths.add(rank[di] as number, weight[di] as number);
          deathTotal += weight[di] as number;
        }
        for (const di of deadIdx) {
          risk.add(rank[di] as number, weight[di] as number);
          riskTotal += weight[di] as number;
          inRisk[di] = 1;
          snapshot(di, -1);
        }
      }
      i = j;
    }
    // Close the stratum: rows still at risk leave now; reset the trees.
    for (let r = b0; r < b1; r++) {
      if (inRisk[r]) {
        snapshot(r, 1);
        inRisk[r] = 0;
      }
    }
    for (let r = b0; r < b1; r++) {
      risk.clear(rank[r] as number);
      deaths.clear(rank[r] as number);
    }
  }
  return { cHi, cLo, cEq, tiedY, tiedXY, infHi, infLo, infEq, infWeight: weight, infRow: null };
}

/**
 * Concordance on prepared, sorted data with predictor `x` in sorted order. Counts are returned in
 * the risk-score orientation (R `reverse = TRUE`): concordant = the earlier event has the larger x.
 */
export function concordanceCore(
  d: CoxData,
  x: Float64Array,
  cluster: Int32Array | null,
  nClusters: number,
  wantVariance = true,
): ConcordanceCore {
  const n = d.n;
  const raw = d.start ? countByRiskTree(d, x, wantVariance) : countByTimeTree(d, x, wantVariance);
  const { cHi, cLo, cEq, tiedY, tiedXY, infHi, infLo, infEq, infWeight, infRow } = raw;
  const counts: ConcordanceCounts = {
    concordant: cHi,
    discordant: cLo,
    tiedX: cEq,
    tiedY,
    tiedXY,
  };
  const npair = cHi + cLo + cEq;
  let variance: number | null = null;
  if (infHi && infLo && infEq && infWeight && npair > 0) {
    // Infinitesimal jackknife (R concordancefit): dfbeta_i = w_i ∂somers/∂w_i, collapsed by cluster.
    const somer = (cHi - cLo) / npair;
    const dfb = cluster ? new Float64Array(nClusters) : null;
    let ss = 0;
    for (let q = 0; q < n; q++) {
      const hi = infHi[q] as number;
      const lo = infLo[q] as number;
      const v =
        (infWeight[q] as number) * ((hi - lo) / npair - (somer / npair) * (hi + lo + (infEq[q] as number)));
      if (dfb && cluster) {
        const c = cluster[infRow ? (infRow[q] as number) : q] as number;
        dfb[c] = (dfb[c] as number) + v;
      } else ss += v * v;
    }
    if (dfb) for (let c = 0; c < nClusters; c++) ss += (dfb[c] as number) * (dfb[c] as number);
    variance = ss / 4;
  }
  return { counts, variance };
}

/**
 * Harrell's C with pair counts and its infinitesimal-jackknife SE, as R survival
 * `concordance(Surv(time, status) ~ x, weights, strata, cluster, reverse)` (timewt "n").
 * Pairs are compared within strata only. Reference: Harrell et al. (1996); Therneau & Watson (2017),
 * "The concordance statistic and the Cox model", survival vignette.
 */
export function concordance(input: ConcordanceInput, options: ConcordanceOptions = {}): ConcordanceResult {
  const fn = "concordance";
  const level = options.confLevel ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InvalidInputError(fn, "confLevel must be in (0, 1)");
  const d = prepareCoxData(
    fn,
    {
      time: input.time,
      start: input.start,
      stop: input.stop,
      status: input.status,
      x: [input.x],
      names: ["x"],
      strata: input.strata,
      weights: input.weights,
      cluster: input.cluster,
    },
    { timefix: options.timefix ?? true },
  );
  const xs = new Float64Array(d.n);
  for (let k = 0; k < d.n; k++) xs[k] = input.x[d.rowIndex[k] as number] as number;
  const core = concordanceCore(d, xs, d.cluster, d.clusterLabels.length);
  const reverse = options.reverse ?? false;
  const c = core.counts;
  const counts: ConcordanceCounts = reverse
    ? c
    : {
        concordant: c.discordant,
        discordant: c.concordant,
        tiedX: c.tiedX,
        tiedY: c.tiedY,
        tiedXY: c.tiedXY,
      };
  const warnings: Warning[] = d.warnings.filter((w) => w.code !== "CONSTANT_COVARIATE");
  const npair = counts.concordant + counts.discordant + counts.tiedX;
  let estimate: number | null = null;
  let se: number | null = null;
  if (d.nEvents === 0) warnings.push(warning("NO_EVENTS"));
  if (npair > 0) {
    estimate = (counts.concordant + counts.tiedX / 2) / npair;
    se = core.variance === null ? null : Math.sqrt(core.variance);
  }
  const z = normalQuantile(1 - (1 - level) / 2);
  return Object.freeze({
    estimate,
    se,
    ci: Object.freeze({
      lower: estimate !== null && se !== null ? estimate - z * se : null,
      upper: estimate !== null && se !== null ? estimate + z * se : null,
      level,
    }),
    counts: Object.freeze(counts),
    n: d.n,
    nExcluded: d.nInput - d.n,
    method: `Harrell's concordance (survival::concordance, timewt "n"${reverse ? ", reverse = TRUE" : ""}), infinitesimal-jackknife SE${d.cluster ? " by cluster" : ""}, Wald CI`,
    warnings: Object.freeze(warnings),
  });
}
