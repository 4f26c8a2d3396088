/** observation_periods: when each person's data are complete (enrollment, study or program periods). */
import * as c from "../columns.js";
import { defineTable } from "../define-table.js";
import { personRef } from "./person-ref.js";

export const observationPeriods = defineTable({
  name: "observation_periods",
  label: "Observation periods",
  description:
    "Periods during which the person's events are fully recorded (insurance enrollment, study participation or program enrollment). Events outside every period of the person are flagged; continuous-enrollment rules use these periods.",
  primaryKey: ["period_id"],
  columns: {
    period_id: c.id({ label: "Period ID", description: "Identifier of the observation period." }),
    person_id: personRef(),
    start_date: c.date({ label: "Start date", description: "First day of the period (inclusive)." }),
    end_date: c.date({ label: "End date", description: "Last day of the period (inclusive)." }),
    source: c.code(
      { ENROLLMENT: "Insurance enrollment", STUDY: "Study participation", PROGRAM: "Program enrollment" },
      { label: "Source", description: "What defines the period." },
    ),
  },
  rules: [
    {
      kind: "dateOrder",
      start: "start_date",
      end: "end_date",
      description: "end_date is on or after start_date.",
    },
  ],
  eventDates: [{ column: "start_date", afterDeath: true, withinObservation: false }],
});
