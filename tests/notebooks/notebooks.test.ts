/**
 * Static checks of the notebooks in notebooks/ (their execution is scripts/run-notebooks.sh): each is a
 * valid nbformat 4 notebook for the tslab kernel, is committed without outputs, reaches the toolkit only
 * through its public API ("../src/index.js"), and its cells parse with the TypeScript that tslab bundles
 * (5.0), which is older than the project's.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DIR = "notebooks";
const NOTEBOOKS = readdirSync(DIR)
  .filter((f) => f.endsWith(".ipynb"))
  .sort();

interface NotebookCell {
  cell_type: string;
  id?: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  metadata?: Record<string, unknown>;
}
interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: { kernelspec?: { name?: string; language?: string }; widgets?: unknown };
  cells: NotebookCell[];
}

const sourceOf = (c: NotebookCell): string => (Array.isArray(c.source) ? c.source.join("") : c.source);
const codeCells = (nb: Notebook): string[] => nb.cells.filter((c) => c.cell_type === "code").map(sourceOf);

/** Module specifiers of static imports/exports, dynamic import() and require() in a cell. */
function specifiers(src: string): string[] {
  const out: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of src.matchAll(re)) out.push(m[1] as string);
  return out;
}

interface TsParser {
  ScriptTarget: { ES2020: number };
  version: string;
  createSourceFile(name: string, text: string, target: number, setParents: boolean): unknown;
}
/** tslab's own TypeScript (5.0.x), resolved from tslab's package. */
const tslabTs = createRequire(createRequire(import.meta.url).resolve("tslab/package.json"))(
  "@tslab/typescript-for-tslab",
) as TsParser;

it("there are at least two notebooks", () => {
  expect(NOTEBOOKS.length).toBeGreaterThanOrEqual(2);
});

describe.each(NOTEBOOKS)("%s", (file) => {
  const text = readFileSync(join(DIR, file), "utf8");

  it("is a valid nbformat 4 notebook for the tslab kernel", () => {
    const nb = JSON.parse(text) as Notebook;
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBeGreaterThanOrEqual(4);
    expect(nb.metadata.kernelspec?.name).toBe("tslab");
    expect(nb.metadata.kernelspec?.language).toBe("typescript");
    expect(Array.isArray(nb.cells) && nb.cells.length > 0).toBe(true);
    for (const c of nb.cells) {
      expect(["code", "markdown", "raw"]).toContain(c.cell_type);
      expect(typeof sourceOf(c)).toBe("string");
    }
    expect(codeCells(nb).length).toBeGreaterThan(0);
    if (nb.nbformat_minor >= 5) {
      const ids = nb.cells.map((c) => c.id);
      expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it("is saved without outputs (bash scripts/run-notebooks.sh --clear)", () => {
    const nb = JSON.parse(text) as Notebook;
    for (const c of nb.cells.filter((k) => k.cell_type === "code")) {
      expect(c.outputs, `outputs of cell ${c.id}`).toEqual([]);
      expect(c.execution_count ?? null, `execution_count of cell ${c.id}`).toBeNull();
    }
    for (const c of nb.cells)
      expect(c.metadata?.execution, `execution timestamps of cell ${c.id}`).toBeUndefined();
    expect(nb.metadata.widgets).toBeUndefined();
  });

  it('imports the toolkit only through "../src/index.js" (besides tslab and node: built-ins)', () => {
    const nb = JSON.parse(text) as Notebook;
    const all = codeCells(nb).flatMap(specifiers);
    expect(all).toContain("../src/index.js");
    const others = all.filter((s) => s !== "../src/index.js" && s !== "tslab" && !s.startsWith("node:"));
    expect(others, "imports other than the public API").toEqual([]);
  });

  it("has code cells that parse with tslab's TypeScript", () => {
    const nb = JSON.parse(text) as Notebook;
    expect(tslabTs.version.startsWith("5.0.")).toBe(true);
    codeCells(nb).forEach((src, i) => {
      // tslab wraps each cell as a module (so top-level await is allowed).
      const sf = tslabTs.createSourceFile(
        `cell${i}.ts`,
        `export {};\n${src}`,
        tslabTs.ScriptTarget.ES2020,
        true,
      ) as {
        parseDiagnostics: { messageText: unknown; start?: number }[];
      };
      const messages = sf.parseDiagnostics.map((d) =>
        typeof d.messageText === "string" ? d.messageText : JSON.stringify(d.messageText),
      );
      expect(messages, `syntax errors in code cell ${i + 1}`).toEqual([]);
    });
  });
});

describe("the import check itself", () => {
  it("finds static, type-only, side-effect, dynamic and require imports", () => {
    const src = [
      'import { a } from "../src/index.js";',
      'import type { B } from "../src/stats/result.js";',
      'import "./side-effect.js";',
      'export { c } from "../src/x.js";',
      'const m = await import("arquero");',
      'const r = require("../src/y");',
    ].join("\n");
    expect(specifiers(src)).toEqual([
      "../src/index.js",
      "../src/stats/result.js",
      "../src/x.js",
      "./side-effect.js",
      "arquero",
      "../src/y",
    ]);
  });
});
