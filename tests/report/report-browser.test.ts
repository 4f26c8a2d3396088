// End-to-end: the written report opened in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core). Every network request other than the report file itself fails the test, as do
// page errors and console errors. This test never skips: without Chromium it fails with a message.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportInput } from "../../src/report/types.js";
import { writeReport } from "../../src/report/write.js";
import {
  isSmallNumber,
  launchChromium,
  type OpenedPage,
  openHtmlFile,
  visibleCounts,
} from "../helpers/chromium.js";
import { FIXTURE_REPORT } from "./fixtures.js";

/** One screenshot of the rendered report, kept for a person to look at. */
const SCREENSHOT = join(tmpdir(), "prss-report-screenshot.png");

const dir = mkdtempSync(join(tmpdir(), "prss-report-browser-"));
let browser: Browser | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes the report to a folder and opens report.html with every foreign request blocked and recorded. */
async function open(input: ReportInput, name: string): Promise<OpenedPage> {
  if (browser === undefined) throw new Error("browser did not start");
  const out = await writeReport(join(dir, name), input, { png: false });
  return openHtmlFile(browser, join(out.dir, "report.html"));
}

describe("the HTML report in headless Chromium", () => {
  it("renders offline: every chart drawn, no foreign request, no error; small counts hidden", async () => {
    const r = await open(FIXTURE_REPORT, "suppressed");
    try {
      const body = await r.page.evaluate(() => ({ ...document.body.dataset }));
      expect(body.renderError).toBeUndefined();
      expect(body.rendered).toBe("yes");
      expect(body.chartCount).toBe("7");
      expect(r.foreign).toEqual([]);
      expect(r.errors).toEqual([]);

      // every chart container holds an SVG with marks
      const list = await r.page.$$eval(".chart[data-chart-spec]", (els) =>
        els.map((el) => ({
          id: el.id,
          svg: el.querySelectorAll("svg").length,
          lines: el.querySelectorAll("g.mark-line.role-mark path").length,
          areas: el.querySelectorAll("g.mark-area.role-mark path").length,
          ticks: el.querySelectorAll("g.mark-rect.role-mark path").length,
          rules: el.querySelectorAll("g.mark-rule.role-mark line").length,
          symbols: el.querySelectorAll("g.mark-symbol.role-mark path").length,
          atRisk: Array.from(el.querySelectorAll("g.mark-text.role-mark text"), (t) => t.textContent ?? ""),
          axisLabels: Array.from(el.querySelectorAll("g.role-axis-label text"), (t) => t.textContent ?? ""),
        })),
      );
      expect(list.map((c) => c.id)).toEqual([
        "chart-1",
        "chart-2",
        "chart-2-subgroup-1",
        "chart-3",
        "chart-3-subgroup-1",
        "chart-4",
        "chart-4-extra-1",
      ]);
      for (const c of list) {
        expect(c.svg, c.id).toBeGreaterThanOrEqual(1);
        expect(c.symbols + c.lines + c.areas, c.id).toBeGreaterThan(0);
      }
      const charts = Object.fromEntries(list.map((c) => [c.id, c]));
      const km = charts["chart-1"];
      const forest = charts["chart-2"];
      expect(km?.lines).toBe(2); // one step line per group
      expect(km?.areas).toBe(2); // one CI band per group
      expect(km?.ticks).toBeGreaterThan(50); // censoring ticks
      expect(km?.atRisk).toHaveLength(14); // 2 groups x 7 times
      expect(km?.atRisk.filter(isSmallNumber)).toEqual([]);
      expect(km?.atRisk).toContain("≤10");
      expect(km?.atRisk).toContain("412");
      expect(forest?.rules).toBe(4); // null line + 3 intervals
      expect(forest?.symbols).toBe(3);
      // subgroup forest plots: 2 levels + the overall diamond (the small level of sex is left out)
      expect(charts["chart-2-subgroup-1"]).toMatchObject({ rules: 4, symbols: 3 });
      expect(charts["chart-3-subgroup-1"]).toMatchObject({ rules: 4, symbols: 3 });
      expect(charts["chart-3-subgroup-1"]?.axisLabels).not.toContain("Another gender identity");
      expect(charts["chart-3-subgroup-1"]?.axisLabels).toEqual(expect.arrayContaining(["0 pp", "12 pp"]));
      // estimates: 4 points, one hidden (n = 7); the value axis in %
      expect(charts["chart-3"]).toMatchObject({ rules: 3, symbols: 3 });
      expect(charts["chart-3"]?.axisLabels).toContain("60%");
      // trajectory: 8 points, one hidden (n = 9); two lines; the time axis labelled
      expect(charts["chart-4"]).toMatchObject({ lines: 2, rules: 7, symbols: 7 });
      expect(charts["chart-4"]?.axisLabels).toEqual(
        expect.arrayContaining(["Intake", "3 months", "12 months"]),
      );
      expect(charts["chart-4-extra-1"]).toMatchObject({ rules: 2, symbols: 2 });

      // a point's tooltip shows its group, estimate, interval and n
      await r.page.hover("#chart-3 g.mark-symbol.role-mark path >> nth=0");
      const tip = await r.page.waitForSelector("#vg-tooltip-element.visible", { timeout: 5000 });
      const tipText = (await tip.textContent()) ?? "";
      expect(tipText).toContain("Peer recovery support");
      expect(tipText).toContain("66.0%");
      expect(tipText).toContain("58.0% to 73.0%");
      expect(tipText).toContain("160");

      // no visible count from 1 to 10 anywhere in the tables and flow
      const counts = await visibleCounts(r.page);
      expect(counts.length).toBeGreaterThan(20);
      expect(counts.filter(isSmallNumber)).toEqual([]);
      expect(counts).toContain("≤10");
      expect(await r.page.isVisible("text=hidden (small numbers)")).toBe(true);

      // the manifest is collapsed
      expect(await r.page.$eval("#manifest details", (d) => (d as HTMLDetailsElement).open)).toBe(false);

      await r.page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await r.close();
    }
  });

  it("the same check finds the small counts when suppression is off (the fixture has them)", async () => {
    const r = await open({ ...FIXTURE_REPORT, smallCell: { suppressed: false } }, "unsuppressed");
    try {
      expect(await r.page.evaluate(() => document.body.dataset.rendered)).toBe("yes");
      expect(r.foreign).toEqual([]);
      expect(r.errors).toEqual([]);
      const counts = await visibleCounts(r.page);
      expect(counts.filter(isSmallNumber)).toEqual(expect.arrayContaining(["7", "4", "9", "3", "10"]));
      const atRisk = await r.page.$$eval(".chart g.mark-text.role-mark text", (els) =>
        els.map((t) => t.textContent ?? ""),
      );
      expect(atRisk.filter(isSmallNumber).length).toBeGreaterThan(0);
      // the small chart points are drawn too (estimates: 4 points, trajectory: 8 points)
      const symbols = (id: string) =>
        r.page.$$eval(`#${id} g.mark-symbol.role-mark path`, (els) => els.length);
      expect(await symbols("chart-3")).toBe(4);
      expect(await symbols("chart-4")).toBe(8);
      // …and the small level of the subgroup table
      expect(await r.page.isVisible("#chart-3-subgroup-1")).toBe(true);
      expect(await symbols("chart-3-subgroup-1")).toBe(4);
      expect(await r.page.isVisible(".banner.danger")).toBe(true);
    } finally {
      await r.close();
    }
  });
});
