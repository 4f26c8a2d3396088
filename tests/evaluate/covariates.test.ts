/**
 * Pre-index covariates on a hand-made dataset: every value below is worked out by hand from the rows.
 * The baseline window is [anchor − 365, anchor − 1], anchor = start of the index encounter when it began
 * before the index date (hospital admission), else the index date.
 */
import { table } from "arquero";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../../src/dictionary/load-result.js";
import { parseEvaluationConfig } from "../../src/evaluate/config.js";
import { computeCovariates, indexEpisodeStart, MISSING_LEVEL } from "../../src/evaluate/covariates.js";

const D = 20000; // index day of every unit
const dataset: Dataset = {
  persons: table({
    person_id: ["A", "B", "C"],
    birth_date: [D - Math.round(40 * 365.25), null, D - Math.round(25 * 365.25)],
    sex: ["F", "M", null],
    housing: ["HOMELESS", "HOUSED", "HOUSED"],
    justice_involved: [true, false, null],
  }),
  index_events: table({
    index_id: ["A-I1", "B-I1", "C-I1", "C-I0"],
    person_id: ["A", "B", "C", "C"],
    type: ["HOSPITAL_DISCHARGE", "ED_VISIT", "ED_VISIT", "OVERDOSE"],
    index_date: [D, D, D, D - 100],
    setting: ["HOSPITAL", "ED", "ED", "ED"],
    site_id: ["H1", "E1", null, "E1"],
    encounter_id: ["A-E3", "B-E2", null, null],
  }),
  encounters: table({
    encounter_id: ["A-E1", "A-E2", "A-E3", "A-E4", "B-E1", "B-E2", "B-E3", "C-E1"],
    person_id: ["A", "A", "A", "A", "B", "B", "B", "C"],
    start_date: [D - 300, D - 10, D - 9, D - 9, D - 366, D, D - 365, D - 5],
    kind: ["ED", "ED", "INPATIENT_ACUTE", "ED", "ED", "ED", "ED", "OUTPATIENT"],
    dx_principal: ["T40.1X1A", "R07.9", "F11.23", "F11.20", "T40.411A", "T40.411A", "R07.9", "F11.20"],
    dx_other: [null, null, null, null, null, null, ["T40.2X1A"], null],
  }),
  medication_events: table({
    person_id: ["A", "B", "C"],
    event_date: [D - 200, D - 400, D - 1],
    med_row: ["BUP_ORAL", "METHADONE_ORAL", "AUD_OTHER"],
  }),
  arms: table({ person_id: ["A", "B", "C"], site_id: ["H1", "E1", "E9"] }),
};
const units = { personId: ["A", "B", "C"], indexId: ["A-I1", "B-I1", "C-I1"], indexDay: [D, D, D] };

describe("pre-index covariates", () => {
  it("anchors the window at the start of the index encounter when it began earlier", () => {
    expect([...indexEpisodeStart(dataset, units)]).toEqual([D - 9, D, D]);
  });

  const cols = computeCovariates(dataset, units, [
    "age",
    "sex",
    "housing",
    "justice_involved",
    "site",
    "index_type",
    "prior_ed_visits_365",
    "prior_ed_visits_365_group",
    "prior_overdose_365",
    "prior_moud_365",
  ]);
  const byName = Object.fromEntries(cols.map((c) => [c.name, c]));
  const codes = (name: string) => {
    const c = byName[name]!;
    if (c.kind !== "code") throw new Error(name);
    return Array.from(c.codes, (k) => c.levels[k]);
  };

  it("age at the index date in years; a missing birth date is flagged", () => {
    const age = byName.age!;
    if (age.kind !== "numeric") throw new Error("age");
    expect(age.values[0]).toBeCloseTo(Math.round(40 * 365.25) / 365.25, 12);
    expect(age.values[2]).toBeCloseTo(Math.round(25 * 365.25) / 365.25, 12);
    expect([...age.missing]).toEqual([0, 1, 0]);
  });

  it("codes and yes/no values, with a (missing) category", () => {
    expect(codes("sex")).toEqual(["F", "M", MISSING_LEVEL]);
    expect(codes("housing")).toEqual(["HOMELESS", "HOUSED", "HOUSED"]);
    expect(codes("justice_involved")).toEqual(["yes", "no", MISSING_LEVEL]);
    expect(codes("index_type")).toEqual(["HOSPITAL_DISCHARGE", "ED_VISIT", "ED_VISIT"]);
    // C has no site on its index event: the arms site is used.
    expect(codes("site")).toEqual(["H1", "E1", "E9"]);
  });

  it("counts ED visits strictly before the index episode, within 365 days", () => {
    // A: E1 (−300) counts; E2 (−10) counts (anchor −9); E4 (−9) is the index episode's ED visit.
    // B: E1 at −366 is outside; E2 at day 0 is the index; E3 at −365 counts.
    const ed = byName.prior_ed_visits_365!;
    if (ed.kind !== "numeric") throw new Error("ed");
    expect([...ed.values]).toEqual([2, 1, 0]);
    expect(codes("prior_ed_visits_365_group")).toEqual(["2", "1", "0"]);
  });

  it("prior overdose from T40 diagnoses (principal or other) or an earlier OVERDOSE index event", () => {
    // A: T40.1X1A at −300; B: T40.2X1A (other dx) at −365; C: OVERDOSE index event at −100.
    expect(codes("prior_overdose_365")).toEqual(["yes", "yes", "yes"]);
  });

  it("prior MOUD within 365 days before the episode; AUD_OTHER is not MOUD", () => {
    expect(codes("prior_moud_365")).toEqual(["yes", "no", "no"]);
  });

  it("refuses a covariate whose table is absent", () => {
    const { encounters: _e, ...noEncounters } = dataset;
    expect(() => computeCovariates(noEncounters, units, ["prior_ed_visits_365"])).toThrow(/encounters\.csv/);
  });
});

describe("adjusted design configs", () => {
  const base = { data: "d", outcomes: [{ measure: "daysToMoud" }] };
  it("fills the weighted and matched defaults (ATT, caliper 0.2, 1:1, no replacement)", () => {
    const w = parseEvaluationConfig({ ...base, design: { kind: "weighted", covariates: ["age"] } });
    expect(w.ok && w.config.design).toEqual({
      kind: "weighted",
      covariates: ["age"],
      estimand: "ATT",
      stabilize: false,
      numericMissing: "indicator",
      balanceThreshold: 0.1,
    });
    const m = parseEvaluationConfig({ ...base, design: { kind: "matched", covariates: ["age", "sex"] } });
    expect(m.ok && m.config.design).toEqual({
      kind: "matched",
      covariates: ["age", "sex"],
      ratio: 1,
      caliper: 0.2,
      replace: false,
      exact: [],
      order: "largest",
      numericMissing: "indicator",
      balanceThreshold: 0.1,
    });
  });
  it("rejects unknown covariates, stabilised ATT weights and per-event selection", () => {
    const bad = parseEvaluationConfig({
      ...base,
      index: { selection: "all" },
      design: { kind: "weighted", covariates: ["age", "shoe_size"], stabilize: true },
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const paths = bad.issues.map((i) => i.path);
    expect(paths).toContain("design.covariates[1]");
    const stab = parseEvaluationConfig({
      ...base,
      design: { kind: "weighted", covariates: ["age"], stabilize: true },
    });
    expect(!stab.ok && stab.issues.map((i) => i.path)).toEqual(["design.stabilize"]);
    const sel = parseEvaluationConfig({
      ...base,
      index: { selection: "all" },
      design: { kind: "matched", covariates: ["age"] },
    });
    expect(!sel.ok && sel.issues.map((i) => i.path)).toEqual(["index.selection"]);
    const exact = parseEvaluationConfig({
      ...base,
      design: { kind: "matched", covariates: ["age"], exact: ["age"] },
    });
    expect(exact.ok).toBe(false);
  });
});
