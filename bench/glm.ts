/**
 * GLM benchmark: logistic regression with 10 covariates and Poisson regression with an offset and
 * 4 covariates at n rows (default 1,000,000), timed against R's glm() on the same data when Rscript
 * exists (best of 3 in both). Targets (issue): at most half of R's time here (R: logistic 3.2 s,
 * Poisson 5.4 s at 1e6 rows).
 *
 * `factors` case: a propensity-style logistic model with 14 code covariates (2–12 levels, skewed
 * frequencies, one very frequent level per factor) + 3 numeric columns, fitted with expanded dense
 * dummies (DesignColumn 0/1 columns, built as the evaluation does) and with FactorColumn input.
 *
 *   npx tsx bench/glm.ts [n]
 *   npx tsx bench/glm.ts factors [n]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { prepareData } from "../src/stats/regression/design.js";
import {
  type DesignColumn,
  expandFactors,
  type FactorColumn,
  type GlmResult,
  glm,
} from "../src/stats/regression/index.js";
import { FAMILY_BINOMIAL, irls } from "../src/stats/regression/irls.js";

/** mulberry32: small seeded PRNG (no Math.random in this project). */
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

function normals(u: () => number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const t = 2 * Math.PI * u();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

export interface BenchData {
  y: Float64Array;
  cols: Float64Array[];
  offset?: Float64Array;
}

/** Logistic data: 10 covariates (7 normal, 3 binary), true coefficients of moderate size. */
export function makeLogisticData(n: number, seed = 1): BenchData {
  const u = rng(seed);
  const cols: Float64Array[] = [];
  for (let j = 0; j < 7; j++) cols.push(normals(u, n));
  for (let j = 0; j < 3; j++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = u() < 0.3 + 0.1 * j ? 1 : 0;
    cols.push(c);
  }
  const beta = [0.5, -0.3, 0.2, 0.1, -0.1, 0.05, 0.4, -0.6, 0.3, 0.2];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = -0.5;
    for (let j = 0; j < 10; j++) eta += beta[j]! * cols[j]![i]!;
    y[i] = u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { y, cols };
}

/** Poisson data: 4 covariates, offset log(exposure) with exposure in (0.5, 2.5). */
export function makePoissonData(n: number, seed = 2): BenchData {
  const u = rng(seed);
  const cols: Float64Array[] = [];
  for (let j = 0; j < 3; j++) cols.push(normals(u, n));
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) b[i] = u() < 0.4 ? 1 : 0;
  cols.push(b);
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) offset[i] = Math.log(0.5 + 2 * u());
  const beta = [0.3, -0.2, 0.1, 0.5];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = 0.2 + offset[i]!;
    for (let j = 0; j < 4; j++) eta += beta[j]! * cols[j]![i]!;
    const lambda = Math.exp(eta);
    // Knuth's multiplication method (λ is small here).
    const l = Math.exp(-lambda);
    let k = 0;
    let p = u();
    while (p > l) {
      k++;
      p *= u();
    }
    y[i] = k;
  }
  return { y, cols, offset };
}

/** Best of `reps` runs: wall-clock and CPU (user+system) seconds. */
function bestOf(reps: number, f: () => void): { wall: number; cpu: number } {
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  return { wall, cpu };
}

function hasRscript(): boolean {
  try {
    execFileSync("Rscript", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Times R's glm() (best of 3: elapsed and CPU seconds) on the same data, passed as raw little-endian doubles. */
function timeR(data: BenchData, family: "binomial" | "poisson"): { wall: number; cpu: number } | null {
  if (!hasRscript()) return null;
  const dir = mkdtempSync(join(tmpdir(), "glm-bench-"));
  try {
    const n = data.y.length;
    const write = (name: string, a: Float64Array) =>
      writeFileSync(join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    write("y.bin", data.y);
    for (let j = 0; j < data.cols.length; j++) write(`x${j}.bin`, data.cols[j]!);
    if (data.offset) write("off.bin", data.offset);
    const p = data.cols.length;
    const script = `
      rd <- function(f) readBin(file.path("${dir}", f), "double", n = ${n}, endian = "little")
      d <- data.frame(y = rd("y.bin"))
      for (j in 0:${p - 1}) d[[paste0("x", j)]] <- rd(paste0("x", j, ".bin"))
      ${data.offset ? 'd$off <- rd("off.bin")' : ""}
      fo <- y ~ ${data.cols.map((_, j) => `x${j}`).join(" + ")}${data.offset ? " + offset(off)" : ""}
      best <- Inf; bestc <- Inf
      for (r in 1:3) {
        t <- system.time(f <- glm(fo, family = ${family}, data = d))
        best <- min(best, t[["elapsed"]]); bestc <- min(bestc, t[["user.self"]] + t[["sys.self"]])
      }
      cat(sprintf("%.17g\\n", best)); cat(sprintf("%.17g\\n", bestc))
    `;
    const out = execFileSync("Rscript", ["-e", script], { encoding: "utf8", maxBuffer: 1 << 20 });
    const [wall, cpu] = out.trim().split("\n").map(Number);
    return { wall: wall!, cpu: cpu! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface GlmBenchResult {
  readonly n: number;
  /** Wall-clock and CPU seconds, best of 3. */
  readonly logistic: { wall: number; cpu: number };
  readonly poisson: { wall: number; cpu: number };
  readonly rLogistic: { wall: number; cpu: number } | null;
  readonly rPoisson: { wall: number; cpu: number } | null;
  readonly logisticIterations: number;
  readonly poissonIterations: number;
}

/** Runs both GLM benchmarks at n rows (best of 3); R timings when Rscript is on the PATH. */
export function runGlmBench(n = 1_000_000, withR = true): GlmBenchResult {
  const lg = makeLogisticData(n);
  const ps = makePoissonData(n);
  const xl = lg.cols.map((values, j) => ({ name: `x${j}`, values }));
  const xp = ps.cols.map((values, j) => ({ name: `x${j}`, values }));
  let li = 0;
  let pi = 0;
  const logistic = bestOf(3, () => {
    li = glm({ y: lg.y, x: xl }, { family: "binomial" }).iterations;
  });
  const poisson = bestOf(3, () => {
    pi = glm({ y: ps.y, x: xp, offset: ps.offset! }, { family: "poisson" }).iterations;
  });
  return {
    n,
    logistic,
    poisson,
    rLogistic: withR ? timeR(lg, "binomial") : null,
    rPoisson: withR ? timeR(ps, "poisson") : null,
    logisticIterations: li,
    poissonIterations: pi,
  };
}

export interface FactorBenchData {
  y: Float64Array;
  numeric: DesignColumn[];
  factors: FactorColumn[];
}

/**
 * Propensity-style data: 14 factors with 2–12 levels; per factor one very frequent level (55–85 %,
 * not necessarily the reference level 0) and geometrically decaying frequencies for the others;
 * 3 numeric columns (age-like, a count, a normal score); treatment from a logistic model on all.
 */
export function makeFactorData(n: number, seed = 3): FactorBenchData {
  const u = rng(seed);
  const nLevels = [2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 10, 12];
  const factors: FactorColumn[] = [];
  const effects: Float64Array[] = [];
  for (const [f, L] of nLevels.entries()) {
    const frequent = f % L;
    const top = 0.55 + (0.3 * f) / nLevels.length;
    // Cumulative probabilities: the frequent level gets `top`, the rest decay by 0.6.
    const prob = new Float64Array(L);
    let rest = 0;
    for (let l = 0, k = 0; l < L; l++) if (l !== frequent) rest += 0.6 ** k++;
    for (let l = 0, k = 0; l < L; l++) prob[l] = l === frequent ? top : ((1 - top) * 0.6 ** k++) / rest;
    const cum = new Float64Array(L);
    let c = 0;
    for (let l = 0; l < L; l++) cum[l] = c += prob[l]!;
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = u();
      let l = 0;
      while (l < L - 1 && v >= cum[l]!) l++;
      codes[i] = l;
    }
    factors.push({
      codes,
      nLevels: L,
      reference: 0,
      names: Array.from({ length: L }, (_, l) => `f${f}L${l}`),
      name: `f${f}`,
    });
    effects.push(Float64Array.from({ length: L }, (_, l) => (l === 0 ? 0 : 0.4 * (u() - 0.5))));
  }
  const age = new Float64Array(n);
  const count = new Float64Array(n);
  const z = normals(u, n);
  for (let i = 0; i < n; i++) {
    age[i] = 18 + Math.floor(60 * u());
    count[i] = Math.floor(-Math.log(1 - u()) * 2);
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = -1.2 + 0.01 * (age[i]! - 45) + 0.1 * count[i]! + 0.3 * z[i]!;
    for (let f = 0; f < factors.length; f++) eta += effects[f]![factors[f]!.codes[i]!]!;
    y[i] = u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return {
    y,
    numeric: [
      { name: "age", values: age },
      { name: "count", values: count },
      { name: "z", values: z },
    ],
    factors,
  };
}

/** Dense 0/1 dummies of the factors built row by row, as the evaluation did (one Float64Array per level). */
function denseDummies(factors: readonly FactorColumn[]): DesignColumn[] {
  const out: DesignColumn[] = [];
  for (const f of factors) {
    for (let l = 0; l < f.nLevels; l++) {
      if (l === f.reference) continue;
      const v = new Float64Array(f.codes.length);
      for (let i = 0; i < v.length; i++) v[i] = f.codes[i] === l ? 1 : 0;
      out.push({ name: f.names[l]!, values: v });
    }
  }
  return out;
}

/** Passes over the full data of the glm() fit (the IRLS of the same input, rerun). */
function passesOf(data: FactorBenchData, dense: DesignColumn[] | null): number {
  const d = prepareData(
    "bench",
    { y: data.y, x: dense ? [...data.numeric, ...dense] : data.numeric, factors: dense ? [] : data.factors },
    true,
  );
  const fit = irls(
    {
      n: d.n,
      cols: d.cols,
      factors: d.factors,
      y: d.y,
      weights: d.weights,
      offset: d.offset,
      family: FAMILY_BINOMIAL,
      theta: Number.POSITIVE_INFINITY,
    },
    { tol: 1e-12, maxIter: 100 },
  );
  return fit.passes;
}

export interface FactorBenchResult {
  readonly n: number;
  readonly p: number;
  /** Seconds per fit (best of `reps`): building the dummies + glm(), and glm() alone. */
  readonly dense: { build: number; fit: { wall: number; cpu: number }; passes: number; iterations: number };
  readonly factor: { fit: { wall: number; cpu: number }; passes: number; iterations: number };
  /** Largest relative difference between the two fits' coefficients and SEs (over non-aliased columns). */
  readonly maxRelDiff: { estimate: number; se: number; deviance: number };
}

/** Dense-dummy vs FactorColumn logistic fits of the same model at n rows. */
export function runFactorBench(n = 1_000_000, reps = 2): FactorBenchResult {
  const data = makeFactorData(n);
  let dummies: DesignColumn[] = [];
  const build = bestOf(reps, () => {
    dummies = denseDummies(data.factors);
  }).wall;
  let rd: GlmResult | null = null;
  let rf: GlmResult | null = null;
  const denseFit = bestOf(reps, () => {
    rd = glm({ y: data.y, x: [...data.numeric, ...dummies] }, { family: "binomial" });
  });
  const factorFit = bestOf(reps, () => {
    rf = glm({ y: data.y, x: data.numeric, factors: data.factors }, { family: "binomial" });
  });
  const a = rd! as GlmResult;
  const b = rf! as GlmResult;
  const rel = (x: number | null, y: number | null): number =>
    x === null || y === null ? 0 : Math.abs(x - y) / Math.max(Math.abs(y), 1e-300);
  let de = 0;
  let ds = 0;
  for (let j = 0; j < a.coefficients.length; j++) {
    const ca = a.coefficients[j]!;
    const cb = b.coefficients[j]!;
    if (ca.name !== cb.name || ca.aliased !== cb.aliased) throw new Error(`column ${j} differs`);
    de = Math.max(de, rel(cb.estimate, ca.estimate));
    ds = Math.max(ds, rel(cb.se, ca.se));
  }
  // Sanity check of the expansion helper against the bench's own dummies.
  const ex = expandFactors(data.factors.slice(0, 1));
  if (ex[0]!.values[0] !== dummies[0]!.values[0]) throw new Error("expandFactors disagrees");
  return {
    n,
    p: a.coefficients.length,
    dense: { build, fit: denseFit, passes: passesOf(data, dummies), iterations: a.iterations },
    factor: { fit: factorFit, passes: passesOf(data, null), iterations: b.iterations },
    maxRelDiff: { estimate: de, se: ds, deviance: rel(b.deviance, a.deviance) },
  };
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  process.argv[2] === "factors"
) {
  const n = Number(process.argv[3] ?? 1_000_000);
  console.log(JSON.stringify(runFactorBench(n), null, 2));
  console.log("(indicative: timed on a shared machine)");
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const r = runGlmBench(n);
  console.log(JSON.stringify(r, null, 2));
  if (r.rLogistic && r.rPoisson) {
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(
      `logistic: ${ratio(r.logistic.wall, r.rLogistic.wall)}× R wall, ${ratio(r.logistic.cpu, r.rLogistic.cpu)}× R CPU; ` +
        `poisson: ${ratio(r.poisson.wall, r.rPoisson.wall)}× R wall, ${ratio(r.poisson.cpu, r.rPoisson.cpu)}× R CPU ` +
        "(indicative on a shared machine)",
    );
  }
}
