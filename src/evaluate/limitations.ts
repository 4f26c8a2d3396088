/** Limitations generated from the data and the design, for the report. */
import type { EvaluationConfig } from "./config.js";
import type { OutcomeResult } from "./result.js";

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
  for (const o of outcomes) {
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
    if (o.kind === "timeToEvent" && o.groups.some((g) => g.nCompeting > 0)) {
      out.push(
        `${o.title}: deaths are a competing event. Cumulative incidence accounts for them; the Kaplan–Meier curve and the hazard ratio treat deaths as censoring (cause-specific).`,
      );
    }
  }
  return out;
}
