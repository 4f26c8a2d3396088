/** daily_use: Timeline Followback or diary data, one row per person, day and substance. */
import * as c from "../columns.js";
import { defineTable } from "../define-table.js";
import { personRef } from "./person-ref.js";

export const dailyUse = defineTable({
  name: "daily_use",
  label: "Daily substance use",
  description:
    "Self-reported substance use per day (Timeline Followback interview or daily diary), one row per person, day and substance.",
  primaryKey: ["person_id", "use_date", "substance"],
  columns: {
    person_id: personRef(),
    use_date: c.date({ label: "Day", description: "The day the report is about." }),
    substance: c.code(
      {
        ALCOHOL: "Alcohol",
        OPIOID: "Opioids",
        STIMULANT: "Stimulants",
        CANNABIS: "Cannabis",
        BENZODIAZEPINE: "Benzodiazepines",
        OTHER: "Other",
      },
      { label: "Substance", description: "Substance the report is about." },
    ),
    used: c.optional(
      c.bool({ label: "Used", description: "The substance was used that day; missing = unknown." }),
    ),
    source: c.code(
      { TLFB: "Timeline Followback interview", DIARY: "Daily diary" },
      { label: "Source", description: "How the report was collected." },
    ),
  },
  eventDates: [{ column: "use_date", afterDeath: true, withinObservation: true }],
});
