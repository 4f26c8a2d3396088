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

/** Read size: 1 MiB chunks. */
const CHUNK_BYTES = 1 << 20;

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
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    const buf = chunk as Buffer;
    bytes += buf.length;
    hash.update(buf);
    feed(decoder.write(buf));
  }
  feed(decoder.end());
  parser.end();
  return { bytes, sha256: hash.digest("hex"), bom, invalidUtf8 };
}
