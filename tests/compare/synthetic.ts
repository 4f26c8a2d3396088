/**
 * Confounded synthetic data with a known effect, for bias and coverage checks (independent of the
 * estimators: the truth is set by construction). Covariates: x1 ~ U(−1, 1), x2 ~ N(0, 1),
 * x3 ~ Bernoulli(0.4). Treatment: logit P(T = 1) = −0.4 + 1.2·x1 − 0.5·x2 + 0.8·x3.
 * Outcomes (constant effects, so ATE = ATT = the stated truth):
 * - continuous y = 1 + 2·T + 3·x1 + 1·x2 − 1·x3 + N(0, 1)  → mean difference 2;
 * - binary P(y = 1) = 0.25 + 0.10·T + 0.12·x1 + 0.10·x3 (always in [0.03, 0.57]) → risk difference 0.10.
 */

/** Seeded uniform generator (mulberry32). */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ConfoundedData {
  readonly n: number;
  readonly id: string[];
  readonly treat: Uint8Array;
  readonly x1: Float64Array;
  readonly x2: Float64Array;
  readonly x3: Float64Array;
  readonly y: Float64Array;
  readonly yBinary: Float64Array;
}

export const TRUE_MEAN_DIFFERENCE = 2;
export const TRUE_RISK_DIFFERENCE = 0.1;

export function confoundedData(n: number, seed: number): ConfoundedData {
  const u = uniform(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const treat = new Uint8Array(n);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const x3 = new Float64Array(n);
  const y = new Float64Array(n);
  const yBinary = new Float64Array(n);
  const id: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = 2 * u() - 1;
    x2[i] = normal();
    x3[i] = u() < 0.4 ? 1 : 0;
    const eta = -0.4 + 1.2 * x1[i]! - 0.5 * x2[i]! + 0.8 * x3[i]!;
    treat[i] = u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    y[i] = 1 + TRUE_MEAN_DIFFERENCE * treat[i]! + 3 * x1[i]! + x2[i]! - x3[i]! + normal();
    const p = 0.25 + TRUE_RISK_DIFFERENCE * treat[i]! + 0.12 * x1[i]! + 0.1 * x3[i]!;
    yBinary[i] = u() < p ? 1 : 0;
    id[i] = `p${String(i).padStart(7, "0")}`;
  }
  return { n, id, treat, x1, x2, x3, y, yBinary };
}
