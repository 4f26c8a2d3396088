/**
 * Loader for the shared survival textbook cases (/work/shared/reference/survival-textbook, copied
 * verbatim from therneau/survival's tests via make-textbook.R). "NA"/"NaN" decode to null, "Inf"/"-Inf"
 * to ±Infinity. Tolerances come from each file: |a − e| ≤ max(abs, rel·|e|).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Tolerance } from "../../helpers/expect-close.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/** Vendored copies of the shared cases (see that folder's README). */
export const TEXTBOOK_DIRS = [join(HERE, "../../reference/survival-km/textbook")];

export type Decoded = number | null | string | Decoded[] | { [k: string]: Decoded };

export function decode(v: unknown): Decoded {
  if (v === "NA" || v === "NaN") return null;
  if (v === "Inf") return Number.POSITIVE_INFINITY;
  if (v === "-Inf") return Number.NEGATIVE_INFINITY;
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") {
    const out: { [k: string]: Decoded } = {};
    for (const [k, x] of Object.entries(v)) out[k] = decode(x);
    return out;
  }
  return v as Decoded;
}

export interface TextbookCase {
  readonly case: string;
  readonly data: Record<string, Decoded>;
  readonly quantities: Record<string, Decoded>;
  readonly tolerance: { default: Tolerance; by_quantity?: Record<string, Tolerance> };
}

export function loadTextbook(name: string): TextbookCase {
  for (const d of TEXTBOOK_DIRS) {
    let text: string;
    try {
      text = readFileSync(join(d, `${name}.json`), "utf8");
    } catch {
      continue;
    }
    const raw = JSON.parse(text) as Record<string, unknown>;
    return {
      case: raw.case as string,
      data: decode(raw.data) as Record<string, Decoded>,
      quantities: decode(raw.quantities) as Record<string, Decoded>,
      tolerance: raw.tolerance as TextbookCase["tolerance"],
    };
  }
  throw new Error(`textbook case ${name} not found`);
}

export function tol(tc: TextbookCase, name: string): Tolerance {
  return tc.tolerance.by_quantity?.[name] ?? tc.tolerance.default;
}

/** A quantity as a numeric vector (null for NA, ±Infinity kept). */
export function vec(tc: TextbookCase, name: string): (number | null)[] {
  const q = tc.quantities[name];
  if (!Array.isArray(q)) throw new Error(`${tc.case}: ${name} is not an array`);
  return q as (number | null)[];
}

export function num(tc: TextbookCase, name: string): number {
  const q = tc.quantities[name];
  if (typeof q !== "number") throw new Error(`${tc.case}: ${name} is not a number`);
  return q;
}

/** A data column as numbers (null → NaN, i.e. missing). */
export function col(data: Record<string, Decoded>, name: string): number[] {
  const c = data[name];
  if (!Array.isArray(c)) throw new Error(`data column ${name} missing`);
  return c.map((x) => (x === null ? Number.NaN : (x as number)));
}

export function strCol(data: Record<string, Decoded>, name: string): string[] {
  const c = data[name];
  if (!Array.isArray(c)) throw new Error(`data column ${name} missing`);
  return c as string[];
}
