/**
 * Days supply of one MOUD event for the event-at-a-time logic of days to MOUD, by the same §2.4 rules
 * as the coverage builder (`DAYS_SUPPLY_TABLE` in moud-coverage.ts, HEDIS "value-set" mode):
 * a dispensing uses its recorded days supply, else the table's "if missing" value; an administration
 * or OTP dose uses the value-set days supply (× units for daily/weekly rows). Null when the table has
 * no value (e.g. oral naltrexone dispensed without days supply).
 */
import { DAYS_SUPPLY_TABLE, OUD_MED_ROWS } from "./moud-coverage.js";

const MOUD_SET: ReadonlySet<string> = new Set(OUD_MED_ROWS);

/** True for an opioid-use-disorder medication row (every row except AUD_OTHER). */
export function isMoudRow(medRow: string): boolean {
  return MOUD_SET.has(medRow);
}

/** Days covered by one medication event, or null when §2.4 gives none. */
export function daysSupplyOf(
  medRow: string,
  route: string,
  daysSupply: number | null,
  units: number | null,
): number | null {
  const rule = DAYS_SUPPLY_TABLE[medRow as keyof typeof DAYS_SUPPLY_TABLE];
  if (!rule) return null;
  if (route === "DISPENSING") {
    if (daysSupply !== null && daysSupply > 0) return daysSupply;
    return rule.missingDispensing;
  }
  if (rule.perAdministration === null) return null;
  const u = rule.perUnit && units !== null && units > 0 ? Math.max(1, Math.round(units)) : 1;
  return rule.perAdministration * u;
}
