/**
 * Coverage of the weighted estimator's 95 % CI against synthetic truth (tests/compare/synthetic.ts):
 * R replications (default 1000, n = 1000 each) of IPW with the stacked M-estimation variance that
 * includes the propensity model (ATE, ATT, overlap weights), the same weights with the HC0 variance
 * that treats them as known (for contrast: conservative), and 1:1 caliper matching clustered by set.
 * Target: 93.5–96.5 % for the stacked variance. Not part of the default test run.
 *
 *   npx tsx bench/compare-coverage.ts [replications] [n]
 */
import { pathToFileURL } from "node:url";
import { estimateEffect, matchNearest, propensityScore, propensityWeights } from "../src/compare/index.js";
import { confoundedData, TRUE_MEAN_DIFFERENCE, TRUE_RISK_DIFFERENCE } from "../tests/compare/synthetic.js";

export interface CoverageResult {
  readonly replications: number;
  readonly n: number;
  /** Share of 95 % CIs covering the truth, by estimator. */
  readonly coverage: Readonly<Record<string, number>>;
  /** Mean estimate − truth, by estimator. */
  readonly bias: Readonly<Record<string, number>>;
  /** Monte Carlo SE of a 95 % coverage figure: √(0.95·0.05/R). */
  readonly monteCarloSe: number;
}

export function runCoverage(replications = 1000, n = 1000): CoverageResult {
  const hits: Record<string, number> = {};
  const bias: Record<string, number> = {};
  const add = (key: string, est: number | null, lo: number | null, hi: number | null, truth: number) => {
    hits[key] = (hits[key] ?? 0) + (lo !== null && hi !== null && lo <= truth && truth <= hi ? 1 : 0);
    bias[key] = (bias[key] ?? 0) + ((est ?? Number.NaN) - truth) / replications;
  };
  for (let r = 0; r < replications; r++) {
    const d = confoundedData(n, 100_000 + r);
    const covariates = { x1: d.x1, x2: d.x2, x3: d.x3 };
    const ps = propensityScore({ treat: d.treat, covariates });
    for (const est of ["ATE", "ATT", "ATO"] as const) {
      const w = propensityWeights({ treat: d.treat, ps: ps.ps }, { estimand: est });
      const propensity = { covariates, ps: ps.ps, estimand: est };
      const e = estimateEffect({
        treat: d.treat,
        outcome: { type: "continuous", y: d.y },
        weights: w.weights,
        propensity,
      });
      add(
        `IPW ${est} mean difference, stacked`,
        e.absolute.estimate,
        e.absolute.ci.lower,
        e.absolute.ci.upper,
        TRUE_MEAN_DIFFERENCE,
      );
      if (est === "ATE") {
        const h = estimateEffect(
          { treat: d.treat, outcome: { type: "continuous", y: d.y }, weights: w.weights },
          { variance: "HC0" },
        );
        add(
          "IPW ATE mean difference, HC0 (weights known)",
          h.absolute.estimate,
          h.absolute.ci.lower,
          h.absolute.ci.upper,
          TRUE_MEAN_DIFFERENCE,
        );
        const b = estimateEffect({
          treat: d.treat,
          outcome: { type: "binary", y: d.yBinary },
          weights: w.weights,
          propensity,
        });
        add(
          "IPW ATE risk difference, stacked",
          b.absolute.estimate,
          b.absolute.ci.lower,
          b.absolute.ci.upper,
          TRUE_RISK_DIFFERENCE,
        );
      }
    }
    const m = matchNearest({ treat: d.treat, ps: ps.ps, id: d.id }, { caliper: 0.2 });
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (m.weights[i]! > 0) rows.push(i);
    const e = estimateEffect({
      treat: rows.map((i) => d.treat[i]!),
      outcome: { type: "continuous", y: rows.map((i) => d.y[i]!) },
      weights: rows.map((i) => m.weights[i]!),
      cluster: rows.map((i) => m.setId[i]!),
    });
    add(
      "Matched 1:1 caliper 0.2 SD, cluster by set",
      e.absolute.estimate,
      e.absolute.ci.lower,
      e.absolute.ci.upper,
      TRUE_MEAN_DIFFERENCE,
    );
  }
  const coverage = Object.fromEntries(Object.entries(hits).map(([k, v]) => [k, v / replications]));
  return { replications, n, coverage, bias, monteCarloSe: Math.sqrt((0.95 * 0.05) / replications) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const reps = Number(process.argv[2] ?? 1000);
  const n = Number(process.argv[3] ?? 1000);
  console.log(JSON.stringify(runCoverage(reps, n), null, 2));
}
