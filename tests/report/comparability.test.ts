/**
 * The "Comparability" section of matched and weighted designs: Table 1 counts obey small-cell
 * suppression (primary, and complementary within a covariate's levels), a hidden count hides its
 * percentage and its SMDs (an SMD with the other arm's share would give the count away), the Love plot
 * leaves those rows out, and both renderers show the section.
 */
import { describe, expect, it } from "vitest";
import { chartSpec } from "../../src/report/charts/index.js";
import { checkReportInput } from "../../src/report/check.js";
import { renderReportHtml } from "../../src/report/html.js";
import { renderReportMarkdown } from "../../src/report/markdown.js";
import { buildReportModel } from "../../src/report/model.js";
import type { ComparabilityRow, ComparabilitySection, ReportInput } from "../../src/report/types.js";
import { FIXTURE_REPORT } from "./fixtures.js";

const level = (
  covariate: string,
  name: string,
  t: number,
  c: number,
  nt: number,
  nc: number,
  smd: [number, number],
): ComparabilityRow => ({
  covariate,
  level: name,
  type: "level",
  before: { treated: { n: t, proportion: t / nt }, control: { n: c, proportion: c / nc } },
  after: { treated: { n: t, proportion: t / nt }, control: { n: c, proportion: c / nc + 0.01 } },
  smdBefore: smd[0],
  smdAfter: smd[1],
  balanced: Math.abs(smd[1]) < 0.1,
});

const NT = 300;
const NC = 600;
const SECTION: ComparabilitySection = {
  title: "Comparability of the groups",
  sentence: "After weighting, every measured characteristic differs by less than 0.1.",
  adjustmentLabel: "Propensity-score weighting (ATT weights).",
  arms: {
    treated: { label: "Peer support", n: NT, nAdjusted: NT, ess: NT },
    control: { label: "Comparison", n: NC, nAdjusted: NC, ess: 412.34 },
  },
  rows: [
    {
      covariate: "Age at index (years)",
      level: null,
      type: "numeric",
      before: { treated: { n: NT, mean: 38.12, sd: 10.5 }, control: { n: NC, mean: 36.4, sd: 11 } },
      after: { treated: { n: NT, mean: 38.12, sd: 10.5 }, control: { n: NC, mean: 38.0, sd: 10.9 } },
      smdBefore: 0.164,
      smdAfter: 0.011,
      varianceRatioAfter: 0.98,
      balanced: true,
    },
    level("Housing", "Homeless", 60, 200, NT, NC, [-0.2, 0.02]),
    level("Housing", "Housed", 235, 396, NT, NC, [0.15, -0.01]),
    level("Housing", "Unknown", 5, 4, NT, NC, [0.05, 0.03]),
    level("Sex", "Female", 121, 201, NT, NC, [0.14, 0.001]),
    level("Sex", "Male", 179, 399, NT, NC, [-0.14, -0.001]),
  ],
  threshold: 0.1,
  allBalanced: true,
  smdNote: "SMD: standardized mean difference.",
  counts: [{ label: "Weights trimmed (winsorised)", n: 3 }],
  notes: ["Every characteristic is measured before the index episode."],
  charts: [
    {
      id: "propensity-overlap",
      title: "Propensity-score overlap",
      chart: {
        kind: "vegaLite",
        spec: {
          $schema: "https://vega.github.io/schema/vega-lite/v6.json",
          data: { values: [{ x: 0.2, y: 40 }] },
          mark: "bar",
          encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
        },
        description: "Overlap of the propensity score.",
        suppressed: true,
      },
    },
  ],
};

const INPUT: ReportInput = {
  ...FIXTURE_REPORT,
  design: { ...FIXTURE_REPORT.design, kind: "weighted" },
  comparability: SECTION,
};

describe("comparability section", () => {
  const m = buildReportModel(INPUT);
  const c = m.comparability!;

  it("hides small level counts, a second level of the same covariate, their percentages and SMDs", () => {
    const unknown = c.rows[3]!;
    expect(unknown.before.treated.count!.text).toBe("≤10");
    expect(unknown.before.control.count!.text).toBe("≤10");
    expect(unknown.before.treated.value).toBe("");
    expect(unknown.after.control.value).toBe("hidden");
    expect(unknown.smdBefore).toBe("hidden");
    expect(unknown.smdAfter).toBe("hidden");
    // Housed = 300 − 60 − hidden: a second housing level must be hidden in each arm.
    const homeless = c.rows[1]!;
    const housed = c.rows[2]!;
    for (const arm of ["treated", "control"] as const) {
      const hidden = [homeless.before[arm], housed.before[arm]].filter(
        (x) => x.count!.status === "complementary",
      );
      expect(hidden.length, arm).toBeGreaterThanOrEqual(1);
    }
    // Sex has no small cell: shown with percentages and SMDs.
    expect(c.rows[4]!.before.treated.count!.text).toBe("121");
    expect(c.rows[4]!.before.treated.value).toBe("(40.3%)");
    expect(c.rows[4]!.smdAfter).toBe("0.001");
  });

  it("shows means (SD) of numeric rows and the effective sample size", () => {
    expect(c.rows[0]!.before.treated.value).toBe("38.1 (10.5)");
    expect(c.rows[0]!.varianceRatio).toBe("0.98");
    expect(c.arms.control.ess).toBe("412.3");
    expect(c.counts[0]!.n.text).toBe("≤10");
  });

  it("draws the Love plot without the rows whose SMDs are hidden, and passes the overlap spec through", () => {
    expect(c.charts.map((x) => x.fileName)).toEqual([
      "comparability-love-plot",
      "comparability-propensity-overlap",
    ]);
    const love = JSON.stringify(c.charts[0]!.spec);
    expect(love).toContain("Sex: Female");
    expect(love).not.toContain("Housing: Unknown");
    const hiddenRows = c.rows.filter((r) => r.smdAfter === "hidden").length;
    expect(hiddenRows).toBeGreaterThanOrEqual(2);
    const overlap = c.charts[1]!.spec as unknown as { mark: string; description: string };
    expect(overlap.mark).toBe("bar");
    expect(overlap.description).toBe("Overlap of the propensity score.");
  });

  it("renders in HTML (with a contents entry) and Markdown", () => {
    const html = renderReportHtml(INPUT, { vega: "", vegaLite: "", vegaEmbed: "" });
    expect(html).toContain('id="comparability"');
    expect(html).toContain('href="#comparability"');
    expect(html).toContain('<table class="table1">');
    expect(html).toContain("Effective sample size");
    expect(html).not.toMatch(/>[1-9]<\/span> \(/);
    const md = renderReportMarkdown(INPUT);
    expect(md).toContain("## Comparability of the groups");
    expect(md).toContain("charts/comparability-love-plot.svg");
    const unknown = md.split("\n").find((l) => l.includes("Unknown") && l.includes("≤10"));
    expect(unknown?.split("|").map((x) => x.trim())).toEqual([
      "",
      "Unknown",
      "≤10",
      "≤10",
      "hidden",
      "hidden",
      "hidden",
      "hidden",
      "",
      "Yes",
      "",
    ]);
  });

  it("flags causal wording in the comparability sentence", () => {
    const w = checkReportInput({
      ...INPUT,
      comparability: { ...SECTION, sentence: "Peer support led to better balance." },
    });
    expect(w.some((x) => x.code === "CAUSAL_WORDING" && x.message.includes("comparability"))).toBe(true);
  });

  it("builds a Love plot spec from a 'love' chart input", () => {
    const spec = chartSpec({
      kind: "love",
      xLabel: "Absolute SMD",
      threshold: 0.1,
      rows: [{ label: "Age", before: -0.3, after: 0.02 }],
    }) as unknown as { layer: { data: { values: { smd: number }[] } }[] };
    expect(spec.layer[1]!.data.values.map((v) => v.smd)).toEqual([0.3, 0.02]);
  });
});
