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

export const OutcomeConfig = z.discriminatedUnion("measure", [DaysToMoudOutcome]);

export const DesignConfig = z.discriminatedUnion("kind", [
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
  .strict();

export type EvaluationConfigInput = z.input<typeof EvaluationConfig>;
export type EvaluationConfig = z.output<typeof EvaluationConfig>;
export type OutcomeConfig = z.output<typeof OutcomeConfig>;

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
