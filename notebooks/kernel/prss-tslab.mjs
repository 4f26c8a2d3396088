#!/usr/bin/env node
/**
 * The Jupyter kernel of the prss-eval notebooks: tslab 1.0.22 (TypeScript), adapted so that a notebook
 * in notebooks/ can `import { … } from "../src/index.js"`.
 *
 * Plain tslab cannot do that (yunabe/tslab#63): it type-checks and transpiles every imported local
 * `.ts` file itself, with its bundled TypeScript 5.0.4, `rootDir` = the notebook's folder and Node10
 * module resolution, so `../src` fails with "File … is not under 'rootDir'" and, even from the project
 * root, src does not compile with TS 5.0 (import attributes need TS 5.3; vega-lite's types are only
 * reachable through package "exports"). This wrapper changes two things before starting tslab:
 *
 * 1. Types: tslab's TypeScript sees `src/` and `data-dictionary/` through their declaration files
 *    (in `node_modules/.cache/prss-notebooks/types/`, emitted by the project's own TypeScript 5.9 with
 *    `tsconfig.types.json` and rebuilt here whenever a source file is newer). Declarations are not
 *    emitted, so rootDir no longer applies, and cells are still type-checked against the real public API.
 * 2. Runtime: the project's public API is loaded once, at kernel start, through tsx's ESM loader
 *    (as `npm run prss` loads it), and `require("../src/index.js")` in a cell returns that module.
 *
 * Usage: `tslab install --binary=<this file> …` writes it into the kernelspec (scripts/run-notebooks.sh
 * does this); `node notebooks/kernel/prss-tslab.mjs build-types` only (re)builds the declarations.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
// Under node_modules/.cache: ignored by git, biome, tsc and vitest alike.
const TYPES = join(ROOT, "node_modules", ".cache", "prss-notebooks", "types");
const STAMP = join(TYPES, ".built");
const SOURCE_DIRS = ["src", "data-dictionary"].map((d) => join(ROOT, d));
const API_FILES = new Set(["index.js", "index.ts"].map((f) => join(ROOT, "src", f)));
const require = createRequire(import.meta.url);

/** Newest modification time of the .ts files under `dir`. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") || entry.name.endsWith(".json"))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Emits the declarations of src/ and data-dictionary/ when missing or older than a source file. */
function buildTypes(force) {
  const stale =
    force ||
    !existsSync(STAMP) ||
    !existsSync(join(TYPES, "src", "index.d.ts")) ||
    Math.max(...SOURCE_DIRS.map(newestSource)) > statSync(STAMP).mtimeMs;
  if (!stale) return;
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const config = join(ROOT, "notebooks", "kernel", "tsconfig.types.json");
  const run = spawnSync(process.execPath, [tsc, "-p", config], { encoding: "utf8" });
  // Type errors elsewhere in the tree still emit declarations; only a missing entry point is fatal.
  if (!existsSync(join(TYPES, "src", "index.d.ts"))) {
    process.stderr.write(run.stdout + run.stderr);
    throw new Error("prss-tslab: could not emit the declarations of src/ (see the tsc output above)");
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

/** Shows tslab's TypeScript the declarations instead of the sources of src/ and data-dictionary/. */
function patchTypeScript() {
  const tslabRequire = createRequire(join(ROOT, "node_modules", "tslab", "dist", "converter.js"));
  const ts = tslabRequire("@tslab/typescript-for-tslab");
  const roots = SOURCE_DIRS.map((d) => d + sep);
  const CODE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
  const mapped = (p) => {
    const abs = resolve(p);
    if (!roots.some((r) => abs.startsWith(r))) return abs;
    if (abs.endsWith(".d.ts")) return join(TYPES, relative(ROOT, abs));
    return CODE.test(abs) ? null : abs;
  };
  const { fileExists, readFile } = ts.sys;
  ts.sys.fileExists = (p) => {
    const m = mapped(p);
    return m !== null && fileExists.call(ts.sys, m);
  };
  ts.sys.readFile = (p, encoding) => {
    const m = mapped(p);
    return m === null ? undefined : readFile.call(ts.sys, m, encoding);
  };
}

/** Loads the public API with tsx and serves it to `require("…/src/index.js")`. */
async function provideApi() {
  const { register } = await import("tsx/esm/api");
  register();
  let api = null;
  let failure = null;
  try {
    api = await import(pathToFileURL(join(ROOT, "src", "index.ts")).href);
  } catch (err) {
    failure = err;
  }
  const Module = require("node:module");
  const load = Module._load;
  Module._load = function loadWithApi(request, parent, isMain) {
    if (typeof request === "string" && request.startsWith(".") && parent?.filename) {
      if (API_FILES.has(resolve(dirname(parent.filename), request))) {
        if (failure) throw failure;
        return api;
      }
    }
    return load.call(this, request, parent, isMain);
  };
}

const command = process.argv[2];
if (command === "build-types") {
  buildTypes(process.argv.includes("--force"));
} else {
  buildTypes(false);
  patchTypeScript();
  await provideApi();
  require(join(ROOT, "node_modules", "tslab", "dist", "main.js")).main();
}
