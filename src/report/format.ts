/**
 * The only place where numbers become strings. Deterministic (no locale): ASCII digits, "," as the
 * thousands separator, "." as the decimal point, "-" as the minus sign.
 */
import type { ValueStyle } from "./types.js";

/** Shown for a value that could not be estimated (a `null` in a result). */
export const NOT_ESTIMABLE = "—";

/** Inserts thousands separators into a string of digits. */
function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Fixed-decimal formatting with thousands separators; `null`, `undefined` and NaN give "—",
 * ±Infinity gives "∞"/"-∞", and a value that rounds to zero never shows as "-0".
 * @example formatNumber(1234.567, 1) // "1,234.6"
 */
export function formatNumber(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || Number.isNaN(x)) return NOT_ESTIMABLE;
  if (x === Number.POSITIVE_INFINITY) return "∞";
  if (x === Number.NEGATIVE_INFINITY) return "-∞";
  const fixed = Math.abs(x).toFixed(digits);
  const negative = x < 0 && /[1-9]/.test(fixed);
  const [whole = "0", fraction] = fixed.split(".");
  const body = fraction === undefined ? groupDigits(whole) : `${groupDigits(whole)}.${fraction}`;
  return negative ? `-${body}` : body;
}

/**
 * A whole number with thousands separators (rounded to the nearest integer).
 * @example formatInteger(12345) // "12,345"
 */
export function formatInteger(n: number | null | undefined): string {
  return formatNumber(n, 0);
}

/**
 * A proportion (0–1) as a percentage.
 * @example formatPercent(0.4231) // "42.3%"
 */
export function formatPercent(p: number | null | undefined, digits = 1): string {
  if (p === null || p === undefined || Number.isNaN(p)) return NOT_ESTIMABLE;
  return `${formatNumber(p * 100, digits)}%`;
}

/**
 * One value in a display style (see `ValueStyle`); the default is 2 decimals.
 * @example formatValue(0.052, { kind: "percentagePoints" }) // "5.2 pp"
 */
export function formatValue(x: number | null | undefined, style?: ValueStyle): string {
  if (x === null || x === undefined || Number.isNaN(x)) return NOT_ESTIMABLE;
  const kind = style?.kind ?? "decimal";
  switch (kind) {
    case "decimal":
      return formatNumber(x, style?.digits ?? 2);
    case "percent":
      return formatPercent(x, style?.digits ?? 1);
    case "percentagePoints":
      return `${formatNumber(x * 100, style?.digits ?? 1)} pp`;
    case "ratio": {
      if (style?.digits !== undefined) return formatNumber(x, style.digits);
      const a = Math.abs(x);
      if (a > 0 && a < 0.1 && Number.isFinite(a)) {
        // two significant digits
        const decimals = Math.min(20, 1 - Math.floor(Math.log10(a)));
        return formatNumber(x, decimals);
      }
      return formatNumber(x, 2);
    }
  }
}

/**
 * An estimate with its confidence interval: "0.42 (0.31 to 0.55)". "to" rather than a dash so
 * that negative bounds read unambiguously. A missing bound gives "0.42 (— to 0.55)"; a missing
 * estimate gives "—".
 * @example formatEstimateCi(0.42, 0.31, 0.55) // "0.42 (0.31 to 0.55)"
 */
export function formatEstimateCi(
  estimate: number | null | undefined,
  lower: number | null | undefined,
  upper: number | null | undefined,
  style?: ValueStyle,
): string {
  if (estimate === null || estimate === undefined || Number.isNaN(estimate)) return NOT_ESTIMABLE;
  const e = formatValue(estimate, style);
  const noBounds =
    (lower === null || lower === undefined || Number.isNaN(lower)) &&
    (upper === null || upper === undefined || Number.isNaN(upper));
  if (noBounds) return e;
  return `${e} (${formatValue(lower, style)} to ${formatValue(upper, style)})`;
}

/**
 * A p-value in the NEJM/AMA convention: "<0.001"; 3 decimals below 0.01; otherwise 2 decimals,
 * except that a value just below 0.05 that would round to "0.05" keeps 3 decimals; ">0.99" above
 * 0.99. `null`/NaN give "—".
 * @example formatPValue(0.00042) // "<0.001"
 */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return NOT_ESTIMABLE;
  if (p < 0.001) return "<0.001";
  if (p > 0.99) return ">0.99";
  if (p < 0.01) return p.toFixed(3);
  const two = p.toFixed(2);
  if (p < 0.05 && two === "0.05") return p.toFixed(3);
  return two;
}

/**
 * The display of a count under the small-cell policy. `status` comes from `suppress.ts`:
 * "primary" (1 to threshold) shows "≤threshold"; "complementary" (hidden so that a primary cell
 * cannot be back-calculated) shows "†".
 * @example formatCount(7, "primary", 10) // "≤10"
 */
export function formatCount(
  n: number,
  status: "shown" | "primary" | "complementary",
  threshold: number,
): string {
  if (status === "primary") return `≤${formatInteger(threshold)}`;
  if (status === "complementary") return COMPLEMENTARY_MARK;
  return formatInteger(n);
}

/** The mark shown for a complementarily suppressed count. */
export const COMPLEMENTARY_MARK = "†";

/** The text that explains the two suppression marks (shown under every report). */
export function suppressionFootnote(threshold: number, applied: boolean): string {
  if (!applied) {
    return `Small-cell suppression is OFF: counts of 1 to ${formatInteger(threshold)} are shown. Do not share this report outside the evaluation team.`;
  }
  return (
    `Counts of 1 to ${formatInteger(threshold)} are hidden and shown as "≤${formatInteger(threshold)}" ` +
    `(small-cell suppression). A further count marked "${COMPLEMENTARY_MARK}" is hidden so that a hidden count cannot ` +
    "be worked out from a total (complementary suppression). Estimates whose denominator or number of " +
    "events is hidden are hidden too. Zero is shown."
  );
}
