/**
 * The published JSON Schemas: the committed copies in schemas/ must equal what the code generates
 * (regenerate with `npx tsx src/evaluate/write-schemas.ts`), and real results must validate against the
 * result schema with an independent validator (ajv, draft 2020-12), as must the example configs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parseEvaluationConfig } from "../../src/evaluate/config.js";
import { evaluateLoaded } from "../../src/evaluate/evaluate.js";
import { EvaluationResultSchema } from "../../src/evaluate/result-schema.js";
import { evaluationSchemaFiles } from "../../src/evaluate/schemas.js";
import { loadDataset } from "../../src/io/load-dataset.js";

const files = evaluationSchemaFiles();
const ajv = new Ajv2020({ strict: false, allErrors: true });

describe("published JSON Schemas", () => {
  for (const [name, text] of files) {
    it(`schemas/${name} is up to date (npx tsx src/evaluate/write-schemas.ts)`, () => {
      expect(readFileSync(join("schemas", name), "utf8")).toBe(text);
    });
  }

  it("every example config validates against the config schema", () => {
    const validate = ajv.compile(JSON.parse(files.get("evaluation-config.schema.json")!));
    for (const f of [
      "evaluate-days-to-moud.json",
      "evaluate-matched.json",
      "evaluate-unadjusted.json",
      "evaluate-rct-days-to-moud.json",
    ]) {
      const config = JSON.parse(readFileSync(join("examples", f), "utf8"));
      expect(validate(config), `${f}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });

  it("results of a weighted and a randomized evaluation validate against the result schema", async () => {
    const validate = ajv.compile(JSON.parse(files.get("evaluation-result.schema.json")!));
    for (const [config, data] of [
      ["evaluate-days-to-moud.json", "synthetic-ed"],
      ["evaluate-rct-days-to-moud.json", "synthetic-rct"],
    ] as const) {
      const parsed = parseEvaluationConfig(JSON.parse(readFileSync(join("examples", config), "utf8")));
      if (!parsed.ok) throw new Error(config);
      const load = await loadDataset(join("examples", data));
      const result = evaluateLoaded(parsed.config, load, { nodeVersion: "v20", generatedAt: "2024-01-01" });
      const json = JSON.parse(JSON.stringify(result));
      expect(validate(json), `${config}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(EvaluationResultSchema.safeParse(json).success).toBe(true);
      // Strict: an unknown field fails.
      expect(validate({ ...json, extra: 1 })).toBe(false);
    }
  }, 60_000);
});
