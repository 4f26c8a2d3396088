/** coxZph against R cox.zph (survival 3.5-3 full score test) on lung, veteran and heart. */
import { describe, expect, it } from "vitest";
import { type CoxInput, coxPH } from "../../../src/stats/survival/cox.js";
import { type CoxZphOptions, coxZph } from "../../../src/stats/survival/cox-zph.js";
import { expectAllClose } from "../../helpers/expect-close.js";
import { loadCoxReference, refCol } from "./cox-textbook.js";

const ref = loadCoxReference();
const lungCov = ["age", "sex", "ph.ecog"];
const lung = (extra: Partial<CoxInput> = {}): CoxInput => ({
  time: refCol(ref, "lung", "time"),
  status: refCol(ref, "lung", "status"),
  x: lungCov.map((c) => refCol(ref, "lung", c)),
  names: lungCov,
  ...extra,
});
const vetCov = ["trt", "karno", "smallcell", "adeno", "large"];
const heartCov = ["age", "year", "surgery", "transplant"];

const fits = {
  lung_efron: () => coxPH(lung()),
  lung_breslow: () => coxPH(lung(), { ties: "breslow" }),
  lung_strata: () => coxPH(lung({ strata: refCol(ref, "lung", "inst") })),
  veteran_efron: () =>
    coxPH({
      time: refCol(ref, "veteran", "time"),
      status: refCol(ref, "veteran", "status"),
      x: vetCov.map((c) => refCol(ref, "veteran", c)),
      names: vetCov,
    }),
  heart_efron: () =>
    coxPH({
      start: refCol(ref, "heart", "start"),
      stop: refCol(ref, "heart", "stop"),
      status: refCol(ref, "heart", "event"),
      x: heartCov.map((c) => refCol(ref, "heart", c)),
      names: heartCov,
    }),
};
const vetTerms: CoxZphOptions["terms"] = [
  { name: "trt", covariates: ["trt"] },
  { name: "karno", covariates: ["karno"] },
  { name: "celltype", covariates: ["smallcell", "adeno", "large"] },
];

const cases: { key: string; fit: keyof typeof fits; options: CoxZphOptions }[] = [
  { key: "lung_efron_km", fit: "lung_efron", options: {} },
  { key: "lung_efron_rank", fit: "lung_efron", options: { transform: "rank" } },
  { key: "lung_efron_identity", fit: "lung_efron", options: { transform: "identity" } },
  { key: "lung_breslow_km", fit: "lung_breslow", options: {} },
  { key: "lung_strata_km", fit: "lung_strata", options: {} },
  { key: "veteran_efron_km", fit: "veteran_efron", options: { terms: vetTerms } },
  { key: "veteran_efron_rank", fit: "veteran_efron", options: { transform: "rank", terms: vetTerms } },
  {
    key: "veteran_efron_identity",
    fit: "veteran_efron",
    options: { transform: "identity", terms: vetTerms },
  },
  { key: "heart_efron_km", fit: "heart_efron", options: {} },
  { key: "heart_efron_rank", fit: "heart_efron", options: { transform: "rank" } },
];

describe("coxZph against R cox.zph", () => {
  for (const c of cases) {
    it(c.key, () => {
      const z = coxZph(fits[c.fit](), c.options);
      const r = ref.zph[c.key];
      expect([...z.terms.map((t) => t.term), "GLOBAL"]).toEqual(r.terms);
      const rows = [...z.terms, z.global];
      expect(rows.map((t) => t.df)).toEqual(r.df);
      expectAllClose(
        rows.map((t) => t.statistic),
        r.chisq,
        { rel: 1e-9, abs: 1e-12 },
        `${c.key} chisq`,
      );
      expectAllClose(
        rows.map((t) => t.pValue),
        r.p,
        { rel: 1e-8, abs: 1e-15 },
        `${c.key} p`,
      );
    });
  }
  it("names the transform in the method", () => {
    expect(coxZph(fits.lung_efron(), { transform: "rank" }).method).toMatch(/transform "rank"/);
  });
});
