// SVG → PNG: the PNG signature and IHDR size are checked against the PNG specification
// (ISO/IEC 15948: 8-byte signature, then the IHDR chunk with big-endian width and height).
import { describe, expect, it } from "vitest";
import { forestChartSpec } from "../../src/report/charts/index.js";
import { compileChart, specToSvg, svgToPng } from "../../src/report/svg.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe("specToSvg / svgToPng", () => {
  const spec = forestChartSpec({
    kind: "forest",
    xLabel: "Risk ratio",
    nullValue: 1,
    logScale: true,
    rows: [{ label: "All", estimate: 0.5, lower: 0.3, upper: 0.8 }],
  });

  it("compiles to a Vega spec without warnings", () => {
    const { vega, warnings } = compileChart(spec);
    expect(warnings).toEqual([]);
    expect(vega.marks?.length).toBeGreaterThan(0);
  });

  it("renders an SVG and rasterises it at twice its size", async () => {
    const svg = await specToSvg(spec);
    const m = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
    expect(m).not.toBeNull();
    const png = svgToPng(svg);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 2 * Number(m?.[1]), height: 2 * Number(m?.[2]) });
    expect(pngSize(svgToPng(svg, { zoom: 1 }))).toEqual({ width: Number(m?.[1]), height: Number(m?.[2]) });
  });

  it("draws text (a PNG with labels is larger than one without)", async () => {
    const svg = await specToSvg(spec);
    const noText = svg.replace(/<text[^>]*>[^<]*<\/text>/g, "");
    expect(svgToPng(svg).length).toBeGreaterThan(svgToPng(noText).length);
  });
});
