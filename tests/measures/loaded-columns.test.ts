/**
 * The loader stores columns compactly (typed arrays, dictionary codes, key bytes; see
 * `src/dictionary/typed-columns.ts`) and the measures layer reads that storage directly. Reference: the
 * same tables rebuilt as plain arrays (what `table.array(name)` returns — the documented values), read
 * through the general path. Every measure must give identical results on both, on the synthetic
 * example folder (observational and randomized) and on a dirty copy (rows rejected by the loader).
 */
import { join } from "node:path";
import { ColumnTable, table } from "arquero";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../../src/dictionary/load-result.js";
import { loadDataset } from "../../src/io/load-dataset.js";
import {
  readBools,
  readCodes,
  readDays,
  readInts,
  readLists,
  readNums,
  readStrings,
} from "../../src/measures/core/columns.js";
import { ENCOUNTER_KINDS, MeasureData, type MeasureTables } from "../../src/measures/core/data.js";
import { type DaysToMoudTables, daysToMoud } from "../../src/measures/days-to-moud.js";
import { edRevisit } from "../../src/measures/ed-revisit.js";
import { edUtilization } from "../../src/measures/ed-utilization.js";
import { fua } from "../../src/measures/fua.js";
import { gpraFollowUp } from "../../src/measures/gpra-follow-up.js";
import { iet } from "../../src/measures/iet.js";
import { moudCoverage } from "../../src/measures/moud-coverage.js";
import { moudRetention } from "../../src/measures/moud-retention.js";
import { nqf3175 } from "../../src/measures/nqf-3175.js";
import { peerDose } from "../../src/measures/peer-dose.js";
import { pod } from "../../src/measures/pod.js";
import { programRetention } from "../../src/measures/program-retention.js";
import { recoveryCapital } from "../../src/measures/recovery-capital.js";
import { selfReportAbstinence } from "../../src/measures/self-report-abstinence.js";
import { tlfb } from "../../src/measures/tlfb.js";
import { udsAbstinence } from "../../src/measures/uds-abstinence.js";
import { illustrativeValueSets } from "../../src/measures/value-sets.js";

const EXAMPLES = join(import.meta.dirname, "..", "..", "examples");

/** A table with the same values as plain arrays (required dates stay Int32Array, as documented). */
function plain(t: ColumnTable): ColumnTable {
  const cols: Record<string, unknown> = {};
  for (const name of t.columnNames()) {
    const c = t.column(name) as unknown;
    cols[name] = c instanceof Int32Array ? Int32Array.from(c) : t.array(name);
  }
  return table(cols);
}

function plainTables(d: Dataset): MeasureTables {
  return Object.fromEntries(Object.entries(d).map(([k, t]) => [k, plain(t as ColumnTable)])) as MeasureTables;
}

/**
 * Typed arrays as {type, values} and unit tables as columns of values: a measure may hand out a view of
 * the loader's storage (a subarray of a larger buffer), which vitest would compare buffer by buffer
 * rather than element by element.
 */
function normal(x: unknown): unknown {
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    return { type: x.constructor.name, values: Array.from(x as unknown as ArrayLike<number>) };
  }
  if (Array.isArray(x)) return x.map(normal);
  if (x instanceof ColumnTable) {
    return Object.fromEntries(x.columnNames().map((name) => [name, normal(x.array(name))]));
  }
  if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, normal(v)]));
  }
  return x;
}

/** Every measure's result (value sets and data end fixed). */
function allMeasures(tables: MeasureTables): Record<string, unknown> {
  const d = MeasureData.from(tables);
  const dataEnd = "2024-12-31";
  const vs = illustrativeValueSets();
  return {
    moudCoverage: moudCoverage(d),
    pod: pod(d, { dataEnd }),
    nqf3175: nqf3175(d, { dataEnd }),
    moudRetention: moudRetention(d, { dataEnd }),
    programRetention: programRetention(d, { source: "peer-contacts", dataEnd }),
    edUtilization: edUtilization(d, { dataEnd, excludeInstitutionalDays: true }),
    edRevisit: edRevisit(d, { dataEnd }),
    udsAbstinence: udsAbstinence(d),
    tlfb: tlfb(d),
    selfReportAbstinence: selfReportAbstinence(d),
    gpraFollowUp: gpraFollowUp(d, { reportDate: dataEnd }),
    recoveryCapital: recoveryCapital(d, { reliability: 0.9 }),
    fua: fua(d, vs, { dataEnd }),
    iet: iet(d, vs, { dataEnd }),
    peerDose: peerDose(d, { dataEnd }),
    daysToMoud: daysToMoud(tables as DaysToMoudTables),
    nPersons: d.nPersons,
  };
}

describe("measures on the loader's compact columns = measures on plain arrays", () => {
  for (const folder of ["synthetic-ed", "synthetic-rct"]) {
    it(`on examples/${folder}`, async () => {
      const r = await loadDataset(join(EXAMPLES, folder));
      expect(r.ok).toBe(true);
      const typed = allMeasures(r.dataset as MeasureTables);
      const arrays = allMeasures(plainTables(r.dataset));
      for (const key of Object.keys(arrays)) expect(normal(typed[key]), key).toEqual(normal(arrays[key]));
    });
  }

  it("column readers give the same arrays, including nulls and required-column errors", async () => {
    const r = await loadDataset(join(EXAMPLES, "synthetic-ed"));
    const enc = r.dataset.encounters as ColumnTable;
    const med = r.dataset.medication_events as ColumnTable;
    const asm = r.dataset.assessments as ColumnTable;
    const pc = r.dataset.peer_contacts as ColumnTable;
    const pairs: [ColumnTable, ColumnTable][] = [
      [enc, plain(enc)],
      [med, plain(med)],
      [asm, plain(asm)],
      [pc, plain(pc)],
    ];
    for (const [typed, arrays] of pairs) {
      for (const name of typed.columnNames()) {
        const both = <T>(f: (t: ColumnTable) => T) => {
          let a: T | Error;
          let b: T | Error;
          try {
            a = f(typed);
          } catch (e) {
            a = e as Error;
          }
          try {
            b = f(arrays);
          } catch (e) {
            b = e as Error;
          }
          expect(a, name).toEqual(b);
        };
        both((t) => readStrings(t, name, "test", false));
        both((t) => readStrings(t, name, "test", true));
        both((t) => readLists(t, name, "test").get(3));
        if (/date/.test(name)) {
          both((t) => Array.from(readDays(t, name, "test", false)));
          both((t) => Array.from(readDays(t, name, "test", true)));
        }
        if (/item_|gpra_|days_supply|duration|units/.test(name)) {
          both((t) => Array.from(readInts(t, name, "test", false)));
          both((t) => Array.from(readInts(t, name, "test", true)));
          both((t) => Array.from(readNums(t, name, "test", false)));
          both((t) => Array.from(readNums(t, name, "test", true)));
        }
        if (/lab_claim|provider_is_mh|completed|prescribed/.test(name)) {
          both((t) => Array.from(readBools(t, name, "test", false)));
          both((t) => Array.from(readBools(t, name, "test", true)));
        }
      }
    }
    const codes = (t: ColumnTable, list: readonly string[], req: boolean) =>
      Array.from(readCodes(t, "kind", list, "test", req));
    expect(codes(enc, ENCOUNTER_KINDS, true)).toEqual(codes(plain(enc), ENCOUNTER_KINDS, true));
    // An unknown code is an error on both paths, naming the same row.
    expect(() => codes(enc, ["ED"], true)).toThrow();
    let typedError = "";
    let arrayError = "";
    try {
      codes(enc, ["ED", "OUTPATIENT"], false);
    } catch (e) {
      typedError = (e as Error).message;
    }
    try {
      codes(plain(enc), ["ED", "OUTPATIENT"], false);
    } catch (e) {
      arrayError = (e as Error).message;
    }
    expect(typedError).not.toBe("");
    expect(typedError).toBe(arrayError);
  });
});
