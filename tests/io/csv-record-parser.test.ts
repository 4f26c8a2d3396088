/**
 * The streaming CSV splitter: RFC 4180 quoting, CRLF, blank lines, physical line numbers, chunk
 * boundaries anywhere, and recovery from broken quotes without losing the good lines after them.
 * Expected records are written out by hand from the input text.
 */
import { describe, expect, it } from "vitest";
import { CsvRecordParser } from "../../src/io/csv-record-parser.js";

interface Parsed {
  records: [string[], number][];
  malformed: [number, string][];
}

/** Splits `text` fed in the given chunk sizes (cycled); the first record sets the expected field count. */
function split(text: string, chunkSizes: readonly number[] = [text.length || 1], maxQuoted?: number): Parsed {
  const out: Parsed = { records: [], malformed: [] };
  let first = true;
  const parser: CsvRecordParser = new CsvRecordParser(
    {
      record: (fields, line) => {
        if (first) {
          first = false;
          parser.setExpectedFields(fields.length);
        }
        out.records.push([fields, line]);
      },
      malformed: (line, raw) => {
        out.malformed.push([line, raw]);
      },
    },
    maxQuoted === undefined ? {} : { maxQuotedRecordChars: maxQuoted },
  );
  let pos = 0;
  for (let k = 0; pos < text.length; k++) {
    const size = chunkSizes[k % chunkSizes.length] as number;
    parser.push(text.slice(pos, pos + size));
    pos += size;
  }
  parser.end();
  return out;
}

describe("CsvRecordParser", () => {
  it("splits plain lines, skips blank lines and counts physical lines", () => {
    const r = split("a,b,c\n1,2,3\n\n4,,6\n");
    expect(r.records).toEqual([
      [["a", "b", "c"], 1],
      [["1", "2", "3"], 2],
      [["4", "", "6"], 4],
    ]);
    expect(r.malformed).toEqual([]);
  });

  it("accepts CRLF line endings and a last line without a newline", () => {
    const r = split("a,b\r\n1,2\r\n\r\n3,4");
    expect(r.records).toEqual([
      [["a", "b"], 1],
      [["1", "2"], 2],
      [["3", "4"], 4],
    ]);
  });

  it("unquotes fields, with commas, doubled quotes and empty quoted fields", () => {
    const r = split('a,b,c\n"x,y","say ""hi""",""\nplain,"q",z"w\n');
    expect(r.records).toEqual([
      [["a", "b", "c"], 1],
      [["x,y", 'say "hi"', ""], 2],
      [["plain", "q", 'z"w'], 3],
    ]);
  });

  it("keeps line breaks inside quoted fields and numbers the next record by its physical line", () => {
    const r = split('a,b\n"line 1\nline 2",x\n"3\r\n4",y\r\nlast,z\n');
    expect(r.records).toEqual([
      [["a", "b"], 1],
      [["line 1\nline 2", "x"], 2],
      [["3\r\n4", "y"], 4],
      [["last", "z"], 6],
    ]);
  });

  it("gives the same records whatever the chunk boundaries", () => {
    const text = 'id,note,n\r\n1,"a ""b""\r\nc",2\r\n2,plain,3\n\n3,"x,y",4\r\n4,"",5';
    const whole = split(text);
    expect(whole.records).toHaveLength(5);
    for (const sizes of [[1], [2], [3, 1, 7], [5, 11], [64]]) {
      expect(split(text, sizes), `chunks ${sizes.join(",")}`).toEqual(whole);
    }
  });

  it("reports text after a closing quote on its own line and keeps the next lines", () => {
    const r = split('a,b\n"x"y,1\n2,3\n');
    expect(r.malformed).toEqual([[2, '"x"y,1']]);
    expect(r.records).toEqual([
      [["a", "b"], 1],
      [["2", "3"], 3],
    ]);
  });

  it("recovers from a quote that is never closed: only its line is lost", () => {
    const r = split('a,b\n1,"open\n2,3\n4,5\n');
    expect(r.malformed).toEqual([[2, '1,"open']]);
    expect(r.records).toEqual([
      [["a", "b"], 1],
      [["2", "3"], 3],
      [["4", "5"], 4],
    ]);
  });

  it("recovers when an unbalanced quote closes on a later line with the wrong field count", () => {
    // The quote opened on line 2 closes at the first quote of line 4: that record would have 2 fields + junk.
    const r = split('a,b,c\n1,"x,y\n2,3,4\n5,"z",6\n');
    expect(r.malformed).toEqual([[2, '1,"x,y']]);
    expect(r.records).toEqual([
      [["a", "b", "c"], 1],
      [["2", "3", "4"], 3],
      [["5", "z", "6"], 4],
    ]);
  });

  it("treats a multi-line quoted record with the wrong number of fields as unbalanced quotes", () => {
    const r = split('a,b,c\n1,"x\ny",2,3\n4,5,6\n');
    expect(r.malformed).toEqual([[2, '1,"x']]);
    expect(r.records.map(([, line]) => line)).toEqual([1, 3, 4]);
    expect(r.records[1]).toEqual([['y"', "2", "3"], 3]);
  });

  it("gives up on a quoted field longer than the limit", () => {
    const r = split(`a,b\n1,"${"x".repeat(50)}\n2,3\n`, [8], 20);
    expect(r.malformed.map(([line]) => line)).toEqual([2]);
    expect(r.records).toEqual([
      [["a", "b"], 1],
      [["2", "3"], 3],
    ]);
  });

  it("reassembles a 1 MB field split over many chunks", () => {
    const big = "y".repeat(1 << 20);
    const r = split(`a,b\n1,${big}\n2,"${big}"\n`, [65_536]);
    expect(r.records.map(([f]) => f[1]?.length)).toEqual([1, 1 << 20, 1 << 20]);
    expect(r.records.map(([, line]) => line)).toEqual([1, 2, 3]);
  });
});
