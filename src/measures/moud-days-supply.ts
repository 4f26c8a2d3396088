/**
 * MOUD medication rows and their days supply — MEASURES.md §2.4 days-supply table (HEDIS MY2025 POD;
 * buprenorphine injection default 31 per the NCQA FAQ for MY2026).
 */

/** Medication rows that treat opioid use disorder ("same medication" = same row). */
export const MOUD_ROWS = Object.freeze([
  "NALTREXONE_ORAL",
  "NALTREXONE_INJ",
  "BUP_ORAL",
  "BUP_ORAL_WEEKLY",
  "BUP_INJ",
  "BUP_IMPLANT",
  "BUP_NALOXONE",
  "METHADONE_ORAL",
  "METHADONE_ORAL_WEEKLY",
] as const);

/**
 * Days supply per unit when the record carries none: the value-set days supply of §2.4 (oral 1 per
 * code, weekly 7, injection 31, implant 180; buprenorphine sublingual dispensing without days supply 7;
 * oral naltrexone has no codes — 1 day per unit, a [TK] reading).
 */
export const DEFAULT_DAYS_SUPPLY_PER_UNIT: Readonly<Record<string, number>> = Object.freeze({
  NALTREXONE_ORAL: 1,
  NALTREXONE_INJ: 31,
  BUP_ORAL: 7,
  BUP_ORAL_WEEKLY: 7,
  BUP_INJ: 31,
  BUP_IMPLANT: 180,
  BUP_NALOXONE: 1,
  METHADONE_ORAL: 1,
  METHADONE_ORAL_WEEKLY: 7,
  AUD_OTHER: 1,
});

const MOUD_SET: ReadonlySet<string> = new Set(MOUD_ROWS);

/** True for an opioid-use-disorder medication row. */
export function isMoudRow(medRow: string): boolean {
  return MOUD_SET.has(medRow);
}

/**
 * Days covered by one medication event: the recorded days supply when present, otherwise the row's
 * per-unit default times the units (1 when units are missing); "3 units of a weekly code → 21 days".
 */
export function daysSupplyOf(medRow: string, daysSupply: number | null, units: number | null): number {
  if (daysSupply !== null && daysSupply > 0) return daysSupply;
  const perUnit = DEFAULT_DAYS_SUPPLY_PER_UNIT[medRow] ?? 1;
  const u = units !== null && units > 0 ? units : 1;
  return Math.max(1, Math.round(perUnit * u));
}
