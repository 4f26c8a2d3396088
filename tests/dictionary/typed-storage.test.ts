/**
 * The loader's compact storage: byte-keyed key index (lookups by string and by byte range agree,
 * repeated keys found after the fact with their first occurrence), dictionary and integer stores that
 * widen their storage without losing values or nulls, and the column classes seen through arquero.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as aq from "arquero";
import { describe, expect, it } from "vitest";
import { DictStore, IntStore, NumStore, removeSlots } from "../../src/dictionary/column-builder.js";
import { KeyIndex } from "../../src/dictionary/key-index.js";
import {
  BoolColumn,
  DictColumn,
  IntColumn,
  KeyColumn,
  NumColumn,
  RefColumn,
} from "../../src/dictionary/typed-columns.js";
import { ChecksumWorker, sha256File } from "../../src/io/checksum.js";

describe("KeyIndex", () => {
  it("finds keys by string and by byte range alike, ASCII or not", () => {
    const k = new KeyIndex();
    const keys = ["P1", "P2", "é-ü", "", "P10", "a\u001fb"];
    for (const key of keys) expect(k.insert(key)).toBe(-1);
    for (const [i, key] of keys.entries()) {
      expect(k.insert(key)).toBe(i);
      expect(k.find(key)).toBe(i);
      const b = Buffer.from(`xx${key}yy`, "utf8");
      expect(k.findBytes(b, 2, b.length - 2)).toBe(i);
      expect(k.keyAt(i)).toBe(key);
    }
    expect(k.find("P3")).toBe(-1);
    expect(k.keyColumn().toArray()).toEqual(keys);
  });

  it("keeps every key through many rehashes", () => {
    const k = new KeyIndex();
    for (let i = 0; i < 50_000; i++) k.insert(`K${i}`);
    expect(k.size).toBe(50_000);
    for (let i = 0; i < 50_000; i += 997) expect(k.find(`K${i}`)).toBe(i);
    expect(k.find("K50000")).toBe(-1);
  });

  it("finds repeated appended keys after the fact, naming the first occurrence, and removes them", () => {
    const k = new KeyIndex();
    const keys: string[] = [];
    for (let i = 0; i < 20_000; i++) keys.push(`E${i % 7 === 3 ? i - 3 : i}`); // every 7th repeats
    keys.push("E0", "E0", "ü", "ü");
    for (const key of keys) k.append(key);
    const dups = k.duplicates();
    const expected: { index: number; first: number }[] = [];
    const firstOf = new Map<string, number>();
    keys.forEach((key, i) => {
      const f = firstOf.get(key);
      if (f === undefined) firstOf.set(key, i);
      else expected.push({ index: i, first: f });
    });
    expect(dups).toEqual(expected);
    k.remove(Int32Array.from(dups, (d) => d.index));
    expect(k.size).toBe(firstOf.size);
    expect(k.keyColumn().toArray()).toEqual([...firstOf.keys()]);
    // Lookups work again after the removal (the index is rebuilt).
    expect(k.find("ü")).toBe(firstOf.size - 1);
    expect(k.find("E3")).toBe(-1);
  });
});

describe("column stores", () => {
  it("a dictionary store widens its positions past 128 and 32,768 values", () => {
    const s = new DictStore<string>();
    const n = 40_000;
    s.reserve(16, 0);
    const texts: string[] = [];
    for (let row = 0; row < n; row++) {
      if (row >= 16 && (row & (row - 1)) === 0) s.reserve(2 * row, row);
      const text = `V${row % 35_000}`;
      texts.push(text);
      s.setValue(row, text, text);
    }
    s.setValue(n - 1, null, "");
    texts[n - 1] = null as unknown as string;
    const col = s.finish(n);
    expect(col.index).toBeInstanceOf(Int32Array);
    expect(col.toArray()).toEqual(texts);
  });

  it("an integer store widens Int8 → Int16 → Int32 → Float64 keeping values and nulls", () => {
    const s = new IntStore(null, null, false);
    s.reserve(8, 0);
    const vals = [1, null, -127, 200, null, 70_000, -2_147_483_648, 2 ** 40];
    const seen: (number | null)[] = [];
    for (const [row, v] of vals.entries()) {
      s.setValue(row, v);
      seen.push(v);
      expect(s.finish(row + 1).toArray()).toEqual(seen);
    }
    expect(s.finish(vals.length).data).toBeInstanceOf(Float64Array);
    const small = new IntStore(0, 10, false);
    small.reserve(3, 0);
    small.setValue(0, 5);
    small.setValue(1, null);
    expect(small.finish(2).data).toBeInstanceOf(Int8Array);
    expect(small.finish(2).toArray()).toEqual([5, null]);
  });

  it("removes row slots in place", () => {
    const n = new NumStore();
    n.reserve(6, 0);
    [1.5, 2, null, 4, 5, -0.25].forEach((v, row) => {
      n.setValue(row, v);
    });
    n.remove(Int32Array.from([0, 3]), 6);
    expect(n.finish(4).toArray()).toEqual([2, null, 5, -0.25]);
    const a = Int32Array.from([0, 1, 2, 3]);
    removeSlots(a, Int32Array.from([3]), 4);
    expect(Array.from(a.subarray(0, 3))).toEqual([0, 1, 2]);
  });
});

describe("column classes through arquero", () => {
  const keys = new KeyIndex();
  for (const id of ["P1", "P2", "P3"]) keys.append(id);
  const t = aq.table({
    id: keys.keyColumn(),
    ref: new RefColumn(Int32Array.from([2, -1, 0]), keys.keyColumn(), 3),
    n: new IntColumn(Int8Array.from([3, -128, -1]), 3),
    x: new NumColumn(Float64Array.from([0.5, Number.NaN, 2]), 3),
    b: new BoolColumn(Int8Array.from([1, 0, -1]), 3),
    code: new DictColumn(Int8Array.from([1, 0, -1]), ["A", "B"], 3),
    list: new DictColumn(Int8Array.from([-1, 0, 0]), [Object.freeze(["x", "y"])], 3),
  });

  it("gives the documented values (null for missing) to array, get and objects", () => {
    expect(t.numRows()).toBe(3);
    expect(t.array("id")).toEqual(["P1", "P2", "P3"]);
    expect(t.array("ref")).toEqual(["P3", null, "P1"]);
    expect(t.array("n")).toEqual([3, null, -1]);
    expect(t.array("x")).toEqual([0.5, null, 2]);
    expect(t.array("b")).toEqual([true, false, null]);
    expect(t.get("code", 0)).toBe("B");
    expect(t.objects()[2]).toEqual({
      id: "P3",
      ref: "P1",
      n: -1,
      x: 2,
      b: null,
      code: null,
      list: ["x", "y"],
    });
    // Equal lists share one frozen instance.
    expect(t.get("list", 1)).toBe(t.get("list", 2));
    expect([...(t.column("code") as unknown as Iterable<unknown>)]).toEqual(["B", "A", null]);
  });

  it("works with arquero verbs (filter, derive, orderby, groupby)", () => {
    const f = t
      .filter((d: { b: boolean | null }) => d.b !== null)
      .derive({ n2: (d: { n: number | null }) => (d.n === null ? -1 : d.n * 2) });
    expect(f.array("id")).toEqual(["P1", "P2"]);
    expect(f.array("n2")).toEqual([6, -1]);
    expect(t.orderby(aq.desc("id")).array("id")).toEqual(["P3", "P2", "P1"]);
    expect(t.groupby("code").count().numRows()).toBe(3);
    expect(keys.keyColumn()).toBeInstanceOf(KeyColumn);
  });
});

describe("ChecksumWorker", () => {
  it("hashes a file on a worker thread like sha256File", async () => {
    const dir = await mkdtemp(join(tmpdir(), "prss-checksum-"));
    try {
      const path = join(dir, "f.csv");
      const text = "a,b\n1,2\n".repeat(10_000);
      await writeFile(path, text);
      const worker = new ChecksumWorker();
      try {
        const expected = createHash("sha256").update(text).digest("hex");
        expect(await worker.sha256(path)).toBe(expected);
        expect(await sha256File(path)).toBe(expected);
        await expect(worker.sha256(join(dir, "absent.csv"))).rejects.toThrow();
      } finally {
        await worker.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
