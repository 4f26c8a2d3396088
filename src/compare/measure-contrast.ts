/**
 * Between-arm contrasts of a measure's unit-level values (MEASURES.md §1.6): every measure in
 * src/measures returns a unit table with `person_id`, `in_denominator` and its value columns; this joins
 * each unit's person to its arm (arms.csv), keeps the units in the denominator with an evaluable value,
 * and estimates the absolute and relative contrast with CIs and an E-value (`estimateEffect`), and — on
 * request — the effect within each level of a subgroup variable with the interaction test
 * (`subgroupEffects`). Units of the same person are clustered (robust variance by person) whenever a
 * person contributes more than one unit (§1.3).
 */
import type { ColumnTable } from "arquero";
import { InvalidInputError } from "../stats/errors.js";
import { freezeResult } from "../stats/result.js";
import { type EffectOptions, type EffectResult, estimateEffect, type Outcome } from "./effects.js";
import { type SubgroupResult, subgroupEffects } from "./subgroups.js";

export interface MeasureContrastOptions extends EffectOptions {
  /** Column of the unit table holding the value (0/1 for binary, a number for continuous, a count for count). */
  readonly value: string;
  readonly outcome: "binary" | "continuous" | "count";
  /** Count outcomes: column of the unit table with the person-time at risk (the rate's denominator). */
  readonly personTime?: string;
  /** Arm labels of the treated and the control group (default PEER and COMPARISON). */
  readonly treated?: string;
  readonly control?: string;
  /** Use arms.weight as the weight of each unit (weighted designs). Default false. */
  readonly useArmWeights?: boolean;
  /** Subgroup variable: a column of the unit table, or of `subgroupTable` joined by person_id. */
  readonly subgroup?: { readonly column: string; readonly table?: ColumnTable };
}

export interface MeasureContrastResult {
  readonly value: string;
  readonly treated: string;
  readonly control: string;
  /** Units analysed (in the denominator, evaluable, in one of the two arms). */
  readonly n: number;
  /** Units left out, by reason. */
  readonly excluded: {
    readonly notInDenominator: number;
    readonly notEvaluable: number;
    readonly otherOrNoArm: number;
  };
  readonly clusteredByPerson: boolean;
  readonly effect: EffectResult;
  readonly subgroups: SubgroupResult | null;
}

const FN = "measureContrast";

function column<T>(table: ColumnTable, name: string): ArrayLike<T> {
  if (!table.columnNames().includes(name))
    throw new InvalidInputError(FN, `no column "${name}" in the table`);
  return table.array(name) as unknown as ArrayLike<T>;
}

/**
 * Contrast of a measure's value between two arms (MEASURES.md §1.6).
 * @param units the measure's unit table (`result.units`)
 * @param arms the arms table of the dataset (person_id, arm, optionally weight)
 */
export function measureContrast(
  units: ColumnTable,
  arms: ColumnTable,
  options: MeasureContrastOptions,
): MeasureContrastResult {
  const treated = options.treated ?? "PEER";
  const control = options.control ?? "COMPARISON";
  const armOf = new Map<string, { arm: string; weight: number | null }>();
  const armIds = column<string>(arms, "person_id");
  const armLabels = column<string>(arms, "arm");
  const armWeights = options.useArmWeights ? column<number | null>(arms, "weight") : null;
  for (let i = 0; i < armIds.length; i++) {
    armOf.set(armIds[i] as string, {
      arm: armLabels[i] as string,
      weight: armWeights ? (armWeights[i] ?? null) : null,
    });
  }
  const person = column<string>(units, "person_id");
  const inDen = column<boolean>(units, "in_denominator");
  const value = column<number | boolean | null>(units, options.value);
  const pt = options.outcome === "count" ? column<number | null>(units, options.personTime ?? "") : null;
  let subgroupValues: ArrayLike<string | number | null> | null = null;
  if (options.subgroup) {
    const sg = options.subgroup;
    if (sg.table) {
      const ids = column<string>(sg.table, "person_id");
      const vals = column<string | number | null>(sg.table, sg.column);
      const byPerson = new Map<string, string | number | null>();
      for (let i = 0; i < ids.length; i++) byPerson.set(ids[i] as string, vals[i] ?? null);
      subgroupValues = Array.from(
        { length: person.length },
        (_, i) => byPerson.get(person[i] as string) ?? null,
      );
    } else {
      subgroupValues = column<string | number | null>(units, sg.column);
    }
  }

  const keep: number[] = [];
  let notInDenominator = 0;
  let notEvaluable = 0;
  let otherOrNoArm = 0;
  for (let i = 0; i < person.length; i++) {
    if (!inDen[i]) {
      notInDenominator++;
      continue;
    }
    const v = value[i];
    const t = pt ? pt[i] : 1;
    if (
      v === null ||
      v === undefined ||
      (typeof v === "number" && !Number.isFinite(v)) ||
      t === null ||
      t === undefined
    ) {
      notEvaluable++;
      continue;
    }
    const a = armOf.get(person[i] as string);
    if (!a || (a.arm !== treated && a.arm !== control)) {
      otherOrNoArm++;
      continue;
    }
    keep.push(i);
  }
  const n = keep.length;
  const treat = new Uint8Array(n);
  const y = new Float64Array(n);
  const time = new Float64Array(n);
  const weights = options.useArmWeights ? new Float64Array(n) : null;
  const cluster: string[] = new Array(n);
  const seen = new Set<string>();
  let repeated = false;
  keep.forEach((i, k) => {
    const p = person[i] as string;
    const a = armOf.get(p)!;
    treat[k] = a.arm === treated ? 1 : 0;
    const v = value[i];
    y[k] = typeof v === "boolean" ? (v ? 1 : 0) : (v as number);
    if (pt) time[k] = pt[i] as number;
    if (weights) weights[k] = a.weight ?? 1;
    cluster[k] = p;
    if (seen.has(p)) repeated = true;
    seen.add(p);
  });
  const outcome: Outcome =
    options.outcome === "count"
      ? { type: "count", y, personTime: time }
      : options.outcome === "binary"
        ? { type: "binary", y }
        : { type: "continuous", y };
  const input = {
    treat,
    outcome,
    ...(weights ? { weights } : {}),
    ...(repeated ? { cluster } : {}),
  };
  const effect = estimateEffect(input, options);
  let subgroups: SubgroupResult | null = null;
  if (subgroupValues && options.subgroup) {
    const sv = keep.map((i) => subgroupValues[i] ?? null);
    subgroups = subgroupEffects({ ...input, subgroup: sv }, { ...options, name: options.subgroup.column });
  }
  return freezeResult({
    value: options.value,
    treated,
    control,
    n,
    excluded: { notInDenominator, notEvaluable, otherOrNoArm },
    clusteredByPerson: repeated,
    effect,
    subgroups,
  });
}
