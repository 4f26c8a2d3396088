/** Typed errors thrown by the statistical core. Everything recoverable is a coded warning instead. */

/** Thrown when an estimator receives fewer usable observations than it needs. */
export class InsufficientDataError extends Error {
  override readonly name = "InsufficientDataError";
  constructor(
    readonly fn: string,
    readonly required: number,
    readonly received: number,
  ) {
    super(`${fn} requires at least ${required} observations (received ${received})`);
  }
}

/** Thrown when an input is malformed: lengths differ, NaN/Infinity where a number is required, bad option. */
export class InvalidInputError extends Error {
  override readonly name = "InvalidInputError";
  constructor(
    readonly fn: string,
    message: string,
  ) {
    super(`${fn}: ${message}`);
  }
}
