/**
 * The shipped example datasets are reproducible from the commands in their READMEs (as
 * vega-lite checks examples/compiled): regenerate in memory and compare bytes.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateCohortText, SYNTH_TABLES, type SynthOptions } from "../../src/synth/index.js";

const EXAMPLES: [string, SynthOptions][] = [
  ["examples/synthetic-ed", { n: 2500, seed: 20240501 }],
  ["examples/synthetic-rct", { n: 2000, seed: 20240502, design: "rct" }],
];

describe.each(EXAMPLES)("%s", (dir, options) => {
  it("is what its README command generates (CSV bytes, options and true effects)", async () => {
    const r = await generateCohortText({ ...options, truthSamples: 0 });
    for (const t of SYNTH_TABLES) {
      expect(await readFile(join(dir, `${t}.csv`), "utf8"), `${t}.csv`).toBe(r.files[t]);
    }
    const shipped = JSON.parse(await readFile(join(dir, "truth.json"), "utf8"));
    expect(shipped.seed).toBe(options.seed);
    expect({ ...shipped.options, truthSamples: 0 }).toEqual(JSON.parse(JSON.stringify(r.options)));
    expect(shipped.rowCounts).toEqual(r.rowCounts);
    expect(shipped.trueEffects).toEqual(JSON.parse(JSON.stringify(r.truth.trueEffects)));
    expect(shipped.derived.samples).toBe(100_000);
  });
});
