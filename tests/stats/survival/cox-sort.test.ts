/** The radix argsort behind the Cox sort: stable, ascending, against Array.prototype.sort. */
import { describe, expect, it } from "vitest";
import { radixArgsort, stableSortByCode } from "../../../src/stats/survival/cox-sort.js";

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const reference = (keys: number[]) =>
  keys.map((_, i) => i).sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);

describe("radixArgsort", () => {
  const rnd = lcg(42);
  const cases: Record<string, number[]> = {
    "continuous, mixed signs": Array.from({ length: 5000 }, () => (rnd() - 0.5) * 1e6),
    "integers with heavy ties (counting path)": Array.from({ length: 5000 }, () => Math.floor(rnd() * 50)),
    "integers with a wide range (radix path)": Array.from({ length: 3000 }, () =>
      Math.floor((rnd() - 0.5) * 1e12),
    ),
    "equal high words, different low bits": Array.from(
      { length: 2000 },
      (_, i) => 1 + ((i * 7919) % 2000) * 2 ** -50,
    ),
    "tiny and huge magnitudes": Array.from(
      { length: 2000 },
      () => (rnd() < 0.5 ? -1 : 1) * 10 ** (rnd() * 600 - 300),
    ),
    "many exact duplicates (stability)": Array.from(
      { length: 3000 },
      () => [0.1, -2.5, 3e-9][Math.floor(rnd() * 3)] as number,
    ),
  };
  for (const [name, keys] of Object.entries(cases)) {
    it(name, () => {
      expect(Array.from(radixArgsort(Float64Array.from(keys)))).toEqual(reference(keys));
    });
  }
  it("restricts to a given index subset, preserving its order for ties", () => {
    const keys = [3, 1, 2, 1, 3, 0];
    expect(Array.from(radixArgsort(keys, Int32Array.from([4, 3, 0, 1])))).toEqual([3, 1, 4, 0]);
  });
  it("stableSortByCode keeps the incoming order within each code", () => {
    const out = stableSortByCode(Int32Array.from([5, 4, 3, 2, 1, 0]), Int32Array.from([1, 0, 1, 0, 1, 0]), 2);
    expect(Array.from(out)).toEqual([5, 3, 1, 4, 2, 0]);
  });
});
