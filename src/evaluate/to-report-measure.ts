/**
 * A measure outcome (proportion, rate or mean) → the report's outcome section: group estimates,
 * contrasts with E-values, the plain-language sentence (causal wording only for randomized designs;
 * "among comparable patients" only when matching or weighting balanced every characteristic), the
 * estimates chart, the trajectory chart, subgroup tables and notes. Numbers stay numbers.
 */
import type {
  EffectEstimate,
  GroupEstimate,
  OutcomeSection,
  SubgroupSection,
  ValueStyle,
} from "../report/types.js";
import type {
  EffectResult,
  EvaluationResult,
  IntervalValue,
  MeasureOutcomeResult,
  SubgroupResultSummary,
  TestSummary,
} from "./result.js";

const GROUP_LABELS: Readonly<Record<string, string>> = {
  PEER: "Peer support",
  COMPARISON: "Comparison",
  ALL: "All participants",
};

function label(code: string): string {
  return GROUP_LABELS[code] ?? code;
}

function valueStyle(o: MeasureOutcomeResult): ValueStyle {
  if (o.valueType === "proportion") return { kind: "percent" };
  return { kind: "decimal", digits: o.valueType === "rate" ? 2 : 1 };
}

function fmt(o: MeasureOutcomeResult, x: number | null): string {
  if (x === null) return "not evaluable";
  if (o.valueType === "proportion") return `${(100 * x).toFixed(1)}%`;
  return x.toFixed(o.valueType === "rate" ? 2 : 1);
}

function fmtEffect(scale: "difference" | "ratio", o: MeasureOutcomeResult, x: number | null): string {
  if (x === null) return "?";
  if (scale === "ratio") return x.toFixed(2);
  if (o.valueType === "proportion") return (100 * x).toFixed(1);
  return x.toFixed(o.valueType === "rate" ? 2 : 1);
}

function effectText(o: MeasureOutcomeResult, scale: "difference" | "ratio"): string {
  const e = o.effects.find((x) => x.scale === scale) ?? o.effects[0];
  if (!e || e.estimate === null) return "a difference that could not be estimated";
  const level = Math.round(e.level * 100);
  const inLabel = /\(([^)]*)\)$/.exec(e.label)?.[1];
  const unit =
    e.scale !== "difference"
      ? ""
      : o.valueType === "proportion"
        ? " percentage points"
        : inLabel
          ? ` ${inLabel}`
          : "";
  const what = e.label.replace(/ \(.*\)$/, "").toLowerCase();
  return `a ${what} of ${fmtEffect(e.scale, o, e.estimate)}${unit} (${level}% CI ${fmtEffect(e.scale, o, e.lower)} to ${fmtEffect(e.scale, o, e.upper)})`;
}

function valueSentence(o: MeasureOutcomeResult, g: IntervalValue | undefined, who: string): string {
  const v = fmt(o, g?.estimate ?? null);
  if (o.valueType === "proportion") return `${v} of ${who} ${o.phrase}`;
  if (o.valueType === "rate") return `${who} had ${v} ${o.phrase}`;
  return `${who} averaged ${v} ${o.phrase}`;
}

/** The plain-language sentence of a measure outcome. */
export function measureSentence(o: MeasureOutcomeResult, result: EvaluationResult): string {
  const peer = o.groups.find((g) => g.group === "PEER");
  const comp = o.groups.find((g) => g.group === "COMPARISON");
  const headline: "difference" | "ratio" = o.valueType === "rate" ? "ratio" : "difference";
  switch (o.analysis) {
    case "described": {
      if (o.groups.length === 1) {
        const g = o.groups[0];
        return `${capital(valueSentence(o, g, g?.group === "PEER" ? "people who received peer support" : "participants"))}. This describes one group; it is not an effect.`;
      }
      const parts = [
        peer && peer.n > 0 && peer.estimate !== null
          ? valueSentence(o, peer, "people who received peer support")
          : null,
        comp && comp.n > 0 && comp.estimate !== null
          ? valueSentence(o, comp, "people in the comparison group")
          : null,
      ].filter((x): x is string => x !== null);
      const missing = [
        !(peer && peer.n > 0 && peer.estimate !== null) ? "the peer-support group" : null,
        !(comp && comp.n > 0 && comp.estimate !== null) ? "the comparison group" : null,
      ].filter((x): x is string => x !== null);
      return `${parts.length > 0 ? `${capital(parts.join("; "))}. ` : ""}${missing.length > 0 ? `No one in ${missing.join(" or ")} has a value of this measure, so the groups are not compared.` : "Described by group, not compared."}`;
    }
    case "prePost": {
      const g = o.groups[0];
      const who = g?.group === "PEER" ? "people who received peer support" : "participants";
      const ch = o.effects[0];
      const chText =
        ch && ch.estimate !== null
          ? `; ${ch.scale === "ratio" ? `a ratio of ${ch.estimate.toFixed(2)}` : `a change of ${fmtEffect("difference", o, ch.estimate)}${o.valueType === "proportion" ? " percentage points" : ""}`} (${Math.round(ch.level * 100)}% CI ${fmtEffect(ch.scale, o, ch.lower)} to ${fmtEffect(ch.scale, o, ch.upper)})`
          : "";
      return `Among the same ${who}, the ${lowerFirst(o.valueLabel)} was ${fmt(o, g?.pre?.estimate ?? null)} before and ${fmt(o, g?.estimate ?? null)} after the index event${chText}. Without a comparison group this change cannot be attributed to peer support: it also contains time trends and regression to the mean.`;
    }
    case "differenceInDifferences": {
      const d = o.effects.find((e) => e.scale === "difference");
      const change = (g: typeof peer) =>
        g && g.pre?.estimate != null && g.estimate !== null
          ? fmtEffect("difference", o, g.estimate - g.pre.estimate)
          : "?";
      const unit = o.valueType === "proportion" ? " percentage points" : "";
      const how = o.comparability ? " after propensity-score weighting" : "";
      const from = o.periodLabels
        ? `From ${lowerFirst(o.periodLabels.pre)} to ${lowerFirst(o.periodLabels.post)}`
        : "From before to after the index event";
      return `${from}, the ${lowerFirst(o.valueLabel)} changed by ${change(peer)}${unit} among people who received peer support and by ${change(comp)}${unit} among those who did not${how}: a difference in differences of ${d && d.estimate !== null ? `${fmtEffect("difference", o, d.estimate)}${unit} (${Math.round(d.level * 100)}% CI ${fmtEffect("difference", o, d.lower)} to ${fmtEffect("difference", o, d.upper)})` : "not evaluable"}. This reads as an effect only if both groups would otherwise have changed alike.`;
    }
    case "comparison": {
      const c = o.comparability;
      const diff = effectText(o, headline);
      if (c) {
        const how = c.design === "matched" ? "matching" : "weighting";
        const nImbalanced = c.balance.nImbalancedAfter;
        if (nImbalanced === 0) {
          return `Among comparable patients (${how} on ${c.covariates.length} characteristics measured before the index event, all balanced), ${valueSentence(o, peer, "people who received peer support")}, compared with ${fmt(o, comp?.estimate ?? null)} among similar people who did not: ${diff}. Characteristics that were not measured may still differ.`;
        }
        return `After ${how}, the people analysed still differ on ${nImbalanced} measured characteristic${nImbalanced === 1 ? "" : "s"}, so this is not a comparison of comparable patients: ${valueSentence(o, peer, "people who received peer support")}, compared with ${fmt(o, comp?.estimate ?? null)} among those who did not: ${diff}.`;
      }
      if (result.design.kind === "randomized") {
        return `In this randomized comparison, ${valueSentence(o, peer, "people offered peer support")}, compared with ${fmt(o, comp?.estimate ?? null)} in the comparison arm: ${diff}.`;
      }
      return `Without adjustment for differences between the groups, ${valueSentence(o, peer, "people who received peer support")}, compared with ${fmt(o, comp?.estimate ?? null)} among those who did not: ${diff}.`;
    }
  }
}

/** Lower-cases the first letter unless the word is an acronym ("BARC-10", "ED"). */
function lowerFirst(s: string): string {
  return s.length > 1 && s[1] === s[1]?.toUpperCase() && /[A-Z]/.test(s[1] ?? "")
    ? s
    : s.charAt(0).toLowerCase() + s.slice(1);
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function effectStyle(o: MeasureOutcomeResult, scale: "difference" | "ratio"): ValueStyle {
  if (scale === "ratio") return { kind: "ratio" };
  return o.valueType === "proportion" ? { kind: "percentagePoints" } : { kind: "decimal", digits: 2 };
}

/** The report's comparison rows: every effect (with its E-value in the label) and every test. */
export function effectRows(
  effects: readonly EffectResult[],
  tests: readonly TestSummary[],
  style: (scale: "difference" | "ratio") => ValueStyle,
): EffectEstimate[] {
  const rows: EffectEstimate[] = effects.map((e) => ({
    label: e.eValue?.estimate
      ? `${e.label} (E-value ${e.eValue.estimate.toFixed(2)}; CI bound ${e.eValue.ciBound?.toFixed(2) ?? "n/a"})`
      : e.label,
    estimate: e.estimate,
    lower: e.lower,
    upper: e.upper,
    pValue: e.pValue,
    method: e.method,
    style: style(e.scale),
  }));
  for (const t of tests) {
    rows.push({
      label: t.label,
      estimate: t.statistic,
      lower: null,
      upper: null,
      pValue: t.pValue,
      method: t.method,
    });
  }
  return rows;
}

/** Report sections of an outcome's subgroup analyses (one per variable). */
export function subgroupSections(
  subgroups: readonly SubgroupResultSummary[],
  style: (scale: "difference" | "ratio") => ValueStyle,
): SubgroupSection[] {
  return subgroups.map((s) => ({
    variable: s.label,
    effectLabel: s.effectLabel,
    style: style(s.scale),
    nullValue: s.scale === "ratio" ? 1 : 0,
    rows: s.levels.map((l) => ({
      level: l.label,
      n: l.n,
      nTreated: l.nTreated,
      nControl: l.nControl,
      estimate: l.estimate,
      lower: l.lower,
      upper: l.upper,
    })),
    overall: { estimate: s.overall.estimate, lower: s.overall.lower, upper: s.overall.upper },
    interactionP: s.interaction.pValue,
    interactionMethod: s.interaction.method,
    ...(s.nMissing > 0 ? { nMissing: s.nMissing } : {}),
  }));
}

/** The report's outcome section of a measure outcome. */
export function measureSection(o: MeasureOutcomeResult, result: EvaluationResult): OutcomeSection {
  const style = valueStyle(o);
  const groupEstimates: GroupEstimate[] = [];
  for (const g of o.groups) {
    if (g.pre) {
      groupEstimates.push({
        group: label(g.group),
        n: g.n,
        estimate: g.pre.estimate,
        lower: g.pre.lower,
        upper: g.pre.upper,
        label: `${o.valueLabel}: ${o.periodLabels?.pre ?? "before the index event"}`,
        style,
      });
    }
    groupEstimates.push({
      group: label(g.group),
      n: g.n,
      ...(o.valueType === "proportion" && g.events !== null ? { events: g.events } : {}),
      estimate: g.estimate,
      lower: g.lower,
      upper: g.upper,
      label: g.pre ? `${o.valueLabel}: ${o.periodLabels?.post ?? "after the index event"}` : o.valueLabel,
      style,
    });
  }
  const effects = effectRows(o.effects, o.tests, (scale) => effectStyle(o, scale));
  const subgroups = subgroupSections(o.subgroups, (scale) => effectStyle(o, scale));
  const notes = [...o.notes];
  const c = o.comparability;
  if (c) {
    const b = c.balance;
    notes.push(
      `${c.design === "matched" ? "Matched" : "Weighted"} among the people analysed for this outcome (the propensity score is fitted on them, so the comparison is balanced among exactly the people compared): ${b.allBalanced ? "every characteristic balanced" : `${b.nImbalancedAfter} characteristic row(s) not balanced (${b.imbalanced.slice(0, 4).join("; ")}${b.imbalanced.length > 4 ? "; …" : ""})`}, largest |SMD| ${b.maxAbsSmdAfter?.toFixed(3) ?? "n/a"} after adjustment (${b.maxAbsSmdBefore?.toFixed(3) ?? "n/a"} before).`,
    );
  }
  const relabel = <T extends { group: string }>(p: T): T => ({ ...p, group: label(p.group) });
  return {
    id: o.id,
    title: o.title,
    sentence: measureSentence(o, result),
    groupEstimates,
    effects,
    // Groups in code order (COMPARISON before PEER), as in the survival charts: one colour per group.
    chart: {
      ...o.charts.estimates,
      points: [...o.charts.estimates.points]
        .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))
        .map(relabel),
    },
    ...(o.charts.trajectory
      ? {
          extraCharts: [
            {
              id: "trajectory",
              title: `${o.title}: mean score by assessment`,
              chart: { ...o.charts.trajectory, points: o.charts.trajectory.points.map(relabel) },
            },
          ],
        }
      : {}),
    ...(subgroups.length > 0 ? { subgroups } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}
