/** Warning codes of the report area: code → one-line description. Add codes here, never inline. */
export const REPORT_CODES = {} as const satisfies Record<string, string>;
