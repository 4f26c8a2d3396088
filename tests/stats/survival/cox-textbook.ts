/**
 * Loader for the Cox-related textbook cases vendored in tests/reference/cox/textbook (verbatim copies
 * of /work/shared/reference/survival-textbook). Decoding and tolerance helpers come from the shared
 * survival loader (textbook.ts); this adds the `index` field and the Cox folder.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Tolerance } from "../../helpers/expect-close.js";
import { type Decoded, decode, type TextbookCase } from "./textbook.js";

const HERE = dirname(fileURLToPath(import.meta.url));
export const COX_TEXTBOOK_DIR = join(HERE, "../../reference/cox/textbook");

export interface CoxTextbookCase extends TextbookCase {
  readonly index: Record<string, Decoded> | null;
  readonly call: Record<string, string>;
}

export function loadCoxTextbook(name: string): CoxTextbookCase {
  const raw = JSON.parse(readFileSync(join(COX_TEXTBOOK_DIR, `${name}.json`), "utf8")) as Record<
    string,
    unknown
  >;
  return {
    case: raw.case as string,
    data: decode(raw.data) as Record<string, Decoded>,
    quantities: decode(raw.quantities) as Record<string, Decoded>,
    tolerance: raw.tolerance as { default: Tolerance; by_quantity?: Record<string, Tolerance> },
    index: raw.index ? (decode(raw.index) as Record<string, Decoded>) : null,
    call: (raw.call ?? {}) as Record<string, string>,
  };
}

/** Quantity values as numbers with null for NA (scalars become one-element arrays). */
export function values(tc: TextbookCase, name: string): (number | null)[] {
  const q = tc.quantities[name];
  if (Array.isArray(q)) return q as (number | null)[];
  if (typeof q === "number" || q === null) return [q];
  throw new Error(`${tc.case}: ${name} is not numeric`);
}

/** Float64Array with NaN for excluded rows → array with null, for comparison with "NA". */
export function withNulls(a: ArrayLike<number>): (number | null)[] {
  return Array.from(a, (v) => (Number.isNaN(v) ? null : v));
}

/** The R reference file tests/reference/cox/cox.json (make-cox.R), decoded ("NA" → null). */
// biome-ignore lint/suspicious/noExplicitAny: free-form JSON reference
export type CoxReference = Record<string, any>;

let cached: CoxReference | null = null;
export function loadCoxReference(): CoxReference {
  if (!cached) {
    const raw = JSON.parse(readFileSync(join(HERE, "../../reference/cox/cox.json"), "utf8")) as unknown;
    cached = decode(raw) as CoxReference;
  }
  return cached;
}

/** A reference data column as numbers (null → NaN = missing). */
export function refCol(ref: CoxReference, dataset: string, name: string): number[] {
  const c = ref.data?.[dataset]?.[name] as (number | null)[] | undefined;
  if (!c) throw new Error(`reference column ${dataset}.${name} missing`);
  return c.map((v) => (v === null ? Number.NaN : v));
}

/** Column-major residual matrix (one array per covariate) → rows, keeping only rows that are not NaN. */
export function rowsOf(columns: readonly ArrayLike<number>[]): number[][] {
  const n = columns[0]?.length ?? 0;
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = columns.map((c) => c[i] as number);
    if (row.some((v) => Number.isNaN(v))) continue;
    out.push(row);
  }
  return out;
}
