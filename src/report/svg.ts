/**
 * Chart export without a browser: Vega-Lite spec → Vega spec → SVG (vega View, renderer "none")
 * → PNG (resvg). `specToSvg` and `compileChart` run anywhere vega runs; `svgToPng` needs the
 * native @resvg/resvg-js binding (Node only; a browser build would use @resvg/resvg-wasm).
 * Without node-canvas, vega estimates text widths, so layouts can be a few pixels too wide.
 */
import { Resvg } from "@resvg/resvg-js";
import { parse, View } from "vega";
import type { TopLevelSpec } from "vega-lite";
import { compile } from "vega-lite";

/** Result of compiling a Vega-Lite spec: the Vega spec and every message the compiler logged. */
export interface CompiledChart {
  readonly vega: ReturnType<typeof compile>["spec"];
  readonly warnings: readonly string[];
}

/**
 * Compiles a Vega-Lite spec to Vega, collecting the compiler's warnings instead of printing them.
 * Reference: vega-lite `compile(spec, { logger })`.
 */
export function compileChart(spec: TopLevelSpec): CompiledChart {
  const warnings: string[] = [];
  let level = 0;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: readonly unknown[]) {
      warnings.push(`error: ${args.map(String).join(" ")}`);
      return logger;
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(" "));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  // biome-ignore lint/suspicious/noExplicitAny: vega-lite's LoggerInterface overloads `level`; the object above implements it.
  const out = compile(spec, { logger: logger as any });
  return { vega: out.spec, warnings };
}

/**
 * Renders a Vega-Lite spec to an SVG string headlessly (vega View with renderer "none").
 * Reference: vega `View#toSVG`.
 */
export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  const { vega } = compileChart(spec);
  const view = new View(parse(vega), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface PngOptions {
  /** Scale factor (default 2, for sharp text on high-density screens and print). */
  readonly zoom?: number;
  /** Default "DejaVu Sans" (installed on the project's Debian image). */
  readonly fontFamily?: string;
}

/**
 * Rasterises an SVG string to PNG bytes with resvg, on a white background, using system fonts.
 * Reference: @resvg/resvg-js `new Resvg(svg, opts).render().asPng()`.
 */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const family = options.fontFamily ?? "DejaVu Sans";
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: options.zoom ?? 2 },
    font: { loadSystemFonts: true, defaultFontFamily: family, sansSerifFamily: family },
  });
  return new Uint8Array(resvg.render().asPng());
}
