/** Public names of the Cox part of the survival module (merged into survival/index.ts by the lead). */

export {
  type ConcordanceCounts,
  type ConcordanceInput,
  type ConcordanceOptions,
  type ConcordanceResult,
  concordance,
} from "./concordance.js";
export {
  type CoxConcordance,
  type CoxInput,
  type CoxLabel,
  type CoxOptions,
  type CoxPHResult,
  type CoxTerm,
  type CoxTies,
  coxLogLik,
  coxPH,
} from "./cox.js";
export {
  type CoxCurve,
  type CoxResidualMatrix,
  type CoxSchoenfeld,
  coxDfbeta,
  coxMartingaleResiduals,
  coxSchoenfeldResiduals,
  coxScoreResiduals,
  coxSurvivalCurve,
} from "./cox-residuals.js";
export {
  type CoxZphOptions,
  type CoxZphResult,
  type CoxZphRow,
  coxZph,
  type ZphTransform,
} from "./cox-zph.js";
export {
  type FineGrayData,
  type FineGrayInput,
  type FineGrayOptions,
  type FineGrayResult,
  type FineGrayVariance,
  fineGray,
  fineGrayExpand,
} from "./fine-gray.js";
