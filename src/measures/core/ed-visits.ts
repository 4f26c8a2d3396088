/**
 * ED visits collapsed per person-day (MEASURES §4.1, §8 "one ED visit per person-day after
 * collapsing"): all encounters of kind ED with the same person and start date are one visit. The
 * visit's disposition is the most decisive one among its claims, in the order
 * DIED > ADMITTED > OBSERVATION > RELEASED > TRANSFER > LEFT (so a day with a sending-ED TRANSFER claim
 * and a receiving-ED RELEASED claim is a released visit); `hasTransfer` records any TRANSFER claim.
 */
import { NULL_DAY as NULL_DAY_IMPORTED } from "./columns.js";
import { DISP as DISP_IMPORTED, DISPOSITIONS, KIND as KIND_IMPORTED, type MeasureData } from "./data.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;
const KIND = KIND_IMPORTED;
const DISP = DISP_IMPORTED;

/** Disposition precedence rank (higher wins) indexed by DISPOSITIONS code. */
const RANK = new Int8Array(DISPOSITIONS.length);
RANK[DISP.DIED] = 6;
RANK[DISP.ADMITTED] = 5;
RANK[DISP.OBSERVATION] = 4;
RANK[DISP.RELEASED] = 3;
RANK[DISP.TRANSFER] = 2;
RANK[DISP.LEFT] = 1;

export interface EdVisitDays {
  /** CSR over persons. */
  readonly offsets: Int32Array;
  /** Visit day (sorted within person). */
  readonly day: Int32Array;
  /** Collapsed disposition code (DISPOSITIONS index) or −1 when no claim has one. */
  readonly disposition: Int8Array;
  /** 1 when any claim of the day has disposition TRANSFER. */
  readonly hasTransfer: Uint8Array;
  /** First encounter row of the day (for the trace). */
  readonly row: Int32Array;
}

/** Builds (memoised) the per-person ED visit days. */
export function edVisitDays(data: MeasureData): EdVisitDays {
  return data.memo("edVisitDays", () => {
    const enc = data.encounters();
    const { offsets, order } = enc.csr;
    const { kind, start, disposition } = enc;
    const ED = KIND.ED;
    const TRANSFER = DISP.TRANSFER;
    const nP = data.nPersons;
    const outOffsets = new Int32Array(nP + 1);
    let count = 0;
    for (let i = 0; i < enc.n; i++) if (kind[i] === ED) count++;
    const day = new Int32Array(count);
    const disp = new Int8Array(count).fill(-1);
    const transfer = new Uint8Array(count);
    const row = new Int32Array(count);
    let w = 0;
    for (let p = 0; p < nP; p++) {
      outOffsets[p] = w;
      let lastDay = NULL_DAY;
      const end = offsets[p + 1]!;
      for (let k = offsets[p]!; k < end; k++) {
        const i = order[k]!;
        if (kind[i] !== ED) continue;
        const s = start[i]!;
        if (s !== lastDay) {
          day[w] = s;
          row[w] = i;
          w++;
          lastDay = s;
        }
        const v = w - 1;
        const di = disposition[i]!;
        if (di === TRANSFER) transfer[v] = 1;
        if (di >= 0 && (disp[v]! < 0 || RANK[di]! > RANK[disp[v]!]!)) disp[v] = di;
      }
    }
    outOffsets[nP] = w;
    return { offsets: outOffsets, day, disposition: disp, hasTransfer: transfer, row };
  });
}

/** Number of visit days of person p within [a, b]. */
export function countVisits(v: EdVisitDays, p: number, a: number, b: number): number {
  if (b < a) return 0;
  let n = 0;
  for (let k = v.offsets[p]!; k < v.offsets[p + 1]!; k++) {
    const x = v.day[k]!;
    if (x > b) break;
    if (x >= a) n++;
  }
  return n;
}
