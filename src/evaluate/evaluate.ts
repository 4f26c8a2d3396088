/**
 * One call: an evaluation config → an EvaluationResult (DESIGN.md data flow). Loads and validates
 * the data folder, derives each outcome's unit-level measure with its trace, runs the statistics by
 * arm, and assembles flow counts, methods, limitations and the manifest. Aggregates only.
 */
import type { LoadResult } from "../dictionary/load-result.js";
import { type Warning, warning } from "../messages.js";
import { PACKAGE_VERSION } from "../version.js";
import { type EvaluationCohort, evaluationCohort } from "./cohort.js";
import type { DesignConfig, EvaluationConfig, OutcomeConfig } from "./config.js";
import { COVARIATE_CATALOGUE } from "./covariates.js";
import { dataQualityOf } from "./data-quality.js";
import { limitationsOf } from "./limitations.js";
import { daysToMoudSteps } from "./outcome-days-to-moud.js";
import { measureOutcomeSteps } from "./outcome-measure.js";
import { type EvaluationResult, type OutcomeResult, RESULT_SCHEMA_VERSION } from "./result.js";
import { TaskPool, type TaskTicket } from "./task-pool.js";
import { type OutcomeSteps, pause, runSteps, type Task } from "./tasks.js";

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

const PRE_POST_WHO = {
  PEER: "people who received peer support",
  ALL: "all participants",
} as const;

const ESTIMAND_WORDS = {
  ATT: "people who received peer support (ATT)",
  ATE: "everyone analysed (ATE)",
  ATO: "the people for whom both groups are common (overlap weights, ATO)",
} as const;

/** One or two sentences on who was compared with whom, and how. */
export function designDescription(design: DesignConfig): string {
  switch (design.kind) {
    case "weighted":
      return `People who received peer support are compared with people who did not, after propensity-score weighting on ${design.covariates.length} characteristics measured before the index event, so that the comparison describes ${ESTIMAND_WORDS[design.estimand]}. Both groups start follow-up at the same kind of index event. Characteristics that were not measured can still differ.`;
    case "matched":
      return `Each person who received peer support is matched to ${design.ratio === 1 ? "the most similar person" : `the ${design.ratio} most similar people`} who did not (nearest propensity score${design.caliper === null ? "" : `, within ${design.caliper} SD of its logit`}${design.exact.length > 0 ? `, same ${design.exact.map((e) => COVARIATE_CATALOGUE[e].label.toLowerCase()).join(" and ")}` : ""}), on ${design.covariates.length} characteristics measured before the index event. Both groups start follow-up at the same kind of index event. Characteristics that were not measured can still differ.`;
    case "prePost":
      return `The same ${PRE_POST_WHO[design.group]} are described before and after their index event. There is no comparison group, so a change can come from the service, from time trends or from regression to the mean: descriptive.`;
    case "differenceInDifferences":
      return `The change from before to after the index event among people who received peer support is compared with the change among people who did not (difference in differences${design.covariates ? `, after propensity-score weighting on ${design.covariates.length} characteristics measured before the index event (${ESTIMAND_WORDS[design.estimand]})` : ""}). This assumes both groups would have changed alike without peer support.`;
    default:
      return DESIGN_DESCRIPTIONS[design.kind];
  }
}

/** How an evaluation uses threads. */
export interface EvaluateLoadedOptions {
  /**
   * Compute the outcomes' adjustments, effects and time-to-event analyses on a worker thread while
   * this thread derives the measures: true, false, or "auto" (default: when persons.csv has at least
   * 50,000 rows). The result is the same either way.
   */
  readonly worker?: boolean | "auto";
}

const WORKER_FROM_PERSONS = 50_000;
/**
 * Outcomes in progress at once with a worker (each holds its measure's unit arrays): another one is
 * begun only when no task has been answered and no outcome is paused.
 */
const MAX_LIVE = 4;

/** An outcome in progress: its steps and the task it waits for (none when paused or done). */
interface LiveOutcome<T> {
  readonly index: number;
  readonly steps: OutcomeSteps<T>;
  step: IteratorResult<Task, T>;
  ticket: TaskTicket | null;
}

/**
 * Runs the outcomes' steps with a worker: this thread derives measures (they need the dataset) and
 * resumes outcomes as the worker answers their tasks; with nothing to resume it continues a paused
 * outcome, or begins another one, or takes the newest task the worker has not started, or waits for
 * the oldest. Results keep the configured order.
 */
function runWithPool<T>(
  pool: TaskPool,
  count: number,
  stepsOf: (k: number) => OutcomeSteps<T>,
  order: readonly number[] = Array.from({ length: count }, (_, k) => k),
): T[] {
  const results = new Array<T>(count);
  const live: LiveOutcome<T>[] = [];
  const resume = (o: LiveOutcome<T>, value?: unknown) => {
    o.step = o.steps.next(value);
    o.ticket = o.step.done || o.step.value.kind === "pause" ? null : pool.submit(o.step.value);
  };
  let nextBegin = 0;
  const begin = () => {
    const index = order[nextBegin++] as number;
    const o: LiveOutcome<T> = {
      index,
      steps: stepsOf(index),
      step: { done: false, value: undefined } as never,
      ticket: null,
    };
    resume(o);
    live.push(o);
  };
  // Resumes every outcome whose task the worker has answered; false if there was none.
  const resumeReady = (): boolean => {
    let resumed = false;
    for (const o of live) {
      if (o.ticket && pool.ready(o.ticket)) {
        resume(o, pool.result(o.ticket));
        resumed = true;
      }
    }
    return resumed;
  };
  while (live.length > 0 || nextBegin < count) {
    if (!resumeReady()) {
      // Nothing ready. This thread's own work comes first: a paused outcome, else deriving another
      // measure (up to MAX_LIVE outcomes in progress); else take the newest task nobody has started
      // while the worker is busy; else wait for the oldest outcome's task.
      const paused = live.find((o) => o.ticket === null && !o.step.done);
      if (paused) resume(paused);
      else if (live.length < MAX_LIVE && nextBegin < count) begin();
      else {
        const busy = live.some((o) => o.ticket !== null && !pool.pending(o.ticket) && !pool.ready(o.ticket));
        let take: LiveOutcome<T> | undefined;
        for (const o of live) {
          const t = o.ticket;
          if (busy && t && pool.pending(t) && (!take || t.id > (take.ticket as TaskTicket).id)) take = o;
        }
        take ??= live[0] as LiveOutcome<T>;
        resume(take, pool.result(take.ticket as TaskTicket));
      }
    }
    // Outcomes that have finished leave (their results keep the configured order).
    for (let i = live.length - 1; i >= 0; i--) {
      const o = live[i] as LiveOutcome<T>;
      if (o.step.done) {
        results[o.index] = o.step.value;
        live.splice(i, 1);
      }
    }
  }
  return results;
}

/**
 * The order in which a worker-backed evaluation begins its outcomes (results keep the configured
 * order). Days to MOUD uses the cohort's covariates when measure outcomes need the cohort, so its first
 * task waits for the cohort and its own measure: a measure outcome begins first, so that the worker gets
 * a task after the cohort and one measure.
 */
function beginOrder(config: EvaluationConfig): number[] {
  const order = config.outcomes.map((_, k) => k);
  const first = config.outcomes.findIndex((o) => o.measure !== "daysToMoud");
  if (first > 0) {
    order.splice(first, 1);
    order.unshift(first);
  }
  return order;
}

/** Runs an evaluation on an already loaded dataset. */
export function evaluateLoaded(
  config: EvaluationConfig,
  load: LoadResult,
  context: EvaluationContext,
  options: EvaluateLoadedOptions = {},
): EvaluationResult {
  const warnings: Warning[] = [];
  if (!load.ok)
    warnings.push(warning("DATA_ERRORS", "rows with errors were rejected; see the data quality section"));
  const useWorker =
    config.outcomes.length > 0 &&
    (options.worker === true ||
      ((options.worker ?? "auto") === "auto" &&
        (load.dataset.persons?.numRows() ?? 0) >= WORKER_FROM_PERSONS));
  let cohort: EvaluationCohort | null = null;
  const stepsOf = (k: number): OutcomeSteps<OutcomeResult> => {
    const outcome = config.outcomes[k] as OutcomeConfig;
    if (outcome.measure === "daysToMoud") {
      // When the measure outcomes need the cohort anyway, its covariates serve this outcome's adjustment
      // too (if its people are cohort persons at the same index event).
      const shared = config.outcomes.some((o) => o.measure !== "daysToMoud");
      return daysToMoudSteps(
        load.dataset,
        config,
        outcome,
        shared
          ? () => {
              cohort ??= evaluationCohort(load.dataset, config);
              return cohort;
            }
          : undefined,
      );
    }
    return (function* () {
      if (!cohort) {
        cohort = evaluationCohort(load.dataset, config);
        yield* pause();
      }
      return yield* measureOutcomeSteps(load.dataset, config, outcome, cohort);
    })();
  };
  const pool = useWorker ? TaskPool.start() : null;
  let outcomes: OutcomeResult[];
  try {
    outcomes = pool
      ? runWithPool(pool, config.outcomes.length, stepsOf, beginOrder(config))
      : config.outcomes.map((_, k) => runSteps(stepsOf(k)));
  } finally {
    pool?.close();
  }
  // (Assigned inside `stepsOf`, which TypeScript's narrowing does not follow.)
  const built = cohort as EvaluationCohort | null;
  if (built) for (const w of built.warnings) if (!warnings.some((x) => x.code === w.code)) warnings.push(w);
  const design = config.design.kind;
  const result: EvaluationResult = {
    title: config.title,
    design: {
      kind: design,
      description: designDescription(config.design),
      causalLanguageAllowed: design === "randomized",
    },
    dataQuality: dataQualityOf(load),
    outcomes,
    methods: methodsOf(config, outcomes, load),
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

function methodsOf(config: EvaluationConfig, outcomes: readonly OutcomeResult[], load: LoadResult) {
  const level = `${Math.round(config.confLevel * 100)}%`;
  const items = [
    { label: "Design", value: designDescription(config.design) },
    {
      label: "Index event",
      value: `${config.index.types ? config.index.types.join(", ") : "any type"}; selection "${config.index.selection}" (first new index event per person, MEASURES.md §15.7)`,
    },
    {
      label: "Files read",
      value: `${load.files.map((f) => f.file).join(", ")}. Evaluations do not read daily_use.csv or co_interventions.csv (no outcome uses them); \`prss validate\` checks every file.`,
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
  const described = new Set<unknown>();
  for (const o of outcomes) {
    const c = o.comparability;
    // Measure outcomes share the evaluation cohort's adjustment: describe each adjustment once.
    if (c && !described.has(c)) {
      described.add(c);
      // Days to MOUD has its own eligible sample (new to MOUD); the other outcomes share the cohort's.
      const both =
        outcomes.some((x) => x.kind === "timeToEvent") && outcomes.some((x) => x.kind === "measure");
      const prefix = !both ? "" : o.kind === "timeToEvent" ? `${o.title} sample — ` : "Evaluation cohort — ";
      items.push({
        label: `${prefix}Propensity score`,
        value: `${c.propensity.method}; ${c.propensity.nTerms} terms${c.propensity.nAliased > 0 ? ` (${c.propensity.nAliased} aliased and dropped, as R)` : ""}`,
      });
      items.push({ label: `${prefix}Adjustment`, value: c.method });
      items.push({ label: `${prefix}Estimand`, value: `${c.estimand}: ${c.estimandDescription}` });
      items.push({
        label: `${prefix}Covariates (measured before the index episode)`,
        value: c.covariates.map((v) => `${v.label} [${v.definition}; missing: ${v.missingRule}]`).join("; "),
      });
      items.push({
        label: `${prefix}Balance`,
        value: `${c.balance.convention} Threshold |SMD| < ${c.balance.threshold}.`,
      });
    }
    items.push({ label: `${o.title}: definition`, value: `${o.measure.id} version ${o.measure.version}` });
    items.push({ label: `${o.title}: parameters`, value: JSON.stringify(o.measure.params) });
    for (const e of o.effects) items.push({ label: `${o.title}: ${e.label}`, value: e.method });
    for (const t of o.tests) items.push({ label: `${o.title}: ${t.label}`, value: t.method });
  }
  return items;
}
