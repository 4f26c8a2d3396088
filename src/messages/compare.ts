/** Warning codes of the compare area: code → one-line description. Add codes here, never inline. */
export const COMPARE_CODES = {} as const satisfies Record<string, string>;
