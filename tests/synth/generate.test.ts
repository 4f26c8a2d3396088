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

/** Collects rule violations and asserts once (per-cell expect calls are slow on large tables). */
class Problems {
  readonly list: string[] = [];
  check(ok: boolean, what: string): void {
    if (!ok && this.list.length < 20) this.list.push(what);
  }
}

function checkContract(name: string, t: Record<string, Table>, n: number): void {
  describe(`${name}: the column contract`, () => {
    it("writes all eleven tables with exactly the contract's header, in order", () => {
      expect(Object.keys(t).sort()).toEqual([...TABLES].sort());
      for (const table of TABLES) expect(t[table]!.header, table).toEqual(CONTRACT_HEADERS[table]);
    });

    it("every row has as many fields as the header, and every table has rows", () => {
      const p = new Problems();
      for (const table of TABLES) {
        const width = CONTRACT_HEADERS[table]!.length;
        expect(t[table]!.rows.length, table).toBeGreaterThan(0);
        for (const r of t[table]!.rows) p.check(r.length === width, `${table}: ${r.join(",")}`);
      }
      expect(p.list).toEqual([]);
      expect(t.persons!.rows.length).toBe(n);
      expect(t.arms!.rows.length).toBe(n);
    });

    it("codes and code lists are in the allowed sets (missing = empty)", () => {
      const p = new Problems();
      for (const [key, spec] of Object.entries(CONTRACT_CODES)) {
        const [table, column] = key.split(".") as [string, string];
        const tab = t[table]!;
        const c = tab.col(column);
        const allowed = new Set(spec.values);
        for (const r of tab.rows) {
          const v = r[c]!;
          if (v === "") {
            p.check(spec.optional, `${key} empty in ${r[0]}`);
            continue;
          }
          const codes = spec.list ? v.split(";") : [v];
          for (const code of codes) p.check(allowed.has(code), `${key} = "${code}"`);
        }
      }
      expect(p.list).toEqual([]);
    });

    it("dates are valid ISO YYYY-MM-DD and bools are 0/1", () => {
      const p = new Problems();
      for (const [table, cols] of Object.entries(CONTRACT_DATES)) {
        for (const [column, optional] of cols) {
          const c = t[table]!.col(column);
          for (const r of t[table]!.rows) {
            if (r[c] === "" && optional) continue;
            p.check(parseIsoDate(r[c]!) !== null, `${table}.${column} = "${r[c]}"`);
          }
        }
      }
      for (const [table, cols] of Object.entries(CONTRACT_BOOLS)) {
        for (const [column, optional] of cols) {
          const c = t[table]!.col(column);
          for (const r of t[table]!.rows) {
            if (r[c] === "" && optional) continue;
            p.check(r[c] === "0" || r[c] === "1", `${table}.${column} = "${r[c]}"`);
          }
        }
      }
      expect(p.list).toEqual([]);
    });

    it("primary keys are unique and foreign keys resolve", () => {
      const p = new Problems();
      for (const [table, cols] of Object.entries(CONTRACT_PK)) {
        const idx = cols.map((c) => t[table]!.col(c));
        const seen = new Set<string>();
        for (const r of t[table]!.rows) {
          const key = idx.map((i) => r[i]).join("|");
          p.check(!seen.has(key), `${table} duplicate key ${key}`);
          p.check(
            idx.every((i) => r[i] !== ""),
            `${table} empty key ${key}`,
          );
          seen.add(key);
        }
      }
      const persons = new Set(t.persons!.rows.map((r) => r[0]));
      for (const table of TABLES) {
        const c = t[table]!.col("person_id");
        for (const r of t[table]!.rows) p.check(persons.has(r[c]), `${table} orphan ${r[c]}`);
      }
      const encounters = new Set(t.encounters!.rows.map((r) => r[0]));
      const ie = t.index_events!.col("encounter_id");
      for (const r of t.index_events!.rows)
        p.check(r[ie] === "" || encounters.has(r[ie]), `index encounter ${r[ie]}`);
      expect(p.list).toEqual([]);
    });

    it("numbers are in range: days_supply > 0, units > 0, duration ≥ 0, items and GPRA counts", () => {
      const p = new Problems();
      const m = t.medication_events!;
      for (const r of m.rows) {
        const ds = Number(r[m.col("days_supply")]);
        p.check(Number.isInteger(ds) && ds > 0, `days_supply ${r[0]}`);
        p.check(Number(r[m.col("units")]) > 0, `units ${r[0]}`);
      }
      const pc = t.peer_contacts!;
      for (const r of pc.rows) {
        const d = r[pc.col("duration_min")]!;
        p.check(d === "" || (Number.isInteger(Number(d)) && Number(d) >= 0), `duration ${r[0]}`);
        const time = r[pc.col("start_time")]!;
        p.check(time === "" || /^([01]\d|2[0-3]):[0-5]\d$/.test(time), `start_time ${r[0]}`);
        // H0038 billing: one unit per started 15 minutes, capped at 16 a day.
        if (r[pc.col("hcpcs")] === "H0038") {
          p.check(r[pc.col("completed")] === "1", `billed attempt ${r[0]}`);
          p.check(
            Number(r[pc.col("units")]) === Math.min(16, Math.ceil(Number(d) / 15)),
            `H0038 units ${r[0]}`,
          );
        }
      }
      const a = t.assessments!;
      const first = a.col("item_01");
      for (const r of a.rows) {
        const inst = r[a.col("instrument")];
        const items = r.slice(first, first + 50);
        if (inst === "BARC10") {
          for (const v of items.slice(0, 10))
            p.check(v === "" || (Number(v) >= 1 && Number(v) <= 6), `BARC item ${r[0]}`);
          p.check(
            items.slice(10).every((v) => v === ""),
            `BARC extra items ${r[0]}`,
          );
        } else if (inst === "ARC") {
          for (const v of items) p.check(v === "0" || v === "1", `ARC item ${r[0]}`);
        } else {
          p.check(inst === "GPRA", `instrument ${inst}`);
          p.check(["1", "2"].includes(r[a.col("gpra_interview_type")]!), `GPRA type ${r[0]}`);
          for (const c of ["gpra_days_alcohol", "gpra_days_drugs"]) {
            const v = Number(r[a.col(c)]);
            p.check(
              Number.isInteger(v) && ((v >= 0 && v <= 30) || v === -7 || v === -8 || v === -9),
              `${c}=${v}`,
            );
          }
        }
      }
      expect(p.list).toEqual([]);
    });

    it("end ≥ start; nothing after death; every event inside an observation period", () => {
      const p = new Problems();
      const death = new Map<string, number>();
      const pc = t.persons!.col("death_date");
      for (const r of t.persons!.rows) if (r[pc] !== "") death.set(r[0]!, parseIsoDate(r[pc]!)!);
      const periods = new Map<string, [number, number][]>();
      for (const r of t.observation_periods!.rows) {
        const s = parseIsoDate(r[2]!)!;
        const e = parseIsoDate(r[3]!)!;
        p.check(e >= s, `period ${r[0]}`);
        const list = periods.get(r[1]!) ?? [];
        list.push([s, e]);
        periods.set(r[1]!, list);
      }
      // Observation ends on the day of death.
      for (const [pid, d] of death)
        p.check(Math.max(...periods.get(pid)!.map((q) => q[1])) === d, `death ${pid}`);
      const inside = (pid: string, day: number): boolean =>
        periods.get(pid)!.some(([s, e]) => day >= s && day <= e);
      for (const r of t.encounters!.rows) {
        const s = parseIsoDate(r[2]!)!;
        const e = r[3] === "" ? s : parseIsoDate(r[3]!)!;
        p.check(e >= s, `encounter ${r[0]} ends before it starts`);
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
          p.check(inside(pid, day), `${table}.${column} ${r[0]} ${r[c]} outside observation`);
          const d = death.get(pid);
          p.check(d === undefined || day <= d, `${table}.${column} ${r[0]} after death`);
        }
      }
      expect(p.list).toEqual([]);
    });

    it("one first index event per person; COMPARISON people have no peer contacts", () => {
      const firsts = t.index_events!.rows.filter((r) => r[0]!.endsWith("-I1"));
      expect(firsts.length).toBe(n);
      const arm = new Map(t.arms!.rows.map((r) => [r[0]!, r[2]!]));
      expect(t.peer_contacts!.rows.filter((r) => arm.get(r[1]!) !== "PEER").map((r) => r[0])).toEqual([]);
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
