/**
 * Every example config (examples/evaluate-*.json|yaml) is valid: it passes the config parser and the
 * published JSON Schema (an independent validator, ajv draft 2020-12), and its data folder — relative to
 * the config file — exists. Running them end to end is left to the evaluate tests and the analyses.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { OUTCOME_MEASURES, parseEvaluationConfig } from "../../src/index.js";

const configs = readdirSync("examples").filter((f) => /^evaluate-.*\.(json|ya?ml)$/.test(f));
const schema = JSON.parse(readFileSync("schemas/evaluation-config.schema.json", "utf8"));
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validate = ajv.compile(schema);

describe("example configs", () => {
  it("include the all-outcomes examples", () => {
    expect(configs).toContain("evaluate-rct-all-outcomes.yaml");
    expect(configs).toContain("evaluate-weighted-all-outcomes.json");
  });

  for (const f of configs) {
    it(`${f} is valid and points at an existing data folder`, () => {
      const text = readFileSync(join("examples", f), "utf8");
      const raw: unknown = f.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
      expect(validate(raw), `${f}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      const parsed = parseEvaluationConfig(raw);
      expect(parsed.ok ? [] : parsed.issues).toEqual([]);
      if (!parsed.ok) return;
      expect(existsSync(join("examples", parsed.config.data, "persons.csv")), parsed.config.data).toBe(true);
    });
  }

  it("the all-outcomes examples name every outcome measure once", () => {
    const every = [...OUTCOME_MEASURES];
    for (const f of ["evaluate-rct-all-outcomes.yaml", "evaluate-weighted-all-outcomes.json"]) {
      const text = readFileSync(join("examples", f), "utf8");
      const parsed = parseEvaluationConfig(f.endsWith(".json") ? JSON.parse(text) : parseYaml(text));
      if (!parsed.ok) throw new Error(f);
      expect(parsed.config.outcomes.map((o) => o.measure).sort(), f).toEqual([...every].sort());
      expect(parsed.config.subgroups.length, f).toBeGreaterThan(0);
    }
  });
});
