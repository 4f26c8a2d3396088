/**
 * Whole-day date arithmetic (DESIGN.md "Dates are whole days"). An ISO calendar date is parsed once
 * into an integer day number (days since 1970-01-01); no JavaScript Date or time zone enters a
 * computation. Civil-from-days / days-from-civil after H. Hinnant, "chrono-Compatible Low-Level Date
 * Algorithms".
 */

/** Day number (days since 1970-01-01) of a proleptic Gregorian date; month 1–12. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar date {year, month, day} of a day number. */
export function civilFromDays(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Number of days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses a strict ISO `YYYY-MM-DD` date to a day number, or returns null when the text is not a real
 * calendar date (e.g. 2024-02-30, 2023-13-01, 24-1-1).
 */
export function parseIsoDate(text: string): number | null {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null;
  let year = 0;
  let month = 0;
  let day = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    if (i < 4) year = year * 10 + c;
    else if (i < 7) month = month * 10 + c;
    else day = day * 10 + c;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

/** Formats a day number as ISO `YYYY-MM-DD`. */
export function formatIsoDate(dayNumber: number): string {
  const { year, month, day } = civilFromDays(dayNumber);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * Adds calendar months to a day number, clamping the day to the end of a shorter month
 * (2024-01-31 + 1 month = 2024-02-29). MEASURES.md §15.12.
 */
export function addMonths(dayNumber: number, months: number): number {
  const { year, month, day } = civilFromDays(dayNumber);
  const total = year * 12 + (month - 1) + months;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return daysFromCivil(y, m, Math.min(day, daysInMonth(y, m)));
}
