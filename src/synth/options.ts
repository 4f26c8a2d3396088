/**
 * Options of the synthetic cohort generator: what the caller may set, the defaults, and validation.
 * Every value here (after defaults) is written to truth.json.
 */

import { formatIsoDate, parseIsoDate } from "../dates.js";
import { InvalidInputError } from "../stats/errors.js";

/** Study design of the generated arms table. */
export type SynthDesign = "observational" | "rct";

/** Settings of the index event, in the generator's fixed order. */
export const SETTINGS = ["ED", "HOSPITAL", "REENTRY", "HARM_REDUCTION", "RECOVERY_CENTER"] as const;
export type SettingCode = (typeof SETTINGS)[number];

/** Caller-facing options; everything but `n` and `seed` has a default (see {@link SYNTH_DEFAULTS}). */
export interface SynthOptions {
  /** Number of people (≥ 1). */
  readonly n: number;
  /** Seed: a non-negative safe integer. Same seed and options → byte-identical output. */
  readonly seed: number;
  /** `observational` (arms.design = COHORT, peer engagement from a logistic model) or `rct` (1:1). */
  readonly design?: SynthDesign;
  /** RCT only: randomise people (`individual`) or sites (`cluster`, arms.cluster = site). */
  readonly randomization?: "individual" | "cluster";
  /** First possible index date (ISO). */
  readonly startDate?: string;
  /** Index dates are uniform over [startDate, startDate + enrollmentDays − 1]. */
  readonly enrollmentDays?: number;
  /** Maximum follow-up after the index date (days). */
  readonly followUpDays?: number;
  /** Data cut (ISO): administrative censoring date; default startDate + enrollmentDays + 240 days. */
  readonly dataCutDate?: string;
  /** Relative weights of the index settings (missing settings keep their default weight). */
  readonly settingWeights?: Partial<Record<SettingCode, number>>;
  /** TRUE conditional cause-specific hazard ratio of MOUD initiation, PEER vs COMPARISON. */
  readonly moudHazardRatio?: number;
  /** TRUE conditional rate ratio of ED visits per at-risk day, PEER vs COMPARISON. */
  readonly edRateRatio?: number;
  /** TRUE additive effect of PEER on the latent 6-month change in BARC-10 total (points). */
  readonly barcChangeEffect?: number;
  /** TRUE hazard ratio of MOUD discontinuation (planned treatment duration), PEER vs COMPARISON. */
  readonly moudDiscontinuationHazardRatio?: number;
  /** TRUE odds ratio of weekly substance use (UDS, TLFB, GPRA days), PEER vs COMPARISON. */
  readonly useOddsRatio?: number;
  /** TRUE hazard ratio of death, PEER vs COMPARISON. */
  readonly deathHazardRatio?: number;
  /** Weibull shape k of the MOUD initiation hazard (k < 1: hazard highest right after the index). */
  readonly moudWeibullShape?: number;
  /** Weibull scale λ (per day^k) of the MOUD initiation hazard for the reference person. */
  readonly moudBaselineScale?: number;
  /** ED visits per person-year for the reference person (before covariates and frailty). */
  readonly edVisitsPerYear?: number;
  /** Variance of the mean-1 gamma frailty of the ED rate (negative-binomial overdispersion). */
  readonly edOverdispersion?: number;
  /** Deaths per person-year for the reference person. */
  readonly deathRatePerYear?: number;
  /** Loss to follow-up (end of observation) per person-year, independent of everything. */
  readonly lossRatePerYear?: number;
  /** Multiplier of all covariate coefficients in the peer-engagement model (0 = no confounding). */
  readonly confounding?: number;
  /** RCT only: probability that a person assigned PEER has at least one completed contact. */
  readonly rctEngagement?: number;
  /** Fraction of people (0–1) given one injected data error each, for testing validators. */
  readonly dirty?: number;
  /** Monte-Carlo sample size for the derived truth quantities (0 = skip them). */
  readonly truthSamples?: number;
  /** People per streamed chunk (memory/throughput trade-off only; output does not depend on it). */
  readonly chunkPersons?: number;
}

/** Options with every default filled in, plus derived day numbers. */
export interface ResolvedSynthOptions {
  readonly n: number;
  readonly seed: number;
  readonly design: SynthDesign;
  readonly randomization: "individual" | "cluster";
  readonly startDate: string;
  readonly enrollmentDays: number;
  readonly followUpDays: number;
  readonly dataCutDate: string;
  readonly settingWeights: Readonly<Record<SettingCode, number>>;
  readonly moudHazardRatio: number;
  readonly edRateRatio: number;
  readonly barcChangeEffect: number;
  readonly moudDiscontinuationHazardRatio: number;
  readonly useOddsRatio: number;
  readonly deathHazardRatio: number;
  readonly moudWeibullShape: number;
  readonly moudBaselineScale: number;
  readonly edVisitsPerYear: number;
  readonly edOverdispersion: number;
  readonly deathRatePerYear: number;
  readonly lossRatePerYear: number;
  readonly confounding: number;
  readonly rctEngagement: number;
  readonly dirty: number;
  readonly truthSamples: number;
  readonly chunkPersons: number;
  /** startDate as a day number. */
  readonly startDay: number;
  /** dataCutDate as a day number. */
  readonly dataCutDay: number;
}

/** Default values of every optional option. */
export const SYNTH_DEFAULTS = {
  design: "observational" as SynthDesign,
  randomization: "individual" as "individual" | "cluster",
  startDate: "2022-01-01",
  enrollmentDays: 365,
  followUpDays: 365,
  settingWeights: { ED: 0.45, HOSPITAL: 0.15, REENTRY: 0.15, HARM_REDUCTION: 0.15, RECOVERY_CENTER: 0.1 },
  moudHazardRatio: 1.5,
  edRateRatio: 0.8,
  barcChangeEffect: 2,
  moudDiscontinuationHazardRatio: 0.8,
  useOddsRatio: 0.8,
  deathHazardRatio: 1,
  moudWeibullShape: 0.5,
  moudBaselineScale: 0.03,
  edVisitsPerYear: 1.0,
  edOverdispersion: 0.8,
  deathRatePerYear: 0.012,
  lossRatePerYear: 0.08,
  confounding: 1,
  rctEngagement: 0.85,
  dirty: 0,
  truthSamples: 100_000,
  chunkPersons: 500,
  /** Data cut = startDate + enrollmentDays + this many days. */
  dataCutAfterEnrollmentDays: 240,
} as const;

const FN = "generateCohort";

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0)
    throw new InvalidInputError(FN, `${name} must be a positive number (got ${v})`);
  return v;
}

function nonNegative(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new InvalidInputError(FN, `${name} must be ≥ 0 (got ${v})`);
  return v;
}

function integerIn(name: string, v: number, lo: number, hi: number): number {
  if (!Number.isSafeInteger(v) || v < lo || v > hi) {
    throw new InvalidInputError(FN, `${name} must be an integer in [${lo}, ${hi}] (got ${v})`);
  }
  return v;
}

function isoDay(name: string, text: string): number {
  const d = parseIsoDate(text);
  if (d === null) throw new InvalidInputError(FN, `${name} must be an ISO date YYYY-MM-DD (got "${text}")`);
  return d;
}

/**
 * Fills defaults and validates every option; throws InvalidInputError naming the bad option.
 */
export function resolveSynthOptions(options: SynthOptions): ResolvedSynthOptions {
  const D = SYNTH_DEFAULTS;
  const n = integerIn("n", options.n, 1, 50_000_000);
  const seed = integerIn("seed", options.seed, 0, Number.MAX_SAFE_INTEGER);
  const design = options.design ?? D.design;
  if (design !== "observational" && design !== "rct") {
    throw new InvalidInputError(FN, `design must be "observational" or "rct" (got "${String(design)}")`);
  }
  const randomization = options.randomization ?? D.randomization;
  if (randomization !== "individual" && randomization !== "cluster") {
    throw new InvalidInputError(FN, `randomization must be "individual" or "cluster"`);
  }
  const startDate = options.startDate ?? D.startDate;
  const startDay = isoDay("startDate", startDate);
  const enrollmentDays = integerIn("enrollmentDays", options.enrollmentDays ?? D.enrollmentDays, 1, 36500);
  const followUpDays = integerIn("followUpDays", options.followUpDays ?? D.followUpDays, 30, 3650);
  const dataCutDay =
    options.dataCutDate === undefined
      ? startDay + enrollmentDays + D.dataCutAfterEnrollmentDays
      : isoDay("dataCutDate", options.dataCutDate);
  if (dataCutDay < startDay + enrollmentDays) {
    throw new InvalidInputError(FN, "dataCutDate must be on or after the end of enrollment");
  }
  const weights: Record<SettingCode, number> = { ...D.settingWeights };
  for (const [k, v] of Object.entries(options.settingWeights ?? {})) {
    if (!(SETTINGS as readonly string[]).includes(k)) {
      throw new InvalidInputError(FN, `settingWeights: unknown setting "${k}"`);
    }
    weights[k as SettingCode] = nonNegative(`settingWeights.${k}`, v as number);
  }
  if (SETTINGS.every((s) => weights[s] === 0)) throw new InvalidInputError(FN, "settingWeights are all zero");
  const dirty = nonNegative("dirty", options.dirty ?? D.dirty);
  if (dirty > 1) throw new InvalidInputError(FN, `dirty must be a fraction in [0, 1] (got ${dirty})`);
  const rctEngagement = nonNegative("rctEngagement", options.rctEngagement ?? D.rctEngagement);
  if (rctEngagement > 1) throw new InvalidInputError(FN, "rctEngagement must be in [0, 1]");
  return Object.freeze({
    n,
    seed,
    design,
    randomization,
    startDate: formatIsoDate(startDay),
    enrollmentDays,
    followUpDays,
    dataCutDate: formatIsoDate(dataCutDay),
    settingWeights: Object.freeze(weights),
    moudHazardRatio: positive("moudHazardRatio", options.moudHazardRatio ?? D.moudHazardRatio),
    edRateRatio: positive("edRateRatio", options.edRateRatio ?? D.edRateRatio),
    barcChangeEffect: (() => {
      const v = options.barcChangeEffect ?? D.barcChangeEffect;
      if (!Number.isFinite(v)) throw new InvalidInputError(FN, "barcChangeEffect must be finite");
      return v;
    })(),
    moudDiscontinuationHazardRatio: positive(
      "moudDiscontinuationHazardRatio",
      options.moudDiscontinuationHazardRatio ?? D.moudDiscontinuationHazardRatio,
    ),
    useOddsRatio: positive("useOddsRatio", options.useOddsRatio ?? D.useOddsRatio),
    deathHazardRatio: positive("deathHazardRatio", options.deathHazardRatio ?? D.deathHazardRatio),
    moudWeibullShape: positive("moudWeibullShape", options.moudWeibullShape ?? D.moudWeibullShape),
    moudBaselineScale: positive("moudBaselineScale", options.moudBaselineScale ?? D.moudBaselineScale),
    edVisitsPerYear: positive("edVisitsPerYear", options.edVisitsPerYear ?? D.edVisitsPerYear),
    edOverdispersion: positive("edOverdispersion", options.edOverdispersion ?? D.edOverdispersion),
    deathRatePerYear: positive("deathRatePerYear", options.deathRatePerYear ?? D.deathRatePerYear),
    lossRatePerYear: nonNegative("lossRatePerYear", options.lossRatePerYear ?? D.lossRatePerYear),
    confounding: nonNegative("confounding", options.confounding ?? D.confounding),
    rctEngagement,
    dirty,
    truthSamples: integerIn("truthSamples", options.truthSamples ?? D.truthSamples, 0, 10_000_000),
    chunkPersons: integerIn("chunkPersons", options.chunkPersons ?? D.chunkPersons, 1, 1_000_000),
    startDay,
    dataCutDay,
  });
}
