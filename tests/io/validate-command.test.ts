/** `prss validate`: exit codes, text and JSON output, usage errors without stack traces. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateCommand } from "../../src/cli/validate.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await validateCommand(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("validateCommand", () => {
  it("exits 0 on a valid folder and prints per-file counts", async () => {
    const r = await run([join(FIXTURES, "good")]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/encounters\.csv\s+4\s+4\s+0/);
    expect(r.out).toContain("OK: no errors");
    expect(r.err).toBe("");
  });

  it("exits 0 with warnings only, and lists them", async () => {
    const r = await run([join(FIXTURES, "bad", "warnings"), "--strict"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("WARNING AFTER_DEATH (2)");
    expect(r.out).toContain("encounters.csv:6:start_date (line 7)");
  });

  it("exits 1 on errors, grouping issues by rule with locations", async () => {
    const r = await run([join(FIXTURES, "bad", "impossible-dates")]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("ERROR DATE_INVALID (5)");
    expect(r.out).toContain('encounters.csv:2:start_date (line 3) value "2024-02-30"');
    expect(r.out).toContain("FAILED: 5 error(s), 0 warning(s).");
  });

  it("prints machine-readable JSON with --json", async () => {
    const r = await run([join(FIXTURES, "bad", "field-count"), "--json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as {
      ok: boolean;
      errors: number;
      files: { file: string; read: number; accepted: number; rejected: number }[];
      issues: { code: string; row: number }[];
      checksums: Record<string, string>;
    };
    expect(report.ok).toBe(false);
    expect(report.errors).toBe(2);
    expect(report.files.find((f) => f.file === "encounters.csv")).toMatchObject({
      read: 4,
      accepted: 2,
      rejected: 2,
    });
    expect(report.issues.map((i) => [i.code, i.row])).toEqual([
      ["PARSE_TOO_MANY_FIELDS", 2],
      ["PARSE_TOO_FEW_FIELDS", 3],
    ]);
    expect(Object.keys(report.checksums).sort()).toEqual(["encounters.csv", "persons.csv"]);
  });

  it("exits 2 with one clear line for usage errors", async () => {
    for (const argv of [[], ["--bogus", "x"], ["a", "b"], [join(FIXTURES, "does-not-exist")]]) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err).toMatch(/^prss validate: /);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out).toBe("");
    }
  });

  it("prints help with --help", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: prss validate DIR [--strict] [--json]");
  });
});
