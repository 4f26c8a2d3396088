/**
 * Measure definitions: every measure module exports `MEASURE_ID`, `VERSION` (semver) and a
 * `definition(params)` that returns this JSON-serialisable object for the result manifest — the
 * resolved parameters, their defaults, the resolved readings of MEASURES.md §15 it relies on, the
 * toolkit readings of places the specification leaves open, and (for HEDIS-derived measures) the
 * "HEDIS-adjusted (non-plan)" label with every adjustment applied (MEASURES §1.4).
 */
import { freezeResult } from "../../stats/result.js";

/** Status legend of MEASURES.md: published standard, literature variant, toolkit convention. */
export type MeasureStatus = "STD" | "LIT" | "TK";

/** The label every HEDIS-derived result computed on program data must carry (MEASURES §1.4). */
export const HEDIS_ADJUSTED_LABEL = "HEDIS-adjusted (non-plan)";

/** The product's resolved readings (MEASURES.md §15), quoted short so a manifest is self-explanatory. */
export const RESOLVED_READINGS = {
  "15.1":
    "POD new-episode look-back: a fill made while any earlier supply (oral or long-acting) is still running continues the current treatment period; it never starts a new one.",
  "15.2":
    "Same-medication stacking: a fill of the same medication row overlapping the running stacked coverage is laid end to end after it (shift method); different rows are unioned.",
  "15.3":
    "NQF 3175 numerator: >= 180 days of continuous coverage with no gap longer than 7 days (MIPS wording not verified); any episode starting inside the 18-month identification window that reaches 180 days counts.",
  "15.4":
    "Retention censoring: a gap running into the end of data or death is censored at (observation end - start + 1); retention at T for a person censored or dead before T is not evaluable (null).",
  "15.5":
    "PDC: death ends the days at risk (day of death included); inpatient days on which MOUD was given count as covered.",
  "15.6":
    "Continuing MOUD at an index event = a supply covering the index date or the day before; a supply ending before day -1 leaves the person new.",
  "15.7": "Person-level index selection 'first' = the first index event that qualifies as new.",
  "15.8": "Removing hospital days from ED person-time: admission through discharge, both days included.",
  "15.9":
    "UDS invalid specimen: inconclusive - not negative under missing-counted-positive; excluded (not missing) under missing-ignored.",
  "15.10":
    "TLFB any-drug day: any substance used = use day; no recorded use but some substance unknown = unknown day.",
  "15.11":
    "BARC-10 missing items: total only when all 10 answered (default); option prorate = mean x 10 when exactly one item is missing, flagged, not rounded before the 47 cut-off; an item outside 1-6 is a located data error, never missing.",
  "15.12":
    "GPRA follow-up window: due = intake + 6 calendar months (clamped to month end); window = due - 1 month through due + 2 months, inclusive.",
  "15.13":
    "Not evaluable is never zero: an empty denominator gives null ('not evaluable'), never 0% or 100%.",
} as const;
export type ReadingId = keyof typeof RESOLVED_READINGS;

/** A measure definition as it goes into a result manifest (plain, frozen, JSON-serialisable). */
export interface MeasureDefinition<P> {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  /** Unit of analysis (one unit-table row each). */
  readonly unit: string;
  readonly status: readonly MeasureStatus[];
  /** "HEDIS-adjusted (non-plan)" for HEDIS-derived measures, otherwise null. */
  readonly label: string | null;
  /** Published standards and papers the definition follows. */
  readonly sources: readonly string[];
  /** The parameters actually used. */
  readonly parameters: P;
  /** The defaults, for comparison. */
  readonly defaults: P;
  /** MEASURES.md §15 readings the measure relies on, with their text. */
  readonly readings: readonly { readonly id: ReadingId; readonly text: string }[];
  /** Toolkit readings of places the specification leaves open (each a sentence). */
  readonly notes: readonly string[];
  /** HEDIS adjustments applied (MEASURES §1.4); empty for non-HEDIS measures. */
  readonly adjustments: readonly string[];
  /** Trace reason codes the unit table can carry (closed set). */
  readonly reasonCodes: readonly string[];
}

/** Assembles and freezes a definition; parameters are deep-copied so later mutation cannot leak in. */
export function makeDefinition<P>(d: {
  id: string;
  version: string;
  title: string;
  unit: string;
  status: readonly MeasureStatus[];
  label?: string | null;
  sources: readonly string[];
  parameters: P;
  defaults: P;
  readings: readonly ReadingId[];
  notes: readonly string[];
  adjustments?: readonly string[];
  reasonCodes: readonly string[];
}): MeasureDefinition<P> {
  const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
  return freezeResult({
    id: d.id,
    version: d.version,
    title: d.title,
    unit: d.unit,
    status: [...d.status],
    label: d.label ?? null,
    sources: [...d.sources],
    parameters: copy(d.parameters),
    defaults: copy(d.defaults),
    readings: d.readings.map((id) => ({ id, text: RESOLVED_READINGS[id] })),
    notes: [...d.notes],
    adjustments: [...(d.adjustments ?? [])],
    reasonCodes: [...d.reasonCodes],
  });
}

/** Merges user parameters over defaults (shallow; `undefined` keeps the default). */
export function resolveParams<P extends object>(defaults: P, given: Partial<P> | undefined): P {
  const out = { ...defaults } as Record<string, unknown>;
  if (given !== undefined) {
    for (const [k, v] of Object.entries(given)) if (v !== undefined) out[k] = v;
  }
  return out as P;
}
