/** Harrell's C pair counts against the textbook case concordance_counts (hand counts; exact). */
import { describe, expect, it } from "vitest";
import { concordance } from "../../../src/stats/survival/concordance.js";
import { expectClose } from "../../helpers/expect-close.js";
import { loadCoxTextbook, values } from "./cox-textbook.js";
import { tol } from "./textbook.js";

describe("concordance: textbook case concordance_counts (reverse = TRUE)", () => {
  const tc = loadCoxTextbook("concordance_counts");
  const nums = (a: unknown) => (a as (number | null)[]).map((v) => (v === null ? Number.NaN : v));
  const sets: { key: string; data: string; x: string; weighted?: boolean }[] = [
    { key: "aml", data: "aml_maint", x: "x" },
    { key: "aml_weighted", data: "aml_maint", x: "x", weighted: true },
    { key: "ties", data: "ties", x: "x" },
    { key: "lung_age", data: "lung", x: "age" },
    { key: "lung_ecog", data: "lung", x: "ph_ecog" },
  ];
  for (const s of sets) {
    it(s.key, () => {
      const d = tc.data[s.data] as Record<string, unknown>;
      const r = concordance(
        {
          time: nums(d.time),
          status: nums(d.status),
          x: nums(d[s.x]),
          ...(s.weighted ? { weights: nums(d.wt) } : {}),
        },
        { reverse: true },
      );
      const c = r.counts;
      expect([c.concordant, c.discordant, c.tiedX], `${s.key} counts`).toEqual(values(tc, `${s.key}.counts`));
      expectClose(r.estimate, values(tc, `${s.key}.C`)[0] as number, tol(tc, `${s.key}.C`), `${s.key}.C`);
    });
  }
  it("lung ph.ecog: tied.y and tied.xy as the source states (21 and 7), one missing row dropped", () => {
    const d = tc.data.lung as Record<string, unknown>;
    const r = concordance(
      { time: nums(d.time), status: nums(d.status), x: nums(d.ph_ecog) },
      { reverse: true },
    );
    expect(r.counts.tiedY).toBe(21);
    expect(r.counts.tiedXY).toBe(7);
    expect(r.nExcluded).toBe(1);
    expect(r.warnings.map((w) => w.code)).toContain("MISSING_DROPPED");
  });
  it("without reverse, concordant and discordant swap and C becomes 1 − C", () => {
    const d = tc.data.aml_maint as Record<string, unknown>;
    const r = concordance({ time: nums(d.time), status: nums(d.status), x: nums(d.x) });
    expect([r.counts.concordant, r.counts.discordant, r.counts.tiedX]).toEqual([24, 14, 2]);
    expectClose(r.estimate, 1 - 0.375, { rel: 1e-12 }, "C");
  });
});
