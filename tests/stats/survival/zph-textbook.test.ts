/** cox.zph score test against the textbook case tg1_zph (hand values; survival 3.x full score test). */
import { describe, it } from "vitest";
import { coxPH } from "../../../src/stats/survival/cox.js";
import { coxZph, type ZphTransform } from "../../../src/stats/survival/cox-zph.js";
import { expectClose } from "../../helpers/expect-close.js";
import { loadCoxTextbook } from "./cox-textbook.js";
import { col, num, tol } from "./textbook.js";

describe("coxZph: textbook case tg1_zph", () => {
  const tc = loadCoxTextbook("tg1_zph");
  const time = col(tc.data, "time");
  const status = col(tc.data, "status");
  const x = col(tc.data, "x");
  for (const ties of ["breslow", "efron"] as const) {
    const fit = coxPH({ time, status, x: [x], names: ["x"] }, { ties });
    for (const transform of ["identity", "log", "km"] as ZphTransform[]) {
      it(`${ties} ${transform}`, () => {
        const z = coxZph(fit, { transform });
        const key = `${ties}.${transform}`;
        expectClose(z.terms[0]?.statistic, num(tc, `${key}.chisq`), tol(tc, `${key}.chisq`), `${key}.chisq`);
        expectClose(z.terms[0]?.pValue, num(tc, `${key}.p`), tol(tc, `${key}.p`), `${key}.p`);
        // One covariate: GLOBAL equals the term row.
        expectClose(z.global.statistic, num(tc, `${key}.chisq`), tol(tc, `${key}.chisq`), `${key} GLOBAL`);
      });
    }
  }
  it("efron, two strata in (0, time] form, log transform: the statistic doubles", () => {
    const keep = status.map((s) => !Number.isNaN(s));
    const t2 = [...time, ...time].filter((_, i) => keep[i % time.length]);
    const s2 = [...status, ...status].filter((_, i) => keep[i % time.length]);
    const x2 = [...x, ...x].filter((_, i) => keep[i % time.length]);
    const g = [...time.map(() => "a"), ...time.map(() => "b")].filter((_, i) => keep[i % time.length]);
    const fit = coxPH({ start: t2.map(() => 0), stop: t2, status: s2, x: [x2], strata: g });
    const z = coxZph(fit, { transform: "log" });
    expectClose(
      z.terms[0]?.statistic,
      num(tc, "efron_strata.log.chisq"),
      tol(tc, "efron_strata.log.chisq"),
      "chisq",
    );
  });
});
