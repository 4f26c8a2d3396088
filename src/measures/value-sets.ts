/**
 * User-supplied value-set mappings (MEASURES.md §1.5): NCQA value sets are licensed, so the toolkit
 * ships no NCQA codes and reads a `valueSetId → codes` mapping supplied by the evaluator, as JSON or
 * CSV, validated with zod. `src/measures/value-sets/illustrative.json` is an ILLUSTRATIVE mapping of
 * common research code families (ICD-10-CM F10–F19 excluding F17, F11, T40 poisoning) — NOT NCQA value
 * sets; results computed with it are not HEDIS rates and say so.
 *
 * Matching: codes are normalised (upper case, dots and spaces removed: "F11.20" → "F1120"); a code
 * matches a set when it equals one of its `codes` or starts with one of its `prefixes` and with none of
 * its `excludePrefixes`.
 *
 * JSON shape: { "meta": { "name", "illustrative", "source", "notice"? },
 *               "valueSets": { "<ID>": { "system"?, "description"?, "codes"?: [], "prefixes"?: [], "excludePrefixes"?: [] } } }
 * CSV shape: header `value_set_id,code` plus optional `system`, `match` (exact | prefix | exclude_prefix);
 * a code ending in "*" is a prefix.
 */
import Papa from "papaparse";
import * as z from "zod";
import { InvalidInputError } from "../stats/errors.js";
import illustrative from "./value-sets/illustrative.json" with { type: "json" };

/** Value-set ids the FUA and IET modules read (the mapping may hold more). */
export const VALUE_SET_IDS = {
  /** AOD abuse and dependence diagnoses (FUA eligibility principal dx; FUA numerator dx). */
  SUD_DX: "SUD_DX",
  /** Substance-induced disorder diagnoses (FUA numerator dx; optional). */
  SUBSTANCE_INDUCED_DX: "SUBSTANCE_INDUCED_DX",
  /** Unintentional drug overdose diagnoses (FUA eligibility any dx; numerator dx). */
  DRUG_OVERDOSE_DX: "DRUG_OVERDOSE_DX",
  /** IET diagnosis cohorts. */
  ALCOHOL_DX: "ALCOHOL_DX",
  OPIOID_DX: "OPIOID_DX",
  OTHER_DRUG_DX: "OTHER_DRUG_DX",
  /** Peer support service procedure codes (e.g. H0038). */
  PEER_SUPPORT_SERVICES: "PEER_SUPPORT_SERVICES",
} as const;

const CodeList = z.array(z.string().trim().min(1));
const ValueSetSchema = z
  .object({
    system: z.string().optional(),
    description: z.string().optional(),
    codes: CodeList.default([]),
    prefixes: CodeList.default([]),
    excludePrefixes: CodeList.default([]),
  })
  .strict()
  .refine((v) => v.codes.length + v.prefixes.length > 0, {
    message: "a value set needs at least one code or prefix",
  });

export const ValueSetFileSchema = z
  .object({
    meta: z
      .object({
        name: z.string().min(1),
        illustrative: z.boolean(),
        source: z.string().min(1),
        notice: z.string().optional(),
        version: z.string().optional(),
      })
      .strict(),
    valueSets: z.record(
      z.string().regex(/^[A-Z0-9_]+$/, "value-set ids are UPPER_SNAKE_CASE"),
      ValueSetSchema,
    ),
  })
  .strict();

export type ValueSetFile = z.infer<typeof ValueSetFileSchema>;

/** Normalises a code for matching: upper case, dots and whitespace removed. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[.\s]/g, "");
}

interface CompiledSet {
  readonly codes: ReadonlySet<string>;
  readonly prefixes: readonly string[];
  readonly exclude: readonly string[];
}

/** A validated, compiled mapping with a cached matcher. */
export class ValueSetMapping {
  private readonly sets = new Map<string, CompiledSet>();
  private readonly cache = new Map<string, Map<string, boolean>>();

  constructor(readonly file: ValueSetFile) {
    for (const [id, v] of Object.entries(file.valueSets)) {
      this.sets.set(id, {
        codes: new Set(v.codes.map(normalizeCode)),
        prefixes: v.prefixes.map(normalizeCode),
        exclude: v.excludePrefixes.map(normalizeCode),
      });
    }
  }

  get illustrative(): boolean {
    return this.file.meta.illustrative;
  }

  has(id: string): boolean {
    return this.sets.has(id);
  }

  ids(): string[] {
    return [...this.sets.keys()];
  }

  /** True when the code belongs to the value set (false for an unknown set). */
  matches(id: string, code: string): boolean {
    const set = this.sets.get(id);
    if (set === undefined) return false;
    let c = this.cache.get(id);
    if (c === undefined) {
      c = new Map();
      this.cache.set(id, c);
    }
    const hit = c.get(code);
    if (hit !== undefined) return hit;
    const n = normalizeCode(code);
    let ok = set.codes.has(n) || set.prefixes.some((p) => n.startsWith(p));
    if (ok && set.exclude.some((p) => n.startsWith(p))) ok = false;
    c.set(code, ok);
    return ok;
  }

  /** True when any code of the list belongs to any of the sets. */
  any(ids: readonly string[], codes: readonly (string | null | undefined)[]): boolean {
    for (const code of codes) {
      if (code === null || code === undefined || code === "") continue;
      for (const id of ids) if (this.matches(id, code)) return true;
    }
    return false;
  }
}

function zodIssues(e: z.ZodError): string {
  return e.issues
    .slice(0, 20)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

/**
 * Parses and validates a JSON value-set mapping (text or already-parsed object).
 * @throws InvalidInputError listing the schema violations
 */
export function parseValueSetsJson(input: string | unknown): ValueSetMapping {
  const fn = "parseValueSetsJson";
  let obj: unknown = input;
  if (typeof input === "string") {
    try {
      obj = JSON.parse(input);
    } catch (e) {
      throw new InvalidInputError(fn, `not valid JSON: ${(e as Error).message}`);
    }
  }
  const r = ValueSetFileSchema.safeParse(obj);
  if (!r.success) throw new InvalidInputError(fn, zodIssues(r.error));
  return new ValueSetMapping(r.data);
}

const CsvRow = z
  .object({
    value_set_id: z
      .string()
      .trim()
      .regex(/^[A-Z0-9_]+$/, "value-set ids are UPPER_SNAKE_CASE"),
    code: z.string().trim().min(1),
    system: z.string().optional(),
    match: z.enum(["exact", "prefix", "exclude_prefix", ""]).optional(),
  })
  .strip();

/**
 * Parses and validates a CSV value-set mapping (columns value_set_id, code[, system][, match]).
 * @param meta name/source/illustrative flag recorded with the mapping (CSV has no header block)
 * @throws InvalidInputError naming every bad row
 */
export function parseValueSetsCsv(
  text: string,
  meta: { name: string; source: string; illustrative: boolean },
): ValueSetMapping {
  const fn = "parseValueSetsCsv";
  const parsed = Papa.parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: true,
    dynamicTyping: false,
  });
  if (parsed.errors.length > 0) {
    throw new InvalidInputError(
      fn,
      parsed.errors
        .slice(0, 5)
        .map((e) => `row ${(e.row ?? 0) + 1}: ${e.message}`)
        .join("; "),
    );
  }
  const sets: Record<
    string,
    { codes: string[]; prefixes: string[]; excludePrefixes: string[]; system?: string }
  > = {};
  const problems: string[] = [];
  parsed.data.forEach((row, i) => {
    const r = CsvRow.safeParse(row);
    if (!r.success) {
      problems.push(`row ${i + 2}: ${zodIssues(r.error)}`);
      return;
    }
    const { value_set_id: id, code, system, match } = r.data;
    const s = sets[id] ?? { codes: [], prefixes: [], excludePrefixes: [] };
    if (system !== undefined && system !== "") s.system = system;
    if (match === "exclude_prefix") s.excludePrefixes.push(code.replace(/\*$/, ""));
    else if (match === "prefix" || code.endsWith("*")) s.prefixes.push(code.replace(/\*$/, ""));
    else s.codes.push(code);
    sets[id] = s;
  });
  if (problems.length > 0) throw new InvalidInputError(fn, problems.slice(0, 20).join("; "));
  return parseValueSetsJson({ meta, valueSets: sets });
}

/** The shipped ILLUSTRATIVE research mapping (NOT NCQA value sets; results are not HEDIS rates). */
export function illustrativeValueSets(): ValueSetMapping {
  return parseValueSetsJson(illustrative);
}
