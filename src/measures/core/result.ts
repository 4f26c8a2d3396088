/**
 * The shape every measure returns, and the small converters from typed sweep buffers to the unit
 * table's nullable columns (missing = null, never NaN or a sentinel).
 */
import { type ColumnTable, table } from "arquero";
import { BoolColumn, DictColumn, IntColumn, NumColumn } from "../../dictionary/typed-columns.js";
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

/*
 * The unit table's columns keep typed storage (src/dictionary/typed-columns.ts): arquero reads them
 * through `at(row)`, which gives null for a missing value, so `table.array(name)`, `objects()` and every
 * verb see what plain nullable arrays would give, while a million-unit column costs 1 to 8 bytes per
 * value and no heap object per number. Each converter copies its input (measures reuse sweep buffers).
 */

/** Int8 tri-state (1 / 0 / −1) → boolean | null. */
export function boolColumn(a: ArrayLike<number>): BoolColumn {
  const out = new Int8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] === 1 ? 1 : a[i] === 0 ? 0 : -1;
  return new BoolColumn(out, a.length);
}

/** Int32 with NULL_DAY → number | null (Int32 storage; Float64 with NaN when a value is not an int32). */
export function intColumn(a: ArrayLike<number>): IntColumn {
  if (a instanceof Int32Array) return new IntColumn(a.slice(), a.length);
  let int32 = true;
  for (let i = 0; i < a.length && int32; i++) if ((a[i]! | 0) !== a[i]) int32 = false;
  if (int32) return new IntColumn(Int32Array.from(a), a.length);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    out[i] = v === NULL_DAY || v == null ? Number.NaN : v;
  }
  return new IntColumn(out, a.length);
}

/** Float64 with NaN → number | null. */
export function numColumn(a: ArrayLike<number>): NumColumn {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    out[i] = v == null ? Number.NaN : v;
  }
  return new NumColumn(out, a.length);
}

/**
 * Person ids of units from their interned integers: a dictionary column over the person index's ids
 * (`column.index[i]` is unit i's person integer, `column.values` the ids), so no string is copied.
 */
export function personIdColumn(unitPerson: ArrayLike<number>, ids: readonly string[]): DictColumn<string> {
  return new DictColumn(Int32Array.from(unitPerson), ids, unitPerson.length);
}

/** Codes (indices into `codes`, −1 = null) → strings. */
export function codeColumn(a: ArrayLike<number>, codes: readonly string[]): DictColumn<string> {
  const out = codes.length <= 127 ? new Int8Array(a.length) : new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! >= 0 ? a[i]! : -1;
  return new DictColumn(out, codes, a.length);
}

/** A unit-table column: a plain or typed array, or one of the typed-storage columns above. */
export type UnitColumn = ArrayLike<unknown> | BoolColumn | IntColumn | NumColumn | DictColumn<unknown>;

/** Wraps named columns into an arquero table. */
export function unitsTable(columns: Record<string, UnitColumn>): ColumnTable {
  return table(columns as Record<string, ArrayLike<unknown>>);
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
