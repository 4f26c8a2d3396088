/**
 * Per-person anchor days for person-window measures (UDS, TLFB, peer dose): the first index event
 * (optionally of given types) or the randomization date of the arms table.
 */
import { InvalidInputError } from "../../stats/errors.js";
import { NULL_DAY as NULL_DAY_IMPORTED, readDays } from "./columns.js";
import { INDEX_TYPES, type MeasureData } from "./data.js";

// Local copies: tsx compiles imported bindings to getter calls, which cost in hot loops.
const NULL_DAY = NULL_DAY_IMPORTED;

export type AnchorKind = "index" | "randomization";

/** Anchor day per person (NULL_DAY when the person has none). */
export function personAnchors(
  data: MeasureData,
  kind: AnchorKind,
  indexTypes: readonly (typeof INDEX_TYPES)[number][] | null = null,
): Int32Array {
  const out = new Int32Array(data.nPersons).fill(NULL_DAY);
  if (kind === "index") {
    const idx = data.indexEvents();
    const want = indexTypes === null ? null : new Set(indexTypes.map((t) => INDEX_TYPES.indexOf(t)));
    for (let p = 0; p < data.nPersons; p++) {
      for (let k = idx.csr.offsets[p]!; k < idx.csr.offsets[p + 1]!; k++) {
        const i = idx.csr.order[k]!;
        if (want !== null && !want.has(idx.type[i]!)) continue;
        out[p] = idx.day[i]!;
        break;
      }
    }
    return out;
  }
  const t = data.tables.arms;
  if (t === undefined)
    throw new InvalidInputError("personAnchors", "anchor 'randomization' needs the arms table");
  const person = data.personColumn("arms");
  const r = readDays(t, "randomized_date", "arms", false);
  for (let i = 0; i < person.length; i++) out[person[i]!] = r[i]!;
  return out;
}
