/**
 * Benchmark: Cox model (Efron ties, 3 covariates) on n rows with integer-day times (heavy ties),
 * against R survival::coxph on the same data when Rscript is available (best of 3 each).
 *   npx tsx bench/cox.ts [n]        (default n = 1,000,000)
 * Target: at most half of R's time. Figures taken on a shared machine are indicative only.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { coxPH } from "../src/stats/survival/cox.js";

/** Deterministic PRNG (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CoxBenchData {
  readonly time: Float64Array;
  readonly status: Uint8Array;
  readonly x: readonly Float64Array[];
}

/** Simulated cohort: age ~ N(45, 12), binary exposure, a uniform score; exponential event times in whole days, administrative censoring at 3 years and 20% random censoring. */
export function makeCoxBenchData(n: number, seed = 20240601): CoxBenchData {
  const rnd = mulberry32(seed);
  const time = new Float64Array(n);
  const status = new Uint8Array(n);
  const age = new Float64Array(n);
  const expo = new Float64Array(n);
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u1 = rnd() || 1e-12;
    const u2 = rnd();
    age[i] = 45 + 12 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    expo[i] = rnd() < 0.4 ? 1 : 0;
    score[i] = rnd();
    const lp = 0.02 * ((age[i] as number) - 45) - 0.4 * (expo[i] as number) + 0.8 * (score[i] as number);
    const t = -Math.log(rnd() || 1e-12) / (0.0015 * Math.exp(lp));
    const c = rnd() < 0.2 ? rnd() * 1095 : 1095;
    const tt = Math.min(t, c);
    time[i] = Math.max(1, Math.ceil(tt));
    status[i] = t <= c ? 1 : 0;
  }
  return { time, status, x: [age, expo, score] };
}

export interface CoxBenchResult {
  readonly n: number;
  readonly nEvents: number;
  readonly distinctTimes: number;
  readonly tsMs: number;
  readonly rMs: number | null;
  readonly maxCoefRelDiff: number | null;
  readonly iterations: number;
}

function rAvailable(): boolean {
  try {
    execFileSync("Rscript", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Times coxPH (best of 3) and, if Rscript exists, R's coxph on the same data (best of 3, fit only). */
export function runCoxBench(n = 1_000_000, repeats = 3): CoxBenchResult {
  const data = makeCoxBenchData(n);
  let best = Number.POSITIVE_INFINITY;
  let fit = coxPH({ time: data.time, status: data.status, x: data.x, names: ["age", "expo", "score"] });
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    fit = coxPH({ time: data.time, status: data.status, x: data.x, names: ["age", "expo", "score"] });
    best = Math.min(best, performance.now() - t0);
  }
  const distinct = new Set(data.time).size;
  let rMs: number | null = null;
  let maxCoefRelDiff: number | null = null;
  if (rAvailable()) {
    const dir = mkdtempSync(join(tmpdir(), "coxbench-"));
    try {
      const lines = ["time,status,age,expo,score"];
      for (let i = 0; i < n; i++)
        lines.push(
          `${data.time[i]},${data.status[i]},${(data.x[0] as Float64Array)[i]},${(data.x[1] as Float64Array)[i]},${(data.x[2] as Float64Array)[i]}`,
        );
      const csv = join(dir, "d.csv");
      writeFileSync(csv, `${lines.join("\n")}\n`);
      const script = join(dir, "b.R");
      writeFileSync(
        script,
        [
          "suppressPackageStartupMessages(library(survival))",
          `d <- read.csv("${csv}", colClasses = "numeric")`,
          `tm <- sapply(1:${repeats}, function(i) system.time(f <<- coxph(Surv(time, status) ~ age + expo + score, data = d))[["elapsed"]])`,
          'cat(min(tm) * 1000, sprintf("%.17g", coef(f)), "\\n")',
        ].join("\n"),
      );
      const out = execFileSync("Rscript", [script], { encoding: "utf8" }).trim().split(/\s+/).map(Number);
      rMs = out[0] as number;
      maxCoefRelDiff = 0;
      for (let j = 0; j < 3; j++) {
        const e = out[j + 1] as number;
        maxCoefRelDiff = Math.max(maxCoefRelDiff, Math.abs(((fit.coefficients[j] as number) - e) / e));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    n,
    nEvents: fit.nEvents,
    distinctTimes: distinct,
    tsMs: best,
    rMs,
    maxCoefRelDiff,
    iterations: fit.iterations,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const r = runCoxBench(n);
  console.log(
    `coxPH Efron, 3 covariates, n = ${r.n} (${r.nEvents} events, ${r.distinctTimes} distinct days): ` +
      `${r.tsMs.toFixed(0)} ms (best of 3, ${r.iterations} iterations)` +
      (r.rMs !== null
        ? `; R coxph ${r.rMs.toFixed(0)} ms; ratio ${(r.tsMs / r.rMs).toFixed(2)}; max |Δβ|/|β| vs R (R eps 1e-9) ${r.maxCoefRelDiff?.toExponential(1)}`
        : "; Rscript not found"),
  );
}
