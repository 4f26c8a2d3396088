/**
 * Covariate columns → numeric design columns, with treatment (dummy) coding of factors as R's
 * `model.matrix` with `contr.treatment`.
 */
import { type Warning, warning } from "../messages.js";
import { InvalidInputError } from "../stats/errors.js";
import type { DesignColumn } from "../stats/regression/index.js";
import { freezeResult } from "../stats/result.js";
import { compareLabels, type Label } from "./util.js";

/** One raw covariate column: numbers (NaN/null = missing), booleans, or labels for a factor. */
export type CovariateColumn = ArrayLike<number> | readonly (string | number | boolean | null | undefined)[];

/** How one factor is coded. */
export interface FactorSpec {
  /** Reference level (default: the first level in sorted order, as R's factor()). */
  readonly reference?: Label;
  /** Explicit level order (default: sorted; numbers numerically, strings by code unit). */
  readonly levels?: readonly Label[];
}

export interface DesignMatrixOptions {
  /** Columns to dummy-code: a list of names, or name → FactorSpec. String-valued columns must be listed. */
  readonly factors?: readonly string[] | Readonly<Record<string, FactorSpec>>;
}

/** Coding of one factor: `dummies[k]` is the column for `levels[k + 1]` (levels[0] is the reference). */
export interface FactorCoding {
  readonly name: string;
  readonly levels: readonly Label[];
  readonly reference: Label;
  readonly dummies: readonly string[];
}

export interface DesignMatrixResult {
  /** Numeric columns (Float64Array values); NaN marks a missing value. */
  readonly columns: readonly DesignColumn[];
  readonly factors: readonly FactorCoding[];
  readonly n: number;
  /** Rows with at least one missing value. */
  readonly nIncomplete: number;
  readonly warnings: readonly Warning[];
}

const FN = "designMatrix";

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));
}

/**
 * Builds numeric design columns from named covariate columns (R `model.matrix(~ ., data)` without the
 * intercept): numeric and boolean columns pass through (booleans as 0/1); each factor becomes one
 * 0/1 dummy per non-reference level, named `<column><level>` as R does (e.g. `racehispan`).
 * A missing value (null, undefined, "", NaN) gives NaN in the column (all dummies of a factor), so
 * the propensity model can refuse or exclude the row. A factor with a single level yields no column
 * and a CONSTANT_COVARIATE warning. ±Infinity and unlisted string columns throw.
 *
 * Reference: R `stats::model.matrix`, `contr.treatment`.
 * @example designMatrix({ age: [30, 40], race: ["white", "black"] }, { factors: ["race"] })
 *   // columns: age, racewhite (reference "black")
 */
export function designMatrix(
  columns: Readonly<Record<string, CovariateColumn>>,
  options: DesignMatrixOptions = {},
): DesignMatrixResult {
  const names = Object.keys(columns);
  if (names.length === 0) throw new InvalidInputError(FN, "no covariate columns given");
  const specs = new Map<string, FactorSpec>();
  if (Array.isArray(options.factors)) for (const f of options.factors as readonly string[]) specs.set(f, {});
  else if (options.factors) {
    for (const [k, v] of Object.entries(options.factors as Record<string, FactorSpec>)) specs.set(k, v);
  }
  for (const f of specs.keys()) {
    if (!(f in columns)) throw new InvalidInputError(FN, `factor "${f}" is not among the columns`);
  }
  const n = columns[names[0]!]!.length;
  const out: DesignColumn[] = [];
  const factors: FactorCoding[] = [];
  const warnings: Warning[] = [];
  const incomplete = new Uint8Array(n);
  for (const name of names) {
    const col = columns[name]!;
    if (col.length !== n)
      throw new InvalidInputError(FN, `column "${name}" has ${col.length} values, expected ${n}`);
    const spec = specs.get(name);
    if (spec === undefined) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = col[i] as unknown;
        if (isMissing(v)) {
          values[i] = Number.NaN;
          incomplete[i] = 1;
        } else if (typeof v === "boolean") values[i] = v ? 1 : 0;
        else if (typeof v === "number") {
          if (!Number.isFinite(v))
            throw new InvalidInputError(FN, `column "${name}" is infinite at row ${i}`);
          values[i] = v;
        } else {
          throw new InvalidInputError(
            FN,
            `column "${name}" holds a non-number at row ${i} (${JSON.stringify(v)}): list it in options.factors`,
          );
        }
      }
      out.push({ name, values });
      continue;
    }
    // Factor.
    const present = new Set<Label>();
    for (let i = 0; i < n; i++) {
      const v = col[i] as unknown;
      if (isMissing(v)) {
        incomplete[i] = 1;
        continue;
      }
      if (typeof v === "boolean") present.add(v ? 1 : 0);
      else if (typeof v === "number" || typeof v === "string") present.add(v);
      else throw new InvalidInputError(FN, `factor "${name}" has an invalid value at row ${i}`);
    }
    let levels: Label[];
    if (spec.levels) {
      levels = [...spec.levels];
      for (const v of present) {
        if (!levels.includes(v))
          throw new InvalidInputError(FN, `factor "${name}": value "${v}" is not in levels`);
      }
    } else levels = [...present].sort(compareLabels);
    if (spec.reference !== undefined) {
      const k = levels.indexOf(spec.reference);
      if (k < 0) throw new InvalidInputError(FN, `factor "${name}": reference "${spec.reference}" not found`);
      levels.splice(k, 1);
      levels.unshift(spec.reference);
    }
    const index = new Map<Label, number>();
    levels.forEach((l, k) => {
      index.set(l, k);
    });
    const dummies: string[] = [];
    const cols: Float64Array[] = [];
    for (let k = 1; k < levels.length; k++) {
      dummies.push(`${name}${levels[k]}`);
      cols.push(new Float64Array(n));
    }
    for (let i = 0; i < n; i++) {
      const raw = col[i] as unknown;
      if (isMissing(raw)) {
        for (const c of cols) c[i] = Number.NaN;
        continue;
      }
      const v = typeof raw === "boolean" ? (raw ? 1 : 0) : (raw as Label);
      const k = index.get(v)!;
      if (k > 0) cols[k - 1]![i] = 1;
    }
    if (levels.length < 2) {
      warnings.push(
        warning(
          "CONSTANT_COVARIATE",
          `factor "${name}" has ${levels.length} level(s) and contributes no column`,
          {
            column: name,
          },
        ),
      );
    }
    dummies.forEach((d, k) => {
      out.push({ name: d, values: cols[k]! });
    });
    factors.push({ name, levels, reference: levels[0] ?? "", dummies });
  }
  const seen = new Set<string>();
  for (const c of out) {
    if (seen.has(c.name)) throw new InvalidInputError(FN, `two design columns are both named "${c.name}"`);
    seen.add(c.name);
  }
  let nIncomplete = 0;
  for (let i = 0; i < n; i++) nIncomplete += incomplete[i]!;
  return freezeResult({ columns: out, factors, n, nIncomplete, warnings });
}

/** Normalises covariates given as DesignColumn[] or a name → numbers record into DesignColumn[]. */
export function toDesignColumns(
  fn: string,
  covariates: readonly DesignColumn[] | Readonly<Record<string, ArrayLike<number>>>,
  n: number,
): DesignColumn[] {
  const cols: DesignColumn[] = Array.isArray(covariates)
    ? [...(covariates as readonly DesignColumn[])]
    : Object.entries(covariates as Record<string, ArrayLike<number>>).map(([name, values]) => ({
        name,
        values,
      }));
  for (const c of cols) {
    if (!c || typeof c.name !== "string" || !c.values)
      throw new InvalidInputError(fn, "each covariate needs a name and values");
    if (c.values.length !== n) {
      throw new InvalidInputError(fn, `covariate "${c.name}" has ${c.values.length} values, expected ${n}`);
    }
  }
  return cols;
}
