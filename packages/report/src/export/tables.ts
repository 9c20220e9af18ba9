/**
 * Every table of the report as CSV (RFC 4180, one row per record, lists joined with `;`) and as JSON (the
 * records as the report holds them): models, apps, measurements, samples, devices, lineage, snapshots, diff,
 * energy, campaigns.
 */
import { CATEGORIES, summariseJob } from '@gaugenn/core';
import type { ReportData, ReportModel } from '../data/report-data.js';
import { campaignSpread } from '../figures/study-figures.js';
import { toCsv, type CsvCell } from './csv.js';


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
    'modality', 'quantization', 'inputs', 'analysed', 'error', 'outputs', 'task', 'task_evidence', 'modality_evidence',
    ...cats.map((c) => `layers_${c}`),
    ...cats.map((c) => `macs_${c}`),
  ];
  const rows = data.models.map((m): CsvCell[] => [
    m.sha256, m.name, m.framework, m.apps, m.bytes, m.macs, m.flops, m.params, m.weightBytes, m.layerCount,
    m.modality, m.quantization, m.inputs, m.analysed, m.error, m.outputs, m.task, (m.taskEvidence ?? []).join('; '), m.modalityEvidence,
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
    'campaign', 'samples_kind', 'agg_count', 'agg_median_ms', 'agg_mean_ms', 'agg_std_ms', 'agg_min_ms', 'agg_max_ms', 'agg_p5_ms', 'agg_p95_ms',
    'delegate', 'delegate_applied', 'nodes_delegated', 'nodes_total', 'partitions', 'warnings',
  ];
  const rows = [...data.measurements]
    .sort((a, b) => a.jobId - b.jobId)
    .map((j): CsvCell[] => {
      const s = summariseJob(j);
      const a = j.aggregate;
      const d = j.delegation;
      return [
        j.jobId, j.model, j.modelName, j.framework, j.device, j.deviceKind, j.backend, j.threads, j.status,
        s.n, s.median, s.p90, s.mean, s.std, s.min, s.max, j.engine, j.macs,
        j.tempBeforeC, j.tempAfterC, j.error, j.samplesMs.map(String).join(';'),
        j.campaign ?? 'default', j.samplesKind ?? 'all', a?.count, a?.median, a?.mean, a?.std, a?.min, a?.max, a?.p5, a?.p95,
        d?.delegate, d ? d.applied : undefined, d?.nodesDelegated, d?.nodesTotal, d?.partitions,
        (j.warnings ?? []).map((w) => w.code).join(';'),
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
  const header = ['id', 'file', 'package', 'snapshot', 'category', 'version_name', 'version_code', 'frameworks', 'models', 'delegates', 'cloud_apis', 'ml_native_libs', 'suspected_encrypted', 'errors', 'error_codes'];
  const rows = data.apps.map((a): CsvCell[] => [
    a.id, a.file, a.package, a.snapshot, a.category, a.versionName, a.versionCode, a.frameworks.join(';'), a.models, (a.delegates ?? []).join(';'),
    (a.cloudApis ?? []).join(';'), (a.mlLibs ?? []).join(';'), a.suspectedEncrypted ?? 0, a.errors.length,
    a.errors.map((e) => e.code).join(';'),
  ]);
  return toCsv(header, rows);
}


/** Flat records → CSV, columns in first-seen key order; nested values as JSON. */
export function rowsToCsv(rows: readonly Record<string, unknown>[]): string {
  const keys: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  return toCsv(keys, rows.map((r) => keys.map((k): CsvCell => {
    const v = r[k];
    return v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? (v as CsvCell) : JSON.stringify(v);
  })));
}

/** One exported table. */
export interface ExportTable {
  name: string;
  csv: string;
  json: unknown;
}

/** Every table of the report, CSV and JSON side by side. */
export function exportTables(data: ReportData): ExportTable[] {
  const lineage = (data.lineage ?? []).map((p) => ({ relation: p.relation, a: p.a.name, a_sha256: p.a.sha256, b: p.b.name, b_sha256: p.b.sha256, shared_tensors: p.sharedTensors, a_tensors: p.aTensors, b_tensors: p.bTensors }));
  const diffRows = (data.diffs ?? []).flatMap((d) => [
    ...d.apps.added.map((p) => ({ a: d.a, b: d.b, package: p, change: 'added', models_added: '', models_removed: '', models_kept: '' })),
    ...d.apps.removed.map((p) => ({ a: d.a, b: d.b, package: p, change: 'removed', models_added: '', models_removed: '', models_kept: '' })),
    ...d.apps.updated.map((u) => ({ a: d.a, b: d.b, package: u.package, change: 'updated', models_added: u.modelsAdded.map((m) => m.path).join(';'), models_removed: u.modelsRemoved.map((m) => m.path).join(';'), models_kept: u.modelsKept.map((m) => m.path).join(';') })),
    ...d.apps.kept.map((p) => ({ a: d.a, b: d.b, package: p, change: 'kept', models_added: '', models_removed: '', models_kept: '' })),
  ]);
  const campaigns = campaignSpread(data).flatMap((r) => r.medians.map((m) => ({ key: r.key, campaign: m.campaign, median_ms: m.median, spread_pct: r.spreadPct })));
  const samples = [...data.measurements].sort((a, b) => a.jobId - b.jobId).flatMap((j) => j.samplesMs.map((ms, index) => ({ job_id: j.jobId, model: j.model, device: j.device, backend: j.backend, threads: j.threads, index, ms })));
  const devices = data.devices.map((d) => ({ id: d.id, kind: d.kind, info: d.info }));
  return [
    { name: 'models', csv: modelsCsv(data), json: data.models },
    { name: 'apps', csv: appsCsv(data), json: data.apps },
    { name: 'measurements', csv: measurementsCsv(data), json: data.measurements.map(({ samplesMs: _s, ...rest }) => rest) },
    { name: 'samples', csv: samplesCsv(data), json: samples },
    { name: 'devices', csv: rowsToCsv(devices), json: devices },
    { name: 'lineage', csv: rowsToCsv(lineage), json: { pairs: data.lineage ?? [] } },
    { name: 'snapshots', csv: rowsToCsv(data.snapshots ?? []), json: data.snapshots ?? [] },
    { name: 'diff', csv: rowsToCsv(diffRows), json: data.diffs ?? [] },
    { name: 'energy', csv: rowsToCsv((data.energy ?? []) as unknown as Record<string, unknown>[]), json: data.energy ?? [] },
    { name: 'campaigns', csv: rowsToCsv(campaigns), json: campaigns },
  ];
}
