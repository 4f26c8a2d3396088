/**
 * The published JSON Schemas of the evaluation (browser-safe; `write-schemas.ts` writes them to
 * `schemas/`, and a test fails when the committed copies are out of date).
 */
import { evaluationConfigJsonSchema } from "./config.js";
import { evaluationResultJsonSchema } from "./result-schema.js";

/** File name in `schemas/` → its JSON text (2-space indent, trailing newline). */
export function evaluationSchemaFiles(): Map<string, string> {
  const text = (o: unknown) => `${JSON.stringify(o, null, 2)}\n`;
  return new Map([
    ["evaluation-config.schema.json", text(evaluationConfigJsonSchema())],
    ["evaluation-result.schema.json", text(evaluationResultJsonSchema())],
  ]);
}
