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

export interface DemoApp {
  file: string;
  package: string;
  models: string[];
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
  await mkdir(dir, { recursive: true });
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
    const file = join(dir, `${pkg}.apk`);
    await writeZip(file, entries, { apkSigningBlock: true });
    apps.push({ file, package: pkg, models: paths });
  }
  // ncnn and Caffe apps: no npm package ships their models, so their plugins write real architectures
  // (SqueezeNet v1.1, MTCNN P-Net) with deterministic pseudo-random weights in the real file layouts.
  const generated = [
    { pkg: 'com.gaugenn.demo.ncnn_squeezenet', build: buildDemoNcnnModel },
    { pkg: 'com.gaugenn.demo.caffe_mtcnn', build: buildDemoCaffeModel },
  ];
  for (const [i, g] of generated.entries()) {
    const model = await g.build();
    const entries: ZipStreamEntry[] = [
      { name: 'AndroidManifest.xml', data: writeManifest({ package: g.pkg, versionCode: 200 + i, versionName: '1.0', minSdk: 21, targetSdk: 34, label: model.description }), method: 'deflate' },
      ...model.files.map((f): ZipStreamEntry => ({ name: `assets/${f.name}`, data: f.data, method: 'store' })),
    ];
    const file = join(dir, `${g.pkg}.apk`);
    await writeZip(file, entries, { apkSigningBlock: true });
    apps.push({ file, package: g.pkg, models: model.files.map((f) => `assets/${f.name}`) });
  }
  const control = resolvePackageDir(CONTROL_APK.pkg);
  if (control) {
    const file = join(dir, basename(CONTROL_APK.file).replace('.apk', '') + '.apk');
    await copyFile(join(control, CONTROL_APK.file), file);
    apps.push({ file, package: CONTROL_APK.pkg, models: [] });
  }
  return apps;
}
