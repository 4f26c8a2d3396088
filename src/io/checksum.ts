/** SHA-256 checksums of input files, for the manifest of a load or an evaluation. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { Worker } from "node:worker_threads";

/** Lower-case hexadecimal SHA-256 of a file's bytes (streamed; constant memory). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The worker's code: plain JavaScript (no loader needed), hashing one file per message. */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { createReadStream } = require("node:fs");
parentPort.on("message", async ({ id, path }) => {
  try {
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk);
    parentPort.postMessage({ id, hex: hash.digest("hex") });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
});
`;

/**
 * Hashes files on a worker thread (SHA-256 of a 500 MB file is about half a second of CPU), so a
 * load can hash on the second core while it parses on the first. The worker reads the file itself
 * (from the page cache, as the parser has just read or is reading it). `close()` ends the worker.
 */
export class ChecksumWorker {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (hex: string) => void; reject: (e: Error) => void }
  >();

  /** SHA-256 (lower-case hex) of a file, computed on the worker (or here, if no worker can start). */
  sha256(path: string): Promise<string> {
    const worker = this.start();
    if (worker === null) return sha256File(path);
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref(); // keep the process alive while a checksum is pending
      worker.postMessage({ id, path });
    });
  }

  /** Ends the worker (pending checksums are rejected). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error("checksum worker closed"));
    this.pending.clear();
  }

  private start(): Worker | null {
    if (this.worker !== null) return this.worker;
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.unref();
      worker.on("message", (m: { id: number; hex?: string; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) worker.unref();
        if (m.hex !== undefined) p.resolve(m.hex);
        else p.reject(new Error(m.error ?? "checksum failed"));
      });
      worker.on("error", (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
        this.worker = null;
      });
      this.worker = worker;
      return worker;
    } catch {
      return null;
    }
  }
}
