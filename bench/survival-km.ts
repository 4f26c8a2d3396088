/**
 * Benchmark: Kaplan–Meier by group and the log-rank test on n rows (default 1,000,000), against
 * R survival's survfit / survdiff on the same data when Rscript is available (best of 3 each).
 *
 *   npx tsx bench/survival-km.ts [n]
 *
 * Data: seeded; two groups; exponential event times (median ≈ 300 / 420 days) censored by uniform
 * follow-up up to 3 years. "days" = whole-day times (counting-sort path); "continuous" = the same
 * times plus a fraction (radix-sort path, every time distinct). Figures on a shared machine are
 * indicative only.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { kaplanMeier } from "../src/stats/survival/kaplan-meier.js";
import { logRankTest } from "../src/stats/survival/log-rank.js";

export interface SurvivalKmBenchResult {
  readonly n: number;
  /** Milliseconds, best of 3. */
  readonly kmDaysMs: number;
  readonly logRankDaysMs: number;
  readonly kmContinuousMs: number;
  readonly logRankContinuousMs: number;
  /** R survfit / survdiff on the whole-day data (best of 3), null without Rscript. */
  readonly rKmMs: number | null;
  readonly rLogRankMs: number | null;
  /** R on the continuous-time data. */
  readonly rKmContinuousMs: number | null;
  readonly rLogRankContinuousMs: number | null;
  /** log-rank statistics from both, as a sanity check that the same problem was timed. */
  readonly chisq: number | null;
  readonly rChisq: number | null;
}

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

function makeData(n: number, seed = 20240601) {
  const rnd = mulberry32(seed);
  const time = new Float64Array(n);
  const timeCont = new Float64Array(n);
  const status = new Float64Array(n);
  const group = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = rnd() < 0.5 ? 1 : 2;
    const median = g === 1 ? 300 : 420;
    const ev = (-Math.log(1 - rnd()) * median) / Math.LN2;
    const cens = rnd() * 1095;
    const t = Math.min(ev, cens);
    time[i] = Math.floor(t) + 1;
    timeCont[i] = t;
    status[i] = ev <= cens ? 1 : 0;
    group[i] = g;
  }
  return { time, timeCont, status, group };
}

function best(f: () => unknown, reps = 3): number {
  let b = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

function hasRscript(): boolean {
  try {
    execFileSync("Rscript", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function timeR(
  data: ReturnType<typeof makeData>,
): { km: number; lr: number; chisq: number; kmc: number; lrc: number } | null {
  if (!hasRscript()) return null;
  const dir = mkdtempSync(join(tmpdir(), "survival-km-bench-"));
  try {
    const csv = join(dir, "d.csv");
    const lines = ["time,timec,status,group"];
    for (let i = 0; i < data.time.length; i++) {
      lines.push(`${data.time[i]},${data.timeCont[i]},${data.status[i]},${data.group[i]}`);
    }
    writeFileSync(csv, `${lines.join("\n")}\n`);
    const script = `suppressPackageStartupMessages(library(survival))
d <- read.csv("${csv}")
b <- function(expr) min(sapply(1:3, function(i) system.time(eval(expr))[["elapsed"]]))
km <- b(quote(survfit(Surv(time, status) ~ group, data = d)))
lr <- b(quote(survdiff(Surv(time, status) ~ group, data = d)))
cs <- survdiff(Surv(time, status) ~ group, data = d)$chisq
kmc <- b(quote(survfit(Surv(timec, status) ~ group, data = d)))
lrc <- b(quote(survdiff(Surv(timec, status) ~ group, data = d)))
cat(sprintf("%.6f %.6f %.17g %.6f %.6f\\n", km * 1000, lr * 1000, cs, kmc * 1000, lrc * 1000))`;
    const rfile = join(dir, "b.R");
    writeFileSync(rfile, script);
    const out = execFileSync("Rscript", [rfile], { encoding: "utf8" }).trim().split(/\s+/).map(Number);
    return {
      km: out[0] as number,
      lr: out[1] as number,
      chisq: out[2] as number,
      kmc: out[3] as number,
      lrc: out[4] as number,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Times kaplanMeier (by group) and logRankTest on n seeded rows; also R when Rscript exists. */
export function runSurvivalKmBench(n = 1_000_000, withR = true): SurvivalKmBenchResult {
  const d = makeData(n);
  const days = { time: d.time, status: d.status, group: d.group };
  const cont = { time: d.timeCont, status: d.status, group: d.group };
  kaplanMeier(days); // warm-up
  logRankTest(days);
  const kmDaysMs = best(() => kaplanMeier(days));
  const logRankDaysMs = best(() => logRankTest(days));
  const kmContinuousMs = best(() => kaplanMeier(cont));
  const logRankContinuousMs = best(() => logRankTest(cont));
  const chisq = logRankTest(days).statistic;
  const r = withR ? timeR(d) : null;
  return {
    n,
    kmDaysMs,
    logRankDaysMs,
    kmContinuousMs,
    logRankContinuousMs,
    rKmMs: r?.km ?? null,
    rLogRankMs: r?.lr ?? null,
    rKmContinuousMs: r?.kmc ?? null,
    rLogRankContinuousMs: r?.lrc ?? null,
    chisq,
    rChisq: r?.chisq ?? null,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const r = runSurvivalKmBench(n);
  const f = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(0)} ms`);
  console.log(`survival-km bench, n = ${r.n} (best of 3; indicative on a shared machine)`);
  console.log(`  kaplanMeier by group, whole days : ${f(r.kmDaysMs)}   R survfit : ${f(r.rKmMs)}`);
  console.log(`  logRankTest, whole days          : ${f(r.logRankDaysMs)}   R survdiff: ${f(r.rLogRankMs)}`);
  console.log(
    `  kaplanMeier by group, continuous : ${f(r.kmContinuousMs)}   R survfit : ${f(r.rKmContinuousMs)}`,
  );
  console.log(
    `  logRankTest, continuous          : ${f(r.logRankContinuousMs)}   R survdiff: ${f(r.rLogRankContinuousMs)}`,
  );
  console.log(`  chi-square: ours ${r.chisq}, R ${r.rChisq}`);
}
