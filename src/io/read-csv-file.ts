/**
 * Streams a CSV file from disk through the record splitter in one pass: bytes are hashed (SHA-256) as
 * they are read, decoded as UTF-8 (a leading byte-order mark is removed; invalid bytes become U+FFFD
 * and are reported), and split into records. Memory stays bounded by the chunk size and the longest
 * record.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { type CsvRecordHandler, CsvRecordParser } from "./csv-record-parser.js";

/** What was learned about a file while streaming it. */
export interface CsvFileStats {
  /** Size in bytes. */
  readonly bytes: number;
  /** Lower-case hexadecimal SHA-256 of the bytes. */
  readonly sha256: string;
  /** The file started with a UTF-8 byte-order mark (removed before parsing). */
  readonly bom: boolean;
  /** The file contained bytes that are not valid UTF-8. */
  readonly invalidUtf8: boolean;
}

/** Read size: 64 KiB chunks (each decoded chunk is a small flat string, well below the size at which Node makes external strings). */
const CHUNK_BYTES = 1 << 16;

const LF = 10;

/**
 * Streams `path` into `handler`. The handler receives the parser (e.g. to set the expected field
 * count once the header is read). Rejects on I/O errors (missing file, permission, a directory).
 */
export async function streamCsvFile(
  path: string,
  handler: (parser: CsvRecordParser) => CsvRecordHandler,
): Promise<CsvFileStats> {
  const hash = createHash("sha256");
  // StringDecoder (not TextDecoder): it yields one-byte strings for ASCII text, which split faster and
  // take half the memory; it keeps a leading BOM (removed below) and replaces invalid bytes by U+FFFD.
  const decoder = new StringDecoder("utf8");
  const parser = new CsvRecordParser({
    record: (fields, line) => target.record(fields, line),
    malformed: (line, text, reason) => target.malformed(line, text, reason),
    plainLine: (text, start, end, line) => {
      if (target.plainLine !== undefined) target.plainLine(text, start, end, line);
      else target.record(text.slice(start, end).split(","), line);
    },
  });
  const target = handler(parser);
  let bytes = 0;
  let first = true;
  let bom = false;
  let invalidUtf8 = false;
  const feed = (text: string) => {
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) {
        bom = true;
        text = text.slice(1);
      }
    }
    if (!invalidUtf8 && text.includes("\uFFFD")) invalidUtf8 = true;
    parser.push(text);
  };
  // Chunks are decoded up to their last line feed (the rest is carried into the next chunk), so the
  // parser gets whole lines and rarely has to concatenate strings; decoding does not depend on where
  // the bytes are cut (a line feed byte is never part of a multi-byte UTF-8 sequence).
  let carry: Buffer | null = null;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    const buf = chunk as Buffer;
    bytes += buf.length;
    hash.update(buf);
    const cut = buf.lastIndexOf(LF) + 1;
    if (cut === 0) {
      carry = carry === null ? buf : Buffer.concat([carry, buf]);
      continue;
    }
    const head = buf.subarray(0, cut);
    feed(decoder.write(carry === null ? head : Buffer.concat([carry, head])));
    carry = cut < buf.length ? buf.subarray(cut) : null;
  }
  if (carry !== null) feed(decoder.write(carry));
  feed(decoder.end());
  parser.end();
  return { bytes, sha256: hash.digest("hex"), bom, invalidUtf8 };
}
