// The HTML page as a string: self-contained (no external references), escaped, suppressed.
// The same page is opened in Chromium by report-browser.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { escapeHtml, jsonForScript, scriptSafe } from "../../src/report/escape.js";
import { REPORT_CSP, renderReportHtml, type VegaScripts } from "../../src/report/html.js";
import { DESCRIPTIVE_BANNER } from "../../src/report/labels.js";
import { interactionText } from "../../src/report/model.js";
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
    // 3 libraries + 7 chart specs + the embed script
    expect(opens).toBe(11);
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
    expect((page.match(/<script\b/g) ?? []).length).toBe(11);
    expect(page).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    // the chart spec survives intact through the escaped JSON
    const json =
      /<script type="application\/json" id="chart-1-spec">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? "";
    const spec = JSON.parse(json);
    expect(spec.datasets.curves[0].group).toBe("</script><script>alert(1)</script>Peer recovery support");
  });

  it("leaves the libraries out when there is no chart, and still sets the render flag", () => {
    const page = renderReportHtml(
      {
        ...FIXTURE_REPORT,
        outcomes: FIXTURE_REPORT.outcomes.map(
          ({ chart: _chart, extraCharts: _extra, subgroups: _subgroups, ...o }) => o,
        ),
      },
      scripts,
    );
    expect(page.length).toBeLessThan(60_000);
    expect((page.match(/<script\b/g) ?? []).length).toBe(1);
    expect(page).toContain('if (charts.length === 0) { body.setAttribute("data-rendered", "yes"); return; }');
  });

  it("renders a subgroup table per section: counts suppressed, overall row, interaction p and method", () => {
    const table = (variable: string) =>
      new RegExp(
        `<table class="subgroups"><thead><tr><th scope="col">${variable}</th>[\\s\\S]*?</table>`,
      ).exec(html)?.[0] ?? "";
    const sex = table("Sex");
    expect(sex).toContain(
      '<th scope="col" class="num">N</th><th scope="col" class="num">N treated</th><th scope="col" class="num">N control</th><th scope="col">Risk difference (95% CI)</th>',
    );
    expect(sex).toContain(
      '<tr><th scope="row">Male</th><td class="num count" data-status="shown">163</td><td class="num count" data-status="shown">92</td><td class="num count" data-status="shown">71</td><td class="estimate">11.0 pp (-3.0 pp to 25.0 pp)</td></tr>',
    );
    // the level with 4 people in peer support: every count and the effect hidden
    const another = /<tr><th scope="row">Another gender identity<\/th>.*?<\/tr>/.exec(sex)?.[0] ?? "";
    expect(countTexts(another)).toEqual(["†", "≤10", "†"]);
    expect(another).toContain('<td class="estimate hidden-estimate">hidden (small numbers)</td>');
    expect(another).not.toContain("36.0 pp");
    // Female's counts are hidden too (a column total would give the small level away); its effect is shown
    const female = /<tr><th scope="row">Female<\/th>.*?<\/tr>/.exec(sex)?.[0] ?? "";
    expect(countTexts(female)).toEqual(["†", "†", "†"]);
    expect(female).toContain("15.0 pp (-2.0 pp to 32.0 pp)");
    expect(sex).toContain(
      '<tr class="overall"><th scope="row">Overall</th><td class="num"></td><td class="num"></td><td class="num"></td><td class="estimate">13.0 pp (2.0 pp to 24.0 pp)</td></tr>',
    );
    expect(sex).toContain(
      '<tfoot><tr class="interaction"><td colspan="5">Interaction p = 0.74</td></tr></tfoot>',
    );
    expect(html).toContain(
      '<p class="note">Interaction test: Wald χ² test of the arm × sex terms (2 df), robust variance.</p>',
    );
    expect(html).toContain("<h3>Subgroups by sex</h3>");
    const housing = table("Housing status");
    expect(housing).toContain("Interaction p = 0.64");
    expect(housing).toContain("0.22 (0.070 to 0.66)");
    expect(html).toContain(
      'Not included: <span class="count" data-status="shown">14</span> without a value of Housing status.</p>',
    );
  });

  it("words the interaction p-value like every other p-value", () => {
    expect(interactionText(0.74)).toBe("Interaction p = 0.74");
    expect(interactionText(0.0004)).toBe("Interaction p < 0.001");
    expect(interactionText(0.995)).toBe("Interaction p > 0.99");
    expect(interactionText(null)).toBe("Interaction p: not evaluable");
  });

  it("draws each subgroup section's forest plot, leaving the hidden level out", () => {
    const json =
      /<script type="application\/json" id="chart-3-subgroup-1-spec">([\s\S]*?)<\/script>/.exec(html)?.[1] ??
      "";
    const spec = JSON.parse(json);
    expect(spec.layer[1].data.values.map((r: { label: string }) => r.label)).toEqual([
      "Female",
      "Male",
      "Overall",
    ]);
    expect(json).not.toContain("Another gender identity");
    // Female's n is hidden in the table, so its tooltip shows the mark instead of the number
    expect(spec.layer[2].data.values.map((r: { n: string }) => r.n)).toEqual(["†", "163"]);
    expect(spec.description).toContain("Interaction p = 0.74");
    expect(spec.description).toContain("1 level whose counts are hidden (small numbers) is left out.");
    expect(html).toContain("<code>charts/moud-retention-subgroup-sex.svg</code>");
    const housing = JSON.parse(
      /<script type="application\/json" id="chart-2-subgroup-1-spec">([\s\S]*?)<\/script>/.exec(html)?.[1] ??
        "{}",
    );
    expect(housing.layer[0].encoding.x.scale.type).toBe("log");
  });

  it("keeps small n out of the estimates and trajectory chart data", () => {
    const spec = (id: string) =>
      JSON.parse(
        new RegExp(`<script type="application/json" id="${id}-spec">([\\s\\S]*?)</script>`).exec(html)?.[1] ??
          "{}",
      );
    const estimates = spec("chart-3");
    expect(estimates.datasets.estimates.map((r: { n: string }) => r.n)).toEqual(["160", "142", "131"]);
    expect(estimates.description).toContain("1 point based on 1 to 10 people is not shown");
    const trajectory = spec("chart-4");
    const ns: string[] = trajectory.datasets.means.map((r: { n: string }) => r.n);
    expect(ns).toHaveLength(7);
    expect(ns.filter(isSmallNumber)).toEqual([]);
    expect(JSON.stringify(trajectory.datasets)).not.toContain("36.1");
  });

  it("shows extra charts with their titles after the main chart, and the notes", () => {
    const section = /<section id="outcome-4"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
    const main = section.indexOf('id="chart-4"');
    const extra = section.indexOf(
      '<figure><h3>Change from intake to 12 months</h3><div class="chart" id="chart-4-extra-1"',
    );
    expect(main).toBeGreaterThan(0);
    expect(extra).toBeGreaterThan(main);
    expect(section).toContain("<code>charts/recovery-capital-change.svg</code>");
    expect(section).toContain(
      '<ul class="notes"><li>Analysed in its own eligible sample: people with a BARC-10 at intake and at least one later assessment.</li><li>BARC-10 scores range from 10 to 60; higher scores mean more recovery capital.</li></ul>',
    );
    expect(section.indexOf('<ul class="notes">')).toBeGreaterThan(extra);
  });

  it("stays under 1.5 MB for the fixture report", () => {
    expect(Buffer.byteLength(html, "utf8")).toBeLessThan(1.5e6);
  });
});
