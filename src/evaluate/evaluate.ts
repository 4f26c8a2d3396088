/**
 * One call: an evaluation config → an EvaluationResult (DESIGN.md data flow). Loads and validates
 * the data folder, derives each outcome's unit-level measure with its trace, runs the statistics by
 * arm, and assembles flow counts, methods, limitations and the manifest. Aggregates only.
 */
import type { LoadResult } from "../dictionary/load-result.js";
import { type Warning, warning } from "../messages.js";
import { PACKAGE_VERSION } from "../version.js";
import type { EvaluationConfig } from "./config.js";
import { dataQualityOf } from "./data-quality.js";
import { limitationsOf } from "./limitations.js";
import { evaluateDaysToMoud } from "./outcome-days-to-moud.js";
import { type EvaluationResult, type OutcomeResult, RESULT_SCHEMA_VERSION } from "./result.js";

/** Environment facts recorded in the manifest (passed in so the core stays free of node: imports). */
export interface EvaluationContext {
  readonly nodeVersion: string;
  readonly generatedAt: string;
  /** The config as written (recorded verbatim in the manifest, with defaults resolved). */
  readonly configForManifest?: Readonly<Record<string, unknown>>;
}

const DESIGN_DESCRIPTIONS = {
  randomized:
    "Participants were randomized to peer support or the comparison condition; analysed by assigned arm (intention to treat).",
  unadjusted:
    "People who received peer support are compared with people who did not, without matching or weighting: the groups may differ in ways that also affect the outcomes.",
  descriptive: "All participants are described as one group; there is no comparison group.",
} as const;

/** Runs an evaluation on an already loaded dataset. */
export function evaluateLoaded(
  config: EvaluationConfig,
  load: LoadResult,
  context: EvaluationContext,
): EvaluationResult {
  const warnings: Warning[] = [];
  if (!load.ok)
    warnings.push(warning("DATA_ERRORS", "rows with errors were rejected; see the data quality section"));
  const outcomes: OutcomeResult[] = [];
  for (const outcome of config.outcomes) {
    if (outcome.measure === "daysToMoud") outcomes.push(evaluateDaysToMoud(load.dataset, config, outcome));
  }
  const design = config.design.kind;
  const result: EvaluationResult = {
    title: config.title,
    design: {
      kind: design,
      description: DESIGN_DESCRIPTIONS[design],
      causalLanguageAllowed: design === "randomized",
    },
    dataQuality: dataQualityOf(load),
    outcomes,
    methods: methodsOf(config, outcomes),
    limitations: limitationsOf(config, outcomes),
    smallCellThreshold: config.smallCellThreshold,
    confLevel: config.confLevel,
    warnings,
    manifest: {
      packageName: "prss-eval",
      packageVersion: PACKAGE_VERSION,
      resultSchemaVersion: RESULT_SCHEMA_VERSION,
      dictionaryVersion: load.dictionaryVersion,
      measureDefinitions: outcomes.map((o) => ({ id: o.measure.id, version: o.measure.version })),
      inputs: load.checksums,
      config: context.configForManifest ?? (config as unknown as Record<string, unknown>),
      seed: config.seed,
      nodeVersion: context.nodeVersion,
      generatedAt: context.generatedAt,
    },
  };
  return result;
}

function methodsOf(config: EvaluationConfig, outcomes: readonly OutcomeResult[]) {
  const level = `${Math.round(config.confLevel * 100)}%`;
  const items = [
    { label: "Design", value: DESIGN_DESCRIPTIONS[config.design.kind] },
    {
      label: "Index event",
      value: `${config.index.types ? config.index.types.join(", ") : "any type"}; selection "${config.index.selection}" (first new index event per person, MEASURES.md §15.7)`,
    },
    { label: "Confidence intervals", value: `${level}, two-sided` },
    {
      label: "Small cells",
      value:
        config.smallCellThreshold > 0
          ? `counts from 1 to ${config.smallCellThreshold} are hidden, with complementary suppression; curves stop where ${config.smallCellThreshold} or fewer remain at risk`
          : "suppression switched off by the configuration",
    },
    { label: "Seed", value: String(config.seed) },
  ];
  for (const o of outcomes) {
    items.push({ label: `${o.title}: definition`, value: `${o.measure.id} version ${o.measure.version}` });
    items.push({ label: `${o.title}: parameters`, value: JSON.stringify(o.measure.params) });
    for (const e of o.effects) items.push({ label: `${o.title}: ${e.label}`, value: e.method });
    for (const t of o.tests) items.push({ label: `${o.title}: ${t.label}`, value: t.method });
  }
  return items;
}
