/**
 * Load benchmark on an existing data folder (e.g. one written by `prss synth --n 1000000`): loads and
 * validates it with `loadDataset` and reports rows per table, wall and CPU time (all threads), rows/s,
 * peak RSS and the size of the loaded tables.
 *
 * Run: `npx tsx bench/load-folder.ts DIR [--sequential] [--sizes]`. `--sequential` loads on one thread
 * (the default loads a folder of ≥ 256 MB on two). Figures on a shared machine are indicative: the
 * load average is printed with them.
 */
import { loadavg } from "node:os";
import { loadDataset } from "../src/io/load-dataset.js";

/** Bytes of a loaded column's storage (typed arrays and key bytes; dictionary values not counted). */
function storageBytes(column: unknown): number {
  let bytes = 0;
  const c = column as Record<string, unknown>;
  for (const v of [column, c.data, c.index, c.bytes, c.offsets]) {
    if (ArrayBuffer.isView(v)) bytes += v.byteLength;
  }
  return bytes;
}

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith("--"));
if (dir === undefined) {
  console.error("usage: npx tsx bench/load-folder.ts DIR [--sequential] [--sizes]");
  process.exit(2);
}
const load0 = loadavg()[0] as number;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await loadDataset(dir, { parallel: args.includes("--sequential") ? false : "auto" });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const rows = r.files.reduce((a, f) => a + f.read, 0);
const bytes = r.files.reduce((a, f) => a + f.bytes, 0);
for (const f of r.files) {
  const t = r.dataset[f.table];
  const size = t ? t.columnNames().reduce((a, c) => a + storageBytes(t.column(c)), 0) : 0;
  console.log(
    `  ${f.file.padEnd(26)} ${String(f.read).padStart(10)} rows  ${(f.bytes / 1e6).toFixed(0).padStart(5)} MB  → ${(size / 2 ** 20).toFixed(0).padStart(4)} MiB loaded${
      args.includes("--sizes") && t
        ? `  (${t
            .columnNames()
            .map((c) => `${c} ${(storageBytes(t.column(c)) / 2 ** 20).toFixed(0)}`)
            .join(", ")})`
        : ""
    }`,
  );
}
console.log(
  `load ${rows.toLocaleString("en-US")} rows, ${(bytes / 1e6).toFixed(0)} MB: ${seconds.toFixed(1)} s wall, ` +
    `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (all threads), ${Math.round(rows / seconds).toLocaleString("en-US")} rows/s, ` +
    `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; ${r.issues.length} issues listed; ` +
    `load average ${load0.toFixed(1)} → ${(loadavg()[0] as number).toFixed(1)}`,
);
