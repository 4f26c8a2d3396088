/**
 * Loading on two threads gives exactly what one thread gives: same tables (values, nulls, column
 * classes), same counts, checksums and issues in the same order. The worker really runs (it is asked
 * directly once), and tables linked by a foreign key stay on one thread.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tables } from "../../data-dictionary/index.js";
import { DatasetContext } from "../../src/dictionary/dataset-context.js";
import { IssueCollector } from "../../src/dictionary/issues.js";
import type { LoadResult } from "../../src/dictionary/load-result.js";
import { foreignKeyRows } from "../../src/dictionary/typed-columns.js";
import { loadDataset } from "../../src/io/load-dataset.js";
import { loadTableFile } from "../../src/io/load-table-file.js";
import { LoadWorker, splitTables } from "../../src/io/parallel-load.js";

const ROOT = join(import.meta.dirname, "..", "..");
const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

function comparable(r: LoadResult) {
  return {
    ok: r.ok,
    issues: r.issues,
    files: r.files,
    checksums: r.checksums,
    tables: Object.fromEntries(
      Object.entries(r.dataset).map(([name, t]) => [
        name,
        t?.columnNames().map((c) => [c, (t.column(c) as object).constructor.name, t.array(c)]),
      ]),
    ),
  };
}

/** A copy of the synthetic example with some rows broken (orphans, repeats, bad values, warnings). */
async function dirtyCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "prss-parallel-"));
  temps.push(dir);
  await cp(join(ROOT, "examples", "synthetic-ed"), dir, { recursive: true });
  for (const file of ["medication_events.csv", "peer_contacts.csv", "encounters.csv", "index_events.csv"]) {
    const lines = (await readFile(join(dir, file), "utf8")).split("\n");
    for (let i = 5; i < lines.length - 1; i += 97) lines[i] = (lines[i] as string).replace(",P", ",Q"); // orphan
    for (let i = 7; i < lines.length - 1; i += 131) lines.splice(i, 0, lines[i - 3] as string); // repeat
    for (let i = 9; i < lines.length - 1; i += 89)
      lines[i] = (lines[i] as string).replace(/-0(\d)-/, "-1$1-"); // bad dates
    await writeFile(join(dir, file), lines.join("\n"));
  }
  return dir;
}

describe("parallel load", () => {
  it("keeps foreign-key groups together and balances the rest by size", () => {
    const size: Record<string, number> = {
      encounters: 50,
      index_events: 10,
      medication_events: 45,
      peer_contacts: 30,
      uds_results: 25,
      arms: 5,
    };
    const names = Object.keys(size) as (keyof typeof tables)[];
    const split = splitTables(names, (n) => size[n] ?? 0);
    const side = (n: string) => (split.main.includes(n as never) ? "main" : "worker");
    expect(side("index_events")).toBe(side("encounters"));
    expect([...split.main, ...split.worker].sort()).toEqual([...names].sort());
    const total = (xs: readonly string[]) => xs.reduce((s, n) => s + (size[n] ?? 0), 0);
    expect(Math.abs(total(split.main) - total(split.worker))).toBeLessThanOrEqual(15);
  });

  it("the worker loads tables with the main thread's persons", async () => {
    const dir = join(ROOT, "examples", "synthetic-ed");
    const ctx = new DatasetContext();
    const issues = new IssueCollector(1000);
    await loadTableFile(dir, tables.persons as never, ctx, issues, null);
    await loadTableFile(dir, tables.observation_periods as never, ctx, issues, null);
    const worker = LoadWorker.start();
    expect(worker).not.toBeNull();
    try {
      const done = await (worker as LoadWorker).load({
        dir,
        tables: ["peer_contacts", "arms"],
        context: ctx.toParts(["persons"]),
        maxIssuesPerCode: 1000,
      });
      expect(done.tables.map((t) => t.name)).toEqual(["peer_contacts", "arms"]);
      expect(done.tables[0]?.count.accepted).toBeGreaterThan(1000);
      expect(done.issues.errors).toBe(0);
    } finally {
      await worker?.close();
    }
  });

  it("gives what one thread gives, on clean and dirty data", async () => {
    const clean = join(ROOT, "examples", "synthetic-ed");
    for (const [dir, maxIssuesPerCode] of [
      [clean, 1000],
      [await dirtyCopy(), 3],
    ] as const) {
      const one = await loadDataset(dir, { parallel: false, maxIssuesPerCode });
      const two = await loadDataset(dir, { parallel: true, maxIssuesPerCode });
      expect(comparable(two)).toEqual(comparable(one));
      if (dir !== clean) expect(one.issues.length).toBeGreaterThan(10);
      // Foreign keys of worker tables refer to the main thread's persons column.
      const persons = two.dataset.persons?.column("person_id");
      for (const t of ["medication_events", "peer_contacts", "uds_results", "arms"] as const) {
        const rows = foreignKeyRows(two.dataset[t] as never, "person_id");
        expect(rows, t).not.toBeNull();
        const column = two.dataset[t]?.column("person_id") as unknown as { parent: unknown } | undefined;
        expect(column?.parent).toBe(persons);
      }
    }
  });
});
