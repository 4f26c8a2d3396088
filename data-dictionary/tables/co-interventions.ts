/** co_interventions: other services received, for multi-component attribution. */
import * as c from "../columns.js";
import { defineTable } from "../define-table.js";
import { personRef } from "./person-ref.js";

export const coInterventions = defineTable({
  name: "co_interventions",
  label: "Co-interventions",
  description:
    "Other services the person received alongside peer support (naloxone kits, ED-initiated buprenorphine, social work, case management, community health workers, contingency management, housing), for multi-component attribution and sensitivity analyses.",
  primaryKey: ["co_intervention_id"],
  columns: {
    co_intervention_id: c.id({
      label: "Co-intervention ID",
      description: "Identifier of the co-intervention.",
    }),
    person_id: personRef(),
    co_date: c.date({ label: "Date", description: "Date the co-intervention was received." }),
    kind: c.code(
      {
        NALOXONE_KIT: "Naloxone kit",
        ED_BUPRENORPHINE: "ED-initiated buprenorphine",
        SOCIAL_WORK: "Social work",
        CASE_MANAGEMENT: "Case management",
        CHW: "Community health worker",
        CONTINGENCY_MGMT: "Contingency management",
        HOUSING: "Housing support",
        OTHER: "Other",
      },
      { label: "Kind", description: "Kind of co-intervention." },
    ),
  },
  eventDates: [{ column: "co_date", afterDeath: true, withinObservation: true }],
});
