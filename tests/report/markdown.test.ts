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

  it("writes each subgroup section as a table ending with the overall row and the interaction p", () => {
    expect(md).toContain(
      [
        "### Subgroups by sex",
        "",
        "| Sex | N | N treated | N control | Risk difference (95% CI) |",
        "| --- | ---: | ---: | ---: | --- |",
        "| Female | † | † | † | 15.0 pp (-2.0 pp to 32.0 pp) |",
        "| Male | 163 | 92 | 71 | 11.0 pp (-3.0 pp to 25.0 pp) |",
        "| Another gender identity | † | ≤10 | † | *hidden (small numbers)* |",
        "| **Overall** |  |  |  | **13.0 pp (2.0 pp to 24.0 pp)** |",
        "| *Interaction p = 0.74* |  |  |  |  |",
        "",
        "*Interaction test: Wald χ² test of the arm × sex terms (2 df), robust variance.*",
      ].join("\n"),
    );
    expect(md).toContain(
      "*Interaction test: Wald χ² test of the arm × housing status terms, robust variance. Not included: 14 without a value of Housing status.*",
    );
    expect(md).toContain(
      "Forest plot: [SVG](charts/moud-retention-subgroup-sex.svg) · [PNG](charts/moud-retention-subgroup-sex.png)",
    );
    expect(md).toContain("](charts/ed-return-subgroup-housing-status.svg)");
  });

  it("links the extra charts under their titles, and lists the notes", () => {
    expect(md).toContain(
      "### Change from intake to 12 months\n\n![Mean change in BARC-10: estimates (points) with 95% CIs (vertical lines) for Peer recovery support and Usual care.](charts/recovery-capital-change.svg)\n\nChart: [SVG](charts/recovery-capital-change.svg) · [PNG](charts/recovery-capital-change.png)",
    );
    expect(md).toContain("Chart: [SVG](charts/moud-retention.svg) · [PNG](charts/moud-retention.png)");
    expect(md).toContain("Chart: [SVG](charts/recovery-capital.svg) · [PNG](charts/recovery-capital.png)");
    expect(md).toContain(
      "- Analysed in its own eligible sample: people with a BARC-10 at intake and at least one later assessment.\n- BARC-10 scores range from 10 to 60; higher scores mean more recovery capital.\n",
    );
    expect(md).toContain("- Analysed among the people who started MOUD within 90 days of the ED visit.");
    // the hidden chart points are counted in the chart descriptions
    expect(md).toContain(
      "1 point based on 1 to 10 people is not shown (small numbers).](charts/moud-retention.svg)",
    );
    expect(md).toContain(
      "1 point based on 1 to 10 people is not shown (small numbers).](charts/recovery-capital.svg)",
    );
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
