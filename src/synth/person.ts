/**
 * Writes one synthetic person's rows (CSV lines, no header) into per-table buffers. The person's
 * numbers come from model.ts; this module decides the codes, identifiers and dates of every row.
 * All rows are clean (consistent with the contract and with death/observation) — dirty.ts injects
 * errors afterwards when asked. Written as methods over per-person fields (no per-person closures):
 * this is the generator's hot path.
 */

import { addMonths, daysFromCivil, formatIsoDate } from "../dates.js";
import {
  type AcuteOut,
  armProbability,
  barcChangeLatent,
  barcIntakeLatent,
  barcItem,
  chooseMed,
  DISPOSITIONS,
  DOMAIN,
  drawLatent,
  edDailyProbability,
  inPreObservation,
  type MedFill,
  type MedKind,
  MODEL,
  type ModelContext,
  newAcuteOut,
  newRegimen,
  overdoseShare,
  type PersonLatent,
  plannedDuration,
  type RegimenState,
  runRegimen,
  STREAM,
  seedStream,
  simulateAcute,
} from "./model.js";
import { SETTINGS } from "./options.js";
import { Rng } from "./rng.js";
import { SYNTH_TABLES } from "./tables.js";

/** Table positions in the row buffers (same order as SYNTH_TABLES). */
export const T = {
  persons: 0,
  observation_periods: 1,
  arms: 2,
  index_events: 3,
  encounters: 4,
  medication_events: 5,
  peer_contacts: 6,
  uds_results: 7,
  daily_use: 8,
  assessments: 9,
  co_interventions: 10,
} as const;

const CACHE_FROM = daysFromCivil(1900, 1, 1);
const CACHE_TO = daysFromCivil(2150, 1, 1);

/** ISO strings of day numbers, cached in an array (dates repeat a lot). */
export class DateText {
  private readonly cache: (string | undefined)[] = new Array(CACHE_TO - CACHE_FROM);
  get(day: number): string {
    if (day < CACHE_FROM || day >= CACHE_TO) return formatIsoDate(day);
    const i = day - CACHE_FROM;
    let s = this.cache[i];
    if (s === undefined) {
      s = formatIsoDate(day);
      this.cache[i] = s;
    }
    return s;
  }
}

/** What the writer decided for a person (for tests and the dirty injector). */
export interface PersonSummary {
  readonly pid: string;
  readonly latent: PersonLatent;
  readonly peer: boolean;
  readonly dead: boolean;
  /** Last observed day relative to the index (death day when dead). */
  readonly endDay: number;
  /** Day (relative) of MOUD initiation for NEW people who initiated, else −1. */
  readonly initiationDay: number;
  /** Row index in each table's buffer where this person's rows start. */
  readonly starts: readonly number[];
}

const SUBSTANCE_DX: Record<string, readonly string[]> = {
  OPIOID: ["F11.20", "F11.23", "F11.10", "F11.90"],
  STIMULANT: ["F15.20", "F14.20", "F15.10", "F14.10"],
  ALCOHOL: ["F10.20", "F10.239", "F10.10"],
  CANNABIS: ["F12.20", "F12.10"],
  OTHER: ["F19.20", "F19.10"],
  UNKNOWN: ["F19.20", "F11.90"],
};
const OD_DX = ["T40.411A", "T40.411A", "T40.411A", "T40.1X1A", "T40.601A", "T40.2X1A"];
const OTHER_DX = [
  "L03.115",
  "R07.9",
  "S61.419A",
  "J18.9",
  "R10.9",
  "K08.89",
  "F32.9",
  "S09.90XA",
  "M54.50",
  "R51.9",
];
const ED_CPT = ["99282", "99283", "99283", "99284", "99284", "99285"];
const ACT_FIRST = ["WARM_HANDOFF", "NALOXONE", "NAVIGATION"];
const ACT_LATER = ["NAVIGATION", "RECOVERY_PLAN", "BASIC_NEEDS", "BENEFITS_HOUSING", "TRANSPORT", "CRISIS"];
const PROGRAM_SETTING = ["ED", "INPATIENT", "POST_RELEASE", "HARM_REDUCTION", "RECOVERY_CENTER"];
const EMPTY_40 = ",".repeat(39);
const EMPTY_50 = ",".repeat(49);

function substanceDx(substance: string): string {
  return substance === "OPIOID"
    ? "F11.20"
    : substance === "ALCOHOL"
      ? "F10.20"
      : substance === "STIMULANT"
        ? "F15.20"
        : "F19.20";
}

function pick<V>(rng: Rng, list: readonly V[]): V {
  return list[Math.floor(rng.uniform() * list.length)] as V;
}

/** UDS result of one analyte: state 0 = specimen missing, 1 = invalid specimen, 2 = tested. */
function udsResult(state: number, positive: boolean): string {
  return state === 0 ? "" : state === 1 ? "INVALID" : positive ? "POS" : "NEG";
}

/** prescribed_explains: set only for positives (1 when the analyte is the prescribed medication). */
function udsExplains(result: string, prescribed: boolean): string {
  return result === "POS" ? (prescribed ? "1" : "0") : "";
}

/** GPRA day count, occasionally replaced by a missing code (−7 refused, −8 don't know, −9 missing). */
function gpraDays(rng: Rng, v: number): string {
  const u = rng.uniform();
  return u < 0.01 ? "-7" : u < 0.02 ? "-8" : u < 0.03 ? "-9" : String(v);
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Generates people's rows. One instance per run; not re-entrant. Rows go to `rows[table]`.
 */
export class PersonWriter {
  readonly rows: string[][] = SYNTH_TABLES.map(() => []);
  readonly dates = new DateText();
  private readonly pidWidth: number;
  private readonly designCode: string;
  private readonly rCov = new Rng();
  private readonly rPremed = new Rng();
  private readonly rArm = new Rng();
  private readonly rMoud = new Rng();
  private readonly rEd = new Rng();
  private readonly rMed = new Rng();
  private readonly rPeer = new Rng();
  private readonly rUds = new Rng();
  private readonly rAssess = new Rng();
  private readonly rMisc = new Rng();
  private readonly acute: AcuteOut = newAcuteOut();
  // Per-person state (valid during writePerson).
  private pid = "";
  private lat!: PersonLatent;
  private indexDay = 0;
  private endDay = 0;
  private peer = false;
  private initiationDay = -1;
  private encNo = 0;
  private fills: MedFill[] = [];
  private lastCoverage = -1;
  private lastKind: MedKind | null = null;
  private covStart: number[] = [];
  private covEnd: number[] = [];
  private useLogOr = 0;

  constructor(readonly ctx: ModelContext) {
    this.pidWidth = String(ctx.opts.n).length;
    this.designCode = ctx.opts.design === "rct" ? "RCT" : "COHORT";
  }

  /** Person identifier of person index i (0-based). */
  personId(i: number): string {
    return `P${String(i + 1).padStart(this.pidWidth, "0")}`;
  }

  /** Clears the row buffers (after a chunk has been flushed). */
  clear(): void {
    for (const r of this.rows) r.length = 0;
  }

  private date(rel: number): string {
    return this.dates.get(this.indexDay + rel);
  }

  /** Generates all rows of person i and returns what was decided. */
  writePerson(i: number): PersonSummary {
    const ctx = this.ctx;
    const o = ctx.opts;
    const D = DOMAIN.COHORT;
    const rows = this.rows;
    const starts = rows.map((r) => r.length);
    const pid = this.personId(i);
    const lat = drawLatent(
      ctx,
      seedStream(ctx, this.rCov, D, i, STREAM.COV),
      seedStream(ctx, this.rPremed, D, i, STREAM.PREMED),
    );
    this.pid = pid;
    this.lat = lat;
    this.indexDay = lat.indexDay;
    this.encNo = 0;
    const site = lat.site;
    const opioid = lat.substance === "OPIOID";

    // Arm.
    const peer = seedStream(ctx, this.rArm, D, i, STREAM.ARM).uniform() < armProbability(ctx, lat);
    this.peer = peer;
    this.useLogOr = peer ? Math.log(o.useOddsRatio) : 0;

    // Death and MOUD initiation (cause-specific hazards).
    const rm = seedStream(ctx, this.rMoud, D, i, STREAM.MOUD);
    const eMoud = rm.exponential();
    const eDeath = rm.exponential();
    const tDeath = eDeath / (lat.deathRateDaily * (peer ? o.deathHazardRatio : 1));
    const deathDay = Math.floor(tDeath);
    const dead = deathDay <= lat.censorDay;
    const endDay = dead ? deathDay : lat.censorDay;
    this.endDay = endDay;
    let initiationDay = -1;
    if (!lat.continuing) {
      const a = Math.exp(lat.moudEta) * (peer ? o.moudHazardRatio : 1);
      const tMoud = (eMoud / a) ** (1 / o.moudWeibullShape);
      if (tMoud < tDeath && Math.floor(tMoud) <= endDay) initiationDay = Math.floor(tMoud);
    }
    this.initiationDay = initiationDay;
    const misc = seedStream(ctx, this.rMisc, D, i, STREAM.MISC);

    // persons
    let deathCause = "";
    if (dead) {
      const u = misc.uniform();
      const pOd = opioid ? 0.45 : 0.15;
      deathCause = u < pOd ? "OVERDOSE" : u < 0.9 ? "OTHER" : "UNKNOWN";
    }
    rows[T.persons]!.push(
      `${pid},${lat.birthDay === null ? "" : this.dates.get(lat.birthDay)},${lat.sex},${lat.race},${lat.ethnicity},${lat.rurality},${lat.payer},${lat.housing},${lat.justice},${lat.substance},${lat.activeUse},${dead ? this.date(deathDay) : ""},${deathCause}`,
    );

    // observation_periods
    const source = o.design === "rct" ? "STUDY" : lat.setting >= 3 ? "PROGRAM" : "ENROLLMENT";
    const op = rows[T.observation_periods]!;
    if (lat.gapStart <= lat.gapEnd) {
      op.push(`${pid}-OP1,${pid},${this.date(lat.obsStart)},${this.date(lat.gapStart - 1)},${source}`);
      op.push(`${pid}-OP2,${pid},${this.date(lat.gapEnd + 1)},${this.date(endDay)},${source}`);
    } else {
      op.push(`${pid}-OP1,${pid},${this.date(lat.obsStart)},${this.date(endDay)},${source}`);
    }

    // arms
    const cluster = o.design === "rct" && o.randomization === "cluster" ? site.id : "";
    rows[T.arms]!.push(
      `${pid},${this.designCode},${peer ? "PEER" : "COMPARISON"},${o.design === "rct" ? this.date(0) : ""},,,${site.id},${cluster}`,
    );

    // encounters and index events
    const ed = seedStream(ctx, this.rEd, D, i, STREAM.ED);
    this.writeEncountersAndIndex(ed);

    // medication events (+ treatment-start encounters)
    this.writeMedications(seedStream(ctx, this.rMed, D, i, STREAM.MED));

    // peer contacts
    if (peer) this.writePeerContacts(seedStream(ctx, this.rPeer, D, i, STREAM.PEER));

    // UDS
    this.writeUds(seedStream(ctx, this.rUds, D, i, STREAM.UDS));

    // assessments (BARC-10, GPRA, ARC) and TLFB for programme participants / RCT participants
    if (o.design === "rct" || lat.setting >= 2)
      this.writeAssessments(seedStream(ctx, this.rAssess, D, i, STREAM.ASSESS));

    // co-interventions
    this.writeCoInterventions(misc);

    return { pid, latent: lat, peer, dead, endDay, initiationDay, starts };
  }

  // -------------------------------------------------------------------------------------------
  // Encounters and index events
  // -------------------------------------------------------------------------------------------

  private edDx(ed: Rng, od: boolean): [string, string] {
    const substance = this.lat.substance;
    if (od) {
      const principal = substance === "STIMULANT" && ed.uniform() < 0.3 ? "T40.5X1A" : pick(ed, OD_DX);
      return [principal, ed.uniform() < 0.7 ? substanceDx(substance) : ""];
    }
    const u = ed.uniform();
    if (u < 0.4) {
      return [
        pick(ed, SUBSTANCE_DX[substance] ?? SUBSTANCE_DX.UNKNOWN!),
        ed.uniform() < 0.3 ? pick(ed, OTHER_DX) : "",
      ];
    }
    return [pick(ed, OTHER_DX), ed.uniform() < 0.5 ? substanceDx(substance) : ""];
  }

  /** Writes an ED visit (and its admission/observation stay when `withStay`); returns [id, dx]. */
  private writeEdVisit(
    ed: Rng,
    day: number,
    od: boolean,
    disp: number,
    stayEnd: number,
    siteId: string,
    withStay: boolean,
  ): [string, string] {
    const pid = this.pid;
    const enc = this.rows[T.encounters]!;
    const id = `${pid}-E${++this.encNo}`;
    const [dxP, dxO] = this.edDx(ed, od);
    const cpt = od ? "99285" : pick(ed, ED_CPT);
    const d = this.date(day);
    enc.push(
      `${id},${pid},${d},${d},ED,23,${cpt},${dxP},${dxO},${siteId}-EDMD${ed.int(1, 12)},0,${DISPOSITIONS[disp]},0`,
    );
    if (withStay && disp === 1) {
      enc.push(
        `${pid}-E${++this.encNo},${pid},${d},${this.date(stayEnd)},INPATIENT_ACUTE,21,99223,${dxP},${dxO},${siteId}-HOSP,0,,0`,
      );
    } else if (withStay && disp === 2) {
      enc.push(
        `${pid}-E${++this.encNo},${pid},${d},${this.date(stayEnd)},OBSERVATION,22,99236,${dxP},${dxO},${siteId}-HOSP,0,,0`,
      );
    }
    return [id, dxP];
  }

  private edSite(ed: Rng): string {
    return ed.uniform() < 0.7 && this.lat.setting === 0 ? this.lat.site.id : `EXT${ed.int(1, 9)}`;
  }

  private writeEncountersAndIndex(ed: Rng): void {
    const lat = this.lat;
    const pid = this.pid;
    const site = lat.site;
    const enc = this.rows[T.encounters]!;
    for (const v of lat.preEd) this.writeEdVisit(ed, v.day, v.od, v.disp, v.stayEnd, this.edSite(ed), true);

    let indexEncounter = "";
    if (lat.setting === 0) {
      const disp = ed.uniform() < 0.92 ? 0 : 4;
      indexEncounter = this.writeEdVisit(ed, 0, lat.indexType === "OVERDOSE", disp, 0, site.id, false)[0];
    } else if (lat.setting === 1) {
      // Most admissions come through the ED (disposition ADMITTED); the stay itself is the index.
      if (ed.uniform() < 0.7) this.writeEdVisit(ed, lat.indexAdmit, false, 1, 0, site.id, false);
      indexEncounter = `${pid}-E${++this.encNo}`;
      const u = ed.uniform();
      const dxP =
        lat.substance === "OPIOID"
          ? u < 0.4
            ? "F11.23"
            : u < 0.6
              ? "I33.0"
              : u < 0.8
                ? "L03.115"
                : "T40.411A"
          : pick(ed, OTHER_DX);
      enc.push(
        `${indexEncounter},${pid},${this.date(lat.indexAdmit)},${this.date(0)},INPATIENT_ACUTE,21,99223;99238,${dxP},${substanceDx(lat.substance)},${site.id}-HOSP,0,,0`,
      );
    }
    const sourceSystem =
      lat.setting <= 1 ? `EHR_${site.id}` : lat.setting === 2 ? `JMS_${site.id}` : `PEERLOG_${site.id}`;
    const idx = this.rows[T.index_events]!;
    const today = this.date(0);
    idx.push(
      `${pid}-I1,${pid},${lat.indexType},${today},${SETTINGS[lat.setting]},${site.id},${indexEncounter},${sourceSystem}`,
    );

    // Post-index acute care.
    const acute = this.acute;
    simulateAcute(ed, edDailyProbability(this.ctx, lat, this.peer), overdoseShare(lat), this.endDay, acute);
    let indexNo = 1;
    for (let k = 0; k < acute.n; k++) {
      const day = acute.day[k] as number;
      const od = acute.od[k] as boolean;
      const disp = acute.disp[k] as number;
      const siteId = this.edSite(ed);
      const [id, dx] = this.writeEdVisit(ed, day, od, disp, acute.stayEnd[k] as number, siteId, true);
      // Re-presentations at the same ED with an SUD/overdose diagnosis become further index events.
      if (lat.setting === 0 && siteId === site.id && (od || (disp === 0 && dx.startsWith("F1")))) {
        idx.push(
          `${pid}-I${++indexNo},${pid},${od ? "OVERDOSE" : "ED_VISIT"},${this.date(day)},ED,${site.id},${id},${sourceSystem}`,
        );
      }
    }
    if (acute.resKind !== 0) {
      const detox = acute.resKind === 2;
      const dx = detox && lat.substance === "OPIOID" ? "F11.23" : substanceDx(lat.substance);
      enc.push(
        `${pid}-E${++this.encNo},${pid},${this.date(acute.resStart)},${this.date(acute.resEnd)},${detox ? "DETOX" : "RESIDENTIAL"},55,${detox ? "H0010" : "H0018"},${dx},,RTC${ed.int(1, 5)},1,,0`,
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // Medication
  // -------------------------------------------------------------------------------------------

  private runEpisode(med: Rng, st: RegimenState, from: number, start: number): void {
    const logHr = this.peer ? Math.log(this.ctx.opts.moudDiscontinuationHazardRatio) : 0;
    const planned = start + plannedDuration(med, st.kind, logHr);
    const before = this.fills.length;
    runRegimen(med, st, from, planned, this.endDay, this.fills);
    for (let k = before; k < this.fills.length; k++) {
      const f = this.fills[k]!;
      if (f.day + f.ds - 1 > this.lastCoverage) this.lastCoverage = f.day + f.ds - 1;
    }
    this.lastKind = st.kind;
  }

  private writeTreatmentStart(med: Rng, day: number, kind: MedKind): void {
    if (day > this.endDay) return;
    const pid = this.pid;
    const d = this.date(day);
    const dx = this.lat.substance === "ALCOHOL" ? "F10.20" : "F11.20";
    const enc = this.rows[T.encounters]!;
    if (kind === "METHADONE" || kind === "BUP_WEEKLY") {
      enc.push(`${pid}-E${++this.encNo},${pid},${d},${d},OTP,58,H0020,${dx},,OTP${med.int(1, 8)},1,,0`);
    } else {
      const tele = med.uniform() < 0.2;
      enc.push(
        `${pid}-E${++this.encNo},${pid},${d},${d},${tele ? "TELEHEALTH" : "OUTPATIENT"},${tele ? "02" : "11"},99204,${dx},,CLIN${med.int(1, 40)},${med.uniform() < 0.3 ? 1 : 0},,0`,
      );
    }
  }

  private writeMedications(med: Rng): void {
    const lat = this.lat;
    const endDay = this.endDay;
    this.fills = [];
    this.lastCoverage = -1;
    this.lastKind = null;
    if (lat.continuing && lat.contRegimen !== null) {
      const kind = lat.contRegimen.kind;
      // After release, in-custody MOUD continues in the community (a new prescriber or OTP).
      if (lat.setting === 2 && kind !== "BUP_INJ") this.writeTreatmentStart(med, lat.contNextDay, kind);
      this.runEpisode(med, lat.contRegimen, lat.contNextDay, 0);
    } else if (this.initiationDay >= 0) {
      const kind = chooseMed(med, lat.setting, lat.substance);
      let from = this.initiationDay;
      if (from === 0 && lat.setting <= 1 && (kind === "BUP" || kind === "BUP_MONO")) {
        // Buprenorphine started in the ED or on the ward, then a community prescription.
        this.fills.push({
          day: 0,
          route: "ADMINISTRATION",
          row: "BUP_ORAL",
          ds: 1,
          units: 8,
          setting: lat.setting === 0 ? "ED" : "INPATIENT",
        });
        this.lastCoverage = 0;
        from = med.int(0, 3);
      }
      this.writeTreatmentStart(med, from, kind);
      this.runEpisode(med, newRegimen(med, kind, true), from, this.initiationDay);
    }
    for (let r = 0; r < 2 && this.lastKind !== null; r++) {
      if (!(med.uniform() < MODEL.moudDuration.restartProbability)) break;
      const restart = this.lastCoverage + 30 + Math.floor(med.exponential() * 60);
      if (restart > endDay) break;
      const kind: MedKind = med.uniform() < 0.7 ? this.lastKind : chooseMed(med, lat.setting, lat.substance);
      this.writeTreatmentStart(med, restart, kind);
      this.runEpisode(med, newRegimen(med, kind, true), restart, restart);
    }
    if (lat.substance === "ALCOHOL" && med.uniform() < 0.1) {
      const s = med.int(0, endDay);
      runRegimen(med, newRegimen(med, "AUD", true), s, s + 30 * med.int(0, 3), endDay, this.fills);
    }
    // MOUD coverage intervals after the index (for UDS and use), excluding AUD_OTHER.
    const cs = this.covStart;
    const ce = this.covEnd;
    cs.length = 0;
    ce.length = 0;
    for (const f of this.fills) {
      if (f.row === "AUD_OTHER") continue;
      const n = cs.length;
      if (n > 0 && f.day <= (ce[n - 1] as number) + 1)
        ce[n - 1] = Math.max(ce[n - 1] as number, f.day + f.ds - 1);
      else {
        cs.push(f.day);
        ce.push(f.day + f.ds - 1);
      }
    }
    const pid = this.pid;
    const out = this.rows[T.medication_events]!;
    let no = 0;
    // units: quantity dispensed for dispensings; for administrations and OTP doses, billing units of
    // the procedure code (one daily/weekly/long-acting code per event), as the dictionary defines it.
    for (const f of [...lat.preMed, ...this.fills]) {
      const units = f.route === "DISPENSING" ? f.units : 1;
      out.push(
        `${pid}-M${++no},${pid},${this.date(f.day)},${f.route},${f.row},${f.ds},${units},${f.setting}`,
      );
    }
  }

  private onMoud(d: number): boolean {
    if (d < 0) return this.lat.continuing;
    const cs = this.covStart;
    for (let k = 0; k < cs.length; k++)
      if (d >= (cs[k] as number) && d <= (this.covEnd[k] as number)) return true;
    return false;
  }

  /** Probability of substance use in the week containing relative day d. */
  private useProb(d: number): number {
    const U = MODEL.use;
    const week = d > 0 ? Math.min(26, Math.floor(d / 7)) : 0;
    const x = this.lat.useIntercept + U.trendPerWeek * week + (this.onMoud(d) ? U.onMoud : 0) + this.useLogOr;
    return 1 / (1 + Math.exp(-x));
  }

  // -------------------------------------------------------------------------------------------
  // Peer contacts
  // -------------------------------------------------------------------------------------------

  private writeContact(
    rng: Rng,
    no: number,
    day: number,
    completed: boolean,
    setting: string,
    modality: string,
    activities: string,
    format: string,
    peerId: string,
    grant: string,
  ): boolean {
    const lat = this.lat;
    if (day > this.endDay || (day < 0 && !inPreObservation(lat, day))) return false;
    const pid = this.pid;
    const hospital = setting === "ED" || setting === "INPATIENT";
    const time =
      rng.uniform() < 0.1
        ? ""
        : `${two(hospital ? rng.int(0, 23) : rng.int(8, 17))}:${two(5 * rng.int(0, 11))}`;
    let minutes = 0;
    let duration = "";
    if (modality !== "TEXT") {
      if (completed) {
        const median =
          format === "GROUP" ? 75 : modality === "IN_PERSON" ? 30 : modality === "VIDEO" ? 25 : 12;
        minutes = Math.max(2, Math.min(240, Math.round(median * Math.exp(0.5 * rng.normal()))));
      } else {
        minutes = rng.int(0, 2);
      }
      duration = String(minutes);
    }
    let hcpcs = "";
    let modifiers = "";
    let units = "";
    let dx = "";
    let funding = completed ? grant : "";
    // Medicaid does not pay for services to people in custody (inmate exclusion).
    const billable = setting !== "CUSTODY_PRE_RELEASE" && lat.payer === "MEDICAID" && lat.site.billsMedicaid;
    if (completed && minutes >= 8 && billable) {
      hcpcs = "H0038";
      modifiers = format === "GROUP" ? "HQ" : rng.uniform() < 0.5 ? "HF" : "";
      units = String(Math.min(16, Math.ceil(minutes / 15)));
      dx = substanceDx(lat.substance);
      funding = "MEDICAID";
      const pos =
        setting === "ED"
          ? "23"
          : setting === "INPATIENT"
            ? "21"
            : setting === "RECOVERY_CENTER"
              ? "57"
              : "99";
      const d = this.date(day);
      this.rows[T.encounters]!.push(
        `${pid}-E${++this.encNo},${pid},${d},${d},PEER,${pos},H0038,${dx},,${peerId},0,,0`,
      );
    }
    this.rows[T.peer_contacts]!.push(
      `${pid}-C${no},${pid},${peerId},${this.date(day)},${time},${duration},${completed ? 1 : 0},${format},${modality},${setting},${activities},${hcpcs},${modifiers},${units},${dx},${funding}`,
    );
    return true;
  }

  /** The person's main peer most of the time, sometimes a colleague covering. */
  private peerOf(rng: Rng, mainPeer: string): string {
    return rng.uniform() < 0.9 ? mainPeer : `${this.lat.site.id}-PS${rng.int(1, 4)}`;
  }

  private writePeerContacts(rng: Rng): void {
    const lat = this.lat;
    const o = this.ctx.opts;
    const siteId = lat.site.id;
    const engaged = o.design === "observational" || rng.uniform() < o.rctEngagement;
    const mainPeer = `${siteId}-PS${rng.int(1, 4)}`;
    const grant = rng.uniform() < 0.6 ? "SOR_GRANT" : "STATE_FUNDS";
    const init = this.initiationDay;
    let no = 0;
    if (!engaged) {
      const n = rng.int(1, 4);
      for (let k = 0; k < n; k++) {
        const m = rng.uniform() < 0.7 ? "PHONE" : "TEXT";
        if (
          this.writeContact(
            rng,
            no + 1,
            rng.int(0, 30),
            false,
            "OTHER",
            m,
            "",
            "INDIVIDUAL",
            this.peerOf(rng, mainPeer),
            grant,
          )
        )
          no++;
      }
      return;
    }
    const program = PROGRAM_SETTING[lat.setting]!;
    const meanContacts = lat.setting === 4 ? 9 : lat.setting === 3 ? 6 : 4;
    const nCompleted = 1 + rng.poisson(rng.gamma(1.2) * (meanContacts / 1.2));
    const meanGap = lat.setting === 4 ? 8 : 12;
    // First completed contact: bedside (ED/ward), pre-release in custody, or programme enrolment.
    let day = 0;
    let setting = program;
    if (lat.setting === 1) day = -rng.int(0, Math.min(3, -lat.indexAdmit));
    else if (lat.setting === 2) {
      day = -rng.int(1, Math.min(14, -lat.custodyStart));
      setting = "CUSTODY_PRE_RELEASE";
    }
    let acts = "ENGAGEMENT";
    for (const a of ACT_FIRST) if (rng.uniform() < 0.5) acts += `;${a}`;
    if (init >= 0 && init <= 7) acts += ";MOUD_LINKAGE";
    if (
      this.writeContact(
        rng,
        no + 1,
        day,
        true,
        setting,
        "IN_PERSON",
        acts,
        "INDIVIDUAL",
        this.peerOf(rng, mainPeer),
        grant,
      )
    )
      no++;
    if (lat.setting === 2) day = -1;
    for (let k = 1; k < nCompleted; k++) {
      day += 1 + Math.floor(rng.exponential() * meanGap);
      if (day > this.endDay) break;
      if (rng.uniform() < 0.3) {
        const d = Math.max(0, day - rng.int(1, 2));
        if (
          this.writeContact(
            rng,
            no + 1,
            d,
            false,
            "OTHER",
            "PHONE",
            "",
            "INDIVIDUAL",
            this.peerOf(rng, mainPeer),
            grant,
          )
        )
          no++;
      }
      const u = rng.uniform();
      const format = lat.setting >= 3 && u < 0.1 ? "GROUP" : u > 0.98 ? "FAMILY" : "INDIVIDUAL";
      const v = rng.uniform();
      const modality =
        format === "GROUP"
          ? "IN_PERSON"
          : v < 0.6
            ? "IN_PERSON"
            : v < 0.88
              ? "PHONE"
              : v < 0.95
                ? "TEXT"
                : "VIDEO";
      const w = rng.uniform();
      const s =
        lat.setting === 2
          ? "POST_RELEASE"
          : lat.setting >= 3 && w < 0.6
            ? program
            : w < 0.85
              ? "HOME_COMMUNITY"
              : w < 0.93
                ? "TREATMENT_PROGRAM"
                : "OTHER";
      let a = "";
      for (const x of ACT_LATER) if (rng.uniform() < 0.2) a += a === "" ? x : `;${x}`;
      if (init >= 0 && init - day >= 0 && init - day <= 7) a += a === "" ? "MOUD_LINKAGE" : ";MOUD_LINKAGE";
      if (a === "" || rng.uniform() < 0.3) a += a === "" ? "BRIEF_CHECKIN" : ";BRIEF_CHECKIN";
      if (
        this.writeContact(rng, no + 1, day, true, s, modality, a, format, this.peerOf(rng, mainPeer), grant)
      )
        no++;
    }
    // Unanswered outreach after the last contact.
    if (rng.uniform() < 0.5) {
      const n = rng.int(1, 3);
      for (let k = 0; k < n; k++) {
        day += rng.int(7, 21);
        const m = rng.uniform() < 0.6 ? "PHONE" : "TEXT";
        if (
          this.writeContact(
            rng,
            no + 1,
            day,
            false,
            "OTHER",
            m,
            "",
            "INDIVIDUAL",
            this.peerOf(rng, mainPeer),
            grant,
          )
        )
          no++;
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // UDS
  // -------------------------------------------------------------------------------------------

  private writeUds(uds: Rng): void {
    const lat = this.lat;
    let methStart = -1;
    let methLast = -1;
    for (const f of this.fills) {
      if (f.row === "METHADONE_ORAL" || f.row === "METHADONE_ORAL_WEEKLY") {
        if (methStart < 0) methStart = f.day;
        methLast = f.day;
      }
    }
    // Weekly specimens: 12 weeks for recovery-centre participants, 8 weeks for OTP patients.
    let from = -1;
    let weeks = 0;
    let last = -1;
    if (lat.setting === 4) {
      from = 0;
      weeks = 12;
      last = 84;
    } else if (methStart >= 0) {
      from = methStart;
      weeks = 8;
      last = methLast + 7;
    }
    if (from < 0) return;
    const pid = this.pid;
    const out = this.rows[T.uds_results]!;
    const stimulantUser = lat.substance === "STIMULANT";
    const stimulant = stimulantUser || uds.uniform() < 0.3;
    for (let w = 1; w <= weeks; w++) {
      const sd = from + 7 * w;
      if (sd > last || sd > this.endDay) break;
      const pUse = this.useProb(sd);
      const used = uds.uniform() < pUse;
      const missing = uds.uniform() < 0.12 + 0.18 * pUse;
      const invalid = !missing && uds.uniform() < 0.015;
      const collected = missing
        ? ""
        : this.date(Math.min(this.endDay, sd + (uds.uniform() < 0.8 ? 0 : uds.int(1, 2))));
      const scheduled = this.date(sd);
      const week = two(w);
      const onMeth = methStart >= 0 && sd >= methStart && sd <= methLast + 7;
      const onBup = !onMeth && this.onMoud(sd);
      const state = missing ? 0 : invalid ? 1 : 2;
      let r = udsResult(state, used && uds.uniform() < 0.9);
      out.push(`${pid}-U${week}F,${pid},${scheduled},${collected},FENTANYL,${r},${udsExplains(r, false)}`);
      r = udsResult(state, used && uds.uniform() < 0.45);
      out.push(`${pid}-U${week}O,${pid},${scheduled},${collected},OPIOID,${r},${udsExplains(r, false)}`);
      if (onMeth) {
        r = udsResult(state, uds.uniform() < 0.95);
        out.push(`${pid}-U${week}M,${pid},${scheduled},${collected},METHADONE,${r},${udsExplains(r, true)}`);
      } else if (onBup) {
        r = udsResult(state, uds.uniform() < 0.9);
        out.push(
          `${pid}-U${week}B,${pid},${scheduled},${collected},BUPRENORPHINE,${r},${udsExplains(r, true)}`,
        );
      }
      if (stimulant) {
        r = udsResult(state, uds.uniform() < pUse * (stimulantUser ? 0.9 : 0.4));
        out.push(`${pid}-U${week}C,${pid},${scheduled},${collected},COCAINE,${r},${udsExplains(r, false)}`);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Assessments and TLFB
  // -------------------------------------------------------------------------------------------

  private barcRow(rng: Rng, no: number, rel: number, wave: string, latent: number): void {
    let items = "";
    for (let j = 0; j < 10; j++) {
      const v = barcItem(latent, j, rng.normal());
      const cell = rng.uniform() < 0.01 ? "" : String(v);
      items += j === 0 ? cell : `,${cell}`;
    }
    this.rows[T.assessments]!.push(
      `${this.pid}-A${no},${this.pid},${this.date(rel)},BARC10,${wave},,,${items},${EMPTY_40},,`,
    );
  }

  private gpraRow(rng: Rng, no: number, rel: number, wave: string, type: number): void {
    const pDrug = Math.min(0.98, this.useProb(rel) * 0.8);
    const pAlc = this.lat.substance === "ALCOHOL" ? 0.4 : 0.08;
    const drugs = rng.binomial(30, pDrug);
    const alc = rng.binomial(30, pAlc);
    this.rows[T.assessments]!.push(
      `${this.pid}-A${no},${this.pid},${this.date(rel)},GPRA,${wave},,${type},${EMPTY_50},${gpraDays(rng, alc)},${gpraDays(rng, drugs)}`,
    );
  }

  private arcRow(rng: Rng, no: number, rel: number, wave: string, latent: number): void {
    let items = "";
    for (let j = 0; j < 50; j++) {
      const difficulty = ((j % 10) - 4.5) * 0.25;
      const pAgree = 1 / (1 + Math.exp(-((latent - 30) / 5 - difficulty)));
      items += `${j === 0 ? "" : ","}${rng.uniform() < pAgree ? 1 : 0}`;
    }
    this.rows[T.assessments]!.push(
      `${this.pid}-A${no},${this.pid},${this.date(rel)},ARC,${wave},AGREE_DISAGREE,,${items},,`,
    );
  }

  private writeAssessments(rng: Rng): void {
    const lat = this.lat;
    const endDay = this.endDay;
    const intake = rng.int(0, 3);
    // The draws that define the BARC trajectory come first (the truth simulation draws the same way).
    const z0 = rng.normal();
    const zd = rng.normal();
    const L0 = barcIntakeLatent(lat, z0);
    const L6 = L0 + barcChangeLatent(this.ctx, L0, this.peer, zd);
    if (intake > endDay) return;
    const intakeAbs = lat.indexDay + intake;
    const dueAbs = addMonths(intakeAbs, 6);
    const pMiss =
      0.2 +
      (lat.housing === "HOMELESS" ? 0.1 : 0) +
      (lat.activeUse === "1" ? 0.05 : 0) -
      (this.peer ? 0.08 : 0);
    const fuRel = dueAbs - lat.indexDay + rng.int(-20, 45);
    const followUp = rng.uniform() >= pMiss && fuRel <= endDay;
    let no = 0;
    this.barcRow(rng, ++no, intake, "INTAKE", L0);
    this.gpraRow(rng, ++no, intake, "INTAKE", 1);
    if (lat.setting === 4) this.arcRow(rng, ++no, intake, "INTAKE", L0);
    if (followUp) {
      this.barcRow(rng, ++no, fuRel, "M6", L6);
      // A few GPRA follow-ups happen late, outside the 5–8 month window.
      const gpraDay = rng.uniform() < 0.06 ? addMonths(dueAbs, 2) - lat.indexDay + rng.int(1, 30) : fuRel;
      if (gpraDay <= endDay) this.gpraRow(rng, ++no, gpraDay, "M6", 2);
      if (lat.setting === 4) this.arcRow(rng, ++no, fuRel, "M6", L6);
    }
    // Timeline followback for a subset: the 30 days before intake and before the follow-up.
    if (rng.uniform() < 0.1) {
      const second = lat.substance === "OPIOID" || lat.substance === "UNKNOWN" ? "" : lat.substance;
      this.writeTlfb(rng, intake, "OPIOID");
      if (second !== "") this.writeTlfb(rng, intake, second);
      if (followUp) {
        this.writeTlfb(rng, fuRel, "OPIOID");
        if (second !== "") this.writeTlfb(rng, fuRel, second);
      }
    }
  }

  private writeTlfb(rng: Rng, interview: number, substance: string): void {
    const lat = this.lat;
    const out = this.rows[T.daily_use]!;
    const scale = substance === "OPIOID" ? 0.7 : 0.5;
    let prev = false;
    for (let d = interview - 30; d <= interview - 1; d++) {
      const u1 = rng.uniform();
      const u2 = rng.uniform();
      if (d > this.endDay || (d < 0 && !inPreObservation(lat, d))) continue;
      const pi = this.useProb(d) * scale;
      const used: boolean = u1 < (prev ? pi + (1 - pi) * 0.6 : pi * 0.4);
      prev = used;
      out.push(`${this.pid},${this.date(d)},${substance},${u2 < 0.03 ? "" : used ? 1 : 0},TLFB`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Co-interventions
  // -------------------------------------------------------------------------------------------

  private co(no: number, day: number, kind: string): number {
    if (day > this.endDay || (day < 0 && !inPreObservation(this.lat, day))) return no;
    this.rows[T.co_interventions]!.push(`${this.pid}-X${no + 1},${this.pid},${this.date(day)},${kind}`);
    return no + 1;
  }

  private writeCoInterventions(misc: Rng): void {
    const lat = this.lat;
    let no = 0;
    if (lat.setting === 0 || lat.setting === 2 || lat.setting === 3) {
      if (misc.uniform() < 0.35 + (this.peer ? 0.3 : 0)) no = this.co(no, 0, "NALOXONE_KIT");
    }
    if (this.initiationDay === 0 && this.fills[0]?.setting === "ED") no = this.co(no, 0, "ED_BUPRENORPHINE");
    if (lat.setting === 1 && misc.uniform() < 0.6) {
      no = this.co(no, -misc.int(0, Math.min(3, -lat.indexAdmit)), "SOCIAL_WORK");
    }
    if (lat.setting === 0 && misc.uniform() < 0.2) no = this.co(no, 0, "SOCIAL_WORK");
    if (misc.uniform() < (lat.setting === 2 ? 0.4 : 0.1))
      no = this.co(no, misc.int(0, 60), "CASE_MANAGEMENT");
    if (misc.uniform() < 0.04) no = this.co(no, misc.int(0, 90), "CHW");
    if (lat.setting === 4 && misc.uniform() < 0.15) no = this.co(no, misc.int(0, 14), "CONTINGENCY_MGMT");
    if (lat.housing === "HOMELESS" && misc.uniform() < 0.12) no = this.co(no, misc.int(0, 180), "HOUSING");
    if (misc.uniform() < 0.03) this.co(no, misc.int(0, 120), "OTHER");
  }
}
