/**
 * The dictionary against the table/column contract (columns.md, shared with the synthetic-data
 * generator), transcribed here by hand: every table, column order, type, optionality, allowed codes,
 * keys and foreign keys.
 */
import { describe, expect, it } from "vitest";
import { dictionary, LOAD_ORDER, TABLE_NAMES } from "../../data-dictionary/index.js";

const S = (codes: string) => codes.split(",");

/** columns.md, one line per column: "name kind[?] [codes]". */
const CONTRACT: Record<string, { pk: string[]; fks: string[]; columns: string[] }> = {
  persons: {
    pk: ["person_id"],
    fks: [],
    columns: [
      "person_id id",
      "birth_date date?",
      "sex code? F,M,X,U",
      "race code? AIAN,ASIAN,BLACK,NHPI,WHITE,OTHER,MULTI,ASKED_NO_ANSWER,UNKNOWN",
      "ethnicity code? HISPANIC,NOT_HISPANIC,ASKED_NO_ANSWER,UNKNOWN",
      "rurality code? URBAN,SUBURBAN,RURAL,UNKNOWN",
      "payer code? MEDICAID,MEDICARE,COMMERCIAL,UNINSURED,OTHER,UNKNOWN",
      "housing code? HOUSED,UNSTABLE,HOMELESS,UNKNOWN",
      "justice_involved bool?",
      "primary_substance code? OPIOID,ALCOHOL,STIMULANT,CANNABIS,OTHER,UNKNOWN",
      "active_use_at_enrollment bool?",
      "death_date date?",
      "death_cause code? OVERDOSE,OTHER,UNKNOWN",
    ],
  },
  observation_periods: {
    pk: ["period_id"],
    fks: ["person_id>persons.person_id"],
    columns: [
      "period_id id",
      "person_id id",
      "start_date date",
      "end_date date",
      "source code ENROLLMENT,STUDY,PROGRAM",
    ],
  },
  arms: {
    pk: ["person_id"],
    fks: ["person_id>persons.person_id"],
    columns: [
      "person_id id",
      "design code RCT,MATCHED,WEIGHTED,PREPOST,COHORT",
      "arm code PEER,COMPARISON",
      "randomized_date date?",
      "weight num?",
      "match_set_id id?",
      "site_id id?",
      "cluster id?",
    ],
  },
  index_events: {
    pk: ["index_id"],
    fks: ["person_id>persons.person_id", "encounter_id>encounters.encounter_id"],
    columns: [
      "index_id id",
      "person_id id",
      "type code ED_VISIT,OVERDOSE,HOSPITAL_DISCHARGE,RELEASE,PEER_ENROLLMENT",
      "index_date date",
      "setting code ED,HOSPITAL,REENTRY,HARM_REDUCTION,RECOVERY_CENTER",
      "site_id id?",
      "encounter_id id?",
      "source_system id",
    ],
  },
  encounters: {
    pk: ["encounter_id"],
    fks: ["person_id>persons.person_id"],
    columns: [
      "encounter_id id",
      "person_id id",
      "start_date date",
      "end_date date?",
      "kind code ED,INPATIENT_ACUTE,INPATIENT_NONACUTE,RESIDENTIAL,DETOX,OBSERVATION,OUTPATIENT,IOP_PH,TELEHEALTH,TELEPHONE,EVISIT,OTP,PEER,OTHER",
      "pos string?",
      "procedure_codes list?",
      "dx_principal string?",
      "dx_other list?",
      "provider_id id?",
      "provider_is_mh bool?",
      "disposition code? RELEASED,ADMITTED,OBSERVATION,TRANSFER,LEFT,DIED",
      "lab_claim bool?",
    ],
  },
  medication_events: {
    pk: ["med_event_id"],
    fks: ["person_id>persons.person_id"],
    columns: [
      "med_event_id id",
      "person_id id",
      "event_date date",
      "route code DISPENSING,ADMINISTRATION,OTP_DOSE",
      "med_row code NALTREXONE_ORAL,NALTREXONE_INJ,BUP_ORAL,BUP_ORAL_WEEKLY,BUP_INJ,BUP_IMPLANT,BUP_NALOXONE,METHADONE_ORAL,METHADONE_ORAL_WEEKLY,AUD_OTHER",
      "days_supply int?",
      "units num?",
      "setting code? COMMUNITY,ED,INPATIENT,CUSTODY,OTP",
    ],
  },
  peer_contacts: {
    pk: ["contact_id"],
    fks: ["person_id>persons.person_id"],
    columns: [
      "contact_id id",
      "person_id id",
      "peer_id id",
      "contact_date date",
      "start_time string?",
      "duration_min int?",
      "completed bool",
      "format code INDIVIDUAL,GROUP,FAMILY",
      "modality code IN_PERSON,PHONE,VIDEO,TEXT,OTHER",
      "setting code ED,INPATIENT,CUSTODY_PRE_RELEASE,POST_RELEASE,HARM_REDUCTION,RECOVERY_CENTER,TREATMENT_PROGRAM,HOME_COMMUNITY,OTHER",
      "activities list? ENGAGEMENT,NAVIGATION,WARM_HANDOFF,TRANSPORT,NALOXONE,RECOVERY_PLAN,BASIC_NEEDS,BENEFITS_HOUSING,MOUD_LINKAGE,CRISIS,BRIEF_CHECKIN",
      "hcpcs string?",
      "modifiers list?",
      "units int?",
      "dx list?",
      "funding_source string?",
    ],
  },
  uds_results: {
    pk: ["specimen_id"],
    fks: ["person_id>persons.person_id"],
    columns: [
      "specimen_id id",
      "person_id id",
      "scheduled_date date",
      "collected_date date?",
      "analyte code OPIOID,FENTANYL,BUPRENORPHINE,METHADONE,COCAINE,AMPHETAMINE,BENZODIAZEPINE,CANNABIS,ALCOHOL,OTHER",
      "result code? POS,NEG,INVALID",
      "prescribed_explains bool?",
    ],
  },
  daily_use: {
    pk: ["person_id", "use_date", "substance"],
    fks: ["person_id>persons.person_id"],
    columns: [
      "person_id id",
      "use_date date",
      "substance code ALCOHOL,OPIOID,STIMULANT,CANNABIS,BENZODIAZEPINE,OTHER",
      "used bool?",
      "source code TLFB,DIARY",
    ],
  },
  assessments: {
    pk: ["assessment_id"],
    fks: ["person_id>persons.person_id"],
    columns: [
      "assessment_id id",
      "person_id id",
      "assessment_date date",
      "instrument code BARC10,ARC,MIRC,RCS,GPRA",
      "wave code INTAKE,M3,M6,M12,DISCHARGE,OTHER",
      "scoring_variant string?",
      "gpra_interview_type int?",
      ...Array.from({ length: 50 }, (_, i) => `item_${String(i + 1).padStart(2, "0")} int?`),
      "gpra_days_alcohol int?",
      "gpra_days_drugs int?",
    ],
  },
  co_interventions: {
    pk: ["co_intervention_id"],
    fks: ["person_id>persons.person_id"],
    columns: [
      "co_intervention_id id",
      "person_id id",
      "co_date date",
      "kind code NALOXONE_KIT,ED_BUPRENORPHINE,SOCIAL_WORK,CASE_MANAGEMENT,CHW,CONTINGENCY_MGMT,HOUSING,OTHER",
    ],
  },
};

describe("the dictionary follows columns.md", () => {
  it("has every table, in columns.md order, each in <table>.csv", () => {
    expect(TABLE_NAMES).toEqual(Object.keys(CONTRACT));
    for (const t of dictionary.tables) expect(t.fileName).toBe(`${t.name}.csv`);
    expect(dictionary.tables.filter((t) => t.required).map((t) => t.name)).toEqual(["persons"]);
  });

  for (const [name, spec] of Object.entries(CONTRACT)) {
    it(`${name}: columns, types, optionality, codes, keys`, () => {
      const t = dictionary.table(name as (typeof TABLE_NAMES)[number]);
      const actual = t.columns.map((c) => {
        const codes = c.codes ? ` ${c.codes.map((x) => x.code).join(",")}` : "";
        return `${c.name} ${c.kind}${c.required ? "" : "?"}${codes}`;
      });
      expect(actual).toEqual(spec.columns);
      expect(t.primaryKey).toEqual(spec.pk);
      expect(t.foreignKeys.map((fk) => `${fk.column}>${fk.table}.${fk.references}`)).toEqual(spec.fks);
    });
  }

  it("states the ranges of columns.md", () => {
    const col = (t: (typeof TABLE_NAMES)[number], c: string) =>
      dictionary.table(t).columns.find((x) => x.name === c)!;
    const range = (t: (typeof TABLE_NAMES)[number], c: string) => {
      const x = col(t, c);
      return [x.minimum, x.exclusiveMinimum, x.maximum];
    };
    expect(range("arms", "weight")).toEqual([0, false, null]);
    expect(range("medication_events", "days_supply")).toEqual([1, false, null]);
    expect(range("medication_events", "units")).toEqual([0, true, null]);
    expect(range("peer_contacts", "duration_min")).toEqual([0, false, null]);
    expect(range("peer_contacts", "units")).toEqual([0, false, null]);
    expect(range("assessments", "gpra_interview_type")).toEqual([1, false, 6]);
    expect(range("assessments", "gpra_days_alcohol")).toEqual([0, false, 30]);
    expect(range("assessments", "gpra_days_drugs")).toEqual([0, false, 30]);
    expect(col("assessments", "gpra_days_drugs").specialMissing.map((s) => s.code)).toEqual(S("-7,-8,-9"));
    expect(col("peer_contacts", "start_time").patternDescription).toContain("HH:MM");
  });

  it("orders loading parents first and observation periods before events", () => {
    expect([...LOAD_ORDER].sort()).toEqual([...TABLE_NAMES].sort());
    for (const t of dictionary.tables) {
      for (const fk of t.foreignKeys) {
        expect(LOAD_ORDER.indexOf(fk.table as never), `${t.name} → ${fk.table}`).toBeLessThan(
          LOAD_ORDER.indexOf(t.name),
        );
      }
      if (t.eventDates.some((e) => e.withinObservation)) {
        expect(LOAD_ORDER.indexOf("observation_periods")).toBeLessThan(LOAD_ORDER.indexOf(t.name));
      }
    }
  });
});
