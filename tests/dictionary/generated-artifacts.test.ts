/**
 * The committed codebook and JSON Schema files must equal what `npx tsx data-dictionary/generate.ts`
 * writes now (regenerate after changing the dictionary), and the JSON Schemas must describe the CSV text.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DICTIONARY_DIR, generateDictionaryArtifacts } from "../../data-dictionary/generate.js";
import { dictionary } from "../../data-dictionary/index.js";

describe("generated dictionary files", () => {
  const files = generateDictionaryArtifacts();

  it("are up to date (run: npx tsx data-dictionary/generate.ts)", () => {
    for (const [rel, text] of files) {
      expect(readFileSync(join(DICTIONARY_DIR, rel), "utf8"), `${rel} is stale`).toBe(text);
    }
    const onDisk = readdirSync(join(DICTIONARY_DIR, "schema")).map((n) => `schema/${n}`);
    expect(onDisk.sort()).toEqual([...files.keys()].filter((k) => k.startsWith("schema/")).sort());
  });

  it("give one codebook section per table listing every column", () => {
    const codebook = files.get("codebook.md") as string;
    for (const t of dictionary.tables) {
      expect(codebook).toContain(`## ${t.name} — ${t.label}`);
      for (const c of t.columns) expect(codebook).toMatch(new RegExp(`\\| \`${c.name}\`\\s+\\|`));
    }
    expect(codebook).toContain("`BARC10`: items 1–10, each 1–6");
  });

  it("describe a CSV row as text: required columns, string values, code enums, missing codes", () => {
    for (const t of dictionary.tables) {
      const schema = JSON.parse(files.get(`schema/${t.name}.schema.json`) as string);
      expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
      expect(schema.description).toContain("as TEXT");
      expect(schema.required).toEqual(t.columns.filter((c) => c.required).map((c) => c.name));
      expect(Object.keys(schema.properties)).toEqual(t.columns.map((c) => c.name));
      expect(schema["x-prss-table"].primaryKey).toEqual(t.primaryKey);
    }
    const enc = JSON.parse(files.get("schema/encounters.schema.json") as string).properties;
    expect(enc.start_date).toMatchObject({ type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" });
    expect(enc.kind.enum).toContain("INPATIENT_ACUTE");
    expect(enc.end_date.anyOf[0]).toEqual({ type: "string", enum: ["", "NA"] });
    const gpra = JSON.parse(files.get("schema/assessments.schema.json") as string).properties.gpra_days_drugs;
    expect(gpra.anyOf[1]).toEqual({ type: "string", enum: ["-7", "-8", "-9"] });
  });
});
