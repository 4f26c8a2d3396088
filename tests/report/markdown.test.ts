// The Markdown summary: same numbers and suppression as the HTML, GFM tables, links to the charts.
import { describe, expect, it } from "vitest";
import { escapeMarkdown, escapeMarkdownParagraph } from "../../src/report/escape.js";
import { DESCRIPTIVE_BANNER } from "../../src/report/labels.js";
import { renderReportMarkdown } from "../../src/report/markdown.js";
import { FIXTURE_DESCRIPTIVE, FIXTURE_REPORT } from "./fixtures.js";

describe("escapeMarkdown", () => {
  it("escapes inline punctuation and raw HTML, keeps numbers readable", () => {
    expect(escapeMarkdown("a|b *c* _d_ [e](f) `g` <b>&")).toBe(
      "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` &lt;b&gt;&amp;",
    );
    expect(escapeMarkdown("23.1% (19.3% to 27.5%)")).toBe("23.1% (19.3% to 27.5%)");
    expect(escapeMarkdown("line\nbreak")).toBe("line break");
  });
  it("escapes block markers at the start of a paragraph only", () => {
    expect(escapeMarkdownParagraph("# not a heading")).toBe("\\# not a heading");
    expect(escapeMarkdownParagraph("- not a list")).toBe("\\- not a list");
    expect(escapeMarkdownParagraph("1. not a list")).toBe("1\\. not a list");
    expect(escapeMarkdownParagraph("-0.12 is a number")).toBe("-0.12 is a number");
    expect(escapeMarkdownParagraph("23.1% started")).toBe("23.1% started");
  });
});

describe("renderReportMarkdown", () => {
  const md = renderReportMarkdown(FIXTURE_REPORT);

  it("has the title, design and sections", () => {
    expect(md.startsWith("# Peer recovery support after an overdose ED visit\n")).toBe(true);
    expect(md).toContain("**Design:** Matched comparison group (observational)");
    for (const h of [
      "## Key results",
      "## Participant flow",
      "## Data quality",
      "## Limitations",
      "## Methods",
      "## Manifest",
    ]) {
      expect(md).toContain(`\n${h}\n`);
    }
    expect(renderReportMarkdown(FIXTURE_DESCRIPTIVE)).toContain(`> **${DESCRIPTIVE_BANNER}**`);
  });

  it("writes GFM tables with the formatted estimates", () => {
    expect(md).toContain(
      "| Group | Measure | N | Events | Estimate (95% CI) |\n| --- | --- | ---: | ---: | --- |",
    );
    expect(md).toContain("| Hazard ratio | 1.62 (1.29 to 2.04) | 0.005 | Cox proportional hazards");
    expect(md).toContain("| Risk difference at 90 days | 11.8 pp (5.6 pp to 18.1 pp) | &lt;0.001 |");
    // every table row has the same number of cells as its header
    for (const block of md.split("\n\n").filter((b) => b.startsWith("| "))) {
      const widths = block.split("\n").map((line) => line.split(/(?<!\\)\|/).length);
      expect(new Set(widths).size, block.slice(0, 80)).toBe(1);
    }
  });

  it("applies the same small-cell suppression as the HTML", () => {
    expect(md).toContain("| ↳ excluded: Rejected by validation | ≤10 |");
    expect(md).toContain("| **Eligible** | † |");
    expect(md).toContain("| **Analysed** | 801 |");
    expect(md).toContain(
      "| Peer recovery support | Proportion with a return visit | 412 | ≤10 | *hidden (small numbers)* |",
    );
    expect(md).toContain("Counts of 1 to 10 are hidden");
    const off = renderReportMarkdown({ ...FIXTURE_REPORT, smallCell: { suppressed: false } });
    expect(off).toContain("| ↳ excluded: Rejected by validation | 7 |");
    expect(off).toContain("> **Warning:** Small-cell suppression is OFF");
  });

  it("links each chart as SVG and PNG", () => {
    expect(md).toContain("](charts/days-to-moud.svg)");
    expect(md).toContain("Chart: [SVG](charts/days-to-moud.svg) · [PNG](charts/days-to-moud.png)");
    expect(md).toContain("Chart: [SVG](charts/ed-return.svg) · [PNG](charts/ed-return.png)");
  });

  it("puts the manifest in a collapsed JSON block that its content cannot close", () => {
    expect(md).toContain(
      '<details><summary>Inputs, versions and resolved options (JSON)</summary>\n\n```json\n{\n  "package"',
    );
    const tricky = renderReportMarkdown({ ...FIXTURE_REPORT, manifest: { note: "```` fence" } });
    expect(tricky).toContain("`````json\n");
  });

  it("escapes text from the input", () => {
    const evil = renderReportMarkdown({
      ...FIXTURE_REPORT,
      title: "A | B <script>",
      limitations: ["1. first"],
    });
    expect(evil).toContain("# A \\| B &lt;script&gt;");
    expect(evil).toContain("- 1\\. first");
  });
});
