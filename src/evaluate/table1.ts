/**
 * Table 1 and the balance rows of a matched or weighted design: for every level of a code covariate,
 * every numeric covariate and every missing indicator, the arm cells before and after adjustment and
 * the standardized mean differences.
 *
 * Level rows are computed from the covariate's level codes in one pass per covariate (per-arm, per-
 * level counts and weight sums), not from one 0/1 column per level: an indicator's weighted mean is
 * the level's weight sum over the arm's, which is the same sum, added in the same row order, as
 * Σw·x / Σw over the 0/1 column — so the numbers are those of `balanceTable` bit for bit. Numeric
 * rows and missing indicators go through `balanceTable` (continuous SMD, variance ratio).
 */
import { balanceTable } from "../compare/balance.js";
import { essOf } from "../compare/util.js";
import { InvalidInputError } from "../stats/errors.js";
import type { CovariateName } from "./config.js";
import type { Table1Cell, Table1Row } from "./result.js";

const SQRT_EPS = Math.sqrt(Number.EPSILON);

/** One Table 1 row to compute: a level of a code covariate, or a dense numeric / 0-1 column. */
export type Table1RowSpec = {
  readonly covariate: CovariateName;
  readonly covariateLabel: string;
  /** Row name in balance messages ("Sex: Female", "Age (years)"). */
  readonly name: string;
  readonly level: string | null;
  readonly levelLabel: string | null;
} & (
  | {
      readonly type: "level";
      /** Level code per unit, and this row's level index. */
      readonly codes: Int32Array;
      readonly nLevels: number;
      readonly levelIndex: number;
    }
  | {
      readonly type: "numeric" | "missingIndicator";
      readonly values: Float64Array;
      /** Observed mask (1 = observed) of a numeric row whose missing values were filled; else null. */
      readonly observed: Uint8Array | null;
    }
);

/** Table 1 rows in the order of the specs, with the adjusted sample's size per arm. */
export interface Table1 {
  readonly rows: Table1Row[];
  readonly names: string[];
  readonly adjusted: {
    readonly treated: { readonly sumWeights: number; readonly ess: number };
    readonly control: { readonly sumWeights: number; readonly ess: number };
  };
}

type Estimand = "ATT" | "ATE" | "ATO";

/** Sums of one level column per arm: unweighted count, and count and weight sum where w ≠ 0. */
interface LevelSums {
  readonly count: Float64Array;
  readonly countW: Float64Array;
  readonly sumW: Float64Array;
}

function levelSums(codes: Int32Array, nLevels: number, treat: Uint8Array, w: Float64Array): LevelSums {
  const count = new Float64Array(2 * nLevels);
  const countW = new Float64Array(2 * nLevels);
  const sumW = new Float64Array(2 * nLevels);
  for (let i = 0; i < codes.length; i++) {
    const k = treat[i]! * nLevels + codes[i]!;
    count[k]!++;
    const wi = w[i]!;
    if (wi === 0) continue;
    countW[k]!++;
    sumW[k] = sumW[k]! + wi;
  }
  return { count, countW, sumW };
}

/**
 * SD denominator of a binary row from the unadjusted sample (MatchIt / cobalt, as `balanceTable`):
 * ATT → √(p₁(1 − p₁)), ATE/ATO → √((v₁ + v₀)/2); when that is 0, the pooled SD with proportional
 * contributions; null when that is 0 too.
 */
function binarySd(estimand: Estimand, c1: number, n1: number, c0: number, n0: number): number | null {
  const p1 = c1 / n1;
  const p0 = c0 / n0;
  const v1 = p1 * (1 - p1);
  const v0 = p0 * (1 - p0);
  const sd = Math.sqrt(estimand === "ATT" ? v1 : (v1 + v0) / 2);
  if (sd >= SQRT_EPS) return sd;
  const fallback = Math.sqrt((c1 * (1 - c1 / n1) + c0 * (1 - c0 / n0)) / (n1 + n0));
  return fallback >= SQRT_EPS ? fallback : null;
}

const levelCell = (n: number, proportion: number | null): Table1Cell => ({
  n,
  proportion,
  mean: null,
  sd: null,
});

/**
 * The four Table 1 cells of a dense row — unweighted and weighted, treated and control — in one pass
 * (two for numeric rows): n (people with the value 1, or with an observed value), the (weighted)
 * proportion, or the (weighted) mean and SD with reliability weights (n − 1 without weights), as the
 * balance table.
 */
function denseCells(
  x: Float64Array,
  treat: Uint8Array,
  w: Float64Array,
  numeric: boolean,
  observed: Uint8Array | null,
): Pick<Table1Row, "before" | "after"> {
  // Accumulators indexed [weighted * 2 + arm].
  const n = new Float64Array(4);
  const sw = new Float64Array(4);
  const sw2 = new Float64Array(4);
  const swx = new Float64Array(4);
  for (let i = 0; i < x.length; i++) {
    if (observed && !observed[i]) continue;
    const a = treat[i]!;
    const v = x[i]!;
    const count = numeric || v === 1 ? 1 : 0;
    n[a] = n[a]! + count;
    sw[a] = sw[a]! + 1;
    sw2[a] = sw2[a]! + 1;
    swx[a] = swx[a]! + v;
    const wi = w[i]!;
    if (wi === 0) continue;
    const k = 2 + a;
    n[k] = n[k]! + count;
    sw[k] = sw[k]! + wi;
    sw2[k] = sw2[k]! + wi * wi;
    swx[k] = swx[k]! + wi * v;
  }
  const mean = (k: number) => (sw[k]! > 0 ? swx[k]! / sw[k]! : null);
  const sds: (number | null)[] = [null, null, null, null];
  if (numeric) {
    const ss = new Float64Array(4);
    const m = [mean(0) ?? 0, mean(1) ?? 0, mean(2) ?? 0, mean(3) ?? 0];
    for (let i = 0; i < x.length; i++) {
      if (observed && !observed[i]) continue;
      const a = treat[i]!;
      const v = x[i]!;
      const d0 = v - m[a]!;
      ss[a] = ss[a]! + d0 * d0;
      const wi = w[i]!;
      if (wi === 0) continue;
      const d1 = v - m[2 + a]!;
      ss[2 + a] = ss[2 + a]! + wi * d1 * d1;
    }
    for (let k = 0; k < 4; k++) {
      const denom = sw[k]! * sw[k]! - sw2[k]!;
      sds[k] = denom > 0 ? Math.sqrt((ss[k]! * sw[k]!) / denom) : null;
    }
  }
  const cell = (k: number): Table1Cell =>
    numeric
      ? { n: n[k]!, proportion: null, mean: mean(k), sd: sds[k] ?? null }
      : { n: n[k]!, proportion: mean(k), mean: null, sd: null };
  return {
    before: { treated: cell(1), control: cell(0) },
    after: { treated: cell(3), control: cell(2) },
  };
}

/**
 * Table 1 with balance before and after adjustment. SMDs: difference in (weighted) means over the SD
 * of the unadjusted sample (ATT: peer-support arm; ATE/ATO: √((s₁² + s₀²)/2)), binary rows
 * standardized by √(p(1 − p)) (MatchIt `summary.matchit`, standardize = TRUE; Austin 2009, Stat Med
 * 28:3083–3107); raw differences as cobalt `bal.tab`; `balanced` = |SMD after| < threshold.
 * @throws InvalidInputError when the adjusted sample has no weight in one arm.
 */
export function table1(
  specs: readonly Table1RowSpec[],
  treat: Uint8Array,
  weights: Float64Array,
  estimand: Estimand,
  threshold: number,
): Table1 {
  const n = treat.length;
  // Arm totals: units, and units and weight with w ≠ 0 (summed in row order, as balanceTable).
  const nArm = [0, 0];
  const swArm = [0, 0];
  for (let i = 0; i < n; i++) {
    const a = treat[i]!;
    nArm[a]!++;
    const wi = weights[i]!;
    if (wi !== 0) swArm[a] = swArm[a]! + wi;
  }
  if (!(swArm[0]! > 0 && swArm[1]! > 0))
    throw new InvalidInputError("table1", "the adjusted sample has no weight in one arm");

  const dense = specs.filter((s) => s.type !== "level");
  const denseBalance =
    dense.length > 0
      ? balanceTable(
          { treat, covariates: dense.map((s) => ({ name: s.name, values: s.values })), weights },
          // Table 1 reports no KS statistic: skip sorting each numeric covariate.
          { estimand, threshold, ks: false },
        ).rows
      : [];
  const sums = new Map<Int32Array, LevelSums>();
  const rows: Table1Row[] = [];
  let d = 0;
  for (const s of specs) {
    const head = {
      covariate: s.covariate,
      covariateLabel: s.covariateLabel,
      level: s.level,
      levelLabel: s.levelLabel,
      type: s.type,
    };
    if (s.type === "level") {
      let ls = sums.get(s.codes);
      if (!ls) {
        ls = levelSums(s.codes, s.nLevels, treat, weights);
        sums.set(s.codes, ls);
      }
      const k0 = s.levelIndex;
      const k1 = s.nLevels + s.levelIndex;
      const c0 = ls.count[k0]!;
      const c1 = ls.count[k1]!;
      const before1 = c1 / nArm[1]!;
      const before0 = c0 / nArm[0]!;
      const after1 = ls.sumW[k1]! / swArm[1]!;
      const after0 = ls.sumW[k0]! / swArm[0]!;
      const sd = binarySd(estimand, c1, nArm[1]!, c0, nArm[0]!);
      const smdBefore = sd === null ? null : (before1 - before0) / sd;
      const smdAfter = sd === null ? null : (after1 - after0) / sd;
      rows.push({
        ...head,
        before: { treated: levelCell(c1, before1), control: levelCell(c0, before0) },
        after: { treated: levelCell(ls.countW[k1]!, after1), control: levelCell(ls.countW[k0]!, after0) },
        smdBefore,
        smdAfter,
        rawDifferenceBefore: before1 - before0,
        rawDifferenceAfter: after1 - after0,
        varianceRatioBefore: null,
        varianceRatioAfter: null,
        balanced: smdAfter === null ? null : Math.abs(smdAfter) < threshold,
      });
      continue;
    }
    const r = denseBalance[d++]!;
    const smdAfter = r.adjusted?.smdMatchIt ?? null;
    rows.push({
      ...head,
      ...denseCells(s.values, treat, weights, s.type === "numeric", s.observed),
      smdBefore: r.unadjusted.smdMatchIt,
      smdAfter,
      rawDifferenceBefore: r.unadjusted.smdCobalt,
      rawDifferenceAfter: r.adjusted?.smdCobalt ?? null,
      varianceRatioBefore: r.unadjusted.varianceRatio,
      varianceRatioAfter: r.adjusted?.varianceRatio ?? null,
      balanced: smdAfter === null ? null : Math.abs(smdAfter) < threshold,
    });
  }
  const arm = (a: number) => {
    const e = essOf(weights, treat, a);
    return { sumWeights: e.sum, ess: e.ess };
  };
  return { rows, names: specs.map((s) => s.name), adjusted: { treated: arm(1), control: arm(0) } };
}
