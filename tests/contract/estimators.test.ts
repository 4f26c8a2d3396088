/**
 * Contract test over every estimator in the statistical core (tests/contract/registry.ts) and the
 * distribution functions. See the registry's header for the checks.
 */
import { describe, expect, it } from "vitest";
import { expectClose } from "../helpers/expect-close.js";
import { estimatesIn, nonFiniteNumbers, unfrozenPaths } from "./deep.js";
import { DISTRIBUTIONS, ESTIMATORS, SURVIVAL_AND_REGRESSION } from "./registry.js";

/** Deep-freezes plain objects and arrays (typed arrays cannot be frozen; they are checked by copy). */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

/** Deep copy that keeps typed arrays as typed arrays and NaN as NaN. */
function deepCopy<T>(value: T): T {
  return structuredClone(value);
}

/** Paths where two results differ: numbers by more than `rel` (relative), anything else at all. */
function differences(a: unknown, b: unknown, rel: number, path = "$"): string[] {
  if (typeof a === "number" && typeof b === "number") {
    if (Object.is(a, b)) return [];
    const bound = rel * Math.max(Math.abs(a), Math.abs(b));
    return Math.abs(a - b) <= bound ? [] : [`${path}: ${a} vs ${b}`];
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    return Object.is(a, b) ? [] : [`${path}: ${String(a)} vs ${String(b)}`];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const key of keys) {
    out.push(
      ...differences(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        rel,
        `${path}.${key}`,
      ),
    );
  }
  return out;
}

const ALL = [...ESTIMATORS, ...SURVIVAL_AND_REGRESSION];

describe("estimator contract", () => {
  it("the registry names are unique", () => {
    const names = ALL.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
  });

  for (const e of ALL) {
    describe(e.name, () => {
      it("CI contains the estimate", () => {
        const found = estimatesIn(e.run(e.input()));
        for (const est of found) {
          if (est.estimate === null) continue;
          if (est.lower !== null) expect(est.lower, `${est.path} lower`).toBeLessThanOrEqual(est.estimate);
          if (est.upper !== null) expect(est.upper, `${est.path} upper`).toBeGreaterThanOrEqual(est.estimate);
        }
      });

      it("reports n and uses the default level 0.95", () => {
        const result = e.run(e.input());
        if (!Array.isArray(result)) {
          const n = (result as { n?: unknown }).n;
          expect(Number.isInteger(n) && (n as number) >= 0, "top-level n is a count").toBe(true);
        }
        for (const est of estimatesIn(result)) expect(est.level, `${est.path} level`).toBe(0.95);
      });

      it("does not mutate its input", () => {
        const frozen = deepFreeze(e.input());
        const before = deepCopy(frozen);
        const a = e.run(frozen); // throws in strict mode if it writes to a frozen input
        expect(frozen).toStrictEqual(before);
        const open = e.input();
        const snapshot = deepCopy(open);
        const b = e.run(open);
        expect(open).toStrictEqual(snapshot);
        expect(differences(a, b, 0)).toEqual([]);
      });

      it("returns a deep-frozen result", () => {
        expect(unfrozenPaths(e.run(e.input()))).toEqual([]);
      });

      it("is JSON-serialisable without NaN or Infinity", () => {
        const result = e.run(e.input());
        expect(nonFiniteNumbers(result)).toEqual([]);
        expect(JSON.parse(JSON.stringify(result))).toStrictEqual(stripUndefined(result));
      });

      if (e.shuffle) {
        const shuffle = e.shuffle;
        const title = e.knownShuffleFailure
          ? `does not depend on row order (KNOWN FAILURE: ${e.knownShuffleFailure})`
          : "does not depend on row order";
        (e.knownShuffleFailure ? it.fails : it)(title, () => {
          const base = e.run(e.input());
          for (const seed of [1, 2, 3]) {
            const shuffled = e.run(shuffle(e.input(), seed));
            expect(differences(base, shuffled, e.shuffleTolerance ?? 1e-12), `seed ${seed}`).toEqual([]);
          }
        });
      }
    });
  }
});

/** Plain-data copy without undefined-valued properties (JSON drops them). */
function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = stripUndefined(v);
  return out;
}

describe("distribution contract", () => {
  for (const d of DISTRIBUTIONS) {
    it(`${d.name}: CDF in [0, 1], non-decreasing; CDF + upper tail = 1; quantile inverts the CDF`, () => {
      for (const params of d.params) {
        let previous = 0;
        for (const x of [...d.xs].sort((a, b) => a - b)) {
          const p = d.cdf(x, ...params);
          const label = `${d.name}(${params.join(", ")}) at ${x}`;
          expect(Number.isFinite(p), label).toBe(true);
          expect(p, label).toBeGreaterThanOrEqual(0);
          expect(p, label).toBeLessThanOrEqual(1);
          expect(p, `${label} monotone`).toBeGreaterThanOrEqual(previous);
          previous = p;
          if (d.upperTail)
            expectClose(p + d.upperTail(x, ...params), 1, { abs: 1e-14 }, `${label} cdf + tail`);
          if (d.quantile && p > 1e-12 && p < 1 - 1e-12) {
            const q = d.quantile(p, ...params);
            if (d.discrete) expect(q, `${label} quantile`).toBe(x);
            else expectClose(q, x, { rel: 1e-9, abs: 1e-12 }, `${label} quantile(cdf)`);
          }
        }
      }
    });
  }
});
