/**
 * Regenerates the published JSON Schemas:
 *   npx tsx src/evaluate/write-schemas.ts        (writes schemas/evaluation-config.schema.json and
 *                                                schemas/evaluation-result.schema.json)
 * A script, not part of the library: it is the only file of src/evaluate that touches the file system.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { evaluationSchemaFiles } from "./schemas.js";

/** The repository's `schemas/` folder. */
export const SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schemas");

/** Writes every schema file; returns the paths written. */
export async function writeEvaluationSchemas(dir = SCHEMAS_DIR): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of evaluationSchemaFiles()) {
    const path = join(dir, name);
    await writeFile(path, text);
    written.push(path);
  }
  return written;
}

const isEntry = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry) {
  const written = await writeEvaluationSchemas();
  process.stdout.write(`wrote ${written.join(", ")}\n`);
}
