// The HTML page as a string: self-contained (no external references), escaped, suppressed.
// The same page is opened in Chromium by report-browser.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { escapeHtml, jsonForScript, scriptSafe } from "../../src/report/escape.js";
import { REPORT_CSP, renderReportHtml, type VegaScripts } from "../../src/report/html.js";
import { DESCRIPTIVE_BANNER } from "../../src/report/labels.js";
import type { ReportInput } from "../../src/report/types.js";
import { loadVegaScripts } from "../../src/report/write.js";
import { FIXTURE_DESCRIPTIVE, FIXTURE_REPORT } from "./fixtures.js";

let scripts: VegaScripts;
beforeAll(async () => {
  scripts = await loadVegaScripts();
});

/** The page without the contents of its <script> elements. */
function markupOnly(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "<script></script>");
}

/** Text of every count element (class "count"). */
function countTexts(html: string): string[] {
  return [...html.matchAll(/<(td|span) class="(?:num )?count"[^>]*>([^<]*)<\/\1>/g)].map((m) => m[2] ?? "");
}

function isSmallNumber(text: string): boolean {
  const n = Number(text.replace(/,/g, ""));
  return /^[\d,]+$/.test(text) && n >= 1 && n <= 10;
}

describe("escaping helpers", () => {
  it("escapes HTML text and attributes", () => {
    expect(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;",
    );
  });
  it("makes JSON safe inside a script element, and JSON.parse reads it back", () => {
    const value = { g: "</script><!-- & \u2028" };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });
  it("breaks </script inside library code without changing its meaning", () => {
    const src = 'var s = "</script>"; var r = /<\\/SCRIPT/i;';
    const safe = scriptSafe(src);
    expect(safe).not.toMatch(/<\/script/i);
    expect(new Function(`${safe}; return [s, r.test("</SCRIPT")];`)()).toEqual(["</script>", true]);
  });
});

describe("renderReportHtml", () => {
  let html: string;
  beforeAll(() => {
    html = renderReportHtml(FIXTURE_REPORT, scripts);
  });

  it("is one self-contained page: inline scripts and styles only, no URLs outside scripts", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    const markup = markupOnly(html);
    expect(markup).not.toMatch(/\bsrc\s*=/i);
    expect(markup).not.toMatch(/<link\b/i);
    expect(markup).not.toMatch(/@import|url\(/i);
    expect(markup).not.toMatch(/https?:\/\//i);
    expect(markup).not.toMatch(/href="(?!#)/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(REPORT_CSP)}">`);
    expect(REPORT_CSP).toContain("default-src 'none'");
    expect(REPORT_CSP).not.toContain("unsafe-eval");
  });

  it("inlines vega, vega-lite and vega-embed, and every <script> closes where it should", () => {
    const opens = (html.match(/<script\b/g) ?? []).length;
    const closes = (html.match(/<\/script/gi) ?? []).length;
    expect(closes).toBe(opens);
    // 3 libraries + 2 chart specs + the embed script
    expect(opens).toBe(6);
    expect(html).toContain(scripts.vegaEmbed.slice(0, 200));
    expect(html).toContain('vegaEmbed(el, spec, { renderer: "svg", actions: false, ast: true })');
    expect(html).toContain('body.setAttribute("data-rendered", "yes")');
  });

  it("has the sections in order", () => {
    const ids = [
      "key-results",
      "flow",
      "data-quality",
      "outcome-1",
      "outcome-2",
      "limitations",
      "methods",
      "manifest",
    ];
    const positions = ids.map((id) => html.indexOf(`<section id="${id}"`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(html).toMatch(/<details><summary>Inputs, versions and resolved options \(JSON\)<\/summary><pre>/);
  });

  it("shows the design: caution for an observational comparison, banner for a descriptive one", () => {
    expect(html).toContain("Matched comparison group (observational)");
    expect(html).toContain('class="banner caution"');
    expect(html).not.toContain(DESCRIPTIVE_BANNER);
    expect(html).toContain("Comparisons between groups (associations, not effects)");
    const descriptive = renderReportHtml(FIXTURE_DESCRIPTIVE, scripts);
    expect(descriptive).toContain(
      `<div class="banner descriptive" role="note">${escapeHtml(DESCRIPTIVE_BANNER)}</div>`,
    );
    const randomized = renderReportHtml(
      {
        ...FIXTURE_REPORT,
        design: { kind: "randomized", description: "Randomized.", causalLanguageAllowed: true },
      },
      scripts,
    );
    expect(randomized).not.toContain('class="banner');
    expect(randomized).toContain("<h3>Estimated effects</h3>");
  });

  it("formats estimates, intervals and p-values", () => {
    expect(html).toContain("11.8 pp (5.6 pp to 18.1 pp)");
    expect(html).toContain("1.62 (1.29 to 2.04)");
    expect(html).toContain('<td class="num">&lt;0.001</td>');
    expect(html).toContain('<td class="num">0.005</td>');
    expect(html).toContain("Estimate (95% CI)");
  });

  it("hides every count from 1 to 10, with complementary suppression, and estimates built on them", () => {
    const counts = countTexts(html);
    expect(counts.length).toBeGreaterThan(20);
    expect(counts.filter(isSmallNumber)).toEqual([]);
    expect(counts).toContain("≤10");
    expect(counts).toContain("†");
    expect(counts).toContain("0"); // zero is shown
    expect(html).toContain('<td class="estimate hidden-estimate">hidden (small numbers)</td>');
    expect(html).toContain("Counts of 1 to 10 are hidden");
    // the numbers at risk in the chart spec are suppressed as well
    const json =
      /<script type="application\/json" id="chart-1-spec">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    const atRisk: { nRisk: string }[] = JSON.parse(json).datasets.atRisk;
    expect(atRisk.map((r) => r.nRisk).filter(isSmallNumber)).toEqual([]);
    expect(atRisk.map((r) => r.nRisk)).toContain("≤10");
  });

  it("would show the small counts without suppression, with a warning banner", () => {
    const off = renderReportHtml({ ...FIXTURE_REPORT, smallCell: { suppressed: false } }, scripts);
    const small = countTexts(off).filter(isSmallNumber);
    expect(small).toEqual(expect.arrayContaining(["7", "4", "9", "3", "10"]));
    expect(off).toContain('class="banner danger" role="alert"');
    expect(off).not.toContain("hidden (small numbers)");
  });

  it("escapes every text (no markup injection from the input)", () => {
    const evil = '<img src=x onerror="alert(1)">';
    const input: ReportInput = {
      ...FIXTURE_REPORT,
      title: `Report ${evil}`,
      design: { ...FIXTURE_REPORT.design, description: `a & b ${evil}` },
      flow: [{ label: evil, n: 100, excluded: [{ reason: evil, n: 50 }] }],
      limitations: [evil],
      methods: [{ label: evil, value: evil }],
      manifest: { note: `</pre></details>${evil}` },
      outcomes: FIXTURE_REPORT.outcomes.map((o) => ({
        ...o,
        title: evil,
        sentence: evil,
        groupEstimates: o.groupEstimates.map((g) => ({
          ...g,
          group: `</script><script>alert(1)</script>${g.group}`,
        })),
        ...(o.chart?.kind === "survival"
          ? {
              chart: {
                ...o.chart,
                curves: o.chart.curves.map((c) => ({
                  ...c,
                  group: `</script><script>alert(1)</script>${c.group}`,
                })),
              },
            }
          : {}),
      })),
    };
    const page = renderReportHtml(input, scripts);
    expect(markupOnly(page)).not.toContain("<img");
    expect(page.includes("<script>alert(1)")).toBe(false);
    expect((page.match(/<script\b/g) ?? []).length).toBe(6);
    expect(page).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    // the chart spec survives intact through the escaped JSON
    const json =
      /<script type="application\/json" id="chart-1-spec">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? "";
    const spec = JSON.parse(json);
    expect(spec.datasets.curves[0].group).toBe("</script><script>alert(1)</script>Peer recovery support");
  });

  it("leaves the libraries out when there is no chart, and still sets the render flag", () => {
    const page = renderReportHtml(
      { ...FIXTURE_REPORT, outcomes: FIXTURE_REPORT.outcomes.map(({ chart: _chart, ...o }) => o) },
      scripts,
    );
    expect(page.length).toBeLessThan(60_000);
    expect((page.match(/<script\b/g) ?? []).length).toBe(1);
    expect(page).toContain('if (charts.length === 0) { body.setAttribute("data-rendered", "yes"); return; }');
  });

  it("stays under 1.5 MB for the fixture report", () => {
    expect(Buffer.byteLength(html, "utf8")).toBeLessThan(1.5e6);
  });
});
