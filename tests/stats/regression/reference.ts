/** Loads tests/reference/regression/regression.json (made by make-regression.R) for the regression tests. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { DesignColumn } from "../../../src/stats/regression/index.js";

export interface RefDesign {
  readonly names: string[];
  readonly columns: number[][];
}

export interface GlmRef {
  name: string;
  data: {
    y: number[];
    x: RefDesign;
    family: "gaussian" | "binomial" | "poisson" | "negativeBinomial";
    weights?: number[];
    offset?: number[];
    cluster?: number[];
  };
  coef: (number | null)[];
  coefNames: string[];
  se: (number | null)[];
  vcov: (number | null)[][];
  deviance: number;
  nullDeviance: number;
  dfResidual: number;
  dfNull: number;
  dispersion: number;
  logLik: number;
  aic: number;
  seHC0: (number | null)[];
  seHC1: (number | null)[];
  seClusterHC0?: number[];
  seClusterHC1?: number[];
  seLmClusterDefault?: number[];
  seLmHC1?: number[];
  theta?: number;
  thetaSE?: number;
  glmnb?: { coef: number[]; se: number[]; theta: number; thetaSE: number; logLik: number; aic: number };
  fitted?: number[];
  linear?: number[];
}

export interface GeeRef {
  name: string;
  family: "gaussian" | "binomial" | "poisson";
  corstr: "independence" | "exchangeable";
  data: { y: number[]; x: RefDesign; id: number[]; weights?: number[] | null };
  coef: number[];
  coefNames: string[];
  se: number[];
  seNaive: number[];
  alpha: number | null;
  scale: number;
}

export interface LmmRef {
  name: string;
  method: "REML" | "ML";
  data: { y: number[]; x: RefDesign; group: string[] };
  theta: number;
  coef: number[];
  se: number[];
  sigma2Group: number;
  sigma2Residual: number;
  logLik: number;
  deviance: number;
  lme4Default: { coef: number[]; se: number[]; theta: number; logLik: number };
}

export interface RegressionReference {
  r_version: string;
  packages: Record<string, string>;
  glm: GlmRef[];
  gee: GeeRef[];
  lmm: LmmRef[];
}

const path = fileURLToPath(new URL("../../reference/regression/regression.json", import.meta.url));
export const reference = JSON.parse(readFileSync(path, "utf8")) as RegressionReference;

export function columns(x: RefDesign): DesignColumn[] {
  return x.names.map((name, j) => ({ name, values: x.columns[j]! }));
}
