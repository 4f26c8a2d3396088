import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../src/dates.js";
import { generateCohortText } from "../../src/synth/index.js";
import { CONTRACT_BOOLS, CONTRACT_CODES, CONTRACT_DATES, CONTRACT_HEADERS, CONTRACT_PK } from "./contract.js";
import { parseAll, type Table } from "./csv.js";

const TABLES = Object.keys(CONTRACT_HEADERS);

async function make(options: Parameters<typeof generateCohortText>[0]) {
  const r = await generateCohortText({ truthSamples: 0, ...options });
  return { ...r, t: parseAll(r.files) };
}

const obs = await make({ n: 1500, seed: 20240501 });
const rct = await make({ n: 800, seed: 99, design: "rct" });
const cluster = await make({ n: 600, seed: 3, design: "rct", randomization: "cluster" });

describe("determinism", () => {
  it("same seed and options → byte-identical files; chunk size does not matter", async () => {
    const again = await generateCohortText({ n: 1500, seed: 20240501, truthSamples: 0, chunkPersons: 37 });
    for (const t of TABLES)
      expect(again.files[t as keyof typeof again.files], t).toBe(obs.files[t as keyof typeof obs.files]);
  });

  it("a different seed gives different data", async () => {
    const other = await generateCohortText({ n: 1500, seed: 20240502, truthSamples: 0 });
    expect(other.files.persons).not.toBe(obs.files.persons);
    expect(other.files.encounters).not.toBe(obs.files.encounters);
  });

  it("changing a true effect leaves the covariates untouched (separate random streams)", async () => {
    const other = await generateCohortText({ n: 300, seed: 20240501, truthSamples: 0, moudHazardRatio: 3 });
    const base = await generateCohortText({ n: 300, seed: 20240501, truthSamples: 0 });
    expect(other.files.persons).toBe(base.files.persons);
    expect(other.files.arms).toBe(base.files.arms);
    expect(other.files.medication_events).not.toBe(base.files.medication_events);
  });
});

function checkContract(name: string, t: Record<string, Table>, n: number): void {
  describe(`${name}: the column contract`, () => {
    it("writes all eleven tables with exactly the contract's header, in order", () => {
      expect(Object.keys(t).sort()).toEqual([...TABLES].sort());
      for (const table of TABLES) expect(t[table]!.header, table).toEqual(CONTRACT_HEADERS[table]);
    });

    it("every row has as many fields as the header, and every table has rows", () => {
      for (const table of TABLES) {
        const width = CONTRACT_HEADERS[table]!.length;
        expect(t[table]!.rows.length, table).toBeGreaterThan(0);
        for (const r of t[table]!.rows) expect(r.length, `${table}: ${r.join(",")}`).toBe(width);
      }
      expect(t.persons!.rows.length).toBe(n);
      expect(t.arms!.rows.length).toBe(n);
    });

    it("codes and code lists are in the allowed sets (missing = empty)", () => {
      for (const [key, spec] of Object.entries(CONTRACT_CODES)) {
        const [table, column] = key.split(".") as [string, string];
        const tab = t[table]!;
        const c = tab.col(column);
        const allowed = new Set(spec.values);
        for (const r of tab.rows) {
          const v = r[c]!;
          if (v === "") {
            expect(spec.optional, `${key} empty`).toBe(true);
            continue;
          }
          const codes = spec.list ? v.split(";") : [v];
          for (const code of codes) expect(allowed.has(code), `${key} = "${code}"`).toBe(true);
        }
      }
    });

    it("dates are valid ISO YYYY-MM-DD and bools are 0/1", () => {
      for (const [table, cols] of Object.entries(CONTRACT_DATES)) {
        for (const [column, optional] of cols) {
          const c = t[table]!.col(column);
          for (const r of t[table]!.rows) {
            if (r[c] === "" && optional) continue;
            expect(parseIsoDate(r[c]!), `${table}.${column} = "${r[c]}"`).not.toBeNull();
          }
        }
      }
      for (const [table, cols] of Object.entries(CONTRACT_BOOLS)) {
        for (const [column, optional] of cols) {
          const c = t[table]!.col(column);
          for (const r of t[table]!.rows) {
            if (r[c] === "" && optional) continue;
            expect(["0", "1"], `${table}.${column}`).toContain(r[c]);
          }
        }
      }
    });

    it("primary keys are unique and foreign keys resolve", () => {
      for (const [table, cols] of Object.entries(CONTRACT_PK)) {
        const idx = cols.map((c) => t[table]!.col(c));
        const seen = new Set<string>();
        for (const r of t[table]!.rows) {
          const key = idx.map((i) => r[i]).join("|");
          expect(seen.has(key), `${table} duplicate key ${key}`).toBe(false);
          expect(
            key.split("|").every((x) => x !== ""),
            `${table} empty key`,
          ).toBe(true);
          seen.add(key);
        }
      }
      const persons = new Set(t.persons!.rows.map((r) => r[0]));
      for (const table of TABLES) {
        const c = t[table]!.col("person_id");
        for (const r of t[table]!.rows) expect(persons.has(r[c]), `${table} orphan ${r[c]}`).toBe(true);
      }
      const encounters = new Set(t.encounters!.rows.map((r) => r[0]));
      const ie = t.index_events!.col("encounter_id");
      for (const r of t.index_events!.rows) if (r[ie] !== "") expect(encounters.has(r[ie])).toBe(true);
    });

    it("numbers are in range: days_supply > 0, units > 0, duration ≥ 0, items and GPRA counts", () => {
      const m = t.medication_events!;
      for (const r of m.rows) {
        expect(Number.isInteger(Number(r[m.col("days_supply")]))).toBe(true);
        expect(Number(r[m.col("days_supply")])).toBeGreaterThan(0);
        expect(Number(r[m.col("units")])).toBeGreaterThan(0);
      }
      const p = t.peer_contacts!;
      for (const r of p.rows) {
        const d = r[p.col("duration_min")]!;
        if (d !== "") expect(Number(d)).toBeGreaterThanOrEqual(0);
        const time = r[p.col("start_time")]!;
        if (time !== "") expect(time).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
        // H0038 billing: one unit per started 15 minutes, capped at 16 a day.
        if (r[p.col("hcpcs")] === "H0038") {
          expect(r[p.col("completed")]).toBe("1");
          expect(Number(r[p.col("units")])).toBe(Math.min(16, Math.ceil(Number(d) / 15)));
        }
      }
      const a = t.assessments!;
      const first = a.col("item_01");
      for (const r of a.rows) {
        const inst = r[a.col("instrument")];
        const items = r.slice(first, first + 50);
        if (inst === "BARC10") {
          for (const v of items.slice(0, 10)) if (v !== "") expect(Number(v)).toBeGreaterThanOrEqual(1);
          for (const v of items.slice(0, 10)) if (v !== "") expect(Number(v)).toBeLessThanOrEqual(6);
          expect(items.slice(10).every((v) => v === "")).toBe(true);
        } else if (inst === "ARC") {
          for (const v of items) expect(["0", "1"]).toContain(v);
        } else {
          expect(inst).toBe("GPRA");
          expect(["1", "2"]).toContain(r[a.col("gpra_interview_type")]);
          for (const c of ["gpra_days_alcohol", "gpra_days_drugs"]) {
            const v = Number(r[a.col(c)]);
            expect(
              Number.isInteger(v) && ((v >= 0 && v <= 30) || v === -7 || v === -8 || v === -9),
              `${c}=${v}`,
            ).toBe(true);
          }
        }
      }
    });

    it("end ≥ start; nothing after death; every event inside an observation period", () => {
      const death = new Map<string, number>();
      const pc = t.persons!.col("death_date");
      for (const r of t.persons!.rows) if (r[pc] !== "") death.set(r[0]!, parseIsoDate(r[pc]!)!);
      const periods = new Map<string, [number, number][]>();
      for (const r of t.observation_periods!.rows) {
        const s = parseIsoDate(r[2]!)!;
        const e = parseIsoDate(r[3]!)!;
        expect(e).toBeGreaterThanOrEqual(s);
        const list = periods.get(r[1]!) ?? [];
        list.push([s, e]);
        periods.set(r[1]!, list);
      }
      for (const [pid, d] of death) {
        // Observation ends on the day of death.
        expect(Math.max(...periods.get(pid)!.map((p) => p[1]))).toBe(d);
      }
      const inside = (pid: string, day: number): boolean =>
        periods.get(pid)!.some(([s, e]) => day >= s && day <= e);
      const enc = t.encounters!;
      for (const r of enc.rows) {
        const s = parseIsoDate(r[2]!)!;
        const e = r[3] === "" ? s : parseIsoDate(r[3]!)!;
        expect(e, r[0]).toBeGreaterThanOrEqual(s);
      }
      const events: [string, string][] = [
        ["index_events", "index_date"],
        ["encounters", "start_date"],
        ["encounters", "end_date"],
        ["medication_events", "event_date"],
        ["peer_contacts", "contact_date"],
        ["uds_results", "scheduled_date"],
        ["uds_results", "collected_date"],
        ["daily_use", "use_date"],
        ["assessments", "assessment_date"],
        ["co_interventions", "co_date"],
      ];
      for (const [table, column] of events) {
        const tab = t[table]!;
        const c = tab.col(column);
        const pcol = tab.col("person_id");
        for (const r of tab.rows) {
          if (r[c] === "") continue;
          const day = parseIsoDate(r[c]!)!;
          const pid = r[pcol]!;
          expect(inside(pid, day), `${table}.${column} ${r[0]} outside observation`).toBe(true);
          const d = death.get(pid);
          if (d !== undefined) expect(day, `${table}.${column} after death`).toBeLessThanOrEqual(d);
        }
      }
    });

    it("one first index event per person; COMPARISON people have no peer contacts", () => {
      const firsts = t.index_events!.rows.filter((r) => r[0]!.endsWith("-I1"));
      expect(firsts.length).toBe(n);
      const arm = new Map(t.arms!.rows.map((r) => [r[0]!, r[2]!]));
      for (const r of t.peer_contacts!.rows) expect(arm.get(r[1]!)).toBe("PEER");
    });
  });
}

checkContract("observational", obs.t, 1500);
checkContract("rct", rct.t, 800);
checkContract("cluster rct", cluster.t, 600);

describe("design-specific content", () => {
  it("observational: design COHORT, no randomized_date; every PEER person has a completed contact", () => {
    const a = obs.t.arms!;
    for (const r of a.rows) {
      expect(r[1]).toBe("COHORT");
      expect(r[3]).toBe("");
      expect(r[6]).not.toBe("");
    }
    const completed = new Set(obs.t.peer_contacts!.rows.filter((r) => r[6] === "1").map((r) => r[1]));
    for (const r of a.rows) if (r[2] === "PEER") expect(completed.has(r[0])).toBe(true);
  });

  it("rct: design RCT, randomized_date = first index date, about 1:1", () => {
    const idx = new Map(
      rct.t.index_events!.rows.filter((r) => r[0]!.endsWith("-I1")).map((r) => [r[1]!, r[3]!]),
    );
    let peer = 0;
    for (const r of rct.t.arms!.rows) {
      expect(r[1]).toBe("RCT");
      expect(r[3]).toBe(idx.get(r[0]!));
      expect(r[7]).toBe("");
      if (r[2] === "PEER") peer++;
    }
    // Binomial(800, 1/2): 5 SD ≈ 71.
    expect(Math.abs(peer - 400)).toBeLessThan(71);
  });

  it("cluster rct: cluster = site and every site has a single arm", () => {
    const siteArm = new Map<string, string>();
    for (const r of cluster.t.arms!.rows) {
      expect(r[7]).toBe(r[6]);
      const prev = siteArm.get(r[6]!);
      if (prev !== undefined) expect(r[2]).toBe(prev);
      siteArm.set(r[6]!, r[2]!);
    }
    expect(new Set(siteArm.values()).size).toBe(2);
  });

  it("covers all settings, index types and several medication rows", () => {
    const ie = obs.t.index_events!;
    expect(new Set(ie.rows.map((r) => r[ie.col("setting")])).size).toBe(5);
    expect(new Set(ie.rows.map((r) => r[ie.col("type")])).size).toBe(5);
    const m = obs.t.medication_events!;
    expect(new Set(m.rows.map((r) => r[m.col("med_row")])).size).toBeGreaterThanOrEqual(7);
    expect(new Set(m.rows.map((r) => r[m.col("route")])).size).toBe(3);
  });
});
