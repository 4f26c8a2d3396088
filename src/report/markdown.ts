/**
 * The Markdown summary: the same content as the HTML report (same numbers, same suppression),
 * as GitHub-flavoured Markdown tables, with links to the chart files instead of live charts.
 */
import { escapeMarkdown, escapeMarkdownParagraph } from "./escape.js";
import {
  buildReportModel,
  type ComparabilityCellText,
  type ComparabilityText,
  type CountText,
  type OutcomeText,
  type SubgroupText,
} from "./model.js";
import type { ReportInput } from "./types.js";

const md = escapeMarkdown;
const para = escapeMarkdownParagraph;

function table(
  head: readonly string[],
  align: readonly ("l" | "r")[],
  rows: readonly (readonly string[])[],
): string {
  const sep = align.map((a) => (a === "r" ? "---:" : "---"));
  return [head, sep, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

function count(c: CountText): string {
  return md(c.text);
}

function chartLinks(label: string, fileName: string): string {
  return `${label}: [SVG](charts/${fileName}.svg) · [PNG](charts/${fileName}.png)`;
}

function subgroupMd(sg: SubgroupText, ci: string): string[] {
  const rows = sg.rows.map((r) => [
    md(r.level),
    count(r.n),
    count(r.nTreated),
    count(r.nControl),
    r.effectHidden ? `*${md(r.effect)}*` : md(r.effect),
  ]);
  if (sg.overall !== undefined) rows.push(["**Overall**", "", "", "", `**${md(sg.overall)}**`]);
  rows.push([`*${md(sg.interaction)}*`, "", "", "", ""]);
  const missing =
    sg.missing === undefined
      ? ""
      : ` Not included: ${count(sg.missing)} without a value of ${md(sg.variable)}.`;
  const out = [
    `### ${md(sg.heading)}`,
    "",
    table(
      [md(sg.variable), "N", "N treated", "N control", `${md(sg.effectLabel)} (${ci})`],
      ["l", "r", "r", "r", "l"],
      rows,
    ),
    "",
    `*Interaction test: ${md(sg.interactionMethod)}.${missing}*`,
    "",
  ];
  if (sg.chart !== undefined) {
    out.push(
      `![${md(sg.chart.description)}](charts/${sg.chart.fileName}.svg)`,
      "",
      chartLinks("Forest plot", sg.chart.fileName),
      "",
    );
  }
  return out;
}

function outcomeMd(o: OutcomeText, ci: string): string {
  const out = [`## ${md(o.title)}`, ""];
  if (o.sentence !== undefined) out.push(para(o.sentence), "");
  if (o.groups.length > 0) {
    const head = ["Group", "Measure", "N", ...(o.hasEvents ? ["Events"] : []), `Estimate (${ci})`];
    const align: ("l" | "r")[] = ["l", "l", "r", ...(o.hasEvents ? (["r"] as const) : []), "l"];
    const rows = o.groups.map((g) => [
      md(g.group),
      md(g.measure),
      count(g.n),
      ...(o.hasEvents ? [g.events === undefined ? "" : count(g.events)] : []),
      g.estimateHidden ? `*${md(g.estimate)}*` : md(g.estimate),
    ]);
    out.push(table(head, align, rows), "");
  }
  if (o.effects.length > 0) {
    const hasP = o.effects.some((x) => x.pValue !== "");
    const head = ["Comparison", `Estimate (${ci})`, ...(hasP ? ["p-value"] : []), "Method"];
    const align: ("l" | "r")[] = ["l", "l", ...(hasP ? (["r"] as const) : []), "l"];
    const rows = o.effects.map((x) => [
      md(x.label),
      md(x.estimate),
      ...(hasP ? [md(x.pValue)] : []),
      md(x.method),
    ]);
    out.push(`### ${md(o.effectsHeading)}`, "", table(head, align, rows), "");
  }
  if (o.chart !== undefined) {
    const f = o.chart.fileName;
    out.push(`![${md(o.chart.description)}](charts/${f}.svg)`, "", chartLinks("Chart", f), "");
  }
  for (const chart of o.extraCharts) {
    out.push(
      `### ${md(chart.title)}`,
      "",
      `![${md(chart.description)}](charts/${chart.fileName}.svg)`,
      "",
      chartLinks("Chart", chart.fileName),
      "",
    );
  }
  for (const sg of o.subgroups) out.push(...subgroupMd(sg, ci));
  if (o.notes.length > 0) out.push(...o.notes.map((x) => `- ${para(x)}`), "");
  return out.join("\n");
}

function comparabilityMd(c: ComparabilityText): string {
  const out = [`## ${md(c.title)}`, "", para(c.sentence), "", para(c.adjustmentLabel), ""];
  const arm = (a: ComparabilityText["arms"]["treated"]) => [
    md(a.label),
    count(a.n),
    count(a.nAdjusted),
    md(a.ess),
  ];
  out.push(
    table(
      ["Group", "Eligible", "In the adjusted sample", "Effective sample size"],
      ["l", "r", "r", "r"],
      [arm(c.arms.treated), arm(c.arms.control)],
    ),
    "",
  );
  if (c.counts.length > 0) {
    out.push(
      table(
        ["Count", "N"],
        ["l", "r"],
        c.counts.map((x) => [md(x.label), count(x.n)]),
      ),
      "",
    );
  }
  const t = c.arms.treated.label;
  const k = c.arms.control.label;
  const cell = (x: ComparabilityCellText) =>
    x.count === undefined ? md(x.value) : `${count(x.count)}${x.value === "" ? "" : ` ${md(x.value)}`}`;
  const rows: string[][] = [];
  for (const r of c.rows) {
    const numeric = r.label === "";
    if (r.first && !numeric) rows.push([`**${md(r.covariate)}**`, "", "", "", "", "", "", "", ""]);
    rows.push([
      numeric ? `${md(r.covariate)}, mean (SD)` : `  ${md(r.label)}`,
      cell(r.before.treated),
      cell(r.before.control),
      cell(r.after.treated),
      cell(r.after.control),
      md(r.smdBefore),
      r.imbalanced ? `**${md(r.smdAfter)}**` : md(r.smdAfter),
      md(r.varianceRatio),
      md(r.balanced),
    ]);
  }
  out.push(
    table(
      [
        "Characteristic",
        `${md(t)}, before n (%)`,
        `${md(k)}, before n (%)`,
        `${md(t)}, after`,
        `${md(k)}, after`,
        "SMD before",
        "SMD after",
        "Variance ratio after",
        `Balanced (\\|SMD\\| < ${md(c.threshold)})`,
      ],
      ["l", "r", "r", "r", "r", "r", "r", "r", "l"],
      rows,
    ),
    "",
    `*${md(c.smdNote)}*`,
    "",
  );
  if (c.notes.length > 0) out.push(...c.notes.map((x) => `- ${para(x)}`), "");
  for (const chart of c.charts) {
    out.push(
      `![${md(chart.description)}](charts/${chart.fileName}.svg)`,
      "",
      chartLinks(md(chart.title), chart.fileName),
      "",
    );
  }
  return out.join("\n");
}

/**
 * Renders the Markdown summary of a report: header and design notice, participant flow, data
 * quality, each outcome's tables with a link to its chart (charts/<name>.svg and .png),
 * limitations, methods, the manifest in a collapsed block, and the suppression note.
 */
export function renderReportMarkdown(input: ReportInput): string {
  const m = buildReportModel(input);
  const out: string[] = [`# ${md(m.title)}`, ""];
  if (m.subtitle !== undefined) out.push(`*${md(m.subtitle)}*`, "");
  out.push(
    `**Design:** ${md(m.designLabel)}${m.generatedAt === undefined ? "" : ` · Generated ${md(m.generatedAt)}`}`,
    "",
  );
  if (m.notice !== undefined) out.push(`> **${md(m.notice.text)}**`, "");
  if (m.suppressionOff !== undefined) out.push(`> **Warning:** ${md(m.suppressionOff)}`, "");
  out.push(para(m.designDescription), "");

  out.push("## Key results", "");
  if (m.outcomes.length === 0) out.push("No outcomes.", "");
  else {
    for (const o of m.outcomes)
      out.push(`- **${md(o.title)}**${o.sentence === undefined ? "" : `: ${md(o.sentence)}`}`);
    out.push("");
  }

  out.push("## Participant flow", "");
  if (m.flow.length === 0) out.push("No flow recorded.", "");
  else {
    const rows: string[][] = [];
    for (const step of m.flow) {
      rows.push([`**${md(step.label)}**`, count(step.n)]);
      for (const x of step.excluded) rows.push([`↳ excluded: ${md(x.reason)}`, count(x.n)]);
    }
    out.push(table(["Step", "N"], ["l", "r"], rows), "");
  }

  out.push("## Data quality", "", "### Files", "");
  if (m.files.length === 0) out.push("No files recorded.", "");
  else {
    out.push(
      table(
        ["File", "Rows read", "Accepted", "Rejected"],
        ["l", "r", "r", "r"],
        m.files.map((f) => [md(f.file), count(f.read), count(f.accepted), count(f.rejected)]),
      ),
      "",
    );
  }
  out.push("### Issues by rule", "");
  if (m.issues.length === 0) out.push("No data-quality issues were found.", "");
  else {
    out.push(
      table(
        ["Rule", "Severity", "Count", "Example"],
        ["l", "l", "r", "l"],
        m.issues.map((x) => [md(x.code), md(x.severity), count(x.count), md(x.example ?? "")]),
      ),
      "",
    );
  }

  if (m.comparability !== undefined) out.push(comparabilityMd(m.comparability));
  for (const o of m.outcomes) out.push(outcomeMd(o, m.ciLabel));

  out.push("## Limitations", "");
  if (m.limitations.length === 0) out.push("None recorded.", "");
  else out.push(...m.limitations.map((l) => `- ${para(l)}`), "");

  out.push("## Methods", "");
  if (m.methods.length === 0) out.push("None recorded.", "");
  else
    out.push(
      table(
        ["Item", "Value"],
        ["l", "l"],
        m.methods.map((x) => [md(x.label), md(x.value)]),
      ),
      "",
    );

  let longestRun = 0;
  for (const run of m.manifestJson.match(/`+/g) ?? []) longestRun = Math.max(longestRun, run.length);
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  out.push(
    "## Manifest",
    "",
    "<details><summary>Inputs, versions and resolved options (JSON)</summary>",
    "",
    `${fence}json`,
    m.manifestJson,
    fence,
    "",
    "</details>",
    "",
    "---",
    "",
    para(m.suppressionNote),
    "",
  );
  return out.join("\n");
}
