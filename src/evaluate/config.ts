/**
 * The evaluation config: one zod schema is the source of truth for validation, the TypeScript type
 * (`z.infer`) and the published JSON Schema. Paths are resolved relative to the config file.
 */
import { z } from "zod";

const INDEX_TYPES = ["ED_VISIT", "OVERDOSE", "HOSPITAL_DISCHARGE", "RELEASE", "PEER_ENROLLMENT"] as const;

const DaysToMoudOutcome = z
  .object({
    measure: z
      .literal("daysToMoud")
      .meta({ description: "Days from the index event to the first MOUD event" }),
    horizonDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(365)
      .meta({ description: "Follow-up after the index day" }),
    timepoints: z
      .array(z.number().int().min(1))
      .min(1)
      .default([7, 14, 30, 90, 180, 365])
      .meta({ description: "Days at which cumulative incidence is reported" }),
    contrastDay: z
      .number()
      .int()
      .min(1)
      .default(30)
      .meta({ description: "Day of the headline risk difference in cumulative incidence" }),
  })
  .strict();

const EdUtilizationOutcome = z
  .object({
    measure: z.literal("edUtilization").meta({
      description:
        "ED visits per person-year after the index event (MEASURES.md §5; rate ratio and difference)",
    }),
    windowDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(180)
      .meta({ description: "Days after the index day counted (day 1 to windowDays)" }),
    preWindowDays: z.number().int().min(1).max(3650).default(180).meta({
      description: "Days before the index day counted as the pre period (pre/post and DiD designs)",
    }),
  })
  .strict();

/** Retention threshold: one of the days the retention measures report (30, 90, 180, 365). */
const retentionDays = (fallback: 30 | 90 | 180 | 365) =>
  z
    .union([z.literal(30), z.literal(90), z.literal(180), z.literal(365)])
    .default(fallback)
    .meta({ description: "Retention threshold in days: 30, 90, 180 or 365" });

const MoudRetentionOutcome = z
  .object({
    measure: z.literal("moudRetention").meta({
      description:
        "Retention on MOUD: share of people whose first MOUD episode continued without a gap for the given days (§4)",
    }),
    days: retentionDays(180),
  })
  .strict();

const ProgramRetentionOutcome = z
  .object({
    measure: z.literal("programRetention").meta({
      description:
        "Retention in the peer program: share still engaged the given days after the episode start (§9)",
    }),
    days: retentionDays(90),
    source: z
      .enum(["observation", "peer-contacts"])
      .default("observation")
      .meta({ description: "Episodes from program observation periods or from gaps between peer contacts" }),
  })
  .strict();

const UdsAbstinenceOutcome = z
  .object({
    measure: z.literal("udsAbstinence").meta({
      description:
        "Urine drug screens: share of people with k consecutive negative screens (missing = positive; §6)",
    }),
    k: z
      .number()
      .int()
      .min(1)
      .max(52)
      .default(3)
      .meta({ description: "Consecutive negative screens required" }),
  })
  .strict();

const SelfReportAbstinenceOutcome = z
  .object({
    measure: z.literal("selfReportAbstinence").meta({
      description:
        "Self-reported abstinence from alcohol and drugs in the past 30 days at the GPRA follow-up (§6)",
    }),
    dueMonths: z
      .number()
      .int()
      .min(1)
      .max(24)
      .default(6)
      .meta({ description: "Months after intake at which the follow-up interview is due" }),
  })
  .strict();

const RecoveryCapitalOutcome = z
  .object({
    measure: z.literal("recoveryCapital").meta({
      description:
        "Recovery capital: change in the instrument's total score from intake to a follow-up wave (§7)",
    }),
    instrument: z.enum(["BARC10", "ARC"]).default("BARC10"),
    wave: z
      .enum(["M3", "M6", "M12", "DISCHARGE"])
      .default("M6")
      .meta({ description: "Follow-up wave whose change from intake is compared" }),
  })
  .strict();

const FollowUpAfterEdOutcome = z
  .object({
    measure: z.literal("followUpAfterEd").meta({
      description:
        "Follow-up after an ED visit for substance use (HEDIS FUA, adjusted for non-plan data; MEASURES.md §2.1): share of people whose first eligible ED visit on or after the index date was followed by treatment within the given days",
    }),
    days: z
      .union([z.literal(7), z.literal(30)])
      .default(30)
      .meta({ description: "Follow-up window: 7 or 30 days (the ED day included)" }),
    clinicalOnly: z.boolean().default(true).meta({
      description:
        "Count clinical follow-up only (default), so that the peer service being evaluated does not count as its own outcome (§2.1 PRSS rule)",
    }),
  })
  .strict();

const PeerDoseOutcome = z
  .object({
    measure: z.literal("peerDose").meta({
      description:
        "Peer service dose: completed peer contacts in the window after the index event (§11; described, not compared: dose is the exposure)",
    }),
    windowDays: z.number().int().min(1).max(3650).default(90),
  })
  .strict();

export const OutcomeConfig = z.discriminatedUnion("measure", [
  DaysToMoudOutcome,
  EdUtilizationOutcome,
  MoudRetentionOutcome,
  ProgramRetentionOutcome,
  UdsAbstinenceOutcome,
  SelfReportAbstinenceOutcome,
  RecoveryCapitalOutcome,
  FollowUpAfterEdOutcome,
  PeerDoseOutcome,
]);

/** Every outcome measure an evaluation accepts, in the schema's order. */
export const OUTCOME_MEASURES: readonly OutcomeConfig["measure"][] = OutcomeConfig.options.map(
  (o) => o.shape.measure.value,
);

/** Outcomes with a value before the index (pre/post and difference-in-differences designs). */
export const PRE_POST_MEASURES = ["edUtilization", "selfReportAbstinence", "recoveryCapital"] as const;

/**
 * Named pre-index covariates an adjusted design may use (see `src/evaluate/covariates.ts` for the exact
 * definitions). Everything is measured strictly before the index episode.
 */
export const COVARIATE_NAMES = [
  "age",
  "sex",
  "race",
  "ethnicity",
  "payer",
  "housing",
  "rurality",
  "justice_involved",
  "primary_substance",
  "active_use_at_enrollment",
  "index_setting",
  "index_type",
  "index_year",
  "site",
  "prior_ed_visits_365",
  "prior_ed_visits_365_group",
  "prior_overdose_365",
  "prior_moud_365",
] as const;

export type CovariateName = (typeof COVARIATE_NAMES)[number];

/** Covariates that hold codes (usable for exact matching). */
export const CODE_COVARIATES = [
  "sex",
  "race",
  "ethnicity",
  "payer",
  "housing",
  "rurality",
  "justice_involved",
  "primary_substance",
  "active_use_at_enrollment",
  "index_setting",
  "index_type",
  "index_year",
  "site",
  "prior_ed_visits_365_group",
  "prior_overdose_365",
  "prior_moud_365",
] as const;

const Covariates = z
  .array(z.enum(COVARIATE_NAMES))
  .min(1)
  .refine((a) => new Set(a).size === a.length, { message: "each covariate may be named once" })
  .meta({
    description:
      "Pre-index covariates of the propensity model, from the fixed catalogue (age, sex, race, ethnicity, payer, housing, rurality, justice_involved, primary_substance, active_use_at_enrollment, index_setting, index_type, index_year, site, prior_ed_visits_365 (count), prior_ed_visits_365_group (0, 1, 2, 3–4, 5 or more), prior_overdose_365, prior_moud_365)",
  });

const NumericMissing = z.enum(["indicator", "error"]).default("indicator").meta({
  description:
    "Missing numeric covariate (age): 'indicator' fills the mean of the observed values and adds a missing-indicator column; 'error' stops the evaluation. Missing codes always become their own '(missing)' category.",
});

const BalanceThreshold = z.number().gt(0).max(1).default(0.1).meta({
  description: "Balance passes when every |standardized mean difference| is below this (default 0.1)",
});

const WeightedDesign = z
  .object({
    kind: z.literal("weighted").meta({
      description: "Propensity-score weighting of the observational arms on pre-index covariates",
    }),
    covariates: Covariates,
    estimand: z.enum(["ATT", "ATE", "ATO"]).default("ATT").meta({
      description:
        "ATT (default): the difference among people who received peer support; ATE: among everyone analysed; ATO: overlap weights, the population where both arms are common",
    }),
    stabilize: z
      .boolean()
      .default(false)
      .meta({ description: "ATE only: multiply the weights by the share of the person's own arm" }),
    trim: z
      .object({
        at: z.number().gt(0).meta({
          description:
            "Quantile in (0, 1) (e.g. 0.99) or a whole number ≥ 1 of top weights (WeightIt trim; the peer arm's weights are never trimmed under ATT)",
        }),
        lower: z.boolean().default(false).meta({ description: "Also trim the lower tail" }),
        drop: z
          .boolean()
          .default(false)
          .meta({ description: "Drop trimmed people (weight 0) instead of winsorising their weights" }),
      })
      .strict()
      .optional(),
    numericMissing: NumericMissing,
    balanceThreshold: BalanceThreshold,
  })
  .strict()
  .refine((d) => !d.stabilize || d.estimand === "ATE", {
    message: "stabilize applies to ATE weights only",
    path: ["stabilize"],
  });

const MatchedDesign = z
  .object({
    kind: z.literal("matched").meta({
      description:
        "Greedy nearest-neighbour matching of each peer-support person to comparison people on the propensity score (ATT)",
    }),
    covariates: Covariates,
    ratio: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .meta({ description: "Comparison people per peer-support person" }),
    caliper: z.number().gt(0).nullable().default(0.2).meta({
      description:
        "Caliper in SDs of the logit of the propensity score, pooled SD √((s₁² + s₀²)/2) (Austin 2011; default 0.2); null = no caliper",
    }),
    replace: z
      .boolean()
      .default(false)
      .meta({ description: "Reuse comparison people (matching with replacement)" }),
    exact: z
      .array(z.enum(CODE_COVARIATES))
      .default([])
      .meta({ description: "Code covariates matched exactly (e.g. index_setting)" }),
    order: z
      .enum(["largest", "smallest", "data"])
      .default("largest")
      .meta({ description: "Order in which peer-support people choose (MatchIt m.order; ties by id)" }),
    numericMissing: NumericMissing,
    balanceThreshold: BalanceThreshold,
  })
  .strict();

const PrePostDesign = z
  .object({
    kind: z.literal("prePost").meta({
      description:
        "One group before and after its index event (descriptive: changes mix the service with time trends and regression to the mean)",
    }),
    group: z
      .enum(["PEER", "ALL"])
      .default("PEER")
      .meta({ description: "Whose change is described: the peer-support arm (default) or everyone" }),
  })
  .strict();

const DifferenceInDifferencesDesign = z
  .object({
    kind: z.literal("differenceInDifferences").meta({
      description:
        "Change from before to after the index event in the peer-support arm minus the change in the comparison arm",
    }),
    covariates: Covariates.optional().meta({
      description:
        "Optional: propensity-score weight the comparison arm on these pre-index covariates first (same catalogue as the weighted design)",
    }),
    estimand: z.enum(["ATT", "ATE", "ATO"]).default("ATT"),
    numericMissing: NumericMissing,
    balanceThreshold: BalanceThreshold,
  })
  .strict();

export const DesignConfig = z.discriminatedUnion("kind", [
  WeightedDesign,
  MatchedDesign,
  PrePostDesign,
  DifferenceInDifferencesDesign,
  z
    .object({
      kind: z.literal("randomized").meta({ description: "Intention-to-treat on the randomized arm" }),
    })
    .strict(),
  z
    .object({
      kind: z.literal("unadjusted").meta({
        description: "Observational arms compared without adjustment (labelled: confounding not addressed)",
      }),
    })
    .strict(),
  z
    .object({
      kind: z.literal("descriptive").meta({ description: "One group, no comparison: no causal language" }),
    })
    .strict(),
]);

export const EvaluationConfig = z
  .object({
    title: z.string().min(1).default("Evaluation of peer recovery support services"),
    data: z.string().min(1).meta({ description: "Folder with one CSV per table (see the codebook)" }),
    output: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Output folder (default: output/<config name>)" }),
    index: z
      .object({
        types: z.array(z.enum(INDEX_TYPES)).min(1).optional(),
        selection: z.enum(["first", "all"]).default("first"),
      })
      .strict()
      .default({ selection: "first" }),
    design: DesignConfig,
    outcomes: z.array(OutcomeConfig).min(1),
    subgroups: z
      .array(z.enum(CODE_COVARIATES))
      .default([])
      .refine((a) => new Set(a).size === a.length, { message: "each subgroup variable may be named once" })
      .meta({
        description:
          "Code covariates (measured before the index event) whose levels get their own effect estimate, with a test of interaction",
      }),
    smallCellThreshold: z
      .number()
      .int()
      .min(0)
      .default(10)
      .meta({ description: "Counts from 1 to this value are suppressed in the report (0 = off)" }),
    confLevel: z.number().gt(0.5).lt(1).default(0.95),
    seed: z.number().int().min(0).default(20240101),
    strict: z.boolean().default(false).meta({ description: "Fail the whole load on any data error" }),
  })
  .strict()
  .refine(
    (c) => c.design.kind === "randomized" || c.design.kind === "unadjusted" || c.index.selection === "first",
    {
      message: 'this design compares people: index.selection must be "first"',
      path: ["index", "selection"],
    },
  )
  .superRefine((c, ctx) => {
    const prePost = c.design.kind === "prePost" || c.design.kind === "differenceInDifferences";
    c.outcomes.forEach((o, i) => {
      if (prePost && o.measure === "daysToMoud") {
        ctx.addIssue({
          code: "custom",
          path: ["outcomes", i, "measure"],
          message: `a ${c.design.kind} design needs outcomes measured before and after the index event; daysToMoud has no pre period (pre/post outcomes: ${PRE_POST_MEASURES.join(", ")}; retention and dose outcomes are described alongside)`,
        });
      }
    });
    if (c.subgroups.length > 0 && (c.design.kind === "descriptive" || c.design.kind === "prePost")) {
      ctx.addIssue({
        code: "custom",
        path: ["subgroups"],
        message: `subgroup effects need a comparison group; the ${c.design.kind} design has one group`,
      });
    }
    if (c.subgroups.length > 0 && c.design.kind === "differenceInDifferences") {
      ctx.addIssue({
        code: "custom",
        path: ["subgroups"],
        message:
          "subgroup effects are not computed for difference-in-differences designs (allowed with randomized, unadjusted, matched and weighted designs)",
      });
    }
  });

export type EvaluationConfigInput = z.input<typeof EvaluationConfig>;
export type EvaluationConfig = z.output<typeof EvaluationConfig>;
export type OutcomeConfig = z.output<typeof OutcomeConfig>;
export type DesignConfig = z.output<typeof DesignConfig>;
export type WeightedDesignConfig = Extract<DesignConfig, { kind: "weighted" }>;
export type MatchedDesignConfig = Extract<DesignConfig, { kind: "matched" }>;
export type DidDesignConfig = Extract<DesignConfig, { kind: "differenceInDifferences" }>;
export type MeasureOutcomeConfig = Exclude<OutcomeConfig, { measure: "daysToMoud" }>;

/** A config problem located at a key path, with what is allowed there. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** Validates a parsed config; returns the resolved config (defaults filled) or located issues. */
export function parseEvaluationConfig(
  value: unknown,
): { ok: true; config: EvaluationConfig } | { ok: false; issues: ConfigIssue[] } {
  const parsed = EvaluationConfig.safeParse(value);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issues = parsed.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: describeIssue(issue),
  }));
  return { ok: false, issues };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || "(config)";
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys")
    return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  if (issue.code === "invalid_value") {
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  if (issue.code === "invalid_union" && "discriminator" in issue && issue.discriminator) {
    return `${issue.message} (the "${String(issue.discriminator)}" key selects the variant)`;
  }
  return issue.message;
}

/** JSON Schema (draft 2020-12) of the config, published as `schemas/evaluation-config.schema.json`. */
export function evaluationConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(EvaluationConfig, { io: "input" }) as Record<string, unknown>;
}
