/**
 * The shape every measure returns, and the small converters from typed sweep buffers to the unit
 * table's nullable columns (missing = null, never NaN or a sentinel).
 */
import { type ColumnTable, table } from "arquero";
import type { Warning } from "../../messages.js";
import { freezeResult } from "../../stats/result.js";
import { NULL_DAY as NULL_DAY_IMPORTED } from "./columns.js";
import type { MeasureDefinition } from "./definition.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

/**
 * A measure's output: its definition (for the manifest), one unit-table row per unit of analysis with
 * the value(s) and a trace (`in_denominator`, `reason` from the definition's closed set of reason codes),
 * a frozen summary overall and by arm, and coded warnings.
 */
export interface MeasureResult<P, S> {
  readonly definition: MeasureDefinition<P>;
  readonly units: ColumnTable;
  readonly summary: S;
  readonly warnings: readonly Warning[];
}

/** Builds the frozen result object (the unit table itself is an immutable arquero table). */
export function makeResult<P, S>(
  definition: MeasureDefinition<P>,
  units: ColumnTable,
  summary: S,
  warnings: readonly Warning[],
): MeasureResult<P, S> {
  const frozenSummary = freezeResult(summary);
  return Object.freeze({ definition, units, summary: frozenSummary, warnings: Object.freeze([...warnings]) });
}

/** Int8 tri-state (1 / 0 / −1) → boolean | null. */
export function boolColumn(a: ArrayLike<number>): (boolean | null)[] {
  const out = new Array<boolean | null>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] === 1 ? true : a[i] === 0 ? false : null;
  return out;
}

/** Int32 with NULL_DAY → number | null. */
export function intColumn(a: ArrayLike<number>): (number | null)[] {
  const out = new Array<number | null>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] === NULL_DAY ? null : a[i]!;
  return out;
}

/** Float64 with NaN → number | null. */
export function numColumn(a: ArrayLike<number>): (number | null)[] {
  const out = new Array<number | null>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number.isNaN(a[i]!) ? null : a[i]!;
  return out;
}

/** Person ids of units from their interned integers. */
export function personIdColumn(unitPerson: ArrayLike<number>, ids: readonly string[]): string[] {
  const out = new Array<string>(unitPerson.length);
  for (let i = 0; i < unitPerson.length; i++) out[i] = ids[unitPerson[i]!]!;
  return out;
}

/** Codes (indices into `codes`) → strings. */
export function codeColumn(a: ArrayLike<number>, codes: readonly string[]): (string | null)[] {
  const out = new Array<string | null>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! >= 0 ? codes[a[i]!]! : null;
  return out;
}

/** Wraps named columns into an arquero table. */
export function unitsTable(columns: Record<string, ArrayLike<unknown>>): ColumnTable {
  return table(columns);
}

/** Count of units per reason code (closed set, zero counts kept so tables line up across arms). */
export function reasonCounts(reason: ArrayLike<number>, codes: readonly string[]): Record<string, number> {
  const counts = new Array<number>(codes.length).fill(0);
  for (let i = 0; i < reason.length; i++) counts[reason[i]!]!++;
  const out: Record<string, number> = {};
  codes.forEach((c, k) => {
    out[c] = counts[k]!;
  });
  return out;
}
