/**
 * loadDataset on the tiny valid dataset (every table) and on the hand-made bad fixtures. Expected
 * counts, codes and locations were worked out by hand from each fixture (see the comments there and
 * tests/fixtures/bad/README.md); day numbers come from JavaScript's Date.UTC, independent of src/dates.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LoadResult } from "../../src/dictionary/load-result.js";
import { DataFolderError, loadDataset } from "../../src/io/load-dataset.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");
const GOOD = join(FIXTURES, "good");
const bad = (name: string) => join(FIXTURES, "bad", name);

/** Day number of an ISO date through Date.UTC (an independent calendar implementation). */
const day = (iso: string) => {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 86_400_000;
};

const counts = (r: LoadResult) =>
  Object.fromEntries(r.files.map((f) => [f.file, [f.read, f.accepted, f.rejected]]));
const located = (r: LoadResult) =>
  r.issues
    .map((i) => [i.code, i.file, i.row, i.column] as const)
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const sorted = (xs: (readonly [string, string, number | null, string | null])[]) =>
  [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const temps: string[] = [];
async function tempDir(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "prss-load-test-"));
  temps.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

const PERSONS =
  "person_id,birth_date,sex,death_date\nP1,1980-01-01,F,\nP2,1975-05-05,M,\nP3,1990-09-09,X,2024-03-01\n";

describe("loadDataset: the valid fixture", async () => {
  const r = await loadDataset(GOOD);

  it("accepts every row of every table without an issue", () => {
    expect(r.ok).toBe(true);
    expect(r.issues).toEqual([]);
    expect(r.dictionaryVersion).toBe("1.0.0");
    expect(counts(r)).toEqual({
      "persons.csv": [3, 3, 0],
      "observation_periods.csv": [4, 4, 0],
      "encounters.csv": [4, 4, 0],
      "arms.csv": [3, 3, 0],
      "index_events.csv": [3, 3, 0],
      "medication_events.csv": [3, 3, 0],
      "peer_contacts.csv": [3, 3, 0],
      "uds_results.csv": [4, 4, 0],
      "daily_use.csv": [4, 4, 0],
      "assessments.csv": [4, 4, 0],
      "co_interventions.csv": [2, 2, 0],
    });
    expect(Object.keys(r.dataset).sort()).toEqual(r.files.map((f) => f.table).sort());
  });

  it("converts dates to day numbers (Int32Array when required) and missing codes to null", () => {
    const enc = r.dataset.encounters!;
    const start = enc.column("start_date") as unknown as Int32Array;
    expect(start).toBeInstanceOf(Int32Array);
    expect([...start]).toEqual(["2024-01-05", "2024-02-01", "2024-03-10", "2024-06-01"].map(day));
    expect(enc.array("end_date")).toEqual([null, day("2024-02-04"), day("2024-03-10"), null]);
    expect(r.dataset.persons!.array("death_date")).toEqual([null, null, day("2024-06-30")]);
    expect(r.dataset.persons!.array("birth_date")).toEqual([day("1985-03-14"), day("1990-07-01"), null]);
  });

  it("converts booleans, numbers, codes and lists by their dictionary entry", () => {
    const p = r.dataset.persons!;
    expect(p.array("justice_involved")).toEqual([false, true, null]);
    expect(p.array("death_cause")).toEqual([null, null, "OVERDOSE"]);
    const enc = r.dataset.encounters!;
    expect(enc.array("provider_is_mh")).toEqual([false, true, true, null]);
    expect(enc.array("pos")).toEqual(["23", "21", "11", "23"]);
    const lists = enc.array("procedure_codes") as (readonly string[] | null)[];
    expect(lists).toEqual([["99284"], null, ["99213", "H0038"], ["99285"]]);
    expect(Object.isFrozen(lists[0])).toBe(true);
    expect(enc.array("dx_other")).toEqual([["T40.1X1A", "F17.210"], null, null, null]);
    expect(r.dataset.arms!.array("weight")).toEqual([1, 1.5, 0]);
    expect(r.dataset.medication_events!.array("units")).toEqual([28, 1, null]);
    expect(r.dataset.peer_contacts!.array("activities")).toEqual([
      ["ENGAGEMENT", "WARM_HANDOFF"],
      ["BRIEF_CHECKIN"],
      null,
    ]);
  });

  it("turns GPRA -7/-8/-9 into null with a reason column", () => {
    const a = r.dataset.assessments!;
    expect(a.array("gpra_days_alcohol")).toEqual([null, null, 4, 0]);
    expect(a.array("gpra_days_drugs")).toEqual([null, null, null, null]);
    expect(a.array("gpra_days_drugs_missing_reason")).toEqual([null, null, "REFUSED", "MISSING"]);
    expect(a.array("item_10")).toEqual([6, 0, null, null]);
    expect(a.array("gpra_interview_type")).toEqual([null, null, 1, 2]);
  });

  it("records the SHA-256 of every file read", async () => {
    expect(Object.keys(r.checksums).sort()).toEqual(r.files.map((f) => f.file).sort());
    const bytes = await readFile(join(GOOD, "persons.csv"));
    expect(r.checksums["persons.csv"]).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(r.files.find((f) => f.file === "persons.csv")?.bytes).toBe(bytes.length);
  });

  it("loads only the requested tables, persons always", async () => {
    const only = await loadDataset(GOOD, { tables: ["encounters"] });
    expect(Object.keys(only.dataset).sort()).toEqual(["encounters", "persons"]);
    expect(only.ok).toBe(true);
  });
});

/** Every bad fixture: exact counts per file and exact located issues [code, file, row, column]. */
const BAD_CASES: Record<
  string,
  { counts: Record<string, number[]>; issues: (readonly [string, string, number | null, string | null])[] }
> = {
  "unbalanced-quotes": {
    counts: { "persons.csv": [3, 3, 0], "encounters.csv": [6, 4, 2] },
    issues: [
      ["PARSE_QUOTES", "encounters.csv", 2, null],
      ["PARSE_QUOTES", "encounters.csv", 4, null],
    ],
  },
  "field-count": {
    counts: { "persons.csv": [3, 3, 0], "encounters.csv": [4, 2, 2] },
    issues: [
      ["PARSE_TOO_MANY_FIELDS", "encounters.csv", 2, null],
      ["PARSE_TOO_FEW_FIELDS", "encounters.csv", 3, null],
    ],
  },
  "wrong-types": {
    counts: { "persons.csv": [3, 3, 0], "medication_events.csv": [8, 2, 6], "peer_contacts.csv": [5, 1, 4] },
    issues: [
      ["TYPE_INVALID", "medication_events.csv", 2, "days_supply"],
      ["TYPE_INVALID", "medication_events.csv", 3, "days_supply"],
      ["RANGE", "medication_events.csv", 4, "days_supply"],
      ["CODE_NOT_ALLOWED", "medication_events.csv", 5, "route"],
      ["TYPE_INVALID", "medication_events.csv", 5, "units"],
      ["RANGE", "medication_events.csv", 6, "units"],
      ["REQUIRED_MISSING", "medication_events.csv", 7, "person_id"],
      ["TYPE_INVALID", "peer_contacts.csv", 2, "start_time"],
      ["TYPE_INVALID", "peer_contacts.csv", 2, "completed"],
      ["TYPE_INVALID", "peer_contacts.csv", 3, "start_time"],
      ["TYPE_INVALID", "peer_contacts.csv", 3, "activities"],
      ["CODE_NOT_ALLOWED", "peer_contacts.csv", 4, "activities"],
      ["TYPE_INVALID", "peer_contacts.csv", 5, "peer_id"],
    ],
  },
  "impossible-dates": {
    counts: { "persons.csv": [3, 3, 0], "encounters.csv": [7, 2, 5] },
    issues: [2, 3, 4, 5, 6].map((row) => ["DATE_INVALID", "encounters.csv", row, "start_date"] as const),
  },
  "end-before-start": {
    counts: { "persons.csv": [3, 2, 1], "observation_periods.csv": [3, 1, 2], "encounters.csv": [3, 2, 1] },
    issues: [
      ["END_BEFORE_START", "persons.csv", 2, "death_date"],
      ["END_BEFORE_START", "observation_periods.csv", 2, "end_date"],
      ["ORPHAN", "observation_periods.csv", 3, "person_id"],
      ["END_BEFORE_START", "encounters.csv", 2, "end_date"],
    ],
  },
  "duplicate-keys": {
    counts: { "persons.csv": [4, 3, 1], "encounters.csv": [5, 3, 2], "daily_use.csv": [4, 3, 1] },
    issues: [
      ["DUPLICATE_KEY", "persons.csv", 3, "person_id"],
      ["DUPLICATE_KEY", "encounters.csv", 3, "encounter_id"],
      ["DUPLICATE_KEY", "encounters.csv", 4, "encounter_id"],
      ["DUPLICATE_KEY", "daily_use.csv", 3, "person_id+use_date+substance"],
    ],
  },
  orphans: {
    counts: { "persons.csv": [3, 2, 1], "encounters.csv": [4, 2, 2], "index_events.csv": [3, 2, 1] },
    issues: [
      ["DATE_INVALID", "persons.csv", 3, "birth_date"],
      ["ORPHAN", "encounters.csv", 2, "person_id"],
      ["ORPHAN", "encounters.csv", 3, "person_id"],
      ["ORPHAN", "index_events.csv", 2, "encounter_id"],
    ],
  },
  "missing-required-column": {
    counts: { "persons.csv": [3, 3, 0], "encounters.csv": [3, 0, 3] },
    issues: [
      ["MISSING_COLUMN", "encounters.csv", 0, "start_date"],
      ["UNKNOWN_COLUMN", "encounters.csv", 0, "note"],
    ],
  },
  "empty-file": {
    counts: { "persons.csv": [3, 3, 0], "encounters.csv": [0, 0, 0], "arms.csv": [0, 0, 0] },
    issues: [
      ["EMPTY_FILE", "encounters.csv", null, null],
      ["EMPTY_FILE", "arms.csv", null, null],
    ],
  },
  "header-only": {
    counts: { "persons.csv": [3, 3, 0], "observation_periods.csv": [0, 0, 0], "encounters.csv": [0, 0, 0] },
    issues: [],
  },
  bom: { counts: { "persons.csv": [2, 2, 0], "encounters.csv": [1, 1, 0] }, issues: [] },
  crlf: { counts: { "persons.csv": [2, 2, 0], "encounters.csv": [3, 3, 0] }, issues: [] },
  warnings: {
    counts: { "persons.csv": [3, 3, 0], "observation_periods.csv": [4, 4, 0], "encounters.csv": [6, 6, 0] },
    issues: [
      ["UNKNOWN_FILE", "notes.csv", null, null],
      ["AFTER_DEATH", "observation_periods.csv", 4, "start_date"],
      ["UNKNOWN_COLUMN", "encounters.csv", 0, "comment"],
      ["OUTSIDE_OBSERVATION", "encounters.csv", 3, "start_date"],
      ["OUTSIDE_OBSERVATION", "encounters.csv", 4, "start_date"],
      ["AFTER_DEATH", "encounters.csv", 6, "start_date"],
    ],
  },
  "instrument-items": {
    counts: { "persons.csv": [3, 3, 0], "assessments.csv": [7, 2, 5] },
    issues: [
      ["RANGE", "assessments.csv", 2, "item_01"],
      ["RANGE", "assessments.csv", 2, "item_02"],
      ["ITEM_NOT_IN_INSTRUMENT", "assessments.csv", 3, "item_11"],
      ["RANGE", "assessments.csv", 4, "item_10"],
      ["ITEM_NOT_IN_INSTRUMENT", "assessments.csv", 5, "item_29"],
      ["RANGE", "assessments.csv", 6, "gpra_days_alcohol"],
    ],
  },
  "no-persons": { counts: {}, issues: [["MISSING_TABLE", "persons.csv", null, null]] },
};

describe("loadDataset: bad fixtures give located issues and lose no good row", () => {
  for (const [name, expected] of Object.entries(BAD_CASES)) {
    it(name, async () => {
      const r = await loadDataset(bad(name));
      expect(counts(r)).toEqual(expected.counts);
      expect(located(r)).toEqual(sorted(expected.issues));
      for (const f of r.files) expect(f.read, f.file).toBe(f.accepted + f.rejected);
      for (const f of r.files) {
        const table = r.dataset[f.table];
        expect(table?.numRows(), f.file).toBe(f.accepted);
      }
      const errors = r.issues.filter((i) => i.severity === "error").length;
      expect(r.ok).toBe(errors === 0);
      for (const issue of r.issues) {
        expect(issue.message.length, issue.code).toBeGreaterThan(0);
        expect(issue.rule.length, issue.code).toBeGreaterThan(0);
      }
    });
  }

  it("locates rows by physical line too (a quoted line break shifts the lines)", async () => {
    const r = await loadDataset(bad("unbalanced-quotes"));
    expect(r.issues.map((i) => [i.row, i.line])).toEqual([
      [2, 3],
      [4, 5],
    ]);
    expect(r.dataset.encounters!.array("encounter_id")).toEqual(["E1", "E3", "E5", "E6"]);
    expect(r.dataset.encounters!.array("pos")).toEqual(["23", "11", "2,3", "21"]);
  });

  it("reads a BOM file and CRLF endings without stray characters", async () => {
    const b = await loadDataset(bad("bom"));
    expect(b.dataset.persons!.columnNames()).toContain("person_id");
    expect(b.dataset.persons!.array("person_id")).toEqual(["P1", "P2"]);
    const c = await loadDataset(bad("crlf"));
    const enc = c.dataset.encounters!;
    expect(enc.array("end_date")).toEqual([null, day("2024-01-07"), null]);
    expect(enc.array("pos")).toEqual(["23", "21", "line one\r\nline two"]);
    expect(enc.array("dx_other")).toEqual([["F11.20", "F17.210"], null, null]);
    expect(c.dataset.persons!.array("sex")).toEqual(["F", "M"]);
  });

  it("keeps the first of duplicated keys and names its row", async () => {
    const r = await loadDataset(bad("duplicate-keys"));
    expect(r.dataset.encounters!.array("person_id")).toEqual(["P1", "P2", "P3"]);
    const dup = r.issues.find((i) => i.file === "daily_use.csv");
    expect(dup?.value).toBe("P1,2024-01-01,OPIOID");
    expect(dup?.message).toContain("row 1");
  });

  it("says when an orphan's parent row was rejected", async () => {
    const r = await loadDataset(bad("orphans"));
    const [unknown, rejected] = r.issues.filter((i) => i.code === "ORPHAN" && i.file === "encounters.csv");
    expect(unknown?.message).toBe("no persons row has person_id P9");
    expect(rejected?.message).toContain("(row 3) was rejected");
  });

  it("rejects every row of a file with a missing required column, with one issue", async () => {
    const r = await loadDataset(bad("missing-required-column"));
    expect(r.issues.filter((i) => i.code === "MISSING_COLUMN")).toHaveLength(1);
    expect(r.dataset.encounters!.numRows()).toBe(0);
    expect(r.dataset.encounters!.columnNames()).toContain("start_date");
  });

  it("stops after persons.csv when it is absent or empty", async () => {
    const absent = await loadDataset(bad("no-persons"));
    expect(absent.ok).toBe(false);
    expect(absent.dataset).toEqual({});
    const dir = await tempDir({
      "persons.csv": "",
      "encounters.csv": "encounter_id,person_id,start_date,kind\nE1,P1,2024-01-01,ED\n",
    });
    const empty = await loadDataset(dir);
    expect(counts(empty)).toEqual({ "persons.csv": [0, 0, 0] });
    expect(located(empty)).toEqual([["EMPTY_FILE", "persons.csv", null, null]]);
  });
});

describe("loadDataset: options and hard inputs", () => {
  it("strict mode: any error empties the dataset but every issue is returned", async () => {
    const lenient = await loadDataset(bad("wrong-types"));
    const strict = await loadDataset(bad("wrong-types"), { strict: true });
    expect(strict.ok).toBe(false);
    expect(strict.dataset).toEqual({});
    expect(strict.issues).toEqual(lenient.issues);
    expect(strict.files).toEqual(lenient.files);
    const warningsOnly = await loadDataset(bad("warnings"), { strict: true });
    expect(warningsOnly.ok).toBe(true);
    expect(warningsOnly.dataset.encounters!.numRows()).toBe(6);
  });

  it("survives a 1 MB field: a located FIELD_TOO_LONG, the value truncated, other rows kept", async () => {
    const big = "x".repeat(1 << 20);
    const dir = await tempDir({
      "persons.csv": PERSONS,
      "encounters.csv": `encounter_id,person_id,start_date,kind,pos,dx_principal\nE1,P1,2024-01-01,ED,23,F11.20\nE2,P1,2024-01-02,ED,${big},F11.20\nE3,P2,${big},ED,11,"${big}"\nE4,P2,2024-01-04,ED,11,F10.20\n`,
    });
    const r = await loadDataset(dir);
    expect(counts(r)["encounters.csv"]).toEqual([4, 2, 2]);
    expect(located(r)).toEqual(
      sorted([
        ["FIELD_TOO_LONG", "encounters.csv", 2, "pos"],
        ["FIELD_TOO_LONG", "encounters.csv", 3, "start_date"],
        ["FIELD_TOO_LONG", "encounters.csv", 3, "dx_principal"],
      ]),
    );
    const issue = r.issues[0]!;
    expect(issue.value).toBe(`${"x".repeat(200)}…`);
    expect(issue.message).toContain(String(1 << 20));
    expect(r.dataset.encounters!.array("encounter_id")).toEqual(["E1", "E4"]);
  });

  it("lists at most maxIssuesPerCode issues per file and code, with exact counts", async () => {
    const rows = Array.from({ length: 7 }, (_, i) => `E${i},P1,2024-02-3${i % 2},ED`).join("\n");
    const dir = await tempDir({
      "persons.csv": PERSONS,
      "encounters.csv": `encounter_id,person_id,start_date,kind\n${rows}\n`,
    });
    const r = await loadDataset(dir, { maxIssuesPerCode: 2 });
    expect(r.issues.filter((i) => i.code === "DATE_INVALID")).toHaveLength(2);
    expect(r.files.find((f) => f.file === "encounters.csv")?.issueCounts).toEqual({ DATE_INVALID: 7 });
    const truncated = r.issues.filter((i) => i.code === "ISSUES_TRUNCATED");
    expect(truncated).toHaveLength(1);
    expect(truncated[0]?.message).toContain("7 DATE_INVALID");
    expect(counts(r)["encounters.csv"]).toEqual([7, 0, 7]);
  });

  it("warns once when a foreign key's table is not loaded", async () => {
    const r = await loadDataset(GOOD, { tables: ["index_events"] });
    expect(located(r)).toEqual([["FK_NOT_CHECKED", "index_events.csv", 1, "encounter_id"]]);
    expect(r.ok).toBe(true);
    expect(r.dataset.index_events!.numRows()).toBe(3);
  });

  it("rejects a header that names a column twice", async () => {
    const dir = await tempDir({ "persons.csv": "person_id,sex,sex\nP1,F,M\nP2,M,M\n" });
    const r = await loadDataset(dir);
    expect(located(r)).toEqual([["DUPLICATE_COLUMN", "persons.csv", 0, "sex"]]);
    expect(counts(r)).toEqual({ "persons.csv": [2, 0, 2] });
  });

  it("reports invalid UTF-8 and keeps the rows", async () => {
    const bytes = Buffer.concat([
      Buffer.from("person_id,sex\nP"),
      Buffer.from([0xff]),
      Buffer.from("1,F\nP2,M\n"),
    ]);
    const r = await loadDataset(await tempDir({ "persons.csv": bytes }));
    expect(located(r)).toEqual([["ENCODING_INVALID", "persons.csv", null, null]]);
    expect(r.dataset.persons!.array("person_id")).toEqual(["P\uFFFD1", "P2"]);
  });

  it("throws DataFolderError for a folder that does not exist", async () => {
    await expect(loadDataset(join(FIXTURES, "no-such-folder"))).rejects.toBeInstanceOf(DataFolderError);
    await expect(loadDataset(join(GOOD, "persons.csv"))).rejects.toThrow(/not a folder/);
  });

  it("does not depend on row order (shuffled rows give the same accepted set)", async () => {
    const text = await readFile(join(GOOD, "encounters.csv"), "utf8");
    const [header, ...rows] = text.trimEnd().split("\n");
    const dir = await tempDir({
      "persons.csv": await readFile(join(GOOD, "persons.csv")),
      "encounters.csv": `${header}\n${[...rows].reverse().join("\n")}\n`,
    });
    const r = await loadDataset(dir);
    const good = await loadDataset(GOOD, { tables: ["encounters"] });
    expect([...r.dataset.encounters!.array("encounter_id")].sort()).toEqual(
      [...good.dataset.encounters!.array("encounter_id")].sort(),
    );
    expect(r.ok).toBe(true);
  });
});
