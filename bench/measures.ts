/**
 * Benchmark: every outcome measure on a synthetic in-memory cohort (default 1,000,000 people with
 * ~10,000,000 event rows — encounters, medication events, peer contacts, UDS, TLFB, assessments — plus
 * one row per person in persons, arms, observation_periods and index_events), timing each measure
 * (wall and process CPU) and sampling peak memory (RSS and heap).
 *   npx tsx bench/measures.ts [nPeople]
 *   npx tsx bench/measures.ts --data DIR [--data-end YYYY-MM-DD]   (a data folder, e.g. from `prss synth`,
 *     loaded with the project loader: the measures then read its compact columns)
 * Target: the whole set ≤ 30 s at 1,000,000 people. The generator here is a quick stand-in (uniform,
 * seeded), not the project's synthetic data generator. Figures on a shared machine are indicative only.
 * Figures with `--data` on the 1,000,000-person folder of `prss synth --n 1000000 --seed 20240501`
 * (30.9M rows; shared 2-core machine), before → after the typed-array pass over the measures: total
 * 45.3 → 30.1 s; MeasureData 1.8 → 0.2 s, moudCoverage 3.3 → 1.5, edUtilization 3.4 → 2.1, fua 7.7 →
 * 3.3, recoveryCapital 2.6 → 1.1, udsAbstinence 1.7 → 0.9, selfReportAbstinence 1.3 → 0.8, iet 10.5 →
 * 7.0; peak RSS 4.3 → 3.7 GB.
 */
import { performance } from "node:perf_hooks";
import { type ColumnTable, table } from "arquero";
import { daysFromCivil } from "../src/dates.js";
import { MeasureData, type MeasureTables } from "../src/measures/core/data.js";
import { edRevisit } from "../src/measures/ed-revisit.js";
import { edUtilization } from "../src/measures/ed-utilization.js";
import { fua } from "../src/measures/fua.js";
import { gpraFollowUp } from "../src/measures/gpra-follow-up.js";
import { iet } from "../src/measures/iet.js";
import { moudCoverage } from "../src/measures/moud-coverage.js";
import { moudRetention } from "../src/measures/moud-retention.js";
import { nqf3175 } from "../src/measures/nqf-3175.js";
import { peerDose } from "../src/measures/peer-dose.js";
import { pod } from "../src/measures/pod.js";
import { programRetention } from "../src/measures/program-retention.js";
import { recoveryCapital } from "../src/measures/recovery-capital.js";
import { selfReportAbstinence } from "../src/measures/self-report-abstinence.js";
import { tlfb } from "../src/measures/tlfb.js";
import { udsAbstinence } from "../src/measures/uds-abstinence.js";
import { illustrativeValueSets } from "../src/measures/value-sets.js";

/** Deterministic PRNG (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INT32_COLUMNS = new Set([
  "start_date",
  "index_date",
  "event_date",
  "contact_date",
  "scheduled_date",
  "use_date",
  "assessment_date",
]);

class Cols {
  readonly data: Record<string, unknown[]> = {};
  constructor(readonly names: readonly string[]) {
    for (const n of names) this.data[n] = [];
  }
  push(...values: unknown[]): void {
    for (let k = 0; k < this.names.length; k++) this.data[this.names[k]!]!.push(values[k] ?? null);
  }
  get length(): number {
    return this.data[this.names[0]!]!.length;
  }
  /** Required date columns become Int32Array, as the project loader stores them; the rest stay arrays. */
  table(): ColumnTable {
    const cols: Record<string, unknown> = {};
    for (const n of this.names)
      cols[n] = INT32_COLUMNS.has(n) ? Int32Array.from(this.data[n] as number[]) : this.data[n];
    return table(cols);
  }
}

/** Builds the synthetic cohort (all loader tables). */
export function makeBenchCohort(
  nPeople: number,
  seed = 20240601,
): { tables: MeasureTables; rows: number; events: number } {
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const start = daysFromCivil(2023, 1, 1);
  const dataEnd = daysFromCivil(2025, 6, 30);
  const persons = new Cols(["person_id", "birth_date", "death_date"]);
  const arms = new Cols(["person_id", "design", "arm", "randomized_date"]);
  const obs = new Cols(["period_id", "person_id", "start_date", "end_date", "source"]);
  const idx = new Cols(["index_id", "person_id", "type", "index_date", "setting", "source_system"]);
  const enc = new Cols([
    "encounter_id",
    "person_id",
    "start_date",
    "end_date",
    "kind",
    "pos",
    "procedure_codes",
    "dx_principal",
    "dx_other",
    "provider_id",
    "provider_is_mh",
    "disposition",
    "lab_claim",
  ]);
  const med = new Cols([
    "med_event_id",
    "person_id",
    "event_date",
    "route",
    "med_row",
    "days_supply",
    "units",
    "setting",
  ]);
  const pc = new Cols([
    "contact_id",
    "person_id",
    "peer_id",
    "contact_date",
    "duration_min",
    "completed",
    "format",
    "modality",
    "setting",
    "activities",
    "hcpcs",
    "units",
    "dx",
  ]);
  const uds = new Cols([
    "specimen_id",
    "person_id",
    "scheduled_date",
    "analyte",
    "result",
    "prescribed_explains",
  ]);
  const du = new Cols(["person_id", "use_date", "substance", "used", "source"]);
  const asm = new Cols([
    "assessment_id",
    "person_id",
    "assessment_date",
    "instrument",
    "wave",
    "gpra_interview_type",
    "gpra_days_alcohol",
    "gpra_days_drugs",
    ...Array.from({ length: 10 }, (_, k) => `item_${String(k + 1).padStart(2, "0")}`),
  ]);
  const dxSud = ["F11.20", "F11.23", "F10.20", "F14.20", "F15.10"];
  const providers = ["p1", "p2", "p3", "p4", "p5", "p6"];
  for (let i = 0; i < nPeople; i++) {
    const id = `P${i}`;
    const index = start + int(0, 364);
    const died = rnd() < 0.02 ? index + int(1, 700) : null;
    persons.push(id, daysFromCivil(1960, 1, 1) + int(0, 15000), died);
    arms.push(id, "RCT", rnd() < 0.5 ? "PEER" : "COMPARISON", index);
    obs.push(`O${i}`, id, index - int(0, 400), rnd() < 0.8 ? dataEnd : index + int(30, 800), "ENROLLMENT");
    idx.push(`I${i}`, id, "ED_VISIT", index, "ED", "ehr");
    // encounters: index ED visit + ~2 more events
    enc.push(null, id, index, index, "ED", "23", null, pick(dxSud), null, "ed1", false, "RELEASED", false);
    const nEnc = int(0, 4);
    for (let k = 0; k < nEnc; k++) {
      const dday = index + int(-200, 400);
      const r = rnd();
      if (r < 0.35)
        enc.push(
          null,
          id,
          dday,
          dday,
          "ED",
          "23",
          null,
          rnd() < 0.5 ? pick(dxSud) : "R07.9",
          null,
          "ed1",
          false,
          pick(["RELEASED", "ADMITTED", "RELEASED"]),
          false,
        );
      else if (r < 0.75)
        enc.push(
          null,
          id,
          dday,
          dday,
          "OUTPATIENT",
          "11",
          null,
          rnd() < 0.6 ? pick(dxSud) : "Z00.00",
          null,
          pick(providers),
          rnd() < 0.3,
          null,
          false,
        );
      else if (r < 0.9)
        enc.push(null, id, dday, dday, "PEER", "11", "H0038", pick(dxSud), null, "peer", false, null, false);
      else
        enc.push(
          null,
          id,
          dday,
          dday + int(1, 12),
          "INPATIENT_ACUTE",
          "21",
          null,
          "J18.9",
          null,
          "hosp",
          false,
          null,
          false,
        );
    }
    // MOUD: 30 % of people, ~8 fills
    if (rnd() < 0.3) {
      let dday = index + int(-30, 60);
      const nMed = int(4, 12);
      const row = rnd() < 0.7 ? "BUP_NALOXONE" : rnd() < 0.5 ? "METHADONE_ORAL_WEEKLY" : "BUP_INJ";
      for (let k = 0; k < nMed; k++) {
        if (row === "METHADONE_ORAL_WEEKLY") med.push(null, id, dday, "OTP_DOSE", row, null, 1, "OTP");
        else if (row === "BUP_INJ") med.push(null, id, dday, "ADMINISTRATION", row, null, 1, "COMMUNITY");
        else med.push(null, id, dday, "DISPENSING", row, pick([7, 14, 30]), null, "COMMUNITY");
        dday += int(5, 40);
      }
    }
    // peer contacts: 40 %, ~4
    if (rnd() < 0.4) {
      const nPc = int(1, 7);
      for (let k = 0; k < nPc; k++) {
        pc.push(
          null,
          id,
          "peer",
          index + int(0, 120),
          int(10, 60),
          rnd() < 0.85,
          "INDIVIDUAL",
          "PHONE",
          pick(["ED", "HOME_COMMUNITY", "RECOVERY_CENTER"]),
          pick(["ENGAGEMENT", "BRIEF_CHECKIN", "NAVIGATION;MOUD_LINKAGE"]),
          "H0038",
          int(1, 4),
          "F11.20",
        );
      }
    }
    // UDS: 5 %, 8 weekly visits × 2 analytes
    if (rnd() < 0.05) {
      for (let w = 0; w < 8; w++) {
        for (const a of ["OPIOID", "COCAINE"])
          uds.push(null, id, index + 7 * w, a, pick(["NEG", "NEG", "POS", null, "INVALID"]), false);
      }
    }
    // TLFB: 3 %, 30 days × 1 substance
    if (rnd() < 0.03) {
      for (let dd = 1; dd <= 30; dd++)
        du.push(id, index + dd, "OPIOID", rnd() < 0.1 ? null : rnd() < 0.3, "TLFB");
    }
    // BARC-10 and GPRA: 20 %
    if (rnd() < 0.2) {
      const items = () => Array.from({ length: 10 }, () => int(1, 6));
      asm.push(null, id, index, "BARC10", "INTAKE", null, null, null, ...items());
      asm.push(null, id, index + 182, "BARC10", "M6", null, null, null, ...items());
      asm.push(null, id, index, "GPRA", "INTAKE", 1, int(0, 30), int(0, 30));
      if (rnd() < 0.7) asm.push(null, id, index + int(150, 240), "GPRA", "M6", 2, int(0, 30), int(0, 30));
    }
  }
  const tables: MeasureTables = {
    persons: persons.table(),
    arms: arms.table(),
    observation_periods: obs.table(),
    index_events: idx.table(),
    encounters: enc.table(),
    medication_events: med.table(),
    peer_contacts: pc.table(),
    uds_results: uds.table(),
    daily_use: du.table(),
    assessments: asm.table(),
  };
  const events = enc.length + med.length + pc.length + uds.length + du.length + asm.length;
  const rows =
    persons.length +
    arms.length +
    obs.length +
    idx.length +
    enc.length +
    med.length +
    pc.length +
    uds.length +
    du.length +
    asm.length;
  return { tables, rows, events };
}

export interface MeasuresBenchResult {
  readonly nPeople: number;
  readonly rows: number;
  readonly events: number;
  readonly generateMs: number;
  readonly timingsMs: Readonly<Record<string, number>>;
  /** Process CPU time (user + system, all threads incl. GC) per measure — less sensitive to a busy machine. */
  readonly cpuMs: Readonly<Record<string, number>>;
  readonly totalMs: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
}

/** Times every measure on a synthetic cohort of nPeople (single run each, shared MeasureData). */
export function runMeasuresBench(
  nPeople = 1_000_000,
  loaded?: { readonly tables: MeasureTables; readonly dataEnd: string },
): MeasuresBenchResult {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const g0 = performance.now();
  const { tables, rows, events } =
    loaded === undefined ? makeBenchCohort(nPeople) : { ...loaded, ...countRows(loaded.tables) };
  const generateMs = performance.now() - g0;
  sample();
  const timings: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  const time = (name: string, f: () => unknown) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    timings[name] = performance.now() - t0;
    const c1 = process.cpuUsage(c0);
    cpu[name] = (c1.user + c1.system) / 1000;
    sample();
  };
  const dataEnd = loaded?.dataEnd ?? "2025-06-30";
  const vs = illustrativeValueSets();
  let data: MeasureData | null = null;
  time("MeasureData (intern person ids)", () => {
    data = MeasureData.from(tables);
  });
  const d = data as unknown as MeasureData;
  time("moudCoverage (neutral)", () => moudCoverage(d));
  time("pod", () => pod(d, { dataEnd }));
  time("nqf3175", () => nqf3175(d, { dataEnd }));
  time("moudRetention", () => moudRetention(d, { dataEnd }));
  time("programRetention (peer contacts)", () => programRetention(d, { source: "peer-contacts", dataEnd }));
  time("edUtilization", () => edUtilization(d, { dataEnd, excludeInstitutionalDays: true }));
  time("edRevisit", () => edRevisit(d, { dataEnd }));
  time("udsAbstinence", () => udsAbstinence(d));
  time("tlfb", () => tlfb(d));
  time("selfReportAbstinence", () => selfReportAbstinence(d));
  time("gpraFollowUp", () => gpraFollowUp(d, { reportDate: dataEnd }));
  time("recoveryCapital", () => recoveryCapital(d, { reliability: 0.9 }));
  time("fua", () => fua(d, vs, { dataEnd }));
  time("iet", () => iet(d, vs, { dataEnd }));
  time("peerDose", () => peerDose(d, { dataEnd }));
  const totalMs = Object.values(timings).reduce((a, b) => a + b, 0);
  return {
    nPeople: loaded === undefined ? nPeople : (tables.persons?.numRows() ?? 0),
    rows,
    events,
    generateMs,
    timingsMs: timings,
    cpuMs: cpu,
    totalMs,
    peakRssMb: peakRss / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20,
  };
}

/** Rows of all tables and of the event tables. */
function countRows(tables: MeasureTables): { rows: number; events: number } {
  let rows = 0;
  let events = 0;
  for (const [name, t] of Object.entries(tables)) {
    const n = (t as ColumnTable | undefined)?.numRows() ?? 0;
    rows += n;
    if (!["persons", "arms", "observation_periods", "index_events"].includes(name)) events += n;
  }
  return { rows, events };
}

if (process.argv[1]?.endsWith("measures.ts")) {
  const args = process.argv.slice(2);
  const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const dir = flag("--data");
  let loaded: { tables: MeasureTables; dataEnd: string } | undefined;
  if (dir !== undefined) {
    const t0 = performance.now();
    const { loadDataset } = await import("../src/io/load-dataset.js");
    const load = await loadDataset(dir);
    console.log(`loaded ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    loaded = { tables: load.dataset as MeasureTables, dataEnd: flag("--data-end") ?? "2024-12-31" };
  }
  const n = Number(args[0] !== undefined && !args[0].startsWith("--") ? args[0] : 1_000_000);
  const r = runMeasuresBench(n, loaded);
  console.log(
    `measures bench: ${r.nPeople.toLocaleString()} people, ${r.events.toLocaleString()} event rows, ${r.rows.toLocaleString()} rows in all (generated in ${(r.generateMs / 1000).toFixed(1)} s)`,
  );
  for (const [k, v] of Object.entries(r.timingsMs)) {
    console.log(
      `  ${k.padEnd(36)} ${(v / 1000).toFixed(2)} s wall, ${((r.cpuMs[k] ?? 0) / 1000).toFixed(2)} s CPU`,
    );
  }
  console.log(
    `  ${"TOTAL".padEnd(36)} ${(r.totalMs / 1000).toFixed(2)} s (target ≤ 30 s at 1,000,000 people)`,
  );
  console.log(`  peak RSS ${r.peakRssMb.toFixed(0)} MB, peak heap ${r.peakHeapMb.toFixed(0)} MB`);
}
