/**
 * Streaming CSV record splitter (RFC 4180: comma separator, double-quote quoting with "" escapes,
 * quoted fields may contain commas and line breaks; LF or CRLF line endings). Every field is text:
 * nothing is typed here.
 *
 * Why not papaparse: on an unbalanced quote papaparse swallows the rest of the file into one field
 * (every later good row is lost), and its error rows are counted per chunk. This splitter recovers:
 * when a record is malformed (text after a closing quote, a quote never closed) or a quoted field
 * spans lines and the record then has the wrong number of fields, the record's first physical line is
 * reported as malformed and splitting resumes on the next line. It is also about 2× faster (lines
 * without quotes go through `String.prototype.split`, or are handed to `plainLine` as a range of the
 * buffer, not split at all).
 *
 * Records are reported with the 1-based physical line on which they start. Blank lines are skipped.
 */

/** Receives records. */
export interface CsvRecordHandler {
  /** A record: its fields (text) and the physical line where it starts. */
  record(fields: string[], line: number): void;
  /** A line that could not be split (quote problem); splitting resumed on the next line. */
  malformed(line: number, text: string, reason: string): void;
  /**
   * Optional fast path: a record without any quote character, given as the range `[start, end)` of
   * `text` (line ending excluded) instead of split fields. When absent, `record` receives
   * `text.slice(start, end).split(",")`.
   */
  plainLine?(text: string, start: number, end: number, line: number): void;
}

/** Options of the splitter. */
export interface CsvRecordParserOptions {
  /**
   * Longest record (in characters) that may be buffered while a quoted field stays open; beyond it
   * the quote is declared unbalanced. Default 16 MiB.
   */
  readonly maxQuotedRecordChars?: number;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

type Parsed =
  | { readonly kind: "record"; readonly fields: string[]; readonly next: number; readonly multiline: boolean }
  | { readonly kind: "malformed"; readonly reason: string; readonly at: number }
  | { readonly kind: "more" };

const NEED_MORE: Parsed = { kind: "more" };

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf("\n", from); i !== -1 && i < to; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/** Splits a text stream into CSV records. Call `push` with each decoded chunk, then `end`. */
export class CsvRecordParser {
  private buf = "";
  private line = 1;
  private expected = -1;
  private readonly maxQuoted: number;

  constructor(
    private readonly handler: CsvRecordHandler,
    options: CsvRecordParserOptions = {},
  ) {
    this.maxQuoted = options.maxQuotedRecordChars ?? 16 * 1024 * 1024;
  }

  /**
   * Sets the number of fields a record should have (the header's). A multi-line quoted record with a
   * different count is treated as an unbalanced quote.
   */
  setExpectedFields(n: number): void {
    this.expected = n;
  }

  /** True while a record is buffered (a quoted field spanning lines, not yet closed). */
  get pending(): boolean {
    return this.buf.length > 0;
  }

  /**
   * Adds decoded text that starts at physical line `line` (used when only some lines of a file are
   * given to this splitter: while a record is pending, the text continues it and `line` is ignored).
   */
  pushAt(text: string, line: number): void {
    if (this.buf.length === 0) this.line = line;
    this.push(text);
  }

  /** Adds decoded text. */
  push(text: string): void {
    this.buf = this.buf.length === 0 ? text : this.buf + text;
    this.drain(false);
  }

  /** Flushes the last record. */
  end(): void {
    this.drain(true);
    this.buf = "";
  }

  private drain(final: boolean): void {
    const s = this.buf;
    const n = s.length;
    let pos = 0;
    let line = this.line;
    let quoteAt = s.indexOf('"');
    while (pos < n) {
      let nl = s.indexOf("\n", pos);
      if (nl === -1) {
        if (!final) break;
        nl = n;
      }
      if (quoteAt !== -1 && quoteAt < pos) quoteAt = s.indexOf('"', pos);
      if (quoteAt === -1 || quoteAt > nl) {
        let end = nl;
        if (end > pos && s.charCodeAt(end - 1) === CR) end--;
        if (end > pos) {
          const handler = this.handler;
          if (handler.plainLine !== undefined) handler.plainLine(s, pos, end, line);
          else handler.record(s.slice(pos, end).split(","), line);
        }
        pos = nl + 1;
        line++;
        continue;
      }
      const parsed = this.parseQuoted(s, pos, final);
      if (parsed.kind === "more") {
        if (n - pos <= this.maxQuoted) break;
      }
      if (
        parsed.kind === "record" &&
        !(parsed.multiline && this.expected >= 0 && parsed.fields.length !== this.expected)
      ) {
        this.handler.record(parsed.fields, line);
        line += countNewlines(s, pos, parsed.next);
        pos = parsed.next;
        continue;
      }
      // Malformed: report the record's first physical line and resume on the next one.
      let end = nl;
      if (end > pos && s.charCodeAt(end - 1) === CR) end--;
      const reason =
        parsed.kind === "malformed"
          ? parsed.at > nl
            ? "a quote opened on this line is not closed on it, so the record would run into the next lines: unbalanced quotes"
            : parsed.reason
          : parsed.kind === "more"
            ? `a quoted field stays open for more than ${this.maxQuoted} characters`
            : `a quoted field spans lines and the record then has ${parsed.fields.length} fields instead of ${this.expected}: the quotes are probably unbalanced`;
      this.handler.malformed(line, s.slice(pos, end), reason);
      pos = nl + 1;
      line++;
    }
    this.buf = pos >= n ? "" : s.slice(pos);
    this.line = line;
  }

  /** Parses one record that contains a quote character, starting at `pos`. */
  private parseQuoted(s: string, pos: number, final: boolean): Parsed {
    const n = s.length;
    const fields: string[] = [];
    let multiline = false;
    let i = pos;
    for (;;) {
      if (s.charCodeAt(i) === QUOTE) {
        let j = i + 1;
        let value = "";
        for (;;) {
          const q = s.indexOf('"', j);
          if (q === -1) {
            return final ? { kind: "malformed", reason: "a quoted field is never closed", at: n } : NEED_MORE;
          }
          if (q + 1 >= n && !final) return NEED_MORE;
          if (s.charCodeAt(q + 1) === QUOTE) {
            value += s.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          value += s.slice(j, q);
          if (!multiline && s.indexOf("\n", i) !== -1 && s.indexOf("\n", i) < q) multiline = true;
          i = q + 1;
          break;
        }
        fields.push(value);
        if (i >= n) return { kind: "record", fields, next: n, multiline };
        const c = s.charCodeAt(i);
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === LF) return { kind: "record", fields, next: i + 1, multiline };
        if (c === CR) {
          if (i + 1 >= n) return final ? { kind: "record", fields, next: n, multiline } : NEED_MORE;
          if (s.charCodeAt(i + 1) === LF) return { kind: "record", fields, next: i + 2, multiline };
        }
        return { kind: "malformed", reason: "text follows a closing quote inside a field", at: i };
      }
      // Unquoted field: up to the next comma or line end; quote characters inside it are literal.
      let nl = s.indexOf("\n", i);
      if (nl === -1) {
        if (!final) return NEED_MORE;
        nl = n;
      }
      const comma = s.indexOf(",", i);
      if (comma !== -1 && comma < nl) {
        fields.push(s.slice(i, comma));
        i = comma + 1;
        continue;
      }
      let end = nl;
      if (end > i && s.charCodeAt(end - 1) === CR) end--;
      fields.push(s.slice(i, end));
      return { kind: "record", fields, next: Math.min(nl + 1, n), multiline };
    }
  }
}
