import { InvalidInputError } from "../errors.js";

/** Multiplicity adjustment methods (names as R `p.adjust`). */
export type PAdjustMethod = "holm" | "hochberg" | "BH" | "BY" | "bonferroni" | "none";

const METHODS: readonly PAdjustMethod[] = ["holm", "hochberg", "BH", "BY", "bonferroni", "none"];

/**
 * Adjusts p-values for multiple comparisons, reproducing R's `p.adjust(p, method)` exactly.
 *
 * Variants: "holm" (Holm 1979 step-down, the default as in R), "hochberg" (Hochberg 1988 step-up),
 * "BH" (Benjamini & Hochberg 1995 false discovery rate), "BY" (Benjamini & Yekutieli 2001),
 * "bonferroni", "none". Missing entries (NaN, null, undefined) stay in place as null and are not
 * counted in the number of tests n, as in R (n defaults to the number of non-missing p-values).
 * Ties are handled as R does (adjusted values of tied p-values are equal).
 *
 * Reference: R `stats::p.adjust`; Holm, S. (1979) Scand J Stat 6, 65–70; Hochberg, Y. (1988)
 * Biometrika 75, 800–802; Benjamini, Y. & Hochberg, Y. (1995) JRSS-B 57, 289–300.
 *
 * @param p - p-values in [0, 1]; NaN/null mark missing entries
 * @param method - adjustment method; default "holm"
 * @returns a frozen array of adjusted p-values, null where the input was missing
 * @throws InvalidInputError for a value outside [0, 1], ±Infinity, or an unknown method
 * @example pAdjust([0.01, 0.04, 0.03], "holm") // [0.03, 0.06, 0.06]
 */
export function pAdjust(
  p: ArrayLike<number | null>,
  method: PAdjustMethod = "holm",
): readonly (number | null)[] {
  const fn = "pAdjust";
  if (!METHODS.includes(method)) throw new InvalidInputError(fn, `unknown method "${String(method)}"`);
  const out: (number | null)[] = new Array(p.length).fill(null);
  const index: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const v: unknown = p[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) continue;
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
      throw new InvalidInputError(fn, `p[${i}] = ${String(v)} is not a probability in [0, 1]`);
    }
    index.push(i);
  }
  const n = index.length;
  const value = (i: number): number => p[i] as number;
  if (n <= 1 || method === "none") {
    for (const i of index) out[i] = value(i);
    return Object.freeze(out);
  }
  if (method === "bonferroni") {
    for (const i of index) out[i] = Math.min(1, n * value(i));
    return Object.freeze(out);
  }
  if (method === "holm") {
    // Ascending order (stable, as R's order); cumulative maximum of (n + 1 − rank)·p.
    const order = [...index].sort((a, b) => value(a) - value(b));
    let running = 0;
    for (let r = 0; r < n; r++) {
      const i = order[r] as number;
      running = Math.max(running, (n - r) * value(i));
      out[i] = Math.min(1, running);
    }
    return Object.freeze(out);
  }
  // Step-up methods: descending order (stable), cumulative minimum; rank i runs n, n − 1, …, 1.
  const order = [...index].sort((a, b) => value(b) - value(a));
  let q = 1;
  if (method === "BY") {
    q = 0;
    for (let k = 1; k <= n; k++) q += 1 / k;
  }
  let running = Number.POSITIVE_INFINITY;
  for (let r = 0; r < n; r++) {
    const i = order[r] as number;
    const rank = n - r;
    const adjusted = method === "hochberg" ? (n + 1 - rank) * value(i) : ((q * n) / rank) * value(i);
    running = Math.min(running, adjusted);
    out[i] = Math.min(1, running);
  }
  return Object.freeze(out);
}
