import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { synthCommand } from "../../src/cli/synth.js";
import { CONTRACT_HEADERS } from "./contract.js";

const root = await mkdtemp(join(tmpdir(), "prss-synth-cli-"));
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await synthCommand(argv, {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
  });
  return { code, out, err };
}

describe("prss synth (CLI)", () => {
  it("writes the eleven tables and truth.json; same arguments → byte-identical files", async () => {
    const a = join(root, "a");
    const b = join(root, "b");
    const args = ["--n", "120", "--seed", "5", "--design", "rct", "--truth-samples", "500"];
    const ra = await run([...args, "--out", a]);
    expect(ra.code).toBe(0);
    expect(ra.err).toBe("");
    expect(ra.out).toContain("120 people");
    const rb = await run([...args, `--out=${b}`, "--json"]);
    expect(rb.code).toBe(0);
    const summary = JSON.parse(rb.out) as { files: { table: string; rows: number; bytes: number }[] };
    expect(summary.files.map((f) => f.table).sort()).toEqual(Object.keys(CONTRACT_HEADERS).sort());
    const names = (await readdir(a)).sort();
    expect(names).toEqual([...Object.keys(CONTRACT_HEADERS).map((t) => `${t}.csv`), "truth.json"].sort());
    for (const name of names) {
      expect(await readFile(join(b, name), "utf8"), name).toBe(await readFile(join(a, name), "utf8"));
    }
    for (const f of summary.files) {
      const text = await readFile(join(b, `${f.table}.csv`), "utf8");
      expect(text.split("\n")[0]).toBe(CONTRACT_HEADERS[f.table]!.join(","));
      expect(text.trimEnd().split("\n").length - 1).toBe(f.rows);
      expect(Buffer.byteLength(text)).toBe(f.bytes);
    }
    const truth = JSON.parse(await readFile(join(a, "truth.json"), "utf8"));
    expect(truth.seed).toBe(5);
    expect(truth.options.design).toBe("rct");
    expect(truth.trueEffects.moudHazardRatio.value).toBe(1.5);
    expect(truth.generator.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("passes the true effects and dirty fraction through to truth.json", async () => {
    const dir = join(root, "effects");
    const r = await run([
      "--n",
      "50",
      "--seed",
      "1",
      "--out",
      dir,
      "--moud-hr",
      "2",
      "--ed-rr",
      "0.5",
      "--barc-effect",
      "3",
      "--dirty",
      "0.5",
      "--truth-samples",
      "0",
    ]);
    expect(r.code).toBe(0);
    const truth = JSON.parse(await readFile(join(dir, "truth.json"), "utf8"));
    expect(truth.trueEffects.moudHazardRatio.value).toBe(2);
    expect(truth.trueEffects.edRateRatio.value).toBe(0.5);
    expect(truth.trueEffects.barcChangeEffect.value).toBe(3);
    expect(truth.dirty.fraction).toBe(0.5);
    expect(truth.derived).toBeNull();
  });

  it("--help prints the usage and exits 0", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: prss synth");
  });

  it.each([
    [["--seed", "1", "--out", "x"], "--n is required"],
    [["--n", "10", "--out", "x"], "--seed is required"],
    [["--n", "10", "--seed", "1"], "--out is required"],
    [["--n", "ten", "--seed", "1", "--out", "x"], "--n must be a number"],
    [["--n", "1.5", "--seed", "1", "--out", "x"], "--n must be an integer"],
    [["--n", "10", "--seed", "1", "--out", "x", "--design", "trial"], "--design must be"],
    [["--n", "10", "--seed", "1", "--out", "x", "--frobnicate"], "unknown argument"],
    [["--n", "10", "--seed", "1", "--out"], "--out needs a value"],
    [["--n", "10", "--n", "11", "--seed", "1", "--out", "x"], "given twice"],
    [["--n", "0", "--seed", "1", "--out", "x"], "n must be an integer in"],
    [["--n", "10", "--seed", "1", "--out", "x", "--dirty", "2"], "dirty must be a fraction"],
    [["--n", "10", "--seed", "1", "--out", "x", "--moud-hr", "0"], "moudHazardRatio must be a positive"],
  ])("usage error %j → exit 2 with a clear message and no stack trace", async (argv, message) => {
    const r = await run(argv.map((a) => (a === "x" ? join(root, "never") : a)));
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe("");
  });

  it("--out that is a file → exit 2", async () => {
    const file = join(root, "a-file");
    await writeFile(file, "x");
    const r = await run(["--n", "5", "--seed", "1", "--out", file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("not a directory");
  });
});
