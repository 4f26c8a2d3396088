import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const tmp = mkdtempSync(join(tmpdir(), "prss-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("prss", () => {
  it("prints help and lists every command", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["validate", "synth", "evaluate", "report", "dictionary"]) expect(r.out).toContain(c);
  });
  it("has --help on every command", async () => {
    for (const c of ["validate", "synth", "evaluate", "report", "dictionary"]) {
      const r = await run([c, "--help"]);
      expect(r.code, c).toBe(0);
      expect(r.out.length, c).toBeGreaterThan(50);
    }
  });
  it("rejects an unknown command with exit 2 and no stack trace", async () => {
    const r = await run(["evaluat"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command "evaluat"/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
  it("evaluate: a wrong config gets located errors and exit 2", async () => {
    const cfg = join(tmp, "bad.json");
    writeFileSync(
      cfg,
      JSON.stringify({ data: "x", design: { kind: "matchd" }, outcomes: [{ measure: "daysToMoud" }] }),
    );
    const r = await run(["evaluate", cfg]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/design\.kind: .*randomized/);
    const notJson = join(tmp, "broken.json");
    writeFileSync(notJson, "{ data: ");
    const b = await run(["evaluate", notJson]);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/not valid JSON/);
  });
  it("evaluate: reads YAML configs, and points at the line of broken YAML", async () => {
    const cfg = join(tmp, "rct.yaml");
    writeFileSync(
      cfg,
      [
        "# randomized re-entry example",
        `data: ${join(process.cwd(), "examples/synthetic-rct")}`,
        "design:",
        "  kind: randomized",
        "outcomes:",
        "  - measure: edUtilization",
        "    windowDays: 180",
        "",
      ].join("\n"),
    );
    const r = await run(["evaluate", cfg, "--out", join(tmp, "yaml-out"), "--no-png", "--json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as { outcomes: { id: string }[] };
    expect(result.outcomes.map((o) => o.id)).toEqual(["ed-utilization"]);
    const broken = join(tmp, "broken.yml");
    writeFileSync(broken, "data: x\n  design: : [\n");
    const b = await run(["evaluate", broken]);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/not valid YAML: .*line 1/);
    const wrong = join(tmp, "wrong.yaml");
    writeFileSync(wrong, "data: x\ndesign: {kind: prePost}\noutcomes:\n  - measure: daysToMoud\n");
    const w = await run(["evaluate", wrong]);
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/outcomes\[0\]\.measure: .*no pre period/);
  }, 60_000);
  it("evaluate: a missing data folder is a clear error", async () => {
    const cfg = join(tmp, "nodata.json");
    writeFileSync(
      cfg,
      JSON.stringify({
        data: "does-not-exist",
        design: { kind: "descriptive" },
        outcomes: [{ measure: "daysToMoud" }],
      }),
    );
    const r = await run(["evaluate", cfg, "--out", join(tmp, "o")]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/does-not-exist/);
  });
  it("validate: exit 1 with grouped, located issues on bad data; 0 on the example", async () => {
    const bad = await run(["validate", "tests/fixtures/bad/orphans"]);
    expect(bad.code).toBe(1);
    expect(bad.out + bad.err).toMatch(/ORPHAN/);
    const good = await run(["validate", "examples/synthetic-ed", "--json"]);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out).ok).toBe(true);
  });
  it("dictionary: codebook, JSON Schema, and a clear error for an unknown table", async () => {
    expect((await run(["dictionary"])).out).toMatch(/^# prss-eval data dictionary/);
    const schema = await run(["dictionary", "--schema", "persons"]);
    expect(JSON.parse(schema.out).properties.person_id).toBeDefined();
    const bad = await run(["dictionary", "--schema", "people"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown table "people"/);
  });
});
