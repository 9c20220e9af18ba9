/**
 * @gaugenn/report — the study report as a plugin on core's `report` hook: one offline HTML file with Vega-Lite
 * figures rendered to SVG in Node, each figure's data as CSV beside it, every table as CSV and JSON.
 */
import { definePlugin, REPORT_RENDER_STAGE } from '@gaugenn/core';
import { readReportData } from './data/read-store.js';
import { renderReport } from './html/html.js';
import { labelFileScanner } from './characterise/label-files.js';

export type { ReportApp, ReportModel, ReportMeasurement, ReportDevice, ReportData, ReportEnergy, ReportLineagePair, ReportDiff } from './data/report-data.js';
export { readReportData } from './data/read-store.js';
export { buildFigures, figureRows, latencyVsMacsFigure, layerCompositionFigure, latencyDistributionFigure, modelsByFrameworkFigure, formatMacs, TOP_MODELS, type Figure } from './figures/figures.js';
export * from './figures/study-figures.js';
export { renderSvg, renderSvgs, prefixSvgIds } from './render/render-svg.js';
export { renderReport, renderReportHtml, renderFigures, writeFileAtomic, type RenderedReport, type RenderedFigure } from './html/html.js';
export { exportTables, rowsToCsv, modelsCsv, measurementsCsv, samplesCsv, appsCsv, type ExportTable } from './export/tables.js';
export { toCsv, csvField, type CsvCell } from './export/csv.js';
export { escapeHtml } from './html/escape.js';
export { modalityEvidence, taskOf, type Signature, type LabelFile, type Verdict } from './characterise/task.js';
export { labelFileScanner, countLabels, LABEL_FINDING } from './characterise/label-files.js';

/**
 * The report plugin: records label files at extraction (task evidence), and renders the report after every
 * plugin that only adds sections (stage {@link REPORT_RENDER_STAGE}).
 */
export default definePlugin({
  name: 'report',
  apply(gauge) {
    gauge.addScanner(labelFileScanner);
    gauge.hooks.report.tapPromise({ name: 'report', stage: REPORT_RENDER_STAGE }, async (ctx) => {
      const data = readReportData(gauge, ctx.store, ctx.title, [...ctx.sections]);
      const r = await renderReport(data, ctx.outDir);
      ctx.addOutput('html', r.htmlPath);
      for (const p of r.csvPaths) ctx.addOutput('csv', p);
      for (const p of r.jsonPaths) ctx.addOutput('json', p);
      for (const p of r.figurePaths) ctx.addOutput(p.endsWith('.svg') ? 'svg' : 'figure-csv', p);
    });
  },
});
