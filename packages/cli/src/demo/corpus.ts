import { buildZip, writeZip, type ZipStreamEntry } from '@gaugenn/core';
import { writeManifest } from '@gaugenn/plugin-android';
import { buildDemoNcnnModel } from '@gaugenn/plugin-ncnn';
import { buildDemoCaffeModel } from '@gaugenn/plugin-caffe';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

/** The npm packages whose real production TFLite models make up the demo corpus. */
export const DEMO_PACKAGES = [
  '@mediapipe/face_detection',
  '@mediapipe/face_mesh',
  '@mediapipe/hands',
  '@mediapipe/pose',
  '@mediapipe/holistic',
  '@mediapipe/selfie_segmentation',
  '@mediapipe/objectron',
];

/** A real, signed Android app with no ML in it: the corpus's negative control. */
const CONTROL_APK = { pkg: 'io.appium.settings', file: 'apks/settings_apk-debug.apk' };

/** The demo's two snapshots, a year apart. */
export const DEMO_SNAPSHOTS = ['2025-06', '2026-06'] as const;

/** App categories, as a store listing would give them. */
const CATEGORIES: Record<string, string> = {
  face_detection: 'photography', face_mesh: 'beauty', hands: 'tools', pose: 'health_and_fitness', holistic: 'health_and_fitness',
  selfie_segmentation: 'video_players', objectron: 'shopping', ncnn_squeezenet: 'education', caffe_mtcnn: 'photography',
};

export interface DemoApp {
  file: string;
  package: string;
  models: string[];
  /** Snapshots the app belongs to. */
  snapshots: string[];
  category: string;
}

/**
 * Which snapshots each app is in. Most apps are the same package file in both (membership per snapshot, one
 * extraction); the Caffe app is removed in the later snapshot, segmentation and objectron are added, and the ncnn
 * app is updated: its later version ships a fine-tuned model (the same backbone, one head tensor retrained).
 */
function snapshotsOf(short: string): string[] {
  if (short === 'caffe_mtcnn') return [DEMO_SNAPSHOTS[0]];
  if (short === 'selfie_segmentation' || short === 'objectron') return [DEMO_SNAPSHOTS[1]];
  return [...DEMO_SNAPSHOTS];
}

/** Sources that list the corpus by snapshot: `common/` belongs to both, each snapshot folder to its own. */
export function demoSources(dir: string): { type: string; path: string; snapshot: string }[] {
  return DEMO_SNAPSHOTS.flatMap((s) => [
    { type: 'dir', path: join(dir, 'common'), snapshot: s },
    { type: 'dir', path: join(dir, s), snapshot: s },
  ]);
}

/** The folder an app's file goes in: `common/` when it is in every snapshot, else its snapshot's. */
function folderOf(dir: string, snapshots: string[]): string {
  return join(dir, snapshots.length === DEMO_SNAPSHOTS.length ? 'common' : snapshots[0]!);
}

/** A fine-tuned copy of a model's weights file: its last fp32 (the classifier head's last bias) changed. */
export function fineTunedWeights(bin: Buffer): Buffer {
  const out = Buffer.from(bin);
  out.writeFloatLE(out.readFloatLE(out.length - 4) + 0.25, out.length - 4);
  return out;
}

function resolvePackageDir(name: string): string | undefined {
  const req = createRequire(import.meta.url);
  try {
    return dirname(req.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/**
 * Build the demo corpus: one APK per `@mediapipe/*` package, laid out as a real app ships models —
 * a binary AndroidManifest.xml, models under assets/ (stored, as aapt leaves .tflite uncompressed, and one
 * deflated), one model inside a nested asset-pack zip, the MediaPipe graph configs beside them, and an
 * APK Signing Block before the central directory. Plus a real no-ML APK as a control when it is installed.
 */
export async function buildDemoCorpus(dir: string): Promise<DemoApp[]> {
  await rm(dir, { recursive: true, force: true });
  for (const d of ['common', ...DEMO_SNAPSHOTS]) await mkdir(join(dir, d), { recursive: true });
  const apps: DemoApp[] = [];
  for (const [i, name] of DEMO_PACKAGES.entries()) {
    const root = resolvePackageDir(name);
    if (!root) continue;
    const short = name.split('/')[1]!;
    const pkg = `com.gaugenn.demo.${short}`;
    const files = (await readdir(root)).sort();
    const models = files.filter((f) => f.endsWith('.tflite'));
    // Emscripten packed-asset blobs hold more models back to back, with no file names: gaugeNN finds them by content.
    const packed = files.filter((f) => f.endsWith('_packed_assets.data'));
    if (models.length === 0 && packed.length === 0) continue;
    const version = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).version as string;
    const entries: ZipStreamEntry[] = [
      { name: 'AndroidManifest.xml', data: writeManifest({ package: pkg, versionCode: 100 + i, versionName: version, minSdk: 24, targetSdk: 34, label: `${short} demo` }), method: 'deflate' },
    ];
    const paths: string[] = [];
    for (const [j, m] of models.entries()) {
      const data = await readFile(join(root, m));
      if (j === 1 && models.length > 2) {
        // A second model goes into a nested asset pack, as Play Asset Delivery and hand-rolled model packs do.
        const inner = await buildZip([{ name: m, data, method: 'store' }]);
        entries.push({ name: 'assets/packs/models.zip', data: inner, method: 'store' });
        paths.push(`assets/packs/models.zip!/${m}`);
      } else {
        entries.push({ name: `assets/${m}`, data, method: j === 2 ? 'deflate' : 'store' });
        paths.push(`assets/${m}`);
      }
    }
    for (const f of files.filter((f) => f.endsWith('.binarypb'))) entries.push({ name: `assets/${f}`, data: await readFile(join(root, f)), method: 'deflate' });
    for (const f of packed) {
      entries.push({ name: `assets/${f}`, data: await readFile(join(root, f)), method: 'store' });
      paths.push(`assets/${f}`);
    }
    const snapshots = snapshotsOf(short);
    const file = join(folderOf(dir, snapshots), `${pkg}.apk`);
    await writeZip(file, entries, { apkSigningBlock: true });
    apps.push({ file, package: pkg, models: paths, snapshots, category: CATEGORIES[short] ?? 'other' });
  }
  // ncnn and Caffe apps: no npm package ships their models, so their plugins write real architectures
  // (SqueezeNet v1.1, MTCNN P-Net) with deterministic pseudo-random weights in the real file layouts.
  // The ncnn app's later version ships a fine-tuned SqueezeNet: the same weights but the head's last bias.
  const squeezenet = await buildDemoNcnnModel();
  // Its retrained head is renamed too, as fine-tuning scripts do; the param file (the model's main file, hence its
  // identity) then differs, while every weight tensor but that one bias keeps its digest.
  const fineTuned = {
    ...squeezenet,
    files: squeezenet.files.map((f) => f.name.endsWith('.bin')
      ? { ...f, data: fineTunedWeights(f.data) }
      : { ...f, data: Buffer.from(f.data.toString('utf8').replace(/\bconv10\b/g, 'conv10_ft'), 'utf8') }),
  };
  const generated = [
    { short: 'ncnn_squeezenet', model: squeezenet, version: '1.0', snapshots: [DEMO_SNAPSHOTS[0]] },
    { short: 'ncnn_squeezenet', model: fineTuned, version: '1.1', snapshots: [DEMO_SNAPSHOTS[1]] },
    { short: 'caffe_mtcnn', model: await buildDemoCaffeModel(), version: '1.0', snapshots: snapshotsOf('caffe_mtcnn') },
  ];
  for (const [i, g] of generated.entries()) {
    const pkg = `com.gaugenn.demo.${g.short}`;
    const model = g.model;
    const entries: ZipStreamEntry[] = [
      { name: 'AndroidManifest.xml', data: writeManifest({ package: pkg, versionCode: 200 + i, versionName: g.version, minSdk: 21, targetSdk: 34, label: model.description }), method: 'deflate' },
      ...model.files.map((f): ZipStreamEntry => ({ name: `assets/${f.name}`, data: f.data, method: 'store' })),
    ];
    const file = join(folderOf(dir, g.snapshots), `${pkg}.apk`);
    await writeZip(file, entries, { apkSigningBlock: true });
    apps.push({ file, package: pkg, models: model.files.map((f) => `assets/${f.name}`), snapshots: g.snapshots, category: CATEGORIES[g.short] ?? 'other' });
  }
  const control = resolvePackageDir(CONTROL_APK.pkg);
  if (control) {
    const file = join(dir, 'common', basename(CONTROL_APK.file).replace('.apk', '') + '.apk');
    await copyFile(join(control, CONTROL_APK.file), file);
    apps.push({ file, package: CONTROL_APK.pkg, models: [], snapshots: [...DEMO_SNAPSHOTS], category: 'tools' });
  }
  return apps;
}
