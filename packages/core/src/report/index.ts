/** Report: ReportData → one self-contained HTML file with SVG figures, plus CSV exports. */
export type { ReportApp, ReportModel, ReportMeasurement, ReportDevice, ReportData } from './report-data.js';
export { summarise, summariseJob, quantileSorted, type SampleSummary, type JobSamples } from './stats.js';
export {
  buildFigures,
  latencyVsMacsFigure,
  layerCompositionFigure,
  latencyDistributionFigure,
  modelsByFrameworkFigure,
  formatMacs,
  TOP_MODELS,
  type Figure,
} from './figures.js';
export { renderSvg, renderSvgs, prefixSvgIds } from './render-svg.js';
export {
  renderReport,
  renderReportHtml,
  modelsCsv,
  measurementsCsv,
  samplesCsv,
  appsCsv,
  writeFileAtomic,
  type RenderedReport,
} from './html.js';
export { toCsv, csvField, type CsvCell } from './csv.js';
export { escapeHtml } from './escape.js';
