/** Typed access to tests/reference/tables/tables.json (made by make-tables.R). */
import raw from "../../reference/tables/tables.json" with { type: "json" };

type Num = number | "Inf" | "-Inf" | null;
export interface RatioRef {
  estimate: number;
  se: number;
  ci: [number, number];
}
export interface ProportionRef {
  x: number;
  n: number;
  confLevel: number;
  estimate: number;
  se: number;
  wilson: [number, number];
  clopperPearson: [number, number];
  wald: [number, number];
}
export interface TableRef {
  a: number;
  b: number;
  c: number;
  d: number;
  confLevel: number;
  riskDifference: number;
  seRiskDifference: number;
  newcombe: [number, number];
  waldRd: [number, number];
  riskRatio: RatioRef | null;
  riskRatioAddHalf: RatioRef;
  oddsRatio: RatioRef | null;
  oddsRatioAddHalf: RatioRef;
  chiSquared: { statistic: number; pValue: number; minExpected: number } | null;
  chiSquaredYates: { statistic: number; pValue: number; minExpected: number } | null;
  fisherP: number;
  conditionalOR: Num;
  conditionalCI: [Num, Num];
  fisherTestLooseOR: Num;
  fisherTestLooseCI: [Num, Num];
}
export interface TTestRef {
  label: string;
  x: (number | null)[];
  y: (number | null)[] | null;
  type: "welch" | "student" | "paired";
  mu: number;
  alternative: "two.sided" | "less" | "greater";
  confLevel: number;
  estimate: number;
  se: number;
  statistic: number;
  df: number;
  pValue: number;
  ci: [Num, Num];
}
export interface HedgesRef {
  label: string;
  x: number[];
  y: number[];
  confLevel: number;
  cohensD: number;
  j: number;
  jApprox: number;
  g: number;
  gApprox: number;
  se: number;
  ciNoncentral: [number, number];
  ciNormal: [number, number];
  ciNormalApprox: [number, number];
  effectsizeG: number;
  effectsizeCI: [number, number];
}
export interface PAdjustRef {
  p: (number | null)[];
  holm: (number | null)[];
  hochberg: (number | null)[];
  BH: (number | null)[];
  BY: (number | null)[];
  bonferroni: (number | null)[];
  none: (number | null)[];
}

export const reference = raw as unknown as {
  r_version: string;
  proportions: ProportionRef[];
  tables: TableRef[];
  ttests: TTestRef[];
  ttestConstantMessage: string;
  hedges: HedgesRef[];
  pAdjust: PAdjustRef[];
};

/** "Inf" → null (the toolkit reports infinite values as null), numbers unchanged. */
export function finiteOrNull(v: Num): number | null {
  return typeof v === "number" ? v : null;
}
