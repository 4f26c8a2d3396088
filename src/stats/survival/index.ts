/** Survival analysis: Kaplan–Meier, log-rank, Aalen–Johansen and Gray's test, RMST, Cox, cox.zph, Fine–Gray. */
export * from "./index-cox.js";
export * from "./index-km.js";
