/**
 * Columnar grouping of event rows by person: one integer index per person and CSR-style offsets so a
 * measure sweeps each person's events in date order over typed arrays (no per-row objects).
 */

/** Dense integer ids for person identifiers, in first-seen order of the `persons` list. */
export interface PersonIndex {
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
}

/** Builds a PersonIndex from a list of person ids (duplicates keep their first position). */
export function buildPersonIndex(personIds: ArrayLike<string>): PersonIndex {
  const indexOf = new Map<string, number>();
  const ids: string[] = [];
  for (let i = 0; i < personIds.length; i++) {
    const id = personIds[i] as string;
    if (!indexOf.has(id)) {
      indexOf.set(id, ids.length);
      ids.push(id);
    }
  }
  return { ids, indexOf };
}

/**
 * Event rows grouped by person: rows of person p, sorted by (date, then original row), are
 * `order[offsets[p]] … order[offsets[p + 1] − 1]`. Rows whose person is not in the index are counted in
 * `unmatched` and left out.
 */
export interface PersonEvents {
  readonly order: Int32Array;
  readonly offsets: Int32Array;
  readonly unmatched: number;
}

/** Groups event rows by person and sorts each person's rows by date (stable on the row number). */
export function groupEventsByPerson(
  index: PersonIndex,
  personIds: ArrayLike<string>,
  dates: ArrayLike<number>,
): PersonEvents {
  const n = personIds.length;
  const personOfRow = new Int32Array(n);
  for (let i = 0; i < n; i++) personOfRow[i] = index.indexOf.get(personIds[i] as string) ?? -1;
  return groupRowsByPerson(index.ids.length, personOfRow, dates);
}

/**
 * `groupEventsByPerson` from each row's person integer (−1 when the person is not in the index), for
 * callers that already have them (e.g. the loader's foreign-key column: the row of the person).
 */
export function groupRowsByPerson(
  nPersons: number,
  personOfRow: Int32Array,
  dates: ArrayLike<number>,
): PersonEvents {
  const n = personOfRow.length;
  const counts = new Int32Array(nPersons + 1);
  let unmatched = 0;
  for (let i = 0; i < n; i++) {
    const p = personOfRow[i] as number;
    if (p < 0) unmatched++;
    else counts[p + 1] = (counts[p + 1] as number) + 1;
  }
  const offsets = new Int32Array(nPersons + 1);
  for (let p = 0; p < nPersons; p++) offsets[p + 1] = (offsets[p] as number) + (counts[p + 1] as number);
  const cursor = offsets.slice(0, nPersons);
  const order = new Int32Array(n - unmatched);
  for (let i = 0; i < n; i++) {
    const p = personOfRow[i] as number;
    if (p < 0) continue;
    order[cursor[p] as number] = i;
    cursor[p] = (cursor[p] as number) + 1;
  }
  // Sort each person's rows by date, stable on row number. Most inputs arrive date-sorted, so check first.
  for (let p = 0; p < nPersons; p++) {
    const lo = offsets[p] as number;
    const hi = offsets[p + 1] as number;
    let sorted = true;
    for (let k = lo + 1; k < hi && sorted; k++) {
      if ((dates[order[k - 1] as number] as number) > (dates[order[k] as number] as number)) sorted = false;
    }
    if (sorted) continue;
    if (hi - lo <= 32) {
      // Insertion sort (stable): a person has few rows.
      for (let k = lo + 1; k < hi; k++) {
        const x = order[k] as number;
        const dx = dates[x] as number;
        let j = k - 1;
        while (j >= lo && (dates[order[j] as number] as number) > dx) {
          order[j + 1] = order[j] as number;
          j--;
        }
        order[j + 1] = x;
      }
      continue;
    }
    const rows = Array.from(order.subarray(lo, hi));
    rows.sort((a, b) => (dates[a] as number) - (dates[b] as number) || a - b);
    order.set(rows, lo);
  }
  return { order, offsets, unmatched };
}
