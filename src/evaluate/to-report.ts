/**
 * EvaluationResult → ReportInput: chooses what the report shows and writes the plain-language
 * sentences. Numbers stay numbers here; `src/report/` formats them.
 */
import type {
  ComparabilityRow,
  ComparabilitySection,
  GroupEstimate,
  OutcomeSection,
  ReportInput,
} from "../report/types.js";
import type { ComparabilityResult, EvaluationResult, TimeToEventOutcomeResult } from "./result.js";
import { effectRows, measureSection, subgroupSections } from "./to-report-measure.js";

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
  for (const o of result.outcomes) {
    if (o.kind === "timeToEvent") outcomes.push(...timeToEventSections(o, result));
    else outcomes.push(measureSection(o, result));
  }
  const comparability = result.outcomes.find((o) => o.comparability !== null)?.comparability ?? null;
  return {
    title: result.title,
    subtitle: `prss-eval ${result.manifest.packageVersion} · data dictionary ${result.manifest.dictionaryVersion}`,
    generatedAt: result.manifest.generatedAt,
    design: { ...result.design, kind: result.design.kind },
    flow: result.outcomes[0]?.flow ?? [],
    dataQuality: result.dataQuality,
    ...(comparability ? { comparability: comparabilitySection(comparability) } : {}),
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
  const effects = effectRows(o.effects, o.tests, (scale) =>
    scale === "ratio" ? { kind: "ratio" } : { kind: "percentagePoints" },
  );
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
      ...(o.subgroups.length > 0
        ? {
            subgroups: subgroupSections(o.subgroups, (scale) =>
              scale === "ratio" ? { kind: "ratio" } : { kind: "percentagePoints" },
            ),
          }
        : {}),
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
  const c = o.comparability;
  if (c) {
    const how = c.design === "matched" ? "matching" : "weighting";
    const whom =
      c.estimand === "ATE"
        ? "people analysed"
        : c.estimand === "ATO"
          ? "people in the overlap population"
          : "people who received peer support";
    if (c.balance.allBalanced) {
      return `Among comparable patients (${how} on ${c.covariates.length} characteristics measured before the index event, all balanced), ${pct(at(o.comparisonGroup))} of people who received peer support had started MOUD by day ${day}, compared with ${pct(at(o.referenceGroup))} of similar people who did not: ${diffText}. This is the difference among ${whom}; characteristics that were not measured may still differ.`;
    }
    return `After ${how}, the groups still differ on ${c.balance.nImbalancedAfter} measured characteristic${c.balance.nImbalancedAfter === 1 ? "" : "s"} (standardized mean difference of ${c.balance.threshold} or more), so this is not a comparison of comparable patients: ${pct(at(o.comparisonGroup))} of people who received peer support had started MOUD by day ${day}, compared with ${pct(at(o.referenceGroup))} of those who did not (${how} applied): ${diffText}.`;
  }
  const lead =
    result.design.kind === "randomized"
      ? `In this randomized comparison, ${pct(at(o.comparisonGroup))} of people offered peer support had started MOUD by day ${day}, compared with ${pct(at(o.referenceGroup))} in the comparison arm: `
      : `Without adjustment for differences between the groups, ${pct(at(o.comparisonGroup))} of people who received peer support had started MOUD by day ${day}, compared with ${pct(at(o.referenceGroup))} of those who did not: `;
  return `${lead}${diffText}.`;
}

/** The report's "Comparability" section from a matched or weighted design's result. */
export function comparabilitySection(c: ComparabilityResult): ComparabilitySection {
  const how = c.design === "matched" ? "matching" : "weighting";
  const b = c.balance;
  const sentence = b.allBalanced
    ? `After ${how}, every measured characteristic differs between the groups by less than ${b.threshold} standardized mean differences (${b.nImbalancedBefore} of ${b.rows.length} characteristic rows differed by more before): the groups are comparable on what was measured. Characteristics that were not measured may still differ.`
    : `After ${how}, ${b.nImbalancedAfter} of ${b.rows.length} characteristic rows still differ by ${b.threshold} standardized mean differences or more (${b.nImbalancedBefore} before): the groups are not comparable on everything that was measured, and the comparisons below are not between comparable patients.`;
  let adjustmentLabel: string;
  const counts: { label: string; n: number }[] = [];
  if (c.matching) {
    const m = c.matching;
    adjustmentLabel = `Nearest-neighbour matching on the propensity score, ${m.ratio}:1 ${m.replace ? "with" : "without"} replacement${m.caliper ? `, caliper ${m.caliper.sdUnits} × ${m.caliper.definition}` : ", no caliper"}${m.exact.length > 0 ? `, exact on ${m.exact.join(", ")}` : ""}; estimand: ${c.estimandDescription}.`;
    counts.push({ label: "Peer-support people without a match (left out)", n: m.nTreatedUnmatched });
    counts.push({ label: "Matched sets", n: m.nSets });
  } else {
    const w = c.weighting;
    adjustmentLabel = `Propensity-score weighting (${c.estimand === "ATO" ? "overlap weights" : `${c.estimand} weights`}${w?.stabilized ? ", stabilised" : ""}${w?.trim ? `, trimmed at ${w.trim.at}` : ""}); estimand: ${c.estimandDescription}.`;
    if (w?.trim)
      counts.push({
        label: `Weights trimmed (${w.trim.drop ? "dropped" : "winsorised"})`,
        n: w.trim.nTrimmed,
      });
  }
  const [lo, hi] = c.propensity.positivityBounds;
  counts.push({
    label: `${groupLabel(c.treatedGroup)}: propensity score below ${lo} or above ${hi}`,
    n: c.propensity.treated.below + c.propensity.treated.above,
  });
  counts.push({
    label: `${groupLabel(c.controlGroup)}: propensity score below ${lo} or above ${hi}`,
    n: c.propensity.control.below + c.propensity.control.above,
  });
  counts.push({
    label: `${groupLabel(c.treatedGroup)}: outside the comparison group's propensity-score range`,
    n: c.propensity.treated.outsideOtherRange,
  });
  counts.push({
    label: `${groupLabel(c.controlGroup)}: outside the peer-support group's propensity-score range`,
    n: c.propensity.control.outsideOtherRange,
  });
  const rows: ComparabilityRow[] = b.rows.map((r) => ({
    covariate: r.covariateLabel,
    level: r.type === "numeric" ? null : r.type === "missingIndicator" ? "Missing" : r.levelLabel,
    type: r.type,
    before: {
      treated: {
        n: r.before.treated.n,
        proportion: r.before.treated.proportion,
        mean: r.before.treated.mean,
        sd: r.before.treated.sd,
      },
      control: {
        n: r.before.control.n,
        proportion: r.before.control.proportion,
        mean: r.before.control.mean,
        sd: r.before.control.sd,
      },
    },
    after: {
      treated: {
        n: r.after.treated.n,
        proportion: r.after.treated.proportion,
        mean: r.after.treated.mean,
        sd: r.after.treated.sd,
      },
      control: {
        n: r.after.control.n,
        proportion: r.after.control.proportion,
        mean: r.after.control.mean,
        sd: r.after.control.sd,
      },
    },
    smdBefore: r.smdBefore,
    smdAfter: r.smdAfter,
    varianceRatioAfter: r.varianceRatioAfter,
    balanced: r.balanced,
  }));
  const missingNotes = c.covariates
    .filter((v) => v.missingRule !== "none missing")
    .map((v) => `${v.label}: missing values ${v.missingRule}.`);
  return {
    title: "Comparability of the groups",
    sentence,
    adjustmentLabel,
    arms: {
      treated: {
        label: groupLabel(c.treatedGroup),
        n: c.sampleSize.treated.n,
        nAdjusted: c.sampleSize.treated.nAdjusted,
        ess: c.sampleSize.treated.ess,
      },
      control: {
        label: groupLabel(c.controlGroup),
        n: c.sampleSize.control.n,
        nAdjusted: c.sampleSize.control.nAdjusted,
        ess: c.sampleSize.control.ess,
      },
    },
    rows,
    threshold: b.threshold,
    allBalanced: b.allBalanced,
    smdNote: `SMD: ${b.convention} After adjustment, percentages and means are ${c.design === "matched" ? "over the matched sample (matching weights)" : "weighted"}. Effective sample size = (Σw)²/Σw² (Kish).`,
    counts,
    notes: [
      "Every characteristic is measured before the index episode (the 365 days before it for prior visits, overdoses and MOUD); both groups start follow-up at the same kind of index event.",
      ...missingNotes,
    ],
    charts: [{ id: "propensity-overlap", title: "Propensity-score overlap", chart: c.charts.overlap }],
  };
}
