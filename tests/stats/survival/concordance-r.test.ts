/** concordance() against R survival::concordance: counts, C and the infinitesimal-jackknife SE. */
import { describe, expect, it } from "vitest";
import { type ConcordanceResult, concordance } from "../../../src/stats/survival/concordance.js";
import { expectAllClose, expectClose } from "../../helpers/expect-close.js";
import { loadCoxReference, refCol } from "./cox-textbook.js";

const ref = loadCoxReference();
const L = (c: string) => refCol(ref, "lung", c);
const H = (c: string) => refCol(ref, "heart", c);

function check(r: ConcordanceResult, key: string): void {
  const e = ref.concordance[key];
  const c = r.counts;
  expectAllClose(
    [c.concordant, c.discordant, c.tiedX, c.tiedY, c.tiedXY],
    e.count,
    { rel: 1e-12 },
    `${key} counts`,
  );
  expectClose(r.estimate, e.concordance, { rel: 1e-12 }, `${key} C`);
  expectClose(r.se, e.std, { rel: 1e-10 }, `${key} std`);
}

describe("concordance against R", () => {
  it("lung age (x predicts longer survival, R default orientation)", () => {
    check(concordance({ time: L("time"), status: L("status"), x: L("age") }), "lung_age");
  });
  it("lung ph.ecog, weighted, clustered by institution, reverse = TRUE", () => {
    const r = concordance(
      { time: L("time"), status: L("status"), x: L("ph.ecog"), weights: L("wt"), cluster: L("inst") },
      { reverse: true },
    );
    check(r, "lung_ecog_weighted_cluster");
    expect(r.method).toMatch(/by cluster/);
  });
  it("lung age within strata(sex)", () => {
    check(
      concordance({ time: L("time"), status: L("status"), x: L("age"), strata: L("sex") }),
      "lung_age_strata",
    );
  });
  it("heart (start, stop] data", () => {
    check(concordance({ start: H("start"), stop: H("stop"), status: H("event"), x: H("age") }), "heart_age");
  });
  it("CI is C ± z·se", () => {
    const r = concordance({ time: L("time"), status: L("status"), x: L("age") });
    expectClose(
      r.ci.lower,
      (r.estimate as number) - 1.959963984540054 * (r.se as number),
      { rel: 1e-12 },
      "lower",
    );
  });
});
