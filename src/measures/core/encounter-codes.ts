/**
 * Encounter classification shared by FUA and IET: diagnosis lists, lab claims, peer services,
 * residential stays and the visit types that count as follow-up/initiation, read from the columns
 * contract (kind, pos, procedure_codes, dx_principal, dx_other, provider_id, provider_is_mh, lab_claim).
 */
import { VALUE_SET_IDS, type ValueSetMapping } from "../value-sets.js";
import { NULL_DAY as NULL_DAY_IMPORTED } from "./columns.js";
import { type EncounterCodesView, type EncounterView, KIND as KIND_IMPORTED } from "./data.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;
const KIND = KIND_IMPORTED;

/** POS codes that make an encounter of kind OTHER a qualifying outpatient-type visit (telehealth 02/10, PH 52, CMHC 53, non-residential SUD facility 57/58). */
export const QUALIFYING_POS = new Set(["02", "10", "52", "53", "57", "58"]);
/** Residential POS (55 residential SUD treatment facility, 56 psychiatric residential treatment centre). */
export const RESIDENTIAL_POS = new Set(["55", "56"]);

/** Outpatient-type kinds that can be follow-up / initiation / engagement visits (with a dx or MH rule). */
export const OUTPATIENT_VISIT_KINDS = new Set([
  KIND.OUTPATIENT,
  KIND.IOP_PH,
  KIND.TELEHEALTH,
  KIND.TELEPHONE,
  KIND.EVISIT,
]);

/** Bits of the per-row value-set mask (computed once per row, lazily). */
export const DX_BIT = {
  SUD_ANY: 1,
  SUD_PRINCIPAL: 2,
  SUBSTANCE_INDUCED: 4,
  OVERDOSE: 8,
  ALCOHOL: 16,
  OPIOID: 32,
  OTHER_DRUG: 64,
  PEER_PROCEDURE: 128,
} as const;
/** SUD, substance-induced or overdose diagnosis (FUA numerator rule). */
export const FOLLOW_UP_DX = DX_BIT.SUD_ANY | DX_BIT.SUBSTANCE_INDUCED | DX_BIT.OVERDOSE;
/** Any IET cohort diagnosis. */
export const COHORT_DX = DX_BIT.ALCOHOL | DX_BIT.OPIOID | DX_BIT.OTHER_DRUG;

export class EncounterCodes {
  private readonly masks: Int16Array;

  /** Row flags computed once: 1 lab claim, 2 outpatient-type, 4 inpatient, 8 residential. */
  private readonly flags: Uint8Array;

  constructor(
    readonly enc: EncounterView,
    readonly codes: EncounterCodesView,
    readonly vs: ValueSetMapping,
  ) {
    this.masks = new Int16Array(enc.n).fill(-1);
    this.flags = new Uint8Array(enc.n);
    for (let row = 0; row < enc.n; row++) {
      const k = enc.kind[row]!;
      const pos = codes.pos[row] ?? "";
      let f = 0;
      if (codes.labClaim[row] === 1 || pos === "81") f |= 1;
      if (OUTPATIENT_VISIT_KINDS.has(k) || (k === KIND.OTHER && QUALIFYING_POS.has(pos))) f |= 2;
      if (k === KIND.INPATIENT_ACUTE || k === KIND.INPATIENT_NONACUTE) f |= 4;
      if (k === KIND.RESIDENTIAL || RESIDENTIAL_POS.has(pos)) f |= 8;
      else if (k === KIND.DETOX) {
        const e = enc.end[row]!;
        if (e !== NULL_DAY && e > enc.start[row]!) f |= 8;
      }
      this.flags[row] = f;
    }
  }

  /** Value-set membership bits of a row's diagnoses and procedures (DX_BIT), cached. */
  mask(row: number): number {
    const cached = this.masks[row]!;
    if (cached >= 0) return cached;
    let m = 0;
    const principal = this.codes.dxPrincipal[row] ?? null;
    if (principal !== null && principal !== "") m |= this.codeBits(principal, true);
    for (const c of this.codes.dxOther.get(row)) m |= this.codeBits(c, false);
    for (const c of this.codes.procedures.get(row)) {
      if (this.vs.matches(VALUE_SET_IDS.PEER_SUPPORT_SERVICES, c)) m |= DX_BIT.PEER_PROCEDURE;
    }
    this.masks[row] = m;
    return m;
  }

  private readonly bitsCache = new Map<string, number>();
  private readonly principalBitsCache = new Map<string, number>();

  private codeBits(code: string, isPrincipal: boolean): number {
    const cache = isPrincipal ? this.principalBitsCache : this.bitsCache;
    const hit = cache.get(code);
    if (hit !== undefined) return hit;
    const vs = this.vs;
    let m = 0;
    if (vs.matches(VALUE_SET_IDS.SUD_DX, code))
      m |= isPrincipal ? DX_BIT.SUD_ANY | DX_BIT.SUD_PRINCIPAL : DX_BIT.SUD_ANY;
    if (vs.matches(VALUE_SET_IDS.SUBSTANCE_INDUCED_DX, code)) m |= DX_BIT.SUBSTANCE_INDUCED;
    if (vs.matches(VALUE_SET_IDS.DRUG_OVERDOSE_DX, code)) m |= DX_BIT.OVERDOSE;
    if (vs.matches(VALUE_SET_IDS.ALCOHOL_DX, code)) m |= DX_BIT.ALCOHOL;
    if (vs.matches(VALUE_SET_IDS.OPIOID_DX, code)) m |= DX_BIT.OPIOID;
    if (vs.matches(VALUE_SET_IDS.OTHER_DRUG_DX, code)) m |= DX_BIT.OTHER_DRUG;
    cache.set(code, m);
    return m;
  }

  isLab(row: number): boolean {
    return (this.flags[row]! & 1) !== 0;
  }

  /** Peer support service: kind PEER or a procedure code in the PEER_SUPPORT_SERVICES value set. */
  isPeer(row: number): boolean {
    if (this.enc.kind[row] === KIND.PEER) return true;
    return (this.mask(row) & DX_BIT.PEER_PROCEDURE) !== 0;
  }

  /** Outpatient-type visit (kinds above, or kind OTHER with a qualifying POS). */
  isOutpatientType(row: number): boolean {
    return (this.flags[row]! & 2) !== 0;
  }

  isInpatient(row: number): boolean {
    return (this.flags[row]! & 4) !== 0;
  }

  /** Residential treatment: kind RESIDENTIAL, a residential POS, or withdrawal management spanning a night. */
  isResidential(row: number): boolean {
    return (this.flags[row]! & 8) !== 0;
  }

  provider(row: number): string | null {
    return this.codes.provider[row] ?? null;
  }
}
