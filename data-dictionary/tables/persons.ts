/** persons: one row per person in the evaluation (the only table a dataset must contain). */
import * as c from "../columns.js";
import { defineTable } from "../define-table.js";

export const persons = defineTable({
  name: "persons",
  label: "Persons",
  description:
    "One row per person (peer-service participant or comparison person): demographics and baseline characteristics, and death. Every other table refers to it through person_id.",
  required: true,
  primaryKey: ["person_id"],
  columns: {
    person_id: c.id({
      label: "Person ID",
      description: "Pseudonymous identifier of the person, unique in the dataset.",
    }),
    birth_date: c.optional(c.date({ label: "Birth date", description: "Date of birth." })),
    sex: c.optional(
      c.code(
        { F: "Female", M: "Male", X: "Another sex or gender (non-binary)", U: "Unknown" },
        { label: "Sex", description: "Sex as recorded by the program or payer." },
      ),
    ),
    race: c.optional(
      c.code(
        {
          AIAN: "American Indian or Alaska Native",
          ASIAN: "Asian",
          BLACK: "Black or African American",
          NHPI: "Native Hawaiian or Other Pacific Islander",
          WHITE: "White",
          OTHER: "Some other race",
          MULTI: "Two or more races",
          ASKED_NO_ANSWER: "Asked but no answer",
          UNKNOWN: "Unknown",
        },
        { label: "Race", description: "Race category (HEDIS race stratification)." },
      ),
    ),
    ethnicity: c.optional(
      c.code(
        {
          HISPANIC: "Hispanic or Latino",
          NOT_HISPANIC: "Not Hispanic or Latino",
          ASKED_NO_ANSWER: "Asked but no answer",
          UNKNOWN: "Unknown",
        },
        { label: "Ethnicity", description: "Ethnicity category (HEDIS ethnicity stratification)." },
      ),
    ),
    rurality: c.optional(
      c.code(
        { URBAN: "Urban", SUBURBAN: "Suburban", RURAL: "Rural", UNKNOWN: "Unknown" },
        { label: "Rurality", description: "Rurality of the person's residence at enrollment." },
      ),
    ),
    payer: c.optional(
      c.code(
        {
          MEDICAID: "Medicaid",
          MEDICARE: "Medicare",
          COMMERCIAL: "Commercial insurance",
          UNINSURED: "Uninsured",
          OTHER: "Other payer",
          UNKNOWN: "Unknown",
        },
        { label: "Payer", description: "Primary payer at enrollment." },
      ),
    ),
    housing: c.optional(
      c.code(
        { HOUSED: "Stably housed", UNSTABLE: "Unstably housed", HOMELESS: "Homeless", UNKNOWN: "Unknown" },
        { label: "Housing", description: "Housing status at enrollment." },
      ),
    ),
    justice_involved: c.optional(
      c.bool({
        label: "Justice involved",
        description: "Involved with the criminal legal system at enrollment.",
      }),
    ),
    primary_substance: c.optional(
      c.code(
        {
          OPIOID: "Opioids",
          ALCOHOL: "Alcohol",
          STIMULANT: "Stimulants",
          CANNABIS: "Cannabis",
          OTHER: "Other substance",
          UNKNOWN: "Unknown",
        },
        { label: "Primary substance", description: "Primary substance at enrollment." },
      ),
    ),
    active_use_at_enrollment: c.optional(
      c.bool({
        label: "Active use at enrollment",
        description: "Reported substance use in the 30 days before enrollment.",
      }),
    ),
    death_date: c.optional(
      c.date({
        label: "Death date",
        description: "Date of death; missing when the person is not known to have died.",
      }),
    ),
    death_cause: c.optional(
      c.code(
        { OVERDOSE: "Overdose", OTHER: "Other cause", UNKNOWN: "Unknown cause" },
        { label: "Cause of death", description: "Cause of death when death_date is present." },
      ),
    ),
  },
  rules: [
    {
      kind: "dateOrder",
      start: "birth_date",
      end: "death_date",
      description: "death_date is on or after birth_date.",
    },
  ],
});
