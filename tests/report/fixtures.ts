/**
 * A realistic report input: a matched comparison of peer recovery support after an overdose ED
 * visit vs usual care, with two outcomes. Survival curves come from a small seeded simulation
 * (Kaplan–Meier, Greenwood variance, log-log CI), so that the curves, numbers at risk and group
 * estimates agree with each other. These are display fixtures, not reference values.
 * Several counts are deliberately 1–10 so that suppression has something to hide: in the flow, data
 * quality, estimates and at-risk table, one point of the retention estimates chart (usual care at
 * day 180, n = 7), one point of the recovery-capital trajectory (usual care at 6 months, n = 9) and
 * one level of the retention subgroup section ("Another gender identity", 4 people in peer support).
 */
import type { AtRiskRow, GroupEstimate, ReportInput, SurvivalCurve } from "../../src/report/types.js";

/** mulberry32: a tiny seeded PRNG for fixtures. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Subject {
  time: number;
  event: boolean;
}

function simulate(n: number, dailyHazard: number, seed: number, maxFollowUp: number): Subject[] {
  const u = rng(seed);
  const out: Subject[] = [];
  for (let i = 0; i < n; i++) {
    const eventTime = Math.max(1, Math.ceil(-Math.log(1 - u()) / dailyHazard));
    // staggered entry: administrative censoring between 100 days and the end of follow-up, plus drop-out
    const admin = Math.floor(100 + u() * (maxFollowUp + 6 - 100));
    const dropout = u() < 0.15 ? Math.ceil(u() * maxFollowUp) : Number.POSITIVE_INFINITY;
    const censor = Math.min(admin, dropout, maxFollowUp);
    out.push(eventTime <= censor ? { time: eventTime, event: true } : { time: censor, event: false });
  }
  return out;
}

interface KmFit {
  curve: SurvivalCurve;
  /** Kaplan–Meier survival and its CI at t. */
  at(t: number): { s: number; lower: number; upper: number; events: number };
  nRiskAt(t: number): number;
}

/** Kaplan–Meier with Greenwood variance and log-log 95% CI, drawn as cumulative incidence 1 − S. */
function kaplanMeier(group: string, subjects: readonly Subject[]): KmFit {
  const times = [...new Set(subjects.filter((s) => s.event).map((s) => s.time))].sort((a, b) => a - b);
  const z = 1.959963984540054;
  let s = 1;
  let greenwood = 0;
  const time = [0];
  const estimate = [0];
  const lower = [0];
  const upper = [0];
  const steps: { t: number; s: number; lo: number; hi: number; cumEvents: number }[] = [];
  let cumEvents = 0;
  for (const t of times) {
    const atRisk = subjects.filter((x) => x.time >= t).length;
    const d = subjects.filter((x) => x.time === t && x.event).length;
    s *= 1 - d / atRisk;
    greenwood += d / (atRisk * (atRisk - d));
    cumEvents += d;
    let lo = s;
    let hi = s;
    if (s > 0 && s < 1) {
      const se = Math.sqrt(greenwood) / Math.abs(Math.log(s));
      lo = s ** Math.exp(z * se);
      hi = s ** Math.exp(-z * se);
    }
    steps.push({ t, s, lo, hi, cumEvents });
    time.push(t);
    estimate.push(1 - s);
    lower.push(1 - hi);
    upper.push(1 - lo);
  }
  const censorTimes = subjects.filter((x) => !x.event).map((x) => x.time);
  return {
    curve: { group, time, estimate, lower, upper, censorTimes },
    at(t) {
      let cur = { s: 1, lower: 1, upper: 1, events: 0 };
      for (const st of steps)
        if (st.t <= t) cur = { s: st.s, lower: st.lo, upper: st.hi, events: st.cumEvents };
      return cur;
    },
    nRiskAt(t) {
      return subjects.filter((x) => x.time >= t).length;
    },
  };
}

const PEER = "Peer recovery support";
const USUAL = "Usual care";
const AT_RISK_TIMES = [0, 30, 60, 90, 120, 150, 180];

const peer = kaplanMeier(PEER, simulate(412, 1 / 140, 20261122, 180));
const usual = kaplanMeier(USUAL, simulate(389, 1 / 230, 7, 180));

function atRisk(group: string, fit: KmFit): AtRiskRow {
  return { group, time: AT_RISK_TIMES, nRisk: AT_RISK_TIMES.map((t) => fit.nRiskAt(t)) };
}

function incidenceAt(group: string, fit: KmFit, n: number, t: number): GroupEstimate {
  const a = fit.at(t);
  return {
    group,
    n,
    events: a.events,
    estimate: 1 - a.s,
    lower: 1 - a.upper,
    upper: 1 - a.lower,
    label: `Cumulative incidence at ${t} days`,
    style: { kind: "percent" },
  };
}

/** The numbers at risk of the fixture (used by tests to know which ones are small). */
export const FIXTURE_AT_RISK: readonly AtRiskRow[] = [atRisk(PEER, peer), atRisk(USUAL, usual)];

/** A two-group, two-outcome report input with small cells in the flow, data quality, estimates and at-risk table. */
export const FIXTURE_REPORT: ReportInput = {
  title: "Peer recovery support after an overdose ED visit",
  subtitle: "County Recovery Network, index visits January 2024 – June 2025",
  design: {
    kind: "matched",
    description:
      "People seen by a peer recovery coach in the ED were compared with people who had a similar overdose ED visit and no peer contact, matched 1:1 on a propensity score (nearest neighbour, caliper 0.2 SD) with the same time zero (the ED visit).",
    causalLanguageAllowed: false,
  },
  flow: [
    {
      label: "Person records loaded",
      n: 1236,
      excluded: [
        { reason: "Rejected by validation", n: 7 },
        { reason: "Duplicate person records", n: 4 },
      ],
    },
    {
      label: "Persons with an overdose ED visit",
      n: 1225,
      excluded: [
        { reason: "No index visit in the study window", n: 402 },
        { reason: "Age under 18", n: 9 },
        { reason: "Died on the day of the visit", n: 3 },
      ],
    },
    {
      label: "Eligible",
      n: 811,
      excluded: [{ reason: "No match within the caliper", n: 10 }],
    },
    { label: "Analysed", n: 801 },
  ],
  dataQuality: {
    files: [
      { file: "persons.csv", read: 1243, accepted: 1236, rejected: 7 },
      { file: "encounters.csv", read: 18502, accepted: 18498, rejected: 4 },
      { file: "medication_events.csv", read: 5120, accepted: 5120, rejected: 0 },
    ],
    issuesByCode: [
      {
        code: "DATE_ORDER",
        severity: "error",
        count: 7,
        example: "persons.csv row 88: end_date is before start_date",
      },
      {
        code: "UNKNOWN_CODE",
        severity: "error",
        count: 4,
        example: "encounters.csv row 1,204: setting 'EDX'",
      },
      { code: "MISSING_OPTIONAL", severity: "info", count: 236, example: "persons.csv: gender missing" },
    ],
  },
  outcomes: [
    {
      id: "days-to-moud",
      title: "Starting medication for opioid use disorder (MOUD)",
      sentence:
        "Within 90 days of the ED visit, more people in the peer recovery support group had started MOUD than in the matched usual-care group.",
      groupEstimates: [
        incidenceAt(PEER, peer, 412, 30),
        incidenceAt(USUAL, usual, 389, 30),
        incidenceAt(PEER, peer, 412, 90),
        incidenceAt(USUAL, usual, 389, 90),
      ],
      effects: [
        {
          label: "Risk difference at 90 days",
          estimate: 0.1184,
          lower: 0.0561,
          upper: 0.1807,
          pValue: 0.00019,
          method: "Difference of Kaplan–Meier estimates, Greenwood variance, Wald CI",
          style: { kind: "percentagePoints" },
        },
        {
          label: "Hazard ratio",
          estimate: 1.62,
          lower: 1.29,
          upper: 2.04,
          pValue: 0.0052,
          method: "Cox proportional hazards, Efron ties, robust variance clustered on matched pair",
          style: { kind: "ratio" },
        },
      ],
      chart: {
        kind: "survival",
        yLabel: "Cumulative incidence",
        xLabel: "Days since the ED visit",
        curves: [peer.curve, usual.curve],
        atRisk: [...FIXTURE_AT_RISK],
      },
    },
    {
      id: "ed-return",
      title: "Return to the ED for an overdose within 180 days",
      sentence:
        "Return overdose visits were uncommon in both groups, and less common in the peer recovery support group.",
      groupEstimates: [
        {
          group: PEER,
          n: 412,
          events: 9,
          estimate: 9 / 412,
          lower: 0.0115,
          upper: 0.0411,
          label: "Proportion with a return visit",
          style: { kind: "percent" },
        },
        {
          group: USUAL,
          n: 389,
          events: 31,
          estimate: 31 / 389,
          lower: 0.0566,
          upper: 0.1113,
          label: "Proportion with a return visit",
          style: { kind: "percent" },
        },
      ],
      effects: [
        {
          label: "Risk ratio",
          estimate: 0.27,
          lower: 0.13,
          upper: 0.57,
          pValue: 0.00041,
          method: "Log-binomial model, robust variance",
          style: { kind: "ratio" },
        },
      ],
      chart: {
        kind: "forest",
        xLabel: "Risk ratio (peer support vs usual care)",
        nullValue: 1,
        logScale: true,
        rows: [
          { label: "All", estimate: 0.27, lower: 0.13, upper: 0.57 },
          { label: "Age under 35", estimate: 0.31, lower: 0.11, upper: 0.86 },
          { label: "Age 35 and over", estimate: 0.24, lower: 0.08, upper: 0.7 },
        ],
      },
      subgroups: [
        {
          variable: "Housing status",
          effectLabel: "Risk ratio",
          style: { kind: "ratio" },
          nullValue: 1,
          rows: [
            {
              level: "Housed",
              n: 520,
              nTreated: 270,
              nControl: 250,
              estimate: 0.3,
              lower: 0.12,
              upper: 0.75,
            },
            {
              level: "Unhoused",
              n: 267,
              nTreated: 135,
              nControl: 132,
              estimate: 0.22,
              lower: 0.07,
              upper: 0.66,
            },
          ],
          overall: { estimate: 0.27, lower: 0.13, upper: 0.57 },
          interactionP: 0.64,
          interactionMethod: "Wald χ² test of the arm × housing status terms, robust variance",
          nMissing: 14,
        },
      ],
    },
    {
      id: "moud-retention",
      title: "Retention in MOUD treatment",
      sentence:
        "Among people who started MOUD, more of those in the peer recovery support group were still in treatment at day 180.",
      groupEstimates: [
        {
          group: PEER,
          n: 160,
          estimate: 0.51,
          lower: 0.43,
          upper: 0.59,
          label: "Retained at day 180",
          style: { kind: "percent" },
        },
        {
          group: USUAL,
          n: 142,
          estimate: 0.38,
          lower: 0.3,
          upper: 0.46,
          label: "Retained at day 180",
          style: { kind: "percent" },
        },
      ],
      effects: [
        {
          label: "Risk difference at day 180",
          estimate: 0.13,
          lower: 0.02,
          upper: 0.24,
          pValue: 0.021,
          method: "Difference of proportions, Newcombe hybrid score interval",
          style: { kind: "percentagePoints" },
        },
      ],
      chart: {
        kind: "estimates",
        valueLabel: "Retained in treatment",
        style: { kind: "percent" },
        points: [
          { group: PEER, category: "Day 90", n: 160, estimate: 0.66, lower: 0.58, upper: 0.73 },
          { group: USUAL, category: "Day 90", n: 142, estimate: 0.54, lower: 0.46, upper: 0.62 },
          { group: PEER, category: "Day 180", n: 131, estimate: 0.51, lower: 0.42, upper: 0.6 },
          { group: USUAL, category: "Day 180", n: 7, estimate: 0.29, lower: 0.08, upper: 0.64 },
        ],
      },
      subgroups: [
        {
          variable: "Sex",
          effectLabel: "Risk difference",
          style: { kind: "percentagePoints" },
          nullValue: 0,
          rows: [
            {
              level: "Female",
              n: 120,
              nTreated: 64,
              nControl: 56,
              estimate: 0.15,
              lower: -0.02,
              upper: 0.32,
            },
            { level: "Male", n: 163, nTreated: 92, nControl: 71, estimate: 0.11, lower: -0.03, upper: 0.25 },
            {
              level: "Another gender identity",
              n: 19,
              nTreated: 4,
              nControl: 15,
              estimate: 0.36,
              lower: -0.12,
              upper: 0.84,
            },
          ],
          overall: { estimate: 0.13, lower: 0.02, upper: 0.24 },
          interactionP: 0.74,
          interactionMethod: "Wald χ² test of the arm × sex terms (2 df), robust variance",
        },
      ],
      notes: ["Analysed among the people who started MOUD within 90 days of the ED visit."],
    },
    {
      id: "recovery-capital",
      title: "Recovery capital (BARC-10) over 12 months",
      sentence:
        "Recovery capital rose in both groups over the year, somewhat more in the peer recovery support group.",
      groupEstimates: [
        {
          group: PEER,
          n: 96,
          estimate: 4.1,
          lower: 2.9,
          upper: 5.3,
          label: "Mean change in BARC-10, intake to 12 months",
          style: { kind: "decimal", digits: 1 },
        },
        {
          group: USUAL,
          n: 88,
          estimate: 2.2,
          lower: 1.0,
          upper: 3.4,
          label: "Mean change in BARC-10, intake to 12 months",
          style: { kind: "decimal", digits: 1 },
        },
      ],
      effects: [
        {
          label: "Difference in mean change at 12 months",
          estimate: 1.9,
          lower: 0.2,
          upper: 3.6,
          pValue: 0.029,
          method: "Linear mixed model (random intercept per person), Kenward–Roger df",
          style: { kind: "decimal", digits: 1 },
        },
      ],
      chart: {
        kind: "trajectory",
        xLabel: "Months since intake",
        yLabel: "Mean BARC-10 score",
        points: [
          { group: PEER, time: 0, timeLabel: "Intake", n: 130, estimate: 38.2, lower: 36.9, upper: 39.5 },
          { group: PEER, time: 3, timeLabel: "3 months", n: 112, estimate: 40.1, lower: 38.7, upper: 41.5 },
          { group: PEER, time: 6, timeLabel: "6 months", n: 104, estimate: 41.3, lower: 39.8, upper: 42.8 },
          { group: PEER, time: 12, timeLabel: "12 months", n: 96, estimate: 42.4, lower: 40.8, upper: 44.0 },
          { group: USUAL, time: 0, timeLabel: "Intake", n: 121, estimate: 37.9, lower: 36.5, upper: 39.3 },
          { group: USUAL, time: 3, timeLabel: "3 months", n: 99, estimate: 38.8, lower: 37.3, upper: 40.3 },
          { group: USUAL, time: 6, timeLabel: "6 months", n: 9, estimate: 36.1, lower: 31.0, upper: 41.2 },
          { group: USUAL, time: 12, timeLabel: "12 months", n: 88, estimate: 40.1, lower: 38.4, upper: 41.8 },
        ],
      },
      extraCharts: [
        {
          id: "change",
          title: "Change from intake to 12 months",
          chart: {
            kind: "estimates",
            valueLabel: "Mean change in BARC-10",
            style: { kind: "decimal", digits: 1 },
            zero: true,
            points: [
              { group: PEER, n: 96, estimate: 4.1, lower: 2.9, upper: 5.3 },
              { group: USUAL, n: 88, estimate: 2.2, lower: 1.0, upper: 3.4 },
            ],
          },
        },
      ],
      notes: [
        "Analysed in its own eligible sample: people with a BARC-10 at intake and at least one later assessment.",
        "BARC-10 scores range from 10 to 60; higher scores mean more recovery capital.",
      ],
    },
  ],
  methods: [
    { label: "Measure definition", value: "days-to-moud v1.2.0; ed-return v1.0.1" },
    { label: "Time zero", value: "Date of the index ED visit (same for both groups)" },
    { label: "Follow-up", value: "180 days; censored at death, disenrolment or data cut-off (2025-12-31)" },
    { label: "Confidence intervals", value: "95%; Kaplan–Meier: log-log transform, Greenwood variance" },
    { label: "Matching", value: "1:1 nearest neighbour on the logit propensity score, caliper 0.2 SD" },
    { label: "Small-cell threshold", value: "10" },
  ],
  limitations: [
    "Observational comparison: people who accept a peer coach may differ from those who do not in ways the data do not record.",
    "MOUD dispensed outside the state PDMP (for example, in opioid treatment programs) is not observed.",
    "Deaths are recorded only through the state registry, which lags by up to six months.",
  ],
  manifest: {
    package: { name: "prss-eval", version: "0.1.0" },
    inputs: [
      { file: "persons.csv", sha256: "3f7a9c0b8d1e2f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2" },
      { file: "encounters.csv", sha256: "a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e" },
    ],
    options: { smallCellThreshold: 10, seed: 20261122, ciLevel: 0.95 },
  },
};

/** The same report with a descriptive design (no comparison group). */
export const FIXTURE_DESCRIPTIVE: ReportInput = {
  ...FIXTURE_REPORT,
  design: {
    kind: "descriptive",
    description: "All people seen by a peer recovery coach; no comparison group.",
    causalLanguageAllowed: false,
  },
};
