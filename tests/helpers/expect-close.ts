import { expect } from "vitest";

/** Tolerance: pass when |actual − expected| ≤ max(abs, rel·|expected|). */
export interface Tolerance {
  readonly rel?: number;
  readonly abs?: number;
}

/** Asserts a number (or null) is within tolerance of the expected value; names the quantity on failure. */
export function expectClose(
  actual: number | null | undefined,
  expected: number | null,
  tol: Tolerance,
  label = "value",
): void {
  if (expected === null || Number.isNaN(expected)) {
    expect(actual ?? null, `${label}: expected not evaluable`).toBeNull();
    return;
  }
  if (!Number.isFinite(expected)) {
    expect(actual, label).toBe(expected);
    return;
  }
  expect(typeof actual, `${label}: expected a number`).toBe("number");
  const a = actual as number;
  const bound = Math.max(tol.abs ?? 0, (tol.rel ?? 0) * Math.abs(expected));
  const diff = Math.abs(a - expected);
  if (!(diff <= bound)) {
    expect.fail(`${label}: ${a} differs from ${expected} by ${diff} (allowed ${bound})`);
  }
}

/** Elementwise expectClose over arrays of equal length. */
export function expectAllClose(
  actual: ArrayLike<number | null>,
  expected: ArrayLike<number | null>,
  tol: Tolerance,
  label = "array",
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expectClose(actual[i] ?? null, expected[i] ?? null, tol, `${label}[${i}]`);
  }
}
