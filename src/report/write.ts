/**
 * Writes a report folder (Node only; the one report module with `node:` imports):
 *   report.html      self-contained page (vega, vega-lite, vega-embed inlined)
 *   report.md        Markdown summary
 *   charts/<name>.svg and charts/<name>.png, one pair per chart (comparability; per outcome its
 *                    chart, extra charts and subgroup forest plots)
 *   results.json     the caller's result object, when given
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Warning } from "../messages.js";
import { checkReportInput } from "./check.js";
import { renderReportHtml, type VegaScripts } from "./html.js";
import { renderReportMarkdown } from "./markdown.js";
import { buildReportModel, reportCharts } from "./model.js";
import { specToSvg, svgToPng } from "./svg.js";
import type { ReportInput } from "./types.js";

let cachedScripts: Promise<VegaScripts> | undefined;

async function readBuild(pkg: string, file: string): Promise<string> {
  const require = createRequire(import.meta.url);
  // The packages' `exports` hide build/*.min.js, so go through the folder of the main entry.
  const path = join(dirname(require.resolve(pkg)), file);
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read ${pkg}'s browser build at ${path}: ${(err as Error).message}`);
  }
}

/** Reads the minified browser builds of vega, vega-lite and vega-embed from node_modules (cached). */
export function loadVegaScripts(): Promise<VegaScripts> {
  cachedScripts ??= Promise.all([
    readBuild("vega", "vega.min.js"),
    readBuild("vega-lite", "vega-lite.min.js"),
    readBuild("vega-embed", "vega-embed.min.js"),
  ]).then(([vega, vegaLite, vegaEmbed]) => ({ vega, vegaLite, vegaEmbed }));
  return cachedScripts;
}

export interface WriteReportOptions {
  /** Written as results.json (indented) when given. */
  readonly results?: unknown;
  /** Also write charts/*.png (default true). */
  readonly png?: boolean;
}

export interface WrittenReport {
  readonly dir: string;
  /** Paths relative to `dir`, in the order written. */
  readonly files: readonly string[];
  /** Size of report.html in bytes. */
  readonly htmlBytes: number;
  /** Coded warnings about the input (checkReportInput). */
  readonly warnings: readonly Warning[];
}

/**
 * Writes the report folder `dir` (created if missing; existing files of the same names are
 * replaced). Charts are rendered to SVG headlessly and rasterised to PNG with resvg.
 */
export async function writeReport(
  dir: string,
  input: ReportInput,
  options: WriteReportOptions = {},
): Promise<WrittenReport> {
  const files: string[] = [];
  const put = async (rel: string, data: string | Uint8Array) => {
    await writeFile(join(dir, rel), data);
    files.push(rel);
  };
  await mkdir(join(dir, "charts"), { recursive: true });

  const html = renderReportHtml(input, await loadVegaScripts());
  await put("report.html", html);
  await put("report.md", renderReportMarkdown(input));

  const model = buildReportModel(input);
  for (const chart of reportCharts(model)) {
    const svg = await specToSvg(chart.spec);
    await put(`charts/${chart.fileName}.svg`, svg);
    if (options.png ?? true) await put(`charts/${chart.fileName}.png`, svgToPng(svg));
  }
  if (options.results !== undefined)
    await put("results.json", `${JSON.stringify(options.results, null, 2)}\n`);
  return { dir, files, htmlBytes: Buffer.byteLength(html, "utf8"), warnings: checkReportInput(input) };
}
