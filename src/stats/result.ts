/**
 * Result conventions shared by every estimator (DESIGN.md "Results").
 * Every estimator returns a plain, frozen, JSON-serialisable object — never a bare number.
 */
import type { Warning } from "../messages.js";

/** A confidence interval: bounds on the estimate's scale and its coverage level (e.g. 0.95). */
export interface ConfidenceInterval {
  readonly lower: number | null;
  readonly upper: number | null;
  readonly level: number;
}

/** A point estimate with its uncertainty. `null` means "not evaluable" (never a silent NaN). */
export interface Estimate {
  readonly estimate: number | null;
  readonly se: number | null;
  readonly ci: ConfidenceInterval;
  readonly n: number;
  readonly nExcluded: number;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

/** A hypothesis test result. */
export interface TestResult {
  readonly statistic: number | null;
  readonly df: number | null;
  readonly pValue: number | null;
  readonly n: number;
  readonly nExcluded: number;
  readonly method: string;
  readonly alternative?: "two-sided" | "less" | "greater";
  readonly nullDistribution?: string;
  readonly warnings: readonly Warning[];
}

/** Deep-freezes a plain result object (arrays and typed arrays are copied to plain frozen arrays first). */
export function freezeResult<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value as object)) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== null && typeof child === "object" && !Object.isFrozen(child)) freezeResult(child);
  }
  return value;
}

/** Builds a frozen Estimate; `warnings` defaults to none and `nExcluded` to 0. */
export function makeEstimate(parts: {
  estimate: number | null;
  se: number | null;
  ci: ConfidenceInterval;
  n: number;
  nExcluded?: number;
  method: string;
  warnings?: readonly Warning[];
}): Estimate {
  return freezeResult({
    estimate: parts.estimate,
    se: parts.se,
    ci: { ...parts.ci },
    n: parts.n,
    nExcluded: parts.nExcluded ?? 0,
    method: parts.method,
    warnings: [...(parts.warnings ?? [])],
  });
}
