/**
 * Input handling shared by glm(), gee() and lmm(): named design columns, row exclusion (missing
 * values counted, never silently propagated), compaction into column-major Float64Arrays.
 */
import { InsufficientDataError, InvalidInputError } from "../errors.js";

/** One named column of a design matrix. */
export interface DesignColumn {
  readonly name: string;
  readonly values: ArrayLike<number>;
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
  readonly cols: Float64Array[];
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

/**
 * Validates and compacts regression input. NaN in y, x, weights or offset, or a missing group label,
 * excludes the row (counted); ±Infinity anywhere and negative weights throw InvalidInputError.
 * Zero-weight rows are excluded too (counted separately): they contribute nothing to the estimating
 * equations and R does not count them in the residual degrees of freedom.
 */
export function prepareData(
  fn: string,
  input: {
    y: ArrayLike<number>;
    x: readonly DesignColumn[];
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
    names,
    weights: w,
    offset: offset ? take(offset) : null,
    group: codes,
    groupLabels,
    hasIntercept: intercept,
    rowIndex,
  };
}
