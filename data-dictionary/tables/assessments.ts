/** assessments: recovery-capital instruments (BARC-10, ARC, MIRC, RCS) and GPRA interviews. */
import * as c from "../columns.js";
import { defineTable } from "../define-table.js";
import { personRef } from "./person-ref.js";

type Digit = "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9";
type Item = `item_0${Digit}` | `item_${"1" | "2" | "3" | "4"}${"0" | Digit}` | "item_50";

/** Number of item columns (item_01 … item_50). */
export const ITEM_COUNT = 50;

/** The item column names, item_01 … item_50. */
export const ITEM_COLUMNS = Array.from(
  { length: ITEM_COUNT },
  (_, i) => `item_${String(i + 1).padStart(2, "0")}` as Item,
);

function itemColumns() {
  const out = {} as Record<Item, ReturnType<typeof itemColumn>>;
  for (const [i, name] of ITEM_COLUMNS.entries()) out[name] = itemColumn(i + 1);
  return out;
}

function itemColumn(n: number) {
  return c.optional(
    c.int({
      label: `Item ${n}`,
      description: `Response to item ${n} of the instrument; its range depends on the instrument (see the rules).`,
    }),
  );
}

const gpraDays = (what: string) =>
  c.optional(
    c.int({
      label: `GPRA days of ${what} use`,
      description: `GPRA Section B: number of days of ${what} use in the past 30 days.`,
      unit: "days in the past 30",
      minimum: 0,
      maximum: 30,
    }),
    c.GPRA_SPECIAL_MISSING,
  );

export const assessments = defineTable({
  name: "assessments",
  label: "Assessments",
  description:
    "Instrument administrations: recovery capital (BARC-10, ARC, MIRC, Recovery Capital Scale) item responses and GPRA interview day counts, by wave.",
  primaryKey: ["assessment_id"],
  columns: {
    assessment_id: c.id({ label: "Assessment ID", description: "Identifier of the administration." }),
    person_id: personRef(),
    assessment_date: c.date({ label: "Assessment date", description: "Date of the administration." }),
    instrument: c.code(
      {
        BARC10: "Brief Assessment of Recovery Capital (BARC-10)",
        ARC: "Assessment of Recovery Capital (ARC)",
        MIRC: "Multidimensional Inventory of Recovery Capital (MIRC)",
        RCS: "Recovery Capital Scale (RCS)",
        GPRA: "SAMHSA GPRA client outcome measure interview",
      },
      { label: "Instrument", description: "Instrument administered." },
    ),
    wave: c.code(
      {
        INTAKE: "Intake (baseline)",
        M3: "3-month follow-up",
        M6: "6-month follow-up",
        M12: "12-month follow-up",
        DISCHARGE: "Discharge",
        OTHER: "Other",
      },
      { label: "Wave", description: "Assessment wave." },
    ),
    scoring_variant: c.optional(
      c.string({
        label: "Scoring variant",
        description:
          "Scoring variant of the instrument (e.g. ARC agree/disagree versus a Likert version); never mix variants in one analysis.",
      }),
    ),
    gpra_interview_type: c.optional(
      c.int({
        label: "GPRA interview type",
        description:
          "GPRA codebook interview type: 1 intake, 2 six-month follow-up, 3 twelve-month follow-up, 4 three-month follow-up, 5 discharge, 6 six-month post-discharge (PPW programs only).",
        minimum: 1,
        maximum: 6,
      }),
    ),
    ...itemColumns(),
    gpra_days_alcohol: gpraDays("alcohol"),
    gpra_days_drugs: gpraDays("illegal drug"),
  },
  rules: [
    {
      kind: "instrumentItems",
      instrumentColumn: "instrument",
      itemColumns: ITEM_COLUMNS,
      instruments: {
        BARC10: {
          items: 10,
          minimum: 1,
          maximum: 6,
          source: "Vilsaint et al. 2017 (6-point agreement scale)",
        },
        ARC: {
          items: 50,
          minimum: 0,
          maximum: 1,
          source: "Groshkova et al. 2013 (agree/disagree scored 1/0)",
        },
        MIRC: {
          items: 28,
          minimum: null,
          maximum: null,
          source: "MIRC (PMC11520023): 28 items; response range not verified, not checked",
        },
        RCS: {
          items: 35,
          minimum: 1,
          maximum: 5,
          source: "White & Cloud Recovery Capital Scale: 35 statements rated 1–5 [unverified]",
        },
        GPRA: {
          items: 0,
          minimum: null,
          maximum: null,
          source: "GPRA rows use the gpra_* columns, not items",
        },
      },
      description:
        "Items answered must belong to the instrument and lie in its range: BARC10 items 1–10, each 1–6; ARC items 1–50, each 0/1; MIRC items 1–28; RCS items 1–35, each 1–5; GPRA no items.",
    },
  ],
  eventDates: [{ column: "assessment_date", afterDeath: true, withinObservation: true }],
});
