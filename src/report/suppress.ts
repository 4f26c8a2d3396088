/**
 * Small-cell suppression for everything the report shows.
 *
 * Primary suppression hides every count from 1 to the threshold (default 10; zero is shown).
 * Complementary suppression then hides further cells wherever an additive relation
 * (total = sum of parts) would otherwise let a reader work a hidden count out: each relation that
 * has exactly one hidden cell gets a second one (preferring a cell whose hiding does not leave
 * another relation with a single hidden cell, then a positive count, then the smallest), repeated
 * until every relation has zero or at least two hidden cells. A complementarily hidden number is
 * hidden wherever the same number appears (the report cannot know whether two equal counts in
 * different tables are the same quantity, so it assumes they are). This is the cell-suppression rule of the CMS cell-size suppression policy (counts
 * 1–10 hidden, no back-calculation from totals); it is a heuristic for additive relations, not an
 * optimal linear-programming suppression.
 *
 * Subgroup tables add two constraints: a level's n, n treated and n control are hidden together when
 * one of them is small (`linked`), and each column's total over the levels is treated as public
 * (`fixed`: never hidden, never chosen as the complement), so a column with one hidden level gets a
 * second one.
 */
import type { ReportInput, SmallCellPolicy } from "./types.js";

/** The default policy: counts 1–10 hidden. */
export const DEFAULT_SMALL_CELL_POLICY: SmallCellPolicy = Object.freeze({ threshold: 10, suppressed: true });

/** Fills in defaults: threshold 10, suppression on. */
export function resolveSmallCellPolicy(policy?: Partial<SmallCellPolicy>): SmallCellPolicy {
  const threshold = policy?.threshold ?? DEFAULT_SMALL_CELL_POLICY.threshold;
  if (!Number.isInteger(threshold) || threshold < 0) {
    throw new RangeError(`small-cell threshold must be a non-negative integer, got ${threshold}`);
  }
  return { threshold, suppressed: policy?.suppressed ?? DEFAULT_SMALL_CELL_POLICY.suppressed };
}

/** Whether a count is hidden by primary suppression: suppression is on and 1 ≤ n ≤ threshold. */
export function isSmallCount(n: number, policy: SmallCellPolicy): boolean {
  return policy.suppressed && n >= 1 && n <= policy.threshold;
}

export type CellStatus = "shown" | "primary" | "complementary";

/** total = sum of parts, over cell ids. */
export interface AdditiveRelation {
  readonly total: string;
  readonly parts: readonly string[];
}

/** Further constraints of `suppressCells`. */
export interface SuppressCellsOptions {
  /**
   * Cells that are public anyway (e.g. a total shown elsewhere, or one a reader can add up): always
   * "shown", never picked as a complement, never hidden by the same-number rule.
   */
  readonly fixed?: ReadonlySet<string>;
  /**
   * Groups of cells that are hidden together: when one cell of a group is hidden by primary
   * suppression, the others are hidden as complements (e.g. a subgroup row's n, n treated and n control).
   */
  readonly linked?: readonly (readonly string[])[];
}

/**
 * Primary and complementary suppression of a set of counts linked by additive relations.
 * Returns the status of every cell in `values`. Relations that name unknown cells are ignored.
 * Deterministic: ties go to the cell that comes first in the relation (parts before the total).
 * A relation whose only shown cells are `fixed` cannot be protected and is left as it is.
 */
export function suppressCells(
  values: ReadonlyMap<string, number>,
  relations: readonly AdditiveRelation[],
  policy: SmallCellPolicy,
  options: SuppressCellsOptions = {},
): Map<string, CellStatus> {
  const fixed = options.fixed ?? new Set<string>();
  const status = new Map<string, CellStatus>();
  for (const [id, n] of values)
    status.set(id, !fixed.has(id) && isSmallCount(n, policy) ? "primary" : "shown");
  if (!policy.suppressed) return status;
  const hide = (id: string) => {
    status.set(id, "complementary");
    // The same number shown elsewhere would give the hidden one away: hide it everywhere.
    const v = values.get(id);
    for (const [other, n] of values)
      if (n === v && status.get(other) === "shown" && !fixed.has(other)) status.set(other, "complementary");
  };
  for (const group of options.linked ?? []) {
    if (!group.some((id) => status.get(id) === "primary")) continue;
    for (const id of group) if (status.get(id) === "shown" && !fixed.has(id)) hide(id);
  }
  const usable = relations.filter((r) => values.has(r.total) && r.parts.every((p) => values.has(p)));
  let changed = true;
  while (changed) {
    changed = false;
    for (const r of usable) {
      const cells = [r.total, ...r.parts];
      const hidden = cells.filter((id) => status.get(id) !== "shown");
      if (hidden.length !== 1) continue;
      const pick = pickComplement(r, usable, values, status, fixed);
      if (pick === undefined) continue;
      hide(pick);
      changed = true;
    }
  }
  return status;
}

/**
 * The cell to hide next in a relation with one hidden cell: among its shown cells (parts, then the
 * total), the one whose hiding leaves the fewest other relations with exactly one hidden cell
 * (so suppression does not cascade), then a positive count before a zero, then the smallest.
 */
function pickComplement(
  r: AdditiveRelation,
  relations: readonly AdditiveRelation[],
  values: ReadonlyMap<string, number>,
  status: ReadonlyMap<string, CellStatus>,
  fixed: ReadonlySet<string>,
): string | undefined {
  let best: string | undefined;
  let bestKey: readonly number[] = [];
  for (const id of [...r.parts, r.total]) {
    if (status.get(id) !== "shown" || fixed.has(id)) continue;
    let cost = 0;
    for (const q of relations) {
      if (q === r) continue;
      const cells = [q.total, ...q.parts];
      if (cells.includes(id) && cells.every((c) => status.get(c) === "shown")) cost++;
    }
    const v = values.get(id) ?? 0;
    const key = [cost, v === 0 ? 1 : 0, v];
    if (best === undefined || lexLess(key, bestKey)) {
      best = id;
      bestKey = key;
    }
  }
  return best;
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

/** Cell ids used by the report; exported so that tests and other renderers name cells alike. */
export const cellIds = {
  flow: (step: number) => `flow/${step}`,
  flowExcluded: (step: number, reason: number) => `flow/${step}/excluded/${reason}`,
  file: (file: number, column: "read" | "accepted" | "rejected") => `file/${file}/${column}`,
  issue: (issue: number) => `issue/${issue}`,
  groupN: (outcome: number, group: number) => `outcome/${outcome}/group/${group}/n`,
  groupEvents: (outcome: number, group: number) => `outcome/${outcome}/group/${group}/events`,
  comparabilityArm: (arm: "treated" | "control", sample: "before" | "after") =>
    `comparability/arm/${arm}/${sample}`,
  comparabilityCell: (row: number, sample: "before" | "after", arm: "treated" | "control") =>
    `comparability/row/${row}/${sample}/${arm}`,
  comparabilityCount: (k: number) => `comparability/count/${k}`,
  /** A count of one level of a subgroup section: n, n treated or n control. */
  subgroupCount: (outcome: number, section: number, row: number, column: SubgroupColumn) =>
    `outcome/${outcome}/subgroup/${section}/row/${row}/${column}`,
  /** Units without a value of the subgroup variable. */
  subgroupMissing: (outcome: number, section: number) => `outcome/${outcome}/subgroup/${section}/missing`,
  /** The (public, never displayed) column total of a subgroup section, a `fixed` cell. */
  subgroupTotal: (outcome: number, section: number, column: SubgroupColumn) =>
    `outcome/${outcome}/subgroup/${section}/total/${column}`,
} as const;

/** The count columns of a subgroup section. */
export type SubgroupColumn = "n" | "treated" | "control";

/** Every count of a report, with its suppression status and display string. */
export interface SuppressionPlan {
  readonly policy: SmallCellPolicy;
  readonly status: ReadonlyMap<string, CellStatus>;
  /** Number of cells hidden (primary + complementary). */
  readonly hidden: number;
  /** Values of complementarily hidden cells: charts hide the same numbers (e.g. at risk at time 0). */
  readonly complementaryValues: ReadonlySet<number>;
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/**
 * Collects every count of a report and its additive relations, and suppresses them:
 * - flow: step n = its exclusions + the next step's n (when the numbers add up exactly);
 * - files: read = accepted + rejected (when they add up);
 * - each outcome: the last flow step's n = the groups' n (when they add up);
 * - comparability (matched and weighted designs): see `addComparabilityCells`;
 * - subgroup sections: see `addSubgroupCells`.
 * Numbers at risk and the n of chart points are suppressed (primary only) by the chart builders.
 */
export function planReportSuppression(input: ReportInput): SuppressionPlan {
  const policy = resolveSmallCellPolicy(input.smallCell);
  const values = new Map<string, number>();
  const relations: AdditiveRelation[] = [];

  input.flow.forEach((step, i) => {
    values.set(cellIds.flow(i), step.n);
    (step.excluded ?? []).forEach((ex, j) => {
      values.set(cellIds.flowExcluded(i, j), ex.n);
    });
  });
  input.flow.forEach((step, i) => {
    const excluded = step.excluded ?? [];
    const next = input.flow[i + 1];
    const parts = excluded.map((_, j) => cellIds.flowExcluded(i, j));
    const partValues = excluded.map((ex) => ex.n);
    if (next !== undefined) {
      parts.push(cellIds.flow(i + 1));
      partValues.push(next.n);
    }
    if (parts.length > 0 && sum(partValues) === step.n) relations.push({ total: cellIds.flow(i), parts });
  });

  input.dataQuality.files.forEach((f, i) => {
    values.set(cellIds.file(i, "read"), f.read);
    values.set(cellIds.file(i, "accepted"), f.accepted);
    values.set(cellIds.file(i, "rejected"), f.rejected);
    if (f.accepted + f.rejected === f.read) {
      relations.push({
        total: cellIds.file(i, "read"),
        parts: [cellIds.file(i, "accepted"), cellIds.file(i, "rejected")],
      });
    }
  });
  input.dataQuality.issuesByCode.forEach((issue, i) => {
    values.set(cellIds.issue(i), issue.count);
  });

  const lastIndex = input.flow.length - 1;
  const last = input.flow[lastIndex];
  input.outcomes.forEach((outcome, k) => {
    outcome.groupEstimates.forEach((g, j) => {
      values.set(cellIds.groupN(k, j), g.n);
      if (g.events !== undefined) values.set(cellIds.groupEvents(k, j), g.events);
    });
    const ns = outcome.groupEstimates.map((g) => g.n);
    if (last !== undefined && ns.length > 0 && sum(ns) === last.n) {
      relations.push({
        total: cellIds.flow(lastIndex),
        parts: outcome.groupEstimates.map((_, j) => cellIds.groupN(k, j)),
      });
    }
  });

  if (input.comparability) addComparabilityCells(input, values, relations);
  const fixed = new Set<string>();
  const linked: string[][] = [];
  addSubgroupCells(input, values, relations, fixed, linked);

  const status = suppressCells(values, relations, policy, { fixed, linked });
  let hidden = 0;
  const complementaryValues = new Set<number>();
  for (const [id, s] of status) {
    if (fixed.has(id)) continue;
    if (s !== "shown") hidden++;
    if (s === "complementary") complementaryValues.add(values.get(id) ?? 0);
  }
  return { policy, status, hidden, complementaryValues };
}

/**
 * Comparability section: arm sizes before/after adjustment, every Table 1 cell (people in a level, with
 * a missing value, or with an observed value) and further counts. Relations: within each covariate and
 * arm, the arm size = the sum of its rows (levels; or observed + missing), before and after; and the
 * flow step whose count equals the two arms' sum = the two arms.
 */
function addComparabilityCells(
  input: ReportInput,
  values: Map<string, number>,
  relations: AdditiveRelation[],
): void {
  const c = input.comparability;
  if (!c) return;
  const arms = ["treated", "control"] as const;
  const samples = ["before", "after"] as const;
  for (const arm of arms) {
    values.set(cellIds.comparabilityArm(arm, "before"), c.arms[arm].n);
    values.set(cellIds.comparabilityArm(arm, "after"), c.arms[arm].nAdjusted);
  }
  c.rows.forEach((row, r) => {
    for (const sample of samples) {
      for (const arm of arms) values.set(cellIds.comparabilityCell(r, sample, arm), row[sample][arm].n);
    }
  });
  c.counts.forEach((x, k) => {
    values.set(cellIds.comparabilityCount(k), x.n);
  });
  const byCovariate = new Map<string, number[]>();
  c.rows.forEach((row, r) => {
    const list = byCovariate.get(row.covariate);
    if (list) list.push(r);
    else byCovariate.set(row.covariate, [r]);
  });
  for (const rowsOf of byCovariate.values()) {
    for (const sample of samples) {
      for (const arm of arms) {
        const total = sample === "before" ? c.arms[arm].n : c.arms[arm].nAdjusted;
        const parts = rowsOf.map((r) => cellIds.comparabilityCell(r, sample, arm));
        const sumParts = sum(rowsOf.map((r) => (c.rows[r] as (typeof c.rows)[number])[sample][arm].n));
        if (sumParts === total) relations.push({ total: cellIds.comparabilityArm(arm, sample), parts });
      }
    }
  }
  for (const sample of samples) {
    const total =
      sample === "before"
        ? c.arms.treated.n + c.arms.control.n
        : c.arms.treated.nAdjusted + c.arms.control.nAdjusted;
    for (let i = input.flow.length - 1; i >= 0; i--) {
      if (input.flow[i]?.n !== total) continue;
      relations.push({
        total: cellIds.flow(i),
        parts: arms.map((arm) => cellIds.comparabilityArm(arm, sample)),
      });
      break;
    }
  }
}

/**
 * Subgroup sections of each outcome. Per level: n = n treated + n control (when they add up), and the
 * three counts are linked (one small count hides the level's three counts). Per column: the sum over
 * the levels (+ units with a missing value, for n) is treated as public — it is the analysed total,
 * or an arm's size, shown elsewhere in the report — so it is a `fixed` cell that forces a second hidden
 * level in a column with one. The per-arm columns are related only when no unit is missing (the
 * missing units are not split by arm, so otherwise an arm's total does not give a level away).
 */
function addSubgroupCells(
  input: ReportInput,
  values: Map<string, number>,
  relations: AdditiveRelation[],
  fixed: Set<string>,
  linked: string[][],
): void {
  const columns = ["n", "treated", "control"] as const;
  input.outcomes.forEach((outcome, k) => {
    (outcome.subgroups ?? []).forEach((section, s) => {
      section.rows.forEach((row, r) => {
        const ids = columns.map((c) => cellIds.subgroupCount(k, s, r, c));
        values.set(ids[0] as string, row.n);
        values.set(ids[1] as string, row.nTreated);
        values.set(ids[2] as string, row.nControl);
        linked.push(ids);
        if (row.nTreated + row.nControl === row.n)
          relations.push({ total: ids[0] as string, parts: ids.slice(1) });
      });
      if (section.rows.length === 0) return;
      const missing = section.nMissing ?? 0;
      if (section.nMissing !== undefined) values.set(cellIds.subgroupMissing(k, s), section.nMissing);
      for (const column of columns) {
        if (column !== "n" && missing > 0) continue;
        const total = cellIds.subgroupTotal(k, s, column);
        const parts = section.rows.map((_, r) => cellIds.subgroupCount(k, s, r, column));
        let value = sum(
          section.rows.map((row) =>
            column === "n" ? row.n : column === "treated" ? row.nTreated : row.nControl,
          ),
        );
        if (column === "n" && section.nMissing !== undefined) {
          parts.push(cellIds.subgroupMissing(k, s));
          value += section.nMissing;
        }
        values.set(total, value);
        fixed.add(total);
        relations.push({ total, parts });
      }
    });
  });
}

/** Status of one cell of a plan ("shown" for an id the plan does not know). */
export function cellStatus(plan: SuppressionPlan, id: string): CellStatus {
  return plan.status.get(id) ?? "shown";
}
