/** Limitations generated from the data and the design, for the report. */
import type { EvaluationConfig } from "./config.js";
import type { MeasureOutcomeResult, OutcomeResult } from "./result.js";

/** Plain-language limitations implied by the design and by what the data showed. */
export function limitationsOf(config: EvaluationConfig, outcomes: readonly OutcomeResult[]): string[] {
  const out: string[] = [];
  if (config.design.kind === "descriptive") {
    out.push(
      "There is no comparison group, so these results describe the participants and cannot show an effect of peer services.",
    );
  }
  if (config.design.kind === "unadjusted") {
    out.push(
      "The groups were compared without matching or weighting. People who engage with peer services differ from those who do not (for example in housing, prior treatment and overdose history), so the differences shown are associations that may be confounded.",
    );
  }
  if (config.design.kind === "weighted" || config.design.kind === "matched") {
    out.push(
      `The groups were made comparable on measured characteristics only (${config.design.kind === "matched" ? "matching" : "weighting"} on a propensity score). Differences in anything that was not measured (motivation, social support, clinician practice) can still bias the comparison; the E-values show how strong such a difference would have to be to explain the result away.`,
    );
  }
  for (const o of outcomes) {
    const c = o.comparability;
    if (c) {
      if (!c.balance.allBalanced) {
        out.push(
          `${o.title}: after ${c.design === "matched" ? "matching" : "weighting"}, ${c.balance.nImbalancedAfter} characteristic row(s) still have a standardized mean difference of ${c.balance.threshold} or more (${c.balance.imbalanced.slice(0, 5).join("; ")}${c.balance.imbalanced.length > 5 ? "; …" : ""}); the comparison is not between comparable groups.`,
        );
      }
      const codes = new Set(c.warnings.map((w) => w.code));
      const [lo, hi] = c.propensity.positivityBounds;
      if (codes.has("PS_EXTREME") || codes.has("PS_OUTSIDE_SUPPORT")) {
        out.push(
          `Positivity: some people have a propensity score below ${lo} or above ${hi}, or lie outside the other group's range (see the Comparability section). For them the other group offers few comparable people, so ${c.design === "matched" ? "matches are poorer" : "weights are large"} and the estimate leans on a few people.`,
        );
      }
      if (codes.has("WEIGHTS_EXTREME") || codes.has("LOW_EFFECTIVE_SAMPLE_SIZE")) {
        out.push(
          "Some weights are large, so a few people carry much of the comparison group and the effective sample size is reduced (see the Comparability section).",
        );
      }
      if (c.matching && c.matching.nTreatedUnmatched > 0) {
        out.push(
          "Some people who received peer support had no comparable match and were left out: the result describes the matched peer-support people only.",
        );
      }
      out.push(
        `${o.title}: confidence intervals treat the ${c.design === "matched" ? "matched sets and matching weights" : "propensity-score weights"} as fixed; the uncertainty of the propensity model itself is not included.`,
      );
    }
    const t = config.smallCellThreshold;
    const tiny = o.subgroups.flatMap((sg) =>
      sg.levels
        .filter((l) => Math.min(l.nTreated, l.nControl) <= Math.max(t, 10))
        .map((l) => `${sg.label}: ${l.label}`),
    );
    if (tiny.length > 0) {
      out.push(
        `${o.title}: ${tiny.length} subgroup level(s) have ${Math.max(t, 10)} or fewer people in one group (${tiny.slice(0, 4).join("; ")}${tiny.length > 4 ? "; …" : ""}); their estimates are hidden or very imprecise, and subgroup results are exploratory — read the interaction p-value, not the level estimates.`,
      );
    }
    if (o.kind === "measure") {
      measureLimitations(o, config, out);
      continue;
    }
    const followed = o.flow.at(-1)?.n ?? 0;
    const analysed = o.flow.at(-2)?.n ?? 0;
    if (analysed > 0 && followed / analysed < 0.8) {
      out.push(
        `${o.title}: only ${Math.round((100 * followed) / analysed)}% of analysed people were followed to an event, death or the end of the window; the rest were censored early.`,
      );
    }
    for (const g of o.groups) {
      if (g.n > 0 && g.nEvents < 10) {
        out.push(`${o.title}: the ${g.group} group has few events, so its estimates are imprecise.`);
      }
    }
    if (o.warnings.some((w) => w.code === "NON_PROPORTIONAL_HAZARDS")) {
      const t = o.tests.find((x) => x.label.startsWith("Proportional hazards"));
      out.push(
        `${o.title}: the hazards are not proportional (Grambsch–Therneau test p = ${t?.pValue === null || t === undefined ? "n/a" : t.pValue < 0.001 ? "< 0.001" : t.pValue.toFixed(3)}): the peer-support group's advantage changes over follow-up, so the hazard ratio is only an average. Read the curves and the differences at fixed days instead.`,
      );
    }
    if (o.kind === "timeToEvent" && o.groups.some((g) => g.nCompeting > 0)) {
      out.push(
        `${o.title}: deaths are a competing event. Cumulative incidence accounts for them; the Kaplan–Meier curve and the hazard ratio treat deaths as censoring (cause-specific).`,
      );
    }
  }
  return [...new Set(out)];
}

/** Limitations of a measure outcome: evaluable share, small groups, pre/post and DiD assumptions. */
function measureLimitations(o: MeasureOutcomeResult, config: EvaluationConfig, out: string[]): void {
  const { eligible, analysed } = o.completeness;
  if (eligible > 0 && analysed / eligible < 0.8) {
    out.push(
      `${o.title}: only ${Math.round((100 * analysed) / eligible)}% of the eligible people have a value (see the participant flow for the reasons); if those without one differ from those with one, the result is biased.`,
    );
  }
  const t = config.smallCellThreshold;
  for (const g of o.groups) {
    if (g.n > 0 && g.n < Math.max(30, t + 1)) {
      out.push(
        `${o.title}: the ${g.group === "PEER" ? "peer-support" : g.group === "COMPARISON" ? "comparison" : ""} group has fewer than 30 people analysed, so its estimate is imprecise.`.replace(
          "the  group",
          "the group",
        ),
      );
    }
    if (
      o.valueType === "proportion" &&
      g.events !== null &&
      g.n > 0 &&
      (g.events < 10 || g.n - g.events < 10)
    ) {
      out.push(`${o.title}: few people in one group had (or lacked) the outcome, so ratios are unstable.`);
    }
  }
  if (o.analysis === "differenceInDifferences") {
    out.push(
      `${o.title}: the difference in differences assumes the two groups would have changed alike without peer support (parallel trends); with one period before the index event this cannot be checked.`,
    );
  }
}
