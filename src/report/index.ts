/**
 * Report layer: Vega-Lite chart builders, the self-contained HTML report, the Markdown summary,
 * SVG/PNG export and small-cell suppression. The only place where numbers become strings.
 * Browser-safe modules: charts, format, suppress, escape, labels, model, html, markdown, check.
 * Node only: svg (`svgToPng` uses the native resvg binding) and write (file system).
 */
export * from "./charts/index.js";
export { checkReportInput } from "./check.js";
export { escapeHtml, escapeMarkdown, escapeMarkdownParagraph, jsonForScript, scriptSafe } from "./escape.js";
export {
  COMPLEMENTARY_MARK,
  formatCount,
  formatEstimateCi,
  formatInteger,
  formatNumber,
  formatPercent,
  formatPValue,
  formatValue,
  NOT_ESTIMABLE,
  suppressionFootnote,
} from "./format.js";
export { REPORT_CSP, renderReportHtml, type VegaScripts } from "./html.js";
export {
  DESCRIPTIVE_BANNER,
  type DesignNotice,
  designLabel,
  designNotice,
  effectsHeading,
} from "./labels.js";
export { renderReportMarkdown } from "./markdown.js";
export {
  buildReportModel,
  type ChartText,
  type CountText,
  ciLabel,
  type EffectRowText,
  type FlowStepText,
  type GroupRowText,
  HIDDEN_ESTIMATE,
  interactionText,
  type OutcomeText,
  OVERALL_LABEL,
  type ReportModel,
  reportCharts,
  type SubgroupRowText,
  type SubgroupText,
  type TitledChartText,
} from "./model.js";
export {
  type AdditiveRelation,
  type CellStatus,
  cellIds,
  cellStatus,
  DEFAULT_SMALL_CELL_POLICY,
  isSmallCount,
  planReportSuppression,
  resolveSmallCellPolicy,
  type SubgroupColumn,
  type SuppressCellsOptions,
  type SuppressionPlan,
  suppressCells,
} from "./suppress.js";
export { type CompiledChart, compileChart, type PngOptions, specToSvg, svgToPng } from "./svg.js";
export type * from "./types.js";
export { loadVegaScripts, type WriteReportOptions, type WrittenReport, writeReport } from "./write.js";
