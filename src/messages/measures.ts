/** Warning codes of the measures area: code → one-line description. Add codes here, never inline. */
export const MEASURE_CODES = {} as const satisfies Record<string, string>;
