/** Index events, time zero and follow-up windows. */
export * from "./follow-up.js";
export * from "./person-events.js";
