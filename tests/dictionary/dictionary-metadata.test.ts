/**
 * The dictionary's metadata lives on the zod schemas (`.meta()`), satisfies the meta-schema, and types
 * come from `z.output` of the schemas (checked at compile time with expectTypeOf).
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type AssessmentRow,
  columnMetaSchema,
  DICTIONARY_VERSION,
  dictionary,
  type EncounterRow,
  META_KEY,
  type PeerContactRow,
  type PersonRow,
  type TableTextRow,
  tables,
} from "../../data-dictionary/index.js";

describe("dictionary metadata", () => {
  it("has a semantic version", () => {
    expect(DICTIONARY_VERSION).toBe("1.0.0");
    expect(dictionary.version).toBe(DICTIONARY_VERSION);
  });

  it("reads every column's metadata back from its zod schema, valid under the meta-schema", () => {
    for (const t of dictionary.tables) {
      expect(t.schema.meta()?.title, t.name).toBe(t.label);
      for (const c of t.columns) {
        const schema = t.schema.shape[c.name as keyof typeof t.schema.shape] as unknown as {
          meta: () => Record<string, unknown> | undefined;
        };
        const meta = schema.meta();
        expect(meta?.title, `${t.name}.${c.name}`).toBe(c.label);
        expect(meta?.description).toBe(c.description);
        const { name: _name, ...info } = c;
        expect(columnMetaSchema.parse(meta?.[META_KEY])).toEqual(info);
        expect(c.label.length).toBeGreaterThan(0);
        expect(c.description.length).toBeGreaterThan(10);
        if (c.codes)
          expect(new Set(c.codes.map((x) => x.code)).size, `${t.name}.${c.name}`).toBe(c.codes.length);
        expect(c.missingCodes).toEqual(c.required ? [] : ["", "NA"]);
      }
    }
  });

  it("points every foreign key at a primary key of another table", () => {
    for (const t of dictionary.tables) {
      for (const fk of t.foreignKeys) {
        const target = dictionary.tables.find((x) => x.name === fk.table);
        expect(target?.primaryKey, `${t.name}.${fk.column}`).toEqual([fk.references]);
      }
    }
  });

  it("rejects metadata that breaks the meta-schema", () => {
    const good = dictionary.table("persons").columns[0]!;
    const { name: _name, ...meta } = good;
    expect(columnMetaSchema.safeParse(meta).success).toBe(true);
    expect(columnMetaSchema.safeParse({ ...meta, kind: "float" }).success).toBe(false);
    expect(columnMetaSchema.safeParse({ ...meta, label: "" }).success).toBe(false);
    expect(columnMetaSchema.safeParse({ ...meta, extra: 1 }).success).toBe(false);
  });

  it("derives row types from the schemas", () => {
    expectTypeOf<EncounterRow["start_date"]>().toEqualTypeOf<number>();
    expectTypeOf<EncounterRow["end_date"]>().toEqualTypeOf<number | null>();
    expectTypeOf<EncounterRow["procedure_codes"]>().toEqualTypeOf<string[] | null>();
    expectTypeOf<EncounterRow["lab_claim"]>().toEqualTypeOf<boolean | null>();
    expectTypeOf<PersonRow["sex"]>().toEqualTypeOf<"F" | "M" | "X" | "U" | null>();
    expectTypeOf<PeerContactRow["completed"]>().toEqualTypeOf<boolean>();
    expectTypeOf<PeerContactRow["activities"]>().toMatchTypeOf<readonly string[] | null>();
    expectTypeOf<AssessmentRow["item_37"]>().toEqualTypeOf<number | null>();
    expectTypeOf<TableTextRow<"encounters">["start_date"]>().toEqualTypeOf<string>();
    const decoded = tables.encounters.schema.parse({
      encounter_id: "E1",
      person_id: "P1",
      start_date: "1970-01-02",
      end_date: "",
      kind: "ED",
      pos: "NA",
      procedure_codes: "A;B",
      dx_principal: "",
      dx_other: "",
      provider_id: "",
      provider_is_mh: "true",
      disposition: "",
      lab_claim: "0",
    });
    expect(decoded).toEqual({
      encounter_id: "E1",
      person_id: "P1",
      start_date: 1,
      end_date: null,
      kind: "ED",
      pos: null,
      procedure_codes: ["A", "B"],
      dx_principal: null,
      dx_other: null,
      provider_id: null,
      provider_is_mh: true,
      disposition: null,
      lab_claim: false,
    });
  });
});
