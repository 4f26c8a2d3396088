/**
 * EvaluationResult → ReportInput: chooses what the report shows and writes the plain-language
 * sentences. Numbers stay numbers here; `src/report/` formats them.
 */
import type { EffectEstimate, GroupEstimate, OutcomeSection, ReportInput } from "../report/types.js";
import type { EvaluationResult, TimeToEventOutcomeResult } from "./result.js";

const GROUP_LABELS: Readonly<Record<string, string>> = {
  PEER: "Peer support",
  COMPARISON: "Comparison",
  ALL: "All participants",
};

/** Display label of a group code. */
export function groupLabel(code: string): string {
  return GROUP_LABELS[code] ?? code;
}

/** Builds the report's input from an evaluation result. */
export function toReportInput(result: EvaluationResult): ReportInput {
  const outcomes: OutcomeSection[] = [];
  for (const o of result.outcomes) outcomes.push(...timeToEventSections(o, result));
  return {
    title: result.title,
    subtitle: `prss-eval ${result.manifest.packageVersion} · data dictionary ${result.manifest.dictionaryVersion}`,
    generatedAt: result.manifest.generatedAt,
    design: { ...result.design, kind: result.design.kind },
    flow: result.outcomes[0]?.flow ?? [],
    dataQuality: result.dataQuality,
    outcomes,
    methods: result.methods,
    limitations: result.limitations,
    manifest: result.manifest as unknown as Record<string, unknown>,
    ciLevel: result.confLevel,
    smallCell: { threshold: result.smallCellThreshold, suppressed: result.smallCellThreshold > 0 },
  };
}

function relabelChart<
  T extends { curves: readonly { group: string }[]; atRisk: readonly { group: string }[] },
>(chart: T): T {
  return {
    ...chart,
    curves: chart.curves.map((c) => ({ ...c, group: groupLabel(c.group) })),
    atRisk: chart.atRisk.map((r) => ({ ...r, group: groupLabel(r.group) })),
  };
}

function timeToEventSections(o: TimeToEventOutcomeResult, result: EvaluationResult): OutcomeSection[] {
  const day = Number(o.measure.params.contrastDay ?? 30);
  const groupEstimates: GroupEstimate[] = [];
  for (const g of o.groups) {
    for (const v of g.cumulativeIncidence) {
      groupEstimates.push({
        group: groupLabel(g.group),
        n: g.n,
        events: v.eventsBy,
        estimate: v.estimate,
        lower: v.lower,
        upper: v.upper,
        label: `Cumulative incidence of ${o.eventLabel} by day ${v.time}${v.beyondFollowUp ? " (beyond follow-up)" : ""}`,
        style: { kind: "percent" },
      });
    }
  }
  const effects: EffectEstimate[] = o.effects.map((e) => ({
    label: e.eValue?.estimate
      ? `${e.label} (E-value ${e.eValue.estimate.toFixed(2)}; CI bound ${e.eValue.ciBound?.toFixed(2) ?? "n/a"})`
      : e.label,
    estimate: e.estimate,
    lower: e.lower,
    upper: e.upper,
    pValue: e.pValue,
    method: e.method,
    style: e.scale === "ratio" ? { kind: "ratio" } : { kind: "percentagePoints" },
  }));
  for (const t of o.tests) {
    effects.push({
      label: t.label,
      estimate: t.statistic,
      lower: null,
      upper: null,
      pValue: t.pValue,
      method: t.method,
    });
  }
  const kmGroups: GroupEstimate[] = o.groups.map((g) => ({
    group: groupLabel(g.group),
    n: g.n,
    events: g.nEvents,
    estimate: g.medianKaplanMeier.estimate,
    lower: g.medianKaplanMeier.lower,
    upper: g.medianKaplanMeier.upper,
    label:
      g.medianKaplanMeier.estimate === null
        ? `Median days to ${o.eventLabel}: not reached${g.medianAmongEvents !== null ? `; among those who started, median ${g.medianAmongEvents} days` : ""}`
        : `Median days to ${o.eventLabel} (Kaplan–Meier)`,
    style: { kind: "decimal", digits: 1 },
  }));
  const sections: OutcomeSection[] = [
    {
      id: `${o.id}-cumulative-incidence`,
      title: `${o.title}: cumulative incidence (death as a competing event)`,
      sentence: sentenceOf(o, result, day),
      groupEstimates,
      effects,
      chart: relabelChart(o.charts.cumulativeIncidence),
    },
    {
      id: `${o.id}-kaplan-meier`,
      title: `${o.title}: Kaplan–Meier (deaths censored)`,
      sentence: `The curves show the share of people not yet started on MOUD, treating deaths as censoring (cause-specific). Because deaths are censored, one minus this curve overstates how many people start MOUD; the cumulative incidence above does not.`,
      groupEstimates: kmGroups,
      effects: [],
      chart: relabelChart(o.charts.kaplanMeier),
    },
  ];
  return sections;
}

function pct(x: number | null): string {
  return x === null ? "not evaluable" : `${(100 * x).toFixed(1)}%`;
}

function sentenceOf(o: TimeToEventOutcomeResult, result: EvaluationResult, day: number): string {
  const at = (code: string | null) => {
    const g = o.groups.find((x) => x.group === code);
    return g?.cumulativeIncidence.find((v) => v.time === day)?.estimate ?? null;
  };
  if (o.comparisonGroup === null || o.referenceGroup === null) {
    const g = o.groups[0];
    const v = g?.cumulativeIncidence.find((x) => x.time === day)?.estimate ?? null;
    return `By day ${day}, ${pct(v)} of participants had started MOUD (accounting for deaths). This is a description of one group, not an effect.`;
  }
  const diff = o.effects.find((e) => e.scale === "difference");
  const diffText =
    diff && diff.estimate !== null
      ? `a difference of ${(100 * diff.estimate).toFixed(1)} percentage points (${Math.round(diff.level * 100)}% CI ${diff.lower === null ? "?" : (100 * diff.lower).toFixed(1)} to ${diff.upper === null ? "?" : (100 * diff.upper).toFixed(1)})`
      : "a difference that could not be estimated";
  const lead =
    result.design.kind === "randomized"
      ? `In this randomized comparison, ${pct(at(o.comparisonGroup))} of people offered peer support had started MOUD by day ${day}, compared with ${pct(at(o.referenceGroup))} in the comparison arm: `
      : `Without adjustment for differences between the groups, ${pct(at(o.comparisonGroup))} of people who received peer support had started MOUD by day ${day}, compared with ${pct(at(o.referenceGroup))} of those who did not: `;
  return `${lead}${diffText}.`;
}
