/**
 * Agreement with R on MatchIt::lalonde (tests/reference/compare/make-compare.R): propensity model,
 * plain-R greedy matching, IPW weights and trimming, balance (MatchIt's bal1var and cobalt-style
 * binary differences), weighted regressions with HC0/HC1/cluster SEs, binary/count/time-to-event
 * effects, subgroup interaction, difference-in-differences and paired tests.
 */
import { describe, expect, it } from "vitest";
import {
  balanceTable,
  designMatrix,
  differenceInDifferences,
  estimateEffect,
  evalueOfRiskRatio,
  matchNearest,
  pairedChange,
  propensityScore,
  propensityWeights,
  subgroupEffects,
} from "../../src/compare/index.js";
import { expectAllClose, expectClose } from "../helpers/expect-close.js";
import { dataOrderIds, REF } from "./reference.js";

const d = REF.data;
const n = d.treat.length;
const ids = dataOrderIds(n);
const dm = designMatrix(
  {
    age: d.age,
    educ: d.educ,
    race: d.race,
    married: d.married,
    nodegree: d.nodegree,
    re74: d.re74,
    re75: d.re75,
  },
  { factors: ["race"] },
);
const ps = propensityScore({ treat: d.treat, covariates: dm.columns });
const match0 = matchNearest({ treat: d.treat, ps: ps.ps, id: ids });
const match1 = matchNearest({ treat: d.treat, ps: ps.ps, id: ids }, { caliper: 0.2 });
// Balance covariates as summary.matchit shows them: race with all three levels.
const race = (lev: string) => d.race.map((r) => (r === lev ? 1 : 0));
const balCovs = {
  age: d.age,
  educ: d.educ,
  raceblack: race("black"),
  racehispan: race("hispan"),
  racewhite: race("white"),
  married: d.married,
  nodegree: d.nodegree,
  re74: d.re74,
  re75: d.re75,
};

function controlOf(m: ReturnType<typeof matchNearest>): (number | null)[] {
  const out: (number | null)[] = new Array(n).fill(null);
  for (let k = 0; k < m.pairs.treated.length; k++) out[m.pairs.treated[k]!] = m.pairs.control[k]! + 1;
  return out;
}

describe("propensity score on lalonde vs R glm (epsilon 1e-14)", () => {
  it("coefficients, SEs, scores and linear predictor", () => {
    expect(ps.coefficients.map((c) => c.name)).toEqual(REF.propensity.names);
    expectAllClose(
      ps.coefficients.map((c) => c.estimate),
      REF.propensity.estimate,
      { rel: 1e-7 },
      "coefficient",
    );
    expectAllClose(
      ps.coefficients.map((c) => c.se),
      REF.propensity.se,
      { rel: 1e-7 },
      "se",
    );
    expectAllClose(ps.ps, REF.propensity.ps, { rel: 1e-9, abs: 1e-12 }, "ps");
    expectAllClose(ps.linearPredictor, REF.propensity.linearPredictor, { rel: 1e-8, abs: 1e-10 }, "lp");
  });
  it("overlap diagnostics follow from the scores", () => {
    const t = d.treat;
    const pt = REF.propensity.ps.filter((_, i) => t[i] === 1);
    const pc = REF.propensity.ps.filter((_, i) => t[i] === 0);
    expectClose(ps.overlap.treated.min, Math.min(...pt), { rel: 1e-8 }, "min treated");
    expectClose(ps.overlap.control.max, Math.max(...pc), { rel: 1e-8 }, "max control");
    const below = pc.filter((p) => p < 0.05).length;
    expect(ps.overlap.control.below).toBe(below);
    const outside = pc.filter((p) => p < Math.min(...pt) || p > Math.max(...pt)).length;
    expect(ps.overlap.control.outsideOtherRange).toBe(outside);
    expect(ps.warnings.some((w) => w.code === "PS_EXTREME")).toBe(below > 0);
  });
});

describe("greedy matching vs the plain-R matcher (ATT, 1:1, no replacement, largest first)", () => {
  it("without a caliper: identical pairs and weights", () => {
    expect(controlOf(match0)).toEqual(REF.matching.noCaliper.control);
    expectAllClose(match0.weights, REF.matching.noCaliper.weights, { abs: 0 }, "weights");
    expect(match0.nTreatedMatched).toBe(185);
  });
  it("caliper 0.2 × SD of the score over all units: identical pairs; width as R", () => {
    expectClose(match1.caliper!.sd, REF.matching.sdAll, { rel: 1e-9 }, "sd");
    expectClose(match1.caliper!.width, REF.matching.caliperWidth, { rel: 1e-9 }, "width");
    expect(controlOf(match1)).toEqual(REF.matching.caliper.control);
    expectAllClose(match1.weights, REF.matching.caliper.weights, { abs: 0 }, "weights");
    const nUnmatched = REF.matching.caliper.control.filter((c, i) => d.treat[i] === 1 && c === null).length;
    expect(match1.unmatchedCounts.NO_CONTROL_IN_CALIPER).toBe(nUnmatched);
    expect(match1.warnings.map((w) => w.code)).toContain("UNMATCHED_TREATED");
  });
  it("Austin convention: 0.2 × pooled SD of the logit, matching on the logit", () => {
    const m = matchNearest(
      { treat: d.treat, ps: ps.ps, linearPredictor: ps.linearPredictor, id: ids },
      { convention: "austin" },
    );
    expectClose(m.caliper!.width, REF.matching.austin.width, { rel: 1e-8 }, "width");
    expect(controlOf(m)).toEqual(REF.matching.austin.control);
  });
});

describe("IPW weights vs WeightIt formulas", () => {
  const cases = [
    ["ate", { estimand: "ATE" }],
    ["att", { estimand: "ATT" }],
    ["ato", { estimand: "ATO" }],
    ["ateStabilized", { estimand: "ATE", stabilize: true }],
    ["ateTrim95", { estimand: "ATE", trim: { at: 0.95 } }],
    ["ateTrim90Both", { estimand: "ATE", trim: { at: 0.9, lower: true } }],
    ["attTrim90", { estimand: "ATT", trim: { at: 0.9 } }],
    ["attDrop90", { estimand: "ATT", trim: { at: 0.9, drop: true } }],
  ] as const;
  for (const [key, opts] of cases) {
    it(key, () => {
      const w = propensityWeights({ treat: d.treat, ps: ps.ps }, opts);
      expectAllClose(w.weights, REF.weights[key], { rel: 1e-8 }, key);
    });
  }
  it("effective sample sizes", () => {
    const a = propensityWeights({ treat: d.treat, ps: ps.ps }, { estimand: "ATE" });
    expectClose(a.treated.ess, REF.weights.essAte[0]!, { rel: 1e-8 }, "ess treated");
    expectClose(a.control.ess, REF.weights.essAte[1]!, { rel: 1e-8 }, "ess control");
    const b = propensityWeights({ treat: d.treat, ps: ps.ps }, { estimand: "ATT" });
    expectClose(b.control.ess, REF.weights.essAtt[1]!, { rel: 1e-8 }, "ess att control");
  });
});

describe("balance vs MatchIt summary (bal1var) and cobalt-style binary differences", () => {
  const check = (
    key: "matched" | "matchedCaliper" | "ipwAte",
    weights: ArrayLike<number>,
    estimand: "ATT" | "ATE",
  ) => {
    const b = balanceTable({ treat: d.treat, covariates: balCovs, weights }, { estimand });
    for (const row of b.rows) {
      const r = REF.balance[key][row.name]!;
      expect(row.type === "binary", row.name).toBe(r.binary);
      for (const [mine, ref] of [
        [row.unadjusted, r.un],
        [row.adjusted!, r.adj],
      ] as const) {
        const tol = { rel: 1e-9, abs: 1e-12 };
        expectClose(mine.meanTreated, ref.meanTreated, tol, `${row.name} mean treated`);
        expectClose(mine.meanControl, ref.meanControl, tol, `${row.name} mean control`);
        expectClose(mine.smdMatchIt, ref.smdMatchIt, tol, `${row.name} smd MatchIt`);
        expectClose(mine.smdCobalt, ref.smdCobalt, tol, `${row.name} smd cobalt`);
        expectClose(mine.varianceRatio, ref.varRatio, tol, `${row.name} variance ratio`);
        expectClose(mine.ks, ref.ks, tol, `${row.name} KS`);
      }
    }
    return b;
  };
  it("matched (no caliper), ATT: treated SD", () => {
    check("matched", match0.weights, "ATT");
  });
  it("ks: false skips the KS statistic of continuous covariates and changes nothing else", () => {
    const full = balanceTable(
      { treat: d.treat, covariates: balCovs, weights: match0.weights },
      { estimand: "ATT" },
    );
    const lean = balanceTable(
      { treat: d.treat, covariates: balCovs, weights: match0.weights },
      { estimand: "ATT", ks: false },
    );
    full.rows.forEach((row, k) => {
      const other = lean.rows[k]!;
      for (const s of ["unadjusted", "adjusted"] as const) {
        const a = row[s]!;
        const b = other[s]!;
        expect({ ...b, ks: a.ks }).toEqual(a);
        expect(b.ks).toBe(row.type === "binary" ? a.ks : null);
      }
    });
  });
  it("matched with caliper, ATT", () => {
    const b = check("matchedCaliper", match1.weights, "ATT");
    expect(b.sampleSize.adjusted!.treated.n).toBe(113);
  });
  it("IPW ATE: pooled SD, reliability-weighted variances", () => {
    const w = propensityWeights({ treat: d.treat, ps: ps.ps }, { estimand: "ATE" });
    const b = check("ipwAte", w.weights, "ATE");
    expect(b.summary.threshold).toBe(0.1);
  });
});

describe("weighted regression re78 ~ treat vs lm + sandwich", () => {
  const y = { type: "continuous" as const, y: d.re78 };
  const sub = (m: ReturnType<typeof matchNearest>) => {
    const rows = [...Array(n).keys()].filter((i) => m.weights[i]! > 0);
    return {
      rows,
      treat: rows.map((i) => d.treat[i]!),
      outcome: { type: "continuous" as const, y: rows.map((i) => d.re78[i]!) },
      weights: rows.map((i) => m.weights[i]!),
      cluster: rows.map((i) => m.setId[i]!),
    };
  };
  for (const [key, m] of [
    ["matched", match0],
    ["matchedCaliper", match1],
  ] as const) {
    it(`${key}: HC0, HC1, cluster by matched set (vcovCL HC0 and HC1)`, () => {
      const s = sub(m);
      const r = REF.regression[key];
      const base = { treat: s.treat, outcome: s.outcome, weights: s.weights };
      const e0 = estimateEffect(base, { variance: "HC0" });
      expectClose(e0.absolute.estimate, r.estimate, { rel: 1e-9 }, "estimate");
      expectClose(e0.absolute.se, r.seHC0, { rel: 1e-9 }, "HC0");
      expect(e0.n).toBe(r.n);
      expectClose(e0.arms.control.estimate, r.intercept, { rel: 1e-9 }, "control mean");
      const e1 = estimateEffect(base, { variance: "HC1" });
      expectClose(e1.absolute.se, r.seHC1, { rel: 1e-9 }, "HC1");
      const ec = estimateEffect({ ...base, cluster: s.cluster });
      expect(ec.variance).toBe("cluster");
      expectClose(ec.absolute.se, r.seClusterHC0!, { rel: 1e-9 }, "cluster HC0");
      const ec1 = estimateEffect({ ...base, cluster: s.cluster }, { clusterAdjust: "HC1" });
      expectClose(ec1.absolute.se, r.seClusterHC1!, { rel: 1e-9 }, "cluster HC1");
    });
  }
  it("IPW ATE and ATT weights: HC0 and HC1", () => {
    for (const [key, est] of [
      ["ipwAte", "ATE"],
      ["ipwAtt", "ATT"],
    ] as const) {
      const w = propensityWeights({ treat: d.treat, ps: ps.ps }, { estimand: est });
      const r = REF.regression[key];
      const e0 = estimateEffect({ treat: d.treat, outcome: y, weights: w.weights });
      expectClose(e0.absolute.estimate, r.estimate, { rel: 1e-8 }, `${key} estimate`);
      expectClose(e0.absolute.se, r.seHC0, { rel: 1e-8 }, `${key} HC0`);
      const e1 = estimateEffect({ treat: d.treat, outcome: y, weights: w.weights }, { variance: "HC1" });
      expectClose(e1.absolute.se, r.seHC1, { rel: 1e-8 }, `${key} HC1`);
    }
  });
});

describe("M-estimation variance including the propensity model vs R (numerical Jacobian)", () => {
  const covs = dm.columns;
  const zero78 = d.re78.map((v) => (v === 0 ? 1 : 0));
  const run = (est: "ATE" | "ATT" | "ATO", outcome: Parameters<typeof estimateEffect>[0]["outcome"]) => {
    const w = propensityWeights({ treat: d.treat, ps: ps.ps }, { estimand: est });
    return estimateEffect({
      treat: d.treat,
      outcome,
      weights: w.weights,
      propensity: { covariates: covs, ps: ps.ps, estimand: est },
    });
  };
  // Central differences in R limit the reference to about 1e-6 relative.
  const tol = { rel: 2e-6 };
  it("re78 mean difference with ATE, ATT and overlap weights", () => {
    for (const [key, est] of [
      ["re78Ate", "ATE"],
      ["re78Att", "ATT"],
      ["re78Ato", "ATO"],
    ] as const) {
      const e = run(est, { type: "continuous", y: d.re78 });
      expect(e.variance).toBe("stacked");
      expectClose(e.absolute.estimate, REF.stacked[key].estimate, { rel: 1e-8 }, `${key} estimate`);
      expectClose(e.absolute.se, REF.stacked[key].se, tol, `${key} se`);
    }
  });
  it("binary: log RR (ATE, Poisson) and log OR (ATT, logistic)", () => {
    const a = run("ATE", { type: "binary", y: zero78 });
    expectClose(a.relative.se, REF.stacked.zeroAteLogRr.se, tol, "log RR se");
    const b = run("ATT", { type: "binary", y: zero78 });
    const or = b.other.find((m) => m.measure === "odds ratio")!;
    expectClose(Math.log(or.estimate!), REF.stacked.zeroAttLogOr.estimate, { rel: 1e-8 }, "log OR");
    expectClose(or.se, REF.stacked.zeroAttLogOr.se, tol, "log OR se");
  });
  it("count: log rate ratio and rate difference (ATE)", () => {
    const e = run("ATE", {
      type: "count",
      y: d.re78.map((v) => Math.round(v / 5000)),
      personTime: d.age.map((a) => a / 10),
    });
    expectClose(e.relative.se, REF.stacked.countAteLogRate.se, tol, "log rate ratio se");
    expectClose(e.absolute.estimate, REF.stacked.countAteRateDiff.estimate, { rel: 1e-8 }, "rate difference");
    expectClose(e.absolute.se, REF.stacked.countAteRateDiff.se, tol, "rate difference se");
  });
});

describe("other outcome types vs R", () => {
  it("binary (re78 = 0), matched, cluster by set: RD (lm), RR (Poisson), OR (logistic)", () => {
    const rows = [...Array(n).keys()].filter((i) => match0.weights[i]! > 0);
    const e = estimateEffect({
      treat: rows.map((i) => d.treat[i]!),
      outcome: { type: "binary", y: rows.map((i) => (d.re78[i] === 0 ? 1 : 0)) },
      weights: rows.map((i) => match0.weights[i]!),
      cluster: rows.map((i) => match0.setId[i]!),
    });
    const r = REF.binary.matched;
    expectClose(e.absolute.estimate, r.rd, { rel: 1e-9 }, "RD");
    expectClose(e.absolute.se, r.rdSe, { rel: 1e-9 }, "RD se");
    expectClose(Math.log(e.relative.estimate!), r.logRr, { rel: 1e-8 }, "log RR");
    expectClose(e.relative.se, r.logRrSe, { rel: 1e-8 }, "log RR se");
    const or = e.other.find((m) => m.measure === "odds ratio")!;
    expectClose(Math.log(or.estimate!), r.logOr, { rel: 1e-8 }, "log OR");
    expectClose(or.se, r.logOrSe, { rel: 1e-8 }, "log OR se");
    expect(e.evalue!.point).toBeCloseTo(evalueOfRiskRatio(e.relative.estimate!), 12);
    // Control risk of re78 = 0 is about 0.3 (common outcome): the OR E-value uses RR ≈ √OR.
    expect(e.arms.control.estimate!).toBeGreaterThan(0.15);
    expect(e.evalueOddsRatio!.conversion).toMatch(/√OR/);
    expect(e.evalueOddsRatio!.point).toBeCloseTo(evalueOfRiskRatio(Math.sqrt(or.estimate!)), 12);
  });
  it("count with person-time, ATE weights, HC0: rate ratio and rate difference", () => {
    const w = propensityWeights({ treat: d.treat, ps: ps.ps }, { estimand: "ATE" });
    const e = estimateEffect({
      treat: d.treat,
      outcome: {
        type: "count",
        y: d.re78.map((v) => Math.round(v / 5000)),
        personTime: d.age.map((a) => a / 10),
      },
      weights: w.weights,
    });
    const r = REF.count;
    expectClose(Math.log(e.relative.estimate!), r.logRateRatio, { rel: 1e-8 }, "log rate ratio");
    expectClose(e.relative.se, r.logRateRatioSe, { rel: 1e-8 }, "log RR se");
    expectClose(e.absolute.estimate, r.rateDifference, { rel: 1e-8 }, "rate difference");
    expectClose(e.absolute.se, r.rateDifferenceSe, { rel: 1e-8 }, "rate difference se");
  });
  it("time to event, ATE weights: Cox HR (robust) and weighted KM at the horizon", () => {
    const w = propensityWeights({ treat: d.treat, ps: ps.ps }, { estimand: "ATE" });
    const r = REF.survival;
    const e = estimateEffect({
      treat: d.treat,
      outcome: {
        type: "timeToEvent",
        time: d.re78.map((v) => v / 1000 + 0.5),
        status: d.educ.map((v) => (v <= 11 ? 1 : 0)),
        horizon: r.horizon,
      },
      weights: w.weights,
    });
    expectClose(Math.log(e.relative.estimate!), r.logHr, { rel: 1e-7 }, "log HR");
    expectClose(e.relative.se, r.logHrSeRobust, { rel: 1e-7 }, "robust se");
    expectClose(e.arms.control.estimate, 1 - r.survControl, { rel: 1e-9 }, "CI control");
    expectClose(e.arms.treated.estimate, 1 - r.survTreated, { rel: 1e-9 }, "CI treated");
    expectClose(e.arms.control.se, r.seControl, { rel: 1e-7 }, "se control");
    expectClose(e.arms.treated.se, r.seTreated, { rel: 1e-7 }, "se treated");
    expectClose(e.absolute.estimate, r.survControl - r.survTreated, { rel: 1e-9 }, "difference");
    expectClose(e.absolute.se, Math.hypot(r.seControl, r.seTreated), { rel: 1e-7 }, "difference se");
  });
  it("subgroup interaction (married), Poisson with ATE weights, HC0 Wald", () => {
    const w = propensityWeights({ treat: d.treat, ps: ps.ps }, { estimand: "ATE" });
    const s = subgroupEffects(
      {
        treat: d.treat,
        outcome: { type: "binary", y: d.re78.map((v) => (v === 0 ? 1 : 0)) },
        weights: w.weights,
        subgroup: d.married,
      },
      { name: "married" },
    );
    expectClose(s.interaction.statistic, REF.subgroup.statistic, { rel: 1e-7 }, "Wald");
    expectClose(s.interaction.pValue, REF.subgroup.pValue, { rel: 1e-6 }, "p");
    expect(s.interaction.df).toBe(1);
    expect(s.levels.map((l) => l.n)).toEqual([
      d.married.filter((m) => m === 0).length,
      d.married.filter((m) => m === 1).length,
    ]);
  });
  it("difference-in-differences and event study, cluster by person", () => {
    const p = REF.did.data;
    const r = differenceInDifferences({ unit: p.id, group: p.group, period: p.period, y: p.y });
    expectClose(r.absolute.estimate, REF.did.did, { rel: 1e-9 }, "DiD");
    expectClose(r.absolute.se, REF.did.didSe, { rel: 1e-8 }, "DiD se");
    expectClose(Math.log(r.relative.estimate!), REF.did.logRatio, { rel: 1e-8 }, "log ratio DiD");
    expectClose(r.relative.se, REF.did.logRatioSe, { rel: 1e-7 }, "log ratio se");
    const es = r.eventStudy!.filter((q) => !q.reference);
    expect(es.map((q) => q.period)).toEqual(REF.did.eventPeriods);
    expectAllClose(
      es.map((q) => q.estimate),
      REF.did.eventEstimates,
      { rel: 1e-8, abs: 1e-12 },
      "event",
    );
    expectAllClose(
      es.map((q) => q.se),
      REF.did.eventSe,
      { rel: 1e-8 },
      "event se",
    );
  });
  it("paired t-test and McNemar", () => {
    const p = REF.paired;
    const c = pairedChange({ pre: p.pre, post: p.post, type: "continuous" });
    expectClose(c.absolute.estimate, p.meanChange, { rel: 1e-12 }, "mean change");
    expectClose(c.test.statistic, p.tStatistic, { rel: 1e-10 }, "t");
    expectClose(c.test.pValue, p.pValue, { rel: 1e-8 }, "p");
    expectClose(c.absolute.ci.lower, p.ciLower, { rel: 1e-9 }, "lower");
    expectClose(c.absolute.ci.upper, p.ciUpper, { rel: 1e-9 }, "upper");
    const b = pairedChange({ pre: p.binPre, post: p.binPost, type: "binary" });
    expect(b.table).toEqual({ a: 30, b: 12, c: 5, d: 53 });
    expectClose(b.test.statistic, p.mcnemar, { rel: 1e-12 }, "McNemar");
    expectClose(b.test.pValue, p.mcnemarP, { rel: 1e-9 }, "McNemar p");
    expectClose(b.testCorrected!.statistic, p.mcnemarCorrected, { rel: 1e-12 }, "McNemar corrected");
    expectClose(b.testCorrected!.pValue, p.mcnemarCorrectedP, { rel: 1e-9 }, "corrected p");
    expectClose(b.testExact!.pValue, p.exactP, { rel: 1e-9 }, "exact p");
    expect(b.warnings.map((w) => w.code)).toContain("FEW_DISCORDANT_PAIRS");
  });
});
