/**
 * Validates and converts the records of one table file, column by column, into compact columns
 * (`column-builder.ts`, `typed-columns.ts`) of an arquero table. Feed it the header, then every record
 * (fields + physical line, or a quote-free ASCII line as a byte range), then call `finish()`.
 *
 * Per record: field count (PARSE_TOO_FEW/MANY_FIELDS) → every field through its compiled converter
 * (all failing fields are reported) → multi-column rules → foreign keys (ORPHAN) → primary key
 * (DUPLICATE_KEY: the second and later occurrences are rejected) → accepted, then the warnings
 * AFTER_DEATH and OUTSIDE_OBSERVATION. Any error rejects the record; every other record is kept.
 * `read = accepted + rejected` always.
 *
 * Two paths, one outcome: `recordBytes` validates a quote-free ASCII line straight from its bytes
 * (no strings, no per-row allocation) and writes the typed storage; any row with anything unusual (a
 * problem, an uncommon number format) is handed to `record`, the general path, which reports it. A
 * test loads the same data through both paths and requires identical results.
 */

import type { ColumnTable } from "arquero";
import * as aq from "arquero";
import {
  type ColumnInfo,
  type CompiledRowRule,
  compileRowRule,
  type TableDefinition,
  type TableName,
} from "../../data-dictionary/index.js";
import { daysFromCivil, daysInMonth, formatIsoDate } from "../dates.js";
import {
  BoolStore,
  type ColumnStore,
  createColumnStore,
  DateStore,
  DictStore,
  IntStore,
  NumStore,
  RefStore,
  removeSlots,
} from "./column-builder.js";
import {
  type ColumnConverter,
  type ColumnValue,
  ConversionFailure,
  compileColumnConverter,
  compileMissingReason,
  missingReasonColumnName,
} from "./convert-column.js";
import type { DatasetContext } from "./dataset-context.js";
import type { IssueCollector, IssueInput } from "./issues.js";
import { KeyIndex } from "./key-index.js";
import { IntColumn } from "./typed-columns.js";

/** Row counts of one file: `read = accepted + rejected`. */
export interface TableCounts {
  readonly read: number;
  readonly accepted: number;
  readonly rejected: number;
}

interface ForeignKeyCheck {
  readonly column: number;
  readonly name: string;
  readonly table: TableName;
  readonly references: string;
  readonly parent: KeyIndex;
  warned: boolean;
}

interface EventCheck {
  readonly column: number;
  readonly name: string;
  readonly afterDeath: boolean;
  readonly withinObservation: boolean;
}

interface ReasonColumn {
  readonly column: number;
  readonly reasonOf: (text: string) => string | null;
  readonly store: DictStore<string>;
}

const KEY_SEPARATOR = "\u001f";

// Module-local copies of imported functions (tsx turns imported bindings into getters in hot loops).
const civilDay = daysFromCivil;
const monthDays = daysInMonth;

/** Fast-path handling of a column in `recordBytes`. */
const K_GENERIC = 0;
const K_DATE = 1;
const K_INT = 2;
const K_NUM = 3;
const K_BOOL = 4;
const K_DICT = 5;
const K_CODE = 6;
const K_REF = 7;
const K_KEY = 8;

/** Kinds whose raw text is their canonical key text (composite keys are built from raw texts). */
const TEXT_KEY_KINDS = new Set(["id", "date", "code", "string"]);

/** Powers of ten that are exact doubles (10^0 … 10^22). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Day number of the 1st of each month from 1900-01 (index (year − 1900) · 12 + month − 1). */
const MONTH_START = (() => {
  const out = new Int32Array(400 * 12);
  for (let m = 0; m < out.length; m++) out[m] = daysFromCivil(1900 + Math.floor(m / 12), (m % 12) + 1, 1);
  return out;
})();

/** Day number of the strict ISO date in `buf[start, start + 10)`, or −1e9 when it is not one. */
function isoDateAtBytes(buf: Uint8Array, start: number): number {
  if (buf[start + 4] !== 45 || buf[start + 7] !== 45) return -1e9;
  const y0 = (buf[start] as number) - 48;
  const y1 = (buf[start + 1] as number) - 48;
  const y2 = (buf[start + 2] as number) - 48;
  const y3 = (buf[start + 3] as number) - 48;
  const m0 = (buf[start + 5] as number) - 48;
  const m1 = (buf[start + 6] as number) - 48;
  const d0 = (buf[start + 8] as number) - 48;
  const d1 = (buf[start + 9] as number) - 48;
  if (
    (y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0 ||
    y0 > 9 ||
    y1 > 9 ||
    y2 > 9 ||
    y3 > 9 ||
    m0 > 9 ||
    m1 > 9 ||
    d0 > 9 ||
    d1 > 9
  ) {
    return -1e9;
  }
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (month < 1 || month > 12 || day < 1 || day > monthDays(year, month)) return -1e9;
  const m = (year - 1900) * 12 + month - 1;
  if (m >= 0 && m < MONTH_START.length) return (MONTH_START[m] as number) + day - 1;
  return civilDay(year, month, day);
}

/** True for the ASCII characters JavaScript's `\s` matches (the fast path sees ASCII lines only). */
function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Loads one table file into columns. */
export class TableLoader {
  private readonly columns: readonly ColumnInfo[];
  private readonly converters: readonly ColumnConverter[];
  private readonly stores: readonly ColumnStore[];
  private readonly reasons: readonly ReasonColumn[];
  /** Per column: its reason column, else null. */
  private readonly reasonOfColumn: (ReasonColumn | null)[];
  /** Per column with special missing codes: code text → reason (position in the reason store). */
  private readonly specialCodes: (KeyIndex | null)[];
  private readonly specialReason: (Int32Array | null)[];
  private readonly rules: readonly CompiledRowRule[];
  private readonly keyColumns: readonly number[];
  private readonly keyName: string;
  private readonly foreignKeys: readonly ForeignKeyCheck[];
  /** Per column: the foreign key checked on it, else null. */
  private readonly foreignKeyOf: (ForeignKeyCheck | null)[];
  /** Per column: the parent row found by the last `checkForeignKeys` (−1 when null). */
  private readonly fkTargets: Int32Array;
  private readonly personColumn: number;
  private readonly persons: KeyIndex | null;
  private readonly eventChecks: readonly EventCheck[];
  private readonly values: ColumnValue[];
  private readonly ownKeys: KeyIndex;
  /** For observation_periods: positions of start_date and end_date. */
  private readonly periodColumns: readonly [number, number] | null;
  private fieldIndex: Int32Array;
  /** Per field of the file: its column, or −1 for a column the dictionary does not know. */
  private colOfField = new Int32Array(0);
  /** Optional columns absent from the file (always null). */
  private absentColumns: number[] = [];
  /** Per column: 1 when it has special missing codes. */
  private readonly hasSpecial: Uint8Array;
  /** Per column: K_* handling in `recordBytes`. */
  private readonly fastKinds: Int8Array;
  private readonly maxLengths: Int32Array;
  private readonly requiredFlags: Uint8Array;
  /** Per K_INT / K_NUM column: inclusive bounds (an exclusive minimum is checked separately). */
  private readonly minimums: Float64Array;
  private readonly maximums: Float64Array;
  private readonly exclusiveMinimum: Uint8Array;
  /** Per K_REF column: bytes of the last id seen and its parent row (rows of a person are adjacent). */
  private readonly lastRefBytes: Uint8Array[];
  private readonly lastRefLength: Int32Array;
  private readonly lastRefTarget: Int32Array;
  /** `recordBytes` may validate rows from field ranges (decided when the header is read). */
  private fastEnabled = false;
  private fastAllowed = true;
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  private keyScratch: Uint8Array = new Uint8Array(256);
  private nFields = 0;
  private rejectAll = false;
  private headerDone = false;
  private nRead = 0;
  private nAccepted = 0;
  private nRejected = 0;
  private capacity = 0;
  /**
   * The next row slot may hold values of a rejected row (the fast path wrote some columns before
   * handing the row to the general path, which rejected it). A clean slot holds every store's null
   * (storage is filled with it when allocated), so the fast path skips writing nulls there.
   */
  private dirty = false;
  /** Per accepted row slot: data row number and physical line (for issues reported at the end). */
  private slotRows = new Int32Array(0);
  private slotLines = new Int32Array(0);
  /** Position in the issue list where this file's issues start. */
  private readonly issueStart: number;

  constructor(
    private readonly def: TableDefinition<TableName>,
    private readonly ctx: DatasetContext,
    private readonly issues: IssueCollector,
  ) {
    this.columns = def.columns;
    this.issueStart = issues.listed;
    const names = this.columns.map((c) => c.name);
    const indexOf = (name: string) => names.indexOf(name);
    const nColumns = this.columns.length;
    this.converters = this.columns.map(compileColumnConverter);
    this.rules = def.rules.map((r) => compileRowRule(r, indexOf));
    this.keyColumns = def.primaryKey.map(indexOf);
    this.keyName = def.primaryKey.join("+");
    this.ownKeys = ctx.keysOf(def.name);
    this.foreignKeys = def.foreignKeys.map((fk) => ({
      column: indexOf(fk.column),
      name: fk.column,
      table: fk.table as TableName,
      references: fk.references,
      parent: ctx.keysOf(fk.table as TableName),
      warned: false,
    }));
    this.foreignKeyOf = this.columns.map((_, c) => this.foreignKeys.find((fk) => fk.column === c) ?? null);
    this.fkTargets = new Int32Array(nColumns).fill(-1);
    this.personColumn = this.foreignKeys.find((fk) => fk.table === "persons")?.column ?? -1;
    this.persons = this.personColumn >= 0 ? ctx.keysOf("persons") : null;
    this.eventChecks = def.eventDates.map((e) => ({
      column: indexOf(e.column),
      name: e.column,
      afterDeath: e.afterDeath,
      withinObservation: e.withinObservation,
    }));
    this.periodColumns =
      def.name === "observation_periods" ? [indexOf("start_date"), indexOf("end_date")] : null;
    this.values = new Array<ColumnValue>(nColumns).fill(null);
    this.fieldIndex = new Int32Array(nColumns).fill(-1);

    // Storage: foreign keys of loaded parents hold parent rows; a single id primary key is its index.
    const singleKey =
      this.keyColumns.length === 1 && (this.columns[this.keyColumns[0] as number] as ColumnInfo).kind === "id"
        ? (this.keyColumns[0] as number)
        : -1;
    this.stores = this.columns.map((column, c) => {
      const fk = this.foreignKeyOf[c];
      const parent = fk && ctx.loaded.has(fk.table) ? fk.parent : null;
      return createColumnStore(column, { parent, primaryKey: c === singleKey ? this.ownKeys : null });
    });
    this.reasonOfColumn = this.columns.map(() => null);
    this.specialCodes = this.columns.map(() => null);
    this.specialReason = this.columns.map(() => null);
    this.hasSpecial = new Uint8Array(nColumns);
    const reasons: ReasonColumn[] = [];
    for (const [c, column] of this.columns.entries()) {
      const reasonOf = compileMissingReason(column);
      if (!reasonOf) continue;
      const codes = [...new Set(column.specialMissing.map((m) => m.reason))];
      const r: ReasonColumn = { column: c, reasonOf, store: new DictStore<string>(codes) };
      reasons.push(r);
      this.reasonOfColumn[c] = r;
      const special = new KeyIndex();
      const reasonIndex = new Int32Array(column.specialMissing.length);
      for (const m of column.specialMissing) {
        if (special.insert(m.code) < 0) reasonIndex[special.size - 1] = codes.indexOf(m.reason);
      }
      this.specialCodes[c] = special;
      this.hasSpecial[c] = 1;
      this.specialReason[c] = reasonIndex;
    }
    this.reasons = reasons;

    this.fastKinds = new Int8Array(nColumns);
    this.maxLengths = new Int32Array(nColumns);
    this.requiredFlags = new Uint8Array(nColumns);
    this.minimums = new Float64Array(nColumns);
    this.maximums = new Float64Array(nColumns);
    this.exclusiveMinimum = new Uint8Array(nColumns);
    this.lastRefBytes = this.columns.map(() => new Uint8Array(0));
    this.lastRefLength = new Int32Array(nColumns).fill(-1);
    this.lastRefTarget = new Int32Array(nColumns).fill(-1);
    for (const [c, column] of this.columns.entries()) {
      this.maxLengths[c] = column.maxLength;
      this.requiredFlags[c] = column.required ? 1 : 0;
      this.minimums[c] = column.minimum ?? Number.NEGATIVE_INFINITY;
      this.maximums[c] = column.maximum ?? Number.POSITIVE_INFINITY;
      this.exclusiveMinimum[c] = column.exclusiveMinimum ? 1 : 0;
      const store = this.stores[c] as ColumnStore;
      let kind = K_GENERIC;
      if (store instanceof RefStore) {
        kind = K_REF;
        this.lastRefBytes[c] = new Uint8Array(column.maxLength);
      } else if (c === singleKey) kind = K_KEY;
      else if (store instanceof DateStore) kind = K_DATE;
      else if (store instanceof IntStore) kind = column.kind === "date" ? K_DATE : K_INT;
      else if (store instanceof NumStore) kind = K_NUM;
      else if (store instanceof BoolStore) kind = K_BOOL;
      else if (store instanceof DictStore) kind = column.kind === "code" ? K_CODE : K_DICT;
      this.fastKinds[c] = kind;
    }
    // The fast path builds keys from raw texts and leaves id values unset: check that this is safe.
    for (const c of this.keyColumns) {
      const column = this.columns[c] as ColumnInfo;
      if (c < 0 || !column.required || !TEXT_KEY_KINDS.has(column.kind)) this.fastAllowed = false;
    }
    for (const rule of def.rules) {
      const used =
        rule.kind === "dateOrder" ? [rule.start, rule.end] : [rule.instrumentColumn, ...rule.itemColumns];
      for (const name of used) {
        const k = this.fastKinds[indexOf(name)];
        if (k === K_REF || k === K_KEY || k === K_GENERIC) this.fastAllowed = false;
      }
    }
    for (const fk of this.foreignKeys) {
      if (!ctx.loaded.has(fk.table)) this.fastAllowed = false;
    }
  }

  /** File name of the table. */
  get file(): string {
    return this.def.fileName;
  }

  /** Row counts so far. */
  get counts(): TableCounts {
    return { read: this.nRead, accepted: this.nAccepted, rejected: this.nRejected };
  }

  private issue(code: Parameters<IssueCollector["add"]>[0], input: Omit<IssueInput, "file">): void {
    this.issues.add(code, { file: this.def.fileName, ...input });
  }

  /**
   * Reads the header: unknown columns are ignored with a warning; a missing required column or a
   * repeated column name rejects the whole file (one issue; every row then counts as rejected).
   */
  header(fields: readonly string[], line: number): void {
    this.headerDone = true;
    this.nFields = fields.length;
    const known = new Set(this.columns.map((c) => c.name));
    const seen = new Map<string, number>();
    for (const [i, name] of fields.entries()) {
      if (seen.has(name)) {
        this.rejectAll = true;
        this.issue("DUPLICATE_COLUMN", {
          row: 0,
          line,
          column: name,
          value: name,
          rule: "each column appears once in the header",
          message: `column "${name}" appears at positions ${(seen.get(name) as number) + 1} and ${i + 1}; the file is rejected`,
        });
        continue;
      }
      seen.set(name, i);
      if (!known.has(name)) {
        this.issue("UNKNOWN_COLUMN", {
          row: 0,
          line,
          column: name,
          value: name,
          rule: `columns of ${this.def.name} in the data dictionary`,
          message: `column "${name}" is not in the data dictionary and was ignored`,
        });
      }
    }
    const missing: string[] = [];
    for (const [c, column] of this.columns.entries()) {
      const i = seen.get(column.name);
      this.fieldIndex[c] = i ?? -1;
      if (i === undefined && column.required) missing.push(column.name);
    }
    if (missing.length > 0) {
      this.rejectAll = true;
      this.issue("MISSING_COLUMN", {
        row: 0,
        line,
        column: missing.join(", "),
        value: null,
        rule: `required columns of ${this.def.name}: ${this.columns
          .filter((c) => c.required)
          .map((c) => c.name)
          .join(", ")}`,
        message: `required column(s) ${missing.join(", ")} absent from the header; every row of ${this.def.fileName} is rejected`,
      });
    }
    this.starts = new Int32Array(this.nFields);
    this.ends = new Int32Array(this.nFields);
    this.colOfField = new Int32Array(this.nFields).fill(-1);
    this.absentColumns = [];
    for (let c = 0; c < this.columns.length; c++) {
      const f = this.fieldIndex[c] as number;
      if (f >= 0) this.colOfField[f] = c;
      else this.absentColumns.push(c);
    }
    this.fastEnabled = !this.rejectAll && this.fastAllowed;
  }

  /** Rejects the whole file without a header (e.g. the header line itself could not be split). */
  rejectFile(): void {
    this.headerDone = true;
    this.rejectAll = true;
  }

  /** True once the header has been read (or the file rejected). */
  get hasHeader(): boolean {
    return this.headerDone;
  }

  /** True when every row of the file is rejected (file-level error). */
  get fileRejected(): boolean {
    return this.rejectAll;
  }

  /** Expected number of data rows (an estimate from the file size): storage is sized for it. */
  expectRows(n: number): void {
    if (this.rejectAll) return;
    const want = Math.ceil(n * 1.08) + 1024;
    if (want > this.capacity) this.reserve(want);
    this.ownKeys.reserve(want);
  }

  private reserve(capacity: number): void {
    const used = this.nAccepted;
    for (const s of this.stores) s.reserve(capacity, used);
    for (const r of this.reasons) r.store.reserve(capacity, used);
    const rows = new Int32Array(capacity);
    rows.set(this.slotRows.subarray(0, used));
    this.slotRows = rows;
    const lines = new Int32Array(capacity);
    lines.set(this.slotLines.subarray(0, used));
    this.slotLines = lines;
    this.capacity = capacity;
  }

  /** Makes room for the slot of the next accepted row. */
  private ensureSlot(): void {
    if (this.nAccepted >= this.capacity) this.reserve(Math.max(1024, Math.ceil(this.capacity * 1.5)));
  }

  /** A record the CSV parser could not split (unbalanced quotes): counted and rejected. */
  malformed(line: number, text: string, reason: string): void {
    this.nRead++;
    this.nRejected++;
    if (this.rejectAll) return;
    this.issue("PARSE_QUOTES", {
      row: this.nRead,
      line,
      column: null,
      value: text,
      rule: 'RFC 4180 quoting: a quoted field ends with a quote followed by "," or the end of the line',
      message: reason,
    });
  }

  /** The general path for a fast-path line: split into fields and validate with `record`. */
  private recordSlow(buf: Buffer, start: number, end: number, line: number): void {
    this.dirty = true;
    this.record(buf.toString("latin1", start, end).split(","), line);
  }

  /**
   * Validates one record given as the bytes `buf[start, end)`: a line of ASCII characters without any
   * quote (fields separated by commas, line ending excluded). Same outcome as
   * `record(text.split(","), line)`: rows that pass every check are converted straight from the bytes;
   * any row with a problem (or an unusual field) goes through `record`, which reports it.
   */
  recordBytes(buf: Buffer, start: number, end: number, line: number): void {
    if (!this.fastEnabled) {
      this.recordSlow(buf, start, end, line);
      return;
    }
    if (this.nAccepted >= this.capacity) this.ensureSlot();
    const row = this.nAccepted;
    const dirty = this.dirty;
    const { converters, values, colOfField, fastKinds, stores, maxLengths, requiredFlags, starts, ends } =
      this;
    const lastField = this.nFields - 1;
    let keyHash = 0;
    let p = start;
    // Fields left to right; each field's end is found by a scan that also does its column's work
    // (hashing a key, comparing a foreign key with the previous row's); a date is checked in place.
    for (let f = 0; f <= lastField; f++) {
      if (p > end) {
        this.recordSlow(buf, start, end, line); // too few fields
        return;
      }
      const c = colOfField[f] as number;
      const kind = c < 0 ? K_GENERIC : (fastKinds[c] as number);
      const a = p;
      let b = p;
      let same = false;
      let day = -1e9;
      if (kind === K_DATE && (f < lastField ? a + 10 < end && buf[a + 10] === 44 : a + 10 === end)) {
        day = isoDateAtBytes(buf, a);
      }
      if (day !== -1e9) {
        // A valid date has no comma, so these 10 bytes are the whole field.
        b = a + 10;
      } else if (kind === K_KEY) {
        let h = 0x811c9dc5;
        for (; b < end; b++) {
          const ch = buf[b] as number;
          if (ch === 44) break;
          h = Math.imul(h ^ ch, 0x01000193);
        }
        keyHash = h;
      } else if (kind === K_REF) {
        const last = this.lastRefBytes[c] as Uint8Array;
        const lastLen = this.lastRefLength[c] as number;
        same = true;
        for (; b < end; b++) {
          const ch = buf[b] as number;
          if (ch === 44) break;
          if (same && (b - a >= lastLen || last[b - a] !== ch)) same = false;
        }
        if (b - a !== lastLen) same = false;
      } else {
        while (b < end && buf[b] !== 44) b++;
      }
      if (f < lastField ? b >= end : b !== end) {
        this.recordSlow(buf, start, end, line); // too few or too many fields
        return;
      }
      p = b + 1;
      if (c < 0) continue; // a column the dictionary does not know: ignored
      starts[f] = a;
      ends[f] = b;
      const len = b - a;
      if (len > (maxLengths[c] as number)) {
        this.recordSlow(buf, start, end, line);
        return;
      }
      // Missing: empty or NA.
      if (len === 0 || (len === 2 && buf[a] === 78 && buf[a + 1] === 65)) {
        if (requiredFlags[c] === 1) {
          this.recordSlow(buf, start, end, line);
          return;
        }
        values[c] = null;
        if (dirty) {
          this.setNull(c, kind, row);
          const reason = this.reasonOfColumn[c];
          if (reason != null) reason.store.index[row] = -1;
        }
        continue;
      }
      if (this.hasSpecial[c] === 1) {
        const r = (this.reasonOfColumn[c] as ReasonColumn).store;
        const hit = (this.specialCodes[c] as KeyIndex).findBytes(buf, a, b);
        if (hit >= 0) {
          values[c] = null;
          this.setNull(c, kind, row);
          r.index[row] = (this.specialReason[c] as Int32Array)[hit] as number;
          continue;
        }
        if (dirty) r.index[row] = -1;
      }
      switch (kind) {
        case K_DATE: {
          if (day === -1e9 && len === 10) day = isoDateAtBytes(buf, a);
          if (day === -1e9) {
            this.recordSlow(buf, start, end, line);
            return;
          }
          const s = stores[c] as DateStore | IntStore;
          s.data[row] = day;
          values[c] = day;
          continue;
        }
        case K_INT: {
          let i = a;
          const neg = buf[i] === 45;
          if (neg) i++;
          if (i === b || b - i > 15) break;
          let v = 0;
          for (; i < b; i++) {
            const d = (buf[i] as number) - 48;
            if (d < 0 || d > 9) break;
            v = v * 10 + d;
          }
          if (i !== b) break;
          if (neg) v = -v;
          if (
            v < (this.minimums[c] as number) ||
            v > (this.maximums[c] as number) ||
            (this.exclusiveMinimum[c] === 1 && v === this.minimums[c])
          ) {
            this.recordSlow(buf, start, end, line);
            return;
          }
          (stores[c] as IntStore).put(row, v);
          values[c] = v;
          continue;
        }
        case K_NUM: {
          // -?digits[.digits] with at most 15 significant digits: mantissa / 10^k is exactly Number(text).
          let i = a;
          const neg = buf[i] === 45;
          if (neg) i++;
          let m = 0;
          let digits = 0;
          let frac = -1;
          for (; i < b; i++) {
            const ch = buf[i] as number;
            if (ch === 46 && frac < 0) {
              frac = 0;
              continue;
            }
            const d = ch - 48;
            if (d < 0 || d > 9) break;
            m = m * 10 + d;
            digits++;
            if (frac >= 0) frac++;
          }
          if (i !== b || digits === 0 || digits > 15 || buf[neg ? a + 1 : a] === 46) break;
          let v = frac > 0 ? m / (POW10[frac] as number) : m;
          if (neg) v = -v;
          if (
            v < (this.minimums[c] as number) ||
            v > (this.maximums[c] as number) ||
            (this.exclusiveMinimum[c] === 1 && v === this.minimums[c])
          ) {
            this.recordSlow(buf, start, end, line);
            return;
          }
          (stores[c] as NumStore).data[row] = v;
          values[c] = v;
          continue;
        }
        case K_BOOL: {
          const c0 = buf[a];
          let v = -1;
          if (len === 1) v = c0 === 49 ? 1 : c0 === 48 ? 0 : -1;
          else if (len === 4 && c0 === 116 && buf[a + 1] === 114 && buf[a + 2] === 117 && buf[a + 3] === 101)
            v = 1;
          else if (
            len === 5 &&
            c0 === 102 &&
            buf[a + 1] === 97 &&
            buf[a + 2] === 108 &&
            buf[a + 3] === 115 &&
            buf[a + 4] === 101
          )
            v = 0;
          if (v < 0) {
            this.recordSlow(buf, start, end, line);
            return;
          }
          (stores[c] as BoolStore).data[row] = v;
          values[c] = v === 1;
          continue;
        }
        case K_CODE: {
          const s = stores[c] as DictStore<string>;
          const hit = s.find(buf, a, b);
          if (hit < 0) {
            this.recordSlow(buf, start, end, line);
            return;
          }
          s.index[row] = hit;
          values[c] = s.values[hit] as string;
          continue;
        }
        case K_DICT: {
          const s = stores[c] as DictStore<ColumnValue>;
          let hit = s.find(buf, a, b);
          if (hit < 0) {
            const v = (converters[c] as ColumnConverter)(buf.toString("latin1", a, b));
            if (v instanceof ConversionFailure || v === null) {
              this.recordSlow(buf, start, end, line);
              return;
            }
            hit = s.addBytes(buf, a, b, v);
          }
          s.index[row] = hit;
          values[c] = s.values[hit] as ColumnValue;
          continue;
        }
        case K_REF: {
          // Rows of one person are usually adjacent, and tables are usually in the parent's order:
          // try the previous row's parent, then the next parent row, before hashing.
          let target = -1;
          if (same) target = this.lastRefTarget[c] as number;
          else {
            const parent = (this.foreignKeyOf[c] as ForeignKeyCheck).parent;
            const next = (this.lastRefTarget[c] as number) + 1;
            target =
              next < parent.size && parent.equalsBytes(next, buf, a, b) ? next : parent.findBytes(buf, a, b);
            if (target < 0) {
              this.recordSlow(buf, start, end, line);
              return;
            }
            const last = this.lastRefBytes[c] as Uint8Array;
            for (let j = 0; j < len; j++) last[j] = buf[a + j] as number;
            this.lastRefLength[c] = len;
            this.lastRefTarget[c] = target;
          }
          (stores[c] as RefStore).index[row] = target;
          continue;
        }
        case K_KEY: {
          if (isAsciiSpace(buf[a] as number) || isAsciiSpace(buf[b - 1] as number)) {
            this.recordSlow(buf, start, end, line);
            return;
          }
          continue;
        }
      }
      // K_GENERIC, or a value the cases above do not handle: the converter decides.
      const text = buf.toString("latin1", a, b);
      const v = (converters[c] as ColumnConverter)(text);
      if (v instanceof ConversionFailure) {
        this.recordSlow(buf, start, end, line);
        return;
      }
      (stores[c] as ColumnStore).setValue(row, v, text);
      values[c] = v;
    }
    if (p <= end) {
      this.recordSlow(buf, start, end, line); // too many fields
      return;
    }
    if (dirty) {
      for (const c of this.absentColumns) this.setNull(c, fastKinds[c] as number, row);
    }
    const rules = this.rules;
    for (let r = 0; r < rules.length; r++) {
      if ((rules[r] as CompiledRowRule)(values)) {
        this.recordSlow(buf, start, end, line);
        return;
      }
    }
    // The key is appended unchecked: repeated keys are found once, at the end of the file (`finish`).
    const keyColumns = this.keyColumns;
    if (keyColumns.length === 1) {
      const c = keyColumns[0] as number;
      const f = this.fieldIndex[c] as number;
      if (fastKinds[c] === K_KEY)
        this.ownKeys.appendHashed(buf, starts[f] as number, ends[f] as number, keyHash);
      else this.ownKeys.appendBytes(buf, starts[f] as number, ends[f] as number);
    } else {
      let used = 0;
      for (let q = 0; q < keyColumns.length; q++) {
        const f = this.fieldIndex[keyColumns[q] as number] as number;
        const a = starts[f] as number;
        const b = ends[f] as number;
        if (used + (b - a) + 1 > this.keyScratch.length) {
          const grown = new Uint8Array(2 * (used + (b - a) + 1));
          grown.set(this.keyScratch);
          this.keyScratch = grown;
        }
        const scratch = this.keyScratch;
        if (q > 0) scratch[used++] = 0x1f;
        for (let j = a; j < b; j++) scratch[used++] = buf[j] as number;
      }
      this.ownKeys.appendBytes(this.keyScratch, 0, used);
    }
    this.accept(++this.nRead, line);
  }

  /** Writes null into a column's slot (fast path). */
  private setNull(c: number, kind: number, row: number): void {
    const store = this.stores[c] as ColumnStore;
    switch (kind) {
      case K_DATE:
      case K_INT: {
        const s = store as IntStore;
        s.data[row] = s.nullValue;
        return;
      }
      case K_NUM:
        (store as NumStore).data[row] = Number.NaN;
        return;
      case K_BOOL:
        (store as BoolStore).data[row] = -1;
        return;
      case K_CODE:
      case K_DICT:
        (store as DictStore<unknown>).index[row] = -1;
        return;
      case K_REF:
        (store as RefStore).index[row] = -1;
        return;
      default:
        store.setValue(row, null, "");
    }
  }

  /** Validates one record and keeps or rejects it. */
  record(fields: readonly string[], line: number): void {
    if (!this.headerDone) throw new Error("TableLoader.record called before header");
    const row = ++this.nRead;
    if (this.rejectAll) {
      this.nRejected++;
      return;
    }
    if (fields.length !== this.nFields) {
      const few = fields.length < this.nFields;
      this.issue(few ? "PARSE_TOO_FEW_FIELDS" : "PARSE_TOO_MANY_FIELDS", {
        row,
        line,
        column: null,
        value: fields.join(","),
        rule: `${this.nFields} fields, as in the header`,
        message: `the row has ${fields.length} fields; the header has ${this.nFields}`,
      });
      this.nRejected++;
      return;
    }
    const { converters, values, fieldIndex } = this;
    let ok = true;
    for (let c = 0; c < converters.length; c++) {
      const f = fieldIndex[c] as number;
      const text = f < 0 ? "" : (fields[f] as string);
      const v = (converters[c] as ColumnConverter)(text);
      if (v instanceof ConversionFailure) {
        ok = false;
        this.issue(v.code, {
          row,
          line,
          column: (this.columns[c] as ColumnInfo).name,
          value: text,
          rule: v.rule,
          message: v.message,
        });
      } else {
        values[c] = v;
      }
    }
    if (ok) ok = this.checkRules(row, line, fields);
    // Foreign keys last: a row that passes them is accepted (repeated keys are rejected in `finish`).
    if (ok) ok = this.checkForeignKeys(row, line);
    if (!ok) {
      this.nRejected++;
      this.rememberRejectedKey(fields, row);
      return;
    }
    this.commit(fields, row, line);
  }

  /** Text of a column in a record (empty when the column is absent from the file). */
  private textOf(fields: readonly string[], column: number): string {
    const f = this.fieldIndex[column] as number;
    return f < 0 ? "" : (fields[f] as string);
  }

  private checkRules(row: number, line: number, fields: readonly string[]): boolean {
    let ok = true;
    for (const rule of this.rules) {
      const violations = rule(this.values);
      if (!violations) continue;
      ok = false;
      for (const v of violations) {
        const c = this.columns.findIndex((col) => col.name === v.column);
        this.issue(v.code, {
          row,
          line,
          column: v.column,
          value: this.textOf(fields, c),
          rule: v.rule,
          message: v.message,
        });
      }
    }
    return ok;
  }

  /**
   * The row's key: the raw texts of the key columns joined by U+001F (for ids, dates, codes and strings
   * the text is canonical: equal values have equal texts), else the converted values' strings.
   */
  private keyOf(fields: readonly string[]): string {
    let key = "";
    for (let i = 0; i < this.keyColumns.length; i++) {
      const c = this.keyColumns[i] as number;
      const part = TEXT_KEY_KINDS.has((this.columns[c] as ColumnInfo).kind)
        ? this.textOf(fields, c)
        : String(this.values[c]);
      key = i === 0 ? part : key + KEY_SEPARATOR + part;
    }
    return key;
  }

  private checkForeignKeys(row: number, line: number): boolean {
    let ok = true;
    for (const fk of this.foreignKeys) {
      this.fkTargets[fk.column] = -1;
      const value = this.values[fk.column];
      if (value === null) continue;
      const id = value as string;
      if (!this.ctx.loaded.has(fk.table)) {
        if (!fk.warned) {
          fk.warned = true;
          this.issue("FK_NOT_CHECKED", {
            row,
            line,
            column: fk.name,
            value: id,
            rule: `${fk.name} refers to ${fk.table}.${fk.references}`,
            message: `${fk.table} was not loaded, so ${fk.name} was not checked (first value shown)`,
          });
        }
        continue;
      }
      const target = fk.parent.find(id);
      if (target >= 0) {
        this.fkTargets[fk.column] = target;
        continue;
      }
      ok = false;
      const rejectedAt = this.ctx.rejectedRow(fk.table, id);
      this.issue("ORPHAN", {
        row,
        line,
        column: fk.name,
        value: id,
        rule: `${fk.name} refers to ${fk.table}.${fk.references}`,
        message:
          rejectedAt === undefined
            ? `no ${fk.table} row has ${fk.references} ${id}`
            : `the ${fk.table} row with ${fk.references} ${id} (row ${rejectedAt}) was rejected`,
      });
    }
    return ok;
  }

  /** Keeps the key of a rejected row when its key fields are themselves valid (for orphan messages). */
  private rememberRejectedKey(fields: readonly string[], row: number): void {
    if (fields.length !== this.nFields) return;
    for (const c of this.keyColumns) {
      const v = (this.converters[c] as ColumnConverter)(this.textOf(fields, c));
      if (v instanceof ConversionFailure || v === null) return;
      this.values[c] = v;
    }
    this.ctx.rejectKey(this.def.name, this.keyOf(fields), row);
  }

  /** Accepts a row of the general path: writes every converted value into its slot. */
  private commit(fields: readonly string[], row: number, line: number): void {
    this.ensureSlot();
    const slot = this.nAccepted;
    const { values, stores } = this;
    for (let c = 0; c < stores.length; c++) {
      const store = stores[c] as ColumnStore;
      if (store instanceof RefStore) store.index[slot] = this.fkTargets[c] as number;
      else store.setValue(slot, values[c] as ColumnValue, this.textOf(fields, c));
    }
    for (const r of this.reasons) {
      const reason = r.reasonOf(this.textOf(fields, r.column));
      r.store.setValue(slot, reason, reason ?? "");
    }
    this.ownKeys.append(this.keyOf(fields));
    this.accept(row, line);
  }

  /** Counts an accepted row whose slot and key are written. */
  private accept(row: number, line: number): void {
    this.dirty = false;
    const slot = this.nAccepted++;
    this.slotRows[slot] = row;
    this.slotLines[slot] = line;
  }

  /** Day number in a date column's slot, or null. */
  private dayAt(c: number, slot: number): number | null {
    const store = this.stores[c];
    if (store instanceof DateStore) return store.data[slot] as number;
    if (store instanceof IntStore) {
      const v = store.data[slot] as number;
      return v === store.nullValue ? null : v;
    }
    return null;
  }

  /**
   * Rejects every row whose key repeats an earlier accepted row's (DUPLICATE_KEY; the first occurrence
   * is kept) and removes it from the columns.
   */
  private rejectDuplicates(): void {
    const dups = this.ownKeys.duplicates();
    if (dups.length === 0) return;
    const slots = Int32Array.from(dups, (d) => d.index);
    for (const d of dups) {
      const value = this.ownKeys.keyAt(d.index).replaceAll(KEY_SEPARATOR, ",");
      this.issues.add("DUPLICATE_KEY", {
        file: this.def.fileName,
        row: this.slotRows[d.index] as number,
        line: this.slotLines[d.index] as number,
        column: this.keyName,
        value,
        rule: `${this.keyName} is unique in ${this.def.name}`,
        message: `${this.keyName} ${value} already appears at row ${this.slotRows[d.first] as number}; this row is rejected`,
      });
    }
    const used = this.nAccepted;
    for (const store of this.stores) store.remove(slots, used);
    for (const r of this.reasons) r.store.remove(slots, used);
    this.ownKeys.remove(slots);
    removeSlots(this.slotRows, slots, used);
    removeSlots(this.slotLines, slots, used);
    this.nAccepted -= dups.length;
    this.nRejected += dups.length;
  }

  /** The cross-table warnings of the accepted rows (AFTER_DEATH, OUTSIDE_OBSERVATION), in row order. */
  private checkEventDates(): void {
    const personStore = this.personColumn >= 0 ? this.stores[this.personColumn] : undefined;
    if (!(personStore instanceof RefStore) || this.eventChecks.length === 0) return;
    const persons = personStore.index;
    for (let slot = 0; slot < this.nAccepted; slot++) {
      const person = persons[slot] as number;
      if (person < 0) continue;
      for (const e of this.eventChecks) {
        const day = this.dayAt(e.column, slot);
        if (day === null) continue;
        if (e.afterDeath) {
          const death = this.ctx.deathDay(person);
          if (death !== null && day > death) {
            this.issue("AFTER_DEATH", {
              row: this.slotRows[slot] as number,
              line: this.slotLines[slot] as number,
              column: e.name,
              value: formatIsoDate(day),
              rule: `${e.name} is on or before the person's death_date`,
              message: `${e.name} is ${day - death} day(s) after the death date of ${this.personId(person)}`,
            });
          }
        }
        if (e.withinObservation && this.ctx.checksObservation && !this.ctx.inObservation(person, day)) {
          this.issue("OUTSIDE_OBSERVATION", {
            row: this.slotRows[slot] as number,
            line: this.slotLines[slot] as number,
            column: e.name,
            value: formatIsoDate(day),
            rule: `${e.name} lies in an observation period of the person`,
            message: `${e.name} is outside every observation period of ${this.personId(person)}`,
          });
        }
      }
    }
  }

  private personId(person: number): string {
    return (this.persons as KeyIndex).keyAt(person);
  }

  /** Builds the arquero table (dictionary column order; reason columns follow their column). */
  finish(): ColumnTable {
    this.rejectDuplicates();
    const n = this.nAccepted;
    const data: Record<string, unknown> = {};
    for (const [c, column] of this.columns.entries()) {
      data[column.name] = (this.stores[c] as ColumnStore).finish(n);
      const reason = this.reasonOfColumn[c];
      if (reason) data[missingReasonColumnName(column.name)] = reason.store.finish(n);
    }
    if (this.def.name === "persons") {
      const death = data.death_date;
      // Int32 day numbers with INT32_NULL for none (optional dates are always Int32 storage).
      if (death instanceof IntColumn || death instanceof Int32Array) {
        this.ctx.setDeathDays(death instanceof IntColumn ? death.data : death);
      }
    }
    if (this.periodColumns) {
      const personStore = this.personColumn >= 0 ? this.stores[this.personColumn] : undefined;
      if (personStore instanceof RefStore) {
        const [start, end] = this.periodColumns;
        for (let slot = 0; slot < n; slot++) {
          const s = this.dayAt(start, slot);
          const e = this.dayAt(end, slot);
          if (s !== null && e !== null) this.ctx.addPeriod(personStore.index[slot] as number, s, e);
        }
      }
      this.ctx.finishPeriods();
    }
    this.checkEventDates();
    this.issues.sortFrom(this.issueStart);
    this.slotRows = new Int32Array(0);
    this.slotLines = new Int32Array(0);
    this.ctx.loaded.add(this.def.name);
    return aq.table(data);
  }
}
