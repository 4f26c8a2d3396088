/**
 * Shared by the factor-input tests of propensityScore and the designs: confounded data with code
 * covariates, hand-written dummies (independent of the library's expansion) and a deep comparison.
 */
import { expect } from "vitest";
import type { DesignColumn, FactorColumn } from "../../src/stats/regression/index.js";
import { drawLevel } from "../helpers/draw-level.js";
import { uniform } from "./synthetic.js";

export interface FactorData {
  readonly n: number;
  readonly id: string[];
  readonly treat: Uint8Array;
  readonly numeric: DesignColumn[];
  readonly factors: FactorColumn[];
  readonly y: Float64Array;
  readonly yBinary: Float64Array;
}

/**
 * Two numeric covariates and three code covariates (site: 5 levels, most frequent not the reference;
 * race: 4 levels; payer: 3 levels with reference 2) that drive both treatment and outcomes.
 */
export function factorData(n: number, seed: number): FactorData {
  const u = uniform(seed);
  const age = new Float64Array(n);
  const score = new Float64Array(n);
  const site = new Int32Array(n);
  const race = new Int32Array(n);
  const payer = new Int32Array(n);
  const treat = new Uint8Array(n);
  const y = new Float64Array(n);
  const yBinary = new Float64Array(n);
  const id: string[] = [];
  const bSite = [0, 0.5, -0.3, 0.2, 0.8];
  const bRace = [0, -0.4, 0.3, 0.1];
  const bPayer = [0.3, -0.2, 0];
  for (let i = 0; i < n; i++) {
    age[i] = 20 + Math.floor(50 * u());
    score[i] = 2 * u() - 1;
    site[i] = drawLevel(u, [0.1, 0.15, 0.5, 0.15, 0.1]);
    race[i] = drawLevel(u, [0.45, 0.3, 0.15, 0.1]);
    payer[i] = drawLevel(u, [0.3, 0.2, 0.5]);
    const eta =
      -0.5 +
      0.02 * (age[i]! - 45) +
      0.8 * score[i]! +
      bSite[site[i]!]! +
      bRace[race[i]!]! +
      bPayer[payer[i]!]!;
    treat[i] = u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    y[i] = 1 + 2 * treat[i]! + 2 * score[i]! + bSite[site[i]!]! * 2 + (u() - 0.5) * 2;
    yBinary[i] = u() < 0.2 + 0.1 * treat[i]! + 0.1 * (site[i] === 4 ? 1 : 0) + 0.05 * score[i]! ? 1 : 0;
    id.push(`u${String(i).padStart(6, "0")}`);
  }
  const f = (name: string, codes: Int32Array, nLevels: number, reference: number): FactorColumn => ({
    codes,
    nLevels,
    reference,
    names: Array.from({ length: nLevels }, (_, l) => `${name}${l}`),
    name,
  });
  return {
    n,
    id,
    treat,
    numeric: [
      { name: "age", values: age },
      { name: "score", values: score },
    ],
    factors: [f("site", site, 5, 0), f("race", race, 4, 0), f("payer", payer, 3, 2)],
    y,
    yBinary,
  };
}

/** One 0/1 column per non-reference level, NaN for a missing code (written out independently). */
export function handDummies(factors: readonly FactorColumn[]): DesignColumn[] {
  const out: DesignColumn[] = [];
  for (const f of factors) {
    for (let l = 0; l < f.nLevels; l++) {
      if (l === f.reference) continue;
      out.push({
        name: f.names[l]!,
        values: Float64Array.from(f.codes, (c) => (c === -1 ? Number.NaN : c === l ? 1 : 0)),
      });
    }
  }
  return out;
}

/**
 * Deep comparison: numbers within max(abs, rel·|b|) (NaN = NaN), typed arrays elementwise, other
 * values equal; reports the path of the first difference.
 */
export function expectDeepClose(a: unknown, b: unknown, tol: { rel: number; abs: number }, path = "$"): void {
  if (typeof b === "number") {
    expect(typeof a, path).toBe("number");
    const x = a as number;
    if (Number.isNaN(b)) {
      expect(x, path).toBeNaN();
      return;
    }
    if (!Number.isFinite(b)) {
      expect(x, path).toBe(b);
      return;
    }
    const bound = Math.max(tol.abs, tol.rel * Math.abs(b));
    if (!(Math.abs(x - b) <= bound)) expect.fail(`${path}: ${x} differs from ${b} (allowed ${bound})`);
    return;
  }
  if (ArrayBuffer.isView(b)) {
    const xa = a as ArrayLike<number>;
    const xb = b as unknown as ArrayLike<number>;
    expect(xa.length, `${path}.length`).toBe(xb.length);
    for (let i = 0; i < xb.length; i++) expectDeepClose(xa[i], xb[i], tol, `${path}[${i}]`);
    return;
  }
  if (Array.isArray(b)) {
    expect(Array.isArray(a), path).toBe(true);
    const xa = a as unknown[];
    expect(xa.length, `${path}.length`).toBe(b.length);
    for (let i = 0; i < b.length; i++) expectDeepClose(xa[i], b[i], tol, `${path}[${i}]`);
    return;
  }
  if (b !== null && typeof b === "object") {
    expect(a !== null && typeof a === "object", path).toBe(true);
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b).sort();
    expect(ka, `${path} keys`).toEqual(kb);
    for (const k of kb) {
      expectDeepClose(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        tol,
        `${path}.${k}`,
      );
    }
    return;
  }
  expect(a, path).toEqual(b);
}
