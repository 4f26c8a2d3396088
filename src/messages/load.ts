/** Warning codes of the load area: code → one-line description. Add codes here, never inline. */
export const LOAD_CODES = {} as const satisfies Record<string, string>;
