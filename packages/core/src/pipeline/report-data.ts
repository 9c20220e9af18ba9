import type { Gauge } from '../gauge.js';
import type { CodeFinding, NativeLib } from '../extract/types.js';
import type { ReportData, ReportMeasurement } from '../report/report-data.js';
import { summarise } from '../report/stats.js';
import type { Store } from '../store/store.js';

const shape = (t: { shape: number[]; dtype: string }) => `${t.shape.join('x')} ${t.dtype}`;

/** Delegates, cloud APIs and ML native libraries of one stored app row, for the apps table. */
function appFindings(a: { code_findings: string; cloud_apis: string; native_libs: string; suspected_encrypted: string }, services: Map<string, string>) {
  const findings = JSON.parse(a.code_findings) as CodeFinding[];
  const libs = JSON.parse(a.native_libs) as NativeLib[];
  // Apps count by what their code calls: a delegate or cloud SDK that only ships inside a library is listed apart.
  const called = (f: CodeFinding) => f.use !== 'bundled';
  const ids = (fs: CodeFinding[]) => [...new Set(fs.map((f) => f.id))].sort();
  const delegates = findings.filter((f) => f.kind === 'delegate');
  const cloud = JSON.parse(a.cloud_apis) as CodeFinding[];
  const calledDelegates = ids(delegates.filter(called));
  return {
    delegates: calledDelegates,
    bundledDelegates: ids(delegates.filter((f) => !called(f))).filter((id) => !calledDelegates.includes(id)),
    cloudApis: [...new Set(cloud.filter(called).map((f) => `${services.get(f.id) ?? f.id} (${f.evidence})`))].sort(),
    mlLibs: libs.filter((l) => l.framework).map((l) => `${l.name} (${l.framework}, ${l.abi})`),
    suspectedEncrypted: (JSON.parse(a.suspected_encrypted) as unknown[]).length,
  };
}

/**
 * Read the store into the report's input. Reports are pure functions of this snapshot (DESIGN.md), so
 * `gaugenn report` re-renders at any time without measuring anything again. Report plugins add sections.
 */
export async function readReportData(gauge: Gauge, store: Store, outDir: string, title = 'gaugeNN report'): Promise<ReportData> {
  const models = store.models();
  const byModel = new Map(models.map((m) => [m.sha256, m]));
  const devices = store.devices();
  const kinds = new Map(devices.map((d) => [d.id, d.kind]));
  const measurements: ReportMeasurement[] = store.jobs().map((j) => {
    const samplesMs = j.status === 'done' ? store.samples(j.id) : [];
    const s = samplesMs.length ? summarise(samplesMs) : undefined;
    const m = byModel.get(j.model);
    return {
      jobId: j.id, device: j.deviceId, deviceKind: kinds.get(j.deviceId) ?? 'unknown', model: j.model, modelName: m?.firstPath ?? j.model,
      framework: j.framework, backend: j.backend, threads: j.threads, status: j.status, samplesMs,
      median: s?.median, p90: s?.p90, mean: s?.mean, std: s?.std, min: s?.min, engine: j.engine, macs: m?.macs ?? 0,
      error: j.error ? `${j.error.code}: ${j.error.message}` : undefined, tempBeforeC: j.tempBeforeC, tempAfterC: j.tempAfterC,
    };
  });
  // Cloud findings name their service through the catalogue the plugins contributed.
  const services = new Map(gauge.codeSignatures.filter((c) => c.service).map((c) => [c.id, c.service!]));
  const sections: ReportData['sections'] = [];
  await gauge.hooks.report.promise({ storePath: store.path, outDir, addSection: (s) => sections.push(s) });
  return {
    title,
    generatedAt: new Date().toISOString(),
    storePath: store.path,
    apps: store.apps().map((a: any) => ({
      id: a.app_key, file: a.file, package: a.package ?? undefined, versionName: a.version_name ?? undefined, versionCode: a.version_code ?? undefined,
      frameworks: JSON.parse(a.frameworks), models: (store.db.prepare('SELECT COUNT(*) n FROM occurrences WHERE app_id = ?').get(a.id) as { n: number }).n,
      errors: JSON.parse(a.errors),
      ...appFindings(a, services),
    })),
    models: models.map((m) => ({
      sha256: m.sha256, name: m.firstPath, framework: m.framework, apps: m.apps, bytes: m.bytes, macs: m.macs ?? 0, flops: m.flops ?? 0,
      params: m.params ?? 0, weightBytes: m.weightBytes ?? 0, layerCount: m.layerCount ?? 0, modality: m.modality ?? 'unknown',
      quantization: m.quantization ?? 'unknown', categories: m.categories ?? {}, categoryMacs: m.categoryMacs ?? {},
      inputs: (m.inputs ?? []).map(shape).join(', '), analysed: Boolean(m.analysedAt),
      error: m.analysisError ? `${m.analysisError.code}: ${m.analysisError.message}` : undefined,
    })),
    measurements,
    devices: devices.map((d) => ({ id: d.id, kind: d.kind, info: d.info as unknown as Record<string, unknown> })),
    sections,
  };
}
