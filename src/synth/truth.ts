/**
 * The truth of a synthetic cohort: every parameter used, and derived true quantities (marginal
 * effects, cumulative incidence per arm, rates) computed from the model itself.
 *
 * Method. A Monte-Carlo sample of people is drawn from the generator's own covariate model (key
 * domain TRUTH, so it is independent of the cohort's people). For MOUD initiation the cumulative
 * incidence given each person's covariates is computed analytically on a daily grid (Weibull
 * cause-specific hazard with a constant competing death hazard), then averaged over the sample.
 * ED-visit rates and BARC-10 changes are simulated for every sampled person under both arms with
 * common random numbers and averaged. Monte-Carlo standard errors are reported.
 */

import {
  armProbability,
  barcChangeLatent,
  barcIntakeLatent,
  barcItem,
  DOMAIN,
  drawLatent,
  edDailyProbability,
  MODEL,
  type ModelContext,
  newAcuteOut,
  overdoseShare,
  STREAM,
  seedStream,
  simulateAcute,
} from "./model.js";
import type { ResolvedSynthOptions } from "./options.js";
import { SETTINGS } from "./options.js";
import { Rng } from "./rng.js";

/** Generator identification written to truth.json. */
export const SYNTH_GENERATOR = { name: "prss synth", version: "1.0.0" } as const;

/** Days at which cumulative incidence is reported (MEASURES.md §3.4). */
export const CIF_DAYS = [7, 14, 30, 90, 180, 365] as const;

/**
 * Daily increments of the MOUD cumulative incidence for one person: ΔF[j] = P(MOUD in [j, j+1)),
 * with cause-specific hazards h_m(t) = a·k·t^(k−1) (Weibull) and h_d(t) = b (death). Exact when
 * b = 0; otherwise the death survival is taken at the midpoint of each step (1/32 day for the first
 * 8 days, where a k < 1 hazard is steep; 1 day after), a relative error of order b·step/6.
 * Also returns the probability of being event-free at each day's midpoint in `atRiskMid`.
 */
export function moudDailyIncrements(
  a: number,
  b: number,
  k: number,
  days: number,
  dF: Float64Array,
  atRiskMid: Float64Array,
): void {
  let sPrev = 1;
  const eb = Math.exp(-b);
  let ebMid = Math.exp(-0.5 * b);
  for (let j = 0; j < days; j++) {
    const sNext = Math.exp(-a * (j + 1) ** k);
    if (j < FINE_DAYS && b > 0) {
      // The first days carry most of the (k < 1) hazard: integrate on 1/32-day steps.
      let f = 0;
      let sp = sPrev;
      for (let q = 1; q <= FINE_STEPS; q++) {
        const t = j + q / FINE_STEPS;
        const sn = q === FINE_STEPS ? sNext : Math.exp(-a * t ** k);
        f += Math.exp(-b * (t - 0.5 / FINE_STEPS)) * (sp - sn);
        sp = sn;
      }
      dF[j] = f;
    } else {
      dF[j] = ebMid * (sPrev - sNext);
    }
    atRiskMid[j] = ebMid * Math.sqrt(sPrev * sNext);
    sPrev = sNext;
    ebMid *= eb;
  }
}

const FINE_DAYS = 8;
const FINE_STEPS = 32;

/**
 * Limit of the Cox partial-likelihood estimate for a two-group comparison when the true hazards are
 * not proportional (Struthers & Kalbfleisch, Biometrika 1986): the β solving
 * Σ_j [D1_j − R1_j e^β / (R1_j e^β + R0_j) · (D1_j + D0_j)] = 0 over the daily grid, where D is the
 * expected number of events and R the expected number at risk. Solved by bisection on [−10, 10].
 */
export function coxLimitLogHr(
  D1: Float64Array,
  D0: Float64Array,
  R1: Float64Array,
  R0: Float64Array,
): number {
  const score = (beta: number): number => {
    const e = Math.exp(beta);
    let u = 0;
    for (let j = 0; j < D1.length; j++) {
      const r1 = (R1[j] as number) * e;
      const den = r1 + (R0[j] as number);
      if (den > 0) u += (D1[j] as number) - (r1 / den) * ((D1[j] as number) + (D0[j] as number));
    }
    return u;
  };
  let lo = -10;
  let hi = 10;
  for (let it = 0; it < 100; it++) {
    const mid = 0.5 * (lo + hi);
    if (score(mid) > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

type ArmValues = { PEER: number; COMPARISON: number };
type CifTable = { PEER: Record<string, number>; COMPARISON: Record<string, number> };

/** Derived true quantities (see the module comment for the method). */
export interface DerivedTruth {
  readonly method: string;
  readonly samples: number;
  readonly peerShare: number;
  readonly moudInitiation: {
    readonly population: string;
    readonly newShare: number;
    readonly cumulativeIncidence: {
      readonly definition: string;
      readonly ate: CifTable;
      readonly att: CifTable;
      readonly factual: CifTable;
      readonly mcSeAte: CifTable;
    };
    readonly riskDifferenceDay30: { readonly ate: number; readonly att: number; readonly factual: number };
    readonly marginalCauseSpecificHazardRatio: {
      readonly definition: string;
      readonly ateNoCensoring: number;
      readonly ateDesignCensoring: number;
      readonly factualDesignCensoring: number;
    };
  };
  readonly edVisits: {
    readonly definition: string;
    readonly conditionalRateRatio: number;
    readonly ratePer1000PersonYears: { readonly ate: ArmValues; readonly factual: ArmValues };
    readonly marginalRateRatio: {
      readonly ate: { readonly allDays: number; readonly excludingHospitalDays: number };
      readonly factual: { readonly allDays: number; readonly excludingHospitalDays: number };
    };
    readonly mcSeLogRateRatioAte: number;
  };
  readonly barc10: {
    readonly definition: string;
    readonly latentChangeEffect: number;
    readonly totalChangeEffect: { readonly ate: number; readonly factual: number };
    readonly meanTotalChange: { readonly ate: ArmValues; readonly factual: ArmValues };
    readonly mcSeEffectAte: number;
  };
}

function cifRecord(days: readonly number[], values: Float64Array): Record<string, number> {
  const r: Record<string, number> = {};
  days.forEach((d, i) => {
    r[String(d)] = values[i] as number;
  });
  return r;
}

/** Computes the derived truth from `samples` Monte-Carlo people (TRUTH key domain). */
export function computeDerivedTruth(ctx: ModelContext, samples: number): DerivedTruth {
  const o = ctx.opts;
  const G = o.followUpDays + 1;
  const k = o.moudWeibullShape;
  const rCov = new Rng();
  const rPremed = new Rng();
  const rMoud = new Rng();
  const rEd = new Rng();
  const rAssess = new Rng();
  const acute = newAcuteOut();
  const dF1 = new Float64Array(G);
  const dF0 = new Float64Array(G);
  const ar1 = new Float64Array(G);
  const ar0 = new Float64Array(G);
  // Cox-limit accumulators: ATE (no censoring / design censoring) and factual (design censoring).
  const acc = () => ({
    D1: new Float64Array(G),
    D0: new Float64Array(G),
    R1: new Float64Array(G),
    R0: new Float64Array(G),
  });
  const ateNc = acc();
  const ateC = acc();
  const factC = acc();
  const cifDays = CIF_DAYS.filter((d) => d <= o.followUpDays);
  const nd = cifDays.length;
  const cifAte1 = new Float64Array(nd);
  const cifAte0 = new Float64Array(nd);
  const cifAte1sq = new Float64Array(nd);
  const cifAte0sq = new Float64Array(nd);
  const cifAtt1 = new Float64Array(nd);
  const cifAtt0 = new Float64Array(nd);
  const cifF1 = new Float64Array(nd);
  const cifF0 = new Float64Array(nd);
  let nNew = 0;
  let wNew1 = 0;
  let wNew0 = 0;
  let sumE = 0;
  // ED accumulators [arm]: visits, days, days excluding hospital, squared terms for the MC SE.
  const ed = {
    y: [0, 0],
    t: [0, 0],
    tx: [0, 0],
    yf: [0, 0],
    tf: [0, 0],
    txf: [0, 0],
    yy: [0, 0],
    yt: [0, 0],
    tt: [0, 0],
  };
  // BARC accumulators.
  let nB = 0;
  let wB1 = 0;
  let wB0 = 0;
  const bAte = [0, 0];
  const bF = [0, 0];
  let bDiff2 = 0;
  const logHr = Math.log(o.moudHazardRatio);
  const D = DOMAIN.TRUTH;
  for (let m = 0; m < samples; m++) {
    const lat = drawLatent(
      ctx,
      seedStream(ctx, rCov, D, m, STREAM.COV),
      seedStream(ctx, rPremed, D, m, STREAM.PREMED),
    );
    const e = armProbability(ctx, lat);
    sumE += e;
    const rm = seedStream(ctx, rMoud, D, m, STREAM.MOUD);
    rm.exponential();
    const eDeath = rm.exponential();
    const b0 = lat.deathRateDaily;
    const b1 = b0 * o.deathHazardRatio;
    const end1 = Math.min(lat.censorDay, Math.floor(eDeath / b1));
    const end0 = Math.min(lat.censorDay, Math.floor(eDeath / b0));

    // MOUD initiation among NEW people.
    if (!lat.continuing) {
      nNew++;
      wNew1 += e;
      wNew0 += 1 - e;
      const a0 = Math.exp(lat.moudEta);
      moudDailyIncrements(a0 * Math.exp(logHr), b1, k, G, dF1, ar1);
      moudDailyIncrements(a0, b0, k, G, dF0, ar0);
      let c1 = 0;
      let c0 = 0;
      let di = 0;
      for (let j = 0; j < G; j++) {
        const d1 = dF1[j] as number;
        const d0 = dF0[j] as number;
        const r1 = ar1[j] as number;
        const r0 = ar0[j] as number;
        c1 += d1;
        c0 += d0;
        ateNc.D1[j]! += d1;
        ateNc.D0[j]! += d0;
        ateNc.R1[j]! += r1;
        ateNc.R0[j]! += r0;
        if (j <= lat.censorDay) {
          ateC.D1[j]! += d1;
          ateC.D0[j]! += d0;
          ateC.R1[j]! += r1;
          ateC.R0[j]! += r0;
          factC.D1[j]! += e * d1;
          factC.D0[j]! += (1 - e) * d0;
          factC.R1[j]! += e * r1;
          factC.R0[j]! += (1 - e) * r0;
        }
        if (di < nd && j === cifDays[di]) {
          cifAte1[di]! += c1;
          cifAte0[di]! += c0;
          cifAte1sq[di]! += c1 * c1;
          cifAte0sq[di]! += c0 * c0;
          cifAtt1[di]! += e * c1;
          cifAtt0[di]! += e * c0;
          cifF1[di]! += e * c1;
          cifF0[di]! += (1 - e) * c0;
          di++;
        }
      }
    }

    // ED visits under both arms with common random numbers.
    for (let arm = 1; arm >= 0; arm--) {
      const endDay = arm === 1 ? end1 : end0;
      simulateAcute(
        seedStream(ctx, rEd, D, m, STREAM.ED),
        edDailyProbability(ctx, lat, arm === 1),
        overdoseShare(lat),
        endDay,
        acute,
      );
      const y = acute.n;
      const t = Math.max(0, endDay);
      const tx = Math.max(0, endDay - acute.hospitalDays);
      const w = arm === 1 ? e : 1 - e;
      ed.y[arm]! += y;
      ed.t[arm]! += t;
      ed.tx[arm]! += tx;
      ed.yf[arm]! += w * y;
      ed.tf[arm]! += w * t;
      ed.txf[arm]! += w * tx;
      ed.yy[arm]! += y * y;
      ed.yt[arm]! += y * t;
      ed.tt[arm]! += t * t;
    }

    // BARC-10 change among assessed people (RCT: everyone; observational: programme settings).
    if (o.design === "rct" || lat.setting >= 2) {
      const ra = seedStream(ctx, rAssess, D, m, STREAM.ASSESS);
      const z0 = ra.normal();
      const zd = ra.normal();
      const L0 = barcIntakeLatent(lat, z0);
      let t0 = 0;
      for (let j = 0; j < 10; j++) t0 += barcItem(L0, j, ra.normal());
      const noise: number[] = [];
      for (let j = 0; j < 10; j++) noise.push(ra.normal());
      const totals = [0, 0];
      for (let arm = 0; arm <= 1; arm++) {
        const L6 = L0 + barcChangeLatent(ctx, L0, arm === 1, zd);
        let t6 = 0;
        for (let j = 0; j < 10; j++) t6 += barcItem(L6, j, noise[j] as number);
        totals[arm] = t6 - t0;
      }
      nB++;
      wB1 += e;
      wB0 += 1 - e;
      bAte[1]! += totals[1]!;
      bAte[0]! += totals[0]!;
      bF[1]! += e * totals[1]!;
      bF[0]! += (1 - e) * totals[0]!;
      bDiff2 += (totals[1]! - totals[0]!) ** 2;
    }
  }

  const safe = (num: number, den: number): number => (den > 0 ? num / den : Number.NaN);
  const ateTable: CifTable = { PEER: {}, COMPARISON: {} };
  const attTable: CifTable = { PEER: {}, COMPARISON: {} };
  const factTable: CifTable = { PEER: {}, COMPARISON: {} };
  const seTable: CifTable = { PEER: {}, COMPARISON: {} };
  const a1 = new Float64Array(nd);
  const a0 = new Float64Array(nd);
  const s1 = new Float64Array(nd);
  const s0 = new Float64Array(nd);
  const t1 = new Float64Array(nd);
  const t0 = new Float64Array(nd);
  const f1 = new Float64Array(nd);
  const f0 = new Float64Array(nd);
  for (let i = 0; i < nd; i++) {
    a1[i] = safe(cifAte1[i]!, nNew);
    a0[i] = safe(cifAte0[i]!, nNew);
    s1[i] = Math.sqrt(Math.max(0, safe(cifAte1sq[i]!, nNew) - a1[i]! ** 2) / Math.max(1, nNew));
    s0[i] = Math.sqrt(Math.max(0, safe(cifAte0sq[i]!, nNew) - a0[i]! ** 2) / Math.max(1, nNew));
    t1[i] = safe(cifAtt1[i]!, wNew1);
    t0[i] = safe(cifAtt0[i]!, wNew1);
    f1[i] = safe(cifF1[i]!, wNew1);
    f0[i] = safe(cifF0[i]!, wNew0);
  }
  ateTable.PEER = cifRecord(cifDays, a1);
  ateTable.COMPARISON = cifRecord(cifDays, a0);
  attTable.PEER = cifRecord(cifDays, t1);
  attTable.COMPARISON = cifRecord(cifDays, t0);
  factTable.PEER = cifRecord(cifDays, f1);
  factTable.COMPARISON = cifRecord(cifDays, f0);
  seTable.PEER = cifRecord(cifDays, s1);
  seTable.COMPARISON = cifRecord(cifDays, s0);
  const i30 = cifDays.indexOf(30);

  // ED: ratio-of-means estimator per arm; MC SE of log ratio by the delta method (arms independent,
  // conservative under common random numbers).
  const rate = (y: number, t: number): number => safe(y, t) * 365.25 * 1000;
  const varLogRatio = (arm: number): number => {
    const Y = ed.y[arm]!;
    const Tt = ed.t[arm]!;
    const r = Y / Tt;
    const M = samples;
    const varRes = (ed.yy[arm]! - 2 * r * ed.yt[arm]! + r * r * ed.tt[arm]!) / M;
    return varRes / (M * (Tt / M) ** 2) / (r * r);
  };

  return {
    method:
      "Monte-Carlo sample of people from the generator's own covariate model (independent key domain). MOUD: analytic cumulative incidence per person on a daily grid, averaged. ED and BARC-10: simulated for every sampled person under both arms with common random numbers.",
    samples,
    peerShare: sumE / Math.max(1, samples),
    moudInitiation: {
      population:
        "NEW people (not continuing MOUD at the index: no supply covering day 0 or day −1), all primary substances; outcome = first MOUD event (AUD_OTHER is not MOUD); death competes.",
      newShare: nNew / Math.max(1, samples),
      cumulativeIncidence: {
        definition:
          "P(MOUD on day ≤ D after the index and before death) with no censoring (Aalen–Johansen target). ate: whole NEW population under each arm; att: people who are PEER under the design, under each arm; factual: each arm's own people (what an unadjusted estimate targets).",
        ate: ateTable,
        att: attTable,
        factual: factTable,
        mcSeAte: seTable,
      },
      riskDifferenceDay30: {
        ate: (a1[i30] as number) - (a0[i30] as number),
        att: (t1[i30] as number) - (t0[i30] as number),
        factual: (f1[i30] as number) - (f0[i30] as number),
      },
      marginalCauseSpecificHazardRatio: {
        definition:
          "exp of the limit of the unadjusted two-group Cox estimate (deaths censored) on a daily grid. ateNoCensoring: whole NEW population in both arms, follow-up to followUpDays; ateDesignCensoring: same with the generator's censoring (data cut, loss); factualDesignCensoring: each arm's own people (naive, confounded).",
        ateNoCensoring: Math.exp(coxLimitLogHr(ateNc.D1, ateNc.D0, ateNc.R1, ateNc.R0)),
        ateDesignCensoring: Math.exp(coxLimitLogHr(ateC.D1, ateC.D0, ateC.R1, ateC.R0)),
        factualDesignCensoring: Math.exp(coxLimitLogHr(factC.D1, factC.D0, factC.R1, factC.R0)),
      },
    },
    edVisits: {
      definition:
        "Post-index ED visits (day ≥ 1) per person-time. allDays: days 1 … end of observation (death day included). excludingHospitalDays: minus INPATIENT_ACUTE days, admission through discharge both included (MEASURES.md §15.8). ate: all people under each arm; factual: each arm's own people.",
      conditionalRateRatio: o.edRateRatio,
      ratePer1000PersonYears: {
        ate: { PEER: rate(ed.y[1]!, ed.t[1]!), COMPARISON: rate(ed.y[0]!, ed.t[0]!) },
        factual: { PEER: rate(ed.yf[1]!, ed.tf[1]!), COMPARISON: rate(ed.yf[0]!, ed.tf[0]!) },
      },
      marginalRateRatio: {
        ate: {
          allDays: safe(ed.y[1]!, ed.t[1]!) / safe(ed.y[0]!, ed.t[0]!),
          excludingHospitalDays: safe(ed.y[1]!, ed.tx[1]!) / safe(ed.y[0]!, ed.tx[0]!),
        },
        factual: {
          allDays: safe(ed.yf[1]!, ed.tf[1]!) / safe(ed.yf[0]!, ed.tf[0]!),
          excludingHospitalDays: safe(ed.yf[1]!, ed.txf[1]!) / safe(ed.yf[0]!, ed.txf[0]!),
        },
      },
      mcSeLogRateRatioAte: Math.sqrt(varLogRatio(1) + varLogRatio(0)),
    },
    barc10: {
      definition:
        "BARC-10 total (sum of items 1–10, each 1–6) at 6 months minus intake, among assessed people (RCT: everyone; observational: REENTRY, HARM_REDUCTION, RECOVERY_CENTER), no missing items or follow-ups. latentChangeEffect is on the latent scale; totalChangeEffect includes item rounding and the 1–6 floor/ceiling.",
      latentChangeEffect: o.barcChangeEffect,
      totalChangeEffect: {
        ate: safe(bAte[1]! - bAte[0]!, nB),
        factual: safe(bF[1]!, wB1) - safe(bF[0]!, wB0),
      },
      meanTotalChange: {
        ate: { PEER: safe(bAte[1]!, nB), COMPARISON: safe(bAte[0]!, nB) },
        factual: { PEER: safe(bF[1]!, wB1), COMPARISON: safe(bF[0]!, wB0) },
      },
      mcSeEffectAte:
        nB > 1 ? Math.sqrt(Math.max(0, bDiff2 / nB - safe(bAte[1]! - bAte[0]!, nB) ** 2) / nB) : Number.NaN,
    },
  };
}

/** One injected data error (dirty option). */
export interface DirtyError {
  readonly kind: string;
  readonly table: string;
  readonly rowId: string;
  readonly column: string;
}

/** Everything written to truth.json. */
export interface SynthTruth {
  readonly generator: typeof SYNTH_GENERATOR;
  readonly seed: number;
  readonly options: ResolvedSynthOptions;
  readonly trueEffects: Readonly<Record<string, { readonly value: number; readonly meaning: string }>>;
  readonly model: typeof MODEL;
  readonly sites: readonly {
    readonly id: string;
    readonly setting: string;
    readonly weight: number;
    readonly moudLogHazardEffect: number;
    readonly peerLogOddsEffect: number;
    readonly ruralProfile: string;
    readonly billsMedicaid: boolean;
    readonly clusterArm: "PEER" | "COMPARISON" | null;
  }[];
  readonly derived: DerivedTruth | null;
  readonly rowCounts: Readonly<Record<string, number>>;
  readonly dirty: {
    readonly fraction: number;
    readonly injected: Readonly<Record<string, number>>;
    readonly errors: readonly DirtyError[];
  };
  readonly notes: readonly string[];
}

/** Assembles truth.json from the run context, derived truth, row counts and injected errors. */
export function buildTruth(
  ctx: ModelContext,
  derived: DerivedTruth | null,
  rowCounts: Record<string, number>,
  dirtyErrors: readonly DirtyError[],
): SynthTruth {
  const o = ctx.opts;
  const injected: Record<string, number> = {};
  for (const e of dirtyErrors) injected[e.kind] = (injected[e.kind] ?? 0) + 1;
  return {
    generator: SYNTH_GENERATOR,
    seed: o.seed,
    options: o,
    trueEffects: {
      moudHazardRatio: {
        value: o.moudHazardRatio,
        meaning:
          "Conditional cause-specific hazard ratio of MOUD initiation (Weibull PH), PEER vs COMPARISON, given all covariates and site.",
      },
      edRateRatio: {
        value: o.edRateRatio,
        meaning:
          "Conditional rate ratio of ED visits per at-risk day (not admitted/observed/residential), PEER vs COMPARISON, given covariates and frailty.",
      },
      barcChangeEffect: {
        value: o.barcChangeEffect,
        meaning: "Additive effect of PEER on the latent 6-month BARC-10 change (points).",
      },
      moudDiscontinuationHazardRatio: {
        value: o.moudDiscontinuationHazardRatio,
        meaning:
          "Hazard ratio of the planned MOUD treatment duration ending (Weibull PH), PEER vs COMPARISON. Measured retention also depends on refill gaps.",
      },
      useOddsRatio: {
        value: o.useOddsRatio,
        meaning:
          "Odds ratio of substance use in a week (UDS positives, TLFB days, GPRA days), PEER vs COMPARISON.",
      },
      deathHazardRatio: { value: o.deathHazardRatio, meaning: "Hazard ratio of death, PEER vs COMPARISON." },
    },
    model: MODEL,
    sites: ctx.sites.map((s) => ({
      id: s.id,
      setting: SETTINGS[s.setting]!,
      weight: s.weight,
      moudLogHazardEffect: s.moudEffect,
      peerLogOddsEffect: s.peerEffect,
      ruralProfile: s.ruralProfile,
      billsMedicaid: s.billsMedicaid,
      clusterArm:
        o.design === "rct" && o.randomization === "cluster" ? (s.clusterPeer ? "PEER" : "COMPARISON") : null,
    })),
    derived,
    rowCounts,
    dirty: { fraction: o.dirty, injected, errors: dirtyErrors },
    notes: [
      "Observation ends at the earliest of index + followUpDays, the data cut, loss to follow-up and death; no row is dated after death or outside observation unless dirty > 0.",
      "MOUD initiation day = floor(continuous time); 'CIF at day D' counts initiations on days 0…D.",
      "Continuing patients (supply covering day 0 or −1) are excluded from the initiation truth; their post-index fills continue their treatment.",
      "Peer engagement (observational) depends only on data-visible values, so the confounding is removable by adjustment for them; outcome models also use latent values (true prior MOUD/overdose, ED frailty, site effects).",
      "Index events after the first (ED re-presentations) are extra rows for the same person; person-level analyses should pick the first.",
      "uds_results.specimen_id is unique per analyte row (specimen id + analyte letter), because the contract makes specimen_id the primary key.",
    ],
  };
}
