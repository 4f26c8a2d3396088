/** SHA-256 of files against the FIPS 180-2 test vectors ("abc" and the empty message). */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sha256File } from "../../src/io/checksum.js";
import { streamCsvFile } from "../../src/io/read-csv-file.js";

describe("sha256File", () => {
  it("matches the FIPS 180-2 test vectors", async () => {
    const dir = await mkdtemp(join(tmpdir(), "prss-sha-"));
    try {
      await writeFile(join(dir, "abc"), "abc");
      await writeFile(join(dir, "empty"), "");
      expect(await sha256File(join(dir, "abc"))).toBe(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      );
      expect(await sha256File(join(dir, "empty"))).toBe(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      );
      const stats = await streamCsvFile(join(dir, "abc"), () => ({ record: () => {}, malformed: () => {} }));
      expect(stats).toEqual({
        bytes: 3,
        sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        bom: false,
        invalidUtf8: false,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
