import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../src/dates.js";
import { generateCohortText } from "../../src/synth/index.js";
import { CONTRACT_CODES } from "./contract.js";
import { parseAll } from "./csv.js";

const clean = await generateCohortText({ n: 2000, seed: 11, truthSamples: 0 });
const dirty = await generateCohortText({ n: 2000, seed: 11, truthSamples: 0, dirty: 0.3 });
const t = parseAll(dirty.files);

describe("dirty option: injected data errors", () => {
  it("is off by default", () => {
    expect(clean.truth.dirty.errors).toEqual([]);
    expect(clean.truth.dirty.fraction).toBe(0);
  });

  it("injects one error for about the requested fraction of people and counts them by kind", () => {
    const errors = dirty.truth.dirty.errors;
    // Binomial(2000, 0.3): SD ≈ 20.5.
    expect(Math.abs(errors.length - 600)).toBeLessThan(5 * 20.5);
    const sum = Object.values(dirty.truth.dirty.injected).reduce((a, b) => a + b, 0);
    expect(sum).toBe(errors.length);
    expect(Object.keys(dirty.truth.dirty.injected).length).toBeGreaterThanOrEqual(10);
  });

  it("leaves everything else untouched (separate random stream)", () => {
    const a = clean.files.persons.split("\n");
    const b = dirty.files.persons.split("\n");
    expect(b.length).toBe(a.length);
    const changed = a.filter((line, i) => line !== b[i]).length;
    const logged = dirty.truth.dirty.errors.filter((e) => e.table === "persons").length;
    expect(changed).toBe(logged);
  });

  it("every logged error is present in the data, as its kind says", () => {
    const persons = new Set(t.persons!.rows.map((r) => r[0]));
    const death = new Map(
      t.persons!.rows.filter((r) => r[11] !== "").map((r) => [r[0]!, parseIsoDate(r[11]!)!]),
    );
    const periods = new Map<string, [number, number][]>();
    for (const r of t.observation_periods!.rows) {
      const list = periods.get(r[1]!) ?? [];
      list.push([parseIsoDate(r[2]!) ?? Number.NaN, parseIsoDate(r[3]!) ?? Number.NaN]);
      periods.set(r[1]!, list);
    }
    const problems: string[] = [];
    for (const e of dirty.truth.dirty.errors) {
      const tab = t[e.table]!;
      const rows = tab.rows.filter((r) => r[0] === e.rowId);
      const row = rows[0];
      if (row === undefined && e.table !== "persons") {
        problems.push(`${e.kind}: row ${e.rowId} not found`);
        continue;
      }
      const r = row ?? [];
      const v = r[tab.col(e.column)] ?? "";
      const pid = r[tab.col("person_id")] ?? "";
      let ok = false;
      switch (e.kind) {
        case "END_BEFORE_START":
          ok = parseIsoDate(r[tab.col("end_date")]!)! < parseIsoDate(r[tab.col("start_date")]!)!;
          break;
        case "EVENT_AFTER_DEATH":
          ok = parseIsoDate(v)! > death.get(pid)!;
          break;
        case "OUTSIDE_OBSERVATION": {
          const d = parseIsoDate(v)!;
          ok = !periods.get(pid)!.some(([s, en]) => d >= s && d <= en);
          break;
        }
        case "INVALID_DATE":
          ok = parseIsoDate(v) === null && v !== "";
          break;
        case "INVALID_CODE":
          ok = !CONTRACT_CODES[`${e.table}.${e.column}`]!.values.includes(v);
          break;
        case "NONPOSITIVE_DAYS_SUPPLY":
          ok = Number(v) <= 0;
          break;
        case "DUPLICATE_PRIMARY_KEY":
          ok = rows.length === 2 && rows[0]!.join() === rows[1]!.join();
          break;
        case "ORPHAN_FOREIGN_KEY":
          ok = !persons.has(v);
          break;
        case "ITEM_OUT_OF_RANGE":
          ok = v === "0" || v === "7";
          break;
        case "MISSING_REQUIRED":
          ok = v === "";
          break;
        case "NEGATIVE_DURATION":
          ok = Number(v) < 0;
          break;
        case "BAD_BOOLEAN":
          ok = v !== "0" && v !== "1" && v !== "";
          break;
        case "DUPLICATE_ED_SAME_DAY":
          ok =
            r[tab.col("kind")] === "ED" &&
            tab.rows.some((o) => o !== r && o[1] === r[1] && o[2] === r[2] && o[4] === "ED");
          break;
        default:
          ok = false;
      }
      if (!ok) problems.push(`${e.kind} ${e.table}.${e.column} ${e.rowId} = "${v}"`);
    }
    expect(problems).toEqual([]);
  });
});
