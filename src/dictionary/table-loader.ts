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
import type { KeyIndex } from "./key-index.js";

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

  private commit(fields: readonly string[], row: number, line: number): void {
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

  private checkEventDates(fields: readonly string[], row: number, line: number): void {
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
