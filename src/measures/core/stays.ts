/**
 * Institutional stays (inpatient encounters, optionally custody periods) merged per person. Stays
 * that overlap or touch (next admission ≤ previous discharge + 1 day) merge into one stay — the HEDIS
 * direct-transfer rule — and overlapping days count once (MEASURES §2.4, POD-7/POD-8).
 */
import { type Warning, warning } from "../../messages.js";
import { NULL_DAY as NULL_DAY_IMPORTED } from "./columns.js";
import { type EncounterKind, KIND as KIND_IMPORTED, type MeasureData } from "./data.js";
import { buildIntervalSets, type IntervalSets } from "./intervals.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;
const KIND = KIND_IMPORTED;

/** Default inpatient kinds (acute and non-acute inpatient). */
export const INPATIENT_KINDS: readonly EncounterKind[] = ["INPATIENT_ACUTE", "INPATIENT_NONACUTE"];

export interface Stays {
  readonly sets: IntervalSets;
  readonly warnings: readonly Warning[];
}

/**
 * Merged stays per person from encounters of the given kinds (admission = start_date through discharge =
 * end_date, both included; a missing end_date is a one-day stay, warned) plus, when `includeCustody`,
 * the custody_periods extension table.
 */
export function institutionalStays(
  data: MeasureData,
  kinds: readonly EncounterKind[],
  includeCustody: boolean,
): Stays {
  const withCustody = includeCustody && data.tables.custody_periods !== undefined;
  const key = `stays:${[...kinds].sort().join(",")}:${withCustody}`;
  return data.memo(key, () => {
    const nP = data.nPersons;
    const warnings: Warning[] = [];
    const enc = data.tables.encounters !== undefined && kinds.length > 0 ? data.encounters() : null;
    const want = new Uint8Array(32);
    for (const k of kinds) want[KIND[k]] = 1;
    const custody = withCustody ? data.custody() : null;
    let count = custody === null ? 0 : custody.starts.length;
    if (enc !== null) for (let i = 0; i < enc.n; i++) if (want[enc.kind[i]!] === 1) count++;
    const person = new Int32Array(count);
    const start = new Int32Array(count);
    const end = new Int32Array(count);
    let w = 0;
    let missingEnd = 0;
    if (enc !== null) {
      for (let i = 0; i < enc.n; i++) {
        if (want[enc.kind[i]!] !== 1) continue;
        const s = enc.start[i]!;
        let e = enc.end[i]!;
        if (e === NULL_DAY) {
          e = s;
          missingEnd++;
        }
        person[w] = enc.person[i]!;
        start[w] = s;
        end[w] = Math.max(s, e);
        w++;
      }
    }
    if (custody !== null) {
      for (let p = 0; p < nP; p++) {
        for (let k = custody.offsets[p]!; k < custody.offsets[p + 1]!; k++) {
          person[w] = p;
          start[w] = custody.starts[k]!;
          end[w] = custody.ends[k]!;
          w++;
        }
      }
    }
    if (missingEnd > 0)
      warnings.push(warning("MEASURE_STAY_END_MISSING", `${missingEnd} stays`, { count: missingEnd }));
    return { sets: buildIntervalSets(person, start, end, nP), warnings };
  });
}
