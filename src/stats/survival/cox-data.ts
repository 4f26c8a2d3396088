/**
 * Input preparation for the Cox model (and concordance / Fine–Gray): validation, the missing-value
 * policy, label coding, R survival's `aeqSurv` time merging, one sort by (stratum, time), and
 * covariate centring as in survival's `coxfit6`/`agfit4`.
 *
 * Missing-value policy: a row with NaN/null/undefined in time, start, stop, status, any covariate,
 * weight, stratum or cluster is excluded and counted (`MISSING_DROPPED`, R `na.omit`). A row with
 * weight 0 is excluded and counted (`ZERO_WEIGHTS_DROPPED`; R's coxph stops with "Invalid weights,
 * must be >0" — a zero-weight row adds nothing to any risk set, score or variance). Values that are
 * present but impossible — ±Infinity, a negative weight, start ≥ stop, a status other than 0/1,
 * columns of different lengths — throw `InvalidInputError`.
 */
import { type Warning, warning } from "../../messages.js";
import { InvalidInputError } from "../errors.js";
import { radixArgsort, stableSortByCode } from "./cox-sort.js";

/** A stratum or cluster label: numbers sort numerically, strings by UTF-16 code units. */
export type CoxLabel = string | number;

/** Numeric column input; NaN (or null/undefined in a plain array) = missing. */
export type CoxNumberColumn = ArrayLike<number> | readonly (number | null | undefined)[];

/** Label column input; null/undefined/NaN = missing. */
export type CoxLabelColumn = ArrayLike<number> | readonly (string | number | null | undefined)[];

/** Status column: 1/true = event, 0/false = censored. */
export type CoxStatusColumn = CoxNumberColumn | readonly (boolean | null | undefined)[];

/**
 * Survival data and covariates for a Cox model. Give `time` for right-censored data, or `start`
 * and `stop` for counting-process (start, stop] data (a row is at risk at t when start < t ≤ stop).
 * `x` is either column-major (one array per covariate) or one row-major array with `p` columns.
 */
export interface CoxInput {
  readonly time?: CoxNumberColumn | undefined;
  readonly start?: CoxNumberColumn | undefined;
  readonly stop?: CoxNumberColumn | undefined;
  readonly status: CoxStatusColumn;
  readonly x: readonly CoxNumberColumn[] | ArrayLike<number>;
  /** Number of columns when `x` is row-major. */
  readonly p?: number | undefined;
  /** Covariate names (default x1, x2, …). */
  readonly names?: readonly string[] | undefined;
  /** Stratum per row: a separate baseline hazard per stratum (R `strata()`). */
  readonly strata?: CoxLabelColumn | undefined;
  /** Case weights (> 0; 0 rows are excluded). */
  readonly weights?: CoxNumberColumn | undefined;
  /** Cluster per row for the grouped robust variance (R `cluster()`). */
  readonly cluster?: CoxLabelColumn | undefined;
}

/** Prepared, sorted model data. Sorted order: stratum ascending, then stop time ascending, ties in input order. */
export interface CoxData {
  readonly fn: string;
  readonly nInput: number;
  readonly n: number;
  readonly nMissing: number;
  readonly nZeroWeight: number;
  readonly names: readonly string[];
  /** Number of covariates given. */
  readonly p: number;
  /** Indices (into names) of the covariates that vary and are fitted. */
  readonly active: Int32Array;
  /** Names of constant covariates (not fitted). */
  readonly constant: readonly string[];
  readonly counting: boolean;
  /** Sorted position → input row. */
  readonly rowIndex: Int32Array;
  readonly stop: Float64Array;
  /** (start, stop] entry times; null for right-censored data. */
  readonly start: Float64Array | null;
  readonly status: Uint8Array;
  readonly weight: Float64Array;
  readonly hasWeights: boolean;
  readonly nonIntegerWeights: boolean;
  readonly stratum: Int32Array;
  readonly strataLabels: readonly CoxLabel[];
  /** Stratum k occupies sorted positions [strataBounds[k], strataBounds[k+1]). */
  readonly strataBounds: Int32Array;
  /** Counting-process data: sorted positions ordered by stratum, then start time ascending. */
  readonly startOrder: Int32Array | null;
  /** Number of active (fitted) covariates. */
  readonly pa: number;
  /** Active covariates, centred (x − centre), sorted order, row-major (n × pa). */
  readonly xRow: Float64Array;
  /** Centre per active covariate (weighted mean; 0 for columns with values in {−1, 0, 1}). */
  readonly center: Float64Array;
  /** survival's scale per active covariate: Σw / Σw|x − centre| (1 for {−1, 0, 1} columns). */
  readonly scale: Float64Array;
  readonly cluster: Int32Array | null;
  readonly clusterLabels: readonly CoxLabel[];
  readonly nEvents: number;
  readonly nTimesMerged: number;
  readonly warnings: readonly Warning[];
}

export interface PrepareCoxOptions {
  /** Apply survival's aeqSurv near-equal time merging (default true, R `timefix = TRUE`). */
  readonly timefix?: boolean | undefined;
  /** Require at least one covariate (default true). */
  readonly requireCovariates?: boolean | undefined;
}

const isMissing = (v: unknown): boolean =>
  v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));

/** Codes a label column to 0-based integers by sorted unique label; missing entries become −1. */
export function codeCoxLabels(
  fn: string,
  name: string,
  col: CoxLabelColumn,
  n: number,
): { codes: Int32Array; labels: CoxLabel[] } {
  const codes = new Int32Array(n);
  const map = new Map<CoxLabel, number>();
  let kind: "number" | "string" | null = null;
  for (let i = 0; i < n; i++) {
    const v = col[i] as CoxLabel | null | undefined;
    if (isMissing(v)) continue;
    const t = typeof v;
    if (t === "number") {
      if (kind === "string") throw new InvalidInputError(fn, `${name} mixes numbers and strings`);
      kind = "number";
      if (!Number.isFinite(v as number)) throw new InvalidInputError(fn, `${name}[${i}] is ${String(v)}`);
    } else if (t === "string") {
      if (kind === "number") throw new InvalidInputError(fn, `${name} mixes numbers and strings`);
      kind = "string";
    } else {
      throw new InvalidInputError(fn, `${name} values must be numbers or strings`);
    }
    if (!map.has(v as CoxLabel)) map.set(v as CoxLabel, 0);
  }
  const labels = [...map.keys()];
  if (kind === "number") (labels as number[]).sort((a, b) => a - b);
  else (labels as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  labels.forEach((l, k) => {
    map.set(l, k);
  });
  for (let i = 0; i < n; i++) {
    const v = col[i] as CoxLabel | null | undefined;
    codes[i] = isMissing(v) ? -1 : (map.get(v as CoxLabel) as number);
  }
  return { codes, labels };
}

/** Returns the covariate columns as accessors x[j][i], validating shape (column-major or row-major with p). */
export function coxCovariateColumns(
  fn: string,
  input: Pick<CoxInput, "x" | "p">,
  nIn: number,
): { cols: ArrayLike<number>[]; p: number } {
  const x = input.x;
  const first = (x as ArrayLike<unknown>)[0];
  const columnMajor =
    (x as ArrayLike<unknown>).length === 0 ||
    (typeof first === "object" &&
      first !== null &&
      typeof (first as { length?: unknown }).length === "number");
  if (columnMajor) {
    const cols = x as readonly CoxNumberColumn[];
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j] as CoxNumberColumn;
      if (c.length !== nIn)
        throw new InvalidInputError(fn, `x column ${j + 1} has length ${c.length} but there are ${nIn} rows`);
    }
    return { cols: cols as ArrayLike<number>[], p: cols.length };
  }
  const p = input.p;
  if (p === undefined || !Number.isInteger(p) || p < 1)
    throw new InvalidInputError(fn, "row-major x needs a positive integer p (number of columns)");
  const flat = x as ArrayLike<number>;
  if (flat.length !== nIn * p)
    throw new InvalidInputError(fn, `row-major x has length ${flat.length}, expected n·p = ${nIn * p}`);
  const cols: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    const c = new Float64Array(nIn);
    for (let i = 0; i < nIn; i++) {
      const v = flat[i * p + j] as number | null | undefined;
      c[i] = isMissing(v) ? Number.NaN : (v as number);
    }
    cols.push(c);
  }
  return { cols, p };
}

/**
 * survival's aeqSurv: sorted unique finite times within √ε (absolute, or relative to the mean
 * absolute time) of their predecessor are merged into the first time of their run. Returns the
 * number of values merged; `values` are modified in place.
 */
export function applyTimefix(values: Float64Array[], order: Int32Array[]): number {
  // Sorted unique values by merging the already sorted sequences (one or two of them).
  const total = order.reduce((a, o) => a + o.length, 0);
  const u = new Float64Array(total);
  let m = 0;
  const push = (t: number) => {
    if (m === 0 || t !== (u[m - 1] as number)) u[m++] = t;
  };
  const v0 = values[0] as Float64Array;
  const o0 = order[0] as Int32Array;
  if (values.length === 1) {
    for (let k = 0; k < o0.length; k++) {
      const t = v0[o0[k] as number] as number;
      if (m === 0 || t !== (u[m - 1] as number)) u[m++] = t;
    }
  } else {
    const v1 = values[1] as Float64Array;
    const o1 = order[1] as Int32Array;
    let a = 0;
    let b = 0;
    while (a < o0.length || b < o1.length) {
      const ta = a < o0.length ? (v0[o0[a] as number] as number) : Number.POSITIVE_INFINITY;
      const tb = b < o1.length ? (v1[o1[b] as number] as number) : Number.POSITIVE_INFINITY;
      if (ta <= tb) {
        push(ta);
        a++;
      } else {
        push(tb);
        b++;
      }
    }
  }
  if (m < 2) return 0;
  const tol = Math.sqrt(2.220446049250313e-16);
  let meanAbs = 0;
  for (let k = 0; k < m; k++) meanAbs += Math.abs(u[k] as number);
  meanAbs /= m;
  const rep = new Float64Array(m);
  let merged = 0;
  rep[0] = u[0] as number;
  for (let k = 1; k < m; k++) {
    const dy = (u[k] as number) - (u[k - 1] as number);
    const tied = dy <= tol || dy / meanAbs <= tol;
    if (tied) {
      rep[k] = rep[k - 1] as number;
      merged++;
    } else rep[k] = u[k] as number;
  }
  if (merged === 0) return 0;
  const uu = u.subarray(0, m);
  for (const v of values) {
    for (let i = 0; i < v.length; i++) {
      const t = v[i] as number;
      if (Number.isNaN(t)) continue;
      // binary search for t in uu
      let lo = 0;
      let hi = m - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((uu[mid] as number) < t) lo = mid + 1;
        else hi = mid;
      }
      v[i] = rep[lo] as number;
    }
  }
  return merged;
}

/**
 * Counting sort by (stratum, integer time) for right-censored data: returns, per compact row, its
 * sorted position (stable), or null when times are not integers, the key range is too large, or
 * survival's aeqSurv rule would merge some of the distinct times (then the general path runs).
 */
function integerDestinations(
  stop0: Float64Array,
  strat0: Int32Array,
  nStrata: number,
  eligible: boolean,
  timefix: boolean,
): Int32Array | null {
  const n = stop0.length;
  if (!eligible || n === 0) return null;
  let mn = Number.POSITIVE_INFINITY;
  let mx = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const v = stop0[k] as number;
    if (v !== Math.floor(v) || (v === 0 && 1 / v < 0)) return null;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  const range = mx - mn + 1;
  const buckets = range * nStrata;
  if (!(buckets <= Math.max(4 * n, 1 << 16) && buckets <= 1 << 24)) return null;
  const count = new Int32Array(buckets + 1);
  for (let k = 0; k < n; k++) {
    const b = (strat0[k] as number) * range + ((stop0[k] as number) - mn);
    count[b + 1] = (count[b + 1] as number) + 1;
  }
  if (timefix) {
    // Distinct times (pooled over strata) and aeqSurv's test; integers merge only when huge.
    const tol = Math.sqrt(2.220446049250313e-16);
    let m = 0;
    let sumAbs = 0;
    for (let d = 0; d < range; d++) {
      let present = false;
      for (let s = 0; s < nStrata && !present; s++)
        if ((count[s * range + d + 1] as number) > 0) present = true;
      if (present) {
        m++;
        sumAbs += Math.abs(mn + d);
      }
    }
    const meanAbs = sumAbs / m;
    if (m > 1 && 1 / meanAbs <= tol) return null;
  }
  for (let b = 1; b <= buckets; b++) count[b] = (count[b] as number) + (count[b - 1] as number);
  const dest = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const b = (strat0[k] as number) * range + ((stop0[k] as number) - mn);
    const pos = count[b] as number;
    count[b] = pos + 1;
    dest[k] = pos;
  }
  return dest;
}

/** A numeric (or boolean) column as a Float64Array; null/undefined → NaN (missing). */
function toFloat64(fn: string, name: string, col: ArrayLike<unknown>): Float64Array {
  if (col instanceof Float64Array) return col;
  if (ArrayBuffer.isView(col) && !(col instanceof DataView))
    return Float64Array.from(col as unknown as ArrayLike<number>);
  const n = col.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = col[i];
    if (typeof v === "number") out[i] = v;
    else if (v === null || v === undefined) out[i] = Number.NaN;
    else if (typeof v === "boolean") out[i] = v ? 1 : 0;
    else throw new InvalidInputError(fn, `${name}[${i}] is not a number (${String(v)})`);
  }
  return out;
}

/** Validates, cleans, sorts and centres Cox model input. */
export function prepareCoxData(fn: string, input: CoxInput, options: PrepareCoxOptions = {}): CoxData {
  const counting = input.time === undefined;
  if (counting && (input.start === undefined || input.stop === undefined))
    throw new InvalidInputError(fn, "give either time, or start and stop");
  if (!counting && (input.start !== undefined || input.stop !== undefined))
    throw new InvalidInputError(fn, "give either time, or start and stop, not both");
  const stopCol = (counting ? input.stop : input.time) as CoxNumberColumn;
  const nIn = stopCol.length;
  const checkLen = (col: { length: number } | undefined, name: string) => {
    if (col !== undefined && col.length !== nIn)
      throw new InvalidInputError(fn, `${name} has length ${col.length} but there are ${nIn} rows`);
  };
  checkLen(input.status, "status");
  checkLen(input.start, "start");
  checkLen(input.weights, "weights");
  checkLen(input.strata, "strata");
  checkLen(input.cluster, "cluster");
  const { cols, p } = coxCovariateColumns(fn, input, nIn);
  if (p === 0 && options.requireCovariates !== false) throw new InvalidInputError(fn, "x has no columns");
  const names = input.names ? [...input.names] : Array.from({ length: p }, (_, j) => `x${j + 1}`);
  if (names.length !== p)
    throw new InvalidInputError(fn, `names has ${names.length} entries for ${p} columns`);

  const strataCoded = input.strata ? codeCoxLabels(fn, "strata", input.strata, nIn) : null;
  const clusterCoded = input.cluster ? codeCoxLabels(fn, "cluster", input.cluster, nIn) : null;

  // Everything numeric becomes a Float64Array once (monomorphic hot loops); missing = NaN.
  const stopF = toFloat64(fn, counting ? "stop" : "time", stopCol);
  const startF = counting ? toFloat64(fn, "start", input.start as CoxNumberColumn) : null;
  const statusF = toFloat64(fn, "status", input.status);
  const wF = input.weights ? toFloat64(fn, "weights", input.weights) : null;
  const colsF = cols.map((c, j) => toFloat64(fn, `covariate ${names[j]}`, c));

  // Pass 1: decide which rows are used.
  const keep = new Uint8Array(nIn);
  let nMissing = 0;
  let nZeroWeight = 0;
  let n = 0;
  const miss = new Uint8Array(nIn);
  const markMissing = (col: Float64Array | null) => {
    if (!col) return;
    for (let i = 0; i < nIn; i++) {
      const v = col[i] as number;
      // biome-ignore lint/suspicious/noSelfCompare: NaN test without a function call in the hot loop
      if (v !== v) miss[i] = 1;
    }
  };
  markMissing(stopF);
  markMissing(startF);
  markMissing(statusF);
  markMissing(wF);
  for (const c of colsF) markMissing(c);
  if (strataCoded) for (let i = 0; i < nIn; i++) if (strataCoded.codes[i] === -1) miss[i] = 1;
  if (clusterCoded) for (let i = 0; i < nIn; i++) if (clusterCoded.codes[i] === -1) miss[i] = 1;
  for (let j = 0; j < p; j++) {
    const c = colsF[j] as Float64Array;
    for (let i = 0; i < nIn; i++) {
      const v = c[i] as number;
      if (!miss[i] && (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY))
        throw new InvalidInputError(fn, `covariate ${names[j]} has ${v} in row ${i}`);
    }
  }
  for (let i = 0; i < nIn; i++) {
    if (miss[i]) {
      nMissing++;
      continue;
    }
    const tt = stopF[i] as number;
    if (!Number.isFinite(tt)) throw new InvalidInputError(fn, `${counting ? "stop" : "time"}[${i}] is ${tt}`);
    if (startF) {
      const ss = startF[i] as number;
      if (!Number.isFinite(ss)) throw new InvalidInputError(fn, `start[${i}] is ${ss}`);
      if (!(ss < tt)) throw new InvalidInputError(fn, `start[${i}] (${ss}) is not below stop[${i}] (${tt})`);
    }
    const st = statusF[i] as number;
    if (st !== 0 && st !== 1)
      throw new InvalidInputError(fn, `status[${i}] is ${st}; use 1 (event) or 0 (censored)`);
    if (wF) {
      const ww = wF[i] as number;
      if (!Number.isFinite(ww) || ww < 0)
        throw new InvalidInputError(fn, `weights[${i}] is ${ww}; weights must be finite and ≥ 0`);
      if (ww === 0) {
        nZeroWeight++;
        continue;
      }
    }
    keep[i] = 1;
    n++;
  }

  // Compact the sort keys and accumulate covariate summaries (one sequential pass).
  const rows = new Int32Array(n);
  const stop0 = new Float64Array(n);
  const start0 = startF ? new Float64Array(n) : null;
  const strat0 = new Int32Array(n);
  const clus0 = clusterCoded ? new Int32Array(n) : null;
  let sumW = 0;
  const colSum = new Float64Array(p);
  const colMin = new Float64Array(p).fill(Number.POSITIVE_INFINITY);
  const colMax = new Float64Array(p).fill(Number.NEGATIVE_INFINITY);
  const zeroOne = new Uint8Array(p).fill(1);
  {
    let k = 0;
    for (let i = 0; i < nIn; i++) {
      if (!keep[i]) continue;
      rows[k] = i;
      stop0[k] = stopF[i] as number;
      if (start0 && startF) start0[k] = startF[i] as number;
      const ww = wF ? (wF[i] as number) : 1;
      sumW += ww;
      if (clus0 && clusterCoded) clus0[k] = clusterCoded.codes[i] as number;
      k++;
    }
    for (let j = 0; j < p; j++) {
      const c = colsF[j] as Float64Array;
      let sum = 0;
      let mn = Number.POSITIVE_INFINITY;
      let mx = Number.NEGATIVE_INFINITY;
      let z = 1;
      for (let q = 0; q < n; q++) {
        const i = rows[q] as number;
        const v = c[i] as number;
        sum += (wF ? (wF[i] as number) : 1) * v;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
        if (v !== 0 && v !== 1 && v !== -1) z = 0;
      }
      colSum[j] = sum;
      colMin[j] = mn;
      colMax[j] = mx;
      zeroOne[j] = z;
    }
  }
  let nStrata = 1;
  const strataLabels: CoxLabel[] = [];
  if (strataCoded) {
    // Re-code to the strata present among used rows.
    const present = new Int32Array(strataCoded.labels.length).fill(-1);
    for (let i = 0; i < nIn; i++) if (keep[i]) present[strataCoded.codes[i] as number] = 1;
    let c = 0;
    for (let s = 0; s < present.length; s++) {
      if (present[s] === 1) {
        present[s] = c++;
        strataLabels.push(strataCoded.labels[s] as CoxLabel);
      }
    }
    for (let k = 0; k < n; k++) strat0[k] = present[strataCoded.codes[rows[k] as number] as number] as number;
    nStrata = Math.max(c, 1);
  }

  // Sorted position of each compact row: by stratum, then stop time, ties in input order.
  // Integer times (e.g. day numbers) take a counting sort whose scatter writes stay sequential
  // per bucket; other data take the radix argsort, survival's aeqSurv merging, and a stable
  // stratum sort.
  let dest: Int32Array | null = integerDestinations(
    stop0,
    strat0,
    nStrata,
    start0 === null || options.timefix === false,
    options.timefix !== false,
  );
  let nTimesMerged = 0;
  let startOrder0: Int32Array | null = null;
  if (!dest) {
    let order = radixArgsort(stop0);
    startOrder0 = start0 ? radixArgsort(start0) : null;
    if (options.timefix !== false && n > 1) {
      nTimesMerged =
        start0 && startOrder0
          ? applyTimefix([stop0, start0], [order, startOrder0])
          : applyTimefix([stop0], [order]);
      if (nTimesMerged > 0 && start0) {
        for (let k = 0; k < n; k++)
          if (!((start0[k] as number) < (stop0[k] as number)))
            throw new InvalidInputError(
              fn,
              `time merging (timefix) made an interval of length 0 in row ${rows[k] as number}; pass timefix: false`,
            );
      }
    }
    order = stableSortByCode(order, strat0, nStrata);
    dest = new Int32Array(n);
    for (let k = 0; k < n; k++) dest[order[k] as number] = k;
  } else if (start0) {
    startOrder0 = radixArgsort(start0);
  }
  if (startOrder0) startOrder0 = stableSortByCode(startOrder0, strat0, nStrata);

  // Covariates: constants are dropped; centre = weighted mean unless values ⊂ {−1, 0, 1} (survival's nocenter).
  const active: number[] = [];
  const constant: string[] = [];
  const centers: number[] = [];
  for (let j = 0; j < p; j++) {
    if (n === 0 || colMin[j] === colMax[j]) {
      constant.push(names[j] as string);
      continue;
    }
    active.push(j);
    centers.push(zeroOne[j] ? 0 : (colSum[j] as number) / sumW);
  }
  const pa = active.length;

  // Scatter the rows to their sorted positions (reads are sequential).
  const rowIndex = new Int32Array(n);
  const stop = new Float64Array(n);
  const start = start0 ? new Float64Array(n) : null;
  const status = new Uint8Array(n);
  const weight = new Float64Array(n);
  const stratum = new Int32Array(n);
  const cluster = clus0 ? new Int32Array(n) : null;
  const xRow = new Float64Array(n * pa);
  let nEvents = 0;
  let nonIntegerWeights = false;
  for (let c = 0; c < n; c++) {
    const k = dest[c] as number;
    const i = rows[c] as number;
    stop[k] = stop0[c] as number;
    if (start && start0) start[k] = start0[c] as number;
    const ev = statusF[i] === 1 ? 1 : 0;
    status[k] = ev;
    nEvents += ev;
    const ww = wF ? (wF[i] as number) : 1;
    weight[k] = ww;
    if (ww !== Math.floor(ww)) nonIntegerWeights = true;
    rowIndex[k] = i;
    stratum[k] = strat0[c] as number;
    if (cluster && clus0) cluster[k] = clus0[c] as number;
  }
  {
    const acols = active.map((j) => colsF[j] as Float64Array);
    const ctr = Float64Array.from(centers);
    for (let c = 0; c < n; c++) {
      const base = (dest[c] as number) * pa;
      const i = rows[c] as number;
      for (let a = 0; a < pa; a++)
        xRow[base + a] = ((acols[a] as Float64Array)[i] as number) - (ctr[a] as number);
    }
  }
  let startOrder: Int32Array | null = null;
  if (startOrder0) {
    startOrder = new Int32Array(n);
    for (let k = 0; k < n; k++) startOrder[k] = dest[startOrder0[k] as number] as number;
  }
  const strataBounds = new Int32Array(nStrata + 1);
  for (let k = 0; k < n; k++)
    strataBounds[(stratum[k] as number) + 1] = (strataBounds[(stratum[k] as number) + 1] as number) + 1;
  for (let s = 1; s <= nStrata; s++)
    strataBounds[s] = (strataBounds[s] as number) + (strataBounds[s - 1] as number);

  // survival's scale Σw / Σw|x − centre|.
  const absSum = new Float64Array(pa);
  for (let k = 0; k < n; k++) {
    const wk = weight[k] as number;
    for (let a = 0; a < pa; a++)
      absSum[a] = (absSum[a] as number) + wk * Math.abs(xRow[k * pa + a] as number);
  }
  const scales: number[] = [];
  for (let a = 0; a < pa; a++) {
    const sa = absSum[a] as number;
    scales.push(zeroOne[active[a] as number] ? 1 : sa > 0 ? sumW / sa : 1);
  }

  // Re-code clusters to those present.
  let clusterLabels: CoxLabel[] = [];
  if (cluster && clusterCoded) {
    const present = new Int32Array(clusterCoded.labels.length).fill(-1);
    for (let k = 0; k < n; k++) present[cluster[k] as number] = 1;
    let c = 0;
    for (let s = 0; s < present.length; s++) {
      if (present[s] === 1) {
        present[s] = c++;
        clusterLabels.push(clusterCoded.labels[s] as CoxLabel);
      }
    }
    for (let k = 0; k < n; k++) cluster[k] = present[cluster[k] as number] as number;
  } else clusterLabels = [];

  const warnings: Warning[] = [];
  if (nMissing > 0)
    warnings.push(
      warning("MISSING_DROPPED", `${nMissing} of ${nIn} rows had a missing value`, { rows: nMissing }),
    );
  if (nZeroWeight > 0)
    warnings.push(warning("ZERO_WEIGHTS_DROPPED", `${nZeroWeight} rows had weight 0`, { rows: nZeroWeight }));
  for (const name of constant)
    warnings.push(
      warning(
        "CONSTANT_COVARIATE",
        `${name} takes a single value among the rows used; its coefficient is null`,
        {
          covariate: name,
        },
      ),
    );

  return {
    fn,
    nInput: nIn,
    n,
    nMissing,
    nZeroWeight,
    names,
    p,
    active: Int32Array.from(active),
    constant,
    counting,
    rowIndex,
    stop,
    start,
    status,
    weight,
    hasWeights: wF !== null,
    nonIntegerWeights,
    stratum,
    strataLabels,
    strataBounds,
    startOrder,
    pa,
    xRow,
    center: Float64Array.from(centers),
    scale: Float64Array.from(scales),
    cluster,
    clusterLabels,
    nEvents,
    nTimesMerged,
    warnings,
  };
}
