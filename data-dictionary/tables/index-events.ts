/** index_events: the events that start a person's follow-up (time zero). */
import * as c from "../columns.js";
import { defineTable } from "../define-table.js";
import { personRef } from "./person-ref.js";

export const indexEvents = defineTable({
  name: "index_events",
  label: "Index events",
  description:
    "Events that can start follow-up (time zero): an ED visit, an overdose, a hospital discharge, a release from custody or enrollment in peer services.",
  primaryKey: ["index_id"],
  columns: {
    index_id: c.id({ label: "Index event ID", description: "Identifier of the index event." }),
    person_id: personRef(),
    type: c.code(
      {
        ED_VISIT: "Emergency department visit",
        OVERDOSE: "Overdose",
        HOSPITAL_DISCHARGE: "Hospital discharge",
        RELEASE: "Release from custody",
        PEER_ENROLLMENT: "Enrollment in peer services",
      },
      { label: "Type", description: "Kind of index event." },
    ),
    index_date: c.date({ label: "Index date", description: "Date of the index event (day 0 of follow-up)." }),
    setting: c.code(
      {
        ED: "Emergency department",
        HOSPITAL: "Hospital",
        REENTRY: "Reentry from custody",
        HARM_REDUCTION: "Harm reduction program",
        RECOVERY_CENTER: "Recovery community center",
      },
      { label: "Setting", description: "Setting in which the index event happened." },
    ),
    site_id: c.optional(c.id({ label: "Site ID", description: "Site of the index event." })),
    encounter_id: c.optional(
      c.id({
        label: "Encounter ID",
        description: "The encounter that is the index event, when there is one.",
        references: { table: "encounters", column: "encounter_id" },
      }),
    ),
    source_system: c.id({ label: "Source system", description: "System the index event was taken from." }),
  },
  eventDates: [{ column: "index_date", afterDeath: true, withinObservation: true }],
});
