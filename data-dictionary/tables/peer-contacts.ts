/** peer_contacts: the peer recovery support services log. */
import * as c from "../columns.js";
import { defineTable } from "../define-table.js";
import { personRef } from "./person-ref.js";

export const peerContacts = defineTable({
  name: "peer_contacts",
  label: "Peer contacts",
  description:
    "One row per peer contact or outreach attempt: who, when, how long, in which format, modality and setting, what was done, and billing details. Contacts with completed = false are attempts and never count toward dose.",
  primaryKey: ["contact_id"],
  columns: {
    contact_id: c.id({ label: "Contact ID", description: "Identifier of the contact." }),
    person_id: personRef(),
    peer_id: c.id({ label: "Peer ID", description: "Identifier of the peer specialist." }),
    contact_date: c.date({ label: "Contact date", description: "Date of the contact." }),
    start_time: c.optional(
      c.string({
        label: "Start time",
        description: "Local start time of the contact, 24-hour HH:MM.",
        pattern: /^(?:[01]\d|2[0-3]):[0-5]\d$/,
        patternDescription: "HH:MM, 00:00–23:59",
      }),
    ),
    duration_min: c.optional(
      c.int({ label: "Duration", description: "Duration of the contact.", unit: "minutes", minimum: 0 }),
    ),
    completed: c.bool({
      label: "Completed",
      description: "The contact took place (false = outreach attempt only; never counts toward dose).",
    }),
    format: c.code(
      { INDIVIDUAL: "Individual", GROUP: "Group", FAMILY: "Family" },
      { label: "Format", description: "Format of the contact." },
    ),
    modality: c.code(
      { IN_PERSON: "In person", PHONE: "Telephone", VIDEO: "Video", TEXT: "Text message", OTHER: "Other" },
      { label: "Modality", description: "How the contact was made." },
    ),
    setting: c.code(
      {
        ED: "Emergency department",
        INPATIENT: "Inpatient unit",
        CUSTODY_PRE_RELEASE: "Custody, before release",
        POST_RELEASE: "After release from custody",
        HARM_REDUCTION: "Harm reduction program",
        RECOVERY_CENTER: "Recovery community center",
        TREATMENT_PROGRAM: "Treatment program",
        HOME_COMMUNITY: "Home or community",
        OTHER: "Other",
      },
      { label: "Setting", description: "Where the contact took place." },
    ),
    activities: c.optional(
      c.list({
        label: "Activities",
        description: "Activities during the contact, separated by semicolons.",
        codes: {
          ENGAGEMENT: "Engagement",
          NAVIGATION: "Navigation",
          WARM_HANDOFF: "Warm handoff",
          TRANSPORT: "Transportation",
          NALOXONE: "Naloxone education or distribution",
          RECOVERY_PLAN: "Recovery planning",
          BASIC_NEEDS: "Basic needs",
          BENEFITS_HOUSING: "Benefits or housing assistance",
          MOUD_LINKAGE: "Linkage to MOUD",
          CRISIS: "Crisis support",
          BRIEF_CHECKIN: "Brief check-in",
        },
      }),
    ),
    hcpcs: c.optional(
      c.string({
        label: "HCPCS code",
        description: "Billing code of the contact (e.g. H0038, peer services per 15 minutes).",
      }),
    ),
    modifiers: c.optional(
      c.list({
        label: "Modifiers",
        description: "HCPCS modifiers (e.g. HQ group, HF substance use program), separated by semicolons.",
      }),
    ),
    units: c.optional(
      c.int({
        label: "Billing units",
        description: "Billed units (H0038: one unit per 15 minutes).",
        unit: "billing units",
        minimum: 0,
      }),
    ),
    dx: c.optional(
      c.list({
        label: "Diagnoses",
        description: "ICD-10-CM diagnosis codes on the claim, separated by semicolons.",
      }),
    ),
    funding_source: c.optional(
      c.string({ label: "Funding source", description: "Payer or grant funding the contact." }),
    ),
  },
  eventDates: [{ column: "contact_date", afterDeath: true, withinObservation: true }],
});
