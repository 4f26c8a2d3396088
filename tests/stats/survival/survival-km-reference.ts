/**
 * Loader for tests/reference/survival-km/survival-km.json (written by make-survival-km.R;
 * R 4.2.2, survival 3.5-3, cmprsk). "NA" → null, "Inf" → Infinity.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { expectClose, type Tolerance } from "../../helpers/expect-close.js";
import { type Decoded, decode } from "./textbook.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const raw = JSON.parse(
  readFileSync(join(HERE, "../../reference/survival-km/survival-km.json"), "utf8"),
) as Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: decoded JSON of a known shape, read field by field in tests
export const REF = decode(raw) as any;

export const nums = (v: Decoded): number[] =>
  (v as (number | null)[]).map((x) => (x === null ? Number.NaN : x));

/** Element-wise comparison; expected NA/NaN/±Inf must be null in the output. Returns the max relative diff. */
export function cmpVec(
  actual: readonly (number | null)[],
  expected: readonly (number | null)[],
  tol: Tolerance,
  label: string,
): number {
  expect(actual.length, `${label} length`).toBe(expected.length);
  let maxRel = 0;
  expected.forEach((x, i) => {
    const want = x === null || !Number.isFinite(x) ? null : x;
    const a = actual[i] ?? null;
    expectClose(a, want, tol, `${label}[${i}]`);
    if (want !== null && a !== null && want !== 0)
      maxRel = Math.max(maxRel, Math.abs(a - want) / Math.abs(want));
  });
  return maxRel;
}

/** A vector that R may have written as a scalar when it had length 1. */
export const arr = (v: Decoded): (number | null)[] =>
  Array.isArray(v) ? (v as (number | null)[]) : [v as number | null];
