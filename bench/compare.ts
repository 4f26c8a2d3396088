/**
 * Comparison-group benchmark (indicative: the machine is shared).
 * - Matching: 100,000 people, 40 % treated, 10 covariates: propensity model, then greedy 1:1 nearest-
 *   neighbour matching with a 0.2-SD caliper (target: matching well under a second).
 * - Weighting and balance: 1,000,000 people, 10 covariates: propensity model, ATE weights, balance table
 *   before/after (SMD, variance ratios, KS).
 *
 *   npx tsx bench/compare.ts [nMatch] [nWeight]
 */
import { pathToFileURL } from "node:url";
import { balanceTable, matchNearest, propensityScore, propensityWeights } from "../src/compare/index.js";

/** mulberry32 (no Math.random in this project). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n people, 7 normal + 3 binary covariates, treatment share ≈ 40 %. */
export function makeCompareData(n: number, seed = 1) {
  const u = rng(seed);
  const cols: Record<string, Float64Array> = {};
  for (let j = 0; j < 7; j++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - u()));
      const th = 2 * Math.PI * u();
      c[i] = r * Math.cos(th);
      if (i + 1 < n) c[i + 1] = r * Math.sin(th);
    }
    cols[`z${j + 1}`] = c;
  }
  for (let j = 0; j < 3; j++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = u() < 0.3 + 0.1 * j ? 1 : 0;
    cols[`b${j + 1}`] = c;
  }
  const beta = [0.4, -0.3, 0.2, 0.1, -0.1, 0.05, 0.3, -0.4, 0.3, 0.2];
  const names = Object.keys(cols);
  const treat = new Uint8Array(n);
  const id: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let eta = -0.55;
    for (let j = 0; j < 10; j++) eta += beta[j]! * cols[names[j]!]![i]!;
    treat[i] = u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    id[i] = `p${i.toString(36).padStart(6, "0")}`;
  }
  return { treat, covariates: cols, id };
}

export interface CompareBenchResult {
  readonly matching: {
    readonly n: number;
    readonly treatedShare: number;
    readonly propensitySeconds: number;
    readonly matchSeconds: number;
    readonly matchedTreated: number;
  };
  readonly weighting: {
    readonly n: number;
    readonly propensitySeconds: number;
    readonly weightSeconds: number;
    readonly balanceSeconds: number;
    readonly maxAbsSmdAfter: number | null;
  };
}

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Runs both benchmarks and returns the timings (seconds, wall clock). */
export function runCompareBench(nMatch = 100_000, nWeight = 1_000_000): CompareBenchResult {
  const a = makeCompareData(nMatch, 1);
  let t0 = process.hrtime.bigint();
  const ps = propensityScore({ treat: a.treat, covariates: a.covariates });
  const propensitySeconds = seconds(t0);
  // Best of 3 for the matcher itself.
  let matchSeconds = Number.POSITIVE_INFINITY;
  let matched = 0;
  for (let r = 0; r < 3; r++) {
    t0 = process.hrtime.bigint();
    const m = matchNearest({ treat: a.treat, ps: ps.ps, id: a.id }, { caliper: 0.2 });
    matchSeconds = Math.min(matchSeconds, seconds(t0));
    matched = m.nTreatedMatched;
  }
  let nt = 0;
  for (const v of a.treat) nt += v;

  const b = makeCompareData(nWeight, 2);
  t0 = process.hrtime.bigint();
  const psb = propensityScore({ treat: b.treat, covariates: b.covariates });
  const propensitySecondsB = seconds(t0);
  t0 = process.hrtime.bigint();
  const w = propensityWeights({ treat: b.treat, ps: psb.ps }, { estimand: "ATE" });
  const weightSeconds = seconds(t0);
  t0 = process.hrtime.bigint();
  const bal = balanceTable(
    { treat: b.treat, covariates: b.covariates, weights: w.weights },
    { estimand: "ATE" },
  );
  const balanceSeconds = seconds(t0);
  return {
    matching: {
      n: nMatch,
      treatedShare: nt / nMatch,
      propensitySeconds,
      matchSeconds,
      matchedTreated: matched,
    },
    weighting: {
      n: nWeight,
      propensitySeconds: propensitySecondsB,
      weightSeconds,
      balanceSeconds,
      maxAbsSmdAfter: bal.summary.maxAbsSmdAdjusted,
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const nm = Number(process.argv[2] ?? 100_000);
  const nw = Number(process.argv[3] ?? 1_000_000);
  console.log(JSON.stringify(runCompareBench(nm, nw), null, 2));
}
