/**
 * Rules that involve several columns of one row (checked after every field converted) and the
 * cross-table checks a table asks for. Rules are data (so the codebook can list them); each rule's
 * check is implemented once, in `compileRowRule`, and used both by the zod row schema
 * (`superRefine`) and by the loader's fast path.
 */
import type { LoadIssueCode } from "../src/messages/load.js";

/** `end` must be on or after `start` when both are present (code END_BEFORE_START). */
export interface DateOrderRule {
  readonly kind: "dateOrder";
  readonly start: string;
  readonly end: string;
  readonly description: string;
}

/** Item range of one instrument: items 1..`items` may be answered, each within [minimum, maximum]. */
export interface InstrumentItems {
  readonly items: number;
  readonly minimum: number | null;
  readonly maximum: number | null;
  readonly source: string;
}

/**
 * Items answered must exist in the row's instrument (ITEM_NOT_IN_INSTRUMENT) and lie in its range
 * (RANGE). Instruments not listed are not checked.
 */
export interface InstrumentItemsRule {
  readonly kind: "instrumentItems";
  readonly instrumentColumn: string;
  readonly itemColumns: readonly string[];
  readonly instruments: Readonly<Record<string, InstrumentItems>>;
  readonly description: string;
}

/** A rule over several columns of one row. */
export type RowRule = DateOrderRule | InstrumentItemsRule;

/** One broken rule, located at a column. */
export interface RuleViolation {
  readonly column: string;
  readonly code: Extract<LoadIssueCode, "END_BEFORE_START" | "RANGE" | "ITEM_NOT_IN_INSTRUMENT">;
  readonly message: string;
  readonly rule: string;
}

/**
 * A cross-table check on a table's event date: `afterDeath` warns (AFTER_DEATH) when the date is after
 * the person's death date; `withinObservation` warns (OUTSIDE_OBSERVATION) when the date is outside every
 * observation period of the person. Missing dates are not checked.
 */
export interface EventDateCheck {
  readonly column: string;
  readonly afterDeath: boolean;
  readonly withinObservation: boolean;
}

/** A compiled rule: reads a row's converted values (in column order) and returns its violations. */
export type CompiledRowRule = (values: readonly unknown[]) => RuleViolation[] | null;

function indexOrThrow(indexOf: (column: string) => number, column: string): number {
  const i = indexOf(column);
  if (i < 0) throw new Error(`rule refers to unknown column "${column}"`);
  return i;
}

/** Compiles a rule against a column order (`indexOf` gives a column's position in the values). */
export function compileRowRule(rule: RowRule, indexOf: (column: string) => number): CompiledRowRule {
  if (rule.kind === "dateOrder") {
    const s = indexOrThrow(indexOf, rule.start);
    const e = indexOrThrow(indexOf, rule.end);
    const text = `${rule.end} ≥ ${rule.start}`;
    return (values) => {
      const start = values[s];
      const end = values[e];
      if (typeof start !== "number" || typeof end !== "number" || end >= start) return null;
      return [
        {
          column: rule.end,
          code: "END_BEFORE_START",
          message: `${rule.end} is ${start - end} day(s) before ${rule.start}`,
          rule: text,
        },
      ];
    };
  }
  const inst = indexOrThrow(indexOf, rule.instrumentColumn);
  const items = rule.itemColumns.map((c) => indexOrThrow(indexOf, c));
  return (values) => {
    const instrument = values[inst];
    if (typeof instrument !== "string") return null;
    const spec = rule.instruments[instrument];
    if (!spec) return null;
    let out: RuleViolation[] | null = null;
    for (let k = 0; k < items.length; k++) {
      const v = values[items[k] as number];
      if (typeof v !== "number") continue;
      const column = rule.itemColumns[k] as string;
      if (k >= spec.items) {
        out ??= [];
        out.push({
          column,
          code: "ITEM_NOT_IN_INSTRUMENT",
          message: `${instrument} has ${spec.items} item(s); ${column} must be missing`,
          rule: `${instrument}: items 1–${spec.items} only`,
        });
      } else if ((spec.minimum !== null && v < spec.minimum) || (spec.maximum !== null && v > spec.maximum)) {
        out ??= [];
        out.push({
          column,
          code: "RANGE",
          message: `${instrument} items range ${spec.minimum ?? "−∞"}–${spec.maximum ?? "∞"}`,
          rule: `${instrument}: each item ${spec.minimum ?? "−∞"}–${spec.maximum ?? "∞"}`,
        });
      }
    }
    return out;
  };
}
