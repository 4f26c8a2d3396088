/**
 * The simulated truth is recovered from the generated CSVs (parsed here, no loader): randomised
 * design → observed MOUD cumulative incidence, ED rate ratio and BARC-10 change effect agree with
 * truth.json within ~4 standard errors; observational design → peer engagement is confounded and the
 * naive by-arm incidence matches the truth's "factual" quantities.
 */
import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../src/dates.js";
import { generateCohortText } from "../../src/synth/index.js";
import { expectClose } from "../helpers/expect-close.js";
import { parseCsv } from "./csv.js";

const N = 16_000;
const common = { n: N, lossRatePerYear: 0, truthSamples: 30_000 } as const;
const rct = await generateCohortText({ ...common, seed: 4242, design: "rct" });
const obs = await generateCohortText({ ...common, seed: 777, design: "observational" });

interface Person {
  peer: boolean;
  index: number;
  end: number;
  isNew: boolean;
  firstMoud: number;
  edVisits: number;
  homeless: boolean;
  priorMoudObserved: boolean;
  setting: string;
  preEd: number;
}

function people(files: Record<string, string>): Map<string, Person> {
  const out = new Map<string, Person>();
  const arms = parseCsv(files.arms!);
  for (const r of arms.rows) {
    out.set(r[0]!, {
      peer: r[2] === "PEER",
      index: 0,
      end: 0,
      isNew: true,
      firstMoud: Number.POSITIVE_INFINITY,
      edVisits: 0,
      homeless: false,
      priorMoudObserved: false,
      setting: "",
      preEd: 0,
    });
  }
  for (const r of parseCsv(files.persons!).rows) out.get(r[0]!)!.homeless = r[7] === "HOMELESS";
  for (const r of parseCsv(files.index_events!).rows) {
    if (!r[0]!.endsWith("-I1")) continue;
    const p = out.get(r[1]!)!;
    p.index = parseIsoDate(r[3]!)!;
    p.setting = r[4]!;
  }
  for (const r of parseCsv(files.observation_periods!).rows) {
    const p = out.get(r[1]!)!;
    p.end = Math.max(p.end, parseIsoDate(r[3]!)!);
  }
  // MEASURES.md §3.2: ALREADY_ON_MOUD = any MOUD event in [−31, −1] (the generator's continuing
  // supplies always have one); first MOUD event on/after the index otherwise.
  for (const r of parseCsv(files.medication_events!).rows) {
    if (r[4] === "AUD_OTHER") continue;
    const p = out.get(r[1]!)!;
    const d = parseIsoDate(r[2]!)! - p.index;
    if (d < 0) p.priorMoudObserved = true;
    if (d >= -31 && d <= -1) p.isNew = false;
    if (d >= 0 && d < p.firstMoud) p.firstMoud = d;
  }
  for (const r of parseCsv(files.encounters!).rows) {
    if (r[4] !== "ED") continue;
    const p = out.get(r[1]!)!;
    const d = parseIsoDate(r[2]!)! - p.index;
    if (d >= 1) p.edVisits++;
    if (d >= -365 && d <= -1) p.preEd++;
  }
  return out;
}

function cifAt(ps: Map<string, Person>, peer: boolean, day: number): { p: number; n: number } {
  let n = 0;
  let k = 0;
  for (const p of ps.values()) {
    if (p.peer !== peer || !p.isNew) continue;
    n++;
    if (p.firstMoud <= day) k++;
  }
  return { p: k / n, n };
}

function rateRatio(ps: Map<string, Person>): { rr: number; se: number } {
  const y = [0, 0];
  const t = [0, 0];
  for (const p of ps.values()) {
    const a = p.peer ? 1 : 0;
    y[a]! += p.edVisits;
    t[a]! += p.end - p.index;
  }
  const r = [y[0]! / t[0]!, y[1]! / t[1]!];
  const v = [0, 0];
  for (const p of ps.values()) {
    const a = p.peer ? 1 : 0;
    v[a]! += (p.edVisits - r[a]! * (p.end - p.index)) ** 2;
  }
  const varLog = v[1]! / t[1]! ** 2 / r[1]! ** 2 + v[0]! / t[0]! ** 2 / r[0]! ** 2;
  return { rr: r[1]! / r[0]!, se: Math.sqrt(varLog) };
}

const rctPeople = people(rct.files);
const obsPeople = people(obs.files);

describe("randomised design: the truth is recovered", () => {
  const truth = rct.truth.derived!;

  it.each([7, 30, 180])("MOUD cumulative incidence at day %i per arm ≈ truth (ATE)", (day) => {
    for (const [arm, peer] of [
      ["PEER", true],
      ["COMPARISON", false],
    ] as const) {
      const obsCif = cifAt(rctPeople, peer, day);
      const expected = truth.moudInitiation.cumulativeIncidence.ate[arm][String(day)]!;
      const mcSe = truth.moudInitiation.cumulativeIncidence.mcSeAte[arm][String(day)]!;
      const se = Math.sqrt((expected * (1 - expected)) / obsCif.n);
      expectClose(obsCif.p, expected, { abs: 4 * (se + mcSe) }, `${arm} CIF(${day})`);
    }
  });

  it("the truth's marginal cause-specific HR is attenuated from the conditional HR but > 1", () => {
    const hr = truth.moudInitiation.marginalCauseSpecificHazardRatio;
    expect(hr.ateNoCensoring).toBeGreaterThan(1.2);
    expect(hr.ateNoCensoring).toBeLessThan(rct.options.moudHazardRatio);
  });

  it("ED rate ratio ≈ truth's marginal rate ratio, and that ≈ the conditional 0.8 (randomised)", () => {
    const { rr, se } = rateRatio(rctPeople);
    const expected = truth.edVisits.marginalRateRatio.ate.allDays;
    expectClose(
      Math.log(rr),
      Math.log(expected),
      { abs: 4 * (se + truth.edVisits.mcSeLogRateRatioAte) },
      "log IRR",
    );
    // The rate ratio multiplies the daily visit probability; only dead time (stays) moves the marginal.
    expectClose(expected, rct.options.edRateRatio, { abs: 0.03 }, "marginal vs conditional");
  });

  it("BARC-10 total change, PEER − COMPARISON ≈ truth (complete pairs)", () => {
    const a = parseCsv(rct.files.assessments!);
    const totals = new Map<string, { intake?: number; m6?: number }>();
    const first = a.col("item_01");
    for (const r of a.rows) {
      if (r[3] !== "BARC10") continue;
      const items = r.slice(first, first + 10);
      if (items.some((v) => v === "")) continue;
      const total = items.reduce((s, v) => s + Number(v), 0);
      const e = totals.get(r[1]!) ?? {};
      if (r[4] === "INTAKE") e.intake = total;
      else e.m6 = total;
      totals.set(r[1]!, e);
    }
    const sum = [0, 0];
    const sq = [0, 0];
    const n = [0, 0];
    for (const [pid, e] of totals) {
      if (e.intake === undefined || e.m6 === undefined) continue;
      const arm = rctPeople.get(pid)!.peer ? 1 : 0;
      const d = e.m6 - e.intake;
      sum[arm]! += d;
      sq[arm]! += d * d;
      n[arm]!++;
    }
    const mean = [sum[0]! / n[0]!, sum[1]! / n[1]!];
    const se = Math.sqrt((sq[0]! / n[0]! - mean[0]! ** 2) / n[0]! + (sq[1]! / n[1]! - mean[1]! ** 2) / n[1]!);
    const expected = truth.barc10.totalChangeEffect.ate;
    expectClose(mean[1]! - mean[0]!, expected, { abs: 4 * (se + truth.barc10.mcSeEffectAte) }, "BARC effect");
    // Item rounding and the 1–6 range change the latent +2 only a little.
    expectClose(expected, rct.options.barcChangeEffect, { abs: 0.4 }, "total vs latent effect");
  });

  it("randomisation balances covariates (odds ratios near 1)", () => {
    expect(Math.abs(Math.log(oddsRatio(rctPeople, (p) => p.priorMoudObserved)))).toBeLessThan(0.2);
    expect(Math.abs(Math.log(oddsRatio(rctPeople, (p) => p.homeless)))).toBeLessThan(0.2);
  });
});

/** Standardised mean difference PEER − COMPARISON (pooled SD). */
function smd(ps: Map<string, Person>, x: (p: Person) => number): number {
  const s = [0, 0];
  const ss = [0, 0];
  const n = [0, 0];
  for (const p of ps.values()) {
    const a = p.peer ? 1 : 0;
    const v = x(p);
    s[a]! += v;
    ss[a]! += v * v;
    n[a]!++;
  }
  const m = [s[0]! / n[0]!, s[1]! / n[1]!];
  const v = [ss[0]! / n[0]! - m[0]! ** 2, ss[1]! / n[1]! - m[1]! ** 2];
  return (m[1]! - m[0]!) / Math.sqrt((v[0]! + v[1]!) / 2);
}

function oddsRatio(ps: Map<string, Person>, x: (p: Person) => boolean, setting?: string): number {
  const c = [0, 0, 0, 0];
  for (const p of ps.values())
    if (setting === undefined || p.setting === setting) c[(x(p) ? 2 : 0) + (p.peer ? 1 : 0)]!++;
  return (c[3]! * c[0]!) / (c[2]! * c[1]!);
}

describe("observational design: peer engagement is confounded", () => {
  const truth = obs.truth.derived!;

  it("the naive association of covariates with arm is strong (engagement model coefficients)", () => {
    // Engagement model: +0.6 log-odds for prior MOUD, +0.12 per prior-year ED visit (cap 8).
    expect(oddsRatio(obsPeople, (p) => p.priorMoudObserved)).toBeGreaterThan(1.4);
    expect(smd(obsPeople, (p) => p.preEd)).toBeGreaterThan(0.15);
    expect(Math.abs(smd(rctPeople, (p) => p.preEd))).toBeLessThan(0.06);
  });

  it("naive by-arm MOUD incidence matches the truth's factual quantities, which differ from the ATE", () => {
    for (const [arm, peer] of [
      ["PEER", true],
      ["COMPARISON", false],
    ] as const) {
      const c = cifAt(obsPeople, peer, 30);
      const expected = truth.moudInitiation.cumulativeIncidence.factual[arm]["30"]!;
      const se = Math.sqrt((expected * (1 - expected)) / c.n);
      expectClose(c.p, expected, { abs: 4 * se + 0.004 }, `${arm} factual CIF(30)`);
    }
    const f = truth.moudInitiation.riskDifferenceDay30;
    expect(f.factual).toBeGreaterThan(f.ate);
  });

  it("naive ED rate ratio ≈ truth's factual rate ratio", () => {
    const { rr, se } = rateRatio(obsPeople);
    const expected = obs.truth.derived!.edVisits.marginalRateRatio.factual.allDays;
    expectClose(Math.log(rr), Math.log(expected), { abs: 4 * se + 0.03 }, "log naive IRR");
  });
});
