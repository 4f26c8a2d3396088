/**
 * Input handling shared by glm(), gee() and lmm(): named design columns, row exclusion (missing
 * values counted, never silently propagated), compaction into column-major Float64Arrays.
 */
import { InsufficientDataError, InvalidInputError } from "../errors.js";
import type { FactorBlock, RebasedFactor } from "./irls.js";

/** One named column of a design matrix. */
export interface DesignColumn {
  readonly name: string;
  readonly values: ArrayLike<number>;
}

/**
 * A categorical covariate in coded form, treatment-coded as R's `model.matrix` with
 * `contr.treatment`: one 0/1 model column per non-reference level, in level order, named
 * `names[level]`. Numerically the same model as passing those dummy columns as DesignColumns, without
 * building them (the fitters read the codes).
 */
export interface FactorColumn {
  /** Level index per row, 0 … nLevels−1; −1 = missing (the row is dropped, as NaN in a dense column). */
  readonly codes: Int32Array;
  /** Number of levels (≥ 1; a single level gives no column). */
  readonly nLevels: number;
  /** Level without a column (R contr.treatment: the first level, 0). */
  readonly reference: number;
  /** Model-column name per level, e.g. `racehispan` (names[reference] is not used). */
  readonly names: readonly string[];
  /** The covariate's name, for messages (optional). */
  readonly name?: string;
}

/** Model-column names of factors, in model order (per factor, its non-reference levels in level order). */
export function factorColumnNames(factors: readonly FactorColumn[]): string[] {
  const out: string[] = [];
  for (const f of factors) for (let l = 0; l < f.nLevels; l++) if (l !== f.reference) out.push(f.names[l]!);
  return out;
}

/**
 * Expands factors into their dense 0/1 dummy columns (R `model.matrix`, `contr.treatment`), in model
 * order, for the code paths that need dense columns (balance tables, M-estimation). `rows` selects
 * and orders the rows (default: all). A missing code gives NaN in every dummy of that factor.
 */
export function expandFactors(factors: readonly FactorColumn[], rows?: ArrayLike<number>): DesignColumn[] {
  const out: DesignColumn[] = [];
  for (const f of factors) {
    const n = rows ? rows.length : f.codes.length;
    for (let l = 0; l < f.nLevels; l++) {
      if (l === f.reference) continue;
      const v = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const c = f.codes[rows ? rows[k]! : k]!;
        v[k] = c === l ? 1 : c < 0 ? Number.NaN : 0;
      }
      out.push({ name: f.names[l]!, values: v });
    }
  }
  return out;
}

/** A cluster/group label: numbers or strings; null, undefined, NaN and "" mean missing. */
export type GroupLabel = number | string | null | undefined;

/** Name given to the intercept column added by `intercept: true` (as R). */
export const INTERCEPT_NAME = "(Intercept)";

export interface PreparedData {
  /** Rows kept. */
  readonly n: number;
  /** Rows supplied. */
  readonly nInput: number;
  /** Rows dropped because a value was missing (NaN, or a missing group label). */
  readonly nMissing: number;
  /** Rows dropped because their prior weight was 0. */
  readonly nZeroWeight: number;
  readonly y: Float64Array;
  /** Dense model columns (intercept first when present). */
  readonly cols: Float64Array[];
  /** Factor model columns after the dense ones (null when no factors were supplied). */
  readonly factors: FactorBlock | null;
  /** Model width: dense + factor columns. */
  readonly p: number;
  /** Names of all model columns, in model order. */
  readonly names: string[];
  /** null when all weights are 1 (none supplied). */
  readonly weights: Float64Array | null;
  readonly offset: Float64Array | null;
  /** Group codes 0..nGroups−1 in order of first appearance (null when no groups were supplied). */
  readonly group: Int32Array | null;
  readonly groupLabels: GroupLabel[];
  readonly hasIntercept: boolean;
  /** Positions (in the input) of the kept rows. */
  readonly rowIndex: Int32Array | null;
}

function isMissingLabel(v: GroupLabel): boolean {
  return v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));
}

/** Validates a factor column (shape, reference, names); codes are range-checked by the caller's scan. */
function checkFactor(fn: string, f: FactorColumn, k: number, nInput: number): string {
  const label = typeof f?.name === "string" ? `factor "${f.name}"` : `factor ${k + 1}`;
  if (!f || !(f.codes instanceof Int32Array))
    throw new InvalidInputError(fn, `${label}: codes must be an Int32Array`);
  if (f.codes.length !== nInput) {
    throw new InvalidInputError(fn, `${label} has ${f.codes.length} codes, y has ${nInput}`);
  }
  if (!Number.isInteger(f.nLevels) || f.nLevels < 1)
    throw new InvalidInputError(fn, `${label}: nLevels must be a positive integer`);
  if (!Number.isInteger(f.reference) || f.reference < 0 || f.reference >= f.nLevels) {
    throw new InvalidInputError(fn, `${label}: reference must be a level index in 0…${f.nLevels - 1}`);
  }
  if (!Array.isArray(f.names) || f.names.length !== f.nLevels) {
    throw new InvalidInputError(fn, `${label}: names must give one name per level (${f.nLevels})`);
  }
  return label;
}

/**
 * Validates and compacts regression input. NaN in y, x, weights or offset, a missing factor code
 * (−1), or a missing group label, excludes the row (counted); ±Infinity anywhere, negative weights and
 * factor codes outside −1 … nLevels−1 throw InvalidInputError.
 * Zero-weight rows are excluded too (counted separately): they contribute nothing to the estimating
 * equations and R does not count them in the residual degrees of freedom.
 */
export function prepareData(
  fn: string,
  input: {
    y: ArrayLike<number>;
    x: readonly DesignColumn[];
    /** Factor columns, placed after the dense columns. */
    factors?: readonly FactorColumn[] | undefined;
    weights?: ArrayLike<number> | undefined;
    offset?: ArrayLike<number> | undefined;
    group?: ArrayLike<GroupLabel> | undefined;
  },
  intercept: boolean,
  groupName = "cluster",
): PreparedData {
  const { y, x } = input;
  const nInput = y.length;
  if (!Array.isArray(x)) throw new InvalidInputError(fn, "x must be an array of { name, values } columns");
  const names: string[] = [];
  const seen = new Set<string>();
  if (intercept) {
    names.push(INTERCEPT_NAME);
    seen.add(INTERCEPT_NAME);
  }
  for (const c of x) {
    if (!c || typeof c.name !== "string" || c.values === undefined) {
      throw new InvalidInputError(fn, "each design column needs a name and values");
    }
    if (seen.has(c.name)) throw new InvalidInputError(fn, `duplicate column name "${c.name}"`);
    seen.add(c.name);
    names.push(c.name);
    if (c.values.length !== nInput) {
      throw new InvalidInputError(fn, `column "${c.name}" has ${c.values.length} values, y has ${nInput}`);
    }
  }
  const factors = input.factors ?? [];
  if (!Array.isArray(factors)) throw new InvalidInputError(fn, "factors must be an array of factor columns");
  const factorLabels = factors.map((f, k) => checkFactor(fn, f, k, nInput));
  for (const name of factorColumnNames(factors)) {
    if (typeof name !== "string") throw new InvalidInputError(fn, "factor column names must be strings");
    if (seen.has(name)) throw new InvalidInputError(fn, `duplicate column name "${name}"`);
    seen.add(name);
    names.push(name);
  }
  if (names.length === 0)
    throw new InvalidInputError(fn, "the model has no columns (no intercept, no covariates)");
  const { weights, offset, group } = input;
  if (weights && weights.length !== nInput) throw new InvalidInputError(fn, "weights and y differ in length");
  if (offset && offset.length !== nInput) throw new InvalidInputError(fn, "offset and y differ in length");
  if (group && group.length !== nInput)
    throw new InvalidInputError(fn, `${groupName} and y differ in length`);

  // 0 = keep, 1 = missing, 2 = zero weight.
  const drop = new Uint8Array(nInput);
  const scan = (v: ArrayLike<number>, what: string): void => {
    if (v instanceof Float64Array) {
      for (let i = 0; i < nInput; i++) {
        const a = v[i]!;
        if (a - a !== 0) {
          if (Number.isNaN(a)) drop[i] = 1;
          else throw new InvalidInputError(fn, `${what} is infinite at row ${i}`);
        }
      }
      return;
    }
    for (let i = 0; i < nInput; i++) {
      const a = v[i] as number | null | undefined;
      if (a === null || a === undefined || Number.isNaN(a)) drop[i] = 1;
      else if (typeof a !== "number") throw new InvalidInputError(fn, `${what} is not a number at row ${i}`);
      else if (a - a !== 0) throw new InvalidInputError(fn, `${what} is infinite at row ${i}`);
    }
  };
  scan(y, "y");
  for (const c of x) scan(c.values, `column "${c.name}"`);
  factors.forEach((f, k) => {
    const codes = f.codes;
    const L = f.nLevels;
    for (let i = 0; i < nInput; i++) {
      const c = codes[i]!;
      if (c >= 0 && c < L) continue;
      if (c === -1) drop[i] = 1;
      else
        throw new InvalidInputError(
          fn,
          `${factorLabels[k]} has code ${c} at row ${i} (levels 0…${L - 1}, −1 = missing)`,
        );
    }
  });
  if (offset) scan(offset, "offset");
  if (weights) {
    scan(weights, "weights");
    for (let i = 0; i < nInput; i++) {
      const w = weights[i]!;
      if (w < 0) throw new InvalidInputError(fn, `negative weight at row ${i}`);
    }
  }
  if (group) for (let i = 0; i < nInput; i++) if (isMissingLabel(group[i])) drop[i] = 1;
  let nMissing = 0;
  let nZeroWeight = 0;
  for (let i = 0; i < nInput; i++) {
    if (drop[i] === 1) nMissing++;
    else if (weights && weights[i] === 0) {
      drop[i] = 2;
      nZeroWeight++;
    }
  }
  const n = nInput - nMissing - nZeroWeight;
  if (n === 0) throw new InsufficientDataError(fn, 1, 0);

  const compact = n !== nInput;
  let rowIndex: Int32Array | null = null;
  if (compact) {
    rowIndex = new Int32Array(n);
    let k = 0;
    for (let i = 0; i < nInput; i++) if (drop[i] === 0) rowIndex[k++] = i;
  }
  const take = (v: ArrayLike<number>): Float64Array => {
    if (!compact && v instanceof Float64Array) return v;
    const out = new Float64Array(n);
    if (rowIndex) for (let k = 0; k < n; k++) out[k] = v[rowIndex[k]!]!;
    else for (let k = 0; k < n; k++) out[k] = v[k]!;
    return out;
  };
  const cols: Float64Array[] = [];
  if (intercept) cols.push(new Float64Array(n).fill(1));
  for (const c of x) cols.push(take(c.values));
  const p = names.length;
  const fb =
    factors.length > 0 ? factorBlock(factors, cols.length, p, n, rowIndex, intercept ? 0 : -1) : null;
  let w: Float64Array | null = null;
  if (weights) {
    w = take(weights);
    let allOne = true;
    for (let k = 0; k < n; k++) {
      if (w[k] !== 1) {
        allOne = false;
        break;
      }
    }
    if (allOne) w = null;
  }
  let codes: Int32Array | null = null;
  const groupLabels: GroupLabel[] = [];
  if (group) {
    codes = new Int32Array(n);
    const map = new Map<GroupLabel, number>();
    for (let k = 0; k < n; k++) {
      const lab = group[rowIndex ? rowIndex[k]! : k];
      let c = map.get(lab);
      if (c === undefined) {
        c = map.size;
        map.set(lab, c);
        groupLabels.push(lab);
      }
      codes[k] = c;
    }
  }
  return {
    n,
    nInput,
    nMissing,
    nZeroWeight,
    y: take(y),
    cols,
    factors: fb,
    p,
    names,
    weights: w,
    offset: offset ? take(offset) : null,
    group: codes,
    groupLabels,
    hasIntercept: intercept,
    rowIndex,
  };
}

/**
 * Row-compressed factor columns of the kept rows: per row, the columns of its stored levels,
 * ascending (factor f's columns come after factor f−1's). With an intercept, a factor whose most
 * frequent level s is not its reference r is stored re-based on s (rows at level s store nothing,
 * the slot of s's dummy holds r's indicator; see FactorBlock), which makes the IRLS passes several
 * times cheaper when a common level is not the reference.
 */
function factorBlock(
  factors: readonly FactorColumn[],
  pd: number,
  p: number,
  n: number,
  rowIndex: Int32Array | null,
  intercept: number,
): FactorBlock {
  const q = factors.length;
  const codes = factors.map((f) => f.codes);
  // Level → stored column (−1: nothing stored), per factor.
  const maps: Int32Array[] = [];
  const rebased: RebasedFactor[] = [];
  let next = pd;
  for (const f of factors) {
    const L = f.nLevels;
    const r = f.reference;
    const model = new Int32Array(L);
    for (let l = 0; l < L; l++) model[l] = l === r ? -1 : next++;
    let s = r;
    if (intercept >= 0 && L > 1) {
      // The most frequent level, from a systematic sample of rows (any choice gives the same fit).
      const count = new Float64Array(L);
      const c = f.codes;
      const step = Math.max(1, Math.floor(n / 20_000));
      for (let k = 0; k < n; k += step) count[c[rowIndex ? rowIndex[k]! : k]!]!++;
      for (let l = 0; l < L; l++) if (count[l]! > count[s]!) s = l;
    }
    if (s === r) {
      maps.push(model);
      continue;
    }
    const stored = Int32Array.from(model);
    stored[s] = -1;
    stored[r] = model[s]!;
    const others: number[] = [];
    for (let l = 0; l < L; l++) if (l !== r && l !== s) others.push(model[l]!);
    rebased.push({ slot: model[s]!, others: Int32Array.from(others) });
    maps.push(stored);
  }
  // Entries per row, factor by factor (tight loops), then a prefix sum; then the columns, factor by
  // factor, so each row's entries come out ascending.
  const rowPtr = new Int32Array(n + 1);
  // Level codes of the kept rows.
  const lv = rowIndex
    ? codes.map((c) => {
        const out = new Int32Array(n);
        for (let k = 0; k < n; k++) out[k] = c[rowIndex[k]!]!;
        return out;
      })
    : codes;
  // Row tiles of 2048 (their slice of rowPtr / col stays in cache), factor by factor within a tile.
  // Branch-free (the stored/not-stored pattern is unpredictable): c >> 31 is 0 for a stored column,
  // −1 for none; nothing-stored writes go to a spare last element.
  const TILE = 2048;
  for (let k0 = 0; k0 < n; k0 += TILE) {
    const k1 = Math.min(n, k0 + TILE);
    for (let f = 0; f < q; f++) {
      const c = lv[f]!;
      const m = maps[f]!;
      for (let k = k0; k < k1; k++) rowPtr[k + 1] = rowPtr[k + 1]! + 1 + (m[c[k]!]! >> 31);
    }
  }
  for (let k = 0; k < n; k++) rowPtr[k + 1] = rowPtr[k + 1]! + rowPtr[k]!;
  const nnz = rowPtr[n]!;
  const buf = new Int32Array(nnz + 1);
  const fill = rowPtr.slice(0, n);
  for (let k0 = 0; k0 < n; k0 += TILE) {
    const k1 = Math.min(n, k0 + TILE);
    for (let f = 0; f < q; f++) {
      const lf = lv[f]!;
      const m = maps[f]!;
      for (let k = k0; k < k1; k++) {
        const c = m[lf[k]!]!;
        const none = c >> 31;
        const at = fill[k]!;
        buf[(at & ~none) | (nnz & none)] = c;
        fill[k] = at + 1 + none;
      }
    }
  }
  const col = buf.subarray(0, nnz);
  return { p, rowPtr, col, intercept, rebased };
}
