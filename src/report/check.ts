/** Checks of a report's input that the renderers do not enforce: coded warnings for the caller. */
import { type Warning, warning } from "../messages.js";
import { hiddenPointCount } from "./charts/points.js";
import { cellIds, cellStatus, isSmallCount, planReportSuppression } from "./suppress.js";
import type { ChartInput, ReportInput, SmallCellPolicy } from "./types.js";

/** Causal wording that a non-causal design should avoid. */
const CAUSAL_WORDS =
  /\b(caus(e|es|ed|ing)|effects? of|impacts? of|led to|leads? to|resulted in|results in|because of|due to|reduc(e|es|ed|ing)|improv(e|es|ed|ing)|prevent(s|ed|ing)?)\b/i;

/** Keys that name person-level identifiers. */
const IDENTIFIER_KEYS = /^(person_?id|patient_?id|client_?id|participant_?id|mrn|ssn|dob|date_?of_?birth)$/i;

/** Arrays of this many records or more look like row-level data. */
const ROW_DATA_LENGTH = 100;

function findRowLevelData(value: unknown, path: string, depth: number): string | undefined {
  if (depth > 12 || value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value)) {
    const records = value.filter((v) => v !== null && typeof v === "object" && !Array.isArray(v)).length;
    if (records >= ROW_DATA_LENGTH) return `${path} is an array of ${records} records`;
    for (let i = 0; i < value.length; i++) {
      const hit = findRowLevelData(value[i], `${path}[${i}]`, depth + 1);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    if (IDENTIFIER_KEYS.test(key)) return `${path}.${key} names a person-level identifier`;
    const hit = findRowLevelData(child, `${path}.${key}`, depth + 1);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Points of a chart left out because their n is a small count (estimates, trajectories, forest rows). */
function hiddenChartPoints(chart: ChartInput, policy: SmallCellPolicy): number {
  switch (chart.kind) {
    case "estimates":
    case "trajectory":
      return hiddenPointCount(chart.points, policy);
    case "forest":
      return chart.rows.filter((r) => r.n !== undefined && isSmallCount(r.n, policy)).length;
    default:
      return 0;
  }
}

/**
 * Coded warnings about a report's input: SUPPRESSION_OFF when small-cell suppression is switched
 * off; CELLS_SUPPRESSED with the number of hidden counts (tables, flow, subgroup sections) and of
 * chart points left out for a small n (detail `chartPoints`, when any); HIDDEN_COUNT_IN_EFFECT when an outcome
 * with a hidden group size or event count also shows comparisons; CAUSAL_WORDING when a non-causal design's
 * sentences, titles, comparison labels, chart titles or notes use causal wording (a word list, so it can over-warn);
 * MANIFEST_ROW_DATA when the manifest holds identifier keys or long arrays of records.
 */
export function checkReportInput(input: ReportInput): Warning[] {
  const out: Warning[] = [];
  const plan = planReportSuppression(input);
  if (!plan.policy.suppressed) {
    out.push(
      warning("SUPPRESSION_OFF", `threshold ${plan.policy.threshold}`, { threshold: plan.policy.threshold }),
    );
  } else {
    const charts: ChartInput[] = [
      ...(input.comparability?.charts ?? []).map((x) => x.chart),
      ...input.outcomes.flatMap((o) => [
        ...(o.chart === undefined ? [] : [o.chart]),
        ...(o.extraCharts ?? []).map((x) => x.chart),
      ]),
    ];
    let points = 0;
    for (const c of charts) points += hiddenChartPoints(c, plan.policy);
    if (plan.hidden > 0 || points > 0) {
      out.push(
        warning(
          "CELLS_SUPPRESSED",
          `${plan.hidden} counts hidden${points > 0 ? `; ${points} chart points left out` : ""}`,
          { hidden: plan.hidden, ...(points > 0 ? { chartPoints: points } : {}) },
        ),
      );
    }
  }
  if (plan.policy.suppressed) {
    input.outcomes.forEach((o, k) => {
      if (o.effects.length === 0) return;
      const hidden = o.groupEstimates.some(
        (_g, j) =>
          cellStatus(plan, cellIds.groupN(k, j)) === "primary" ||
          cellStatus(plan, cellIds.groupEvents(k, j)) === "primary",
      );
      if (hidden) out.push(warning("HIDDEN_COUNT_IN_EFFECT", `outcome "${o.id}"`, { outcome: o.id }));
    });
  }
  if (!input.design.causalLanguageAllowed) {
    const texts: { where: string; text: string }[] = [];
    for (const o of input.outcomes) {
      texts.push({ where: `outcome "${o.id}" title`, text: o.title });
      if (o.sentence !== undefined) texts.push({ where: `outcome "${o.id}" sentence`, text: o.sentence });
      for (const e of o.effects) texts.push({ where: `outcome "${o.id}" comparison`, text: e.label });
      for (const x of o.extraCharts ?? [])
        texts.push({ where: `outcome "${o.id}" chart "${x.id}" title`, text: x.title });
      for (const note of o.notes ?? []) texts.push({ where: `outcome "${o.id}" note`, text: note });
    }
    if (input.comparability)
      texts.push({ where: "comparability sentence", text: input.comparability.sentence });
    for (const t of texts) {
      const m = CAUSAL_WORDS.exec(t.text);
      if (m) {
        out.push(warning("CAUSAL_WORDING", `${t.where} says "${m[0]}"`, { where: t.where, word: m[0] }));
      }
    }
  }
  const hit = findRowLevelData(input.manifest, "manifest", 0);
  if (hit !== undefined) out.push(warning("MANIFEST_ROW_DATA", hit, { where: hit }));
  return out;
}
