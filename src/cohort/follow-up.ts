/**
 * Follow-up windows from an index date (MEASURES.md §3.3): follow-up runs from the index day (day 0)
 * to the earliest of the horizon, the end of continuous observation, and death. Observation periods
 * of one person that overlap or touch (next start ≤ previous end + 1) are merged into one continuous
 * span before the lookup.
 */

/** Why follow-up ended. */
export type FollowUpEnd = "HORIZON" | "OBSERVATION_END" | "DEATH";

/** Merged, sorted observation spans of one person: parallel start/end day numbers (inclusive). */
export interface ObservationSpans {
  readonly start: readonly number[];
  readonly end: readonly number[];
}

/** Merges inclusive [start, end] day intervals that overlap or touch. Input need not be sorted. */
export function mergeSpans(starts: readonly number[], ends: readonly number[]): ObservationSpans {
  const idx = starts.map((_, i) => i).sort((a, b) => (starts[a] as number) - (starts[b] as number));
  const s: number[] = [];
  const e: number[] = [];
  for (const i of idx) appendSpan(s, e, starts[i] as number, ends[i] as number);
  return { start: s, end: e };
}

/**
 * Adds inclusive [a, b] to spans `s`/`e` built in order of start: merged into the last span when it
 * overlaps or touches it (a ≤ last end + 1), else appended.
 */
export function appendSpan(s: number[], e: number[], a: number, b: number): void {
  const last = e.length - 1;
  if (last >= 0 && a <= (e[last] as number) + 1) {
    if (b > (e[last] as number)) e[last] = b;
  } else {
    s.push(a);
    e.push(b);
  }
}

/** The merged span containing `day`, or -1. */
export function spanContaining(spans: ObservationSpans, day: number): number {
  for (let k = 0; k < spans.start.length; k++) {
    if ((spans.start[k] as number) <= day && day <= (spans.end[k] as number)) return k;
  }
  return -1;
}

/** A resolved follow-up window: last day observed (inclusive) and why it ended. */
export interface FollowUpWindow {
  readonly lastDay: number;
  readonly endReason: FollowUpEnd;
}

/**
 * Resolves follow-up for an index day: last day = min(index + horizon, observation end, death day).
 * Ties are resolved in the order death, observation end, horizon (death is the informative one).
 * Returns null when the index day lies outside every observation span.
 */
export function followUpWindow(
  indexDay: number,
  horizonDays: number,
  spans: ObservationSpans,
  deathDay: number | null,
): FollowUpWindow | null {
  const k = spanContaining(spans, indexDay);
  if (k < 0) return null;
  const obsEnd = spans.end[k] as number;
  const horizonEnd = indexDay + horizonDays;
  let lastDay = Math.min(obsEnd, horizonEnd);
  let endReason: FollowUpEnd = obsEnd <= horizonEnd ? "OBSERVATION_END" : "HORIZON";
  if (deathDay !== null && deathDay <= lastDay) {
    lastDay = deathDay;
    endReason = "DEATH";
  }
  return { lastDay, endReason };
}
