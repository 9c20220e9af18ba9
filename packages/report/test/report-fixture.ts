/**
 * A hand-built ReportData standing for a small campaign: three MobileNets found in three apps (real MAC and
 * parameter counts from the TF-slim MobileNet tables), measured on a Pixel 7 (CPU 1 and 4 threads, GPU) and
 * on an x86 host (CPU 4 threads), plus one model that failed to parse and one failed job.
 */
import type { ReportData, ReportMeasurement, ReportModel } from '../src/index.js';

/** Deterministic noise so the test data, and the figures, are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `n` latency samples around `base` ms: mostly within ±5 %, a few slow outliers (thermal, scheduler). */
export function samplesAround(base: number, n: number, seed: number): number[] {
  const r = lcg(seed);
  return Array.from({ length: n }, () => {
    const jitter = 1 + (r() - 0.5) * 0.1;
    const spike = r() < 0.05 ? 1.3 + r() * 0.4 : 1;
    return Math.round(base * jitter * spike * 1000) / 1000;
  });
}

export const V1_025: ReportModel = {
  sha256: 'a1'.repeat(32),
  name: 'assets/models/mobilenet_v1_0.25_128_quant.tflite',
  framework: 'tflite',
  apps: 2,
  bytes: 479_232,
  macs: 14_000_000,
  flops: 28_900_000,
  params: 470_000,
  weightBytes: 470_000,
  layerCount: 31,
  modality: 'image',
  quantization: 'uint8',
  categories: { conv: 15, depthwise_conv: 13, pooling: 1, reshape: 1, activation: 1 },
  categoryMacs: { conv: 12_900_000, depthwise_conv: 850_000, fully_connected: 0 },
  inputs: '1x128x128x3 uint8',
  analysed: true,
};

export const V1_05: ReportModel = {
  sha256: 'b2'.repeat(32),
  name: 'assets/mobilenet_v1_0.5_160.tflite',
  framework: 'tflite',
  apps: 1,
  bytes: 5_308_416,
  macs: 77_000_000,
  flops: 155_500_000,
  params: 1_320_000,
  weightBytes: 5_280_000,
  layerCount: 31,
  modality: 'image',
  quantization: 'fp32',
  categories: { conv: 15, depthwise_conv: 13, pooling: 1, reshape: 1, activation: 1 },
  categoryMacs: { conv: 73_100_000, depthwise_conv: 3_900_000 },
  inputs: '1x160x160x3 float32',
  analysed: true,
};

export const V2_10: ReportModel = {
  sha256: 'c3'.repeat(32),
  name: 'res/raw/mobilenet_v2_1.0_224.tflite',
  framework: 'tflite',
  apps: 1,
  bytes: 13_978_596,
  macs: 300_000_000,
  flops: 607_000_000,
  params: 3_470_000,
  weightBytes: 13_880_000,
  layerCount: 66,
  modality: 'image',
  quantization: 'fp32',
  categories: { conv: 36, depthwise_conv: 17, elementwise: 10, pooling: 1, reshape: 1, activation: 1 },
  categoryMacs: { conv: 280_000_000, depthwise_conv: 18_700_000, fully_connected: 1_300_000 },
  inputs: '1x224x224x3 float32',
  analysed: true,
};

export const BROKEN: ReportModel = {
  sha256: 'd4'.repeat(32),
  name: 'assets/face_landmark.bin',
  framework: 'ncnn',
  apps: 1,
  bytes: 1_200_000,
  macs: 0,
  flops: 0,
  params: 0,
  weightBytes: 0,
  layerCount: 0,
  modality: 'unknown',
  quantization: 'unknown',
  categories: {},
  categoryMacs: {},
  inputs: '',
  analysed: false,
  error: 'E_PARSE_NCNN: .param file missing for .bin',
};

const MODELS = [V1_025, V1_05, V2_10];

/** (model, device, backend, threads, median ms) of the campaign; latencies in line with published Pixel numbers. */
const JOBS: [ReportModel, string, string, number, number][] = [
  [V1_025, 'pixel7', 'cpu', 1, 2.1],
  [V1_025, 'pixel7', 'cpu', 4, 0.9],
  [V1_025, 'pixel7', 'gpu', 1, 1.6],
  [V1_05, 'pixel7', 'cpu', 1, 9.8],
  [V1_05, 'pixel7', 'cpu', 4, 3.4],
  [V1_05, 'pixel7', 'gpu', 1, 2.9],
  [V2_10, 'pixel7', 'cpu', 1, 36.5],
  [V2_10, 'pixel7', 'cpu', 4, 11.8],
  [V2_10, 'pixel7', 'gpu', 1, 6.2],
  [V1_025, 'host', 'cpu', 4, 0.31],
  [V1_05, 'host', 'cpu', 4, 1.4],
  [V2_10, 'host', 'cpu', 4, 4.7],
];

/** A fresh deep copy each call: tests mutate it (hostile names) without touching the shared constants. */
export function campaign(): ReportData {
  return structuredClone(buildCampaign());
}

function buildCampaign(): ReportData {
  const measurements: ReportMeasurement[] = JOBS.map(([m, device, backend, threads, base], i) => ({
    jobId: i + 1,
    device,
    deviceKind: device === 'host' ? 'host' : 'adb',
    model: m.sha256,
    modelName: m.name,
    framework: m.framework,
    backend,
    threads,
    status: 'done',
    samplesMs: samplesAround(base, 50, i + 7),
    engine: device === 'host' ? 'ai-edge-litert 2.3.0' : 'tflite benchmark_model 2.17',
    macs: m.macs,
    tempBeforeC: 33 + (i % 3),
    tempAfterC: 36.5 + (i % 4),
  }));
  measurements.push(
    {
      jobId: 13, device: 'pixel7', deviceKind: 'adb', model: V2_10.sha256, modelName: V2_10.name, framework: 'tflite',
      backend: 'nnapi', threads: 1, status: 'failed', samplesMs: [], macs: V2_10.macs,
      error: 'E_RUNNER_EXIT: benchmark_model exited 134: NNAPI delegate failed to prepare', tempBeforeC: 34.1,
    },
    {
      jobId: 14, device: 'host', deviceKind: 'host', model: V2_10.sha256, modelName: V2_10.name, framework: 'tflite',
      backend: 'cpu', threads: 1, status: 'pending', samplesMs: [], macs: V2_10.macs,
    },
  );
  return {
    title: 'gaugeNN report — test campaign',
    generatedAt: '2025-06-01T12:00:00.000Z',
    storePath: '/data/study/gaugenn.db',
    apps: [
      { id: 'app1', file: 'apks/com.example.scanner-412.apk', package: 'com.example.scanner', versionName: '4.1.2', versionCode: 412, frameworks: ['tflite'], models: 2, errors: [] },
      { id: 'app2', file: 'apks/org.photo.magic.apk', package: 'org.photo.magic', versionName: '2.0', versionCode: 20, frameworks: ['tflite', 'ncnn'], models: 3, errors: [
        { code: 'E_PARSE_NCNN', message: '.param file missing for .bin', subject: 'assets/face_landmark.bin' },
        { code: 'E_ZIP_ENTRY', message: 'entry assets/x.so: bad CRC' },
        { code: 'E_ZIP_ENTRY', message: 'entry assets/y.so: bad CRC' },
      ] },
      { id: 'app3', file: 'apks/com.fit.coach.xapk', package: 'com.fit.coach', frameworks: ['tflite'], models: 1, errors: [] },
    ],
    models: [...MODELS, BROKEN],
    measurements,
    devices: [
      { id: 'pixel7', kind: 'adb', info: { model: 'Pixel 7', soc: 'Google Tensor G2', cpu: { cores: 8, maxFreqsMHz: [1803, 1803, 1803, 1803, 2348, 2348, 2850, 2850] }, gpu: 'Mali-G710', ramBytes: 8 * 2 ** 30, os: 'Android 14 (API 34)', abi: 'arm64-v8a' } },
      { id: 'host', kind: 'host', info: { model: 'x86 workstation', cpu: { cores: 16, name: 'AMD Ryzen 9 7950X' }, ramBytes: 64 * 2 ** 30, os: 'Linux 6.8', abi: 'x86_64' } },
    ],
    sections: [{ id: 'energy', title: 'Energy (plugin)', html: '<p class="plugin-note">Energy was not measured in this campaign.</p>' }],
  };
}

/**
 * The campaign plus everything the study figures read: app categories and cloud APIs, two snapshots and their
 * diff, backend truth and warnings on the GPU jobs, an aggregate-only job, a second campaign re-measuring the
 * Pixel CPU jobs, energy for the Pixel jobs, and lineage pairs. Every figure has data.
 */
export function studyCampaign(): ReportData {
  const d = campaign();
  const [a1, a2, a3] = d.apps as [ReportData['apps'][number], ReportData['apps'][number], ReportData['apps'][number]];
  Object.assign(a1, { snapshot: '2024-06', category: 'productivity', delegates: ['tflite.GpuDelegate'], cloudApis: ['Google Cloud Vision (com.google.cloud.vision.v1.ImageAnnotatorClient)'] });
  Object.assign(a2, { snapshot: '2024-06', category: 'photography' });
  Object.assign(a3, { snapshot: '2025-06', category: 'health_and_fitness', delegates: ['tflite.NnApiDelegate'] });
  d.apps.push({ ...structuredClone(a1), id: 'app1b', snapshot: '2025-06', versionName: '4.2.0', versionCode: 420 });
  for (const j of d.measurements) {
    j.campaign = 'spring';
    if (j.backend === 'gpu') {
      const partial = j.jobId === 6;
      j.delegation = { delegate: 'TfLiteGpuDelegateV2', applied: true, nodesDelegated: partial ? 58 : 64, nodesTotal: 64, partitions: partial ? 2 : 1 };
      if (partial) j.warnings = [{ code: 'DELEGATE_PARTIAL', message: '58 of 64 nodes ran on the GPU delegate; 6 fell back to the CPU' }];
    }
  }
  const nnapi = d.measurements.find((j) => j.backend === 'nnapi')!;
  nnapi.delegation = { delegate: 'NNAPI', applied: false, nodesDelegated: 0, nodesTotal: 64, partitions: 0 };
  nnapi.warnings = [{ code: 'DELEGATE_NOT_APPLIED', message: 'NNAPI delegate failed to prepare' }];
  // An aggregate-only job: the runtime printed summary statistics, no samples.
  d.measurements.push({
    jobId: 15, device: 'pixel7', deviceKind: 'adb', model: V2_10.sha256, modelName: V2_10.name, framework: 'tflite', backend: 'cpu', threads: 2,
    status: 'done', samplesMs: [], macs: V2_10.macs, engine: 'tflite benchmark_model 2.17', campaign: 'spring', samplesKind: 'aggregate',
    aggregate: { count: 50, mean: 20.4, std: 0.8, min: 19.1, max: 23.9, median: 20.2, p5: 19.4, p95: 21.9 },
  });
  // A second campaign re-measures the Pixel CPU jobs, a few percent slower.
  let id = 100;
  for (const j of d.measurements.filter((m) => m.device === 'pixel7' && m.backend === 'cpu' && m.status === 'done' && m.samplesMs.length)) {
    d.measurements.push({ ...structuredClone(j), jobId: id++, campaign: 'autumn', samplesMs: j.samplesMs.map((x) => Math.round(x * 1.04 * 1000) / 1000) });
  }
  d.energy = d.measurements
    .filter((j) => j.device === 'pixel7' && j.status === 'done' && j.campaign === 'spring')
    .map((j, i) => {
      const perInferenceJ = 0.002 + (j.macs / 1e9) * 0.01 + i * 1e-4;
      return { jobId: j.jobId, device: j.device, model: j.model, backend: j.backend, meter: 'monsoon', perInferenceJ, powerW: 1.2 + i * 0.05, idleW: 0.6, macsPerJ: j.macs / perInferenceJ };
    });
  d.lineage = [
    { a: { name: `com.example.scanner!/${V1_025.name}`, sha256: V1_025.sha256 }, b: { name: `org.photo.magic!/${V1_025.name}`, sha256: V1_025.sha256 }, sharedTensors: 14, aTensors: 14, bTensors: 14, relation: 'identical' },
    { a: { name: `com.example.scanner!/${V1_05.name}`, sha256: V1_05.sha256 }, b: { name: `org.photo.magic!/assets/ft.tflite`, sha256: 'f7'.repeat(32) }, sharedTensors: 13, aTensors: 14, bTensors: 14, relation: 'fine-tuned' },
    { a: { name: `com.example.scanner!/${V1_05.name}`, sha256: V1_05.sha256 }, b: { name: `com.fit.coach!/${V2_10.name}`, sha256: V2_10.sha256 }, sharedTensors: 3, aTensors: 14, bTensors: 52, relation: 'related' },
  ];
  d.snapshots = [{ name: '2024-06', apps: 2, models: 3 }, { name: '2025-06', apps: 2, models: 3 }];
  d.diffs = [{
    a: '2024-06', b: '2025-06',
    apps: {
      added: ['com.fit.coach'], removed: ['org.photo.magic'], kept: [],
      updated: [{ package: 'com.example.scanner', modelsAdded: [{ sha256: V2_10.sha256, path: V2_10.name }], modelsRemoved: [], modelsKept: [{ sha256: V1_025.sha256, path: V1_025.name }] }],
    },
    totals: { appsA: 2, appsB: 2, added: 1, removed: 1, updated: 1, kept: 0, modelsA: 3, modelsB: 3, modelsAdded: 1, modelsRemoved: 1, modelsKept: 2 },
  }];
  return d;
}

export function emptyData(): ReportData {
  return { title: 'empty', generatedAt: '2025-06-01T12:00:00.000Z', storePath: './gaugenn.db', apps: [], models: [], measurements: [], devices: [], sections: [] };
}

/** An independent RFC 4180 parser, so the test does not trust the writer's own idea of CSV. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/** CSV text → objects keyed by header. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}
