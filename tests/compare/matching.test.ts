/**
 * Greedy matching: hand-derived cases, a brute-force O(n²) oracle on random data with many ties,
 * invariance to row order, rounds for 1:k, replacement weights, exact strata, unmatched reasons.
 */
import { describe, expect, it } from "vitest";
import { matchNearest, UNMATCHED_REASONS } from "../../src/compare/index.js";
import { InvalidInputError } from "../../src/stats/errors.js";

function pairsOf(m: ReturnType<typeof matchNearest>, ids: readonly string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < m.pairs.treated.length; k++)
    out.push(`${ids[m.pairs.treated[k]!]}-${ids[m.pairs.control[k]!]}`);
  return out.sort();
}

/** Seeded uniform numbers for test data. */
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

/** Brute-force greedy matcher: same rules, O(n₁·n₀) per round. */
function oracle(
  treat: number[],
  ps: number[],
  ids: string[],
  strata: number[],
  opts: { ratio: number; replace: boolean; width: number; order: "largest" | "smallest" | "data" },
): string[] {
  const n = treat.length;
  const rank = new Map([...ids].sort().map((id, r) => [id, r]));
  const tr = [...Array(n).keys()].filter((i) => treat[i] === 1);
  const ct = [...Array(n).keys()].filter((i) => treat[i] === 0);
  const key = (i: number) => rank.get(ids[i]!)!;
  if (opts.order === "largest") tr.sort((a, b) => ps[b]! - ps[a]! || key(a) - key(b));
  else if (opts.order === "smallest") tr.sort((a, b) => ps[a]! - ps[b]! || key(a) - key(b));
  else tr.sort((a, b) => key(a) - key(b));
  const used = new Set<number>();
  const out: string[] = [];
  const better = (c: number, best: number, i: number) => {
    const dc = Math.abs(ps[c]! - ps[i]!);
    const db = Math.abs(ps[best]! - ps[i]!);
    return dc < db || (dc === db && key(c) < key(best));
  };
  if (opts.replace) {
    for (const i of tr) {
      const cands = ct.filter((c) => strata[c] === strata[i] && Math.abs(ps[c]! - ps[i]!) <= opts.width);
      cands.sort((a, b) => Math.abs(ps[a]! - ps[i]!) - Math.abs(ps[b]! - ps[i]!) || key(a) - key(b));
      for (const c of cands.slice(0, opts.ratio)) out.push(`${ids[i]}-${ids[c]}`);
    }
    return out.sort();
  }
  const active = new Set(tr);
  for (let r = 0; r < opts.ratio; r++) {
    for (const i of tr) {
      if (!active.has(i)) continue;
      let best = -1;
      for (const c of ct) {
        if (used.has(c) || strata[c] !== strata[i]) continue;
        if (best < 0 || better(c, best, i)) best = c;
      }
      if (best < 0 || Math.abs(ps[best]! - ps[i]!) > opts.width) {
        active.delete(i);
        continue;
      }
      used.add(best);
      out.push(`${ids[i]}-${ids[best]}`);
    }
  }
  return out.sort();
}

function randomData(n: number, seed: number, decimals: number) {
  const u = rng(seed);
  const treat: number[] = [];
  const ps: number[] = [];
  const ids: string[] = [];
  const strata: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = Math.min(0.99, Math.max(0.01, Math.round(u() * 10 ** decimals) / 10 ** decimals));
    ps.push(p);
    treat.push(u() < 0.3 + 0.4 * p ? 1 : 0);
    ids.push(`u${Math.floor(u() * 1e9)}-${i}`);
    strata.push(u() < 0.5 ? 0 : 1);
  }
  return { treat, ps, ids, strata };
}

describe("hand-made cases", () => {
  // T1 .60, T2 .50, T3 .20; C1 .55, C2 .48, C3 .90, C4 .35 (same case as make-compare.R).
  const ps = [0.6, 0.5, 0.2, 0.55, 0.48, 0.9, 0.35];
  const treat = [1, 1, 1, 0, 0, 0, 0];
  const ids = ["T1", "T2", "T3", "C1", "C2", "C3", "C4"];
  it("largest first: T1–C1, T2–C2, T3–C4", () => {
    const m = matchNearest({ treat, ps, id: ids });
    expect(pairsOf(m, ids)).toEqual(["T1-C1", "T2-C2", "T3-C4"]);
    expect(Array.from(m.weights)).toEqual([1, 1, 1, 1, 1, 0, 1]);
    // Sets numbered in ascending treated id order: T1 → 0, T2 → 1, T3 → 2.
    expect(Array.from(m.setId)).toEqual([0, 1, 2, 0, 1, -1, 2]);
  });
  it("raw caliper 0.1 leaves T3 unmatched (nearest available C4 is 0.15 away)", () => {
    const m = matchNearest({ treat, ps, id: ids }, { caliper: 0.1, caliperUnits: "raw" });
    expect(pairsOf(m, ids)).toEqual(["T1-C1", "T2-C2"]);
    expect(Array.from(m.unmatched.index)).toEqual([2]);
    expect(UNMATCHED_REASONS[m.unmatched.reasonCode[0]!]).toBe("NO_CONTROL_IN_CALIPER");
    expect(m.weights[2]).toBe(0);
  });
  it("greedy, not optimal: the first treated unit takes the nearest control", () => {
    const m = matchNearest({ treat: [1, 1, 0, 0], ps: [0.5, 0.49, 0.47, 0.2], id: ["a", "b", "c", "d"] });
    expect(pairsOf(m, ["a", "b", "c", "d"])).toEqual(["a-c", "b-d"]);
  });
  it("exact tie between controls (0.25 and 0.75 around 0.5): the smaller id wins", () => {
    const m = matchNearest({ treat: [1, 0, 0], ps: [0.5, 0.75, 0.25], id: ["t", "c2", "c1"] });
    expect(pairsOf(m, ["t", "c2", "c1"])).toEqual(["t-c1"]);
  });
  it("1:2 in rounds: every treated unit gets a first control before any gets a second", () => {
    // T1 .6, T2 .5; C1 .58, C2 .52, C3 .45, C4 .7. Round 1: T1–C1, T2–C2; round 2: T1–C4, T2–C3.
    const id = ["T1", "T2", "C1", "C2", "C3", "C4"];
    const m = matchNearest(
      { treat: [1, 1, 0, 0, 0, 0], ps: [0.6, 0.5, 0.58, 0.52, 0.45, 0.7], id },
      { ratio: 2 },
    );
    expect(pairsOf(m, id)).toEqual(["T1-C1", "T1-C4", "T2-C2", "T2-C3"]);
    expect(Array.from(m.weights)).toEqual([1, 1, 1, 1, 1, 1]);
  });
  it("with replacement: MatchIt weights Σ 1/k rescaled to mean 1 over matched controls", () => {
    // T1 .6, T2 .59 → C1 (.595) twice; T3 .2 → C2 (.21). Raw 2 and 1, × 2/3 → 4/3 and 2/3.
    const id = ["T1", "T2", "T3", "C1", "C2", "C3"];
    const m = matchNearest(
      { treat: [1, 1, 1, 0, 0, 0], ps: [0.6, 0.59, 0.2, 0.595, 0.21, 0.9], id },
      { replace: true },
    );
    expect(pairsOf(m, id)).toEqual(["T1-C1", "T2-C1", "T3-C2"]);
    expect(m.weights[3]).toBeCloseTo(4 / 3, 14);
    expect(m.weights[4]).toBeCloseTo(2 / 3, 14);
    expect(m.weights[5]).toBe(0);
    expect(m.setId[3]).toBe(-1);
    expect(m.warnings.map((w) => w.code)).toContain("MATCH_WITH_REPLACEMENT_VARIANCE");
  });
  it("exact strata and unmatched reasons", () => {
    const id = ["t1", "t2", "t3", "c1", "c2"];
    const m = matchNearest({
      treat: [1, 1, 1, 0, 0],
      ps: [0.5, 0.4, 0.3, 0.45, 0.2],
      id,
      exact: ["A", "A", "B", "A", "C"],
    });
    // A: t1 (.5) takes c1; t2 finds A exhausted; B has no control at all.
    expect(pairsOf(m, id)).toEqual(["t1-c1"]);
    expect(m.unmatchedCounts).toEqual({
      NO_CONTROL_IN_STRATUM: 1,
      NO_CONTROL_IN_CALIPER: 0,
      CONTROLS_EXHAUSTED: 1,
    });
  });
  it("several exact columns are crossed", () => {
    const id = ["t1", "c1", "c2"];
    const m = matchNearest({
      treat: [1, 0, 0],
      ps: [0.5, 0.5, 0.51],
      id,
      exact: [
        ["s1", "s1", "s1"],
        ["ed", "clinic", "ed"],
      ],
    });
    expect(pairsOf(m, id)).toEqual(["t1-c2"]);
  });
});

describe("oracle and invariance on random data with many ties", () => {
  const data = randomData(600, 7, 2);
  for (const order of ["largest", "smallest", "data"] as const) {
    for (const [ratio, replace, caliper] of [
      [1, false, undefined],
      [2, false, 0.1],
      [3, false, undefined],
      [1, true, 0.05],
      [2, true, undefined],
    ] as const) {
      it(`order ${order}, 1:${ratio}, ${replace ? "with" : "without"} replacement, caliper ${caliper ?? "none"}`, () => {
        const m = matchNearest(
          { treat: data.treat, ps: data.ps, id: data.ids, exact: data.strata },
          { order, ratio, replace, ...(caliper ? { caliper, caliperUnits: "raw" as const } : {}) },
        );
        const expected = oracle(data.treat, data.ps, data.ids, data.strata, {
          ratio,
          replace,
          width: caliper ?? Number.POSITIVE_INFINITY,
          order,
        });
        expect(pairsOf(m, data.ids)).toEqual(expected);
      });
    }
  }
  it("the result does not depend on the row order (also for seeded random order)", () => {
    const u = rng(99);
    const perm = [...Array(data.treat.length).keys()];
    for (let i = perm.length - 1; i > 0; i--) {
      const j = Math.floor(u() * (i + 1));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const p = <T>(a: readonly T[]) => perm.map((i) => a[i]!);
    for (const opts of [{ ratio: 2 }, { order: "random" as const, seed: 42 }, { replace: true, ratio: 2 }]) {
      const a = matchNearest({ treat: data.treat, ps: data.ps, id: data.ids }, opts);
      const b = matchNearest({ treat: p(data.treat), ps: p(data.ps), id: p(data.ids) }, opts);
      expect(pairsOf(b, p(data.ids))).toEqual(pairsOf(a, data.ids));
      // Weights and set ids follow the units.
      perm.forEach((orig, k) => {
        expect(b.weights[k]).toBe(a.weights[orig]);
        expect(b.setId[k]).toBe(a.setId[orig]);
      });
    }
  });
  it("random order is reproducible from the seed", () => {
    const a = matchNearest(
      { treat: data.treat, ps: data.ps, id: data.ids },
      { order: "random", seed: 1, caliper: 0.02, caliperUnits: "raw" },
    );
    const b = matchNearest(
      { treat: data.treat, ps: data.ps, id: data.ids },
      { order: "random", seed: 1, caliper: 0.02, caliperUnits: "raw" },
    );
    expect(pairsOf(a, data.ids)).toEqual(pairsOf(b, data.ids));
    expect(() => matchNearest({ treat: data.treat, ps: data.ps, id: data.ids }, { order: "random" })).toThrow(
      InvalidInputError,
    );
  });
});
