/**
 * Streams a CSV file from disk in one pass: bytes are hashed (SHA-256) as they are read and cut into
 * lines. A line of ASCII characters without any quote — nearly every line of a real extract — is
 * handed over as bytes (`plainBytes`), never decoded; every other line (quotes, non-ASCII characters)
 * is decoded as UTF-8 (invalid bytes become U+FFFD and are reported) and given to the RFC 4180 record
 * splitter. A leading byte-order mark is removed. Memory stays bounded by the chunk size and the
 * longest record.
 */
import { isAscii } from "node:buffer";
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
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

/** A record handler that may also take quote-free ASCII lines as bytes. */
export interface CsvByteHandler extends CsvRecordHandler {
  /**
   * Optional fast path: a line of ASCII characters without any quote, as the byte range
   * `[start, end)` of `buf` (line ending excluded; the bytes are valid only during the call). When
   * absent, such lines go through `plainLine` / `record` as text.
   */
  plainBytes?(buf: Buffer, start: number, end: number, line: number): void;
  /** Called once, early, with an estimate of the number of lines of the file (for pre-sizing). */
  expectLines?(lines: number): void;
}

/** Read size: 1 MiB (grown when a single line is longer). */
const CHUNK_BYTES = 1 << 20;

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** True when `buf[start, end)` holds only ASCII bytes. */
function asciiRange(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if ((buf[i] as number) > 127) return false;
  return true;
}

/** Options of `streamCsvFile`. */
export interface StreamCsvOptions {
  /**
   * Computes the file's SHA-256 elsewhere (e.g. `ChecksumWorker.sha256`, on another thread) instead of
   * hashing the bytes as they are read.
   */
  readonly checksum?: (path: string) => Promise<string>;
}

/**
 * Streams `path` into `handler`. The handler receives the parser (e.g. to set the expected field
 * count once the header is read). Rejects on I/O errors (missing file, permission, a directory).
 */
export async function streamCsvFile(
  path: string,
  handler: (parser: CsvRecordParser) => CsvByteHandler,
  options: StreamCsvOptions = {},
): Promise<CsvFileStats> {
  const hash = options.checksum === undefined ? createHash("sha256") : null;
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
  const fastLine = target.plainBytes?.bind(target);
  let bytes = 0;
  let bom = false;
  let invalidUtf8 = false;
  let line = 1;
  let estimated = false;

  /** A line (with its line feed, if any) through the decoder and the record splitter. */
  const slowLine = (buf: Buffer, start: number, end: number) => {
    const text = decoder.write(buf.subarray(start, end));
    if (!invalidUtf8 && text.includes("\uFFFD")) invalidUtf8 = true;
    parser.pushAt(text, line);
  };

  /** Lines of `buf[start, end)`, which ends with a line feed (or is the end of the file). */
  const lines = (buf: Buffer, start: number, end: number, final: boolean) => {
    const ascii = isAscii(buf.subarray(start, end));
    let quoteAt = buf.indexOf(QUOTE, start);
    if (quoteAt >= end) quoteAt = -1;
    let pos = start;
    while (pos < end) {
      let nl = buf.indexOf(LF, pos);
      if (nl === -1 || nl >= end) nl = end;
      const next = nl < end ? nl + 1 : end;
      if (quoteAt !== -1 && quoteAt < pos) {
        quoteAt = buf.indexOf(QUOTE, pos);
        if (quoteAt >= end) quoteAt = -1;
      }
      if (
        fastLine === undefined ||
        parser.pending ||
        (quoteAt !== -1 && quoteAt < nl) ||
        (!ascii && !asciiRange(buf, pos, nl))
      ) {
        slowLine(buf, pos, next);
      } else {
        let stop = nl;
        if (stop > pos && buf[stop - 1] === CR) stop--;
        if (stop > pos) fastLine(buf, pos, stop, line);
      }
      pos = next;
      line++;
    }
    if (final) {
      // A last line without a line feed was counted above; the splitter flushes what it holds.
      const rest = decoder.end();
      if (rest.length > 0) {
        if (!invalidUtf8 && rest.includes("\uFFFD")) invalidUtf8 = true;
        parser.pushAt(rest, line);
      }
    }
  };

  const fh = await open(path, "r");
  // Started once the file is open (so a missing file is reported by `open`, as before).
  const remoteHash = options.checksum?.(path);
  remoteHash?.catch(() => {}); // awaited below; an early failure must not be unhandled meanwhile
  try {
    let buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let held = 0;
    let first = true;
    const size = (await fh.stat()).size;
    for (;;) {
      if (held === buf.length) {
        const grown = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(grown, 0, 0, held);
        buf = grown;
      }
      const { bytesRead } = await fh.read(buf, held, buf.length - held, null);
      if (bytesRead === 0) break;
      hash?.update(buf.subarray(held, held + bytesRead));
      bytes += bytesRead;
      const filled = held + bytesRead;
      let start = 0;
      if (first && filled >= 3) {
        first = false;
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
          bom = true;
          start = 3;
        }
      }
      const cut = buf.lastIndexOf(LF, filled - 1) + 1;
      if (cut <= start) {
        held = filled;
        if (start > 0) {
          buf.copy(buf, 0, start, filled);
          held = filled - start;
        }
        continue;
      }
      lines(buf, start, cut, false);
      if (!estimated && target.expectLines !== undefined && line > 2) {
        estimated = true;
        // Lines per byte so far, times the file size.
        target.expectLines(Math.ceil(((line - 1) * size) / Math.max(1, cut)));
      }
      held = filled - cut;
      if (held > 0) buf.copy(buf, 0, cut, filled);
    }
    let start = 0;
    if (first && held >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      bom = true;
      start = 3;
    }
    lines(buf, start, held, true);
    parser.end();
  } finally {
    await fh.close();
  }
  const sha256 = hash !== null ? hash.digest("hex") : await (remoteHash as Promise<string>);
  return { bytes, sha256, bom, invalidUtf8 };
}
