/**
 * Observability shared by the measures: the data end, merged observation periods and death. A unit
 * is observed from the start of the merged observation period that contains its anchor day to the
 * earliest of that period's end, the data end and the day of death (the death day itself is at risk,
 * MEASURES §15.5). Semantics match src/cohort/follow-up.ts (periods that overlap or touch are merged).
 */
import { type Warning, warning } from "../../messages.js";
import { NULL_DAY as NULL_DAY_IMPORTED, toDay } from "./columns.js";
import type { MeasureData, ObservationSource } from "./data.js";
import { OBSERVATION_SOURCES } from "./data.js";
import type { IntervalSets } from "./intervals.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

export interface Observability {
  readonly obs: IntervalSets | null;
  readonly birth: Int32Array;
  /** Birth date packed as year·10000 + month·100 + day (0 when unknown), for allocation-free ages. */
  readonly birthPacked: Int32Array;
  readonly death: Int32Array;
  readonly dataEnd: number;
  readonly warnings: readonly Warning[];
}

/** Resolves the data end (given, else inferred with a warning) and the observation sets. */
export function observability(
  data: MeasureData,
  dataEnd: number | string | null | undefined,
  fn: string,
  sources: readonly ObservationSource[] = OBSERVATION_SOURCES,
): Observability {
  const warnings: Warning[] = [];
  let end = toDay(dataEnd ?? null, fn, "dataEnd");
  if (end === null) {
    end = data.inferDataEnd();
    warnings.push(warning("MEASURE_DATA_END_INFERRED", end === null ? "no dated rows" : `data end ${end}`));
    if (end === null) end = NULL_DAY + 1;
  }
  const obs = data.observation(sources);
  if (obs === null) warnings.push(warning("MEASURE_NO_OBSERVATION_TABLE"));
  const { birth, death } = data.personDays();
  const birthPacked = data.memo("birthPacked", () => {
    const out = new Int32Array(birth.length);
    for (let p = 0; p < birth.length; p++) out[p] = birth[p] === NULL_DAY ? 0 : packedCivilCached(birth[p]!);
    return out;
  });
  return { obs, birth, birthPacked, death, dataEnd: end, warnings };
}

/** Observed span [start, end] of person p around `day` (end clipped to the data end, not to death). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * The merged observation span containing `day` (end clipped to the data end), or null when the day
 * lies in no observation period. Without an observation table every day up to the data end is observed.
 */
export function spanAt(o: Observability, p: number, day: number): Span | null {
  if (day > o.dataEnd) return null;
  if (o.obs === null) return { start: NULL_DAY + 1, end: o.dataEnd };
  const { offsets, starts, ends } = o.obs;
  for (let k = offsets[p]!; k < offsets[p + 1]!; k++) {
    if (starts[k]! > day) return null;
    if (ends[k]! >= day) return { start: starts[k]!, end: Math.min(ends[k]!, o.dataEnd) };
  }
  return null;
}

/** Last day at risk: min(span end, death day). */
export function lastObservedDay(o: Observability, p: number, span: Span): number {
  const d = o.death[p]!;
  return d !== NULL_DAY && d < span.end ? d : span.end;
}

/** True when the person's death day is known and ≤ day. */
export function diedBy(o: Observability, p: number, day: number): boolean {
  const d = o.death[p]!;
  return d !== NULL_DAY && d <= day;
}

/**
 * A day number packed as year·10000 + month·100 + day (allocation-free civil conversion, same algorithm
 * as src/dates.ts civilFromDays).
 */
export function packedCivil(dayNumber: number): number {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 10000 + m * 100 + d;
}

/**
 * Age in completed years on `day` (birthday rule on the civil calendar: the packed difference
 * (Y2·10⁴ + MMDD2) − (Y1·10⁴ + MMDD1), floored at 10⁴), or null when birth is unknown.
 */
export function ageYears(birth: number, day: number): number | null {
  if (birth === NULL_DAY) return null;
  return Math.floor((packedCivil(day) - packedCivil(birth)) / 10000);
}

/** First day number of the `packedCivil` cache (1900-01-01) and its length (through 2099). */
const CIVIL_FROM = -25567;
const CIVIL_DAYS = 73049;
/** packedCivil(CIVIL_FROM + k), 0 = not computed yet (filled as days are met). */
const civilCache = new Int32Array(CIVIL_DAYS);

/** `packedCivil` through a cache of the days 1900–2099 (event days repeat across millions of rows). */
function packedCivilCached(day: number): number {
  const k = day - CIVIL_FROM;
  if (k < 0 || k >= CIVIL_DAYS) return packedCivil(day);
  let v = civilCache[k]!;
  if (v === 0) {
    v = packedCivil(day);
    civilCache[k] = v;
  }
  return v;
}

/** Age of person p in completed years on `day` (null when the birth date is unknown). */
export function ageOf(o: Observability, p: number, day: number): number | null {
  if (o.birth[p] === NULL_DAY) return null;
  return Math.floor((packedCivilCached(day) - o.birthPacked[p]!) / 10000);
}
