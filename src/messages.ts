/**
 * The one catalogue of coded warnings. Each area keeps its codes in `src/messages/<area>.ts`
 * (so areas can grow independently) and this module merges them. Tests assert on codes, not prose.
 */

import { COMPARE_CODES } from "./messages/compare.js";
import { EVALUATE_CODES } from "./messages/evaluate.js";
import { LOAD_CODES } from "./messages/load.js";
import { MEASURE_CODES } from "./messages/measures.js";
import { REPORT_CODES } from "./messages/report.js";
import { STATS_CODES } from "./messages/stats.js";

export const WARNING_CODES = {
  ...STATS_CODES,
  ...LOAD_CODES,
  ...MEASURE_CODES,
  ...COMPARE_CODES,
  ...REPORT_CODES,
  ...EVALUATE_CODES,
} as const;

export type WarningCode = keyof typeof WARNING_CODES;

/** A coded warning attached to a result. `detail` holds machine-readable specifics. */
export interface Warning {
  readonly code: WarningCode;
  readonly message: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Builds a warning whose message starts with the catalogue's description of the code. */
export function warning(code: WarningCode, specifics?: string, detail?: Record<string, unknown>): Warning {
  const base = WARNING_CODES[code];
  const message = specifics ? `${base}: ${specifics}` : base;
  return detail ? { code, message, detail } : { code, message };
}
