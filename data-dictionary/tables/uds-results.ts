/** uds_results: urine drug screen results, one row per specimen and analyte. */
import * as c from "../columns.js";
import { defineTable } from "../define-table.js";
import { personRef } from "./person-ref.js";

export const udsResults = defineTable({
  name: "uds_results",
  label: "Urine drug screens",
  description:
    "Scheduled urine drug screens and their results per analyte. A missing result means the specimen was not provided (the missing-counted-positive rule treats it as positive).",
  primaryKey: ["specimen_id"],
  columns: {
    specimen_id: c.id({
      label: "Specimen ID",
      description: "Identifier of the specimen and analyte result.",
    }),
    person_id: personRef(),
    scheduled_date: c.date({ label: "Scheduled date", description: "Date the screen was due." }),
    collected_date: c.optional(
      c.date({
        label: "Collected date",
        description: "Date the specimen was collected; missing when not provided.",
      }),
    ),
    analyte: c.code(
      {
        OPIOID: "Opioids",
        FENTANYL: "Fentanyl",
        BUPRENORPHINE: "Buprenorphine",
        METHADONE: "Methadone",
        COCAINE: "Cocaine",
        AMPHETAMINE: "Amphetamines",
        BENZODIAZEPINE: "Benzodiazepines",
        CANNABIS: "Cannabis",
        ALCOHOL: "Alcohol",
        OTHER: "Other",
      },
      { label: "Analyte", description: "Substance tested." },
    ),
    result: c.optional(
      c.code(
        { POS: "Positive", NEG: "Negative", INVALID: "Invalid or inconclusive specimen" },
        { label: "Result", description: "Test result; missing = specimen not provided." },
      ),
    ),
    prescribed_explains: c.optional(
      c.bool({
        label: "Explained by prescription",
        description: "A positive result is explained by a prescribed medication (e.g. buprenorphine).",
      }),
    ),
  },
  eventDates: [{ column: "collected_date", afterDeath: true, withinObservation: true }],
});
