/**
 * Greedy nearest-neighbour matching on the propensity score (MatchIt `method = "nearest"`), 1:k,
 * with or without replacement, optional caliper and exact strata. Deterministic and independent of
 * the input row order: every tie is broken by the caller's unit id.
 */
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import { freezeResult } from "../stats/result.js";
import { mapToFloat64, mapToInt32, mapToUint8 } from "../util/typed-map.js";
import {
  argsortNumbers,
  codeLabels,
  type Label,
  rankIds,
  readTreat,
  requireBothArms,
  requireLength,
  uniformGenerator,
} from "./util.js";

export type MatchOrder = "largest" | "smallest" | "random" | "data";
export type MatchDistance = "probability" | "logit";
export type UnmatchedReason = "NO_CONTROL_IN_STRATUM" | "NO_CONTROL_IN_CALIPER" | "CONTROLS_EXHAUSTED";

/** Reason codes, indexed by `unmatchedReasonCode`. */
export const UNMATCHED_REASONS: readonly UnmatchedReason[] = Object.freeze([
  "NO_CONTROL_IN_STRATUM",
  "NO_CONTROL_IN_CALIPER",
  "CONTROLS_EXHAUSTED",
]);

export interface MatchInput {
  /** 1 = treated, 0 = control. */
  readonly treat: ArrayLike<number | boolean>;
  /** Propensity score (probability, strictly inside (0, 1)). */
  readonly ps: ArrayLike<number>;
  /** Its logit (e.g. `propensityScore().linearPredictor`); computed from `ps` when omitted. */
  readonly linearPredictor?: ArrayLike<number>;
  /** Unique unit id per row: the stable key that breaks every tie (compared as strings, code-unit order). */
  readonly id: ArrayLike<Label>;
  /** Exact-matching strata (e.g. site, setting): one label column, or several that are crossed. */
  readonly exact?: ArrayLike<Label> | readonly ArrayLike<Label>[];
}

export interface MatchOptions {
  /** Controls per treated unit, k ≥ 1 (default 1). With k > 1 matching runs in k rounds (MatchIt). */
  readonly ratio?: number;
  /** Reuse controls (default false). */
  readonly replace?: boolean;
  /**
   * "matchit" (default): distances on `distance`'s scale, caliper × SD of that distance over all
   * units of both arms (MatchIt std.caliper = TRUE, R `sd()`, n − 1). "austin": distances on the logit
   * scale and caliper × the pooled SD √((s₁² + s₀²)/2) of the logit (Austin 2011; default caliper 0.2).
   */
  readonly convention?: "matchit" | "austin";
  /** Scale of the distance under the "matchit" convention (default "probability", MatchIt's default). */
  readonly distance?: MatchDistance;
  /** Caliper width in SD units (or raw distance units with `caliperUnits: "raw"`); none by default. */
  readonly caliper?: number;
  readonly caliperUnits?: "sd" | "raw";
  /**
   * Order in which treated units choose: "largest" score first (default, MatchIt's default with a
   * propensity score), "smallest", "random" (seeded), or "data" = ascending id (the stable key).
   * Ties are broken by id in every order.
   */
  readonly order?: MatchOrder;
  /** Seed for `order: "random"`. */
  readonly seed?: number;
}

export interface CaliperInfo {
  /** Caliper in the units requested. */
  readonly caliper: number;
  readonly units: "sd" | "raw";
  /** SD used to standardise (null for raw units). */
  readonly sd: number | null;
  readonly sdDefinition: string | null;
  /** Absolute width on the distance scale. */
  readonly width: number;
}

export interface MatchResult {
  readonly estimand: "ATT";
  readonly distance: MatchDistance;
  /** Matching weights per unit (MatchIt): matched treated 1; a control Σ over its sets of 1/(controls in the set), rescaled to mean 1 over matched controls; 0 = not matched. */
  readonly weights: Float64Array;
  /**
   * Matched-set number per unit (0, 1, … in ascending treated-id order), −1 if unmatched. With
   * replacement only treated units carry a set (a control may belong to several).
   */
  readonly setId: Int32Array;
  /** One row per matched (treated, control) pair: input row indices, set number, |distance|. */
  readonly pairs: {
    readonly treated: Int32Array;
    readonly control: Int32Array;
    readonly set: Int32Array;
    readonly distance: Float64Array;
  };
  /** Treated units with no match: row index and reason (index into UNMATCHED_REASONS). */
  readonly unmatched: { readonly index: Int32Array; readonly reasonCode: Uint8Array };
  readonly unmatchedCounts: Readonly<Record<UnmatchedReason, number>>;
  readonly nTreated: number;
  readonly nControl: number;
  readonly nTreatedMatched: number;
  /** Treated units that got some but fewer than k controls. */
  readonly nTreatedPartial: number;
  /** Distinct controls used. */
  readonly nControlMatched: number;
  readonly nSets: number;
  readonly ratio: number;
  readonly replace: boolean;
  readonly order: MatchOrder;
  readonly caliper: CaliperInfo | null;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

const FN = "matchNearest";

function sampleVariance(v: Float64Array, mask: Uint8Array | null, value: number): number {
  let n = 0;
  let mean = 0;
  for (let i = 0; i < v.length; i++) {
    if (mask && mask[i] !== value) continue;
    n++;
    mean += (v[i]! - mean) / n;
  }
  let ss = 0;
  for (let i = 0; i < v.length; i++) {
    if (mask && mask[i] !== value) continue;
    const d = v[i]! - mean;
    ss += d * d;
  }
  return n > 1 ? ss / (n - 1) : Number.NaN;
}

/** First index in [lo, hi) with a[index] ≥ x. */
function lowerBound(a: Float64Array, x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Greedy nearest-neighbour propensity-score matching for the ATT (MatchIt `matchit(method =
 * "nearest")`): treated units, in the chosen order, each take the nearest still-available control
 * (same exact stratum, |distance| ≤ caliper); with k > 1 every treated unit gets its first control
 * before any gets a second (rounds, as MatchIt). With replacement each treated unit takes its k
 * nearest controls. Ties between equally distant controls, and between treated units with equal
 * scores, go to the smaller id, so the result does not depend on the row order (unlike MatchIt,
 * whose ties follow the data order — give ids that sort in data order to reproduce it).
 *
 * Caliper: "matchit" convention = caliper × sd(distance over all units, both arms) (MatchIt
 * std.caliper); "austin" = caliper × √((s₁² + s₀²)/2) of the logit score (Austin 2011, Pharm Stat
 * 10:150–161). Weights as MatchIt (`normalize = TRUE`).
 *
 * Algorithm: controls sorted once by (stratum, distance, id); each choice is a binary search plus
 * union–find "next/previous available" pointers with path compression, O((n + k·n₁) log n).
 */
export function matchNearest(input: MatchInput, options: MatchOptions = {}): MatchResult {
  const t = readTreat(FN, input.treat);
  const n = t.length;
  requireLength(FN, "ps", input.ps, n);
  requireLength(FN, "id", input.id, n);
  requireLength(FN, "linearPredictor", input.linearPredictor, n);
  const counts = requireBothArms(FN, t);
  const ratio = options.ratio ?? 1;
  if (!Number.isInteger(ratio) || ratio < 1)
    throw new InvalidInputError(FN, "ratio must be a whole number ≥ 1");
  const replace = options.replace ?? false;
  const convention = options.convention ?? "matchit";
  if (convention !== "matchit" && convention !== "austin")
    throw new InvalidInputError(FN, 'convention must be "matchit" or "austin"');
  const scale: MatchDistance = convention === "austin" ? "logit" : (options.distance ?? "probability");
  if (scale !== "probability" && scale !== "logit")
    throw new InvalidInputError(FN, 'distance must be "probability" or "logit"');
  const order = options.order ?? "largest";
  if (!["largest", "smallest", "random", "data"].includes(order))
    throw new InvalidInputError(FN, `unknown order "${order}"`);
  if (order === "random" && options.seed === undefined)
    throw new InvalidInputError(FN, 'order "random" needs a seed');
  const caliperUnits = options.caliperUnits ?? "sd";
  const caliperValue = options.caliper ?? (convention === "austin" ? 0.2 : undefined);
  if (caliperValue !== undefined && !(caliperValue > 0 && Number.isFinite(caliperValue))) {
    throw new InvalidInputError(FN, "caliper must be a positive number");
  }

  // Distances.
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = input.ps[i] as number;
    if (typeof p !== "number" || !(p > 0 && p < 1)) {
      throw new InvalidInputError(
        FN,
        `ps at row ${i} is ${p}: scores must lie strictly inside (0, 1) (subset to complete cases; a score of 0 or 1 means separation)`,
      );
    }
    if (scale === "probability") dist[i] = p;
    else {
      const lp = input.linearPredictor ? (input.linearPredictor[i] as number) : Math.log(p / (1 - p));
      if (!Number.isFinite(lp)) throw new InvalidInputError(FN, `linearPredictor at row ${i} is not finite`);
      dist[i] = lp;
    }
  }
  const idRank = rankIds(FN, input.id);

  // Exact strata (crossed when several columns).
  let stratum = new Int32Array(n);
  let nStrata = 1;
  if (input.exact !== undefined) {
    const exactCols: readonly ArrayLike<Label>[] =
      Array.isArray(input.exact) &&
      input.exact.length > 0 &&
      typeof input.exact[0] === "object" &&
      input.exact[0] !== null
        ? (input.exact as readonly ArrayLike<Label>[])
        : [input.exact as ArrayLike<Label>];
    const keys: string[] = new Array(n).fill("");
    for (const col of exactCols) {
      requireLength(FN, "exact", col, n);
      const { codes } = codeLabels(FN, "exact", col);
      for (let i = 0; i < n; i++) keys[i] += `${codes[i]}|`;
    }
    const coded = codeLabels(FN, "exact", keys);
    stratum = Int32Array.from(coded.codes);
    nStrata = coded.levels.length;
  }

  // Caliper.
  let caliper: CaliperInfo | null = null;
  if (caliperValue !== undefined) {
    if (caliperUnits === "raw") {
      caliper = { caliper: caliperValue, units: "raw", sd: null, sdDefinition: null, width: caliperValue };
    } else if (convention === "austin") {
      const sd = Math.sqrt((sampleVariance(dist, t, 1) + sampleVariance(dist, t, 0)) / 2);
      caliper = {
        caliper: caliperValue,
        units: "sd",
        sd,
        sdDefinition: "pooled SD √((s₁² + s₀²)/2) of the logit propensity score (Austin 2011)",
        width: caliperValue * sd,
      };
    } else {
      const sd = Math.sqrt(sampleVariance(dist, null, 0));
      caliper = {
        caliper: caliperValue,
        units: "sd",
        sd,
        sdDefinition: `SD (n − 1) of the ${scale === "logit" ? "logit " : ""}propensity score over all units, both arms (MatchIt std.caliper)`,
        width: caliperValue * sd,
      };
    }
    if (!(caliper.width > 0) || !Number.isFinite(caliper.width)) {
      throw new InvalidInputError(FN, "the caliper width is 0 (the distance does not vary)");
    }
  }
  const width = caliper ? caliper.width : Number.POSITIVE_INFINITY;

  // Units in id order (the stable key), then stable radix sorts by distance and counting sorts by stratum.
  const nc = counts.control;
  const nt = counts.treated;
  const byRank = new Int32Array(n);
  for (let i = 0; i < n; i++) byRank[idRank[i]!] = i;
  const cById = new Int32Array(nc);
  const tById = new Int32Array(nt);
  {
    let a = 0;
    let b = 0;
    for (let r = 0; r < n; r++) {
      const i = byRank[r]!;
      if (t[i]) tById[b++] = i;
      else cById[a++] = i;
    }
  }
  /** Rows sorted stably by key(row) (rows already in id order, so ties stay in id order). */
  const sortByKey = (rows: Int32Array, key: (i: number) => number): Int32Array => {
    const keys = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) keys[k] = key(rows[k]!) + 0; // −0 → +0
    const ord = argsortNumbers(keys);
    return mapToInt32(ord, (k) => rows[k]!);
  };
  const cByDist = sortByKey(cById, (i) => dist[i]!);
  // Stable counting sort by stratum.
  const blockStart = new Int32Array(nStrata);
  const blockEnd = new Int32Array(nStrata);
  for (let k = 0; k < nc; k++) {
    const s = stratum[cByDist[k]!]!;
    blockEnd[s] = blockEnd[s]! + 1;
  }
  {
    let acc = 0;
    for (let s = 0; s < nStrata; s++) {
      blockStart[s] = acc;
      acc += blockEnd[s]!;
      blockEnd[s] = acc;
    }
  }
  const cRow = new Int32Array(nc);
  {
    const fill = Int32Array.from(blockStart);
    for (let k = 0; k < nc; k++) {
      const i = cByDist[k]!;
      const s = stratum[i]!;
      cRow[fill[s]!] = i;
      fill[s] = fill[s]! + 1;
    }
  }
  const cDist = new Float64Array(nc);
  const cRank = new Int32Array(nc);
  for (let k = 0; k < nc; k++) {
    cDist[k] = dist[cRow[k]!]!;
    cRank[k] = idRank[cRow[k]!]!;
  }

  // Treated order.
  let tSorted: Int32Array;
  if (order === "largest") tSorted = sortByKey(tById, (i) => -dist[i]!);
  else if (order === "smallest") tSorted = sortByKey(tById, (i) => dist[i]!);
  else {
    tSorted = Int32Array.from(tById);
    if (order === "random") {
      const u = uniformGenerator(options.seed!);
      for (let i = tSorted.length - 1; i > 0; i--) {
        const j = Math.floor(u() * (i + 1));
        const tmp = tSorted[i]!;
        tSorted[i] = tSorted[j]!;
        tSorted[j] = tmp;
      }
    }
  }

  // Union–find pointers: next[i] → smallest available ≥ i (nc = none); prev[i + 1] → largest available ≤ i, plus 1.
  const next = new Int32Array(nc + 1);
  const prev = new Int32Array(nc + 1);
  for (let i = 0; i <= nc; i++) {
    next[i] = i;
    prev[i] = i;
  }
  const findNext = (i: number): number => {
    let r = i;
    while (next[r] !== r) r = next[r]!;
    while (next[i] !== r) {
      const nx = next[i]!;
      next[i] = r;
      i = nx;
    }
    return r;
  };
  const findPrev = (i: number): number => {
    // i is a control index; returns the largest available index ≤ i, or −1.
    let j = i + 1;
    let r = j;
    while (prev[r] !== r) r = prev[r]!;
    while (prev[j] !== r) {
      const nx = prev[j]!;
      prev[j] = r;
      j = nx;
    }
    return r - 1;
  };
  const remove = (k: number): void => {
    next[k] = k + 1;
    prev[k + 1] = k;
  };

  const maxPairs = nt * ratio;
  const pT = new Int32Array(maxPairs);
  const pC = new Int32Array(maxPairs);
  const pD = new Float64Array(maxPairs);
  let nPairs = 0;
  const nMatches = new Int32Array(n);
  const failReason = new Int8Array(n).fill(-1);

  if (!replace) {
    const active = new Uint8Array(n);
    for (const i of tSorted) active[i] = 1;
    for (let round = 0; round < ratio; round++) {
      for (const i of tSorted) {
        if (!active[i]) continue;
        const s = stratum[i]!;
        const lo = blockStart[s]!;
        const hi = blockEnd[s]!;
        const x = dist[i]!;
        let reason = -1;
        let best = -1;
        let bestD = Number.POSITIVE_INFINITY;
        if (lo === hi) reason = 0;
        else {
          const pos = lowerBound(cDist, x, lo, hi);
          const r = pos < hi ? findNext(pos) : hi;
          let l = pos - 1 >= lo ? findPrev(pos - 1) : -1;
          if (l < lo) l = -1;
          if (l >= 0) {
            // Smallest id among the available controls with the same distance as l.
            const lb = lowerBound(cDist, cDist[l]!, lo, l + 1);
            l = findNext(lb);
          }
          const hasR = r < hi;
          if (!hasR && l < 0) reason = 2;
          else {
            const dl = l >= 0 ? x - cDist[l]! : Number.POSITIVE_INFINITY;
            const dr = hasR ? cDist[r]! - x : Number.POSITIVE_INFINITY;
            if (dl < dr || (dl === dr && l >= 0 && (!hasR || cRank[l]! < cRank[r]!))) {
              best = l;
              bestD = dl;
            } else {
              best = r;
              bestD = dr;
            }
            if (bestD > width) {
              best = -1;
              reason = 1;
            }
          }
        }
        if (best < 0) {
          active[i] = 0;
          if (nMatches[i] === 0) failReason[i] = reason;
          continue;
        }
        remove(best);
        pT[nPairs] = i;
        pC[nPairs] = cRow[best]!;
        pD[nPairs] = bestD;
        nPairs++;
        nMatches[i]!++;
      }
    }
  } else {
    for (const i of tSorted) {
      const s = stratum[i]!;
      const lo = blockStart[s]!;
      const hi = blockEnd[s]!;
      if (lo === hi) {
        failReason[i] = 0;
        continue;
      }
      const x = dist[i]!;
      const pos = lowerBound(cDist, x, lo, hi);
      let r = pos;
      // Left side walked run by run; inside a run of equal distances, ascending id.
      let runStart = pos;
      let runEnd = pos - 1;
      let cur = pos;
      const nextLeft = (): number => {
        if (cur <= runEnd) return cur;
        const l = runStart - 1;
        if (l < lo) return -1;
        runEnd = l;
        runStart = lowerBound(cDist, cDist[l]!, lo, l + 1);
        cur = runStart;
        return cur;
      };
      let got = 0;
      while (got < ratio) {
        const l = nextLeft();
        const hasR = r < hi;
        if (!hasR && l < 0) break;
        const dl = l >= 0 ? x - cDist[l]! : Number.POSITIVE_INFINITY;
        const dr = hasR ? cDist[r]! - x : Number.POSITIVE_INFINITY;
        let pick: number;
        let d: number;
        if (dl < dr || (dl === dr && l >= 0 && (!hasR || cRank[l]! < cRank[r]!))) {
          pick = l;
          d = dl;
          cur++;
        } else {
          pick = r;
          d = dr;
          r++;
        }
        if (d > width) break;
        pT[nPairs] = i;
        pC[nPairs] = cRow[pick]!;
        pD[nPairs] = d;
        nPairs++;
        got++;
      }
      nMatches[i] = got;
      if (got === 0) failReason[i] = 1;
    }
  }

  // Sets numbered in ascending treated-id order.
  const setId = new Int32Array(n).fill(-1);
  let nSets = 0;
  for (const i of tById) if (nMatches[i]! > 0) setId[i] = nSets++;
  const weights = new Float64Array(n);
  const pairSet = new Int32Array(nPairs);
  for (let k = 0; k < nPairs; k++) {
    const i = pT[k]!;
    const c = pC[k]!;
    const set = setId[i]!;
    pairSet[k] = set;
    if (!replace) setId[c] = set;
    weights[i] = 1;
    weights[c] = weights[c]! + 1 / nMatches[i]!;
  }
  let sumC = 0;
  let nCUsed = 0;
  for (let i = 0; i < n; i++) {
    if (t[i] === 0 && weights[i]! > 0) {
      sumC += weights[i]!;
      nCUsed++;
    }
  }
  if (sumC > 0) {
    const f = nCUsed / sumC;
    for (let i = 0; i < n; i++) if (t[i] === 0) weights[i] = weights[i]! * f;
  }

  // Pairs in set order (counting sort), then control id within a set.
  const setStart = new Int32Array(nSets + 1);
  for (let k = 0; k < nPairs; k++) setStart[pairSet[k]! + 1] = setStart[pairSet[k]! + 1]! + 1;
  for (let g = 0; g < nSets; g++) setStart[g + 1] = setStart[g + 1]! + setStart[g]!;
  const pairOrder = new Int32Array(nPairs);
  {
    const fill = setStart.slice(0, nSets);
    for (let k = 0; k < nPairs; k++) {
      const g = pairSet[k]!;
      pairOrder[fill[g]!] = k;
      fill[g] = fill[g]! + 1;
    }
    for (let g = 0; g < nSets; g++) {
      // Insertion sort by control id inside the (small) set.
      for (let a = setStart[g]! + 1; a < setStart[g + 1]!; a++) {
        const v = pairOrder[a]!;
        let b = a - 1;
        while (b >= setStart[g]! && idRank[pC[pairOrder[b]!]!]! > idRank[pC[v]!]!) {
          pairOrder[b + 1] = pairOrder[b]!;
          b--;
        }
        pairOrder[b + 1] = v;
      }
    }
  }
  const pairs = {
    treated: mapToInt32(pairOrder, (k) => pT[k]!),
    control: mapToInt32(pairOrder, (k) => pC[k]!),
    set: mapToInt32(pairOrder, (k) => pairSet[k]!),
    distance: mapToFloat64(pairOrder, (k) => pD[k]!),
  };

  const unmatchedRows = tById.filter((i) => nMatches[i] === 0);
  const reasonCode = mapToUint8(unmatchedRows, (i) => failReason[i]!);
  const unmatchedCounts: Record<UnmatchedReason, number> = {
    NO_CONTROL_IN_STRATUM: 0,
    NO_CONTROL_IN_CALIPER: 0,
    CONTROLS_EXHAUSTED: 0,
  };
  for (const c of reasonCode) unmatchedCounts[UNMATCHED_REASONS[c]!]++;
  let nPartial = 0;
  for (const i of tById) if (nMatches[i]! > 0 && nMatches[i]! < ratio) nPartial++;

  const warnings: Warning[] = [];
  if (unmatchedRows.length > 0) {
    const parts = UNMATCHED_REASONS.filter((r) => unmatchedCounts[r] > 0).map(
      (r) => `${unmatchedCounts[r]} ${r}`,
    );
    warnings.push(
      warning("UNMATCHED_TREATED", `${unmatchedRows.length} of ${nt} treated (${parts.join(", ")})`, {
        count: unmatchedRows.length,
        ...unmatchedCounts,
      }),
    );
  }
  if (replace) warnings.push(warning("MATCH_WITH_REPLACEMENT_VARIANCE"));
  if (nSets === 0) {
    throw new InvalidInputError(
      FN,
      `no treated unit found a control (${UNMATCHED_REASONS.filter((r) => unmatchedCounts[r] > 0)
        .map((r) => `${unmatchedCounts[r]} ${r}`)
        .join(
          ", ",
        )}): widen the caliper, relax the exact strata, or check the overlap of the propensity scores`,
    );
  }

  const method = [
    `Greedy nearest-neighbour matching on the ${scale === "logit" ? "logit of the " : ""}propensity score (ATT), 1:${ratio}`,
    replace ? "with replacement" : "without replacement",
    `order ${order}${order === "random" ? ` (seed ${options.seed})` : ""}`,
    caliper
      ? caliper.units === "raw"
        ? `caliper ${caliper.caliper} (raw)`
        : `caliper ${caliper.caliper} × ${caliper.sdDefinition}`
      : "no caliper",
    input.exact !== undefined ? `exact within ${nStrata} strata` : "",
    "ties by id; MatchIt weights (normalised)",
  ]
    .filter((s) => s !== "")
    .join(", ");

  return freezeResult({
    estimand: "ATT" as const,
    distance: scale,
    weights,
    setId,
    pairs,
    unmatched: { index: Int32Array.from(unmatchedRows), reasonCode },
    unmatchedCounts,
    nTreated: nt,
    nControl: nc,
    nTreatedMatched: nSets,
    nTreatedPartial: nPartial,
    nControlMatched: nCUsed,
    nSets,
    ratio,
    replace,
    order,
    caliper,
    method,
    warnings,
  });
}
