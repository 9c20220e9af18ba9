import {
  appName, appRecords, energyRecords, jobRecords, lineagePairs, snapshotDiff, snapshotNames, summarise,
  type CodeFinding, type Gauge, type Store,
} from '@gaugenn/core';
import { LABEL_FINDING } from '../characterise/label-files.js';
import { modalityEvidence, taskOf, type LabelFile } from '../characterise/task.js';
import type { ReportData, ReportDiff, ReportMeasurement } from './report-data.js';

const shape = (t: { shape: number[]; dtype: string }) => `${t.shape.join('x')} ${t.dtype}`;
const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '');

/**
 * Read the store into the report's input, through core's store queries. Reports are pure functions of this
 * snapshot (DESIGN.md), so `gaugenn report` re-renders at any time without measuring anything again.
 */
export function readReportData(gauge: Gauge, store: Store, title = 'gaugeNN report', sections: ReportData['sections'] = []): ReportData {
  const models = store.models();
  const byModel = new Map(models.map((m) => [m.sha256, m]));
  const devices = store.devices();
  const kinds = new Map(devices.map((d) => [d.id, d.kind]));
  const apps = appRecords(store);
  const jobs = jobRecords(store);
  const measurements: ReportMeasurement[] = jobs.map((j) => {
    const s = j.samplesMs.length ? summarise(j.samplesMs) : undefined;
    const a = j.aggregate;
    const m = byModel.get(j.model);
    return {
      jobId: j.id, device: j.deviceId, deviceKind: kinds.get(j.deviceId) ?? 'unknown', model: j.model, modelName: m?.firstPath ?? j.model,
      framework: j.framework, backend: j.backend, threads: j.threads, status: j.status, samplesMs: j.samplesMs,
      median: s?.median ?? a?.median ?? undefined, p90: s?.p90, mean: s?.mean ?? a?.mean ?? undefined, std: s?.std ?? a?.std ?? undefined, min: s?.min ?? a?.min ?? undefined,
      engine: j.engine, macs: m?.macs ?? 0,
      error: j.error ? `${j.error.code}: ${j.error.message}` : undefined, tempBeforeC: j.tempBeforeC, tempAfterC: j.tempAfterC,
      campaign: j.campaign, samplesKind: j.samplesKind, aggregate: a, delegation: j.delegation, warnings: j.warnings,
    };
  });
  const jobById = new Map(jobs.map((j) => [j.id, j]));
  const energy = energyRecords(store).flatMap((e) => {
    const j = jobById.get(e.jobId);
    if (!j) return [];
    const macs = byModel.get(j.model)?.macs;
    return [{ ...e, device: j.deviceId, model: j.model, backend: j.backend, macsPerJ: macs && e.perInferenceJ ? macs / e.perInferenceJ : undefined }];
  });
  // Label files in the same folder as a model occurrence are evidence of its task.
  const labels = new Map<string, LabelFile[]>();
  for (const a of apps) {
    const files = a.codeFindings.filter((f) => f.id === LABEL_FINDING).map((f) => ({ path: f.path, count: Number(/^(\d+)/.exec(f.evidence)?.[1] ?? 0) }));
    if (!files.length) continue;
    for (const m of a.models) {
      const near = files.filter((f) => dirOf(f.path) === dirOf(m.path));
      if (near.length) labels.set(m.sha256, [...(labels.get(m.sha256) ?? []), ...near]);
    }
  }
  // A model's app count is of distinct apps (by package), so an app seen in two snapshots counts once.
  const shippedBy = new Map<string, Set<string>>();
  for (const a of apps) for (const m of a.models) shippedBy.set(m.sha256, (shippedBy.get(m.sha256) ?? new Set()).add(appName(a)));
  const services = new Map(gauge.codeSignatures.filter((c) => c.service).map((c) => [c.id, c.service!]));
  const snaps = snapshotNames(store);
  const diffs: ReportDiff[] = [];
  for (let i = 1; i < snaps.length; i++) diffs.push({ a: snaps[i - 1]!.name, b: snaps[i]!.name, ...snapshotDiff(store, snaps[i - 1]!.name, snaps[i]!.name) });
  return {
    title,
    generatedAt: new Date().toISOString(),
    storePath: store.path,
    apps: apps.map((a) => ({
      id: a.key, file: a.file, package: a.package, versionName: a.versionName, versionCode: a.versionCode,
      frameworks: a.frameworks, models: a.models.length, errors: a.errors,
      // Apps count by what their code calls: a delegate or cloud SDK that only ships inside a library is listed apart.
      ...usedFindings(a.codeFindings, a.cloudApis, services),
      mlLibs: a.nativeLibs.filter((l) => l.framework).map((l) => `${l.name} (${l.framework}, ${l.abi})`),
      suspectedEncrypted: a.suspectedEncrypted.length,
      snapshot: a.snapshot, category: a.category, modelShas: [...new Set(a.models.map((m) => m.sha256))],
    })),
    models: models.map((m) => {
      const inputs = m.inputs ?? [];
      const outputs = m.outputs ?? [];
      const analysed = Boolean(m.analysedAt);
      const mod = modalityEvidence(m.modality ?? 'unknown', inputs, m.metadata);
      const task = analysed ? taskOf(m.modality ?? 'unknown', inputs, outputs, m.metadata, labels.get(m.sha256)) : { value: 'unknown', evidence: ['not analysed'] };
      return {
        sha256: m.sha256, name: m.firstPath, framework: m.framework, apps: shippedBy.get(m.sha256)?.size ?? m.apps, bytes: m.bytes, macs: m.macs ?? 0, flops: m.flops ?? 0,
        params: m.params ?? 0, weightBytes: m.weightBytes ?? 0, layerCount: m.layerCount ?? 0, modality: m.modality ?? 'unknown',
        quantization: m.quantization ?? 'unknown', categories: m.categories ?? {}, categoryMacs: m.categoryMacs ?? {},
        inputs: inputs.map(shape).join(', '), outputs: outputs.map(shape).join(', '), analysed,
        error: m.analysisError ? `${m.analysisError.code}: ${m.analysisError.message}` : undefined,
        modalityEvidence: mod.evidence.join('; '), task: task.value, taskEvidence: task.evidence,
      };
    }),
    measurements,
    devices: devices.map((d) => ({ id: d.id, kind: d.kind, info: d.info as unknown as Record<string, unknown> })),
    sections,
    energy,
    lineage: lineagePairs(store),
    snapshots: snaps.map((s) => ({ name: s.name, apps: s.apps, models: new Set(apps.filter((a) => a.snapshot === s.name).flatMap((a) => a.models.map((m) => m.sha256))).size })),
    diffs,
  };
}

/** Delegates and cloud ML APIs the app's code calls (`use` not `bundled`), and delegates that are only bundled. */
function usedFindings(findings: CodeFinding[], cloud: CodeFinding[], services: Map<string, string>) {
  const called = (f: CodeFinding) => f.use !== 'bundled';
  const ids = (fs: CodeFinding[]) => [...new Set(fs.map((f) => f.id))].sort();
  const delegates = findings.filter((f) => f.kind === 'delegate');
  const calledDelegates = ids(delegates.filter(called));
  return {
    delegates: calledDelegates,
    bundledDelegates: ids(delegates.filter((f) => !called(f))).filter((id) => !calledDelegates.includes(id)),
    cloudApis: [...new Set(cloud.filter(called).map((f) => `${services.get(f.id) ?? f.id} (${f.evidence})`))].sort(),
  };
}
