/**
 * The self-contained HTML report: one offline page with vega, vega-lite and vega-embed inlined,
 * a Content-Security-Policy that forbids every network request, and all text escaped.
 * Browser-safe (no `node:` imports): the caller passes the three library sources (Node:
 * `loadVegaScripts()` in write.ts; a browser build: its bundler's raw imports).
 */
import { escapeHtml, jsonForScript, scriptSafe } from "./escape.js";
import {
  buildReportModel,
  type ChartText,
  type ComparabilityCellText,
  type ComparabilityText,
  type CountText,
  type OutcomeText,
  type ReportModel,
  reportCharts,
  type SubgroupText,
} from "./model.js";
import type { ReportInput } from "./types.js";

/** Minified UMD builds of vega, vega-lite and vega-embed, inlined into the page in that order. */
export interface VegaScripts {
  readonly vega: string;
  readonly vegaLite: string;
  readonly vegaEmbed: string;
}

/**
 * No network at all: scripts and styles only inline, images only from data:/blob:, no fonts,
 * no fetch. Vega runs with its expression interpreter (`ast: true`), so no 'unsafe-eval'.
 */
export const REPORT_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; " +
  "font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; " +
  "worker-src 'none'; base-uri 'none'; form-action 'none'";

const CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #595959; --line: #d9d9de; --soft: #f5f6f8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 32px 24px 64px; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .3rem; }
h2 { font-size: 1.4rem; margin: 2.5rem 0 .8rem; padding-bottom: .3rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.08rem; margin: 1.4rem 0 .5rem; }
p { margin: .5rem 0; }
a { color: #0b5cad; }
.subtitle { color: var(--muted); font-size: 1.1rem; margin: 0 0 .8rem; }
.meta { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center; color: var(--muted); font-size: .92rem; }
.badge { display: inline-block; padding: .15rem .7rem; border-radius: 999px; background: #e6effa; color: #0b4a8b; font-weight: 600; }
.design-description { margin-top: .6rem; }
.banner { margin: 1rem 0; padding: .75rem 1rem; border-left: 6px solid; border-radius: 4px; }
.banner.descriptive { background: #fff4e5; border-color: #e08a00; color: #5c3a00; font-weight: 700; font-size: 1.05rem; }
.banner.caution { background: #eef4fb; border-color: #4a7fc1; color: #1d3b61; }
.banner.danger { background: #fdecea; border-color: #c62828; color: #7a1212; font-weight: 700; }
nav.toc { margin: 1.2rem 0; padding: .6rem 1rem; background: var(--soft); border-radius: 6px; font-size: .95rem; }
nav.toc ol { margin: .2rem 0; padding-left: 1.4rem; columns: 2; column-gap: 2.5rem; }
nav.toc li { break-inside: avoid; padding-right: .5rem; }
.key-results { padding-left: 1.2rem; }
.key-results li { margin: .3rem 0; }
.sentence { font-size: 1.06rem; background: var(--soft); padding: .7rem 1rem; border-radius: 6px; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .95rem; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--soft); border-bottom: 2px solid #b5b5bd; font-weight: 600; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.estimate { font-variant-numeric: tabular-nums; white-space: nowrap; }
td.method { color: var(--muted); font-size: .9rem; }
.hidden-estimate { color: var(--muted); font-style: italic; }
.severity-error { color: #b3261e; font-weight: 600; }
.severity-warning { color: #8a5a00; font-weight: 600; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em; }
.flow { list-style: none; margin: 0; padding: 0; }
.flow-step { display: grid; grid-template-columns: minmax(0, 22rem) minmax(0, 1fr); column-gap: 1.5rem; }
.flow-box { display: flex; justify-content: space-between; gap: 1rem; padding: .55rem .9rem;
  border: 1px solid #8ea6c0; border-radius: 6px; background: #f4f8fc; font-weight: 600; }
.flow-box .count { font-variant-numeric: tabular-nums; }
.flow-link { grid-column: 1; text-align: center; color: #6f8197; line-height: 1; padding: .35rem 0; font-size: 1.2rem; }
.flow-excluded { grid-column: 2; grid-row: 2; align-self: center; font-size: .9rem; border: 1px dashed #b9b9c3;
  border-radius: 6px; padding: .4rem .8rem; margin: .3rem 0; }
.flow-excluded ul { list-style: none; margin: 0; padding: 0; }
.flow-excluded li { display: flex; justify-content: space-between; gap: 1rem; }
.flow-excluded .count { font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1rem 0 1.5rem; }
.chart { overflow-x: auto; min-height: 2rem; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .3rem; }
ul.limitations li { margin: .3rem 0; }
.table-scroll { overflow-x: auto; }
table.table1 { font-size: .86rem; }
table.table1 th, table.table1 td { padding: .3rem .45rem; }
table.table1 tbody th { min-width: 11rem; }
table.table1 tr.covariate th { background: #fafafb; font-weight: 600; padding-top: .6rem; }
table.table1 th.level { padding-left: 1.4rem; font-weight: 400; }
table.table1 tr.imbalanced td.smd-after { color: #b3261e; font-weight: 700; }
table.comparability-arms, table.comparability-counts { width: auto; min-width: 60%; }
p.note { color: var(--muted); font-size: .9rem; }
ul.notes { color: var(--muted); font-size: .9rem; padding-left: 1.2rem; }
table.subgroups { width: auto; min-width: 70%; }
table.subgroups tr.overall th, table.subgroups tr.overall td { font-weight: 600; border-top: 2px solid #b5b5bd; }
table.subgroups tfoot td { font-weight: 600; border-bottom: none; }
dl.methods { display: grid; grid-template-columns: minmax(10rem, 18rem) 1fr; gap: .3rem 1rem; font-size: .95rem; }
dl.methods dt { font-weight: 600; }
dl.methods dd { margin: 0; }
details { margin: 1rem 0; border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; }
summary { cursor: pointer; font-weight: 600; }
pre { background: var(--soft); padding: .8rem; overflow-x: auto; font-size: .8rem; line-height: 1.4; }
footer { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; }
@media (max-width: 640px) {
  .flow-step { grid-template-columns: 1fr; }
  .flow-excluded { grid-column: 1; grid-row: auto; }
  nav.toc ol { columns: 1; }
}
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2, h3 { break-after: avoid; }
  table, figure, .flow-step, .banner, dl.methods { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .banner, thead th, .flow-box { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  details { border: none; padding: 0; }
}
`;

/** Renders every chart with vegaEmbed, then sets body[data-rendered="yes"] (or "error"). */
const EMBED_SCRIPT = `
(function () {
  "use strict";
  var body = document.body;
  var charts = Array.prototype.slice.call(document.querySelectorAll("[data-chart-spec]"));
  body.setAttribute("data-chart-count", String(charts.length));
  function fail(err) {
    body.setAttribute("data-rendered", "error");
    body.setAttribute("data-render-error", String((err && err.message) || err));
  }
  if (charts.length === 0) { body.setAttribute("data-rendered", "yes"); return; }
  if (typeof vegaEmbed !== "function") { fail("vega-embed did not load"); return; }
  Promise.all(charts.map(function (el) {
    var spec = JSON.parse(document.getElementById(el.getAttribute("data-chart-spec")).textContent);
    return vegaEmbed(el, spec, { renderer: "svg", actions: false, ast: true });
  })).then(function () { body.setAttribute("data-rendered", "yes"); }, fail);
})();
`;

const e = escapeHtml;

function countHtml(c: CountText, tag: "td" | "span"): string {
  const cls = tag === "td" ? "num count" : "count";
  const title =
    c.status === "primary"
      ? ' title="Hidden: a small count"'
      : c.status === "complementary"
        ? ' title="Hidden so that a small count cannot be worked out"'
        : "";
  return `<${tag} class="${cls}" data-status="${c.status}"${title}>${e(c.text)}</${tag}>`;
}

function headerHtml(m: ReportModel): string {
  const parts = [`<header class="report-header">`, `<h1>${e(m.title)}</h1>`];
  if (m.subtitle !== undefined) parts.push(`<p class="subtitle">${e(m.subtitle)}</p>`);
  parts.push(`<div class="meta"><span class="badge design-label">${e(m.designLabel)}</span>`);
  if (m.generatedAt !== undefined) parts.push(`<span>Generated ${e(m.generatedAt)}</span>`);
  parts.push("</div>");
  if (m.notice !== undefined) {
    parts.push(`<div class="banner ${m.notice.kind}" role="note">${e(m.notice.text)}</div>`);
  }
  if (m.suppressionOff !== undefined) {
    parts.push(`<div class="banner danger" role="alert">${e(m.suppressionOff)}</div>`);
  }
  parts.push(`<p class="design-description">${e(m.designDescription)}</p>`, "</header>");
  return parts.join("\n");
}

function tocHtml(m: ReportModel): string {
  const items = [
    ["key-results", "Key results"],
    ["flow", "Participant flow"],
    ["data-quality", "Data quality"],
    ...(m.comparability === undefined ? [] : [["comparability", m.comparability.title] as const]),
    ...m.outcomes.map((o, k) => [`outcome-${k + 1}`, o.title] as const),
    ["limitations", "Limitations"],
    ["methods", "Methods"],
    ["manifest", "Manifest"],
  ];
  const lis = items.map(([id, label]) => `<li><a href="#${e(id ?? "")}">${e(label ?? "")}</a></li>`).join("");
  return `<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>${lis}</ol></nav>`;
}

function keyResultsHtml(m: ReportModel): string {
  const items = m.outcomes.map((o, k) => {
    const text = o.sentence === undefined ? "" : `: ${e(o.sentence)}`;
    return `<li><a href="#outcome-${k + 1}">${e(o.title)}</a>${text}</li>`;
  });
  const body = items.length > 0 ? `<ul class="key-results">${items.join("")}</ul>` : "<p>No outcomes.</p>";
  return `<section id="key-results"><h2>Key results</h2>${body}</section>`;
}

function flowHtml(m: ReportModel): string {
  if (m.flow.length === 0)
    return `<section id="flow"><h2>Participant flow</h2><p>No flow recorded.</p></section>`;
  const steps = m.flow.map((step, i) => {
    const box = `<div class="flow-box"><span class="flow-label">${e(step.label)}</span>${countHtml(step.n, "span")}</div>`;
    const last = i === m.flow.length - 1;
    const link =
      last && step.excluded.length === 0 ? "" : `<div class="flow-link" aria-hidden="true">↓</div>`;
    const excluded =
      step.excluded.length === 0
        ? ""
        : `<div class="flow-excluded"><strong>Excluded</strong><ul>${step.excluded
            .map((x) => `<li><span>${e(x.reason)}</span>${countHtml(x.n, "span")}</li>`)
            .join("")}</ul></div>`;
    return `<li class="flow-step">${box}${link}${excluded}</li>`;
  });
  return `<section id="flow"><h2>Participant flow</h2><ol class="flow">${steps.join("")}</ol></section>`;
}

function dataQualityHtml(m: ReportModel): string {
  const files =
    m.files.length === 0
      ? "<p>No files recorded.</p>"
      : `<table class="files"><thead><tr><th scope="col">File</th><th scope="col" class="num">Rows read</th><th scope="col" class="num">Accepted</th><th scope="col" class="num">Rejected</th></tr></thead><tbody>${m.files
          .map(
            (f) =>
              `<tr><td><code>${e(f.file)}</code></td>${countHtml(f.read, "td")}${countHtml(f.accepted, "td")}${countHtml(f.rejected, "td")}</tr>`,
          )
          .join("")}</tbody></table>`;
  const issues =
    m.issues.length === 0
      ? "<p>No data-quality issues were found.</p>"
      : `<table class="issues"><thead><tr><th scope="col">Rule</th><th scope="col">Severity</th><th scope="col" class="num">Count</th><th scope="col">Example</th></tr></thead><tbody>${m.issues
          .map(
            (x) =>
              `<tr><td><code>${e(x.code)}</code></td><td class="severity-${e(x.severity)}">${e(x.severity)}</td>${countHtml(x.count, "td")}<td>${e(x.example ?? "")}</td></tr>`,
          )
          .join("")}</tbody></table>`;
  return `<section id="data-quality"><h2>Data quality</h2><h3>Files</h3>${files}<h3>Issues by rule</h3>${issues}</section>`;
}

function cellHtml(c: ComparabilityCellText): string {
  const count = c.count === undefined ? "" : `${countHtml(c.count, "span")} `;
  const value =
    c.hidden && c.count === undefined ? `<span class="hidden-estimate">${e(c.value)}</span>` : e(c.value);
  return `<td class="num">${count}${value}</td>`;
}

function chartFigureHtml(id: string, chart: ChartText, title?: string): string {
  return (
    `<figure>${title === undefined ? "" : `<h3>${e(title)}</h3>`}<div class="chart" id="${id}" data-chart-spec="${id}-spec" role="img" aria-label="${e(chart.description)}"></div>` +
    `<script type="application/json" id="${id}-spec">${jsonForScript(chart.spec)}</script>` +
    `<figcaption>${e(chart.description)} Also saved as <code>charts/${e(chart.fileName)}.svg</code> and <code>.png</code>.</figcaption></figure>`
  );
}

function comparabilityHtml(m: ReportModel): string {
  const c = m.comparability;
  if (c === undefined) return "";
  const parts = [`<section id="comparability"><h2>${e(c.title)}</h2>`];
  parts.push(`<p class="sentence">${e(c.sentence)}</p>`, `<p>${e(c.adjustmentLabel)}</p>`);
  const armRow = (a: ComparabilityText["arms"]["treated"]) =>
    `<tr><th scope="row">${e(a.label)}</th>${countHtml(a.n, "td")}${countHtml(a.nAdjusted, "td")}<td class="num">${e(a.ess)}</td></tr>`;
  parts.push(
    `<h3>Group sizes</h3><table class="comparability-arms"><thead><tr><th scope="col">Group</th><th scope="col" class="num">Eligible</th><th scope="col" class="num">In the adjusted sample</th><th scope="col" class="num">Effective sample size</th></tr></thead><tbody>${armRow(c.arms.treated)}${armRow(c.arms.control)}</tbody></table>`,
  );
  if (c.counts.length > 0) {
    parts.push(
      `<table class="comparability-counts"><tbody>${c.counts
        .map((x) => `<tr><th scope="row">${e(x.label)}</th>${countHtml(x.n, "td")}</tr>`)
        .join("")}</tbody></table>`,
    );
  }
  const t = c.arms.treated.label;
  const k = c.arms.control.label;
  const head =
    `<thead><tr><th scope="col" rowspan="2">Characteristic</th><th scope="colgroup" colspan="2" class="num">Before adjustment, n (%)</th><th scope="colgroup" colspan="2" class="num">After adjustment</th><th scope="col" rowspan="2" class="num">SMD before</th><th scope="col" rowspan="2" class="num">SMD after</th><th scope="col" rowspan="2" class="num">Variance ratio after</th><th scope="col" rowspan="2">Balanced (|SMD| &lt; ${e(c.threshold)})</th></tr>` +
    `<tr><th scope="col" class="num">${e(t)}</th><th scope="col" class="num">${e(k)}</th><th scope="col" class="num">${e(t)}</th><th scope="col" class="num">${e(k)}</th></tr></thead>`;
  const body: string[] = [];
  for (const r of c.rows) {
    const numeric = r.label === "";
    if (r.first && !numeric)
      body.push(`<tr class="covariate"><th scope="rowgroup" colspan="9">${e(r.covariate)}</th></tr>`);
    const label = numeric ? `${r.covariate}, mean (SD)` : r.label;
    body.push(
      `<tr${r.imbalanced ? ' class="imbalanced"' : ""}><th scope="row"${numeric ? "" : ' class="level"'}>${e(label)}</th>${cellHtml(r.before.treated)}${cellHtml(r.before.control)}${cellHtml(r.after.treated)}${cellHtml(r.after.control)}<td class="num">${e(r.smdBefore)}</td><td class="num smd-after">${e(r.smdAfter)}</td><td class="num">${e(r.varianceRatio)}</td><td>${e(r.balanced)}</td></tr>`,
    );
  }
  parts.push(
    `<h3>Characteristics before and after adjustment</h3><div class="table-scroll"><table class="table1">${head}<tbody>${body.join("")}</tbody></table></div>`,
    `<p class="note">${e(c.smdNote)}</p>`,
  );
  if (c.notes.length > 0)
    parts.push(`<ul class="notes">${c.notes.map((x) => `<li>${e(x)}</li>`).join("")}</ul>`);
  c.charts.forEach((chart, i) => {
    parts.push(chartFigureHtml(`comparability-chart-${i + 1}`, chart, chart.title));
  });
  parts.push("</section>");
  return parts.join("\n");
}

function subgroupHtml(sg: SubgroupText, id: string, ci: string): string {
  const rows = sg.rows.map((r) => {
    const est = r.effectHidden
      ? `<td class="estimate hidden-estimate">${e(r.effect)}</td>`
      : `<td class="estimate">${e(r.effect)}</td>`;
    return `<tr><th scope="row">${e(r.level)}</th>${countHtml(r.n, "td")}${countHtml(r.nTreated, "td")}${countHtml(r.nControl, "td")}${est}</tr>`;
  });
  if (sg.overall !== undefined) {
    rows.push(
      `<tr class="overall"><th scope="row">Overall</th><td class="num"></td><td class="num"></td><td class="num"></td><td class="estimate">${e(sg.overall)}</td></tr>`,
    );
  }
  const missing =
    sg.missing === undefined
      ? ""
      : ` Not included: ${countHtml(sg.missing, "span")} without a value of ${e(sg.variable)}.`;
  const parts = [
    `<h3>${e(sg.heading)}</h3>`,
    `<div class="table-scroll"><table class="subgroups"><thead><tr><th scope="col">${e(sg.variable)}</th><th scope="col" class="num">N</th><th scope="col" class="num">N treated</th><th scope="col" class="num">N control</th><th scope="col">${e(sg.effectLabel)} (${e(ci)})</th></tr></thead><tbody>${rows.join("")}</tbody><tfoot><tr class="interaction"><td colspan="5">${e(sg.interaction)}</td></tr></tfoot></table></div>`,
    `<p class="note">Interaction test: ${e(sg.interactionMethod)}.${missing}</p>`,
  ];
  if (sg.chart !== undefined) parts.push(chartFigureHtml(id, sg.chart));
  return parts.join("\n");
}

function outcomeHtml(o: OutcomeText, k: number, ci: string): string {
  const parts = [`<section id="outcome-${k + 1}" class="outcome"><h2>${e(o.title)}</h2>`];
  if (o.sentence !== undefined) parts.push(`<p class="sentence">${e(o.sentence)}</p>`);
  if (o.groups.length > 0) {
    const eventsHead = o.hasEvents ? `<th scope="col" class="num">Events</th>` : "";
    const rows = o.groups.map((g) => {
      const events = o.hasEvents
        ? g.events === undefined
          ? `<td class="num"></td>`
          : countHtml(g.events, "td")
        : "";
      const est = g.estimateHidden
        ? `<td class="estimate hidden-estimate">${e(g.estimate)}</td>`
        : `<td class="estimate">${e(g.estimate)}</td>`;
      return `<tr><th scope="row">${e(g.group)}</th><td>${e(g.measure)}</td>${countHtml(g.n, "td")}${events}${est}</tr>`;
    });
    parts.push(
      `<h3>By group</h3><table class="groups"><thead><tr><th scope="col">Group</th><th scope="col">Measure</th><th scope="col" class="num">N</th>${eventsHead}<th scope="col">Estimate (${e(ci)})</th></tr></thead><tbody>${rows.join("")}</tbody></table>`,
    );
  }
  if (o.effects.length > 0) {
    const hasP = o.effects.some((x) => x.pValue !== "");
    const rows = o.effects.map(
      (x) =>
        `<tr><th scope="row">${e(x.label)}</th><td class="estimate">${e(x.estimate)}</td>${hasP ? `<td class="num">${e(x.pValue)}</td>` : ""}<td class="method">${e(x.method)}</td></tr>`,
    );
    parts.push(
      `<h3>${e(o.effectsHeading)}</h3><table class="effects"><thead><tr><th scope="col">Comparison</th><th scope="col">Estimate (${e(ci)})</th>${hasP ? `<th scope="col" class="num">p-value</th>` : ""}<th scope="col">Method</th></tr></thead><tbody>${rows.join("")}</tbody></table>`,
    );
  }
  if (o.chart !== undefined) parts.push(chartFigureHtml(`chart-${k + 1}`, o.chart));
  o.extraCharts.forEach((chart, i) => {
    parts.push(chartFigureHtml(`chart-${k + 1}-extra-${i + 1}`, chart, chart.title));
  });
  o.subgroups.forEach((sg, i) => {
    parts.push(subgroupHtml(sg, `chart-${k + 1}-subgroup-${i + 1}`, ci));
  });
  if (o.notes.length > 0)
    parts.push(`<ul class="notes">${o.notes.map((x) => `<li>${e(x)}</li>`).join("")}</ul>`);
  parts.push("</section>");
  return parts.join("\n");
}

function tailHtml(m: ReportModel): string {
  const limitations =
    m.limitations.length === 0
      ? "<p>None recorded.</p>"
      : `<ul class="limitations">${m.limitations.map((l) => `<li>${e(l)}</li>`).join("")}</ul>`;
  const methods =
    m.methods.length === 0
      ? "<p>None recorded.</p>"
      : `<dl class="methods">${m.methods.map((x) => `<dt>${e(x.label)}</dt><dd>${e(x.value)}</dd>`).join("")}</dl>`;
  return [
    `<section id="limitations"><h2>Limitations</h2>${limitations}</section>`,
    `<section id="methods"><h2>Methods</h2>${methods}</section>`,
    `<section id="manifest"><h2>Manifest</h2><details><summary>Inputs, versions and resolved options (JSON)</summary><pre>${e(m.manifestJson)}</pre></details></section>`,
    `<footer><p class="suppression-note">${e(m.suppressionNote)}</p><p>Aggregates only: this report contains no row-level data. Made by prss-eval.</p></footer>`,
  ].join("\n");
}

/**
 * Renders the whole report as one self-contained HTML page (no external resources; works offline
 * and from file://). Charts are drawn in the page by vega-embed (SVG renderer, no action menu);
 * when all are drawn, `body[data-rendered="yes"]` is set and `body[data-chart-count]` holds their
 * number. Every count obeys the small-cell policy; every text is HTML-escaped.
 */
export function renderReportHtml(input: ReportInput, scripts: VegaScripts): string {
  const m = buildReportModel(input);
  const body = [
    headerHtml(m),
    tocHtml(m),
    keyResultsHtml(m),
    flowHtml(m),
    dataQualityHtml(m),
    comparabilityHtml(m),
    ...m.outcomes.map((o, k) => outcomeHtml(o, k, m.ciLabel)),
    tailHtml(m),
  ].join("\n");
  const hasCharts = reportCharts(m).length > 0;
  const libs = hasCharts
    ? [scripts.vega, scripts.vegaLite, scripts.vegaEmbed]
        .map((s) => `<script>${scriptSafe(s)}</script>`)
        .join("\n")
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(REPORT_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(m.title)}</title>
<style>${CSS}</style>
</head>
<body data-rendered="no">
<main>
${body}
</main>
<noscript><p>Charts need JavaScript; they are also saved as SVG and PNG in the charts folder.</p></noscript>
${libs}
<script>${EMBED_SCRIPT}</script>
</body>
</html>
`;
}
