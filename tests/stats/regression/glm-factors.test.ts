/**
 * glm() with factor-coded covariates (FactorColumn) against the same model with the dummies
 * expanded by hand into dense 0/1 columns (the path checked against R in glm.test.ts), and against
 * R's glm() with factor() terms (tests/reference/regression-factors, R's model.matrix coding).
 * Agreement: 1e-10 relative on coefficients and SEs (the two paths sum X'WX in different orders and
 * the factor path re-bases a factor on its most frequent level, so only rounding differs).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { prepareData } from "../../../src/stats/regression/design.js";
import {
  type DesignColumn,
  expandFactors,
  type FactorColumn,
  factorColumnNames,
  type GlmFamily,
  type GlmOptions,
  type GlmResult,
  glm,
  predictGlm,
} from "../../../src/stats/regression/index.js";
import { drawLevel } from "../../helpers/draw-level.js";
import { expectAllClose, expectClose } from "../../helpers/expect-close.js";

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function factor(name: string, codes: Int32Array, nLevels: number, reference = 0): FactorColumn {
  return {
    codes,
    nLevels,
    reference,
    names: Array.from({ length: nLevels }, (_, l) => `${name}L${l}`),
    name,
  };
}

/** The dummies written out independently of the library: one 0/1 column per non-reference level, NaN for code −1. */
function handDummies(factors: readonly FactorColumn[]): DesignColumn[] {
  const out: DesignColumn[] = [];
  for (const f of factors) {
    for (let l = 0; l < f.nLevels; l++) {
      if (l === f.reference) continue;
      const v = Array.from(f.codes, (c) => (c === -1 ? Number.NaN : c === l ? 1 : 0));
      out.push({ name: f.names[l]!, values: Float64Array.from(v) });
    }
  }
  return out;
}

interface Case {
  y: Float64Array;
  x: DesignColumn[];
  factors: FactorColumn[];
  weights?: Float64Array;
  offset?: Float64Array;
  cluster?: number[];
}

interface CaseOptions {
  n?: number;
  family: "gaussian" | "binomial" | "poisson";
  /** A level (L3 of factor "b") that no row has. */
  absentLevel?: boolean;
  /** A second factor identical to "a". */
  duplicate?: boolean;
  /** No row at the reference level of "a" (its dummies then sum to the intercept). */
  referenceAbsent?: boolean;
  missing?: boolean;
  weights?: boolean;
  offset?: boolean;
  /** Rows at level L2 of "c" all have y = 1 (binomial) / 0 (poisson): separation / a zero cell. */
  separate?: boolean;
  seed?: number;
}

/**
 * Two numeric columns; factors a (4 levels, reference 0, most frequent level 2: re-based internally),
 * b (5 levels, reference 1 = its most frequent level), c (3 levels), d (2 levels, reference 1).
 */
function makeCase(o: CaseOptions): Case {
  const n = o.n ?? 4000;
  const u = lcg(o.seed ?? 7);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const fa = new Int32Array(n);
  const fb = new Int32Array(n);
  const fc = new Int32Array(n);
  const fd = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = 2 * u() - 1;
    x2[i] = Math.floor(5 * u());
    fa[i] = drawLevel(u, o.referenceAbsent ? [0, 0.25, 0.6, 0.15] : [0.15, 0.15, 0.6, 0.1]);
    fb[i] = drawLevel(u, o.absentLevel ? [0.1, 0.6, 0.2, 0, 0.1] : [0.1, 0.5, 0.2, 0.1, 0.1]);
    fc[i] = drawLevel(u, [0.3, 0.5, 0.2]);
    fd[i] = drawLevel(u, [0.3, 0.7]);
  }
  if (o.missing) {
    for (let i = 5; i < n; i += 97) fa[i] = -1;
    for (let i = 11; i < n; i += 131) fc[i] = -1;
    x1[3] = Number.NaN;
  }
  const beta = { a: [0, 0.3, -0.4, 0.6], b: [0.2, 0, -0.3, 0.1, 0.5], c: [0, -0.2, 0.3], d: [0.25, 0] };
  const y = new Float64Array(n);
  const weights = new Float64Array(n);
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    weights[i] = 0.5 + 1.5 * u();
    offset[i] = Math.log(0.5 + 2 * u());
    const a = Math.max(fa[i]!, 0);
    const c = Math.max(fc[i]!, 0);
    const eta =
      -0.2 +
      0.5 * (Number.isNaN(x1[i]!) ? 0 : x1[i]!) -
      0.1 * x2[i]! +
      beta.a[a]! +
      beta.b[fb[i]!]! +
      beta.c[c]! +
      beta.d[fd[i]!]!;
    if (o.family === "binomial") y[i] = u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    else if (o.family === "poisson") {
      const lambda = Math.exp(eta + (o.offset ? offset[i]! : 0));
      let k = 0;
      let p = u();
      const l = Math.exp(-lambda);
      while (p > l) {
        k++;
        p *= u();
      }
      y[i] = k;
    } else y[i] = eta + (u() - 0.5);
    if (o.separate && fc[i] === 2) y[i] = o.family === "binomial" ? 1 : 0;
  }
  const factors = [factor("a", fa, 4), factor("b", fb, 5, 1), factor("c", fc, 3), factor("d", fd, 2, 1)];
  if (o.duplicate) factors.push({ ...factor("a", Int32Array.from(fa), 4), names: ["e0", "e1", "e2", "e3"] });
  const cluster = Array.from({ length: n }, (_, i) => Math.floor(i / 25));
  return {
    y,
    x: [
      { name: "x1", values: x1 },
      { name: "x2", values: x2 },
    ],
    factors,
    ...(o.weights ? { weights } : {}),
    ...(o.offset ? { offset } : {}),
    cluster,
  };
}

function fitBoth(c: Case, options: GlmOptions): { f: GlmResult; d: GlmResult } {
  const common = {
    ...(c.weights ? { weights: c.weights } : {}),
    ...(c.offset ? { offset: c.offset } : {}),
    ...(options.variance === "cluster" ? { cluster: c.cluster! } : {}),
  };
  const f = glm({ y: c.y, x: c.x, factors: c.factors, ...common }, options);
  const d = glm({ y: c.y, x: [...c.x, ...handDummies(c.factors)], ...common }, options);
  return { f, d };
}

const TOL = { rel: 1e-10, abs: 1e-13 };

/** The factor fit equals the dense-dummy fit: names, aliasing, estimates, SEs, vcov, deviances, warnings. */
function expectSameFit(f: GlmResult, d: GlmResult, tol = TOL): void {
  expect(f.coefficients.map((c) => c.name)).toEqual(d.coefficients.map((c) => c.name));
  expect(f.coefficients.map((c) => c.aliased)).toEqual(d.coefficients.map((c) => c.aliased));
  expectAllClose(
    f.coefficients.map((c) => c.estimate),
    d.coefficients.map((c) => c.estimate),
    tol,
    "estimates",
  );
  expectAllClose(
    f.coefficients.map((c) => c.se),
    d.coefficients.map((c) => c.se),
    tol,
    "SEs",
  );
  for (let j = 0; j < f.vcov.length; j++)
    expectAllClose(f.vcov[j]!, d.vcov[j]!, { rel: 1e-9, abs: 1e-14 }, "vcov");
  expectClose(f.deviance, d.deviance, { rel: 1e-12 }, "deviance");
  expectClose(f.nullDeviance, d.nullDeviance, { rel: 1e-12 }, "null deviance");
  expectClose(f.logLik, d.logLik, { rel: 1e-12 }, "logLik");
  expectClose(f.aic, d.aic, { rel: 1e-12 }, "AIC");
  expect(f.rank).toBe(d.rank);
  expect(f.dfResidual).toBe(d.dfResidual);
  expect(f.n).toBe(d.n);
  expect(f.nExcluded).toBe(d.nExcluded);
  expect(f.converged).toBe(d.converged);
  expect(f.warnings).toEqual(d.warnings);
}

describe("glm: factor columns give the expanded-dummy fit", () => {
  const families: ("gaussian" | "binomial" | "poisson")[] = ["gaussian", "binomial", "poisson"];
  for (const family of families) {
    it(`${family}: plain`, () => {
      const { f, d } = fitBoth(makeCase({ family }), { family });
      expectSameFit(f, d);
      expect(f.coefficients.length).toBe(3 + 3 + 4 + 2 + 1);
    });
    it(`${family}: prior weights, offset, missing codes (MISSING_DROPPED)`, () => {
      const c = makeCase({ family, weights: true, offset: true, missing: true });
      const { f, d } = fitBoth(c, { family });
      expectSameFit(f, d);
      expect(f.warnings.map((w) => w.code)).toContain("MISSING_DROPPED");
      // Rows dropped: x1 NaN at row 3, a = −1 every 97th row from 5, c = −1 every 131st from 11.
      const dropped = new Set<number>([3]);
      for (let i = 5; i < 4000; i += 97) dropped.add(i);
      for (let i = 11; i < 4000; i += 131) dropped.add(i);
      expect(f.nExcluded).toBe(dropped.size);
    });
    it(`${family}: an absent level (CONSTANT_COVARIATE) and a duplicated factor (SINGULAR_DESIGN)`, () => {
      const c = makeCase({ family, absentLevel: true, duplicate: true, weights: true });
      const { f, d } = fitBoth(c, { family });
      expectSameFit(f, d);
      const w = new Map(f.warnings.map((x) => [x.code, x.detail]));
      expect(w.get("CONSTANT_COVARIATE")).toEqual({ columns: ["bL3"] });
      expect(w.get("SINGULAR_DESIGN")).toEqual({ columns: ["e1", "e2", "e3"] });
      expect(f.rank).toBe(f.coefficients.length - 4);
    });
    it(`${family}: the reference level absent (its dummies sum to the intercept: SINGULAR_DESIGN)`, () => {
      const c = makeCase({ family, referenceAbsent: true, offset: family === "poisson" });
      const { f, d } = fitBoth(c, { family });
      expectSameFit(f, d);
      expect(f.warnings.find((w) => w.code === "SINGULAR_DESIGN")?.detail).toEqual({ columns: ["aL3"] });
    });
    for (const variance of ["HC0", "HC1", "cluster"] as const) {
      it(`${family}: ${variance} sandwich variance`, () => {
        const c = makeCase({ family, weights: family !== "binomial", offset: family === "poisson" });
        const { f, d } = fitBoth(c, { family, variance });
        expectSameFit(f, d);
      });
    }
  }

  it("negative binomial with an offset", () => {
    const c = makeCase({ family: "poisson", offset: true, seed: 11 });
    // Overdispersed counts: multiply by a gamma-ish factor so θ is finite.
    const u = lcg(5);
    const y = c.y.map((v) => Math.floor(v * (0.2 + 1.6 * u()) + (u() < 0.2 ? 2 : 0)));
    const { f, d } = fitBoth({ ...c, y }, { family: "negativeBinomial" });
    expectSameFit(f, d, { rel: 1e-9, abs: 1e-12 });
    expectClose(f.theta!.estimate, d.theta!.estimate, { rel: 1e-9 }, "theta");
  });

  it("binomial separation and a Poisson zero cell (SEPARATION)", () => {
    for (const family of ["binomial", "poisson"] as const) {
      const { f, d } = fitBoth(makeCase({ family, separate: true }), { family });
      expect(f.warnings.map((w) => w.code)).toContain("SEPARATION");
      expect(f.warnings).toEqual(d.warnings);
      expect(f.coefficients.map((c) => c.aliased)).toEqual(d.coefficients.map((c) => c.aliased));
      // The separated level's coefficient diverges (where it stops depends on rounding); every other
      // coefficient is determined and agrees.
      for (let j = 0; j < f.coefficients.length; j++) {
        const name = f.coefficients[j]!.name;
        if (name === "cL2" || name === "(Intercept)" || name === "cL1") continue;
        expectClose(f.coefficients[j]!.estimate, d.coefficients[j]!.estimate, { rel: 1e-6, abs: 1e-8 }, name);
      }
      expect(Math.abs(f.coefficients.find((c) => c.name === "cL2")!.estimate!)).toBeGreaterThan(10);
    }
  });

  it("no intercept: reference coding kept, no re-basing", () => {
    const c = makeCase({ family: "poisson", offset: true });
    const { f, d } = fitBoth(c, { family: "poisson", intercept: false });
    expectSameFit(f, d);
  });

  it("a factor with one level adds no column; factors only (no dense x)", () => {
    const c = makeCase({ family: "binomial" });
    const one: FactorColumn = { codes: new Int32Array(c.y.length), nLevels: 1, reference: 0, names: ["z0"] };
    const f = glm({ y: c.y, x: [], factors: [one, ...c.factors] }, { family: "binomial" });
    const d = glm({ y: c.y, x: handDummies(c.factors) }, { family: "binomial" });
    expectSameFit(f, d);
  });

  it("large n: the subsample warm start works on factor designs", () => {
    const c = makeCase({ family: "binomial", n: 220_000, seed: 3 });
    const { f, d } = fitBoth(c, { family: "binomial" });
    expectSameFit(f, d, { rel: 1e-9, abs: 1e-12 });
  });

  it("re-basing is used for a factor whose reference is not its most frequent level", () => {
    const c = makeCase({ family: "binomial" });
    const p = prepareData("glm", { y: c.y, x: c.x, factors: c.factors }, true);
    // a (reference 0, most frequent 2), c (most frequent 1), d (reference 1 = most frequent) → a and c.
    expect(p.factors!.rebased.length).toBe(2);
    expect(p.names).toEqual(["(Intercept)", "x1", "x2", ...factorColumnNames(c.factors)]);
    const q = prepareData("glm", { y: c.y, x: c.x, factors: c.factors }, false);
    expect(q.factors!.rebased.length).toBe(0);
  });

  it("predictGlm with factors equals predictGlm with the dummies; code −1 gives NaN", () => {
    const c = makeCase({ family: "binomial", missing: true });
    const { f } = fitBoth(c, { family: "binomial" });
    const pf = predictGlm(f, c.x, { factors: c.factors });
    const pd = predictGlm(f, [...c.x, ...handDummies(c.factors)]);
    expect(pf.nMissing).toBe(pd.nMissing);
    expect(pf.nMissing).toBeGreaterThan(0);
    const bad = {
      ...c.factors[0]!,
      codes: Int32Array.from(c.factors[0]!.codes, (v, i) => (i === 2 ? 4 : v)),
    };
    expect(() => predictGlm(f, c.x, { factors: [bad, ...c.factors.slice(1)] })).toThrow(/code 4 at row 2/);
    for (let i = 0; i < c.y.length; i++) {
      if (Number.isNaN(pd.link[i]!)) expect(pf.link[i]).toBeNaN();
      else expectClose(pf.link[i], pd.link[i]!, { rel: 1e-13, abs: 1e-13 }, `η[${i}]`);
    }
  });

  it("expandFactors builds the hand-made dummies (NaN for a missing code, rows selectable)", () => {
    const c = makeCase({ family: "binomial", missing: true, n: 300 });
    const e = expandFactors(c.factors);
    const h = handDummies(c.factors);
    expect(e.map((x) => x.name)).toEqual(h.map((x) => x.name));
    for (let j = 0; j < e.length; j++) expect(Array.from(e[j]!.values)).toEqual(Array.from(h[j]!.values));
    const rows = [7, 3, 5];
    const s = expandFactors(c.factors, rows);
    for (let j = 0; j < s.length; j++) {
      expect(Array.from(s[j]!.values)).toEqual(rows.map((i) => h[j]!.values[i]!));
    }
  });

  it("bad factor input throws", () => {
    const c = makeCase({ family: "binomial", n: 50 });
    const bad = (f: Partial<FactorColumn>) => () =>
      glm({ y: c.y, x: c.x, factors: [{ ...c.factors[0]!, ...f } as FactorColumn] }, { family: "binomial" });
    expect(bad({ codes: new Int32Array(49) })).toThrow(/has 49 codes/);
    expect(bad({ codes: Int32Array.from({ length: 50 }, (_, i) => (i === 9 ? 4 : 0)) })).toThrow(
      /code 4 at row 9/,
    );
    expect(bad({ codes: Int32Array.from({ length: 50 }, (_, i) => (i === 9 ? -2 : 0)) })).toThrow(/code -2/);
    expect(bad({ reference: 4 })).toThrow(/reference/);
    expect(bad({ names: ["a", "b"] })).toThrow(/names/);
    expect(bad({ codes: [0, 1] as unknown as Int32Array })).toThrow(/Int32Array/);
    expect(bad({ names: ["aL0", "x1", "aL2", "aL3"] })).toThrow(/duplicate column name "x1"/);
  });
});

// ---- R: glm() with factor() terms ------------------------------------------------------------

interface FactorRef {
  name: string;
  codes: number[];
  levels: string[];
}
interface FitRef {
  name: string;
  family: GlmFamily;
  coefNames: string[];
  coef: (number | null)[];
  se: (number | null)[];
  seHC0: (number | null)[];
  seClusterHC0: (number | null)[];
  deviance: number;
  nullDeviance: number;
  dfResidual: number;
  aic: number;
  n: number;
}
const ref = JSON.parse(
  readFileSync(
    fileURLToPath(new URL("../../reference/regression-factors/regression-factors.json", import.meta.url)),
    "utf8",
  ),
) as {
  data: {
    x: number[];
    yb: number[];
    yp: number[];
    expo: number[];
    wt: number[];
    cl: number[];
    a: FactorRef;
    g: FactorRef;
  };
  fits: FitRef[];
};

/** R's factor as a FactorColumn: reference = first level, column names `<variable><level>` as model.matrix. */
function rFactor(f: FactorRef): FactorColumn {
  return {
    codes: Int32Array.from(f.codes),
    nLevels: f.levels.length,
    reference: 0,
    names: f.levels.map((l) => `${f.name}${l}`),
    name: f.name,
  };
}

describe("glm with factors vs R glm(y ~ x + factor(a) + factor(g))", () => {
  const { data } = ref;
  const factors = [rFactor(data.a), rFactor(data.g)];
  for (const r of ref.fits) {
    it(r.name, () => {
      const input = {
        y: r.family === "binomial" ? data.yb : data.yp,
        x: [{ name: "x", values: data.x }],
        factors,
        ...(r.family === "poisson" ? { offset: data.expo.map(Math.log), weights: data.wt } : {}),
      };
      const fit = glm(input, { family: r.family });
      const hc0 = glm(input, { family: r.family, variance: "HC0" });
      const cl = glm({ ...input, cluster: data.cl }, { family: r.family, variance: "cluster" });
      // R's glm drops the unused level a5 (model.frame(drop.unused.levels = TRUE)); a FactorColumn
      // declares it, so it is an aliased all-zero column here.
      const a5 = fit.coefficients.find((c) => c.name === "aa5")!;
      expect(a5.aliased).toBe(true);
      expect(fit.warnings.find((w) => w.code === "CONSTANT_COVARIATE")?.detail).toEqual({ columns: ["aa5"] });
      expect(fit.warnings.find((w) => w.code === "MISSING_DROPPED")?.detail).toEqual({ count: 1 });
      const byName = (res: GlmResult) => (name: string) => res.coefficients.find((c) => c.name === name)!;
      const pick = (res: GlmResult, what: "estimate" | "se") => r.coefNames.map((k) => byName(res)(k)[what]);
      expect(fit.coefficients.filter((c) => !c.aliased).map((c) => c.name)).toEqual(r.coefNames);
      expectAllClose(pick(fit, "estimate"), r.coef, { rel: 1e-9, abs: 1e-12 }, "coef");
      expectAllClose(pick(fit, "se"), r.se, { rel: 1e-9 }, "se");
      expectAllClose(pick(hc0, "se"), r.seHC0, { rel: 1e-9 }, "HC0 se");
      expectAllClose(pick(cl, "se"), r.seClusterHC0, { rel: 1e-9 }, "cluster se");
      expectClose(fit.deviance, r.deviance, { rel: 1e-12 }, "deviance");
      expectClose(fit.nullDeviance, r.nullDeviance, { rel: 1e-12 }, "null deviance");
      expectClose(fit.aic, r.aic, { rel: 1e-12 }, "AIC");
      expect(fit.dfResidual).toBe(r.dfResidual);
      expect(fit.n).toBe(r.n);
    });
  }
});
