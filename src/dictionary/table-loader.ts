/**
 * Validates and converts the records of one table file, column by column, into arquero columns.
 * Feed it the header, then every record (fields + physical line), then call `finish()`.
 *
 * Per record: field count (PARSE_TOO_FEW/MANY_FIELDS) → every field through its compiled converter
 * (all failing fields are reported) → multi-column rules → primary key (DUPLICATE_KEY: the second and
 * later occurrences are rejected) → foreign keys (ORPHAN) → accepted, then the warnings AFTER_DEATH and
 * OUTSIDE_OBSERVATION. Any error rejects the record; every other record is kept. `read = accepted +
 * rejected` always.
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
import { daysFromCivil, daysInMonth } from "../dates.js";
import { type ColumnBuilder, createColumnBuilder } from "./column-builder.js";
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
  readonly builder: ColumnBuilder;
}

const KEY_SEPARATOR = "\u001f";

// Module-local copies of imported functions (tsx turns imported bindings into getters in hot loops).
const civilDay = daysFromCivil;
const monthDays = daysInMonth;

/** Fast-path handling of a column in `recordLine`. */
const FAST_GENERIC = 0;
const FAST_DATE = 1;
const FAST_FOREIGN_ID = 2;
const FAST_CACHED = 3;

/** Distinct texts whose converted values a FAST_CACHED column remembers. */
const RANGE_CACHE_LIMIT = 1 << 16;

/** True for the characters JavaScript's `\s` matches (as the id converter checks). */
function isWhiteSpaceCode(c: number): boolean {
  if (c > 32 && c < 127) return false;
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Day number of the strict ISO date in `text[start, start + 10)`, or -1e9 when it is not one. */
function isoDateAt(text: string, start: number): number {
  if (text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45) return -1e9;
  let year = 0;
  let month = 0;
  let day = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = text.charCodeAt(start + i) - 48;
    if (c < 0 || c > 9) return -1e9;
    if (i < 4) year = year * 10 + c;
    else if (i < 7) month = month * 10 + c;
    else day = day * 10 + c;
  }
  if (month < 1 || month > 12 || day < 1 || day > monthDays(year, month)) return -1e9;
  return civilDay(year, month, day);
}

/** Loads one table file into columns. */
export class TableLoader {
  private readonly columns: readonly ColumnInfo[];
  private readonly converters: readonly ColumnConverter[];
  private readonly builders: readonly ColumnBuilder[];
  private readonly reasons: readonly ReasonColumn[];
  private readonly rules: readonly CompiledRowRule[];
  private readonly keyColumns: readonly number[];
  private readonly keyName: string;
  private readonly foreignKeys: readonly ForeignKeyCheck[];
  private readonly personColumn: number;
  private readonly eventChecks: readonly EventCheck[];
  private readonly values: ColumnValue[];
  private readonly ownKeys: KeyIndex;
  /** For observation_periods: positions of start_date and end_date. */
  private readonly periodColumns: readonly [number, number] | null;
  private fieldIndex: Int32Array;
  /** Per column: FAST_GENERIC, FAST_DATE or FAST_FOREIGN_ID (see `recordLine`). */
  private readonly fastKinds: Int8Array;
  /** Per column: the parent keys of a foreign-key id column, else null. */
  private readonly fastParents: (KeyIndex | null)[];
  /** Per FAST_CACHED column: converted texts (as keys) and their values, else null. */
  private readonly fastCaches: (KeyIndex | null)[];
  private readonly fastCacheValues: ColumnValue[][];
  /** `recordLine` may validate rows from field ranges (decided when the header is read). */
  private fastEnabled = false;
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  /** Source of the current fast-path row (field texts are ranges of it), or null. */
  private lineText: string | null = null;
  private nFields = 0;
  private rejectAll = false;
  private headerDone = false;
  private nRead = 0;
  private nAccepted = 0;
  private nRejected = 0;

  constructor(
    private readonly def: TableDefinition<TableName>,
    private readonly ctx: DatasetContext,
    private readonly issues: IssueCollector,
  ) {
    this.columns = def.columns;
    const names = this.columns.map((c) => c.name);
    const indexOf = (name: string) => names.indexOf(name);
    this.converters = this.columns.map(compileColumnConverter);
    this.builders = this.columns.map((c) => createColumnBuilder(c.kind, c.required));
    this.reasons = this.columns.flatMap((c, i) => {
      const reasonOf = compileMissingReason(c);
      return reasonOf ? [{ column: i, reasonOf, builder: createColumnBuilder("code", false) }] : [];
    });
    this.rules = def.rules.map((r) => compileRowRule(r, indexOf));
    this.keyColumns = def.primaryKey.map(indexOf);
    this.keyName = def.primaryKey.join("+");
    this.foreignKeys = def.foreignKeys.map((fk) => ({
      column: indexOf(fk.column),
      name: fk.column,
      table: fk.table as TableName,
      references: fk.references,
      parent: ctx.keysOf(fk.table as TableName),
      warned: false,
    }));
    this.ownKeys = ctx.keysOf(def.name);
    this.personColumn = this.foreignKeys.find((fk) => fk.table === "persons")?.column ?? -1;
    this.eventChecks = def.eventDates.map((e) => ({
      column: indexOf(e.column),
      name: e.column,
      afterDeath: e.afterDeath,
      withinObservation: e.withinObservation,
    }));
    this.periodColumns =
      def.name === "observation_periods" ? [indexOf("start_date"), indexOf("end_date")] : null;
    this.values = new Array<ColumnValue>(this.columns.length).fill(null);
    this.fieldIndex = new Int32Array(this.columns.length).fill(-1);
    this.fastKinds = new Int8Array(this.columns.length);
    this.fastParents = this.columns.map(() => null);
    this.fastCaches = this.columns.map(() => null);
    this.fastCacheValues = this.columns.map(() => []);
    for (const [c, column] of this.columns.entries()) {
      if (column.specialMissing.length > 0) continue;
      if (column.kind === "date" && column.maxLength >= 10) this.fastKinds[c] = FAST_DATE;
      // Converters are deterministic, so a column with few distinct texts (codes, lists, flags,
      // provider ids) remembers each text's value; primary-key columns (all distinct) do not.
      if (
        (column.kind === "code" ||
          column.kind === "list" ||
          column.kind === "bool" ||
          column.kind === "string" ||
          (column.kind === "id" && column.references === null)) &&
        !this.keyColumns.includes(c)
      ) {
        this.fastKinds[c] = FAST_CACHED;
        this.fastCaches[c] = new KeyIndex();
      }
      const fk = this.foreignKeys.find((k) => k.column === c);
      if (column.kind === "id" && column.references !== null && fk) {
        this.fastKinds[c] = FAST_FOREIGN_ID;
        this.fastParents[c] = fk.parent;
      }
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
    this.fastEnabled =
      !this.rejectAll &&
      this.reasons.length === 0 &&
      this.foreignKeys.every(
        (fk) => this.ctx.loaded.has(fk.table) && this.fastKinds[fk.column] === FAST_FOREIGN_ID,
      );
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

  /**
   * Validates one record given as the range `[start, end)` of `text` (a line without quotes; fields
   * are separated by commas). Same outcome as `record(text.slice(start, end).split(","), line)`: rows
   * that pass every check are converted from field ranges without splitting; any row with a problem
   * (or any unusual field) goes through `record`, which reports it.
   */
  recordLine(text: string, start: number, end: number, line: number): void {
    if (!this.fastEnabled) {
      this.record(text.slice(start, end).split(","), line);
      return;
    }
    const nFields = this.nFields;
    const starts = this.starts;
    const ends = this.ends;
    let k = 0;
    let p = start;
    // A character loop: fields are short, so this beats one indexOf call per field.
    for (let i = start; i < end; i++) {
      if (text.charCodeAt(i) !== 44) continue;
      if (k === nFields - 1) {
        this.record(text.slice(start, end).split(","), line);
        return;
      }
      starts[k] = p;
      ends[k] = i;
      k++;
      p = i + 1;
    }
    if (k !== nFields - 1) {
      this.record(text.slice(start, end).split(","), line);
      return;
    }
    starts[k] = p;
    ends[k] = end;
    const { converters, values, fieldIndex, fastKinds, fastParents, columns } = this;
    const nColumns = converters.length;
    let person = -1;
    for (let c = 0; c < nColumns; c++) {
      const f = fieldIndex[c] as number;
      const kind = fastKinds[c] as number;
      if (f >= 0 && kind !== FAST_GENERIC) {
        const a = starts[f] as number;
        const b = ends[f] as number;
        const len = b - a;
        if (kind === FAST_CACHED) {
          const cache = this.fastCaches[c] as KeyIndex;
          const hit = cache.findRange(text, a, b);
          if (hit >= 0) {
            values[c] = (this.fastCacheValues[c] as ColumnValue[])[hit] as ColumnValue;
            continue;
          }
          const s = text.slice(a, b);
          const v = (converters[c] as ColumnConverter)(s);
          if (v instanceof ConversionFailure) {
            this.record(text.slice(start, end).split(","), line);
            return;
          }
          if (v !== null && cache.size < RANGE_CACHE_LIMIT) {
            // Copy long texts so the cache does not keep the input chunk alive (V8 sliced strings).
            cache.insert(s.length >= 13 ? ` ${s}`.slice(1) : s, 0);
            (this.fastCacheValues[c] as ColumnValue[]).push(v);
          }
          values[c] = v;
          continue;
        }
        if (kind === FAST_DATE) {
          if (len === 10) {
            const day = isoDateAt(text, a);
            if (day === -1e9) {
              this.record(text.slice(start, end).split(","), line);
              return;
            }
            values[c] = day;
            continue;
          }
        } else if (
          len > 0 &&
          len <= (columns[c] as ColumnInfo).maxLength &&
          !(len === 2 && text.charCodeAt(a) === 78 && text.charCodeAt(a + 1) === 65) &&
          !isWhiteSpaceCode(text.charCodeAt(a)) &&
          !isWhiteSpaceCode(text.charCodeAt(b - 1))
        ) {
          const parent = fastParents[c] as KeyIndex;
          const target = parent.findRange(text, a, b);
          if (target < 0) {
            this.record(text.slice(start, end).split(","), line);
            return;
          }
          // The parent's string instance: child rows keep no copies of the ids.
          values[c] = parent.keys[target] as string;
          if (c === this.personColumn) person = target;
          continue;
        }
      }
      const v = (converters[c] as ColumnConverter)(
        f < 0 ? "" : text.slice(starts[f] as number, ends[f] as number),
      );
      if (v instanceof ConversionFailure || (kind === FAST_FOREIGN_ID && v !== null)) {
        this.record(text.slice(start, end).split(","), line);
        return;
      }
      values[c] = v;
    }
    const rules = this.rules;
    for (let r = 0; r < rules.length; r++) {
      if ((rules[r] as CompiledRowRule)(values)) {
        this.record(text.slice(start, end).split(","), line);
        return;
      }
    }
    const first = this.ownKeys.insert(this.keyOf(), this.nRead + 1);
    if (first >= 0) {
      // A duplicate (nothing was inserted): `record` reports it.
      this.record(text.slice(start, end).split(","), line);
      return;
    }
    const row = ++this.nRead;
    this.personIndex = person;
    this.lineText = text;
    this.commit(null, row, line);
    this.lineText = null;
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
    let key = "";
    if (ok) {
      key = this.keyOf();
      // Foreign keys first: only rows that pass them enter the key index (one probe: check + insert).
      ok = this.checkForeignKeys(row, line) && this.insertKey(key, fields, row, line);
    }
    if (!ok) {
      this.nRejected++;
      this.rememberRejectedKey(fields, row);
      return;
    }
    this.commit(fields, row, line);
  }

  /** Text of a column in the current row: from `fields`, or (null) from the fast-path line ranges. */
  private textOf(fields: readonly string[] | null, column: number): string {
    const f = this.fieldIndex[column] as number;
    if (f < 0) return "";
    if (fields === null) return (this.lineText as string).slice(this.starts[f], this.ends[f]);
    return fields[f] as string;
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

  private keyOf(): string {
    const k = this.keyColumns;
    if (k.length === 1) return String(this.values[k[0] as number]);
    let key = String(this.values[k[0] as number]);
    for (let i = 1; i < k.length; i++) key += KEY_SEPARATOR + String(this.values[k[i] as number]);
    return key;
  }

  /** The key as written in the file (raw texts of the key columns, comma-separated). */
  private displayKey(fields: readonly string[]): string {
    return this.keyColumns.map((c) => this.textOf(fields, c)).join(",");
  }

  /** Adds the row's key, or reports DUPLICATE_KEY (the first occurrence is kept). */
  private insertKey(key: string, fields: readonly string[], row: number, line: number): boolean {
    const first = this.ownKeys.insert(key, row);
    if (first < 0) return true;
    const firstRow = this.ownKeys.rows[first] as number;
    this.issue("DUPLICATE_KEY", {
      row,
      line,
      column: this.keyName,
      value: this.displayKey(fields),
      rule: `${this.keyName} is unique in ${this.def.name}`,
      message: `${this.keyName} ${this.displayKey(fields)} already appears at row ${firstRow}; this row is rejected`,
    });
    return false;
  }

  private personIndex = -1;

  private checkForeignKeys(row: number, line: number): boolean {
    let ok = true;
    this.personIndex = -1;
    for (const fk of this.foreignKeys) {
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
        // Refer to the parent's string instance: a million child rows keep no copies of the ids.
        this.values[fk.column] = fk.parent.keys[target] as string;
        if (fk.column === this.personColumn) this.personIndex = target;
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
    const parts: string[] = [];
    for (const c of this.keyColumns) {
      const v = (this.converters[c] as ColumnConverter)(this.textOf(fields, c));
      if (v instanceof ConversionFailure || v === null) return;
      parts.push(String(v));
    }
    const key = parts.join(KEY_SEPARATOR);
    if (this.ownKeys.find(key) < 0) this.ctx.rejectKey(this.def.name, key, row);
  }

  private commit(fields: readonly string[] | null, row: number, line: number): void {
    const { values, builders } = this;
    for (let c = 0; c < builders.length; c++) (builders[c] as ColumnBuilder).push(values[c] as ColumnValue);
    for (const r of this.reasons) r.builder.push(r.reasonOf(this.textOf(fields, r.column)));
    this.nAccepted++;
    if (this.periodColumns) {
      const [start, end] = this.periodColumns;
      this.ctx.addPeriod(this.personIndex, values[start] as number, values[end] as number);
    }
    if (this.personIndex >= 0) this.checkEventDates(fields, row, line);
  }

  private checkEventDates(fields: readonly string[] | null, row: number, line: number): void {
    const person = this.personIndex;
    for (const e of this.eventChecks) {
      const day = this.values[e.column];
      if (typeof day !== "number") continue;
      if (e.afterDeath) {
        const death = this.ctx.deathDay(person);
        if (death !== null && day > death) {
          this.issue("AFTER_DEATH", {
            row,
            line,
            column: e.name,
            value: this.textOf(fields, e.column),
            rule: `${e.name} is on or before the person's death_date`,
            message: `${e.name} is ${day - death} day(s) after the death date of ${this.values[this.personColumn] as string}`,
          });
        }
      }
      if (e.withinObservation && this.ctx.checksObservation && !this.ctx.inObservation(person, day)) {
        this.issue("OUTSIDE_OBSERVATION", {
          row,
          line,
          column: e.name,
          value: this.textOf(fields, e.column),
          rule: `${e.name} lies in an observation period of the person`,
          message: `${e.name} is outside every observation period of ${this.values[this.personColumn] as string}`,
        });
      }
    }
  }

  /** Builds the arquero table (dictionary column order; reason columns follow their column). */
  finish(): ColumnTable {
    const data: Record<string, unknown> = {};
    for (const [c, column] of this.columns.entries()) {
      data[column.name] = (this.builders[c] as ColumnBuilder).build();
      const reason = this.reasons.find((r) => r.column === c);
      if (reason) data[missingReasonColumnName(column.name)] = reason.builder.build();
    }
    if (this.def.name === "persons") {
      this.ctx.setDeathDays(data.death_date as (number | null)[]);
    }
    if (this.def.name === "observation_periods") this.ctx.finishPeriods();
    this.ctx.loaded.add(this.def.name);
    return aq.table(data);
  }
}
