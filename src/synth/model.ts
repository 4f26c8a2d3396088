/**
 * The data-generating model of the synthetic cohort: sites, each person's covariates and pre-index
 * history, peer engagement (arm), and the outcome processes. Pure numbers — no CSV here. The same
 * functions drive the row writer (person.ts) and the Monte-Carlo truth (truth.ts), so the truth
 * describes exactly the process that made the rows.
 */

import type { ResolvedSynthOptions } from "./options.js";
import { SETTINGS } from "./options.js";
import { cumulative, mixKey, Rng, seedWords } from "./rng.js";

// ---------------------------------------------------------------------------------------------
// Fixed model coefficients (all written to truth.json)
// ---------------------------------------------------------------------------------------------

/** Every fixed coefficient of the generating model. Age enters as (age − 38) / 10. */
export const MODEL = {
  ageCentre: 38,
  /** Peer engagement (observational): logit P(PEER). Covariate terms are × options.confounding. */
  propensity: {
    interceptBySetting: {
      ED: -0.9,
      HOSPITAL: -1.0,
      REENTRY: -0.6,
      HARM_REDUCTION: -0.3,
      RECOVERY_CENTER: 0.3,
    },
    siteSd: 0.4,
    female: 0.25,
    agePer10: 0.1,
    homeless: -0.45,
    unstableHousing: -0.2,
    activeUse: -0.35,
    priorMoudObserved: 0.6,
    priorEdVisitsObserved365PerVisitCap8: 0.12,
    priorOverdoseObserved365: 0.3,
    uninsured: -0.3,
    justiceInvolved: -0.15,
    overdoseIndex: 0.25,
    note: "Uses only data-visible values (persons columns, site, index type, pre-index events emitted inside observation), so adjustment for them removes the confounding.",
  },
  /** Cause-specific log hazard of MOUD initiation (Weibull PH: h(t) = λ k t^(k−1) exp(η)). */
  moudLogHazard: {
    agePer10: 0.05,
    female: 0.1,
    homeless: -0.4,
    unstableHousing: -0.15,
    priorMoudTrue: 0.6,
    priorOverdoseTrue: 0.2,
    overdoseIndex: 0.15,
    uninsured: -0.5,
    commercial: -0.2,
    medicare: -0.3,
    rural: -0.35,
    primarySubstanceNotOpioid: -2.5,
    primarySubstanceUnknown: -1.0,
    setting: { ED: 0, HOSPITAL: 0.25, REENTRY: -0.2, HARM_REDUCTION: -0.3, RECOVERY_CENTER: 0.2 },
    siteSd: 0.25,
  },
  /** Log hazard of death (constant in time), added to log(deathRatePerYear / 365.25). */
  deathLogHazard: {
    agePer10: 0.35,
    priorOverdoseTrue: 0.5,
    overdoseIndex: 0.3,
    homeless: 0.4,
    activeUse: 0.3,
    opioid: 0.2,
  },
  /** Log daily ED-visit probability, added to log(edVisitsPerYear / 365.25); × gamma frailty. */
  edLogRate: {
    homeless: 0.5,
    unstableHousing: 0.2,
    activeUse: 0.35,
    priorOverdoseTrue: 0.4,
    agePer10: -0.05,
    uninsured: 0.15,
    rural: -0.2,
    setting: { ED: 0.2, HOSPITAL: 0.1, REENTRY: -0.1, HARM_REDUCTION: 0, RECOVERY_CENTER: -0.3 },
    preIndexInflation: 1.25,
    overdoseShareOpioid: 0.12,
    overdoseShareOpioidActiveUseMultiplier: 1.5,
    overdoseShareOther: 0.03,
    residentialOrDetoxStayPerYear: 0.04,
  },
  /** Weibull (shape, scale in days) of the planned MOUD treatment duration, by medication. */
  moudDuration: {
    shape: 0.8,
    scaleDays: {
      BUP: 150,
      BUP_MONO: 150,
      METHADONE: 240,
      XRNTX: 75,
      NTX_ORAL: 45,
      BUP_INJ: 200,
      IMPLANT: 180,
      BUP_WEEKLY: 150,
    },
    restartProbability: 0.3,
  },
  /** Weekly use: logit p = base + trend·week + onMoud + log(useOddsRatio)·PEER. */
  use: {
    intercept: -0.3,
    activeUse: 1.2,
    priorMoudTrue: -0.3,
    personSd: 1,
    trendPerWeek: -0.03,
    onMoud: -1.2,
  },
  /** BARC-10 latent total at intake and 6-month change. Items = round(latent/10 + offset + N(0, 0.55)). */
  barc: {
    intakeMean: 36,
    housed: 3,
    homeless: -4,
    activeUse: -3,
    priorMoudTrue: 2,
    intakeSd: 7,
    changeMean: 1,
    regressionToMean: -0.1,
    changeSd: 5,
    itemNoiseSd: 0.55,
    itemOffsets: [0.3, -0.2, -0.1, -0.4, 0.2, -0.3, 0.1, 0.4, 0.1, -0.1],
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Context: sites and stream keys
// ---------------------------------------------------------------------------------------------

/** A site (ED, hospital, jail, syringe service program, recovery community centre). */
export interface Site {
  readonly id: string;
  readonly setting: number;
  readonly weight: number;
  readonly moudEffect: number;
  readonly peerEffect: number;
  /** Cumulative probabilities of URBAN, SUBURBAN, RURAL. */
  readonly ruralCum: Float64Array;
  readonly ruralProfile: "URBAN" | "SUBURBAN" | "RURAL";
  readonly billsMedicaid: boolean;
  /** Cluster RCT: the site's assigned arm. */
  readonly clusterPeer: boolean;
}

const SITE_CATALOG: readonly {
  id: string;
  setting: number;
  weight: number;
  profile: Site["ruralProfile"];
}[] = [
  { id: "ED01", setting: 0, weight: 0.3, profile: "URBAN" },
  { id: "ED02", setting: 0, weight: 0.2, profile: "URBAN" },
  { id: "ED03", setting: 0, weight: 0.15, profile: "SUBURBAN" },
  { id: "ED04", setting: 0, weight: 0.15, profile: "SUBURBAN" },
  { id: "ED05", setting: 0, weight: 0.1, profile: "RURAL" },
  { id: "ED06", setting: 0, weight: 0.1, profile: "RURAL" },
  { id: "HO01", setting: 1, weight: 0.5, profile: "URBAN" },
  { id: "HO02", setting: 1, weight: 0.3, profile: "SUBURBAN" },
  { id: "HO03", setting: 1, weight: 0.2, profile: "RURAL" },
  { id: "RE01", setting: 2, weight: 0.5, profile: "URBAN" },
  { id: "RE02", setting: 2, weight: 0.3, profile: "SUBURBAN" },
  { id: "RE03", setting: 2, weight: 0.2, profile: "RURAL" },
  { id: "HR01", setting: 3, weight: 0.4, profile: "URBAN" },
  { id: "HR02", setting: 3, weight: 0.35, profile: "URBAN" },
  { id: "HR03", setting: 3, weight: 0.25, profile: "RURAL" },
  { id: "RC01", setting: 4, weight: 0.6, profile: "URBAN" },
  { id: "RC02", setting: 4, weight: 0.4, profile: "RURAL" },
];

const RURAL_PROFILES = {
  URBAN: cumulative([0.75, 0.2, 0.05]),
  SUBURBAN: cumulative([0.3, 0.55, 0.15]),
  RURAL: cumulative([0.08, 0.22, 0.7]),
};

/** Stream identifiers: each person has one independent stream per purpose. */
export const STREAM = {
  COV: 1,
  PREMED: 2,
  ARM: 3,
  MOUD: 4,
  ED: 5,
  MED: 6,
  PEER: 7,
  UDS: 8,
  ASSESS: 9,
  MISC: 10,
  DIRTY: 11,
} as const;

/** Key domains: the cohort's people, the truth's Monte-Carlo people, and the site draws. */
export const DOMAIN = { COHORT: 0xc0401, TRUTH: 0x7a07e, SITES: 0x517e5 } as const;

/** Everything fixed for one run: options, sites and seeds. */
export interface ModelContext {
  readonly opts: ResolvedSynthOptions;
  readonly sites: readonly Site[];
  readonly sitesBySetting: readonly (readonly Site[])[];
  readonly siteCumBySetting: readonly Float64Array[];
  readonly settingCum: Float64Array;
  readonly seedLo: number;
  readonly seedHi: number;
}

/** Builds the run context: draws site effects and (cluster RCT) site arms from the seed. */
export function makeModelContext(opts: ResolvedSynthOptions): ModelContext {
  const [seedLo, seedHi] = seedWords(opts.seed);
  const rng = new Rng(mixKey(seedLo, seedHi, DOMAIN.SITES));
  const raw = SITE_CATALOG.map((s) => ({
    ...s,
    moudEffect: MODEL.moudLogHazard.siteSd * rng.normal(),
    peerEffect: MODEL.propensity.siteSd * rng.normal(),
    billsMedicaid: rng.uniform() < 0.7,
  }));
  // Cluster randomisation: within each setting, a random half of the sites (rounded at random) is PEER.
  const clusterPeer = new Set<string>();
  for (let s = 0; s < SETTINGS.length; s++) {
    const ids = raw.filter((x) => x.setting === s).map((x) => x.id);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      const t = ids[i] as string;
      ids[i] = ids[j] as string;
      ids[j] = t;
    }
    const half = ids.length % 2 === 0 ? ids.length / 2 : (ids.length - 1) / 2 + (rng.uniform() < 0.5 ? 1 : 0);
    for (let i = 0; i < half; i++) clusterPeer.add(ids[i] as string);
  }
  const sites: Site[] = raw.map((x) => ({
    id: x.id,
    setting: x.setting,
    weight: x.weight,
    moudEffect: x.moudEffect,
    peerEffect: x.peerEffect,
    ruralCum: RURAL_PROFILES[x.profile],
    ruralProfile: x.profile,
    billsMedicaid: x.billsMedicaid,
    clusterPeer: clusterPeer.has(x.id),
  }));
  const sitesBySetting = SETTINGS.map((_, s) => sites.filter((x) => x.setting === s));
  return {
    opts,
    sites,
    sitesBySetting,
    siteCumBySetting: sitesBySetting.map((list) => cumulative(list.map((x) => x.weight))),
    settingCum: cumulative(SETTINGS.map((s) => opts.settingWeights[s])),
    seedLo,
    seedHi,
  };
}

/** Reseeds `rng` to the stream of (domain, person, stream). */
export function seedStream(ctx: ModelContext, rng: Rng, domain: number, person: number, stream: number): Rng {
  return rng.reseed(mixKey(ctx.seedLo, ctx.seedHi, domain, person, stream));
}

// ---------------------------------------------------------------------------------------------
// Medication regimens
// ---------------------------------------------------------------------------------------------

/** Medication regimens the generator uses. */
export type MedKind =
  | "BUP"
  | "BUP_MONO"
  | "METHADONE"
  | "XRNTX"
  | "NTX_ORAL"
  | "BUP_INJ"
  | "IMPLANT"
  | "BUP_WEEKLY"
  | "AUD";

/** One medication event (day relative to the index date). */
export interface MedFill {
  day: number;
  route: "DISPENSING" | "ADMINISTRATION" | "OTP_DOSE";
  row: string;
  ds: number;
  units: number;
  setting: "COMMUNITY" | "ED" | "INPATIENT" | "CUSTODY" | "OTP";
}

/** Gap between the end of one supply and the next fill (negative = early refill). */
function refillGap(rng: Rng): number {
  const u = rng.uniform();
  if (u < 0.15) return -rng.int(1, 3);
  if (u < 0.65) return 0;
  if (u < 0.87) return rng.int(1, 3);
  if (u < 0.96) return rng.int(4, 7);
  return rng.int(8, 20);
}

/** State carried between fills of one regimen. */
export interface RegimenState {
  kind: MedKind;
  /** Fills given so far in this episode (drives titration and ds steps). */
  k: number;
  /** Methadone daily-dosing days before weekly take-home bundles. */
  inductionDays: number;
  /** Methadone target dose (mg). */
  dose: number;
}

/** Creates a regimen state; `induction = false` starts in maintenance (e.g. continuing patients). */
export function newRegimen(rng: Rng, kind: MedKind, induction: boolean): RegimenState {
  return {
    kind,
    k: induction ? 0 : 100,
    inductionDays: rng.int(7, 14),
    dose: 10 * rng.int(6, 12),
  };
}

/**
 * Appends the fill given on `day` under the regimen and returns the day of the next fill
 * (before checking against the planned end).
 */
export function addFill(rng: Rng, st: RegimenState, day: number, out: MedFill[]): number {
  const k = st.k;
  st.k++;
  switch (st.kind) {
    case "BUP":
    case "BUP_MONO": {
      const ds = k === 0 ? 7 : k === 1 ? 14 : 30;
      out.push({
        day,
        route: "DISPENSING",
        row: st.kind === "BUP" ? "BUP_NALOXONE" : "BUP_ORAL",
        ds,
        units: ds * 2,
        setting: "COMMUNITY",
      });
      return day + ds + refillGap(rng);
    }
    case "METHADONE": {
      if (k < st.inductionDays) {
        const dose = Math.min(st.dose, 30 + 10 * Math.floor(k / 3));
        out.push({ day, route: "OTP_DOSE", row: "METHADONE_ORAL", ds: 1, units: dose, setting: "OTP" });
        return day + 1 + (rng.uniform() < 0.07 ? 1 : 0);
      }
      out.push({
        day,
        route: "OTP_DOSE",
        row: "METHADONE_ORAL_WEEKLY",
        ds: 7,
        units: 7 * st.dose,
        setting: "OTP",
      });
      const u = rng.uniform();
      return day + 7 + (u < 0.85 ? 0 : u < 0.95 ? rng.int(1, 2) : rng.int(3, 10));
    }
    case "BUP_WEEKLY":
      out.push({ day, route: "OTP_DOSE", row: "BUP_ORAL_WEEKLY", ds: 7, units: 7, setting: "OTP" });
      return day + 7 + (rng.uniform() < 0.85 ? 0 : rng.int(1, 6));
    case "XRNTX":
      out.push({
        day,
        route: "ADMINISTRATION",
        row: "NALTREXONE_INJ",
        ds: 28,
        units: 380,
        setting: "COMMUNITY",
      });
      return day + 28 + Math.max(0, refillGap(rng));
    case "NTX_ORAL":
      out.push({ day, route: "DISPENSING", row: "NALTREXONE_ORAL", ds: 30, units: 30, setting: "COMMUNITY" });
      return day + 30 + refillGap(rng);
    case "BUP_INJ":
      out.push({
        day,
        route: "ADMINISTRATION",
        row: "BUP_INJ",
        ds: 30,
        units: k < 2 ? 300 : 100,
        setting: "COMMUNITY",
      });
      return day + 30 + Math.max(0, refillGap(rng));
    case "IMPLANT":
      out.push({ day, route: "ADMINISTRATION", row: "BUP_IMPLANT", ds: 180, units: 4, setting: "COMMUNITY" });
      return day + 180 + rng.int(0, 14);
    case "AUD":
      out.push({ day, route: "DISPENSING", row: "AUD_OTHER", ds: 30, units: 60, setting: "COMMUNITY" });
      return day + 30 + refillGap(rng);
  }
}

/** Fills from `start` while the fill day ≤ min(plannedEnd, hardEnd); returns the next-fill day. */
export function runRegimen(
  rng: Rng,
  st: RegimenState,
  start: number,
  plannedEnd: number,
  hardEnd: number,
  out: MedFill[],
): number {
  let day = start;
  const stop = Math.min(plannedEnd, hardEnd);
  while (day <= stop) day = addFill(rng, st, day, out);
  return day;
}

const OPIOID_MED_KINDS: readonly MedKind[] = [
  "BUP",
  "BUP_MONO",
  "METHADONE",
  "XRNTX",
  "BUP_INJ",
  "NTX_ORAL",
  "IMPLANT",
  "BUP_WEEKLY",
];
const OPIOID_MED_CUM = cumulative([0.45, 0.08, 0.22, 0.07, 0.12, 0.02, 0.01, 0.03]);
const REENTRY_MED_CUM = cumulative([0.35, 0.05, 0.2, 0.12, 0.25, 0.01, 0.0, 0.02]);

/** Medication chosen at a new MOUD start. */
export function chooseMed(rng: Rng, setting: number, substance: string): MedKind {
  if (substance === "ALCOHOL") return rng.uniform() < 0.6 ? "NTX_ORAL" : "XRNTX";
  if (substance !== "OPIOID") return "BUP";
  return OPIOID_MED_KINDS[rng.pickCumulative(setting === 2 ? REENTRY_MED_CUM : OPIOID_MED_CUM)] as MedKind;
}

/** Planned treatment duration (days) of an episode: Weibull PH with the peer discontinuation HR. */
export function plannedDuration(rng: Rng, kind: MedKind, logHr: number): number {
  const scale = kind === "AUD" ? 60 : MODEL.moudDuration.scaleDays[kind];
  const shape = MODEL.moudDuration.shape;
  return Math.max(1, Math.floor(scale * (rng.exponential() / Math.exp(logHr)) ** (1 / shape)));
}

// ---------------------------------------------------------------------------------------------
// Person latent state
// ---------------------------------------------------------------------------------------------

/** A pre-index ED visit (relative day; emitted only when inside observation). */
export interface PreEdVisit {
  day: number;
  od: boolean;
  disp: number;
  stayEnd: number;
}

/** Everything about a person decided before the arm: covariates and pre-index history. */
export interface PersonLatent {
  setting: number;
  site: Site;
  indexDay: number;
  indexType: "ED_VISIT" | "OVERDOSE" | "HOSPITAL_DISCHARGE" | "RELEASE" | "PEER_ENROLLMENT";
  age: number;
  birthDay: number | null;
  sex: string;
  race: string;
  ethnicity: string;
  rurality: string;
  payer: string;
  housing: string;
  justice: string;
  substance: string;
  activeUse: string;
  /** Observation start (relative day ≤ 0) and an optional pre-index gap [gapStart, gapEnd]. */
  obsStart: number;
  gapStart: number;
  gapEnd: number;
  /** REENTRY: first day in custody (relative), else 1. */
  custodyStart: number;
  /** HOSPITAL: admission day of the index stay (relative, < 0), else 0. */
  indexAdmit: number;
  priorOdTrue: boolean;
  priorMoudTrue: boolean;
  continuing: boolean;
  preEd: PreEdVisit[];
  preMed: MedFill[];
  /** Continuing patients: regimen state and the day of the next (post-index) fill. */
  contRegimen: RegimenState | null;
  contNextDay: number;
  /** Data-visible summaries used by the engagement model. */
  priorMoudObs: boolean;
  preEdCount365Obs: number;
  priorOdObs: boolean;
  /** Linear predictors without the arm term. */
  moudEta: number;
  deathRateDaily: number;
  edDailyBase: number;
  edFrailty: number;
  /** Censoring day (relative) from follow-up, data cut and loss, before death. */
  censorDay: number;
  /** Person-level intercept of the weekly substance-use logit. */
  useIntercept: number;
}

const SEX = ["F", "M", "X", "U"];
const SEX_CUM = cumulative([0.365, 0.625, 0.005, 0.005]);
const RACE = ["WHITE", "BLACK", "AIAN", "ASIAN", "NHPI", "OTHER", "MULTI", "ASKED_NO_ANSWER", "UNKNOWN"];
const RACE_CUM = cumulative([0.62, 0.18, 0.025, 0.02, 0.005, 0.05, 0.04, 0.02, 0.04]);
const ETH = ["HISPANIC", "NOT_HISPANIC", "ASKED_NO_ANSWER", "UNKNOWN"];
const ETH_CUM = cumulative([0.12, 0.8, 0.03, 0.05]);
const PAYER = ["MEDICAID", "UNINSURED", "COMMERCIAL", "MEDICARE", "OTHER", "UNKNOWN"];
const PAYER_CUM = cumulative([0.58, 0.18, 0.12, 0.04, 0.04, 0.04]);
const PAYER_REENTRY_CUM = cumulative([0.55, 0.3, 0.05, 0.02, 0.04, 0.04]);
const HOUSING = ["HOUSED", "UNSTABLE", "HOMELESS", "UNKNOWN"];
const HOUSING_CUM = cumulative([0.57, 0.22, 0.18, 0.03]);
const HOUSING_HR_CUM = cumulative([0.35, 0.27, 0.35, 0.03]);
const SUBSTANCE = ["OPIOID", "STIMULANT", "ALCOHOL", "CANNABIS", "OTHER", "UNKNOWN"];
const SUBSTANCE_CUM = cumulative([0.82, 0.08, 0.06, 0.01, 0.02, 0.01]);
const SUBSTANCE_RC_CUM = cumulative([0.7, 0.12, 0.14, 0.01, 0.02, 0.01]);
const CONTINUING_BY_SETTING = [0.07, 0.08, 0.18, 0.05, 0.2];
const ACTIVE_USE_BY_SETTING = [0.8, 0.75, 0.4, 0.85, 0.35];

/** True when relative day `d` is inside the person's observation (before or at the index). */
export function inPreObservation(p: PersonLatent, d: number): boolean {
  return d >= p.obsStart && !(d >= p.gapStart && d <= p.gapEnd);
}

/**
 * Draws a person's covariates and pre-index history from the COV and PREMED streams.
 * `cov` and `premed` must already be seeded for this person.
 */
export function drawLatent(ctx: ModelContext, cov: Rng, premed: Rng): PersonLatent {
  const o = ctx.opts;
  const setting = cov.pickCumulative(ctx.settingCum);
  const site = ctx.sitesBySetting[setting]![cov.pickCumulative(ctx.siteCumBySetting[setting]!)]!;
  const indexDay = o.startDay + Math.floor(cov.uniform() * o.enrollmentDays);
  const age = Math.min(80, Math.max(18, 37 + 11 * cov.normal()));
  const birthDay = cov.uniform() < 0.01 ? null : indexDay - Math.floor(age * 365.25);
  const sex = cov.uniform() < 0.005 ? "" : (SEX[cov.pickCumulative(SEX_CUM)] as string);
  const race = RACE[cov.pickCumulative(RACE_CUM)] as string;
  const ethnicity = ETH[cov.pickCumulative(ETH_CUM)] as string;
  const rurality =
    cov.uniform() < 0.02
      ? "UNKNOWN"
      : (["URBAN", "SUBURBAN", "RURAL"][cov.pickCumulative(site.ruralCum)] as string);
  const payer =
    age >= 65 && cov.uniform() < 0.7
      ? "MEDICARE"
      : (PAYER[cov.pickCumulative(setting === 2 ? PAYER_REENTRY_CUM : PAYER_CUM)] as string);
  const housing = HOUSING[cov.pickCumulative(setting === 3 ? HOUSING_HR_CUM : HOUSING_CUM)] as string;
  const justice = setting === 2 ? "1" : cov.uniform() < 0.02 ? "" : cov.uniform() < 0.25 ? "1" : "0";
  const substance = SUBSTANCE[cov.pickCumulative(setting === 4 ? SUBSTANCE_RC_CUM : SUBSTANCE_CUM)] as string;
  const opioid = substance === "OPIOID";
  const activeUse =
    cov.uniform() < 0.02 ? "" : cov.uniform() < (ACTIVE_USE_BY_SETTING[setting] as number) ? "1" : "0";
  const active = activeUse === "1";
  const indexType =
    setting === 0
      ? cov.uniform() < (opioid ? 0.35 : 0.05)
        ? "OVERDOSE"
        : "ED_VISIT"
      : setting === 1
        ? "HOSPITAL_DISCHARGE"
        : setting === 2
          ? "RELEASE"
          : "PEER_ENROLLMENT";
  const odIndex = indexType === "OVERDOSE";

  // Observation window before the index: most people have 1–3 years of history, some are new.
  const obsStart = cov.uniform() < 0.15 ? -cov.int(30, 364) : -cov.int(365, 1095);
  let gapStart = 1;
  let gapEnd = 0;
  if (obsStart < -200 && cov.uniform() < 0.15) {
    const len = cov.int(30, 120);
    const s = cov.int(obsStart + 30, -40 - len);
    if (s > obsStart + 29) {
      gapStart = s;
      gapEnd = s + len - 1;
    }
  }
  const custodyStart = setting === 2 ? -cov.int(20, 300) : 1;
  const indexAdmit = setting === 1 ? -cov.int(2, 10) : 0;

  const homeless = housing === "HOMELESS";
  const unstable = housing === "UNSTABLE";
  const age10 = (age - MODEL.ageCentre) / 10;
  const priorOdTrue = cov.uniform() < (opioid ? 0.22 + (active ? 0.12 : 0) : 0.04);
  const continuing = opioid && cov.uniform() < (CONTINUING_BY_SETTING[setting] as number);
  const priorEnded = opioid && !continuing && cov.uniform() < 0.22;
  const priorMoudTrue = continuing || priorEnded;

  // ED frailty and rate.
  const theta = o.edOverdispersion;
  const edFrailty = theta * cov.gamma(1 / theta);
  const E = MODEL.edLogRate;
  const edDailyBase = Math.exp(
    Math.log(o.edVisitsPerYear / 365.25) +
      (homeless ? E.homeless : 0) +
      (unstable ? E.unstableHousing : 0) +
      (active ? E.activeUse : 0) +
      (priorOdTrue ? E.priorOverdoseTrue : 0) +
      E.agePer10 * age10 +
      (payer === "UNINSURED" ? E.uninsured : 0) +
      (rurality === "RURAL" ? E.rural : 0) +
      E.setting[SETTINGS[setting]!],
  );

  const p: PersonLatent = {
    setting,
    site,
    indexDay,
    indexType,
    age,
    birthDay,
    sex,
    race,
    ethnicity,
    rurality,
    payer,
    housing,
    justice,
    substance,
    activeUse,
    obsStart,
    gapStart,
    gapEnd,
    custodyStart,
    indexAdmit,
    priorOdTrue,
    priorMoudTrue,
    continuing,
    preEd: [],
    preMed: [],
    contRegimen: null,
    contNextDay: 0,
    priorMoudObs: false,
    preEdCount365Obs: 0,
    priorOdObs: false,
    moudEta: 0,
    deathRateDaily: 0,
    edDailyBase,
    edFrailty,
    censorDay: 0,
    useIntercept: 0,
  };

  // Pre-index ED visits over [−365, −1]: Poisson count, then drop those outside observation, in
  // custody or inside the index hospital stay; the prior overdose (if any) is one of them.
  const preMean = 365 * edDailyBase * edFrailty * E.preIndexInflation;
  const count = cov.poisson(preMean);
  const days: number[] = [];
  for (let i = 0; i < count; i++) days.push(-cov.int(1, 365));
  let odDay = 0;
  if (priorOdTrue) {
    odDay = -cov.int(1, 365);
    days.push(odDay);
  }
  days.sort((a, b) => a - b);
  // Last day a pre-index visit or stay may occupy: before custody and before the index stay/visit.
  const preLimit = Math.min(setting === 1 ? indexAdmit - 2 : -1, p.custodyStart - 1);
  let free = -Number.MAX_SAFE_INTEGER;
  let lastDay = 1;
  for (const d of days) {
    if (d === lastDay || d < free || d > preLimit) continue;
    const od = d === odDay && priorOdTrue;
    const u = cov.uniform();
    const disp = od ? (u < 0.25 ? 1 : u < 0.85 ? 0 : 4) : u < 0.08 ? 1 : u < 0.12 ? 2 : u < 0.94 ? 0 : 4;
    let stayEnd = d;
    if (disp === 1) stayEnd = Math.min(d + 1 + cov.poisson(3), preLimit);
    else if (disp === 2) stayEnd = Math.min(d + 1, preLimit);
    if (stayEnd < d) stayEnd = d;
    lastDay = d;
    free = stayEnd + 1;
    if (!inPreObservation(p, d) || !inPreObservation(p, stayEnd)) continue;
    p.preEd.push({ day: d, od, disp, stayEnd });
    p.preEdCount365Obs++;
    if (od) p.priorOdObs = true;
  }

  // Pre-index MOUD.
  if (continuing) {
    if (setting === 2) {
      // In-custody MOUD: daily administration over the last 14 days (or monthly injections).
      const u = premed.uniform();
      const kind: MedKind = u < 0.4 ? "METHADONE" : u < 0.75 ? "BUP" : "BUP_INJ";
      if (kind === "BUP_INJ") {
        let d = -premed.int(1, Math.min(28, -p.custodyStart));
        const n = premed.int(1, 3);
        const firsts: number[] = [];
        for (let i = 0; i < n && d >= p.custodyStart; i++, d -= 30) firsts.push(d);
        firsts.reverse();
        for (const day of firsts) {
          p.preMed.push({
            day,
            route: "ADMINISTRATION",
            row: "BUP_INJ",
            ds: 30,
            units: 100,
            setting: "CUSTODY",
          });
        }
        p.contRegimen = newRegimen(premed, "BUP_INJ", false);
        p.contNextDay = (firsts[firsts.length - 1] as number) + 30 + premed.int(0, 5);
      } else {
        const from = Math.max(-14, p.custodyStart);
        const dose = 10 * premed.int(4, 10);
        for (let d = from; d <= -1; d++) {
          p.preMed.push({
            day: d,
            route: "ADMINISTRATION",
            row: kind === "METHADONE" ? "METHADONE_ORAL" : "BUP_ORAL",
            ds: 1,
            units: kind === "METHADONE" ? dose : 16,
            setting: "CUSTODY",
          });
        }
        p.contRegimen = newRegimen(premed, kind, true);
        p.contNextDay = premed.int(0, 3);
      }
    } else {
      const kind = chooseMed(premed, setting, substance);
      const st = newRegimen(premed, kind, false);
      const s0 = -premed.int(30, 600);
      const fills: MedFill[] = [];
      let next = runRegimen(premed, st, s0, -1, -1, fills);
      const last = fills[fills.length - 1];
      if (last === undefined || last.day + last.ds - 1 < -1) {
        const ds = last?.ds ?? 30;
        const d = -1 - premed.int(0, Math.min(ds - 1, 5));
        next = addFill(premed, st, d, fills);
      }
      p.preMed = fills;
      p.contRegimen = st;
      p.contNextDay = Math.max(0, next);
    }
  } else if (priorEnded) {
    const kind = chooseMed(premed, setting, substance);
    const st = newRegimen(premed, kind, true);
    const end = -premed.int(45, 400);
    const s0 = end - premed.int(14, 200);
    const fills: MedFill[] = [];
    runRegimen(premed, st, s0, end, end, fills);
    // Keep only fills whose stacked coverage ends before day −32 (so the person is NEW).
    let covEnd = -Number.MAX_SAFE_INTEGER;
    for (const f of fills) {
      const e = Math.max(covEnd, f.day - 1) + f.ds;
      if (e >= -32) break;
      covEnd = e;
      p.preMed.push(f);
    }
  }
  // Drop pre-index medication events outside observation (a continuing supply covering day −1 is
  // always inside: observation starts ≥ 30 days before the index and gaps end before day −40).
  if (p.preMed.length > 0) {
    p.preMed = p.preMed.filter((f) => inPreObservation(p, f.day));
    if (p.preMed.length > 0 && p.preMed.some((f) => f.row !== "AUD_OTHER")) p.priorMoudObs = true;
  }

  // Linear predictors.
  const M = MODEL.moudLogHazard;
  const unknownSubstance = substance === "UNKNOWN";
  p.moudEta =
    Math.log(o.moudBaselineScale) +
    M.agePer10 * age10 +
    (sex === "F" ? M.female : 0) +
    (homeless ? M.homeless : 0) +
    (unstable ? M.unstableHousing : 0) +
    (priorMoudTrue ? M.priorMoudTrue : 0) +
    (priorOdTrue ? M.priorOverdoseTrue : 0) +
    (odIndex ? M.overdoseIndex : 0) +
    (payer === "UNINSURED"
      ? M.uninsured
      : payer === "COMMERCIAL"
        ? M.commercial
        : payer === "MEDICARE"
          ? M.medicare
          : 0) +
    (rurality === "RURAL" ? M.rural : 0) +
    (opioid ? 0 : unknownSubstance ? M.primarySubstanceUnknown : M.primarySubstanceNotOpioid) +
    M.setting[SETTINGS[setting]!] +
    site.moudEffect;
  const Dh = MODEL.deathLogHazard;
  p.deathRateDaily = Math.exp(
    Math.log(o.deathRatePerYear / 365.25) +
      Dh.agePer10 * age10 +
      (priorOdTrue ? Dh.priorOverdoseTrue : 0) +
      (odIndex ? Dh.overdoseIndex : 0) +
      (homeless ? Dh.homeless : 0) +
      (active ? Dh.activeUse : 0) +
      (opioid ? Dh.opioid : 0),
  );
  const loss =
    o.lossRatePerYear > 0 ? cov.exponential() / (o.lossRatePerYear / 365.25) : Number.POSITIVE_INFINITY;
  p.censorDay = Math.min(o.followUpDays, o.dataCutDay - indexDay, Math.floor(loss));
  const U = MODEL.use;
  p.useIntercept =
    U.intercept +
    (active ? U.activeUse : 0) +
    (priorMoudTrue ? U.priorMoudTrue : 0) +
    U.personSd * cov.normal();
  return p;
}

/** Probability of PEER under the observational engagement model (data-visible terms only). */
export function engagementProbability(ctx: ModelContext, p: PersonLatent): number {
  const P = MODEL.propensity;
  const c = ctx.opts.confounding;
  const age10 = (p.age - MODEL.ageCentre) / 10;
  const x =
    P.interceptBySetting[SETTINGS[p.setting]!] +
    c *
      (p.site.peerEffect +
        (p.sex === "F" ? P.female : 0) +
        P.agePer10 * age10 +
        (p.housing === "HOMELESS" ? P.homeless : 0) +
        (p.housing === "UNSTABLE" ? P.unstableHousing : 0) +
        (p.activeUse === "1" ? P.activeUse : 0) +
        (p.priorMoudObs ? P.priorMoudObserved : 0) +
        P.priorEdVisitsObserved365PerVisitCap8 * Math.min(8, p.preEdCount365Obs) +
        (p.priorOdObs ? P.priorOverdoseObserved365 : 0) +
        (p.payer === "UNINSURED" ? P.uninsured : 0) +
        (p.justice === "1" && p.setting !== 2 ? P.justiceInvolved : 0) +
        (p.indexType === "OVERDOSE" ? P.overdoseIndex : 0));
  return 1 / (1 + Math.exp(-x));
}

/** P(PEER | person) under the run's design (observational model, 1/2, or the site's cluster arm). */
export function armProbability(ctx: ModelContext, p: PersonLatent): number {
  if (ctx.opts.design === "observational") return engagementProbability(ctx, p);
  if (ctx.opts.randomization === "cluster") return p.site.clusterPeer ? 1 : 0;
  return 0.5;
}

// ---------------------------------------------------------------------------------------------
// Acute care after the index: ED visits, admissions, observation stays, residential/detox stays
// ---------------------------------------------------------------------------------------------

/** Disposition codes of ED visits, indexed by the numbers used in {@link AcuteOut}. */
export const DISPOSITIONS = ["RELEASED", "ADMITTED", "OBSERVATION", "TRANSFER", "LEFT"] as const;

/** Output buffers of {@link simulateAcute} (reused between people). */
export interface AcuteOut {
  n: number;
  day: number[];
  od: boolean[];
  disp: number[];
  stayEnd: number[];
  /** Residential (1) or detox (2) stay, or 0 for none. */
  resKind: number;
  resStart: number;
  resEnd: number;
  /** Days in INPATIENT_ACUTE stays (admission through discharge, both included), within 1..endDay. */
  hospitalDays: number;
}

/** Fresh output buffers for {@link simulateAcute}. */
export function newAcuteOut(): AcuteOut {
  return {
    n: 0,
    day: [],
    od: [],
    disp: [],
    stayEnd: [],
    resKind: 0,
    resStart: 0,
    resEnd: 0,
    hospitalDays: 0,
  };
}

/**
 * Simulates ED visits on days 1..endDay: each at-risk day has visit probability `pDaily` (at most one
 * visit a day); no visits while admitted, in observation, or in a residential/detox stay. The ED
 * rate ratio acts on `pDaily`, so it is exactly the conditional rate ratio per at-risk day.
 */
export function simulateAcute(rng: Rng, pDaily: number, odProb: number, endDay: number, out: AcuteOut): void {
  out.n = 0;
  out.resKind = 0;
  out.hospitalDays = 0;
  let resPending = false;
  let resStart = 0;
  let resLen = 0;
  if (endDay >= 1 && rng.uniform() < (MODEL.edLogRate.residentialOrDetoxStayPerYear * endDay) / 365.25) {
    resPending = true;
    resStart = rng.int(1, endDay);
    out.resKind = rng.uniform() < 0.5 ? 1 : 2;
    resLen = out.resKind === 1 ? rng.int(14, 28) : rng.int(3, 6);
  }
  const p = Math.min(0.9, pDaily);
  let j = 1;
  for (;;) {
    if (resPending && j > resStart) resStart = j;
    if (resPending && resStart > endDay) {
      resPending = false;
      out.resKind = 0;
    }
    const d = j + rng.geometric(p);
    if (resPending && d >= resStart) {
      out.resStart = resStart;
      out.resEnd = Math.min(endDay, resStart + resLen - 1);
      resPending = false;
      j = out.resEnd + 1;
      continue;
    }
    if (d > endDay) break;
    const od = rng.uniform() < odProb;
    const u = rng.uniform();
    const disp = od
      ? u < 0.2
        ? 1
        : u < 0.3
          ? 2
          : u < 0.9
            ? 0
            : 4
      : u < 0.08
        ? 1
        : u < 0.12
          ? 2
          : u < 0.14
            ? 3
            : u < 0.94
              ? 0
              : 4;
    let stayEnd = d;
    if (disp === 1) {
      stayEnd = Math.min(endDay, d + 1 + Math.min(29, rng.poisson(3)));
      out.hospitalDays += stayEnd - d + 1;
    } else if (disp === 2) {
      stayEnd = Math.min(endDay, d + 1);
    }
    const i = out.n++;
    out.day[i] = d;
    out.od[i] = od;
    out.disp[i] = disp;
    out.stayEnd[i] = stayEnd;
    j = stayEnd + 1;
  }
  if (resPending) out.resKind = 0;
}

/** Daily ED probability of a person in an arm (before the cap inside {@link simulateAcute}). */
export function edDailyProbability(ctx: ModelContext, p: PersonLatent, peer: boolean): number {
  return p.edDailyBase * p.edFrailty * (peer ? ctx.opts.edRateRatio : 1);
}

/** Overdose share of a person's ED visits. */
export function overdoseShare(p: PersonLatent): number {
  const E = MODEL.edLogRate;
  if (p.substance !== "OPIOID") return E.overdoseShareOther;
  return E.overdoseShareOpioid * (p.activeUse === "1" ? E.overdoseShareOpioidActiveUseMultiplier : 1);
}

// ---------------------------------------------------------------------------------------------
// BARC-10
// ---------------------------------------------------------------------------------------------

/** Latent BARC-10 intake total (before item noise). */
export function barcIntakeLatent(p: PersonLatent, z: number): number {
  const B = MODEL.barc;
  return (
    B.intakeMean +
    (p.housing === "HOUSED" ? B.housed : 0) +
    (p.housing === "HOMELESS" ? B.homeless : 0) +
    (p.activeUse === "1" ? B.activeUse : 0) +
    (p.priorMoudTrue ? B.priorMoudTrue : 0) +
    B.intakeSd * z
  );
}

/** Latent 6-month change given intake latent, arm and a standard-normal draw. */
export function barcChangeLatent(ctx: ModelContext, intake: number, peer: boolean, z: number): number {
  const B = MODEL.barc;
  return (
    B.changeMean +
    (peer ? ctx.opts.barcChangeEffect : 0) +
    B.regressionToMean * (intake - B.intakeMean) +
    B.changeSd * z
  );
}

/** One BARC-10 item (1–6) from a latent total and a standard-normal noise draw. */
export function barcItem(latentTotal: number, item: number, z: number): number {
  const v = Math.round(
    latentTotal / 10 + (MODEL.barc.itemOffsets[item] as number) + MODEL.barc.itemNoiseSd * z,
  );
  return Math.max(1, Math.min(6, v));
}
