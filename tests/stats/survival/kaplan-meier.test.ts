/**
 * kaplanMeier / kaplanMeierAtTimes against R survival 3.5-3 (tests/reference/survival-km,
 * make-survival-km.R): lung by sex with all three CI types, quantiles, weights (robust IJ and
 * Greenwood), summary at fixed times; veteran by treatment; (start, stop] data with robust variance;
 * tiny cases (ties across groups, all censored, one event, one row, a zero weight, aeqSurv merging);
 * degenerate input and invariances (row order, integer weights ≡ replicated rows).
 */
import { describe, expect, it } from "vitest";
import { InsufficientDataError, InvalidInputError } from "../../../src/stats/errors.js";
import { kaplanMeier, kaplanMeierAtTimes } from "../../../src/stats/survival/index-km.js";
import type { KaplanMeierCurve } from "../../../src/stats/survival/kaplan-meier.js";
import { arr, cmpVec, nums, REF } from "./survival-km-reference.js";

const EXACT = { rel: 0, abs: 0 };
const CLOSE = { rel: 1e-10, abs: 1e-12 };
const COUNTS_W = { rel: 1e-12, abs: 1e-12 };

const lung = REF.data.lung;
const lungInput = { time: nums(lung.time), status: nums(lung.status), group: nums(lung.sex) };

function checkCurve(
  c: KaplanMeierCurve,
  // biome-ignore lint/suspicious/noExplicitAny: decoded reference JSON
  r: any,
  label: string,
  opts: { seOfS?: boolean; weighted?: boolean } = {},
) {
  cmpVec(c.time, arr(r.time), EXACT, `${label} time`);
  cmpVec(c.nRisk, arr(r.n_risk), opts.weighted ? COUNTS_W : EXACT, `${label} n_risk`);
  cmpVec(c.nEvent, arr(r.n_event), opts.weighted ? COUNTS_W : EXACT, `${label} n_event`);
  cmpVec(c.nCensor, arr(r.n_censor), opts.weighted ? COUNTS_W : EXACT, `${label} n_censor`);
  cmpVec(c.surv, arr(r.surv), CLOSE, `${label} surv`);
  // R's $std.err is the SE of log S when logse = TRUE, of S itself when logse = FALSE (robust fits)
  expect(r.logse, `${label} logse`).toBe(!opts.seOfS);
  cmpVec(opts.seOfS ? c.stdErr : c.stdErrLog, arr(r.std_err), CLOSE, `${label} std_err`);
  cmpVec(c.lower, arr(r.lower), CLOSE, `${label} lower`);
  cmpVec(c.upper, arr(r.upper), CLOSE, `${label} upper`);
  cmpVec(c.cumhaz, arr(r.cumhaz), CLOSE, `${label} cumhaz`);
  cmpVec(c.stdCumhaz, arr(r.std_chaz), CLOSE, `${label} std_chaz`);
}
// biome-ignore lint/suspicious/noExplicitAny: decoded reference JSON
function checkQuantiles(c: KaplanMeierCurve, q: any, label: string) {
  cmpVec(
    c.quantiles.map((x) => x.estimate),
    arr(q.quantile),
    EXACT,
    `${label} quantile`,
  );
  cmpVec(
    c.quantiles.map((x) => x.lower),
    arr(q.lower),
    EXACT,
    `${label} quantile lower`,
  );
  cmpVec(
    c.quantiles.map((x) => x.upper),
    arr(q.upper),
    EXACT,
    `${label} quantile upper`,
  );
}

describe("lung by sex (R survfit)", () => {
  for (const [confType, key] of [
    ["log", "lung_km_log"],
    ["log-log", "lung_km_loglog"],
    ["plain", "lung_km_plain"],
  ] as const) {
    it(`conf.type = ${confType}: curves and quantiles`, () => {
      const fit = kaplanMeier(lungInput, { confType });
      expect(fit.groups).toEqual([1, 2]);
      expect(fit.method).toContain(`${confType} CI`);
      fit.curves.forEach((c, k) => {
        checkCurve(c, REF.cases[key].curves[k], `${key}[${k}]`);
        checkQuantiles(c, REF.cases[key].quantiles[k], `${key}[${k}]`);
      });
    });
  }
  it("pooled curve with quantiles 0.1 … 0.9", () => {
    const fit = kaplanMeier(
      { time: lungInput.time, status: lungInput.status },
      { quantiles: [0.1, 0.25, 0.5, 0.75, 0.9] },
    );
    checkCurve(fit.curves[0]!, REF.cases.lung_km_overall.curves[0], "overall");
    checkQuantiles(fit.curves[0]!, REF.cases.lung_km_overall.quantiles[0], "overall");
    expect(fit.curves[0]!.median.estimate).toBe(fit.curves[0]!.quantiles[2]!.estimate);
  });
  it("non-integer weights: robust IJ variance (R default), log and log-log CIs", () => {
    const w = nums(lung.w);
    const fit = kaplanMeier({ ...lungInput, weights: w });
    expect(fit.variance).toBe("robust");
    const ll = kaplanMeier({ ...lungInput, weights: w }, { confType: "log-log" });
    fit.curves.forEach((c, k) => {
      checkCurve(c, REF.cases.lung_km_weighted_robust.curves[k], `weighted[${k}]`, {
        seOfS: true,
        weighted: true,
      });
      checkQuantiles(c, REF.cases.lung_km_weighted_robust.quantiles[k], `weighted[${k}]`);
      cmpVec(ll.curves[k]!.lower, arr(REF.cases.lung_km_weighted_robust.loglog[k].lower), CLOSE, "ll lower");
      cmpVec(ll.curves[k]!.upper, arr(REF.cases.lung_km_weighted_robust.loglog[k].upper), CLOSE, "ll upper");
    });
  });
  it("non-integer weights with variance: greenwood (R robust = FALSE)", () => {
    const fit = kaplanMeier({ ...lungInput, weights: nums(lung.w) }, { variance: "greenwood" });
    fit.curves.forEach((c, k) => {
      checkCurve(c, REF.cases.lung_km_weighted_greenwood.curves[k], `wg[${k}]`, { weighted: true });
    });
  });
  it("integer weights use Greenwood with weighted counts", () => {
    const fit = kaplanMeier({ ...lungInput, weights: nums(lung.wi) });
    expect(fit.variance).toBe("greenwood");
    fit.curves.forEach((c, k) => {
      checkCurve(c, REF.cases.lung_km_integer_weights.curves[k], `wi[${k}]`);
    });
  });
  it("unweighted with variance: robust (R robust = TRUE)", () => {
    const fit = kaplanMeier(lungInput, { variance: "robust" });
    fit.curves.forEach((c, k) => {
      checkCurve(c, REF.cases.lung_km_robust_unweighted.curves[k], `robust[${k}]`, { seOfS: true });
    });
  });
  it("summary at fixed times (extend = TRUE), and 1 − S", () => {
    const ref = REF.cases.lung_summary;
    const s = kaplanMeierAtTimes(kaplanMeier(lungInput), nums(ref.times));
    s.curves.forEach((c, k) => {
      const r = ref.groups[k];
      cmpVec(c.time, arr(r.time), EXACT, "time");
      cmpVec(c.nRisk, arr(r.n_risk), EXACT, "n_risk");
      cmpVec(c.nEvent, arr(r.n_event), EXACT, "n_event");
      cmpVec(c.nCensor, arr(r.n_censor), EXACT, "n_censor");
      cmpVec(c.surv, arr(r.surv), CLOSE, "surv");
      cmpVec(c.stdErr, arr(r.std_err), CLOSE, "std_err");
      cmpVec(c.lower, arr(r.lower), CLOSE, "lower");
      cmpVec(c.upper, arr(r.upper), CLOSE, "upper");
      cmpVec(
        c.cumulativeIncidence,
        arr(r.surv).map((x) => 1 - (x as number)),
        CLOSE,
        "1 - S",
      );
      c.cumulativeIncidenceUpper.forEach((u, i) => {
        expect(u).toBeCloseTo(1 - (c.lower[i] as number), 14);
      });
    });
  });
});

describe("veteran by treatment (R survfit)", () => {
  it("curves and quantiles", () => {
    const v = REF.data.veteran;
    const fit = kaplanMeier({ time: nums(v.time), status: nums(v.status), group: nums(v.trt) });
    fit.curves.forEach((c, k) => {
      checkCurve(c, REF.cases.veteran_km_trt.curves[k], `veteran[${k}]`);
      checkQuantiles(c, REF.cases.veteran_km_trt.quantiles[k], `veteran[${k}]`);
    });
  });
});

describe("(start, stop] data with non-integer weights: robust IJ with delayed entry", () => {
  it("matches survfit(Surv(start, stop, event) ~ 1, weights = wt + 0.5)", () => {
    const r = REF.cases.counting_robust;
    const fit = kaplanMeier({
      entry: nums(r.data.start),
      time: nums(r.data.stop),
      status: nums(r.data.event),
      weights: nums(r.data.wt),
    });
    expect(fit.variance).toBe("robust");
    checkCurve(fit.curves[0]!, r.curves[0], "counting", { seOfS: true, weighted: true });
  });
});

describe("tiny cases (R)", () => {
  const tiny = REF.cases.tiny;
  it("ties across groups", () => {
    const d = tiny.ties_across_groups.data;
    const fit = kaplanMeier({ time: nums(d.time), status: nums(d.status), group: nums(d.g) });
    fit.curves.forEach((c, k) => {
      checkCurve(c, tiny.ties_across_groups.km[k], `ties[${k}]`);
    });
  });
  it("all censored: S = 1 throughout, median null (not Infinity), NO_EVENTS", () => {
    const d = tiny.all_censored.data;
    const fit = kaplanMeier({ time: nums(d.time), status: nums(d.status) });
    checkCurve(fit.curves[0]!, tiny.all_censored.km[0], "all censored");
    expect(tiny.all_censored.median).toBeNull();
    expect(fit.curves[0]!.median.estimate).toBeNull();
    const codes = fit.warnings.map((w) => w.code);
    expect(codes).toContain("NO_EVENTS");
    expect(codes).toContain("MEDIAN_NOT_REACHED");
  });
  it("a single event", () => {
    const d = tiny.single_event.data;
    const fit = kaplanMeier({ time: nums(d.time), status: nums(d.status) });
    checkCurve(fit.curves[0]!, tiny.single_event.km[0], "single event");
  });
  it("a single observation", () => {
    const d = tiny.single_row.data;
    const fit = kaplanMeier({ time: nums(d.time), status: nums(d.status) });
    checkCurve(fit.curves[0]!, tiny.single_row.km[0], "single row");
    expect(fit.curves[0]!.median.estimate).toBe(5);
  });
  it("a weight of zero: row kept as R does (its time appears with zero counts)", () => {
    const d = tiny.zero_weight.data;
    const fit = kaplanMeier({ time: nums(d.time), status: nums(d.status), weights: nums(d.w) });
    checkCurve(fit.curves[0]!, tiny.zero_weight.km[0], "zero weight");
    expect(fit.n).toBe(6);
  });
  it("aeqSurv merges near-equal times (timefix), and not with timefix: false", () => {
    const d = tiny.timefix.data;
    const input = { time: nums(d.time), status: nums(d.status) };
    const fit = kaplanMeier(input);
    checkCurve(fit.curves[0]!, tiny.timefix.km[0], "timefix");
    expect(fit.warnings.map((w) => w.code)).toContain("TIMES_MERGED");
    checkCurve(kaplanMeier(input, { timefix: false }).curves[0]!, tiny.timefix.km_nofix[0], "no timefix");
  });
});

describe("degenerate input", () => {
  const base = { time: [1, 2, 3, 4], status: [1, 0, 1, 0] };
  it("length mismatch → InvalidInputError", () => {
    expect(() => kaplanMeier({ time: [1, 2, 3], status: [1, 0] })).toThrow(InvalidInputError);
    expect(() => kaplanMeier({ ...base, group: [1, 2] })).toThrow(InvalidInputError);
    expect(() => kaplanMeier({ ...base, weights: [1, 1, 1] })).toThrow(InvalidInputError);
  });
  it("±Infinity time → InvalidInputError; NaN time → excluded and counted", () => {
    expect(() => kaplanMeier({ time: [1, Number.POSITIVE_INFINITY], status: [1, 0] })).toThrow(
      InvalidInputError,
    );
    const fit = kaplanMeier({ time: [1, Number.NaN, 3, 4], status: [1, 1, Number.NaN, 0] });
    expect(fit.n).toBe(2);
    expect(fit.nExcluded).toBe(2);
    expect(fit.warnings[0]!.code).toBe("MISSING_DROPPED");
    expect(fit.curves[0]!.time).toEqual([1, 4]);
  });
  it("null in plain arrays counts as missing", () => {
    const fit = kaplanMeier({ time: [1, null, 3], status: [1, 1, 0], group: ["a", "b", null] });
    expect(fit.n).toBe(1);
    expect(fit.nExcluded).toBe(2);
  });
  it("negative time → InvalidInputError", () => {
    expect(() => kaplanMeier({ time: [1, -2], status: [1, 0] })).toThrow(/negative/);
  });
  it("status outside 0/1 → InvalidInputError", () => {
    expect(() => kaplanMeier({ time: [1, 2], status: [1, 2] })).toThrow(InvalidInputError);
  });
  it("negative or infinite weight → InvalidInputError", () => {
    expect(() => kaplanMeier({ ...base, weights: [1, -1, 1, 1] })).toThrow(InvalidInputError);
    expect(() => kaplanMeier({ ...base, weights: [1, Number.POSITIVE_INFINITY, 1, 1] })).toThrow(
      InvalidInputError,
    );
  });
  it("entry not below exit → InvalidInputError", () => {
    expect(() => kaplanMeier({ entry: [0, 2], time: [1, 2], status: [1, 0] })).toThrow(InvalidInputError);
  });
  it("no usable rows → InsufficientDataError", () => {
    expect(() => kaplanMeier({ time: [Number.NaN], status: [1] })).toThrow(InsufficientDataError);
    expect(() => kaplanMeier({ time: [], status: [] })).toThrow(InsufficientDataError);
  });
  it("bad options → InvalidInputError", () => {
    expect(() => kaplanMeier(base, { confLevel: 1.2 })).toThrow(InvalidInputError);
    // @ts-expect-error invalid conf type on purpose
    expect(() => kaplanMeier(base, { confType: "logit" })).toThrow(InvalidInputError);
    expect(() => kaplanMeier(base, { quantiles: [1.5] })).toThrow(InvalidInputError);
  });
  it("mixed number/string group labels → InvalidInputError", () => {
    expect(() => kaplanMeier({ ...base, group: [1, "a", 1, "a"] })).toThrow(InvalidInputError);
  });
  it("no events in one group: NO_EVENTS names it; the other curve is unaffected", () => {
    const fit = kaplanMeier({ time: [1, 2, 3, 4], status: [0, 0, 1, 1], group: ["a", "a", "b", "b"] });
    const w = fit.warnings.filter((x) => x.code === "NO_EVENTS");
    expect(w).toHaveLength(1);
    expect(w[0]!.detail).toEqual({ group: "a" });
    expect(fit.curves[0]!.surv).toEqual([1, 1]);
    expect(fit.curves[1]!.surv).toEqual([0.5, 0]);
  });
});

describe("result contract and invariances", () => {
  it("frozen, JSON-serialisable, plain arrays, no NaN/Infinity", () => {
    const fit = kaplanMeier(lungInput);
    expect(Object.isFrozen(fit)).toBe(true);
    expect(Object.isFrozen(fit.curves[0])).toBe(true);
    expect(Object.isFrozen(fit.curves[0]!.surv)).toBe(true);
    expect(Array.isArray(fit.curves[0]!.surv)).toBe(true);
    const round = JSON.parse(JSON.stringify(fit));
    expect(round).toEqual(fit);
    const t = kaplanMeier({ time: [1, 2], status: [1, 1] });
    expect(JSON.parse(JSON.stringify(t))).toEqual(t); // S = 0 row: nulls, not NaN/Infinity
    expect(t.curves[0]!.stdErrLog[1]).toBeNull();
  });
  it("does not modify its input", () => {
    const time = Float64Array.from(lungInput.time);
    const copy = Float64Array.from(time);
    kaplanMeier({ ...lungInput, time });
    expect(time).toEqual(copy);
  });
  it("row order does not matter (seeded shuffle)", () => {
    const n = lungInput.time.length;
    const perm = Array.from({ length: n }, (_, i) => i);
    let s = 12345;
    for (let i = n - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const j = s % (i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const pick = (a: number[]) => perm.map((i) => a[i]!);
    const a = kaplanMeier(lungInput);
    const b = kaplanMeier({
      time: pick(lungInput.time),
      status: pick(lungInput.status),
      group: pick(lungInput.group),
    });
    expect(b).toEqual(a);
    const w = nums(lung.w);
    const aw = kaplanMeier({ ...lungInput, weights: w });
    const bw = kaplanMeier({
      time: pick(lungInput.time),
      status: pick(lungInput.status),
      group: pick(lungInput.group),
      weights: pick(w),
    });
    aw.curves.forEach((c, k) => {
      cmpVec(bw.curves[k]!.surv, c.surv, { rel: 1e-13 }, "surv");
      cmpVec(bw.curves[k]!.stdErr, c.stdErr, { rel: 1e-12 }, "stdErr");
    });
  });
  it("integer weights ≡ replicated rows", () => {
    const wi = nums(lung.wi);
    const rep = { time: [] as number[], status: [] as number[], group: [] as number[] };
    wi.forEach((w, i) => {
      for (let r = 0; r < w; r++) {
        rep.time.push(lungInput.time[i]!);
        rep.status.push(lungInput.status[i]!);
        rep.group.push(lungInput.group[i]!);
      }
    });
    const a = kaplanMeier({ ...lungInput, weights: wi });
    const b = kaplanMeier(rep);
    a.curves.forEach((c, k) => {
      const d = b.curves[k]!;
      expect(d.time).toEqual(c.time);
      expect(d.nRisk).toEqual(c.nRisk);
      cmpVec(d.surv, c.surv, { rel: 1e-14 }, "surv");
      cmpVec(d.stdErrLog, c.stdErrLog, { rel: 1e-13 }, "se");
      expect(d.quantiles).toEqual(c.quantiles);
    });
  });
  it("median on a flat at exactly 0.5 is the midpoint (20 untied deaths), first crossing otherwise", () => {
    const time = Array.from({ length: 20 }, (_, i) => i + 1);
    const fit = kaplanMeier({ time, status: time.map(() => 1) });
    // after the 10th death S = 10/20 = 0.5 (up to rounding): midpoint of (10, 11)
    expect(fit.curves[0]!.median.estimate).toBe(10.5);
    const fit2 = kaplanMeier({ time: time.slice(0, 19), status: time.slice(0, 19).map(() => 1) });
    expect(fit2.curves[0]!.median.estimate).toBe(10); // S(10) = 9/19 < 0.5
  });
});

describe("robust (IJ) variance against its definition on a larger sample", () => {
  it("S(t)·√Σ_i (w_i ∂log S(t)/∂w_i)² computed row by row agrees to 1e-12", () => {
    // seeded data: 3000 rows, whole-day times, non-integer weights
    let s = 99;
    const rnd = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const n = 3000;
    const time: number[] = [];
    const status: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < n; i++) {
      const ev = -Math.log(1 - rnd()) * 200;
      const cz = rnd() * 600;
      time.push(Math.max(1, Math.round(Math.min(ev, cz))));
      status.push(ev <= cz ? 1 : 0);
      w.push(0.2 + 3 * rnd());
    }
    const c = kaplanMeier({ time, status, weights: w }).curves[0]!;
    const m = c.time.length;
    const pos = new Map<number, number>();
    c.time.forEach((t, j) => {
      pos.set(t, j);
    });
    // U_i(t_j) = −Σ_{l ≤ min(j, J_i)} (dN_i(t_l) − d_l/n_l)/(n_l − d_l)
    const V = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const J = pos.get(time[i]!)!;
      let u = 0;
      for (let j = 0; j < m; j++) {
        if (j <= J) {
          const nn = c.nRisk[j]!;
          const dd = c.nEvent[j]!;
          if (dd > 0 && nn > dd) u -= ((j === J && status[i] === 1 ? 1 : 0) - dd / nn) / (nn - dd);
        }
        V[j]! += (w[i]! * u) ** 2;
      }
    }
    const direct = Array.from(V, (v, j) => (c.surv[j]! === 0 ? 0 : c.surv[j]! * Math.sqrt(v)));
    cmpVec(c.stdErr, direct, { rel: 1e-12, abs: 1e-15 }, "IJ se");
  });
});
