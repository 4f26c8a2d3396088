/**
 * Load benchmark: writes N synthetic encounter rows (default 1,000,000), a persons file and one
 * observation period per person to a temporary folder, then loads and validates it with
 * `loadDataset` and reports rows/s, MB/s and peak resident memory.
 *
 * Run: `npx tsx bench/load.ts [rows]`. Targets: ≥ 500,000 rows/s and < 1 GiB peak RSS at 1M rows.
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatIsoDate, parseIsoDate } from "../src/dates.js";
import { loadDataset } from "../src/io/load-dataset.js";

/** Figures of one benchmark run. */
export interface LoadBenchResult {
  readonly rows: number;
  readonly persons: number;
  readonly bytes: number;
  readonly seconds: number;
  /** CPU time (user + system) of the load: less sensitive than wall time to a busy machine. */
  readonly cpuSeconds: number;
  readonly rowsPerSecond: number;
  readonly megabytesPerSecond: number;
  /** Peak resident set size of the process (includes writing the files, which streams). */
  readonly peakRssMiB: number;
  readonly heapUsedMiB: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly errors: number;
  readonly warnings: number;
  /**
   * CPU ms of one million `Map.set` calls with fresh string keys, measured in the same process: a
   * yardstick for how busy the machine's memory system is (about 150–250 ms on a quiet machine).
   */
  readonly calibrationMs: number;
}

/** CPU time of a fixed memory-bound task, to compare figures taken on machines of different load. */
function calibrate(): number {
  const c0 = process.cpuUsage();
  const m = new Map<string, number>();
  for (let i = 0; i < 1_000_000; i++) m.set(`E${i}`, i);
  const c = process.cpuUsage(c0);
  return m.size > 0 ? (c.user + c.system) / 1000 : 0;
}

/** Small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = [
  "ED",
  "INPATIENT_ACUTE",
  "OUTPATIENT",
  "TELEHEALTH",
  "OTP",
  "PEER",
  "RESIDENTIAL",
  "OBSERVATION",
];
const POS = ["23", "21", "11", "02", "57", "55", "22"];
const PROCS = ["99284", "99213;H0038", "H0020", "99285;96372", "", "G0396;99213", "H0038"];
const DX = ["F11.20", "F11.23", "T40.1X1A", "F10.20", "F15.20", "Z91.19"];
const DX_OTHER = ["", "F17.210", "F17.210;F32.9", "NA", "T40.411A;F11.20"];
const DISP = ["RELEASED", "ADMITTED", "", "TRANSFER", "LEFT"];

async function writeLines(
  path: string,
  header: string,
  n: number,
  line: (i: number) => string,
): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  let chunk = `${header}\n`;
  for (let i = 0; i < n; i++) {
    chunk += `${line(i)}\n`;
    if (chunk.length > 1 << 16) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await once(out, "finish");
  return bytes;
}

/** Writes the synthetic files, loads them, and returns the figures. */
export async function runLoadBench(rows = 1_000_000): Promise<LoadBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), "prss-load-bench-"));
  try {
    const persons = Math.max(1, Math.round(rows / 20));
    const base = parseIsoDate("2023-01-01") as number;
    const random = rng(20240601);
    let bytes = await writeLines(
      join(dir, "persons.csv"),
      "person_id,birth_date,sex,payer,death_date",
      persons,
      (i) => `P${i},${formatIsoDate(base - 9000 - (i % 9000))},${i % 2 ? "F" : "M"},MEDICAID,`,
    );
    bytes += await writeLines(
      join(dir, "observation_periods.csv"),
      "period_id,person_id,start_date,end_date,source",
      persons,
      (i) => `OP${i},P${i},${formatIsoDate(base)},${formatIsoDate(base + 729)},ENROLLMENT`,
    );
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
    bytes += await writeLines(
      join(dir, "encounters.csv"),
      "encounter_id,person_id,start_date,end_date,kind,pos,procedure_codes,dx_principal,dx_other,provider_id,provider_is_mh,disposition,lab_claim",
      rows,
      (i) => {
        const start = base + Math.floor(random() * 700);
        const stay = random() < 0.2;
        return [
          `E${i}`,
          `P${Math.floor(random() * persons)}`,
          formatIsoDate(start),
          stay ? formatIsoDate(start + Math.floor(random() * 10)) : "",
          pick(KINDS),
          pick(POS),
          pick(PROCS),
          pick(DX),
          pick(DX_OTHER),
          `DR${Math.floor(random() * 2000)}`,
          random() < 0.5 ? "1" : "0",
          pick(DISP),
          "0",
        ].join(",");
      },
    );
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const result = await loadDataset(dir, { tables: ["persons", "observation_periods", "encounters"] });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const totalRows = result.files.reduce((s, f) => s + f.read, 0);
    const enc = result.files.find((f) => f.table === "encounters");
    return {
      rows,
      persons,
      bytes,
      seconds,
      cpuSeconds,
      rowsPerSecond: totalRows / seconds,
      megabytesPerSecond: bytes / 1e6 / seconds,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
      accepted: enc?.accepted ?? 0,
      rejected: enc?.rejected ?? 0,
      errors: result.issues.filter((i) => i.severity === "error").length,
      warnings: result.issues.filter((i) => i.severity === "warning").length,
      calibrationMs: calibrate(),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const isEntry = process.argv[1] !== undefined && /bench[\\/]load\.ts$/.test(process.argv[1]);
if (isEntry) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const r = await runLoadBench(rows);
  console.log(
    `load ${r.rows} encounter rows (+${r.persons} persons, ${r.persons} periods), ${(r.bytes / 1e6).toFixed(1)} MB: ` +
      `${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s), ${Math.round(r.rowsPerSecond).toLocaleString("en-US")} rows/s, ` +
      `${r.megabytesPerSecond.toFixed(1)} MB/s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB, heap ${r.heapUsedMiB.toFixed(0)} MiB; ` +
      `accepted ${r.accepted}, rejected ${r.rejected}, errors ${r.errors}, warnings ${r.warnings}; ` +
      `calibration: 1M Map.set = ${r.calibrationMs.toFixed(0)} ms CPU`,
  );
}
