/**
 * The HTML report and CSV exports. One self-contained file: inline CSS and inline SVG, no script,
 * no external URL, and a Content-Security-Policy that forbids any fetch should one slip in
 * (a plugin section, say). Every string from the data is escaped: it comes from hostile APKs.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CATEGORIES } from '../ir/model-graph.js';
import type { ReportApp, ReportData, ReportDevice, ReportMeasurement, ReportModel } from './report-data.js';
import { summariseJob } from './stats.js';
import { escapeHtml as esc } from './escape.js';
import { toCsv, type CsvCell } from './csv.js';
import { buildFigures, type Figure } from './figures.js';
import { renderSvg } from './render-svg.js';
import { deviceLabels, modelLabels } from './labels.js';

/** What {@link renderReport} wrote. */
export interface RenderedReport {
  htmlPath: string;
  csvPaths: string[];
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
      { head: 'Modality', cell: (m) => esc(m.modality) },
      { head: 'Quantization', cell: (m) => esc(m.quantization) },
      { head: 'Inputs', cell: (m) => esc(m.inputs) },
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
  const rows = [...apps].sort((a, b) => (a.package ?? a.file).localeCompare(b.package ?? b.file));
  return table(
    rows,
    [
      {
        head: 'Package',
        cell: (a) => `<span class="path">${esc(a.package ?? '(unknown)')}</span><br><span class="hash">${esc(a.file)}</span>`,
      },
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
      { head: 'Status', cell: ({ j }) => `<span class="st st-${esc(j.status)}">${esc(j.status)}</span>` },
      { head: 'n', cell: ({ s }) => esc(s.n), num: true },
      { head: 'Median (ms)', cell: ({ s }) => ms(s.median), num: true },
      { head: 'p90 (ms)', cell: ({ s }) => ms(s.p90), num: true },
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
<dt>Model</dt><dd>A unique file content (sha256); “Apps” counts its occurrences across the corpus. The name is the first path it was seen at.</dd>
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
.empty { color: #666; font-style: italic; background: #fafafa; border: 1px dashed #ccc; padding: .8rem; }
dl.defs dt { font-weight: 600; margin-top: .5rem; } dl.defs dd { margin-left: 1.5rem; }
details summary { cursor: pointer; }
`;

async function figureHtml(f: Figure): Promise<string> {
  let body: string;
  if (f.spec) {
    try {
      body = await renderSvg(f.spec, `fig-${f.id}`);
    } catch (e) {
      // A figure that fails to render must not cost the researcher the tables and CSVs.
      body = `<p class="empty err">Figure could not be rendered: ${esc((e as Error).message)}</p>`;
    }
  } else {
    body = `<p class="empty">${esc(f.emptyNote ?? 'Nothing to show yet.')}</p>`;
  }
  return `<figure id="fig-${esc(f.id)}"><h3>${esc(f.title)}</h3>${body}<figcaption>${esc(f.caption)}</figcaption></figure>`;
}

function sectionId(id: string): string {
  return 'plugin-' + (id.replace(/[^A-Za-z0-9_-]/g, '-') || 'section');
}

/** The whole report as one HTML string. Figures render sequentially. */
export async function renderReportHtml(data: ReportData): Promise<string> {
  const byStatus = (s: ReportMeasurement['status']): number => data.measurements.filter((j) => j.status === s).length;
  const samples = data.measurements.reduce((n, j) => n + j.samplesMs.length, 0);
  const figures: string[] = [];
  for (const f of buildFigures(data)) figures.push(await figureHtml(f));
  const counts: [number, string][] = [
    [data.apps.length, 'apps'],
    [data.models.length, 'unique models'],
    [data.models.reduce((n, m) => n + m.apps, 0), 'model occurrences'],
    [data.devices.length, 'devices'],
    [byStatus('done'), 'jobs done'],
    [byStatus('failed'), 'jobs failed'],
    [byStatus('pending') + byStatus('running'), 'jobs pending'],
    [samples, 'latency samples'],
  ];
  const nav = [
    ['devices', 'Devices'],
    ['figures', 'Figures'],
    ['models', 'Models'],
    ['apps', 'Apps'],
    ['measurements', 'Measurements'],
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
<p class="meta">Generated ${esc(data.generatedAt)} from <code>${esc(data.storePath)}</code>. Exports: <code>models.csv</code>, <code>measurements.csv</code>, <code>samples.csv</code>, <code>apps.csv</code> beside this file.</p>
<ul class="counts">${counts.map(([n, t]) => `<li><b>${esc(n)}</b>${esc(t)}</li>`).join('')}</ul>
<nav>${nav}</nav>
</header>
<main>
<section id="devices"><h2>Devices</h2>${devicesTable(data.devices)}</section>
<section id="figures"><h2>Figures</h2>${figures.join('\n')}</section>
<section id="models"><h2>Models</h2>${modelsTable(data.models)}</section>
<section id="apps"><h2>Apps</h2>${appsTable(data.apps)}</section>
<section id="measurements"><h2>Measurements</h2>${measurementsTable(data)}</section>
${extra}
<section id="definitions"><h2>Definitions</h2>${DEFINITIONS}</section>
</main>
</body>
</html>
`;
}

// ---------------------------------------------------------------- CSV exports

/** Category columns: the closed taxonomy first, then any other key the data uses (kept, never dropped). */
function categoryKeys(models: readonly ReportModel[]): string[] {
  const known = new Set<string>(CATEGORIES);
  const extra = new Set<string>();
  for (const m of models) for (const k of [...Object.keys(m.categories), ...Object.keys(m.categoryMacs)]) if (!known.has(k)) extra.add(k);
  return [...CATEGORIES, ...[...extra].sort()];
}

/** models.csv: one row per unique model; `layers_<category>` and `macs_<category>` columns per category. */
export function modelsCsv(data: Pick<ReportData, 'models'>): string {
  const cats = categoryKeys(data.models);
  const header = [
    'sha256', 'name', 'framework', 'apps', 'bytes', 'macs', 'flops', 'params', 'weight_bytes', 'layers',
    'modality', 'quantization', 'inputs', 'analysed', 'error',
    ...cats.map((c) => `layers_${c}`),
    ...cats.map((c) => `macs_${c}`),
  ];
  const rows = data.models.map((m): CsvCell[] => [
    m.sha256, m.name, m.framework, m.apps, m.bytes, m.macs, m.flops, m.params, m.weightBytes, m.layerCount,
    m.modality, m.quantization, m.inputs, m.analysed, m.error,
    ...cats.map((c) => m.categories[c] ?? 0),
    ...cats.map((c) => m.categoryMacs[c] ?? 0),
  ]);
  return toCsv(header, rows);
}

/** measurements.csv: one row per job, statistics recomputed from samples, samples joined with `;`. */
export function measurementsCsv(data: Pick<ReportData, 'measurements'>): string {
  const header = [
    'job_id', 'model', 'model_name', 'framework', 'device', 'device_kind', 'backend', 'threads', 'status',
    'n', 'median_ms', 'p90_ms', 'mean_ms', 'std_ms', 'min_ms', 'max_ms', 'engine', 'macs',
    'temp_before_c', 'temp_after_c', 'error', 'samples_ms',
  ];
  const rows = [...data.measurements]
    .sort((a, b) => a.jobId - b.jobId)
    .map((j): CsvCell[] => {
      const s = summariseJob(j);
      return [
        j.jobId, j.model, j.modelName, j.framework, j.device, j.deviceKind, j.backend, j.threads, j.status,
        s.n, s.median, s.p90, s.mean, s.std, s.min, s.max, j.engine, j.macs,
        j.tempBeforeC, j.tempAfterC, j.error, j.samplesMs.map(String).join(';'),
      ];
    });
  return toCsv(header, rows);
}

/** samples.csv: one row per timed sample (long format, ready for pandas/R). */
export function samplesCsv(data: Pick<ReportData, 'measurements'>): string {
  const header = ['job_id', 'model', 'model_name', 'device', 'backend', 'threads', 'index', 'ms'];
  const rows: CsvCell[][] = [];
  for (const j of [...data.measurements].sort((a, b) => a.jobId - b.jobId)) {
    j.samplesMs.forEach((x, i) => rows.push([j.jobId, j.model, j.modelName, j.device, j.backend, j.threads, i, x]));
  }
  return toCsv(header, rows);
}

/** apps.csv: one row per app; frameworks and error codes joined with `;`. */
export function appsCsv(data: Pick<ReportData, 'apps'>): string {
  const header = ['id', 'file', 'package', 'version_name', 'version_code', 'frameworks', 'models', 'delegates', 'cloud_apis', 'ml_native_libs', 'suspected_encrypted', 'errors', 'error_codes'];
  const rows = data.apps.map((a): CsvCell[] => [
    a.id, a.file, a.package, a.versionName, a.versionCode, a.frameworks.join(';'), a.models, (a.delegates ?? []).join(';'),
    (a.cloudApis ?? []).join(';'), (a.mlLibs ?? []).join(';'), a.suspectedEncrypted ?? 0, a.errors.length,
    a.errors.map((e) => e.code).join(';'),
  ]);
  return toCsv(header, rows);
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
 * Render the report into `outDir` (created if missing): `index.html` plus `models.csv`, `measurements.csv`,
 * `samples.csv`, `apps.csv`. CSVs are written first, so an `index.html` on disk means the set is complete.
 */
export async function renderReport(data: ReportData, outDir: string): Promise<RenderedReport> {
  await mkdir(outDir, { recursive: true });
  const csvs: [string, string][] = [
    ['models.csv', modelsCsv(data)],
    ['measurements.csv', measurementsCsv(data)],
    ['samples.csv', samplesCsv(data)],
    ['apps.csv', appsCsv(data)],
  ];
  const csvPaths: string[] = [];
  for (const [name, content] of csvs) {
    const p = join(outDir, name);
    await writeFileAtomic(p, content);
    csvPaths.push(p);
  }
  const htmlPath = join(outDir, 'index.html');
  await writeFileAtomic(htmlPath, await renderReportHtml(data));
  return { htmlPath, csvPaths };
}

