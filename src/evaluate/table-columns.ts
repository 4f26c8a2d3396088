/**
 * Reading a table column without a copy: arquero's `table.array(name)` always copies through a
 * per-row callback (about 0.2 s for ten million values); an unfiltered, unordered table whose column
 * storage is a plain array or typed array is read in place. Callers must not modify what they get.
 */
import type { ColumnTable } from "arquero";

/** The column's values (read-only), or null when the table has no such column. */
export function columnValues<T>(table: ColumnTable | undefined, name: string): ArrayLike<T> | null {
  if (!table || table.columnIndex(name) < 0) return null;
  if (!table.isFiltered() && !table.isOrdered()) {
    const c = table.column(name) as unknown;
    if (Array.isArray(c) || ArrayBuffer.isView(c)) return c as ArrayLike<T>;
    // The loader's typed columns (src/dictionary/typed-columns.ts) convert in one tight loop.
    const toArray = (c as { toArray?: () => T[] } | null)?.toArray;
    if (typeof toArray === "function") return toArray.call(c);
  }
  return table.array(name) as unknown as ArrayLike<T>;
}
