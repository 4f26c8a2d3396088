/** SHA-256 checksums of input files, for the manifest of a load or an evaluation. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/** Lower-case hexadecimal SHA-256 of a file's bytes (streamed; constant memory). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
