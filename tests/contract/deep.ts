/** Helpers for deep structural checks of result objects (used by the contract test and unit tests). */

/** Paths of every number in `value` that is NaN or ±Infinity (JSON would turn them into null). */
export function nonFiniteNumbers(value: unknown, path = "$"): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (value === null || typeof value !== "object") return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) out.push(...nonFiniteNumbers(child, `${path}.${key}`));
  return out;
}

/** Paths of every object or array inside `value` (including itself) that is not frozen. */
export function unfrozenPaths(value: unknown, path = "$"): string[] {
  if (value === null || typeof value !== "object") return [];
  const out: string[] = Object.isFrozen(value) ? [] : [path];
  if (ArrayBuffer.isView(value)) return [`${path} (typed array)`];
  for (const [key, child] of Object.entries(value)) out.push(...unfrozenPaths(child, `${path}.${key}`));
  return out;
}

/** Every object in `value` that looks like an Estimate (has `estimate` and `ci`), with its path. */
export function estimatesIn(
  value: unknown,
  path = "$",
): { path: string; estimate: number | null; lower: number | null; upper: number | null; level: unknown }[] {
  if (value === null || typeof value !== "object") return [];
  const out: {
    path: string;
    estimate: number | null;
    lower: number | null;
    upper: number | null;
    level: unknown;
  }[] = [];
  const v = value as Record<string, unknown>;
  if ("estimate" in v && "ci" in v && v.ci !== null && typeof v.ci === "object") {
    const ci = v.ci as Record<string, unknown>;
    out.push({
      path,
      estimate: typeof v.estimate === "number" ? v.estimate : null,
      lower: typeof ci.lower === "number" ? ci.lower : null,
      upper: typeof ci.upper === "number" ? ci.upper : null,
      level: ci.level,
    });
  }
  for (const [key, child] of Object.entries(v)) out.push(...estimatesIn(child, `${path}.${key}`));
  return out;
}
