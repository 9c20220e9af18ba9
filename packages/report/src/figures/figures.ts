/**
 * The report's figures as Vega-Lite specs: pure functions of {@link ReportData}, no I/O.
 * A figure with nothing to plot carries a note instead of a spec, so an empty store still renders.
 *
 * Units rule (DESIGN.md): compute axes say "MACs (multiply-accumulates)"; FLOPs never appear in a figure,
 * so the two cannot be mixed up.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportData } from '../data/report-data.js';
import { summarise } from '@gaugenn/core';
import { deviceLabels, modelLabels } from './labels.js';
import {
  backendTruthFigure, campaignSpreadFigure, cloudApisByCategoryFigure, energyFigure, foundInAppsFigure, latencyEcdfFigure,
  layerCompositionByModalityFigure, lineageGraphFigure, macsParamsDistributionFigure, modelsPerSnapshotFigure, snapshotDiffFigure,
} from './study-figures.js';

/** One figure of the report. */
export interface Figure {
  /** Stable id, used for the HTML anchor and to keep SVG ids unique. */
  id: string;
  title: string;
  /** What the reader is looking at, units included. */
  caption: string;
  /** Absent when there is nothing to plot; `emptyNote` then says so. */
  spec?: TopLevelSpec;
  emptyNote?: string;
}

/** The rows a figure plots (its spec's inline data), for the CSV written beside it. */
export function figureRows(f: Figure): Record<string, unknown>[] {
  const d = (f.spec as { data?: { values?: unknown } } | undefined)?.data?.values;
  return Array.isArray(d) ? (d as Record<string, unknown>[]) : [];
}

/** Models shown at most in per-model figures, so a corpus of thousands still gives a readable chart. */
export const TOP_MODELS = 30;

const FONT = 'sans-serif';

/** Shared look: generic fonts (no font files, no network), white background, readable sizes. */
export const CONFIG = {
  font: FONT,
  background: 'white',
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  title: { fontSize: 14 },
  header: { titleFontSize: 13, labelFontSize: 12, titleFontWeight: 'bold' },
  view: { stroke: '#ccc' },
} as const;

/** Shapes Vega draws without a font; a legend repeats them past eight devices. */
export const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'triangle-right', 'triangle-left'];

/** Done jobs with at least one usable positive sample (log scales cannot show 0). */
export function doneJobs(data: ReportData) {
  return data.measurements.filter((j) => j.status === 'done' && j.samplesMs.some((x) => Number.isFinite(x) && x > 0));
}

/** A `Nt` thread label; backends like gpu still record a thread count for their CPU side. */
function configLabel(device: string, backend: string, threads: number): string {
  return `${device} · ${backend} · ${threads}t`;
}

/**
 * (a) Median latency vs MACs, both log scale: one point per (model, device, backend, threads), jobs for the
 * same key pooled; colour = framework, shape = device, a p10–p90 bar through each point; one panel per
 * backend when there are several.
 */
export function latencyVsMacsFigure(data: ReportData): Figure {
  const id = 'latency-vs-macs';
  const title = 'Latency vs compute';
  const caption =
    'Median latency of one inference (ms, log scale) against model compute in MACs (multiply-accumulates, log scale). ' +
    'One point per model × device × backend × threads (one panel per device, backend and thread count); the vertical bar spans ' +
    'the 10th to 90th percentile of the samples (aggregate-only jobs have no bar). Colour is the framework, shape the device.';
  const labels = modelLabels(data);
  const devs = deviceLabels(data);
  const pooled = new Map<string, { j: ReturnType<typeof doneJobs>[number]; samples: number[] }>();
  for (const j of doneJobs(data)) {
    if (!(j.macs > 0)) continue;
    const key = JSON.stringify([j.model, j.device, j.backend, j.threads]);
    const e = pooled.get(key);
    if (e) e.samples.push(...j.samplesMs);
    else pooled.set(key, { j, samples: [...j.samplesMs] });
  }
  const points = [...pooled.values()].map(({ j, samples }) => {
    const s = summarise(samples.filter((x) => x > 0));
    return {
      model: labels.get(j.model) ?? j.modelName,
      framework: j.framework,
      device: devs.get(j.device) ?? j.device,
      backend: j.backend,
      threads: j.threads,
      panel: `${devs.get(j.device) ?? j.device} · ${j.backend} · ${j.threads}t`,
      macs: j.macs,
      median: s.median,
      p10: s.p10 as number | null,
      p90: s.p90 as number | null,
      n: s.n,
      kind: 'samples',
    };
  });
  // Aggregate jobs (the runtime printed only summary statistics) plot at their median, with no spread bar.
  const aggregates = data.measurements
    .filter((j) => j.status === 'done' && j.samplesKind === 'aggregate' && j.aggregate?.median && j.aggregate.median > 0 && j.macs > 0)
    .map((j) => ({
      model: labels.get(j.model) ?? j.modelName, framework: j.framework, device: devs.get(j.device) ?? j.device, backend: j.backend, threads: j.threads,
      panel: `${devs.get(j.device) ?? j.device} · ${j.backend} · ${j.threads}t`, macs: j.macs, median: j.aggregate!.median!, p10: null, p90: null,
      n: j.aggregate!.count, kind: 'aggregate',
    }));
  const values = [...points, ...aggregates];
  if (values.length === 0) {
    return { id, title, caption, emptyNote: 'No measurements yet: no done job of a model with known MACs.' };
  }
  // One panel per backend × threads: 1 and 4 CPU threads of one model sit at the same MACs, and would be
  // indistinguishable in one panel.
  const panels = [...new Set(values.map((v) => v.panel))].sort();
  const x = {
    field: 'macs',
    type: 'quantitative',
    scale: { type: 'log', nice: true },
    axis: { format: '~s', title: 'MACs (multiply-accumulates, log scale)' },
  } as const;
  const layer = [
    {
      mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.6 },
      encoding: {
        x,
        y: { field: 'p10', type: 'quantitative', scale: { type: 'log' } },
        y2: { field: 'p90' },
        color: { field: 'framework', type: 'nominal', title: 'Framework' },
      },
    },
    {
      mark: { type: 'point', filled: true, size: 70, opacity: 0.85, stroke: 'black', strokeWidth: 0.5 },
      encoding: {
        x,
        y: {
          field: 'median',
          type: 'quantitative',
          scale: { type: 'log', nice: true },
          axis: { title: 'Median latency (ms, log scale)' },
        },
        color: { field: 'framework', type: 'nominal', title: 'Framework' },
        shape: { field: 'device', type: 'nominal', title: 'Device', scale: { range: SHAPES } },
      },
    },
  ];
  const spec =
    panels.length > 1
      ? {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          data: { values },
          facet: { field: 'panel', type: 'nominal', title: 'Device · backend · threads', sort: panels },
          columns: 3,
          spec: { width: 280, height: 260, layer },
          config: CONFIG,
        }
      : {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          title: { text: `Device · backend · threads: ${panels[0]}`, fontSize: 12 },
          data: { values },
          width: 520,
          height: 380,
          layer,
          config: CONFIG,
        };
  return { id, title, caption, spec: spec as TopLevelSpec };
}

/** (b) Share of each model's MACs per layer category, top {@link TOP_MODELS} models by MACs. */
export function layerCompositionFigure(data: ReportData): Figure {
  const id = 'layer-composition';
  const title = 'Where the compute is';
  const caption =
    `Share of each model's MACs (multiply-accumulates) by layer category, for the ${TOP_MODELS} models with the most MACs, ` +
    'largest first (total MACs in brackets).';
  const labels = modelLabels(data);
  const top = data.models
    .filter((m) => m.analysed && m.macs > 0)
    .sort((a, b) => b.macs - a.macs || a.name.localeCompare(b.name))
    .slice(0, TOP_MODELS);
  const values: { model: string; rank: number; category: string; macs: number }[] = [];
  top.forEach((m, rank) => {
    const label = `${labels.get(m.sha256) ?? m.name} (${formatMacs(m.macs)})`;
    for (const [category, macs] of Object.entries(m.categoryMacs)) {
      if (macs > 0) values.push({ model: label, rank, category, macs });
    }
  });
  if (values.length === 0) {
    return { id, title, caption, emptyNote: 'No analysed models with MACs yet.' };
  }
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    width: 520,
    height: { step: 18 },
    mark: { type: 'bar' },
    encoding: {
      y: {
        field: 'model',
        type: 'nominal',
        title: null,
        sort: { field: 'rank', op: 'min', order: 'ascending' },
        axis: { labelLimit: 340 },
      },
      x: {
        field: 'macs',
        type: 'quantitative',
        stack: 'normalize',
        axis: { format: '%', title: 'Share of model MACs (multiply-accumulates), %' },
      },
      color: { field: 'category', type: 'nominal', title: 'Layer category', scale: { scheme: 'tableau10' } },
      order: { field: 'category' },
    },
    config: CONFIG,
  };
  return { id, title, caption, spec: spec as TopLevelSpec };
}

/** (c) Distribution of every latency sample per model, one box per device × backend × threads. */
export function latencyDistributionFigure(data: ReportData): Figure {
  const id = 'latency-distribution';
  const title = 'Latency distribution';
  const caption =
    'Every timed sample (ms, log scale) of done jobs, one box per model and device × backend × threads: ' +
    'the box spans the 25th–75th percentile with the median marked, whiskers reach 1.5 × IQR, dots are samples beyond. ' +
    `At most ${TOP_MODELS} models, slowest first.`;
  const labels = modelLabels(data);
  const devs = deviceLabels(data);
  const jobs = doneJobs(data);
  // Rank models by their slowest median so the top of the chart is where the cost is.
  const worst = new Map<string, number>();
  for (const j of jobs) {
    const med = summarise(j.samplesMs.filter((x) => x > 0)).median;
    worst.set(j.model, Math.max(worst.get(j.model) ?? 0, med));
  }
  const ranked = [...worst.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP_MODELS);
  const rank = new Map(ranked.map(([sha], i) => [sha, i] as const));
  const values: { model: string; rank: number; config: string; ms: number }[] = [];
  for (const j of jobs) {
    const r = rank.get(j.model);
    if (r === undefined) continue;
    const model = labels.get(j.model) ?? j.modelName;
    const config = configLabel(devs.get(j.device) ?? j.device, j.backend, j.threads);
    for (const ms of j.samplesMs) if (Number.isFinite(ms) && ms > 0) values.push({ model, rank: r, config, ms });
  }
  if (values.length === 0) {
    return { id, title, caption, emptyNote: 'No measurements yet: no done job with samples.' };
  }
  // Thinner boxes when there are many (model, config) rows, so a big campaign stays a scrollable page.
  const rows = new Set(values.map((v) => `${v.rank}\u0000${v.config}`)).size;
  const step = rows > 80 ? 8 : 14;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    width: 520,
    height: { step },
    mark: { type: 'boxplot', extent: 1.5, size: step - 4, median: { color: 'black' }, outliers: { size: step - 6 } },
    encoding: {
      y: {
        field: 'model',
        type: 'nominal',
        title: null,
        sort: { field: 'rank', op: 'min', order: 'ascending' },
        axis: { labelLimit: 340 },
      },
      yOffset: { field: 'config', type: 'nominal' },
      x: {
        field: 'ms',
        type: 'quantitative',
        scale: { type: 'log', nice: true },
        axis: { title: 'Latency of one inference (ms, log scale)' },
      },
      color: { field: 'config', type: 'nominal', title: 'Device · backend · threads' },
    },
    config: CONFIG,
  };
  return { id, title, caption, spec: spec as TopLevelSpec };
}

/** (d) Unique models per framework, stacked by quantization scheme. */
export function modelsByFrameworkFigure(data: ReportData): Figure {
  const id = 'models-by-framework';
  const title = 'Models by framework and quantization';
  const caption = 'Number of unique models (by content hash) per framework, split by quantization scheme.';
  const counts = new Map<string, { framework: string; quantization: string; models: number }>();
  for (const m of data.models) {
    const quantization = m.analysed ? m.quantization || 'unknown' : 'not analysed';
    const key = JSON.stringify([m.framework, quantization]);
    const e = counts.get(key);
    if (e) e.models += 1;
    else counts.set(key, { framework: m.framework, quantization, models: 1 });
  }
  const values = [...counts.values()];
  if (values.length === 0) return { id, title, caption, emptyNote: 'No models found yet.' };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    width: 520,
    height: { step: 26 },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'framework', type: 'nominal', title: 'Framework', sort: '-x' },
      x: { field: 'models', type: 'quantitative', aggregate: 'sum', title: 'Unique models (count)', axis: { tickMinStep: 1, format: 'd' } },
      color: { field: 'quantization', type: 'nominal', title: 'Quantization', scale: { scheme: 'set2' } },
    },
    config: CONFIG,
  };
  return { id, title, caption, spec: spec as TopLevelSpec };
}

/** Every figure of the report, in reading order. */
export function buildFigures(data: ReportData): Figure[] {
  return [
    modelsByFrameworkFigure(data),
    foundInAppsFigure(data),
    cloudApisByCategoryFigure(data),
    layerCompositionByModalityFigure(data),
    layerCompositionFigure(data),
    macsParamsDistributionFigure(data),
    latencyVsMacsFigure(data),
    latencyEcdfFigure(data),
    latencyDistributionFigure(data),
    backendTruthFigure(data),
    energyFigure(data),
    campaignSpreadFigure(data),
    modelsPerSnapshotFigure(data),
    snapshotDiffFigure(data),
    lineageGraphFigure(data),
  ];
}

/** `13.6M`, `1.2G`: compact MAC counts for labels. */
export function formatMacs(macs: number): string {
  if (!Number.isFinite(macs)) return '–';
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [u, s] of units) if (macs >= u) return `${trimZeros((macs / u).toPrecision(3))}${s}`;
  return String(Math.round(macs));
}

/** `3.00` → `3`, `1.50` → `1.5`, `300` stays `300`. */
function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
