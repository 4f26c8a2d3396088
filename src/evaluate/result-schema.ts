/**
 * A zod schema of the EvaluationResult (results.json), the source of the published JSON Schema
 * `schemas/evaluation-result.schema.json`. Objects are strict, so a field added to the TypeScript type
 * without the schema fails validation of real results (tests/evaluate/schemas.test.ts); a compile-time
 * check below makes every EvaluationResult assignable to the schema's type.
 */
import { z } from "zod";
import { WARNING_CODES, type WarningCode } from "../messages.js";
import type { EvaluationResult } from "./result.js";

const num = z.number();
const nullableNum = z.number().nullable();

const WarningSchema = z
  .object({
    code: z.enum(Object.keys(WARNING_CODES) as [WarningCode, ...WarningCode[]]),
    message: z.string(),
    detail: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const FlowStepSchema = z
  .object({
    label: z.string(),
    n: num,
    excluded: z.array(z.object({ reason: z.string(), n: num }).strict()).optional(),
  })
  .strict();

const DataQualitySchema = z
  .object({
    files: z.array(z.object({ file: z.string(), read: num, accepted: num, rejected: num }).strict()),
    issuesByCode: z.array(
      z
        .object({
          code: z.string(),
          severity: z.enum(["error", "warning", "info"]),
          count: num,
          example: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict();

const IntervalShape = { estimate: nullableNum, se: nullableNum, lower: nullableNum, upper: nullableNum };

const TimepointSchema = z
  .object({ ...IntervalShape, time: num, nRisk: num, eventsBy: num, beyondFollowUp: z.boolean() })
  .strict();

const GroupSchema = z
  .object({
    group: z.string(),
    n: num,
    nEvents: num,
    nCompeting: num,
    nCensored: num,
    cumulativeIncidence: z.array(TimepointSchema),
    oneMinusKaplanMeier: z.array(TimepointSchema),
    medianKaplanMeier: z.object(IntervalShape).strict(),
    medianCumulativeIncidence: nullableNum,
    medianAmongEvents: nullableNum,
    nEventsDay0: num,
  })
  .strict();

const EffectSchema = z
  .object({
    ...IntervalShape,
    label: z.string(),
    scale: z.enum(["difference", "ratio"]),
    pValue: nullableNum,
    method: z.string(),
    level: num,
    eValue: z.object({ estimate: nullableNum, ciBound: nullableNum }).strict().optional(),
  })
  .strict();

const TestSchema = z
  .object({
    label: z.string(),
    statistic: nullableNum,
    df: nullableNum,
    pValue: nullableNum,
    method: z.string(),
  })
  .strict();

const SurvivalChartSchema = z
  .object({
    kind: z.literal("survival"),
    yLabel: z.enum(["Survival", "Cumulative incidence"]),
    xLabel: z.string(),
    curves: z.array(
      z
        .object({
          group: z.string(),
          time: z.array(num),
          estimate: z.array(num),
          lower: z.array(num),
          upper: z.array(num),
          censorTimes: z.array(num),
        })
        .strict(),
    ),
    atRisk: z.array(z.object({ group: z.string(), time: z.array(num), nRisk: z.array(num) }).strict()),
  })
  .strict();

const VegaLiteChartSchema = z
  .object({
    kind: z.literal("vegaLite"),
    spec: z.record(z.string(), z.unknown()),
    description: z.string(),
    suppressed: z.literal(true),
  })
  .strict();

const Table1CellSchema = z
  .object({ n: num, proportion: nullableNum, mean: nullableNum, sd: nullableNum })
  .strict();
const ArmPair = z.object({ treated: Table1CellSchema, control: Table1CellSchema }).strict();

const Table1RowSchema = z
  .object({
    covariate: z.string(),
    covariateLabel: z.string(),
    level: z.string().nullable(),
    levelLabel: z.string().nullable(),
    type: z.enum(["level", "numeric", "missingIndicator"]),
    before: ArmPair,
    after: ArmPair,
    smdBefore: nullableNum,
    smdAfter: nullableNum,
    rawDifferenceBefore: nullableNum,
    rawDifferenceAfter: nullableNum,
    varianceRatioBefore: nullableNum,
    varianceRatioAfter: nullableNum,
    balanced: z.boolean().nullable(),
  })
  .strict();

const ArmSampleSizeSchema = z
  .object({ group: z.string(), n: num, nAdjusted: num, sumWeights: num, ess: num })
  .strict();

const ArmOverlapSchema = z
  .object({ n: num, min: num, max: num, mean: num, below: num, above: num, outsideOtherRange: num })
  .strict();

const ComparabilitySchema = z
  .object({
    design: z.enum(["weighted", "matched"]),
    estimand: z.string(),
    estimandDescription: z.string(),
    treatedGroup: z.string(),
    controlGroup: z.string(),
    covariates: z.array(
      z
        .object({
          name: z.string(),
          label: z.string(),
          kind: z.enum(["numeric", "code"]),
          definition: z.string(),
          missingTreated: num,
          missingControl: num,
          missingRule: z.string(),
        })
        .strict(),
    ),
    propensity: z
      .object({
        method: z.string(),
        nTerms: num,
        nAliased: num,
        positivityBounds: z.tuple([num, num]),
        treated: ArmOverlapSchema,
        control: ArmOverlapSchema,
        commonSupport: z.object({ lower: num, upper: num }).strict(),
      })
      .strict(),
    sampleSize: z.object({ treated: ArmSampleSizeSchema, control: ArmSampleSizeSchema }).strict(),
    weighting: z
      .object({
        method: z.string(),
        stabilized: z.boolean(),
        trim: z.object({ at: num, nTrimmed: num, drop: z.boolean() }).strict().nullable(),
        maxWeightControl: num,
        maxWeightTreated: num,
      })
      .strict()
      .nullable(),
    matching: z
      .object({
        method: z.string(),
        ratio: num,
        replace: z.boolean(),
        caliper: z.object({ sdUnits: num, width: num, definition: z.string() }).strict().nullable(),
        exact: z.array(z.string()),
        nTreatedMatched: num,
        nTreatedUnmatched: num,
        unmatchedByReason: z.record(z.string(), num),
        nControlMatched: num,
        nSets: num,
      })
      .strict()
      .nullable(),
    balance: z
      .object({
        threshold: num,
        convention: z.string(),
        rows: z.array(Table1RowSchema),
        allBalanced: z.boolean(),
        nImbalancedBefore: num,
        nImbalancedAfter: num,
        maxAbsSmdBefore: nullableNum,
        maxAbsSmdAfter: nullableNum,
        imbalanced: z.array(z.string()),
      })
      .strict(),
    charts: z.object({ overlap: VegaLiteChartSchema }).strict(),
    method: z.string(),
    warnings: z.array(WarningSchema),
  })
  .strict();

const IntervalSchema = z.object(IntervalShape).strict();

const SubgroupSchema = z
  .object({
    variable: z.string(),
    label: z.string(),
    effectLabel: z.string(),
    scale: z.enum(["difference", "ratio"]),
    levels: z.array(
      z
        .object({
          ...IntervalShape,
          level: z.string(),
          label: z.string(),
          n: num,
          nTreated: num,
          nControl: num,
        })
        .strict(),
    ),
    overall: IntervalSchema,
    interaction: TestSchema,
    nMissing: num,
    warnings: z.array(WarningSchema),
  })
  .strict();

const TimeToEventOutcomeSchema = z
  .object({
    kind: z.literal("timeToEvent"),
    id: z.string(),
    title: z.string(),
    measure: z
      .object({ id: z.string(), version: z.string(), params: z.record(z.string(), z.unknown()) })
      .strict(),
    eventLabel: z.string(),
    competingLabel: z.string(),
    referenceGroup: z.string().nullable(),
    comparisonGroup: z.string().nullable(),
    groups: z.array(GroupSchema),
    effects: z.array(EffectSchema),
    tests: z.array(TestSchema),
    charts: z.object({ cumulativeIncidence: SurvivalChartSchema, kaplanMeier: SurvivalChartSchema }).strict(),
    flow: z.array(FlowStepSchema),
    comparability: ComparabilitySchema.nullable(),
    subgroups: z.array(SubgroupSchema),
    warnings: z.array(WarningSchema),
  })
  .strict();

const EstimatesChartSchema = z
  .object({
    kind: z.literal("estimates"),
    valueLabel: z.string(),
    style: z
      .object({
        kind: z.enum(["decimal", "percent", "percentagePoints", "ratio"]),
        digits: num.optional(),
      })
      .strict()
      .optional(),
    points: z.array(
      z
        .object({
          group: z.string(),
          category: z.string().optional(),
          n: num,
          estimate: nullableNum,
          lower: nullableNum,
          upper: nullableNum,
        })
        .strict(),
    ),
    zero: z.boolean().optional(),
  })
  .strict();

const TrajectoryChartSchema = z
  .object({
    kind: z.literal("trajectory"),
    xLabel: z.string(),
    yLabel: z.string(),
    points: z.array(
      z
        .object({
          group: z.string(),
          time: num,
          timeLabel: z.string(),
          n: num,
          estimate: nullableNum,
          lower: nullableNum,
          upper: nullableNum,
        })
        .strict(),
    ),
  })
  .strict();

const MeasureOutcomeSchema = z
  .object({
    kind: z.literal("measure"),
    id: z.string(),
    title: z.string(),
    measure: z
      .object({ id: z.string(), version: z.string(), params: z.record(z.string(), z.unknown()) })
      .strict(),
    valueType: z.enum(["proportion", "rate", "mean"]),
    valueLabel: z.string(),
    phrase: z.string(),
    analysis: z.enum(["comparison", "prePost", "differenceInDifferences", "described"]),
    referenceGroup: z.string().nullable(),
    comparisonGroup: z.string().nullable(),
    groups: z.array(
      z
        .object({
          ...IntervalShape,
          group: z.string(),
          n: num,
          events: nullableNum,
          personYears: nullableNum,
          pre: IntervalSchema.nullable(),
          change: IntervalSchema.nullable(),
        })
        .strict(),
    ),
    effects: z.array(EffectSchema),
    tests: z.array(TestSchema),
    subgroups: z.array(SubgroupSchema),
    charts: z
      .object({ estimates: EstimatesChartSchema, trajectory: TrajectoryChartSchema.nullable() })
      .strict(),
    flow: z.array(FlowStepSchema),
    comparability: ComparabilitySchema.nullable(),
    periodLabels: z.object({ pre: z.string(), post: z.string() }).strict().nullable(),
    completeness: z.object({ eligible: num, analysed: num }).strict(),
    notes: z.array(z.string()),
    warnings: z.array(WarningSchema),
  })
  .strict();

const OutcomeSchema = z.discriminatedUnion("kind", [TimeToEventOutcomeSchema, MeasureOutcomeSchema]);

const ManifestSchema = z
  .object({
    packageName: z.literal("prss-eval"),
    packageVersion: z.string(),
    resultSchemaVersion: z.string(),
    dictionaryVersion: z.string(),
    measureDefinitions: z.array(z.object({ id: z.string(), version: z.string() }).strict()),
    inputs: z.record(z.string(), z.string()),
    config: z.record(z.string(), z.unknown()),
    seed: num,
    nodeVersion: z.string(),
    generatedAt: z.string(),
  })
  .strict();

/** The EvaluationResult as a zod schema (strict objects). */
export const EvaluationResultSchema = z
  .object({
    title: z.string(),
    design: z
      .object({
        kind: z.enum([
          "randomized",
          "weighted",
          "matched",
          "prePost",
          "differenceInDifferences",
          "unadjusted",
          "descriptive",
        ]),
        description: z.string(),
        causalLanguageAllowed: z.boolean(),
      })
      .strict(),
    dataQuality: DataQualitySchema,
    outcomes: z.array(OutcomeSchema),
    methods: z.array(z.object({ label: z.string(), value: z.string() }).strict()),
    limitations: z.array(z.string()),
    smallCellThreshold: num,
    confLevel: num,
    warnings: z.array(WarningSchema),
    manifest: ManifestSchema,
  })
  .strict()
  .meta({
    title: "prss-eval EvaluationResult",
    description:
      "results.json written by `prss evaluate`: aggregates only (no row-level data), with a reproducibility manifest",
  });

/** Removes readonly (deeply) so that readonly result types can be compared with the schema's output. */
type DeepMutable<T> = T extends (infer U)[]
  ? DeepMutable<U>[]
  : T extends readonly (infer U)[]
    ? DeepMutable<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
      : T;

// Compile-time: every EvaluationResult is a value of the schema's type (fails to compile on drift).
type Assignable<A, B> = [A] extends [B] ? true : false;
const resultFitsSchema: Assignable<
  DeepMutable<EvaluationResult>,
  DeepMutable<z.output<typeof EvaluationResultSchema>>
> = true;
void resultFitsSchema;

/** JSON Schema (draft 2020-12) of results.json, published as `schemas/evaluation-result.schema.json`. */
export function evaluationResultJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(EvaluationResultSchema, { io: "output", reused: "ref" }) as Record<string, unknown>;
}
