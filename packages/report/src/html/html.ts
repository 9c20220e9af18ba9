/**
 * The HTML report and CSV exports. One self-contained file: inline CSS and inline SVG, no script,
 * no external URL, and a Content-Security-Policy that forbids any fetch should one slip in
 * (a plugin section, say). Every string from the data is escaped: it comes from hostile APKs.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { summariseJob } from '@gaugenn/core';
import type { ReportApp, ReportData, ReportDevice, ReportMeasurement, ReportModel } from '../data/report-data.js';
import { escapeHtml as esc } from './escape.js';
import { buildFigures, figureRows, type Figure } from '../figures/figures.js';
import { campaignSpread } from '../figures/study-figures.js';
import { renderSvg } from '../render/render-svg.js';
import { deviceLabels, modelLabels } from '../figures/labels.js';
import { exportTables, rowsToCsv } from '../export/tables.js';

/** What {@link renderReport} wrote. */
export interface RenderedReport {
  htmlPath: string;
  /** Every table as CSV (`models.csv`, `apps.csv`, …). */
  csvPaths: string[];
  /** Every table as JSON (`models.json`, …). */
  jsonPaths: string[];
  /** Per figure: its data as CSV and, when it has data, its SVG, under `figures/`. */
  figurePaths: string[];
}

// ---------------------------------------------------------------- number formatting

function isNum(x: number | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Millions, two decimals so a column lines up (`14.00`, `300.80`); tiny values keep 2 significant digits. */
function millions(x: number | undefined): string {
  if (!isNum(x)) return '–';
  const v = x / 1e6;
  return v === 0 || v >= 0.1 ? v.toFixed(2) : v.toPrecision(2);
}

/** Milliseconds: `4.52`, `12.34`, `123.4`. */
function ms(x: number | undefined): string {
  if (!isNum(x)) return '–';
  return x >= 100 ? x.toFixed(1) : x >= 10 ? x.toFixed(2) : x.toPrecision(3);
}

/** Binary units, labelled as such. */
function bytes(x: number | undefined): string {
  if (!isNum(x)) return '–';
  if (x >= 1024 ** 3) return `${(x / 1024 ** 3).toFixed(1)} GiB`;
  if (x >= 1024 * 1024) return `${(x / (1024 * 1024)).toFixed(1)} MiB`;
  if (x >= 1024) return `${(x / 1024).toFixed(1)} KiB`;
  return `${x} B`;
}

function temp(x: number | undefined): string {
  return isNum(x) ? x.toFixed(1) : '–';
}

// ---------------------------------------------------------------- HTML pieces

interface Column<T> {
  head: string;
  /** Returns already-escaped HTML. */
  cell: (row: T) => string;
  num?: boolean;
}

function table<T>(rows: readonly T[], cols: readonly Column<T>[], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  const head = cols.map((c) => `<th${c.num ? ' class="num"' : ''}>${esc(c.head)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${cols.map((c) => `<td${c.num ? ' class="num"' : ''}>${c.cell(r)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' && x.length > 0 ? x : typeof x === 'number' ? String(x) : undefined;
}

function cpuText(cpu: unknown): string {
  if (typeof cpu !== 'object' || cpu === null) return str(cpu) ?? '–';
  const c = cpu as { cores?: unknown; maxFreqsMHz?: unknown; name?: unknown };
  const parts: string[] = [];
  if (str(c.name)) parts.push(str(c.name)!);
  if (typeof c.cores === 'number') parts.push(`${c.cores} cores`);
  if (Array.isArray(c.maxFreqsMHz) && c.maxFreqsMHz.length > 0) {
    // Group equal max frequencies: big.LITTLE clusters read as "4×1800 + 4×2400 MHz".
    const groups = new Map<number, number>();
    for (const f of c.maxFreqsMHz) if (typeof f === 'number') groups.set(f, (groups.get(f) ?? 0) + 1);
    parts.push(
      [...groups.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([f, n]) => `${n}×${f}`)
        .join(' + ') + ' MHz',
    );
  }
  return parts.length > 0 ? parts.join(', ') : '–';
}

function devicesTable(devices: readonly ReportDevice[]): string {
  const i = (d: ReportDevice, k: string): string => esc(str(d.info[k]) ?? '–');
  return table(
    devices,
    [
      { head: 'Device', cell: (d) => esc(d.id) },
      { head: 'Kind', cell: (d) => esc(d.kind) },
      { head: 'Model', cell: (d) => i(d, 'model') },
      { head: 'SoC', cell: (d) => i(d, 'soc') },
      { head: 'CPU', cell: (d) => esc(cpuText(d.info['cpu'])) },
      { head: 'GPU', cell: (d) => i(d, 'gpu') },
      { head: 'RAM', cell: (d) => esc(typeof d.info['ramBytes'] === 'number' ? bytes(d.info['ramBytes']) : '–'), num: true },
      { head: 'OS', cell: (d) => i(d, 'os') },
      { head: 'ABI', cell: (d) => i(d, 'abi') },
    ],
    'No devices recorded yet.',
  );
}

function modelsTable(models: readonly ReportModel[]): string {
  const rows = [...models].sort((a, b) => b.apps - a.apps || b.macs - a.macs || a.name.localeCompare(b.name));
  return table(
    rows,
    [
      {
        head: 'Model',
        cell: (m) =>
          `<span class="path">${esc(m.name)}</span><br><span class="hash" title="sha256">${esc(m.sha256.slice(0, 12))}</span>` +
          (m.analysed ? '' : `<br><span class="err">not analysed${m.error ? `: ${esc(m.error)}` : ''}</span>`),
      },
      { head: 'Framework', cell: (m) => esc(m.framework) },
      { head: 'Apps', cell: (m) => esc(m.apps), num: true },
      { head: 'MACs (M)', cell: (m) => (m.analysed ? millions(m.macs) : '–'), num: true },
      { head: 'Params (M)', cell: (m) => (m.analysed ? millions(m.params) : '–'), num: true },
      { head: 'Layers', cell: (m) => (m.analysed ? esc(m.layerCount) : '–'), num: true },
      { head: 'Modality', cell: (m) => (m.modalityEvidence ? `<details><summary>${esc(m.modality)}</summary>${esc(m.modalityEvidence)}</details>` : esc(m.modality)) },
      { head: 'Task', cell: (m) => (m.taskEvidence?.length ? `<details><summary>${esc(m.task ?? 'unknown')}</summary>${esc(m.taskEvidence.join('; '))}</details>` : esc(m.task ?? '–')) },
      { head: 'Quantization', cell: (m) => esc(m.quantization) },
      { head: 'Inputs', cell: (m) => esc(m.inputs) },
      { head: 'Outputs', cell: (m) => esc(m.outputs ?? '–') },
      { head: 'Size', cell: (m) => bytes(m.bytes), num: true },
    ],
    'No models found yet.',
  );
}

function errorCodes(errors: ReportApp['errors']): string {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e.code, (counts.get(e.code) ?? 0) + 1);
  return [...counts.entries()].map(([c, n]) => (n > 1 ? `${c} ×${n}` : c)).join(', ');
}

function appsTable(apps: readonly ReportApp[]): string {
  const rows = [...apps].sort((a, b) => (a.package ?? a.file).localeCompare(b.package ?? b.file) || (a.snapshot ?? '').localeCompare(b.snapshot ?? ''));
  return table(
    rows,
    [
      {
        head: 'Package',
        cell: (a) => `<span class="path">${esc(a.package ?? '(unknown)')}</span><br><span class="hash">${esc(a.file)}</span>`,
      },
      { head: 'Snapshot', cell: (a) => esc(a.snapshot ?? '–') },
      { head: 'Category', cell: (a) => esc(a.category ?? '–') },
      {
        head: 'Version',
        cell: (a) => esc([a.versionName, a.versionCode === undefined ? undefined : `(${a.versionCode})`].filter(Boolean).join(' ') || '–'),
      },
      { head: 'Frameworks', cell: (a) => esc(a.frameworks.join(', ') || '–') },
      { head: 'Models', cell: (a) => esc(a.models), num: true },
      { head: 'Delegates (called)', cell: (a) => esc([...(a.delegates ?? []), ...(a.bundledDelegates ?? []).map((d) => `(${d}, bundled)`)].join(', ') || '–') },
      { head: 'Cloud ML APIs', cell: (a) => esc((a.cloudApis ?? []).join(', ') || '–') },
      { head: 'ML native libs', cell: (a) => esc((a.mlLibs ?? []).join(', ') || '–') },
      { head: 'Encrypted?', cell: (a) => esc(a.suspectedEncrypted ?? 0), num: true },
      { head: 'Errors', cell: (a) => esc(a.errors.length), num: true },
      {
        head: 'Error codes',
        cell: (a) =>
          a.errors.length === 0
            ? ''
            : // <details> needs no script: the messages stay one click away without swamping the table.
              `<details><summary>${esc(errorCodes(a.errors))}</summary><ul>${a.errors
                .map((e) => `<li><code>${esc(e.code)}</code> ${esc(e.message)}${e.subject ? ` <span class="hash">(${esc(e.subject)})</span>` : ''}</li>`)
                .join('')}</ul></details>`,
      },
    ],
    'No apps in the store yet.',
  );
}

function measurementsTable(data: ReportData): string {
  const labels = modelLabels(data);
  const devs = deviceLabels(data);
  const rows = [...data.measurements].sort((a, b) => a.jobId - b.jobId);
  return table(
    rows.map((j) => ({ j, s: summariseJob(j) })),
    [
      { head: 'Job', cell: ({ j }) => esc(j.jobId), num: true },
      { head: 'Model', cell: ({ j }) => `<span class="path">${esc(labels.get(j.model) ?? j.modelName)}</span>` },
      { head: 'Framework', cell: ({ j }) => esc(j.framework) },
      { head: 'Device', cell: ({ j }) => esc(devs.get(j.device) ?? j.device) },
      { head: 'Backend', cell: ({ j }) => esc(j.backend) },
      { head: 'Threads', cell: ({ j }) => esc(j.threads), num: true },
      { head: 'Campaign', cell: ({ j }) => esc(j.campaign ?? 'default') },
      { head: 'Status', cell: ({ j }) => `<span class="st st-${esc(j.status)}">${esc(j.status)}</span>` },
      // Aggregate jobs show what the runtime printed, labelled as such: they have no samples to count.
      { head: 'n', cell: ({ j, s }) => (j.samplesKind === 'aggregate' ? `<span class="agg" title="aggregate: the runtime printed only summary statistics">agg ${esc(j.aggregate?.count ?? '–')}</span>` : esc(s.n)), num: true },
      { head: 'Median (ms)', cell: ({ j, s }) => (j.samplesKind === 'aggregate' ? ms(j.aggregate?.median ?? undefined) : ms(s.median)), num: true },
      { head: 'p90 (ms)', cell: ({ j, s }) => (j.samplesKind === 'aggregate' ? `p95 ${ms(j.aggregate?.p95 ?? undefined)}` : ms(s.p90)), num: true },
      {
        head: 'Delegation',
        cell: ({ j }) => {
          const d = j.delegation;
          if (!d) return '–';
          const nodes = d.nodesDelegated != null && d.nodesTotal != null ? ` ${d.nodesDelegated}/${d.nodesTotal} nodes` : '';
          return `${esc(d.delegate)}${d.applied ? '' : ' <span class="err">not applied</span>'}${esc(nodes)}${d.partitions != null ? esc(`, ${d.partitions} partition(s)`) : ''}`;
        },
      },
      {
        head: 'Warnings',
        cell: ({ j }) => ((j.warnings ?? []).length ? `<ul class="warn">${j.warnings!.map((w) => `<li><code>${esc(w.code)}</code> ${esc(w.message)}</li>`).join('')}</ul>` : ''),
      },
      { head: 'Engine', cell: ({ j }) => esc(j.engine ?? '–') },
      {
        head: 'Temp. before → after (°C)',
        cell: ({ j }) => (isNum(j.tempBeforeC) || isNum(j.tempAfterC) ? `${temp(j.tempBeforeC)} → ${temp(j.tempAfterC)}` : '–'),
        num: true,
      },
      {
        head: 'Error',
        // Runtime messages run long (paths, op lists): the code shows, the message is one click away, no script.
        cell: ({ j }) => {
          if (!j.error) return '';
          const code = /^([A-Z_]+):/.exec(j.error)?.[1];
          return code ? `<details class="err"><summary>${esc(code)}</summary>${esc(j.error.slice(code.length + 1).trim())}</details>` : `<span class="err">${esc(j.error)}</span>`;
        },
      },
    ],
    'No measurements yet.',
  );
}

const DEFINITIONS = `
<dl class="defs">
<dt>MACs</dt><dd>Multiply-accumulates of convolution (incl. depthwise and transposed), fully connected, matmul, recurrent and attention layers. One MAC is one multiply plus one add. Figures and tables report MACs, never FLOPs.</dd>
<dt>FLOPs</dt><dd>2 × MACs, plus one per output element of other arithmetic layers (activations, pooling, normalization, element-wise); data movement (reshape, concat, quantize) counts zero. Only in <code>models.csv</code>.</dd>
<dt>Params</dt><dd>Elements of constant weight tensors (weights, biases, batch-norm/scale constants).</dd>
<dt>Latency</dt><dd>Wall time of one inference on the device, as the runtime's own benchmark reports it; warm-up runs are excluded. Every timed sample is kept (<code>samples.csv</code>).</dd>
<dt>Median, p10, p90</dt><dd>Over all timed samples of a job, by linear interpolation between closest ranks (numpy's default), so they can be re-derived from <code>samples.csv</code>. Std is the sample standard deviation (n − 1).</dd>
<dt>Temperatures</dt><dd>Hottest thermal zone of the device just before the warm-up and just after the last timed run.</dd>
<dt>Model</dt><dd>A unique file content (sha256); “Apps” counts the distinct apps (by package) that ship it, over every snapshot. The name is the first path it was seen at.</dd>
<dt>Modality, task</dt><dd>What the model takes in (from its input shapes, dtypes and metadata) and a hint of what it does (detection, segmentation, landmarks, classification, OCR, super-resolution, speech, embedding), each with the evidence that decided it: output shapes and names, metadata, and label files found beside the model. Open a cell to read it.</dd>
<dt>Lineage</dt><dd><i>identical</i>: the same content in several apps, containers or names, or different files whose non-trivial weight tensors are all the same; <i>fine-tuned</i>: all but a few (at most 3, or 10 % of the larger model) non-trivial weight tensors shared, the differing ones in the last quarter of the model (its head); <i>related</i>: some shared, more differs. Tensors are compared by the sha256 of their bytes; trivial tensors (all zeros, scalars, fewer than 64 elements) never relate two models.</dd>
<dt>Aggregate job</dt><dd>The runtime printed only summary statistics (count, mean, std, min, max, median, p5, p95), no samples: shown as “agg <i>count</i>” with its median and p95, never as samples.</dd>
<dt>Backend truth</dt><dd>What the runtime reported doing with the delegate a backend asks for: nodes delegated of all nodes, partitions, and warnings when part (or none) of the model ran on it.</dd>
<dt>Snapshot</dt><dd>A set of apps gathered at one time. Apps of two snapshots are matched by package: <i>added</i>, <i>removed</i>, <i>updated</i> (other models or another version) or <i>kept</i>.</dd>
</dl>`;

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1400px; padding: 1rem 2rem 4rem; color: #1d1d1f; line-height: 1.4; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.meta { color: #555; margin: 0 0 1rem; } .meta code { font-size: .9em; }
.counts { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1rem 0; padding: 0; list-style: none; }
.counts li { background: #f3f5f8; border-radius: 6px; padding: .5rem .9rem; } .counts b { font-size: 1.3rem; display: block; }
nav a { margin-right: 1rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .85rem; width: 100%; }
th, td { border-bottom: 1px solid #e4e4e4; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f7f7f9; position: sticky; top: 0; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.path { overflow-wrap: anywhere; display: inline-block; min-width: 16rem; } .hash { color: #777; font-family: ui-monospace, monospace; font-size: .8em; overflow-wrap: anywhere; }
.err { color: #a40000; overflow-wrap: anywhere; display: inline-block; min-width: 12rem; }
.st { padding: 0 .35rem; border-radius: 3px; } .st-done { background: #e3f4e3; } .st-failed { background: #fbe1e1; } .st-pending, .st-running { background: #f1f1f1; }
figure { margin: 1.5rem 0; } figcaption { color: #444; max-width: 60rem; margin-top: .3rem; font-size: .9rem; }
figure svg { max-width: 100%; height: auto; }
.rel { white-space: nowrap; }
.warn { margin: 0; padding-left: 1rem; color: #8a5300; } .agg { background: #eef; padding: 0 .3rem; border-radius: 3px; }
.empty { color: #666; font-style: italic; background: #fafafa; border: 1px dashed #ccc; padding: .8rem; }
dl.defs dt { font-weight: 600; margin-top: .5rem; } dl.defs dd { margin-left: 1.5rem; }
details summary { cursor: pointer; }
`;

/** One figure rendered: its HTML block and, when it has data, its SVG on its own. */
export interface RenderedFigure {
  figure: Figure;
  html: string;
  svg?: string;
}

async function renderFigure(f: Figure): Promise<RenderedFigure> {
  let body: string;
  let svg: string | undefined;
  if (f.spec) {
    try {
      svg = await renderSvg(f.spec, `fig-${f.id}`);
      body = svg;
    } catch (e) {
      // A figure that fails to render must not cost the researcher the tables and CSVs.
      body = `<p class="empty err">Figure could not be rendered: ${esc((e as Error).message)}</p>`;
    }
  } else {
    body = `<p class="empty">${esc(f.emptyNote ?? 'Nothing to show yet.')}</p>`;
  }
  const state = svg ? 'data' : 'empty';
  const csv = `<a class="data" href="figures/${esc(f.id)}.csv">data (CSV)</a>`;
  return { figure: f, svg, html: `<figure id="fig-${esc(f.id)}" data-figure="${esc(f.id)}" data-state="${state}"><h3>${esc(f.title)}</h3>${body}<figcaption>${esc(f.caption)} ${csv}</figcaption></figure>` };
}

/** Render every figure, one after another. */
export async function renderFigures(data: ReportData): Promise<RenderedFigure[]> {
  const out: RenderedFigure[] = [];
  for (const f of buildFigures(data)) out.push(await renderFigure(f));
  return out;
}

function lineageTable(data: ReportData): string {
  return table(
    data.lineage ?? [],
    [
      { head: 'Relation', cell: (p) => `<span class="rel rel-${esc(p.relation)}">${esc(p.relation)}</span>` },
      { head: 'Model A', cell: (p) => `<span class="path">${esc(p.a.name)}</span><br><span class="hash">${esc(p.a.sha256.slice(0, 12))}</span>` },
      { head: 'Model B', cell: (p) => `<span class="path">${esc(p.b.name)}</span><br><span class="hash">${esc(p.b.sha256.slice(0, 12))}</span>` },
      { head: 'Shared tensors', cell: (p) => esc(p.sharedTensors), num: true },
      { head: 'A tensors', cell: (p) => esc(p.aTensors), num: true },
      { head: 'B tensors', cell: (p) => esc(p.bTensors), num: true },
    ],
    'No two models are identical or share non-trivial weight tensors.',
  );
}

function snapshotsHtml(data: ReportData): string {
  const snaps = table(
    data.snapshots ?? [],
    [
      { head: 'Snapshot', cell: (s) => esc(s.name) },
      { head: 'Apps', cell: (s) => esc(s.apps), num: true },
      { head: 'Unique models', cell: (s) => esc(s.models), num: true },
    ],
    'No snapshots recorded: extract with `gaugenn extract --snapshot NAME` (or `snapshot` on a source).',
  );
  const list = (xs: string[]) => (xs.length ? xs.map(esc).join(', ') : '–');
  const models = (xs: { path: string }[]) => (xs.length ? xs.map((m) => `<span class="path">${esc(m.path)}</span>`).join('<br>') : '–');
  const diffs = (data.diffs ?? [])
    .map((d) => `<h3>${esc(d.a)} → ${esc(d.b)}</h3>
<ul class="diff"><li><b>Added</b> (${esc(d.apps.added.length)}): ${list(d.apps.added)}</li><li><b>Removed</b> (${esc(d.apps.removed.length)}): ${list(d.apps.removed)}</li><li><b>Kept</b> (${esc(d.apps.kept.length)}): ${list(d.apps.kept)}</li></ul>
${table(d.apps.updated, [
      { head: 'Updated app', cell: (u) => esc(u.package) },
      { head: 'Models added', cell: (u) => models(u.modelsAdded) },
      { head: 'Models removed', cell: (u) => models(u.modelsRemoved) },
      { head: 'Models kept', cell: (u) => esc(u.modelsKept.length), num: true },
    ], 'No app was updated.')}`)
    .join('\n');
  return snaps + (diffs || '<p class="empty">Fewer than two snapshots: nothing to compare.</p>');
}

function campaignsHtml(data: ReportData): string {
  const rows = campaignSpread(data);
  return table(
    rows,
    [
      { head: 'Model · device · backend · threads', cell: (r) => `<span class="path">${esc(r.key)}</span>` },
      { head: 'Median per campaign (ms)', cell: (r) => r.medians.map((m) => `${esc(m.campaign)}: ${ms(m.median)}`).join('<br>') },
      { head: 'Spread (max − min) / median', cell: (r) => `${r.spreadPct.toFixed(1)} %`, num: true },
    ],
    'No configuration was measured in two or more campaigns yet.',
  );
}

function sectionId(id: string): string {
  return 'plugin-' + (id.replace(/[^A-Za-z0-9_-]/g, '-') || 'section');
}

/** The whole report as one HTML string. Figures render sequentially. */
export async function renderReportHtml(data: ReportData, rendered?: RenderedFigure[]): Promise<string> {
  const byStatus = (s: ReportMeasurement['status']): number => data.measurements.filter((j) => j.status === s).length;
  const samples = data.measurements.reduce((n, j) => n + j.samplesMs.length, 0);
  const figures = (rendered ?? (await renderFigures(data))).map((f) => f.html);
  const counts: [number, string][] = [
    [data.apps.length, 'apps'],
    [data.models.length, 'unique models'],
    [data.models.reduce((n, m) => n + m.apps, 0), 'model occurrences'],
    [data.devices.length, 'devices'],
    [byStatus('done'), 'jobs done'],
    [byStatus('failed'), 'jobs failed'],
    [byStatus('pending') + byStatus('running'), 'jobs pending'],
    [samples, 'latency samples'],
    [(data.lineage ?? []).filter((p) => p.relation === 'identical').length, 'identical pairs'],
    [(data.lineage ?? []).filter((p) => p.relation !== 'identical').length, 'fine-tuned/related pairs'],
    [(data.snapshots ?? []).length, 'snapshots'],
  ];
  const nav = [
    ['devices', 'Devices'],
    ['figures', 'Figures'],
    ['models', 'Models'],
    ['apps', 'Apps'],
    ['measurements', 'Measurements'],
    ['lineage', 'Lineage'],
    ['snapshots', 'Snapshots'],
    ['campaigns', 'Campaigns'],
    ...data.sections.map((s) => [sectionId(s.id), s.title] as [string, string]),
    ['definitions', 'Definitions'],
  ]
    .map(([id, t]) => `<a href="#${esc(id)}">${esc(t)}</a>`)
    .join('');
  const extra = data.sections
    .map((s) => `<section id="${esc(sectionId(s.id))}"><h2>${esc(s.title)}</h2>\n${s.html}\n</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="gaugeNN">
<title>${esc(data.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(data.title)}</h1>
<p class="meta">Generated ${esc(data.generatedAt)} from <code>${esc(data.storePath)}</code>. Exports beside this file: every table as CSV and JSON (<code>models</code>, <code>apps</code>, <code>measurements</code>, <code>samples</code>, <code>devices</code>, <code>lineage</code>, <code>snapshots</code>, <code>diff</code>, <code>energy</code>, <code>campaigns</code>), and each figure's data under <code>figures/</code>.</p>
<ul class="counts">${counts.map(([n, t]) => `<li><b>${esc(n)}</b>${esc(t)}</li>`).join('')}</ul>
<nav>${nav}</nav>
</header>
<main>
<section id="devices"><h2>Devices</h2>${devicesTable(data.devices)}</section>
<section id="figures"><h2>Figures</h2>${figures.join('\n')}</section>
<section id="models"><h2>Models</h2>${modelsTable(data.models)}</section>
<section id="apps"><h2>Apps</h2>${appsTable(data.apps)}</section>
<section id="measurements"><h2>Measurements</h2>${measurementsTable(data)}</section>
<section id="lineage"><h2>Lineage</h2><p>Identical models (the same content in several apps, containers or names) and models that share non-trivial weight tensors (layer-level digests); trivial tensors (zeros, scalars, tiny biases) never relate two models.</p>${lineageTable(data)}</section>
<section id="snapshots"><h2>Snapshots</h2>${snapshotsHtml(data)}</section>
<section id="campaigns"><h2>Campaigns</h2><p>Replicability: the same model × device × backend × threads measured in several campaigns.</p>${campaignsHtml(data)}</section>
${extra}
<section id="definitions"><h2>Definitions</h2>${DEFINITIONS}</section>
</main>
</body>
</html>
`;
}

// ---------------------------------------------------------------- files

/** Write via a temporary file in the same directory and rename, so readers never see half a file. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Render the report into `outDir` (created if missing): `index.html`, every table as CSV and JSON, and each
 * figure's data (CSV) and SVG under `figures/`. Exports are written first, so an `index.html` on disk means the
 * set is complete.
 */
export async function renderReport(data: ReportData, outDir: string): Promise<RenderedReport> {
  await mkdir(join(outDir, 'figures'), { recursive: true });
  const csvPaths: string[] = [];
  const jsonPaths: string[] = [];
  for (const t of exportTables(data)) {
    const c = join(outDir, `${t.name}.csv`);
    await writeFileAtomic(c, t.csv);
    csvPaths.push(c);
    const j = join(outDir, `${t.name}.json`);
    await writeFileAtomic(j, JSON.stringify(t.json, null, 2) + '\n');
    jsonPaths.push(j);
  }
  const figures = await renderFigures(data);
  const figurePaths: string[] = [];
  for (const f of figures) {
    const c = join(outDir, 'figures', `${f.figure.id}.csv`);
    await writeFileAtomic(c, rowsToCsv(figureRows(f.figure)));
    figurePaths.push(c);
    if (f.svg) {
      // The stand-alone SVG needs the XML namespace the inline copy may omit.
      const s = join(outDir, 'figures', `${f.figure.id}.svg`);
      await writeFileAtomic(s, f.svg);
      figurePaths.push(s);
    }
  }
  const htmlPath = join(outDir, 'index.html');
  await writeFileAtomic(htmlPath, await renderReportHtml(data, figures));
  return { htmlPath, csvPaths, jsonPaths, figurePaths };
}

