/**
 * Urine drug screening (UDS) abstinence measures (MEASURES.md §5.1, resolved reading §15.9; [LIT]
 * CTN-0094 / CTNote, Brandt et al. 2024).
 *
 * Each scheduled visit (person × scheduled_date) in the window becomes one symbol of the use-pattern
 * word: `-` negative, `+` positive, `o` specimen missing, `*` inconclusive. Only target analytes are
 * read (default all); a positive row with prescribed_explains = true (buprenorphine on buprenorphine,
 * methadone in OTP) is a negative, not illicit use. Per analyte, results of several rows that disagree
 * (positive and negative) make the analyte mixed; an analyte with only INVALID results is invalid.
 * Visit: any positive analyte → `+`; else any mixed or invalid analyte → `*`; else any negative → `-`;
 * no result at all → `o`. With `unit = 'week'` visits are grouped into weeks from the window start
 * (CTNote style): no observed visit → `o`; a `*`, or both `+` and `-` → `*`; else `+` or `-`.
 *
 * Measures per person-window:
 * - PCT_NEG_MISSING_POS = `-` ÷ required symbols (`o` and `*` count as positive; §15.9);
 * - PCT_NEG_OBSERVED = `-` ÷ (`-` + `+`): missing ignored and inconclusive excluded (§15.9) —
 *   secondary only (inflates success);
 * - LONGEST_NEG_RUN, Schottenfeld 2008 (missing as positive: `o`, `*`, `+` break a run) and
 *   Schottenfeld 2005 (missing ignored: `o` and `*` are skipped, only `+` breaks);
 * - K_CONSEC_NEG: a run of ≥ k negatives under `missingAs` (default positive; k default 3, Kosten 1993
 *   weekly; Ling 1998 used 13 thrice-weekly specimens).
 * Empty denominators give null (§15.13).
 */

import { InvalidInputError } from "../stats/errors.js";
import type { Estimate } from "../stats/result.js";
import { type AnchorKind, personAnchors } from "./core/anchors.js";
import { NULL_DAY as NULL_DAY_IMPORTED, toDay } from "./core/columns.js";
import { MeasureData, type MeasureTables, UDS_ANALYTES } from "./core/data.js";
import { type MeasureDefinition, makeDefinition, resolveParams } from "./core/definition.js";
import {
  boolColumn,
  type MeasureResult,
  makeResult,
  numColumn,
  personIdColumn,
  reasonCounts,
  unitsTable,
} from "./core/result.js";
import { type GroupSummary, summarizeMean, summarizeProportion, unitArms } from "./core/summary.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

export const MEASURE_ID = "uds-abstinence";
export const VERSION = "1.0.0";

export const REASONS = ["INCLUDED", "NO_ANCHOR", "NO_REQUIRED_VISITS"] as const;
export type UdsReason = (typeof REASONS)[number];
type Analyte = (typeof UDS_ANALYTES)[number];

export interface UdsAbstinenceParams {
  /** Target analytes (null: all). */
  readonly analytes: readonly Analyte[] | null;
  /** Window anchor: 'all' (every scheduled visit), 'absolute' (dates), 'index' or 'randomization' + day offsets. */
  readonly anchor: "all" | "absolute" | AnchorKind;
  readonly from: number | string | null;
  readonly to: number | string | null;
  readonly unit: "visit" | "week";
  readonly k: number;
  readonly missingAs: "positive" | "ignored" | "negative";
}

export const DEFAULTS: UdsAbstinenceParams = Object.freeze({
  analytes: null,
  anchor: "all",
  from: null,
  to: null,
  unit: "visit",
  k: 3,
  missingAs: "positive",
} as UdsAbstinenceParams);

export interface UdsSummary {
  readonly nPersons: number;
  readonly reasons: Readonly<Record<UdsReason, number>>;
  readonly pctNegMissingPositive: GroupSummary<Estimate>;
  readonly pctNegObserved: GroupSummary<Estimate>;
  readonly kConsecutiveNegative: GroupSummary<Estimate>;
}

export function definition(params?: Partial<UdsAbstinenceParams>): MeasureDefinition<UdsAbstinenceParams> {
  const p = resolveParams(DEFAULTS, params);
  return makeDefinition({
    id: MEASURE_ID,
    version: VERSION,
    title: "UDS percent negative, longest negative run and k consecutive negatives",
    unit: "person-window",
    status: ["LIT"],
    sources: [
      "Brandt L et al. 2024, Addiction (CTN-0094: 61 coded outcome definitions); CTNote R package",
      "Schottenfeld 2005/2008; Kosten 1993; Ling 1998; McPherson 2013 (missing UDS)",
    ],
    parameters: p,
    defaults: DEFAULTS,
    readings: ["15.9", "15.13"],
    notes: [
      "A scheduled_date row is a required visit; visits with no target-analyte row are missing ('o').",
      "Percentages are reported as proportions 0–1 (× 100 for percent).",
      "missingAs 'negative' counts 'o' as '-' (pct and runs); inconclusive '*' stays not negative.",
      "Multiple imputation of missing specimens is not implemented (sensitivity analysis belongs to the analysis layer).",
    ],
    reasonCodes: [...REASONS],
  });
}

const NEG = 45; // '-'
const POS = 43; // '+'
const MISS = 111; // 'o'
const INC = 42; // '*'

/** Longest run of '-' in a word, where `skip` symbols neither count nor break a run. */
export function longestNegativeRun(word: string, skip: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!;
    if (c === "-") {
      run++;
      if (run > best) best = run;
    } else if (!skip.includes(c)) run = 0;
  }
  return best;
}

/** Computes UDS measures per person. Needs uds_results (index_events / arms for anchored windows). */
export function udsAbstinence(
  input: MeasureTables | MeasureData,
  params?: Partial<UdsAbstinenceParams>,
): MeasureResult<UdsAbstinenceParams, UdsSummary> {
  const fn = "udsAbstinence";
  const data = MeasureData.from(input);
  const p = resolveParams(DEFAULTS, params);
  if (!(Number.isInteger(p.k) && p.k >= 1)) throw new InvalidInputError(fn, "k must be an integer ≥ 1");
  const u = data.uds();
  const target = new Uint8Array(UDS_ANALYTES.length).fill(p.analytes === null ? 1 : 0);
  if (p.analytes !== null) for (const a of p.analytes) target[UDS_ANALYTES.indexOf(a)] = 1;
  let anchors: Int32Array | null = null;
  let lo: number | null = null;
  let hi: number | null = null;
  if (p.anchor === "absolute") {
    lo = toDay(p.from, fn, "from");
    hi = toDay(p.to, fn, "to");
  } else if (p.anchor !== "all") {
    anchors = personAnchors(data, p.anchor);
    if (typeof p.from !== "number" || typeof p.to !== "number")
      throw new InvalidInputError(fn, "anchored windows need numeric from/to day offsets");
  }
  const R = Object.fromEntries(REASONS.map((r, i) => [r, i])) as Record<UdsReason, number>;
  const uPerson: number[] = [];
  const uReason: number[] = [];
  const uWord: string[] = [];
  // one person's visits (reused): symbol and scheduled day
  let symbols = new Uint8Array(256);
  let days = new Int32Array(256);
  const { offsets, order } = u.csr;
  // per-analyte scratch: bit 1 = negative seen, 2 = positive seen, 4 = invalid seen
  const seen = new Uint8Array(UDS_ANALYTES.length);

  for (let person = 0; person < data.nPersons; person++) {
    const a = offsets[person]!;
    const b = offsets[person + 1]!;
    if (a === b) continue;
    let wLo = lo;
    let wHi = hi;
    if (anchors !== null) {
      const anc = anchors[person]!;
      if (anc === NULL_DAY) {
        uPerson.push(person);
        uReason.push(R.NO_ANCHOR);
        uWord.push("");
        continue;
      }
      wLo = anc + (p.from as number);
      wHi = anc + (p.to as number);
    }
    if (b - a > symbols.length) {
      symbols = new Uint8Array(2 * (b - a));
      days = new Int32Array(2 * (b - a));
    }
    let nVisits = 0;
    let k = a;
    while (k < b) {
      const day = u.scheduled[order[k]!]!;
      let anyResult = false;
      for (let x = 0; x < seen.length; x++) seen[x] = 0; // (a loop: `fill` per visit costs more)
      let anyTarget = false;
      while (k < b && u.scheduled[order[k]!] === day) {
        const i = order[k]!;
        k++;
        const an = u.analyte[i]!;
        if (target[an] !== 1) continue;
        anyTarget = true;
        const r = u.result[i]!;
        if (r < 0) continue;
        anyResult = true;
        if (r === 1 || (r === 0 && u.prescribedExplains[i] === 1)) seen[an]! |= 1;
        else if (r === 0) seen[an]! |= 2;
        else seen[an]! |= 4;
      }
      if ((wLo !== null && day < wLo) || (wHi !== null && day > wHi)) continue;
      let sym = MISS;
      if (anyTarget && anyResult) {
        let pos = false;
        let inc = false;
        let neg = false;
        for (let x = 0; x < seen.length; x++) {
          const s = seen[x]!;
          if (s === 0) continue;
          if ((s & 2) !== 0 && (s & 1) === 0) pos = true;
          else if ((s & 3) === 3 || s === 4) inc = true;
          else if ((s & 1) !== 0) neg = true;
        }
        sym = pos ? POS : inc ? INC : neg ? NEG : MISS;
      }
      symbols[nVisits] = sym;
      days[nVisits] = day;
      nVisits++;
    }
    let word: string;
    if (p.unit === "week" && nVisits > 0) {
      const start = wLo ?? days[0]!;
      const weeks = new Map<number, number[]>();
      for (let i = 0; i < nVisits; i++) {
        const w = Math.floor((days[i]! - start) / 7);
        const list = weeks.get(w) ?? [];
        list.push(symbols[i]!);
        weeks.set(w, list);
      }
      const out: number[] = [];
      for (const w of [...weeks.keys()].sort((x, y) => x - y)) {
        const list = weeks.get(w)!;
        const hasP = list.includes(POS);
        const hasN = list.includes(NEG);
        const hasI = list.includes(INC);
        out.push(!hasP && !hasN && !hasI ? MISS : hasI || (hasP && hasN) ? INC : hasP ? POS : NEG);
      }
      word = String.fromCharCode(...out);
    } else word = String.fromCharCode.apply(null, symbols.subarray(0, nVisits) as unknown as number[]);
    uPerson.push(person);
    uReason.push(word.length === 0 ? R.NO_REQUIRED_VISITS : R.INCLUDED);
    uWord.push(word);
  }

  const n = uPerson.length;
  const req = new Int32Array(n);
  const neg = new Int32Array(n);
  const pos = new Int32Array(n);
  const miss = new Int32Array(n);
  const inc = new Int32Array(n);
  const pctMp = new Float64Array(n).fill(Number.NaN);
  const pctObs = new Float64Array(n).fill(Number.NaN);
  const pctPrimary = new Float64Array(n).fill(Number.NaN);
  const run08 = new Array<number | null>(n).fill(null);
  const run05 = new Array<number | null>(n).fill(null);
  const kneg = new Int8Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const w = uWord[i]!;
    if (uReason[i] !== R.INCLUDED) continue;
    // one pass: counts and the longest negative runs (as `longestNegativeRun` of the word with missing
    // breaking a run, with missing and inconclusive skipped, and with missing read as negative)
    let run = 0;
    let best08 = 0;
    let runIgnored = 0;
    let best05 = 0;
    let runMissNeg = 0;
    let bestMissNeg = 0;
    for (let c = 0; c < w.length; c++) {
      const ch = w.charCodeAt(c);
      if (ch === NEG) {
        neg[i]!++;
        if (++run > best08) best08 = run;
        if (++runIgnored > best05) best05 = runIgnored;
      } else {
        run = 0;
        if (ch === POS) {
          pos[i]!++;
          runIgnored = 0;
        } else if (ch === MISS) miss[i]!++;
        else inc[i]!++;
      }
      if (ch === NEG || ch === MISS) {
        if (++runMissNeg > bestMissNeg) bestMissNeg = runMissNeg;
      } else runMissNeg = 0;
    }
    req[i] = w.length;
    pctMp[i] = neg[i]! / w.length;
    if (neg[i]! + pos[i]! > 0) pctObs[i] = neg[i]! / (neg[i]! + pos[i]!);
    run08[i] = best08;
    run05[i] = best05;
    pctPrimary[i] =
      p.missingAs === "positive"
        ? pctMp[i]!
        : p.missingAs === "ignored"
          ? pctObs[i]!
          : (neg[i]! + miss[i]!) / w.length;
    const longest = p.missingAs === "ignored" ? best05 : p.missingAs === "negative" ? bestMissNeg : best08;
    kneg[i] = longest >= p.k ? 1 : 0;
  }
  const inDen = uReason.map((r) => r === R.INCLUDED);
  const units = unitsTable({
    person_id: personIdColumn(uPerson, data.persons.ids),
    use_pattern: uWord.map((w, i) => (inDen[i] ? w : null)),
    n_required: included(req, inDen),
    n_negative: included(neg, inDen),
    n_positive: included(pos, inDen),
    n_missing: included(miss, inDen),
    n_inconclusive: included(inc, inDen),
    pct_neg_missing_pos: numColumn(pctMp),
    pct_neg_observed: numColumn(pctObs),
    pct_neg: numColumn(pctPrimary),
    longest_neg_run_missing_pos: run08,
    longest_neg_run_missing_ignored: run05,
    k_consec_neg: boolColumn(kneg),
    in_denominator: inDen,
    reason: uReason.map((r) => REASONS[r]!),
  });
  const armOfUnit = unitArms(uPerson, data.arms());
  const hasArms = data.tables.arms !== undefined;
  const summary: UdsSummary = {
    nPersons: n,
    reasons: reasonCounts(uReason, REASONS) as Record<UdsReason, number>,
    pctNegMissingPositive: summarizeMean(pctMp, armOfUnit, hasArms),
    pctNegObserved: summarizeMean(pctObs, armOfUnit, hasArms),
    kConsecutiveNegative: summarizeProportion(kneg, armOfUnit, hasArms),
  };
  return makeResult(definition(p), units, summary, []);
}

/** Counts of included units (null for the others). */
function included(counts: Int32Array, inDen: readonly boolean[]): (number | null)[] {
  const out = new Array<number | null>(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = inDen[i] ? counts[i]! : null;
  return out;
}
