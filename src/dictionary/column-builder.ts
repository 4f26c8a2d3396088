/**
 * Growable column storage for the loader: an Int32Array for required dates (day numbers), a plain
 * array (values or null) for everything else. Columns are handed to `aq.table` once at the end.
 */
import type { ColumnValue } from "./convert-column.js";

/** Accumulates one column's accepted values. */
export interface ColumnBuilder {
  push(value: ColumnValue): void;
  /** The finished column (no copy for plain arrays; a trimmed copy for typed arrays). */
  build(): Int32Array | ColumnValue[];
}

class Int32ColumnBuilder implements ColumnBuilder {
  private data = new Int32Array(1024);
  private n = 0;

  push(value: ColumnValue): void {
    if (this.n === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.n++] = value as number;
  }

  build(): Int32Array {
    return this.data.slice(0, this.n);
  }
}

class ArrayColumnBuilder implements ColumnBuilder {
  private readonly data: ColumnValue[] = [];

  push(value: ColumnValue): void {
    this.data.push(value);
  }

  build(): ColumnValue[] {
    return this.data;
  }
}

/** Storage of a column: Int32Array for a required date, a plain array otherwise. */
export function createColumnBuilder(kind: string, required: boolean): ColumnBuilder {
  return kind === "date" && required ? new Int32ColumnBuilder() : new ArrayColumnBuilder();
}
