/**
 * Generates the codebook and the JSON Schema files from the dictionary:
 *   npx tsx data-dictionary/generate.ts        (writes data-dictionary/codebook.md and schema/*.schema.json)
 * `generateDictionaryArtifacts()` returns the same content in memory (the up-to-date test uses it).
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { dictionary } from "./index.js";
import { renderCodebook } from "./render-codebook.js";
import { renderJsonSchemas } from "./render-json-schema.js";

/** Folder of the data dictionary (where the generated files live). */
export const DICTIONARY_DIR = dirname(fileURLToPath(import.meta.url));

/** Generated files: path relative to `data-dictionary/` → content. */
export function generateDictionaryArtifacts(): Map<string, string> {
  const files = new Map<string, string>([["codebook.md", renderCodebook(dictionary)]]);
  for (const [name, text] of renderJsonSchemas(dictionary)) files.set(`schema/${name}`, text);
  return files;
}

/** Writes the generated files (and removes stale schema files); returns the paths written. */
export async function writeDictionaryArtifacts(dir = DICTIONARY_DIR): Promise<string[]> {
  const files = generateDictionaryArtifacts();
  await mkdir(join(dir, "schema"), { recursive: true });
  for (const name of await readdir(join(dir, "schema"))) {
    if (!files.has(`schema/${name}`)) await rm(join(dir, "schema", name));
  }
  for (const [rel, text] of files) await writeFile(join(dir, rel), text);
  return [...files.keys()];
}

const isEntry = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry) {
  const written = await writeDictionaryArtifacts();
  console.log(`data dictionary ${dictionary.version}: wrote ${written.length} files to ${DICTIONARY_DIR}`);
}
