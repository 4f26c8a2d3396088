/** Standardised effect sizes. */
export { type HedgesGOptions, type HedgesGResult, hedgesG } from "./hedges-g.js";
