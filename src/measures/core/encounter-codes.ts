/**
 * Encounter classification shared by FUA and IET: diagnosis lists, lab claims, peer services,
 * residential stays and the visit types that count as follow-up/initiation, read from the columns
 * contract (kind, pos, procedure_codes, dx_principal, dx_other, provider_id, provider_is_mh, lab_claim).
 */
import { VALUE_SET_IDS, type ValueSetMapping } from "../value-sets.js";
import { type ListColumn, NULL_DAY as NULL_DAY_IMPORTED } from "./columns.js";
import {
  ENCOUNTER_KINDS,
  type EncounterCodesView,
  type EncounterView,
  KIND as KIND_IMPORTED,
} from "./data.js";

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

/** Bits per distinct list of a dictionary-encoded list column: row i has perList[index[i]] (`empty` at −1). */
interface ListBits {
  readonly index: ArrayLike<number>;
  readonly perList: Int16Array;
  readonly empty: number;
}

/** `bits` once per distinct list of the column (null when the column is read row by row). */
function listBitsTable(col: ListColumn, bits: (list: readonly string[]) => number): ListBits | null {
  const dict = col.dictionary();
  if (dict === null) return null;
  return { index: dict.index, perList: Int16Array.from(dict.lists, (list) => bits(list)), empty: bits([]) };
}

/** The bits of a row's list. */
function bitsAt(t: ListBits, row: number): number {
  const k = t.index[row]!;
  return k < 0 ? t.empty : t.perList[k]!;
}

/** Bits of a POS code: 1 lab (81), 2 qualifying for kind OTHER, 4 residential. */
function posBits(pos: string): number {
  return (pos === "81" ? 1 : 0) | (QUALIFYING_POS.has(pos) ? 2 : 0) | (RESIDENTIAL_POS.has(pos) ? 4 : 0);
}

export class EncounterCodes {
  /** Value-set bits per row (DX_BIT), −1 = not computed yet. */
  private readonly masks: Int16Array;

  /** Row flags computed once: 1 lab claim, 2 outpatient-type, 4 inpatient, 8 residential. */
  private readonly flags: Uint8Array;

  /** Bits of the diagnosis and procedure lists, when dictionary-encoded (else computed per row). */
  private readonly otherBits: ListBits | null;
  private readonly procedureBits: ListBits | null;

  constructor(
    readonly enc: EncounterView,
    readonly codes: EncounterCodesView,
    readonly vs: ValueSetMapping,
  ) {
    this.masks = new Int16Array(enc.n).fill(-1);
    this.flags = new Uint8Array(enc.n);
    const pos = codes.posCodes;
    const bitsOfPos = Uint8Array.from(pos.values, posBits);
    // per kind: 2 outpatient-type, 4 inpatient, 8 residential (the POS and DETOX rules below add to it)
    const bitsOfKind = new Uint8Array(ENCOUNTER_KINDS.length);
    for (const k of OUTPATIENT_VISIT_KINDS) bitsOfKind[k] = 2;
    bitsOfKind[KIND.INPATIENT_ACUTE] = 4;
    bitsOfKind[KIND.INPATIENT_NONACUTE] = 4;
    bitsOfKind[KIND.RESIDENTIAL] = 8;
    const { kind, start, end } = enc;
    const posIndex = pos.index;
    const labClaim = codes.labClaim;
    const OTHER = KIND.OTHER;
    const DETOX = KIND.DETOX;
    for (let row = 0; row < enc.n; row++) {
      const k = kind[row]!;
      const pk = posIndex[row]!;
      const pb = pk < 0 ? 0 : bitsOfPos[pk]!;
      let f = k >= 0 ? bitsOfKind[k]! : 0;
      if (labClaim[row] === 1 || (pb & 1) !== 0) f |= 1;
      if (k === OTHER && (pb & 2) !== 0) f |= 2;
      if ((pb & 4) !== 0) f |= 8;
      else if (k === DETOX && (f & 8) === 0) {
        const e = end[row]!;
        if (e !== NULL_DAY && e > start[row]!) f |= 8;
      }
      this.flags[row] = f;
    }
    const other = listBitsTable(codes.dxOther, (list) => this.listBits(list));
    const procedures = listBitsTable(codes.procedures, (list) => this.procedureListBits(list));
    this.otherBits = other;
    this.procedureBits = procedures;
    if (other !== null && procedures !== null) {
      // Every list is dictionary-encoded: three table lookups per row, computed now.
      const principal = codes.dxPrincipalCodes;
      const bitsOfPrincipal = Int16Array.from(principal.values, (c) => this.codeBits(c, true));
      const pIndex = principal.index;
      const { index: oIndex, perList: oBits, empty: oEmpty } = other;
      const { index: rIndex, perList: rBits, empty: rEmpty } = procedures;
      const masks = this.masks;
      for (let row = 0; row < enc.n; row++) {
        const pk = pIndex[row]!;
        const ok = oIndex[row]!;
        const rk = rIndex[row]!;
        masks[row] =
          (pk < 0 ? 0 : bitsOfPrincipal[pk]!) |
          (ok < 0 ? oEmpty : oBits[ok]!) |
          (rk < 0 ? rEmpty : rBits[rk]!);
      }
    }
  }

  /** Value-set membership bits of a row's diagnoses and procedures (DX_BIT), cached. */
  mask(row: number): number {
    const cached = this.masks[row]!;
    if (cached >= 0) return cached;
    let m = 0;
    const pk = this.codes.dxPrincipalCodes.index[row]!;
    if (pk >= 0) m |= this.codeBits(this.codes.dxPrincipalCodes.values[pk]!, true);
    m |= this.otherBits === null ? this.listBits(this.codes.dxOther.get(row)) : bitsAt(this.otherBits, row);
    m |=
      this.procedureBits === null
        ? this.procedureListBits(this.codes.procedures.get(row))
        : bitsAt(this.procedureBits, row);
    this.masks[row] = m;
    return m;
  }

  /** Bits of a secondary-diagnosis list. */
  private listBits(list: readonly string[]): number {
    let m = 0;
    for (const c of list) m |= this.codeBits(c, false);
    return m;
  }

  /** PEER_PROCEDURE when a procedure code of the list is a peer support service. */
  private procedureListBits(list: readonly string[]): number {
    for (const c of list) {
      if (this.vs.matches(VALUE_SET_IDS.PEER_SUPPORT_SERVICES, c)) return DX_BIT.PEER_PROCEDURE;
    }
    return 0;
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
