/** Fixed wording of the report that depends on the design. */
import type { DesignKind, ReportDesign } from "./types.js";

const DESIGN_LABELS: Readonly<Record<DesignKind, string>> = {
  randomized: "Randomized comparison",
  matched: "Matched comparison group (observational)",
  weighted: "Weighted comparison group (observational)",
  prePost: "Pre/post comparison (no concurrent comparison group)",
  differenceInDifferences: "Difference-in-differences (observational)",
  unadjusted: "Unadjusted comparison of observational groups (confounding not addressed)",
  descriptive: "Descriptive (no comparison group)",
};

/** Short name of a design, shown in the report header. */
export function designLabel(kind: DesignKind): string {
  return DESIGN_LABELS[kind];
}

/** The exact banner shown on every descriptive report. */
export const DESCRIPTIVE_BANNER = "Descriptive: no comparison group — no causal claims";

/** A notice under the header: a banner for descriptive designs, a caution for observational ones. */
export interface DesignNotice {
  readonly kind: "descriptive" | "caution";
  readonly text: string;
}

/** The design notice, or undefined when the design supports causal language. */
export function designNotice(design: ReportDesign): DesignNotice | undefined {
  if (design.kind === "descriptive") return { kind: "descriptive", text: DESCRIPTIVE_BANNER };
  if (design.causalLanguageAllowed) return undefined;
  if (design.kind === "prePost") {
    return {
      kind: "caution",
      text: "Pre/post comparison without a concurrent comparison group: changes may reflect time trends or regression to the mean rather than the services.",
    };
  }
  if (design.kind === "unadjusted") {
    return {
      kind: "caution",
      text: "Unadjusted observational comparison: the groups were not matched or weighted, so differences may reflect who received services (confounding) rather than the services themselves.",
    };
  }
  return {
    kind: "caution",
    text: "Observational comparison: differences between groups are associations. They may reflect who received services rather than the effect of the services.",
  };
}

/** Heading of an outcome's comparison table: "Estimated effects" only when causal language is allowed. */
export function effectsHeading(design: ReportDesign): string {
  return design.causalLanguageAllowed
    ? "Estimated effects"
    : "Comparisons between groups (associations, not effects)";
}
