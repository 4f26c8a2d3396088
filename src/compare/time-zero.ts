/**
 * Time-zero alignment guard: an exposure that starts after time zero must not define the arms
 * ("ever saw a peer"), because the exposed are then immortal until their exposure.
 */
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import { freezeResult } from "../stats/result.js";
import { readNumbers, requireLength } from "./util.js";

export interface TimeZeroInput {
  /** Time zero per unit (day number, e.g. the index ED visit), the same rule for both groups. */
  readonly indexDay: ArrayLike<number>;
  /** Day of the first exposure (first completed peer contact); null/NaN = never exposed. */
  readonly exposureDay: ArrayLike<number | null>;
  /** Last day under observation (event, death or censoring): needed for `landmarkDay`. */
  readonly endDay?: ArrayLike<number>;
}

export interface TimeZeroOptions {
  /** Exposure counts when it starts within `graceDays` days after time zero (e.g. during the index stay). */
  readonly graceDays?: number;
  /**
   * Landmark: only units still under observation `landmarkDay` days after time zero are kept; exposure
   * by then defines the arm; follow-up restarts at the landmark.
   */
  readonly landmarkDay?: number;
}

export interface TimeZeroResult {
  /** Arm by the rule (1 = exposed within the window), for every input unit. */
  readonly treat: Uint8Array;
  /** 1 = unit stays in the analysis (0 = under observation less than the landmark). */
  readonly include: Uint8Array;
  /** Days to subtract from follow-up times measured from time zero (the landmark; 0 otherwise). */
  readonly shiftDays: number;
  readonly rule: "at time zero" | "grace window" | "landmark";
  readonly windowDays: number;
  /** Units exposed after the window, analysed as unexposed. */
  readonly nReclassified: number;
  /** Units excluded because their observation ended before the landmark. */
  readonly nExcluded: number;
  readonly method: string;
  readonly warnings: readonly Warning[];
}

/** Thrown when exposure after time zero would define the arms (immortal-time bias). */
export class ExposureAfterTimeZeroError extends InvalidInputError {
  readonly code = "EXPOSURE_AFTER_TIME_ZERO";
  constructor(
    fn: string,
    readonly count: number,
    readonly maxDelayDays: number,
  ) {
    super(
      fn,
      `${count} exposed unit(s) were first exposed after time zero (up to ${maxDelayDays} days later). Comparing "ever exposed" with "never exposed" from time zero creates immortal-time bias: the exposed cannot have the outcome (or die, or leave) before their exposure, so that event-free time is credited to the program and the effect looks better than it is. Align the definition of exposure with time zero: pass graceDays (exposure counts only if it starts within that many days of time zero, e.g. during the index ED stay; later exposure is analysed as unexposed) or landmarkDay (keep units still observed that many days after time zero, define exposure by then, and count follow-up from the landmark).`,
    );
  }
}

const FN = "alignExposure";

/**
 * Defines the arms from exposure dates so that exposure is fixed at time zero (MEASURES §10; Suissa
 * 2008, Am J Epidemiol 167:492–499 on immortal time; Hernán et al. 2016, J Clin Epidemiol 79:70–75 on
 * grace periods; Dafni 2011 on landmark analysis). Without options, any unit exposed after its index
 * day makes the call throw ExposureAfterTimeZeroError (units exposed on or before the index day are
 * exposed at time zero). `graceDays`: exposed = first exposure ≤ index + graceDays; `landmarkDay`:
 * units with endDay < index + landmarkDay are excluded, exposed = first exposure ≤ index +
 * landmarkDay, follow-up shifted by landmarkDay. Units exposed after the window are reclassified as
 * unexposed and counted (EXPOSURE_GRACE_WINDOW / LANDMARK_EXCLUDED warnings).
 */
export function alignExposure(input: TimeZeroInput, options: TimeZeroOptions = {}): TimeZeroResult {
  const index = readNumbers(FN, "indexDay", input.indexDay);
  const n = index.length;
  requireLength(FN, "exposureDay", input.exposureDay, n);
  const expo = readNumbers(FN, "exposureDay", input.exposureDay);
  for (let i = 0; i < n; i++)
    if (Number.isNaN(index[i]!)) throw new InvalidInputError(FN, `indexDay is missing at row ${i}`);
  const { graceDays, landmarkDay } = options;
  if (graceDays !== undefined && landmarkDay !== undefined) {
    throw new InvalidInputError(FN, "give graceDays or landmarkDay, not both");
  }
  for (const [k, v] of [
    ["graceDays", graceDays],
    ["landmarkDay", landmarkDay],
  ] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 0))
      throw new InvalidInputError(FN, `${k} must be a whole number of days ≥ 0`);
  }
  const treat = new Uint8Array(n);
  const include = new Uint8Array(n).fill(1);
  const warnings: Warning[] = [];
  const window = graceDays ?? landmarkDay ?? 0;
  let late = 0;
  let maxDelay = 0;
  let nExcluded = 0;
  let end: Float64Array | null = null;
  if (landmarkDay !== undefined) {
    if (!input.endDay)
      throw new InvalidInputError(FN, "landmarkDay needs endDay (last day under observation)");
    requireLength(FN, "endDay", input.endDay, n);
    end = readNumbers(FN, "endDay", input.endDay);
  }
  for (let i = 0; i < n; i++) {
    const e = expo[i]!;
    if (end) {
      const ed = end[i]!;
      if (Number.isNaN(ed)) throw new InvalidInputError(FN, `endDay is missing at row ${i}`);
      if (ed < index[i]! + landmarkDay!) {
        include[i] = 0;
        nExcluded++;
        continue;
      }
    }
    if (Number.isNaN(e)) continue;
    const delay = e - index[i]!;
    if (delay <= window) treat[i] = 1;
    else {
      late++;
      if (delay > maxDelay) maxDelay = delay;
    }
  }
  if (graceDays === undefined && landmarkDay === undefined && late > 0) {
    throw new ExposureAfterTimeZeroError(FN, late, maxDelay);
  }
  let rule: TimeZeroResult["rule"] = "at time zero";
  if (graceDays !== undefined) {
    rule = "grace window";
    warnings.push(
      warning(
        "EXPOSURE_GRACE_WINDOW",
        `exposure within ${graceDays} day(s) of time zero; ${late} unit(s) exposed later are analysed as unexposed. Immortal time is limited to the grace window: keep it short`,
        { graceDays, reclassified: late },
      ),
    );
  } else if (landmarkDay !== undefined) {
    rule = "landmark";
    warnings.push(
      warning(
        "LANDMARK_EXCLUDED",
        `${nExcluded} unit(s) left observation before day ${landmarkDay}; ${late} unit(s) exposed after it are analysed as unexposed`,
        {
          landmarkDay,
          excluded: nExcluded,
          reclassified: late,
        },
      ),
    );
  }
  return freezeResult({
    treat,
    include,
    shiftDays: landmarkDay ?? 0,
    rule,
    windowDays: window,
    nReclassified: late,
    nExcluded,
    method:
      rule === "landmark"
        ? `Landmark at day ${landmarkDay}: units observed to the landmark, exposure by the landmark, follow-up from the landmark`
        : rule === "grace window"
          ? `Exposure at time zero with a ${graceDays}-day grace window`
          : "Exposure fixed at time zero (no exposure after the index day)",
    warnings,
  });
}
