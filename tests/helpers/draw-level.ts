/** Draws a level index from its probabilities (which sum to 1) with one uniform draw. */
export function drawLevel(u: () => number, prob: readonly number[]): number {
  let v = u();
  for (let l = 0; l < prob.length - 1; l++) {
    v -= prob[l]!;
    if (v < 0) return l;
  }
  return prob.length - 1;
}
