import { InvalidInputError } from "../errors.js";

/** Internal: throws unless `value` is a finite, non-negative integer count. */
export function requireCount(fn: string, name: string, value: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new InvalidInputError(
      fn,
      `${name} must be a non-negative integer count (received ${String(value)})`,
    );
  }
}

/** Internal: throws unless 0 < confLevel < 1. */
export function requireConfLevel(fn: string, confLevel: number): void {
  if (typeof confLevel !== "number" || !(confLevel > 0 && confLevel < 1)) {
    throw new InvalidInputError(
      fn,
      `confLevel must be strictly between 0 and 1 (received ${String(confLevel)})`,
    );
  }
}
