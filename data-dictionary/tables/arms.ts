/** arms: the comparison design and arm of each person in the evaluation. */
import * as c from "../columns.js";
import { defineTable } from "../define-table.js";
import { personRef } from "./person-ref.js";

export const arms = defineTable({
  name: "arms",
  label: "Study arms",
  description:
    "One row per person in a comparison: the design, the arm (peer services or comparison) and, depending on the design, randomization date, weight, matched set, site and cluster.",
  primaryKey: ["person_id"],
  columns: {
    person_id: personRef("The person assigned to the arm (at most one row per person)."),
    design: c.code(
      {
        RCT: "Randomized controlled trial",
        MATCHED: "Matched comparison",
        WEIGHTED: "Weighted comparison (e.g. propensity score weights)",
        PREPOST: "Pre/post (single group)",
        COHORT: "Observational cohort",
      },
      { label: "Design", description: "Comparison design the person belongs to." },
    ),
    arm: c.code(
      { PEER: "Peer recovery support services", COMPARISON: "Comparison (usual care)" },
      { label: "Arm", description: "Arm of the person." },
    ),
    randomized_date: c.optional(
      c.date({ label: "Randomization date", description: "Date of randomization (RCT designs)." }),
    ),
    weight: c.optional(
      c.num({
        label: "Weight",
        description: "Analysis weight (e.g. inverse probability of treatment weight); 0 excludes the person.",
        unit: "weight (dimensionless)",
        minimum: 0,
      }),
    ),
    match_set_id: c.optional(
      c.id({ label: "Matched set ID", description: "Identifier of the matched set (matched designs)." }),
    ),
    site_id: c.optional(c.id({ label: "Site ID", description: "Site of enrollment or randomization." })),
    cluster: c.optional(
      c.id({
        label: "Cluster",
        description: "Cluster for cluster-randomized designs or cluster-robust variance.",
      }),
    ),
  },
  eventDates: [{ column: "randomized_date", afterDeath: true, withinObservation: false }],
});
