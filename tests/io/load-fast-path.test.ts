/**
 * The loader's fast path (quote-free lines validated from field ranges, `TableLoader.recordLine`) must
 * give exactly what the general path gives. Reference: the same data with every field of every
 * quote-free line wrapped in double quotes — by RFC 4180 the same fields, but such lines go through the
 * quoted-field splitter and `TableLoader.record`. Issues, counts and the loaded columns must be equal.
 */
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LoadResult } from "../../src/dictionary/load-result.js";
import { loadDataset } from "../../src/io/load-dataset.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

async function tempDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "prss-fast-path-"));
  temps.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

/** Quotes every field of every non-blank line without a quote character (header excluded). */
function quoteAll(text: string): string {
  const lines = text.split("\n");
  return lines
    .map((l, i) => {
      const body = l.endsWith("\r") ? l.slice(0, -1) : l;
      if (i === 0 || body.length === 0 || body.includes('"')) return l;
      const quoted = body
        .split(",")
        .map((f) => `"${f}"`)
        .join(",");
      return l.endsWith("\r") ? `${quoted}\r` : quoted;
    })
    .join("\n");
}

/** A copy of a folder, its CSV lines quoted by `quoteAll` when `quote` is true. */
async function copyOf(dir: string, quote: boolean): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), "prss-fast-path-q-"));
  temps.push(out);
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if (!(await stat(path)).isFile()) continue;
    if (!quote || !name.endsWith(".csv")) {
      await cp(path, join(out, name));
      continue;
    }
    const bytes = await readFile(path);
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const text = bytes.toString("utf8");
    await writeFile(join(out, name), (bom ? "\uFEFF" : "") + quoteAll(bom ? text.slice(1) : text));
  }
  return out;
}

/** Everything except byte sizes and checksums (which differ by construction). */
function comparable(r: LoadResult, dir: string) {
  return {
    ok: r.ok,
    // Messages may name the data folder.
    issues: r.issues.map((i) => ({ ...i, message: i.message.replaceAll(dir, "<dir>") })),
    files: r.files.map((f) => ({ ...f, bytes: 0 })),
    dataset: Object.fromEntries(Object.entries(r.dataset).map(([name, table]) => [name, table?.objects()])),
  };
}

async function expectSameAsQuoted(dir: string): Promise<LoadResult> {
  const fastDir = await copyOf(dir, false);
  const slowDir = await copyOf(dir, true);
  const fast = await loadDataset(fastDir);
  const slow = await loadDataset(slowDir);
  expect(comparable(fast, fastDir)).toEqual(comparable(slow, slowDir));
  return fast;
}

describe("loader fast path = general path", () => {
  it("on the valid fixture", async () => {
    await expectSameAsQuoted(join(FIXTURES, "good"));
  });

  it("on every bad fixture", async () => {
    for (const name of await readdir(join(FIXTURES, "bad"))) {
      const dir = join(FIXTURES, "bad", name);
      if (!(await stat(dir)).isDirectory()) continue;
      await expectSameAsQuoted(dir);
    }
  });

  it("on rows built to hit each fast-path branch", async () => {
    const header =
      "encounter_id,person_id,start_date,end_date,kind,pos,procedure_codes,dx_principal,dx_other,provider_id,provider_is_mh,disposition,lab_claim";
    const rows = [
      "E1,P1,2024-01-05,,ED,23,99284,F11.20,T40.1X1A;F17.210,DR1,0,RELEASED,0",
      "E2,P1,2024-01-06,,ED,23,99284,F11.20,T40.1X1A;F17.210,DR1,0,RELEASED,0", // cache hits
      "E3,P9,2024-01-05,,ED,23,,,,,,,0", // orphan
      "E4,P4,2024-01-05,,ED,23,,,,,,,0", // parent row rejected
      "E5, P1,2024-01-05,,ED,23,,,,,,,0", // white space before an id
      "E6,P1 ,2024-01-05,,ED,23,,,,,,,0", // white space after an id
      "E7,NA,2024-01-05,,ED,23,,,,,,,0", // missing required FK
      "E8,,2024-01-05,,ED,23,,,,,,,0", // empty required FK
      "E9,P1,2024-02-30,,ED,23,,,,,,,0", // not a calendar date
      "E10,P1,2024-1-5,,ED,23,,,,,,,0", // not ISO
      "E11,P1,2024-01-05,2024-01-04,ED,23,,,,,,,0", // end before start
      "E12,P1,2024-01-05,,XX,23,,,,,,,0", // code not allowed
      "E13,P1,2024-01-05,,ED,23,99284;;H0038,,,,,,0", // empty list element
      "E14,P1,2024-01-05,,ED,23,,,,,2,,0", // not a bool
      "E1,P1,2024-01-07,,ED,23,,,,,,,0", // duplicate key
      "E15,P1,2024-01-05,,ED,23,,,,,,,0,extra", // too many fields
      "E16,P1,2024-01-05,,ED", // too few fields
      "E17,P3,2024-05-01,,ED,23,,,,,,,0", // after death, outside observation
      "E18,P2,2023-05-01,2023-05-02,OUTPATIENT,11,,,,,1,,true", // outside observation
      "E19,P2,2024-05-01,NA,OUTPATIENT,11,,,NA,DR2,NA,NA,NA",
      "E20,P1,2024-01-05,,ED,23,,,,,,,0\r", // CRLF line
      `E21,${"P".repeat(300)},2024-01-05,,ED,23,,,,,,,0`, // id too long
      "E22,P1,2024-01-05,,ED,23,,,,DR1 ,,,0", // non-FK id with white space
      "E23,P1,2024-01-05,,ED,23,,,,DR1,,,0",
    ];
    const dir = await tempDir({
      "persons.csv":
        "person_id,birth_date,sex,death_date\nP1,1980-01-01,F,\nP2,1975-05-05,M,\nP3,1990-09-09,X,2024-03-01\nP4,1990-02-30,F,\n",
      "observation_periods.csv":
        "period_id,person_id,start_date,end_date,source\nOP1,P1,2024-01-01,2024-12-31,ENROLLMENT\nOP2,P2,2024-01-01,2024-06-30,PROGRAM\n",
      "encounters.csv": `${header}\n${rows.join("\n")}\n`,
    });
    const r = await expectSameAsQuoted(dir);
    // The rows above do produce the issues they were written for (so the comparison is not vacuous).
    const codes = new Set(r.issues.map((i) => i.code));
    for (const code of [
      "ORPHAN",
      "TYPE_INVALID",
      "REQUIRED_MISSING",
      "DATE_INVALID",
      "CODE_NOT_ALLOWED",
      "DUPLICATE_KEY",
      "PARSE_TOO_MANY_FIELDS",
      "PARSE_TOO_FEW_FIELDS",
      "AFTER_DEATH",
      "OUTSIDE_OBSERVATION",
      "FIELD_TOO_LONG",
    ]) {
      expect(codes, code).toContain(code);
    }
  });

  it("on a file of several read chunks mixing every kind of line (quotes across chunk ends, non-ASCII, CRLF, repeats)", async () => {
    // Deterministic generator: ~3 MB of encounters (the reader takes 1 MiB at a time), with quoted
    // fields (some spanning lines), non-ASCII text, CRLF endings, blank lines, repeated keys, and
    // more than 32,768 distinct providers (dictionary storage widens twice).
    let seed = 12345;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const persons = ["person_id,birth_date,sex,death_date"];
    for (let p = 0; p < 500; p++) persons.push(`P${p},1980-01-01,F,${p % 50 === 7 ? "2024-03-01" : ""}`);
    const lines = [
      "encounter_id,person_id,start_date,end_date,kind,pos,procedure_codes,dx_principal,dx_other,provider_id,provider_is_mh,disposition,lab_claim",
    ];
    for (let i = 0; i < 40_000; i++) {
      const r = rnd();
      const person = `P${Math.floor(i / 80)}`;
      const id = r < 0.01 ? `E${Math.max(0, i - 5)}` : `E${i}`; // 1 % repeat an earlier key
      const day = 1 + Math.floor(rnd() * 28);
      const start = `2024-0${1 + Math.floor(rnd() * 9)}-${String(day).padStart(2, "0")}`;
      const provider = r < 0.02 ? `"DR,${i}"` : r < 0.03 ? `Dr Müller ${i}` : `DR${i}`;
      const pos = r > 0.99 ? '"multi\nline"' : "23";
      const end = r > 0.5 && r < 0.6 ? start : "";
      const dx = r > 0.7 && r < 0.72 ? "F11.20;;X" : "T40.1X1A;F17.210";
      const mh = r > 0.3 && r < 0.4 ? "NA" : r < 0.5 ? "1" : "0";
      const eol = r > 0.95 ? "\r" : "";
      lines.push(
        `${id},${person},${start},${end},ED,${pos},99284,F11.20,${dx},${provider},${mh},RELEASED,0${eol}`,
      );
      if (r > 0.97 && r < 0.975) lines.push("");
    }
    const dir = await tempDir({
      "persons.csv": `${persons.join("\n")}\n`,
      "encounters.csv": `${lines.join("\n")}\n`,
    });
    const r = await expectSameAsQuoted(dir);
    const enc = r.files.find((f) => f.table === "encounters");
    expect(enc?.bytes).toBeGreaterThan(2.5 * 2 ** 20);
    expect(enc?.issueCounts.DUPLICATE_KEY).toBeGreaterThan(100);
    expect(enc?.issueCounts.TYPE_INVALID).toBeGreaterThan(100);
    expect(enc?.issueCounts.AFTER_DEATH).toBeGreaterThan(100);
    expect(enc?.accepted).toBeGreaterThan(38_000);
    expect(
      r.dataset.encounters?.array("provider_id").filter((p) => String(p).startsWith("Dr Mü")).length,
    ).toBeGreaterThan(100);
  });
});
