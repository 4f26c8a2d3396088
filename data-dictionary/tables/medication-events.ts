/** medication_events: MOUD and AUD medication dispensings, administrations and OTP doses. */
import * as c from "../columns.js";
import { defineTable } from "../define-table.js";
import { personRef } from "./person-ref.js";

export const medicationEvents = defineTable({
  name: "medication_events",
  label: "Medication events",
  description:
    "Medications for opioid or alcohol use disorder: pharmacy dispensings, clinic administrations and opioid treatment program doses. Used for days to MOUD, pharmacotherapy for OUD (POD) and continuity measures.",
  primaryKey: ["med_event_id"],
  columns: {
    med_event_id: c.id({
      label: "Medication event ID",
      description: "Identifier of the dispensing, administration or dose.",
    }),
    person_id: personRef(),
    event_date: c.date({ label: "Event date", description: "Date of dispensing, administration or dose." }),
    route: c.code(
      {
        DISPENSING: "Pharmacy dispensing",
        ADMINISTRATION: "Clinic administration",
        OTP_DOSE: "Opioid treatment program dose",
      },
      { label: "Route", description: "How the medication reached the person." },
    ),
    med_row: c.code(
      {
        NALTREXONE_ORAL: "Naltrexone, oral",
        NALTREXONE_INJ: "Naltrexone, extended-release injection",
        BUP_ORAL: "Buprenorphine, oral (daily)",
        BUP_ORAL_WEEKLY: "Buprenorphine, oral (weekly dispensing code)",
        BUP_INJ: "Buprenorphine, extended-release injection",
        BUP_IMPLANT: "Buprenorphine, implant",
        BUP_NALOXONE: "Buprenorphine/naloxone",
        METHADONE_ORAL: "Methadone, oral (daily)",
        METHADONE_ORAL_WEEKLY: "Methadone, oral (weekly)",
        AUD_OTHER: "Other alcohol use disorder medication",
      },
      { label: "Medication row", description: "Medication and formulation (HEDIS medication list row)." },
    ),
    days_supply: c.optional(
      c.int({
        label: "Days supply",
        description: "Days of medication supplied (dispensings).",
        unit: "days",
        minimum: 1,
      }),
    ),
    units: c.optional(
      c.num({
        label: "Units",
        description:
          "Dispensings: quantity dispensed (not used for days covered). Administrations and OTP doses: billing units of the procedure code — the value-set days supply is multiplied by them for daily and weekly codes (3 units of a weekly code = 21 days, MEASURES.md §2.4).",
        unit: "units (quantity or code units, by route)",
        minimum: 0,
        exclusiveMinimum: true,
      }),
    ),
    setting: c.optional(
      c.code(
        {
          COMMUNITY: "Community",
          ED: "Emergency department",
          INPATIENT: "Inpatient",
          CUSTODY: "Custody (jail or prison)",
          OTP: "Opioid treatment program",
        },
        { label: "Setting", description: "Setting of the medication event." },
      ),
    ),
  },
  eventDates: [{ column: "event_date", afterDeath: true, withinObservation: true }],
});
