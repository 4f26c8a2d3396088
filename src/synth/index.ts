/**
 * Synthetic cohort generator (`prss synth`): public names. Generic names are exported with a
 * SYNTH/Synth prefix so they cannot clash in the root export.
 */
export { DIRTY_KINDS, type DirtyKind } from "./dirty.js";
export {
  generateCohort,
  generateCohortText,
  type PersonObserver,
  type SynthResult,
  type SynthSink,
  truthJson,
} from "./generate.js";
export { MODEL as SYNTH_MODEL } from "./model.js";
export {
  type ResolvedSynthOptions,
  resolveSynthOptions,
  SETTINGS as SYNTH_SETTINGS,
  type SettingCode as SynthSettingCode,
  SYNTH_DEFAULTS,
  type SynthDesign,
  type SynthOptions,
} from "./options.js";
export { Rng as SynthRng } from "./rng.js";
export { SYNTH_CODE_SETS, SYNTH_COLUMNS, SYNTH_TABLES, type SynthTableName, synthHeader } from "./tables.js";
export {
  CIF_DAYS as SYNTH_CIF_DAYS,
  coxLimitLogHr,
  type DerivedTruth,
  type DirtyError,
  moudDailyIncrements,
  SYNTH_GENERATOR,
  type SynthTruth,
} from "./truth.js";
