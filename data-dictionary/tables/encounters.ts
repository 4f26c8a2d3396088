/** encounters: health-care encounters (claims or EHR visits and stays). */
import * as c from "../columns.js";
import { defineTable } from "../define-table.js";
import { personRef } from "./person-ref.js";

export const encounters = defineTable({
  name: "encounters",
  label: "Encounters",
  description:
    "Health-care encounters from claims or health records: visits (start date only) and stays (admission to discharge). Used for ED utilization, follow-up after ED visits (FUA), treatment initiation and engagement (IET).",
  primaryKey: ["encounter_id"],
  columns: {
    encounter_id: c.id({
      label: "Encounter ID",
      description: "Identifier of the encounter (claim or visit).",
    }),
    person_id: personRef(),
    start_date: c.date({
      label: "Start date",
      description: "Date of the visit, or admission date of a stay.",
    }),
    end_date: c.optional(
      c.date({ label: "End date", description: "Discharge date of a stay; missing for single-day visits." }),
    ),
    kind: c.code(
      {
        ED: "Emergency department visit",
        INPATIENT_ACUTE: "Acute inpatient stay",
        INPATIENT_NONACUTE: "Non-acute inpatient stay",
        RESIDENTIAL: "Residential treatment",
        DETOX: "Withdrawal management (detoxification)",
        OBSERVATION: "Observation stay",
        OUTPATIENT: "Outpatient visit",
        IOP_PH: "Intensive outpatient or partial hospitalization",
        TELEHEALTH: "Telehealth visit",
        TELEPHONE: "Telephone visit",
        EVISIT: "E-visit or virtual check-in",
        OTP: "Opioid treatment program visit",
        PEER: "Peer support service",
        OTHER: "Other encounter",
      },
      { label: "Kind", description: "Kind of encounter (setting)." },
    ),
    pos: c.optional(
      c.string({
        label: "Place of service",
        description: "CMS place-of-service code (e.g. 23 = emergency room).",
      }),
    ),
    procedure_codes: c.optional(
      c.list({
        label: "Procedure codes",
        description: "CPT/HCPCS procedure codes of the encounter, separated by semicolons.",
      }),
    ),
    dx_principal: c.optional(
      c.string({ label: "Principal diagnosis", description: "Principal ICD-10-CM diagnosis code." }),
    ),
    dx_other: c.optional(
      c.list({
        label: "Other diagnoses",
        description: "Other ICD-10-CM diagnosis codes, separated by semicolons.",
      }),
    ),
    provider_id: c.optional(c.id({ label: "Provider ID", description: "Rendering provider identifier." })),
    provider_is_mh: c.optional(
      c.bool({
        label: "Mental health provider",
        description: "The rendering provider is a mental health provider.",
      }),
    ),
    disposition: c.optional(
      c.code(
        {
          RELEASED: "Released (discharged home)",
          ADMITTED: "Admitted",
          OBSERVATION: "Placed in observation",
          TRANSFER: "Transferred to another facility",
          LEFT: "Left against medical advice or without being seen",
          DIED: "Died",
        },
        {
          label: "Disposition",
          description: "Disposition at the end of the encounter (ED visits and stays).",
        },
      ),
    ),
    lab_claim: c.optional(
      c.bool({
        label: "Laboratory claim",
        description: "The encounter is a laboratory-only claim (excluded from visit counts).",
      }),
    ),
  },
  rules: [
    {
      kind: "dateOrder",
      start: "start_date",
      end: "end_date",
      description: "end_date, when present, is on or after start_date.",
    },
  ],
  eventDates: [{ column: "start_date", afterDeath: true, withinObservation: true }],
});
