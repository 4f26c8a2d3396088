/**
 * Institutional stays (inpatient encounters, optionally custody periods) merged per person. Stays
 * that overlap or touch (next admission ≤ previous discharge + 1 day) merge into one stay — the HEDIS
 * direct-transfer rule — and overlapping days count once (MEASURES §2.4, POD-7/POD-8).
 */
import { type Warning, warning } from "../../messages.js";
import { NULL_DAY } from "./columns.js";
import { type EncounterKind, KIND, type MeasureData } from "./data.js";
import { IntBuffer, type IntervalSets, sortAndMerge } from "./intervals.js";

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
  const key = `stays:${[...kinds].sort().join(",")}:${includeCustody}`;
  return data.memo(key, () => {
    const nP = data.nPersons;
    const warnings: Warning[] = [];
    const perPerson: number[][] = [];
    let count = 0;
    let missingEnd = 0;
    const add = (p: number, s: number, e: number): void => {
      let list = perPerson[p];
      if (list === undefined) {
        list = [];
        perPerson[p] = list;
      }
      list.push(s, e);
      count++;
    };
    if (data.tables.encounters !== undefined && kinds.length > 0) {
      const enc = data.encounters();
      const want = new Set(kinds.map((k) => KIND[k]));
      for (let i = 0; i < enc.n; i++) {
        if (!want.has(enc.kind[i]!)) continue;
        const s = enc.start[i]!;
        let e = enc.end[i]!;
        if (e === NULL_DAY) {
          e = s;
          missingEnd++;
        }
        add(enc.person[i]!, s, Math.max(s, e));
      }
    }
    const custody = includeCustody ? data.custody() : null;
    if (custody !== null) {
      for (let p = 0; p < nP; p++) {
        for (let k = custody.offsets[p]!; k < custody.offsets[p + 1]!; k++)
          add(p, custody.starts[k]!, custody.ends[k]!);
      }
    }
    if (missingEnd > 0)
      warnings.push(warning("MEASURE_STAY_END_MISSING", `${missingEnd} stays`, { count: missingEnd }));
    const offsets = new Int32Array(nP + 1);
    const os = new IntBuffer(count + 1);
    const oe = new IntBuffer(count + 1);
    const s = new Int32Array(64);
    const e = new Int32Array(64);
    for (let p = 0; p < nP; p++) {
      offsets[p] = os.length;
      const list = perPerson[p];
      if (list === undefined) continue;
      const m = list.length / 2;
      const ss = m <= 64 ? s : new Int32Array(m);
      const ee = m <= 64 ? e : new Int32Array(m);
      for (let k = 0; k < m; k++) {
        ss[k] = list[2 * k]!;
        ee[k] = list[2 * k + 1]!;
      }
      const merged = sortAndMerge(ss, ee, m);
      for (let k = 0; k < merged; k++) {
        os.push(ss[k]!);
        oe.push(ee[k]!);
      }
    }
    offsets[nP] = os.length;
    return { sets: { offsets, starts: os.toArray(), ends: oe.toArray() }, warnings };
  });
}
