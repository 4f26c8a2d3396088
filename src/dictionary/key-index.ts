/**
 * Accepted primary keys of one table: an open-addressing hash table of row indices (Int32Array,
 * FNV-1a string hash, linear probing) over the key strings. One probe both checks for a duplicate and
 * inserts; it is about twice as fast as a `Map` at a million keys and allocates nothing per key.
 */

/** FNV-1a hash of a string's UTF-16 code units. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Accepted keys of a table, their data rows, and a hash index over them. */
export class KeyIndex {
  /** Accepted-row index → key (the string instance later rows refer to). */
  readonly keys: string[] = [];
  /** Accepted-row index → data row number (1-based) in the file. */
  readonly rows: number[] = [];
  private slots = new Int32Array(1024).fill(-1);
  /** Accepted-row index → hash of its key: compared before the strings, and reused when growing. */
  private hashes = new Int32Array(512);

  /** Number of keys. */
  get size(): number {
    return this.keys.length;
  }

  /** Accepted-row index of a key, or -1. */
  find(key: string): number {
    const h = hashString(key);
    const slots = this.slots;
    const hashes = this.hashes;
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k = slots[i] as number;
      if (k < 0) return -1;
      if (hashes[k] === (h | 0) && this.keys[k] === key) return k;
    }
  }

  /**
   * Accepted-row index of the key equal to `text.slice(start, end)`, or -1, without creating that
   * substring (same hash as `find`).
   */
  findRange(text: string, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    const slots = this.slots;
    const hashes = this.hashes;
    const keys = this.keys;
    const mask = slots.length - 1;
    const len = end - start;
    for (let i = (h >>> 0) & mask; ; i = (i + 1) & mask) {
      const k = slots[i] as number;
      if (k < 0) return -1;
      if (hashes[k] !== h) continue;
      const key = keys[k] as string;
      if (key.length !== len) continue;
      let j = 0;
      while (j < len && key.charCodeAt(j) === text.charCodeAt(start + j)) j++;
      if (j === len) return k;
    }
  }

  /**
   * Adds a key unless present. Returns -1 when added (its index is then `size - 1`), or the index of
   * the existing key (nothing added).
   */
  insert(key: string, row: number): number {
    if (this.keys.length * 2 >= this.slots.length) this.grow();
    const h = hashString(key);
    const slots = this.slots;
    const hashes = this.hashes;
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k = slots[i] as number;
      if (k < 0) {
        const n = this.keys.length;
        slots[i] = n;
        hashes[n] = h;
        this.keys.push(key);
        this.rows.push(row);
        return -1;
      }
      if (hashes[k] === (h | 0) && this.keys[k] === key) return k;
    }
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const hashes = new Int32Array(slots.length / 2);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const mask = slots.length - 1;
    for (let k = 0; k < this.keys.length; k++) {
      let i = (hashes[k] as number) & mask;
      while ((slots[i] as number) >= 0) i = (i + 1) & mask;
      slots[i] = k;
    }
    this.slots = slots;
  }
}
