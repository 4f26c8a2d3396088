/** The scripted evaluations in analyses/ run end to end and recover the generator's truth. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runEdNavigationAnalysis } from "../../analyses/ed-navigation-days-to-moud.js";
import { runRecoveryCapitalAnalysis } from "../../analyses/recovery-centre-recovery-capital.js";
import { runReentryEdAnalysis } from "../../analyses/reentry-ed-utilization.js";

const out = mkdtempSync(join(tmpdir(), "prss-analyses-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("analyses", () => {
  it("ED navigation (matched): the day-30 difference's CI covers the true ATT and the report is written", async () => {
    const dir = join(out, "ed");
    const { result, truth } = await runEdNavigationAnalysis(dir);
    const rd = result.outcomes[0]!.effects.find((e) => e.scale === "difference")!;
    expect(rd.lower!).toBeLessThan(truth);
    expect(rd.upper!).toBeGreaterThan(truth);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toContain("<svg");
  });
  it("re-entry ED utilization (randomized): the rate ratio's CI covers the true marginal rate ratio", async () => {
    const dir = join(out, "reentry");
    const { contrast, trueRateRatio } = await runReentryEdAnalysis(dir);
    expect(contrast.effect.relative.ci.lower!).toBeLessThan(trueRateRatio);
    expect(contrast.effect.relative.ci.upper!).toBeGreaterThan(trueRateRatio);
    const ids = readFileSync("examples/synthetic-rct/persons.csv", "utf8").trim().split("\n").slice(1, 200);
    const written = readFileSync(join(dir, "results.json"), "utf8");
    expect(ids.map((l) => l.split(",")[0] as string).filter((id) => written.includes(id))).toEqual([]);
  });
  it("recovery centre (pre/post with a weighted comparison): the CI of the effect on the change covers the truth", async () => {
    const r = await runRecoveryCapitalAnalysis(join(out, "recovery"));
    expect(r.balance.summary.allBalanced).toBe(true);
    expect(r.effect.absolute.ci.lower!).toBeLessThan(r.trueEffect);
    expect(r.effect.absolute.ci.upper!).toBeGreaterThan(r.trueEffect);
  });
});
