/**
 * Outcome measures (MEASURES.md): one module per measure, each exporting MEASURE_ID, VERSION (semver),
 * DEFAULTS, REASONS (closed trace codes) and `definition(params)` for the result manifest, plus one
 * compute function taking the loader's tables (or a shared MeasureData) and returning
 * { definition, units (arquero, one row per unit with in_denominator / reason), summary, warnings }.
 * Whole modules are re-exported as namespaces (e.g. `PodMeasure.DEFAULTS`); compute functions and
 * shared helpers by name.
 */
import * as EdRevisitMeasure from "./ed-revisit.js";
import * as EdUtilizationMeasure from "./ed-utilization.js";
import * as FuaMeasure from "./fua.js";
import * as GpraFollowUpMeasure from "./gpra-follow-up.js";
import * as IetMeasure from "./iet.js";
import * as MoudCoverageModule from "./moud-coverage.js";
import * as MoudRetentionMeasure from "./moud-retention.js";
import * as Nqf3175Measure from "./nqf-3175.js";
import * as PeerDoseMeasure from "./peer-dose.js";
import * as PodMeasure from "./pod.js";
import * as ProgramRetentionMeasure from "./program-retention.js";
import * as RecoveryCapitalMeasure from "./recovery-capital.js";
import * as SelfReportAbstinenceMeasure from "./self-report-abstinence.js";
import * as TlfbMeasure from "./tlfb.js";
import * as UdsAbstinenceMeasure from "./uds-abstinence.js";

export {
  EdRevisitMeasure,
  EdUtilizationMeasure,
  FuaMeasure,
  GpraFollowUpMeasure,
  IetMeasure,
  MoudCoverageModule,
  MoudRetentionMeasure,
  Nqf3175Measure,
  PeerDoseMeasure,
  PodMeasure,
  ProgramRetentionMeasure,
  RecoveryCapitalMeasure,
  SelfReportAbstinenceMeasure,
  TlfbMeasure,
  UdsAbstinenceMeasure,
};

/** Registry of measure modules by MEASURE_ID (id, version and definition builder of each). */
export const MEASURE_REGISTRY = Object.freeze({
  [MoudCoverageModule.MEASURE_ID]: MoudCoverageModule,
  [PodMeasure.MEASURE_ID]: PodMeasure,
  [Nqf3175Measure.MEASURE_ID]: Nqf3175Measure,
  [MoudRetentionMeasure.MEASURE_ID]: MoudRetentionMeasure,
  [ProgramRetentionMeasure.MEASURE_ID]: ProgramRetentionMeasure,
  [EdUtilizationMeasure.MEASURE_ID]: EdUtilizationMeasure,
  [EdRevisitMeasure.MEASURE_ID]: EdRevisitMeasure,
  [UdsAbstinenceMeasure.MEASURE_ID]: UdsAbstinenceMeasure,
  [TlfbMeasure.MEASURE_ID]: TlfbMeasure,
  [SelfReportAbstinenceMeasure.MEASURE_ID]: SelfReportAbstinenceMeasure,
  [RecoveryCapitalMeasure.MEASURE_ID]: RecoveryCapitalMeasure,
  [FuaMeasure.MEASURE_ID]: FuaMeasure,
  [IetMeasure.MEASURE_ID]: IetMeasure,
  [PeerDoseMeasure.MEASURE_ID]: PeerDoseMeasure,
  [GpraFollowUpMeasure.MEASURE_ID]: GpraFollowUpMeasure,
});

export { NULL_DAY } from "./core/columns.js";
export { MeasureData, type MeasureTables } from "./core/data.js";
export {
  HEDIS_ADJUSTED_LABEL,
  type MeasureDefinition,
  type MeasureStatus,
  RESOLVED_READINGS,
} from "./core/definition.js";
export { inWindow } from "./core/intervals.js";
export type { MeasureResult } from "./core/result.js";
export {
  type GroupSummary,
  meanEstimate,
  poissonRateEstimate,
  proportionEstimate,
  type RatePair,
} from "./core/summary.js";
export { edRevisit } from "./ed-revisit.js";
export { edUtilization } from "./ed-utilization.js";
export { fua } from "./fua.js";
export { gpraFollowUp, gpraFollowUpWindow } from "./gpra-follow-up.js";
export { iet } from "./iet.js";
export {
  coverageEventTable,
  coverageTable,
  DAYS_SUPPLY_TABLE,
  type MoudCoverage,
  type MoudCoverageParams,
  moudCoverage,
  newEpisodeStarts,
  OUD_MED_ROWS,
  walkDiscontinuation,
} from "./moud-coverage.js";
export { moudRetention } from "./moud-retention.js";
export { nqf3175 } from "./nqf-3175.js";
export { peerDose } from "./peer-dose.js";
export { pod } from "./pod.js";
export { programRetention } from "./program-retention.js";
export { recoveryCapital, reliableChangeConstants } from "./recovery-capital.js";
export { selfReportAbstinence } from "./self-report-abstinence.js";
export { tlfb } from "./tlfb.js";
export { longestNegativeRun, udsAbstinence } from "./uds-abstinence.js";
export {
  illustrativeValueSets,
  normalizeCode,
  parseValueSetsCsv,
  parseValueSetsJson,
  VALUE_SET_IDS,
  ValueSetFileSchema,
  ValueSetMapping,
} from "./value-sets.js";
