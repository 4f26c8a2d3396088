/**
 * The weighted and matched days-to-MOUD analyses against R (survival 3.5-3): the analysed units of the
 * example weighted (ATT weights) and matched (1:1, caliper 0.2, matched sets) designs on
 * examples/synthetic-ed, exported by tests/reference/evaluate-adjusted/export-units.ts; reference values
 * from make-evaluate-adjusted.R (weighted survfit multi-state with influence, robust weighted KM,
 * weighted Cox with robust/cluster variance; the clustered difference summed by set in R).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyseTimeToEvent } from "../../src/evaluate/analyse-time-to-event.js";
import { expectClose } from "../helpers/expect-close.js";

const dir = join("tests", "reference", "evaluate-adjusted");
const ref = JSON.parse(readFileSync(join(dir, "evaluate-adjusted.json"), "utf8"));

const CLOSED = { rel: 1e-10, abs: 1e-13 }; // Aalen–Johansen / KM arithmetic and influence sums
const FIT = { rel: 1e-7, abs: 1e-10 }; // iterated Cox fit (R at eps 1e-12)

function load(file: string) {
  const rows = readFileSync(join(dir, file), "utf8").trim().split("\n").slice(1);
  const f = rows.map((r) => r.split(","));
  return {
    time: f.map((x) => Number(x[0])),
    event: f.map((x) => Number(x[1])),
    group: f.map((x) => x[2] as string),
    weights: f.map((x) => Number(x[3])),
    set: f.map((x) => Number(x[4])),
  };
}

for (const design of ["weighted", "matched"] as const) {
  const u = load(`units-${design}.csv`);
  const r = ref[design];
  const clustered = design === "matched";
  const analysis = analyseTimeToEvent(
    {
      time: u.time,
      event: u.event,
      group: u.group,
      day0: u.time.map(() => 0),
      weights: u.weights,
      ...(clustered ? { cluster: u.set } : {}),
    },
    {
      timepoints: ref.times,
      contrastDay: 30,
      horizonDays: 365,
      confLevel: 0.95,
      smallCellThreshold: 10,
      comparisonGroup: "PEER",
      referenceGroup: "COMPARISON",
      adjustment: { weightsLabel: design, ...(clustered ? { clusterLabel: "matched set" } : {}) },
    },
  );

  describe(`${design} days-to-MOUD analysis agrees with R`, () => {
    it("analyses every unit and reports unweighted counts", () => {
      expect(analysis.groups.reduce((a, g) => a + g.n, 0)).toBe(r.n);
      const peer = analysis.groups.find((g) => g.group === "PEER")!;
      const nPeer = u.group.filter((g) => g === "PEER").length;
      expect(peer.cumulativeIncidence[0]!.nRisk).toBeLessThanOrEqual(nPeer);
      expect(Number.isInteger(peer.cumulativeIncidence[0]!.nRisk)).toBe(true);
    });
    for (const arm of ["COMPARISON", "PEER"]) {
      it(`weighted Aalen–Johansen cumulative incidence with IJ SE, ${arm}`, () => {
        const a = r.cumulative_incidence.find((x: { arm: string }) => x.arm === arm);
        const g = analysis.groups.find((x) => x.group === arm)!;
        g.cumulativeIncidence.forEach((v, k) => {
          expectClose(v.estimate, a.estimate[k], CLOSED, `cif day ${v.time}`);
          expectClose(v.se, a.std_err[k], CLOSED, `se day ${v.time}`);
          expectClose(v.lower, a.lower[k], CLOSED, `lower day ${v.time}`);
          expectClose(v.upper, a.upper[k], CLOSED, `upper day ${v.time}`);
        });
      });
      it(`weighted Kaplan–Meier with robust SE, ${arm}`, () => {
        const a = r.kaplan_meier.find((x: { arm: string }) => x.arm === arm);
        const g = analysis.groups.find((x) => x.group === arm)!;
        g.oneMinusKaplanMeier.forEach((v, k) => {
          expectClose(1 - (v.estimate as number), a.surv[k], CLOSED, `surv day ${v.time}`);
          expectClose(v.se, a.std_err[k], CLOSED, `std.err day ${v.time}`);
          expectClose(1 - (v.upper as number), a.lower[k], CLOSED, `lower day ${v.time}`);
          expectClose(1 - (v.lower as number), a.upper[k], CLOSED, `upper day ${v.time}`);
        });
      });
    }
    it(`difference and ratio at day 30 with ${clustered ? "matched-set clustered" : "robust"} IJ variance`, () => {
      const rd = analysis.effects.find((e) => e.scale === "difference")!;
      expectClose(rd.estimate, r.rd30.estimate, CLOSED, "RD");
      expectClose(rd.se, r.rd30.se, CLOSED, "SE of RD");
      expect(rd.method).toMatch(clustered ? /clustered by matched set/ : /each person a cluster/);
      expect(rd.method).toMatch(/weights treated as fixed/);
      const rr = analysis.effects.find((e) => e.label.startsWith("Ratio"))!;
      expectClose(Math.log(rr.estimate as number), r.log_rr30.estimate, CLOSED, "log RR");
      expectClose(rr.se, r.log_rr30.se, CLOSED, "SE of log RR");
      expect(rr.eValue?.estimate).toBeGreaterThan(1);
    });
    it(`weighted cause-specific Cox with ${clustered ? "cluster-robust" : "robust"} variance`, () => {
      const hr = analysis.effects.find((e) => e.label === "Cause-specific hazard ratio")!;
      expectClose(Math.log(hr.estimate as number), r.cox.coef, FIT, "log HR");
      expectClose(hr.se, r.cox.robust_se, FIT, "robust SE of log HR");
      expect(hr.method).toMatch(clustered ? /clustered by matched set/ : /each person a cluster/);
    });
    it("has no unweighted tests (log-rank and Gray's test are not defined with weights)", () => {
      // Only the proportional-hazards check of the weighted Cox model (R cox.zph on the weighted fit).
      expect(analysis.tests.map((t) => t.label)).toEqual(["Proportional hazards (Grambsch–Therneau)"]);
    });
  });
}
