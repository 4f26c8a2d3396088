// The report folder: report.html, report.md, charts/*.svg + *.png, results.json.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeReport } from "../../src/report/write.js";
import { FIXTURE_REPORT } from "./fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "prss-report-write-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writeReport", () => {
  it("writes every file, with charts as SVG and PNG and the results as JSON", async () => {
    const results = { outcomes: [{ id: "days-to-moud", estimate: 0.1184 }] };
    const out = await writeReport(dir, FIXTURE_REPORT, { results });
    expect(out.files).toEqual([
      "report.html",
      "report.md",
      "charts/days-to-moud.svg",
      "charts/days-to-moud.png",
      "charts/ed-return.svg",
      "charts/ed-return.png",
      "charts/ed-return-subgroup-housing-status.svg",
      "charts/ed-return-subgroup-housing-status.png",
      "charts/moud-retention.svg",
      "charts/moud-retention.png",
      "charts/moud-retention-subgroup-sex.svg",
      "charts/moud-retention-subgroup-sex.png",
      "charts/recovery-capital.svg",
      "charts/recovery-capital.png",
      "charts/recovery-capital-change.svg",
      "charts/recovery-capital-change.png",
      "results.json",
    ]);
    // every chart the HTML and the Markdown name is written, and nothing else
    const md = readFileSync(join(dir, "report.md"), "utf8");
    const html = readFileSync(join(dir, "report.html"), "utf8");
    const linked = new Set([...md.matchAll(/\(charts\/([^)]+)\)/g)].map((m) => `charts/${m[1]}`));
    const named = new Set(
      [...html.matchAll(/<code>charts\/([^<]+)\.svg<\/code>/g)].map((m) => `charts/${m[1]}`),
    );
    const charts = out.files.filter((f) => f.startsWith("charts/"));
    expect([...linked].sort()).toEqual([...charts].sort());
    expect([...named].sort()).toEqual(
      charts
        .filter((f) => f.endsWith(".svg"))
        .map((f) => f.slice(0, -4))
        .sort(),
    );
    for (const f of charts.filter((c) => c.endsWith(".svg")))
      expect(readFileSync(join(dir, f), "utf8")).toMatch(/^<svg[\s\S]*<\/svg>$/);
    for (const f of charts.filter((c) => c.endsWith(".png")))
      expect([...readFileSync(join(dir, f)).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    expect(out.htmlBytes).toBe(Buffer.byteLength(html, "utf8"));
    expect(readFileSync(join(dir, "report.md"), "utf8")).toContain("charts/days-to-moud.svg");
    expect(readFileSync(join(dir, "charts/days-to-moud.svg"), "utf8")).toMatch(
      /^<svg[\s\S]*≤10[\s\S]*<\/svg>$/,
    );
    expect([...readFileSync(join(dir, "charts/ed-return.png")).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    expect(JSON.parse(readFileSync(join(dir, "results.json"), "utf8"))).toEqual(results);
    expect(out.warnings.map((w) => w.code)).toEqual(["CELLS_SUPPRESSED", "HIDDEN_COUNT_IN_EFFECT"]);
  });
  it("can skip the PNGs", async () => {
    const out = await writeReport(join(dir, "nopng"), FIXTURE_REPORT, { png: false });
    expect(out.files.filter((f) => f.endsWith(".png"))).toEqual([]);
  });
});
