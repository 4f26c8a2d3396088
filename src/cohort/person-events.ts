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
  const nPersons = index.ids.length;
  const n = personIds.length;
  const personOfRow = new Int32Array(n);
  const counts = new Int32Array(nPersons + 1);
  let unmatched = 0;
  for (let i = 0; i < n; i++) {
    const p = index.indexOf.get(personIds[i] as string);
    if (p === undefined) {
      personOfRow[i] = -1;
      unmatched++;
    } else {
      personOfRow[i] = p;
      counts[p + 1] = (counts[p + 1] as number) + 1;
    }
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
    const rows = Array.from(order.subarray(lo, hi));
    rows.sort((a, b) => (dates[a] as number) - (dates[b] as number) || a - b);
    order.set(rows, lo);
  }
  return { order, offsets, unmatched };
}
