/**
 * Test of the proportional-hazards assumption, as R survival ≥ 3 `cox.zph`: the full score test
 * for adding x·g(t) (g a transform of time, centred at its mean over the events) to the fitted
 * model, evaluated at (β̂, 0), per term and globally. Since survival 3.0 this replaces the earlier
 * approximation that lifelines still uses (therneau/survival#97).
 * Reference: Grambsch & Therneau (1994), Biometrika 81:515–526; Therneau & Grambsch (2000) §6.2.
 */
import { type Warning, warning } from "../../messages.js";
import { chiSquaredUpperTail } from "../distributions/index.js";
import { InvalidInputError } from "../errors.js";
import { ldlDecompose, ldlSolve } from "../linalg/index.js";
import { type CoxPHResult, coxState } from "./cox.js";
import type { CoxData } from "./cox-data.js";
import { coxPass } from "./cox-engine.js";

/** Time transform g(t): R's "km" (default: 1 − pooled KM just before t), "rank", "identity" or "log". */
export type ZphTransform = "km" | "rank" | "identity" | "log";

export interface CoxZphOptions {
  readonly transform?: ZphTransform;
  /**
   * Terms to test jointly, by covariate names (e.g. the dummies of one factor). Default: one term
   * per covariate (R with one column per term).
   */
  readonly terms?: readonly { readonly name: string; readonly covariates: readonly string[] }[];
}

export interface CoxZphRow {
  readonly term: string;
  readonly statistic: number | null;
  readonly df: number;
  readonly pValue: number | null;
}

export interface CoxZphResult {
  readonly method: string;
  readonly transform: ZphTransform;
  /** One row per term (R's `cox.zph(fit)$table` without the GLOBAL row). */
  readonly terms: readonly CoxZphRow[];
  /** The GLOBAL row. */
  readonly global: CoxZphRow;
  readonly n: number;
  readonly nEvents: number;
  readonly warnings: readonly Warning[];
}

/** g(t) for the distinct stop times, evaluated at `times`. */
function transformTimes(d: CoxData, times: Float64Array, transform: ZphTransform): Float64Array {
  const out = new Float64Array(times.length);
  if (transform === "identity") {
    out.set(times);
    return out;
  }
  if (transform === "log") {
    for (let q = 0; q < times.length; q++) out[q] = Math.log(times[q] as number);
    return out;
  }
  const n = d.n;
  const stops = Float64Array.from(d.stop).sort();
  const countLess = (arr: Float64Array, t: number, orEqual: boolean) => {
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const v = arr[mid] as number;
      if (v < t || (orEqual && v === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  if (transform === "rank") {
    for (let q = 0; q < times.length; q++) {
      const t = times[q] as number;
      const lo = countLess(stops, t, false);
      const hi = countLess(stops, t, true);
      out[q] = (lo + 1 + hi) / 2;
    }
    return out;
  }
  // Pooled, unweighted Kaplan–Meier over all rows (counting-process risk sets), value just before t.
  const starts = d.start ? Float64Array.from(d.start).sort() : null;
  const deathTimes: number[] = [];
  for (let i = 0; i < n; i++) if (d.status[i] === 1) deathTimes.push(d.stop[i] as number);
  const dt = Float64Array.from(deathTimes).sort();
  // Distinct death times with KM after each.
  const uT: number[] = [];
  const kmAfter: number[] = [];
  let km = 1;
  for (let k = 0; k < dt.length; ) {
    const t = dt[k] as number;
    let e = 0;
    while (k < dt.length && dt[k] === t) {
      e++;
      k++;
    }
    let atRisk = n - countLess(stops, t, false);
    if (starts) atRisk -= n - countLess(starts, t, false);
    km *= 1 - e / atRisk;
    uT.push(t);
    kmAfter.push(km);
  }
  for (let q = 0; q < times.length; q++) {
    const t = times[q] as number;
    // last death time strictly below t
    let lo = 0;
    let hi = uT.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((uT[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    out[q] = 1 - (lo === 0 ? 1 : (kmAfter[lo - 1] as number));
  }
  return out;
}

/**
 * Proportional-hazards score test per term and global, as R `cox.zph(fit, transform)` (survival ≥ 3,
 * `terms = TRUE`, `singledf = FALSE`). Uses the fit's ties, strata, weights and (start, stop] data.
 */
export function coxZph(fit: CoxPHResult, options: CoxZphOptions = {}): CoxZphResult {
  const fn = "coxZph";
  const s = coxState(fit);
  const d = s.data;
  const transform = options.transform ?? "km";
  if (!["km", "rank", "identity", "log"].includes(transform))
    throw new InvalidInputError(fn, `unknown transform "${String(transform)}"`);
  const pa = d.pa;
  const keepIdx: number[] = [];
  for (let a = 0; a < pa; a++) if (!s.redundant[a]) keepIdx.push(a);
  const names = keepIdx.map((a) => d.names[d.active[a] as number] as string);
  const k = keepIdx.length;
  if (k === 0 || d.nEvents === 0)
    throw new InvalidInputError(fn, "the fit has no estimated coefficients or no events");
  if (transform === "log") {
    for (let i = 0; i < d.n; i++)
      if (!((d.stop[i] as number) > 0))
        throw new InvalidInputError(fn, "the log transform needs positive times");
  }
  const pass = coxPass(d, s.beta, s.ties, { zph: true });
  const det = pass.detail;
  if (!det?.uT || !det.vT) throw new Error("missing zph detail");
  const g = transformTimes(d, det.time, transform);
  // Centre g at its mean over the event rows (unweighted).
  let gsum = 0;
  for (let q = 0; q < det.nTimes; q++) gsum += (g[q] as number) * (det.nDead[q] as number);
  const gbar = gsum / d.nEvents;
  const m = 2 * k;
  const imat = new Float64Array(m * m);
  const u2 = new Float64Array(k);
  for (let q = 0; q < det.nTimes; q++) {
    const gq = (g[q] as number) - gbar;
    for (let r = 0; r < k; r++) {
      const ar = keepIdx[r] as number;
      u2[r] = (u2[r] as number) + gq * (det.uT[q * pa + ar] as number);
      for (let c = 0; c < k; c++) {
        const ac = keepIdx[c] as number;
        const v = det.vT[q * pa * pa + ar * pa + ac] as number;
        imat[r * m + c] = (imat[r * m + c] as number) + v;
        imat[r * m + (c + k)] = (imat[r * m + (c + k)] as number) + gq * v;
        imat[(r + k) * m + c] = (imat[(r + k) * m + c] as number) + gq * v;
        imat[(r + k) * m + (c + k)] = (imat[(r + k) * m + (c + k)] as number) + gq * gq * v;
      }
    }
  }
  const test = (cols: number[]): number | null => {
    const idx = [...Array.from({ length: k }, (_, r) => r), ...cols.map((c) => c + k)];
    const q = idx.length;
    const sub = new Float64Array(q * q);
    const u = new Float64Array(q);
    for (let r = 0; r < q; r++) {
      for (let c = 0; c < q; c++)
        sub[r * q + c] = imat[(idx[r] as number) * m + (idx[c] as number)] as number;
      u[r] = r < k ? 0 : (u2[(idx[r] as number) - k] as number);
    }
    const f = ldlDecompose(sub, q, 1e-12);
    if (f.rank < q) return null;
    const x = ldlSolve(f, u);
    let st = 0;
    for (let r = 0; r < q; r++) st += (x[r] as number) * (u[r] as number);
    return st;
  };
  const termSpecs =
    options.terms ??
    names.map((name) => ({
      name,
      covariates: [name],
    }));
  const warnings: Warning[] = [];
  const rows: CoxZphRow[] = [];
  for (const t of termSpecs) {
    const cols: number[] = [];
    for (const c of t.covariates) {
      const r = names.indexOf(c);
      if (r < 0) {
        if (!d.names.includes(c)) throw new InvalidInputError(fn, `term ${t.name}: unknown covariate ${c}`);
        continue; // constant or aliased: dropped as in R
      }
      cols.push(r);
    }
    if (cols.length === 0) continue;
    const st = test(cols);
    if (st === null) warnings.push(warning("SINGULAR_VARIANCE", `term ${t.name}`));
    rows.push({
      term: t.name,
      statistic: st,
      df: cols.length,
      pValue: st === null ? null : chiSquaredUpperTail(Math.max(st, 0), cols.length),
    });
  }
  const gst = test(Array.from({ length: k }, (_, r) => r));
  if (gst === null) warnings.push(warning("SINGULAR_VARIANCE", "global test"));
  const global: CoxZphRow = {
    term: "GLOBAL",
    statistic: gst,
    df: k,
    pValue: gst === null ? null : chiSquaredUpperTail(Math.max(gst, 0), k),
  };
  return Object.freeze({
    method: `Proportional-hazards score test (R survival >= 3 cox.zph, transform "${transform}", ${
      s.ties === "efron" ? "Efron" : "Breslow"
    } ties, per term and global)`,
    transform,
    terms: Object.freeze(rows.map((r) => Object.freeze(r))),
    global: Object.freeze(global),
    n: d.n,
    nEvents: d.nEvents,
    warnings: Object.freeze(warnings),
  });
}
