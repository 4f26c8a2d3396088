/**
 * Wald helpers against R: qnorm, pnorm, and survival:::survfit_confint(p, se, logse = FALSE,
 * conf.type, conf.int = 0.9) for p = (0.5, 0.9, 0.02), se = (0.1, 0.05, 0.03) (R 4.2.2, survival 3.5-3).
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/stats/errors.js";
import {
  checkConfLevel,
  probabilityCi,
  probabilityCiArrays,
  waldCi,
  waldCiLog,
  zCritical,
  zTest,
} from "../../../src/stats/inference/index.js";
import { expectClose } from "../../helpers/expect-close.js";

const T = { rel: 1e-14, abs: 1e-16 };

describe("zCritical / zTest", () => {
  it("matches qnorm and 2·pnorm(−|z|)", () => {
    expectClose(zCritical(0.95), 1.9599639845400536, T, "z.975");
    expectClose(zCritical(0.9), 1.6448536269514715, T, "z.95");
    const r = zTest(2.5, 1);
    expect(r.statistic).toBe(2.5);
    expectClose(r.pValue, 0.01241933065155227, { rel: 1e-13 }, "p");
    expect(zTest(1, 0)).toEqual({ statistic: null, pValue: null });
    expect(zTest(null, 1)).toEqual({ statistic: null, pValue: null });
  });
  it("checkConfLevel", () => {
    expect(() => checkConfLevel(1, "f")).toThrow(InvalidInputError);
    expect(() => checkConfLevel(0, "f")).toThrow(InvalidInputError);
    expect(() => checkConfLevel(0.95, "f")).not.toThrow();
  });
});

describe("waldCi / waldCiLog", () => {
  it("plain and log-scale (R: 3·exp(∓qnorm(.975)·0.2/3))", () => {
    const p = waldCi(3, 0.2, 0.95);
    expectClose(p.lower, 3 - 1.9599639845400536 * 0.2, T, "plain lower");
    expect(p.level).toBe(0.95);
    const l = waldCiLog(3, 0.2, 0.95);
    expectClose(l.lower, 2.6325370079612198, T, "log lower");
    expectClose(l.upper, 3.4187553575818832, T, "log upper");
    expect(waldCiLog(0, 0.2, 0.95).lower).toBeNull();
    expect(waldCi(1, Number.POSITIVE_INFINITY, 0.95).upper).toBeNull();
  });
});

describe("probabilityCi vs survfit_confint (conf.int = 0.9)", () => {
  const p = [0.5, 0.9, 0.02];
  const se = [0.1, 0.05, 0.03];
  const z = zCritical(0.9);
  const cases = {
    plain: [
      [0.33551463730485287, 0.8177573186524264, 0],
      [0.66448536269514713, 0.98224268134757364, 0.069345608808544137],
    ],
    log: [
      [0.35983204216194453, 0.82140312522676828, 0.0016963041128662544],
      [0.69476858841683142, 0.98611750445480706, 0.23580677365930458],
    ],
    "log-log": [
      [0.32819422367357404, 0.77816878806850243, 0.00064237503792292092],
      [0.64971048757969818, 0.95670553731948904, 0.1246717854694272],
    ],
  } as const;
  for (const [type, [lo, up]] of Object.entries(cases)) {
    it(type, () => {
      p.forEach((pi, i) => {
        const b = probabilityCi(pi, se[i]!, type as "plain" | "log" | "log-log", z);
        expectClose(b.lower, lo[i]!, { rel: 1e-13, abs: 1e-16 }, `${type} lower ${i}`);
        expectClose(b.upper, up[i]!, { rel: 1e-13, abs: 1e-16 }, `${type} upper ${i}`);
      });
    });
  }
  it("array form gives the same bounds, null where not evaluable", () => {
    for (const [type, [lo, up]] of Object.entries(cases)) {
      const b = probabilityCiArrays([...p, 0, 1], [...se, 0, null], type as "plain" | "log" | "log-log", z);
      p.forEach((_, i) => {
        expectClose(b.lower[i]!, lo[i]!, { rel: 1e-13, abs: 1e-16 }, `${type} lower ${i}`);
        expectClose(b.upper[i]!, up[i]!, { rel: 1e-13, abs: 1e-16 }, `${type} upper ${i}`);
      });
      expect(b.lower[3]).toEqual(type === "plain" ? 0 : null);
      expect(b.upper[4]).toBeNull();
    }
  });
  it("edge values: p = 0, p = 1, se = 0, se = null", () => {
    expect(probabilityCi(0, 0, "log", z)).toEqual({ lower: null, upper: null });
    expect(probabilityCi(1, 0, "log", z)).toEqual({ lower: 1, upper: 1 });
    expect(probabilityCi(1, 0, "log-log", z)).toEqual({ lower: null, upper: null });
    expect(probabilityCi(0, 0, "plain", z)).toEqual({ lower: 0, upper: 0 });
    expect(probabilityCi(0.5, null, "log", z)).toEqual({ lower: null, upper: null });
  });
});
