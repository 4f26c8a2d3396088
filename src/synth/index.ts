/** Synthetic cohort generator (`prss synth`): public names. */
export { DIRTY_KINDS, type DirtyKind } from "./dirty.js";
export {
  generateCohort,
  generateCohortText,
  type PersonObserver,
  type SynthResult,
  type SynthSink,
  truthJson,
} from "./generate.js";
export { MODEL } from "./model.js";
export {
  type ResolvedSynthOptions,
  resolveSynthOptions,
  SETTINGS,
  type SettingCode,
  SYNTH_DEFAULTS,
  type SynthDesign,
  type SynthOptions,
} from "./options.js";
export { Rng } from "./rng.js";
export { SYNTH_CODE_SETS, SYNTH_COLUMNS, SYNTH_TABLES, type SynthTableName, synthHeader } from "./tables.js";
export {
  CIF_DAYS,
  coxLimitLogHr,
  type DerivedTruth,
  type DirtyError,
  moudDailyIncrements,
  SYNTH_GENERATOR,
  type SynthTruth,
} from "./truth.js";
