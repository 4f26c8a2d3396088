/**
 * Encounter classification shared by FUA and IET: diagnosis lists, lab claims, peer services,
 * residential stays and the visit types that count as follow-up/initiation, read from the columns
 * contract (kind, pos, procedure_codes, dx_principal, dx_other, provider_id, provider_is_mh, lab_claim).
 */
import { VALUE_SET_IDS, type ValueSetMapping } from "../value-sets.js";
import { NULL_DAY } from "./columns.js";
import { type EncounterCodesView, type EncounterView, KIND } from "./data.js";

/** POS codes that make an encounter of kind OTHER a qualifying outpatient-type visit (telehealth 02/10, PH 52, CMHC 53, non-residential SUD facility 57/58). */
export const QUALIFYING_POS = new Set(["02", "10", "52", "53", "57", "58"]);
/** Residential POS (55 residential SUD treatment facility, 56 psychiatric residential treatment centre). */
export const RESIDENTIAL_POS = new Set(["55", "56"]);

/** Outpatient-type kinds that can be follow-up / initiation / engagement visits (with a dx or MH rule). */
export const OUTPATIENT_VISIT_KINDS = new Set([KIND.OUTPATIENT, KIND.IOP_PH, KIND.TELEHEALTH, KIND.TELEPHONE, KIND.EVISIT]);

export class EncounterCodes {
  constructor(
    readonly enc: EncounterView,
    readonly codes: EncounterCodesView,
    readonly vs: ValueSetMapping,
  ) {}

  /** Principal plus other diagnoses of a row. */
  dx(row: number): (string | null)[] {
    return [this.codes.dxPrincipal[row] ?? null, ...(this.codes.dxOther[row] ?? [])];
  }

  anyDx(row: number, sets: readonly string[]): boolean {
    return this.vs.any(sets, this.dx(row));
  }

  principalDx(row: number, sets: readonly string[]): boolean {
    return this.vs.any(sets, [this.codes.dxPrincipal[row] ?? null]);
  }

  isLab(row: number): boolean {
    return this.codes.labClaim[row] === 1 || this.codes.pos[row] === "81";
  }

  /** Peer support service: kind PEER or a procedure code in the PEER_SUPPORT_SERVICES value set. */
  isPeer(row: number): boolean {
    if (this.enc.kind[row] === KIND.PEER) return true;
    return this.vs.any([VALUE_SET_IDS.PEER_SUPPORT_SERVICES], this.codes.procedures[row] ?? []);
  }

  /** Outpatient-type visit (kinds above, or kind OTHER with a qualifying POS). */
  isOutpatientType(row: number): boolean {
    const k = this.enc.kind[row]!;
    if (OUTPATIENT_VISIT_KINDS.has(k)) return true;
    return k === KIND.OTHER && QUALIFYING_POS.has(this.codes.pos[row] ?? "");
  }

  isInpatient(row: number): boolean {
    const k = this.enc.kind[row]!;
    return k === KIND.INPATIENT_ACUTE || k === KIND.INPATIENT_NONACUTE;
  }

  /** Residential treatment: kind RESIDENTIAL, a residential POS, or withdrawal management spanning a night. */
  isResidential(row: number): boolean {
    const k = this.enc.kind[row]!;
    if (k === KIND.RESIDENTIAL || RESIDENTIAL_POS.has(this.codes.pos[row] ?? "")) return true;
    if (k === KIND.DETOX) {
      const e = this.enc.end[row]!;
      return e !== NULL_DAY && e > this.enc.start[row]!;
    }
    return false;
  }

  provider(row: number): string | null {
    return this.codes.provider[row] ?? null;
  }
}
