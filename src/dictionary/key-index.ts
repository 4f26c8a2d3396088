/**
 * Keys of one table (or the distinct values of a column), kept as UTF-8 bytes in one growing buffer,
 * with an open-addressing hash index over them (the hash stored beside each entry, linear probing).
 *
 * Two ways to fill it:
 * - `insert` / `insertBytes` check and add in one probe (small sets: codes, distinct texts);
 * - `appendBytes` only appends (no probe): a table's primary keys arrive in the millions, and a probe
 *   into a hash table of that size is a cache and TLB miss per row. `duplicates()` then finds repeated
 *   keys once, by sorting the stored hashes (sequential passes), and the hash index is built only if
 *   another table looks keys up (`findBytes` builds it on first use).
 * Keys are looked up either as strings or as a byte range of an input buffer, with the same result.
 */
import { KeyColumn } from "./typed-columns.js";

const EMPTY = -1;
const MIN_SLOTS = 1024;

/**
 * FNV-1a over the bytes, then MurmurHash3's 32-bit finaliser (FNV's low bits alone, which pick the
 * slot, would cluster similar ids).
 */
function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  return finishHash(h);
}

/** MurmurHash3's finaliser applied to an FNV-1a state. */
function finishHash(fnv: number): number {
  let h = fnv ^ (fnv >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The FNV-1a state a caller hashing bytes itself starts from (see `appendHashed`). */
export const FNV_START = 0x811c9dc5;

/** A repeated key: key `index` equals the earlier key `first`. */
export interface DuplicateKey {
  readonly index: number;
  readonly first: number;
}

/** A key index as data `postMessage` can copy (its keys, their hashes). */
export interface KeyIndexParts {
  readonly n: number;
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
  readonly hashes: Int32Array;
  readonly ascii: boolean;
}

/** Keys and a hash index over them. */
export class KeyIndex {
  private n = 0;
  /** Key bytes: key k is `bytes[offsets[k] .. offsets[k+1])`. */
  private bytes: Buffer = Buffer.allocUnsafeSlow(4096);
  private offsets: Uint32Array = new Uint32Array(1025);
  /** Hash of each key. */
  private hashes: Int32Array = new Int32Array(1024);
  /** Pairs (key index or −1, hash) per slot, or null while not built. */
  private slots: Int32Array | null = new Int32Array(2 * MIN_SLOTS).fill(EMPTY);
  private mask = MIN_SLOTS - 1;
  private ascii = true;
  private released = false;
  private column: KeyColumn | null = null;

  /** Number of keys. */
  get size(): number {
    return this.n;
  }

  /** Prepares room for `count` keys in total. */
  reserve(count: number, bytesPerKey = 16): void {
    if (count > this.hashes.length) this.growKeys(count);
    const need = count * bytesPerKey;
    if (need > this.bytes.length) this.growBytes(need);
  }

  /** Key index of `buf[start, end)` (UTF-8 bytes), or −1. */
  findBytes(buf: Uint8Array, start: number, end: number): number {
    const slots = this.slots ?? this.buildIndex();
    const hash = hashBytes(buf, start, end);
    const mask = this.mask;
    for (let i = (hash >>> 0) & mask; ; i = (i + 1) & mask) {
      const k = slots[2 * i] as number;
      if (k === EMPTY) return -1;
      if (slots[2 * i + 1] === hash && this.equalsBytes(k, buf, start, end)) return k;
    }
  }

  /**
   * Adds the key `buf[start, end)` unless present. Returns −1 when added (its index is then
   * `size − 1`), or the index of the existing key (nothing added).
   */
  insertBytes(buf: Uint8Array, start: number, end: number): number {
    const slots = this.slots ?? this.buildIndex();
    const hash = hashBytes(buf, start, end);
    const mask = this.mask;
    let i = (hash >>> 0) & mask;
    for (;;) {
      const k = slots[2 * i] as number;
      if (k === EMPTY) break;
      if (slots[2 * i + 1] === hash && this.equalsBytes(k, buf, start, end)) return k;
      i = (i + 1) & mask;
    }
    slots[2 * i] = this.n;
    slots[2 * i + 1] = hash;
    this.push(buf, start, end, hash);
    if (2 * this.n > this.mask + 1) this.rehash(2 * (this.mask + 1));
    return -1;
  }

  /**
   * Appends the key `buf[start, end)` without checking it (its index is `size − 1`); the hash index
   * is dropped and rebuilt on the next lookup. Find repeats with `duplicates()`.
   */
  appendBytes(buf: Uint8Array, start: number, end: number): void {
    if (this.slots !== null) this.slots = null;
    this.push(buf, start, end, hashBytes(buf, start, end));
  }

  /**
   * `appendBytes` for a caller that already ran FNV-1a over the bytes (from `FNV_START`, multiplying by
   * 0x01000193 after xoring each byte), e.g. while scanning for the field's end.
   */
  appendHashed(buf: Uint8Array, start: number, end: number, fnv: number): void {
    if (this.slots !== null) this.slots = null;
    this.push(buf, start, end, finishHash(fnv));
  }

  /** Key index of a key, or −1. */
  find(key: string): number {
    const b = Buffer.from(key, "utf8");
    return this.findBytes(b, 0, b.length);
  }

  /** Adds a key unless present: −1 when added, else the index of the existing key. */
  insert(key: string): number {
    const b = Buffer.from(key, "utf8");
    return this.insertBytes(b, 0, b.length);
  }

  /** Appends a key without checking it (see `appendBytes`). */
  append(key: string): void {
    const b = Buffer.from(key, "utf8");
    this.appendBytes(b, 0, b.length);
  }

  /** The key at an index, as a string. */
  keyAt(k: number): string {
    if (this.column !== null) return this.column.cached(k);
    const a = this.offsets[k] as number;
    const b = this.offsets[k + 1] as number;
    return this.ascii ? this.bytes.toString("latin1", a, b) : this.bytes.toString("utf8", a, b);
  }

  /** True when `buf[start, end)` equals key k's bytes. */
  equalsBytes(k: number, buf: Uint8Array, start: number, end: number): boolean {
    const a = this.offsets[k] as number;
    const len = end - start;
    if ((this.offsets[k + 1] as number) - a !== len) return false;
    const bytes = this.bytes;
    for (let j = 0; j < len; j++) if (bytes[a + j] !== buf[start + j]) return false;
    return true;
  }

  /**
   * Every key equal to an earlier key, in index order, with the index of the first occurrence. Runs
   * a stable radix sort of the hashes (two 16-bit passes) and compares bytes only within equal hashes.
   */
  duplicates(): DuplicateKey[] {
    const n = this.n;
    const hashes = this.hashes;
    // Partition (hash, index) pairs by the hash's top bits (one stable scatter pass), then find equal
    // keys bucket by bucket with a small hash table that stays in cache.
    let bits = 0;
    while (bits < 16 && n >> bits > 2048) bits++;
    const shift = 32 - bits;
    const nBuckets = 1 << bits;
    const start = new Int32Array(nBuckets + 1);
    if (bits > 0) {
      for (let i = 0; i < n; i++) {
        const b = ((hashes[i] as number) >>> shift) + 1;
        start[b] = (start[b] as number) + 1;
      }
      for (let b = 0; b < nBuckets; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number);
    } else start[1] = n;
    const ph = new Int32Array(n);
    const pi = new Int32Array(n);
    const cursor = start.slice(0, nBuckets);
    for (let i = 0; i < n; i++) {
      const h = hashes[i] as number;
      const b = bits > 0 ? h >>> shift : 0;
      const at = cursor[b] as number;
      ph[at] = h;
      pi[at] = i;
      cursor[b] = at + 1;
    }
    let largest = 0;
    for (let b = 0; b < nBuckets; b++)
      largest = Math.max(largest, (start[b + 1] as number) - (start[b] as number));
    let size = 16;
    while (size < 2 * largest) size *= 2;
    const table = new Int32Array(size);
    const out: DuplicateKey[] = [];
    for (let b = 0; b < nBuckets; b++) {
      const lo = start[b] as number;
      const hi = start[b + 1] as number;
      if (hi - lo < 2) continue;
      let m = 16;
      while (m < 2 * (hi - lo)) m *= 2;
      const mask = m - 1;
      table.fill(-1, 0, m);
      for (let x = lo; x < hi; x++) {
        const h = ph[x] as number;
        const k = pi[x] as number;
        let s = h & mask;
        for (;;) {
          const y = table[s] as number;
          if (y < 0) {
            table[s] = x;
            break;
          }
          if (ph[y] === h) {
            const f = pi[y] as number;
            if (this.equalsBytes(f, this.bytes, this.offsets[k] as number, this.offsets[k + 1] as number)) {
              // Entries arrive in index order, so the key in the table is the first occurrence.
              out.push({ index: k, first: f });
              break;
            }
          }
          s = (s + 1) & mask;
        }
      }
    }
    return out.sort((p, q) => p.index - q.index);
  }

  /** Removes the keys at the given indices (ascending); later keys move down. */
  remove(indices: Int32Array): void {
    if (indices.length === 0) return;
    const offsets = this.offsets;
    const bytes = this.bytes;
    let w = 0;
    let at = 0;
    let r = 0;
    for (let k = 0; k < this.n; k++) {
      if (r < indices.length && indices[r] === k) {
        r++;
        continue;
      }
      const a = offsets[k] as number;
      const b = offsets[k + 1] as number;
      bytes.copy(bytes, at, a, b);
      this.hashes[w] = this.hashes[k] as number;
      offsets[w] = at;
      at += b - a;
      w++;
    }
    offsets[w] = at;
    this.n = w;
    this.slots = null;
    this.column = null;
  }

  /**
   * The keys as a column (trimmed storage shared with this index). Call once all keys are in; later
   * changes are not seen by the column.
   */
  keyColumn(): KeyColumn {
    if (this.column === null) {
      const used = this.offsets[this.n] as number;
      if (this.bytes.length > used * 1.02 + 4096) {
        const trimmed = Buffer.allocUnsafeSlow(used);
        this.bytes.copy(trimmed, 0, 0, used);
        this.bytes = trimmed;
      }
      if (this.offsets.length > (this.n + 1) * 1.02 + 1024) this.offsets = this.offsets.slice(0, this.n + 1);
      this.column = new KeyColumn(this.bytes, this.offsets, this.n, this.ascii);
    }
    return this.column;
  }

  /** The keys as data (copies of the used storage; the hash index is rebuilt by `fromParts`). */
  toParts(): KeyIndexParts {
    const used = this.offsets[this.n] as number;
    return {
      n: this.n,
      bytes: Uint8Array.from(this.bytes.subarray(0, used)),
      offsets: this.offsets.slice(0, this.n + 1),
      hashes: this.hashes.slice(0, this.n),
      ascii: this.ascii,
    };
  }

  /** A key index from `toParts` data. */
  static fromParts(parts: KeyIndexParts): KeyIndex {
    const k = new KeyIndex();
    k.n = parts.n;
    k.bytes = Buffer.from(parts.bytes.buffer, parts.bytes.byteOffset, parts.bytes.byteLength);
    k.offsets = parts.offsets;
    k.hashes = parts.hashes;
    k.ascii = parts.ascii;
    k.slots = null;
    return k;
  }

  /** Frees the hash index and hashes (lookups are no longer possible; `keyAt` still works). */
  release(): void {
    this.released = true;
    this.slots = null;
    this.hashes = new Int32Array(0);
  }

  private push(buf: Uint8Array, start: number, end: number, hash: number): void {
    const n = this.n;
    if (n >= this.hashes.length) this.growKeys(Math.max(1024, Math.ceil(this.hashes.length * 1.5)));
    const len = end - start;
    const at = this.offsets[n] as number;
    if (at + len > this.bytes.length) this.growBytes(at + len);
    const target = this.bytes;
    let high = 0;
    for (let j = 0; j < len; j++) {
      const c = buf[start + j] as number;
      target[at + j] = c;
      high |= c;
    }
    if (high > 127) this.ascii = false;
    this.offsets[n + 1] = at + len;
    this.hashes[n] = hash;
    this.n = n + 1;
  }

  private growKeys(capacity: number): void {
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes.subarray(0, this.n));
    this.hashes = hashes;
    const offsets = new Uint32Array(capacity + 1);
    offsets.set(this.offsets.subarray(0, this.n + 1));
    this.offsets = offsets;
  }

  private growBytes(need: number): void {
    let cap = Math.max(4096, this.bytes.length);
    while (cap < need) cap = Math.ceil(cap * 1.5);
    if (cap > 0xffffffff) throw new RangeError("KeyIndex: more than 4 GiB of key bytes");
    const grown = Buffer.allocUnsafeSlow(cap);
    this.bytes.copy(grown, 0, 0, this.offsets[this.n] as number);
    this.bytes = grown;
  }

  /** Builds the hash index over every key (first occurrence wins for repeated keys). */
  private buildIndex(): Int32Array {
    if (this.released) throw new Error("KeyIndex: lookup after release()");
    let size = MIN_SLOTS;
    while (size < 2 * (this.n + 1)) size *= 2;
    const slots = new Int32Array(2 * size).fill(EMPTY);
    const mask = size - 1;
    for (let k = 0; k < this.n; k++) {
      const h = this.hashes[k] as number;
      let i = (h >>> 0) & mask;
      while (slots[2 * i] !== EMPTY) i = (i + 1) & mask;
      slots[2 * i] = k;
      slots[2 * i + 1] = h;
    }
    this.slots = slots;
    this.mask = mask;
    return slots;
  }

  private rehash(nSlots: number): void {
    const old = this.slots as Int32Array;
    const slots = new Int32Array(2 * nSlots).fill(EMPTY);
    const mask = nSlots - 1;
    for (let s = 0; s < old.length; s += 2) {
      const k = old[s] as number;
      if (k === EMPTY) continue;
      const h = old[s + 1] as number;
      let i = (h >>> 0) & mask;
      while (slots[2 * i] !== EMPTY) i = (i + 1) & mask;
      slots[2 * i] = k;
      slots[2 * i + 1] = h;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
