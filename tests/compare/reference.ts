/** Loads the R reference values of tests/reference/compare/compare.json (made by make-compare.R). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const path = fileURLToPath(new URL("../reference/compare/compare.json", import.meta.url));

interface BalanceRef {
  readonly binary: boolean;
  readonly un: Record<
    "meanTreated" | "meanControl" | "smdMatchIt" | "smdCobalt" | "varRatio" | "ks",
    number | null
  >;
  readonly adj: Record<
    "meanTreated" | "meanControl" | "smdMatchIt" | "smdCobalt" | "varRatio" | "ks",
    number | null
  >;
}
interface RegRef {
  readonly estimate: number;
  readonly seHC0: number;
  readonly seHC1: number;
  readonly df: number;
  readonly intercept: number;
  readonly n: number;
  readonly seClusterHC0?: number;
  readonly seClusterHC1?: number;
}

/** The reference file's shape (numbers as R wrote them, 17 significant digits). */
export interface CompareReference {
  readonly meta: Record<string, string>;
  readonly data: {
    readonly treat: number[];
    readonly age: number[];
    readonly educ: number[];
    readonly race: string[];
    readonly married: number[];
    readonly nodegree: number[];
    readonly re74: number[];
    readonly re75: number[];
    readonly re78: number[];
  };
  readonly propensity: {
    readonly names: string[];
    readonly estimate: number[];
    readonly se: number[];
    readonly ps: number[];
    readonly linearPredictor: number[];
  };
  readonly matching: {
    readonly caliperWidth: number;
    readonly sdAll: number;
    readonly noCaliper: { readonly control: (number | null)[]; readonly weights: number[] };
    readonly caliper: { readonly control: (number | null)[]; readonly weights: number[] };
    readonly austin: { readonly width: number; readonly control: (number | null)[] };
  };
  readonly weights: Record<
    | "ate"
    | "att"
    | "ato"
    | "ateStabilized"
    | "ateTrim95"
    | "ateTrim90Both"
    | "attTrim90"
    | "attDrop90"
    | "essAte"
    | "essAtt",
    number[]
  >;
  readonly balance: Record<"matched" | "matchedCaliper" | "ipwAte", Record<string, BalanceRef>>;
  readonly regression: Record<"matched" | "matchedCaliper" | "ipwAte" | "ipwAtt", RegRef>;
  readonly binary: {
    readonly matched: Record<"rd" | "rdSe" | "logRr" | "logRrSe" | "logOr" | "logOrSe", number>;
  };
  readonly count: Record<"logRateRatio" | "logRateRatioSe" | "rateDifference" | "rateDifferenceSe", number>;
  readonly survival: Record<
    "logHr" | "logHrSeRobust" | "horizon" | "survControl" | "survTreated" | "seControl" | "seTreated",
    number
  >;
  readonly stacked: Record<
    | "re78Ate"
    | "re78Att"
    | "re78Ato"
    | "zeroAteLogRr"
    | "zeroAttLogOr"
    | "countAteLogRate"
    | "countAteRateDiff",
    { readonly estimate: number; readonly se: number }
  >;
  readonly subgroup: { readonly statistic: number; readonly pValue: number };
  readonly did: {
    readonly data: {
      readonly id: number[];
      readonly period: number[];
      readonly group: number[];
      readonly y: number[];
    };
    readonly did: number;
    readonly didSe: number;
    readonly logRatio: number;
    readonly logRatioSe: number;
    readonly eventPeriods: number[];
    readonly eventEstimates: number[];
    readonly eventSe: number[];
  };
  readonly paired: Record<"pre" | "post" | "binPre" | "binPost", number[]> &
    Record<
      | "meanChange"
      | "tStatistic"
      | "pValue"
      | "ciLower"
      | "ciUpper"
      | "mcnemar"
      | "mcnemarP"
      | "mcnemarCorrected"
      | "mcnemarCorrectedP"
      | "exactP",
      number
    >;
}

export const REF: CompareReference = JSON.parse(readFileSync(path, "utf8"));

/** Zero-padded ids "0001"… so the stable-key order equals the data order (R's tie-break). */
export function dataOrderIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(i + 1).padStart(5, "0"));
}
