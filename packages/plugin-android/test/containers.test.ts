/**
 * Every container an Android app comes in, built at test time around real models from the @mediapipe npm packages
 * and walked with the real TFLite sniffer and the real manifest scanner:
 * APK; split sets (.apks from bundletool, .xapk, .apkm) reported as one app with the base's package;
 * base + splits + OBBs pulled with adb (the `android` source); OBBs zipped and raw; Play Asset Delivery packs;
 * nested zips and jars; MediaPipe `.task` bundles; models at offsets inside blobs (a native library, a raw OBB).
 * Split manifests are text manifests with a `split` attribute, standing in for aapt2-compiled split manifests
 * (the binary writer here writes base manifests only); the scanner reads both forms.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { buildZip, createGauge, extractApp, writeZip, type AppRef, type ExtractedApp, type ExtractOptions, type Gauge } from '@gaugenn/core';
import tflitePlugin from '@gaugenn/plugin-tflite';
import { manifestScanner, writeManifest } from '../src/index.js';
import { registerAndroidSources } from '../src/source/android-sources.js';
import { missing, packageDir } from '../../../test-support/fixtures.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const PKG = 'com.example.vision';
const selfieDir = packageDir('@mediapipe/selfie_segmentation');
const faceDir = packageDir('@mediapipe/face_detection');

const splitManifest = (split: string) =>
  Buffer.from(`<?xml version="1.0" encoding="utf-8"?>\n<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="${PKG}" split="${split}" android:versionCode="42" android:versionName="split-${split}"/>\n`);
/** An ELF-headed native library that carries a model as a byte array in its data. */
const elfWith = (model: Buffer) => Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\0', 'latin1'), randomBytes(70_000), model, randomBytes(9_000)]);

describe.skipIf(missing(selfieDir ?? '@mediapipe/selfie_segmentation', faceDir ?? '@mediapipe/face_detection'))('Android containers', () => {
  let dir: string;
  let gauge: Gauge;
  let opts: ExtractOptions;
  let m1: Buffer; // assets model of the base
  let m2: Buffer; // asset pack model
  let m3: Buffer; // model inside a native library of a config split
  let m4: Buffer; // OBB model
  let base: Buffer;
  let config: Buffer;
  let pack: Buffer;
  let obbZip: Buffer;

  const run = (files: string[], extra: Partial<AppRef> = {}): Promise<ExtractedApp> => extractApp({ id: files[0]!, files, source: 'test', ...extra }, opts);
  const models = (x: ExtractedApp) => x.models.map((m) => [m.path, m.sha256]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gaugenn-containers-'));
    gauge = await createGauge({ cwd: dir, builtins: [tflitePlugin] });
    registerAndroidSources(gauge);
    // Only the manifest scanner runs here, so native libraries are searched for embedded models on request.
    opts = { sniffers: gauge.sniffers, scanners: [manifestScanner], modelCacheDir: join(dir, 'cache'), workDir: join(dir, 'work'), locate: { searchLibraries: true } };
    m1 = await readFile(join(selfieDir!, 'selfie_segmentation.tflite'));
    m2 = await readFile(join(selfieDir!, 'selfie_segmentation_landscape.tflite'));
    m3 = await readFile(join(faceDir!, 'face_detection_short_range.tflite'));
    m4 = await readFile(join(faceDir!, 'face_detection_full_range_sparse.tflite'));
    const manifest = writeManifest({ package: PKG, versionCode: 42, versionName: '4.2', minSdk: 24, targetSdk: 34, label: 'Vision' });
    base = await buildZip([
      { name: 'AndroidManifest.xml', data: manifest, method: 'deflate' },
      { name: 'classes.dex', data: Buffer.concat([Buffer.from('dex\n035\0'), randomBytes(4000)]), method: 'deflate' },
      { name: 'assets/segmenter.tflite', data: m1, method: 'store' },
    ], { apkSigningBlock: true });
    config = await buildZip([
      { name: 'AndroidManifest.xml', data: splitManifest('config.arm64_v8a'), method: 'deflate' },
      { name: 'lib/arm64-v8a/libvision.so', data: elfWith(m3), method: 'deflate' },
    ]);
    pack = await buildZip([
      { name: 'AndroidManifest.xml', data: splitManifest('models_pack'), method: 'deflate' },
      { name: 'assets/models/landscape.tflite', data: m2, method: 'store' },
    ]);
    obbZip = await buildZip([{ name: 'models/detector.bin', data: m4, method: 'deflate' }]);
  });

  const expectBaseMeta = (x: ExtractedApp) => expect(x.meta).toMatchObject({ package: PKG, versionCode: 42, versionName: '4.2', minSdk: 24, targetSdk: 34 });

  it('APK: the package and the model', async () => {
    const f = join(dir, 'plain.apk');
    await writeFile(f, base);
    const x = await run([f]);
    expect(x.errors).toEqual([]);
    expectBaseMeta(x);
    expect(models(x)).toEqual([['assets/segmenter.tflite', sha(m1)]]);
  });

  it('.apks (bundletool): splits and an asset slice, one app, the base package, a model inside a native library', async () => {
    const f = join(dir, 'vision.apks');
    // The config split comes first, so a split manifest that overwrote the base's would show.
    await writeZip(f, [
      { name: 'toc.pb', data: randomBytes(300), method: 'deflate' },
      { name: 'splits/base-arm64_v8a.apk', data: config, method: 'store' },
      { name: 'splits/base-master.apk', data: base, method: 'store' },
      { name: 'asset-slices/models_pack-master.apk', data: pack, method: 'deflate' },
    ]);
    const x = await run([f]);
    expect(x.errors).toEqual([]);
    expectBaseMeta(x);
    const soModel = x.models.find((m) => m.path.startsWith('splits/base-arm64_v8a.apk!/lib/arm64-v8a/libvision.so@'));
    expect(soModel).toMatchObject({ offset: 8 + 70_000, sha256: sha(m3), bytes: m3.length });
    expect(models(x)).toEqual([
      [`splits/base-arm64_v8a.apk!/lib/arm64-v8a/libvision.so@${8 + 70_000}`, sha(m3)],
      ['splits/base-master.apk!/assets/segmenter.tflite', sha(m1)],
      ['asset-slices/models_pack-master.apk!/assets/models/landscape.tflite', sha(m2)],
    ]);
  });

  it('.xapk: base named by package, config split, an OBB zip inside', async () => {
    const f = join(dir, 'vision.xapk');
    await writeZip(f, [
      { name: 'manifest.json', data: Buffer.from(JSON.stringify({ xapk_version: 2, package_name: PKG, version_code: '42', split_apks: [{ file: `${PKG}.apk`, id: 'base' }, { file: 'config.arm64_v8a.apk', id: 'config.arm64_v8a' }], expansions: [{ file: `Android/obb/${PKG}/main.42.${PKG}.obb`, install_location: 'EXTERNAL_STORAGE', install_path: `Android/obb/${PKG}/main.42.${PKG}.obb` }] })), method: 'deflate' },
      { name: 'config.arm64_v8a.apk', data: config, method: 'store' },
      { name: `${PKG}.apk`, data: base, method: 'store' },
      { name: `Android/obb/${PKG}/main.42.${PKG}.obb`, data: obbZip, method: 'store' },
      { name: 'icon.png', data: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(5000)]), method: 'store' },
    ]);
    const x = await run([f]);
    expect(x.errors).toEqual([]);
    expectBaseMeta(x);
    expect(models(x)).toEqual([
      [`config.arm64_v8a.apk!/lib/arm64-v8a/libvision.so@${8 + 70_000}`, sha(m3)],
      [`${PKG}.apk!/assets/segmenter.tflite`, sha(m1)],
      [`Android/obb/${PKG}/main.42.${PKG}.obb!/models/detector.bin`, sha(m4)],
    ]);
    expect(x.suspectedEncrypted).toEqual([]);
  });

  it('.apkm: base.apk and split_config, one app', async () => {
    const f = join(dir, 'vision.apkm');
    await writeZip(f, [
      { name: 'info.json', data: Buffer.from(JSON.stringify({ pname: PKG, versioncode: 42 })), method: 'deflate' },
      { name: 'base.apk', data: base, method: 'deflate' },
      { name: 'split_config.arm64_v8a.apk', data: config, method: 'deflate' },
    ]);
    const x = await run([f]);
    expect(x.errors).toEqual([]);
    expectBaseMeta(x);
    expect(models(x).map(([p]) => p)).toEqual(['base.apk!/assets/segmenter.tflite', `split_config.arm64_v8a.apk!/lib/arm64-v8a/libvision.so@${8 + 70_000}`]);
  });

  it('adb pull folder: the android source groups base, splits and OBBs (zip and raw) into one app', async () => {
    const d = join(dir, 'pulled', PKG);
    await mkdir(d, { recursive: true });
    await writeFile(join(d, 'base.apk'), base);
    await writeFile(join(d, 'split_config.arm64_v8a.apk'), config);
    await writeFile(join(d, 'split_models_pack.apk'), pack);
    await writeFile(join(d, `main.42.${PKG}.obb`), obbZip);
    // A raw (not zipped) patch OBB: game-engine data with a model at an offset.
    const rawObb = Buffer.concat([randomBytes(100_000), m3, randomBytes(1000)]);
    await writeFile(join(d, `patch.42.${PKG}.obb`), rawObb);
    // An OBB whose package has no APK here is an app of its own.
    await writeFile(join(d, 'main.7.com.other.obb'), obbZip);
    const apps = await gauge.source({ type: 'android', path: join(dir, 'pulled') });
    expect(apps.map((a) => a.files.map((f) => f.slice(d.length + 1)))).toEqual([
      ['base.apk', 'split_config.arm64_v8a.apk', 'split_models_pack.apk', `main.42.${PKG}.obb`, `patch.42.${PKG}.obb`],
      ['main.7.com.other.obb'],
    ]);
    expect(apps.map((a) => a.package)).toEqual([PKG, 'com.other']);
    const x = await extractApp(apps[0]!, opts);
    expect(x.errors).toEqual([]);
    expectBaseMeta(x);
    expect(models(x)).toEqual([
      ['assets/segmenter.tflite', sha(m1)],
      [`split_config.arm64_v8a.apk!/lib/arm64-v8a/libvision.so@${8 + 70_000}`, sha(m3)],
      ['split_models_pack.apk!/assets/models/landscape.tflite', sha(m2)],
      [`main.42.${PKG}.obb!/models/detector.bin`, sha(m4)],
      [`patch.42.${PKG}.obb@100000`, sha(m3)],
    ]);
  });

  it('an APK beside its OBB, matched by the manifest when the file name does not tell', async () => {
    const d = join(dir, 'store-dump');
    await mkdir(d, { recursive: true });
    await writeFile(join(d, 'app-release-123.apk'), base);
    await writeFile(join(d, `main.42.${PKG}.obb`), obbZip);
    const apps = await gauge.source({ type: 'android', path: d });
    expect(apps.map((a) => a.files.length)).toEqual([2]);
  });

  it('MediaPipe .task bundle (a zip of models), loose and inside an APK, and a jar inside an APK', async () => {
    const task = await buildZip([
      { name: 'face_detector.tflite', data: m3, method: 'store' },
      { name: 'segmenter.tflite', data: m1, method: 'store' },
    ]);
    const loose = join(dir, 'face_landmarker.task');
    await writeFile(loose, task);
    const t = await run([loose]);
    expect(models(t)).toEqual([['face_detector.tflite', sha(m3)], ['segmenter.tflite', sha(m1)]]);
    const jar = await buildZip([{ name: 'META-INF/MANIFEST.MF', data: Buffer.from('Manifest-Version: 1.0\n'), method: 'deflate' }, { name: 'org/x/models/m.tflite', data: m2, method: 'deflate' }]);
    const f = join(dir, 'with-task.apk');
    await writeZip(f, [
      { name: 'AndroidManifest.xml', data: writeManifest({ package: 'com.task.app', versionCode: 1, versionName: '1', minSdk: 24, targetSdk: 34 }), method: 'deflate' },
      { name: 'assets/face_landmarker.task', data: task, method: 'store' },
      { name: 'libs/models.jar', data: jar, method: 'deflate' },
    ]);
    const x = await run([f]);
    expect(x.errors).toEqual([]);
    expect(x.meta.package).toBe('com.task.app');
    expect(models(x)).toEqual([
      ['assets/face_landmarker.task!/face_detector.tflite', sha(m3)],
      ['assets/face_landmarker.task!/segmenter.tflite', sha(m1)],
      ['libs/models.jar!/org/x/models/m.tflite', sha(m2)],
    ]);
  });

  it('an encrypted model is a suspect with its reason, never a model', async () => {
    const f = join(dir, 'encrypted.apk');
    await writeZip(f, [
      { name: 'AndroidManifest.xml', data: writeManifest({ package: 'com.secret', versionCode: 1, versionName: '1', minSdk: 24, targetSdk: 34 }), method: 'deflate' },
      { name: 'assets/face.tflite', data: randomBytes(m1.length), method: 'store' }, // stands in for an AES-encrypted model
      { name: 'assets/segmenter.tflite', data: m1, method: 'deflate' },
    ]);
    const x = await run([f]);
    expect(models(x)).toEqual([['assets/segmenter.tflite', sha(m1)]]);
    expect(x.suspectedEncrypted).toHaveLength(1);
    expect(x.suspectedEncrypted[0]).toMatchObject({ path: 'assets/face.tflite', bytes: m1.length });
    expect(x.suspectedEncrypted[0]!.reason).toContain('named like a model, no known magic');
    expect(x.suspectedEncrypted[0]!.entropy).toBeGreaterThan(7.9);
  });
});

/** The ground truth of an emscripten packed-assets blob: its loader script lists every file's start and end. */
function packedFiles(loaderJs: string): { filename: string; start: number; end: number }[] {
  const m = /loadPackage\((\{.*\})\);/.exec(loaderJs);
  return m ? (JSON.parse(m[1]!) as { files: { filename: string; start: number; end: number }[] }).files : [];
}

const MEDIAPIPE = ['face_detection', 'face_mesh', 'hands', 'holistic', 'objectron', 'pose', 'selfie_segmentation'];

describe('@mediapipe packages, each folder scanned as one app (pkgdir source)', () => {
  let gauge: Gauge;
  let cache: string;
  beforeAll(async () => {
    const d = await mkdtemp(join(tmpdir(), 'gaugenn-mediapipe-'));
    cache = join(d, 'cache');
    gauge = await createGauge({ cwd: d, builtins: [tflitePlugin] });
  });

  for (const name of MEDIAPIPE) {
    const root = packageDir(`@mediapipe/${name}`);
    it.skipIf(missing(root ?? `node_modules/@mediapipe/${name}`))(`${name}: every .tflite file and every model inside *_packed_assets.data`, async () => {
      const [app] = await gauge.source({ type: 'pkgdir', path: root! });
      const x = await extractApp(app!, { sniffers: gauge.sniffers, scanners: [], modelCacheDir: cache, workDir: join(cache, '..', 'work') });
      expect(x.errors).toEqual([]);
      const files = (await readdir(root!)).sort();
      // Independently: the .tflite files by name, and the models in the blob by its loader's file table.
      const want = new Map<string, string>();
      for (const f of files.filter((f) => f.endsWith('.tflite'))) want.set(f, sha(await readFile(join(root!, f))));
      let tfl3 = 0;
      for (const data of files.filter((f) => f.endsWith('_packed_assets.data'))) {
        const blob = await readFile(join(root!, data));
        for (let p = blob.indexOf('TFL3'); p >= 0; p = blob.indexOf('TFL3', p + 1)) tfl3++;
        const entries = packedFiles(await readFile(join(root!, data.replace('.data', '_loader.js')), 'utf8')).filter((e) => e.filename.endsWith('.tflite'));
        expect(entries.length).toBe(tfl3);
        for (const e of entries) {
          // A blob that is exactly one model is reported as that file; otherwise each model at its offset.
          const path = entries.length === 1 && e.start === 0 && e.end === blob.length ? data : `${data}@${e.start}`;
          want.set(path, sha(blob.subarray(e.start, e.end)));
        }
      }
      const got = new Map(x.models.map((m) => [m.path, m.sha256]));
      expect(got).toEqual(want);
      expect(x.models.length).toBe(files.filter((f) => f.endsWith('.tflite')).length + tfl3);
      expect(x.suspectedEncrypted).toEqual([]);
      if (name === 'holistic') {
        // The hand landmark model hidden in holistic's blob is the very file the hands package ships.
        const hands = packageDir('@mediapipe/hands');
        if (hands) expect([...got.values()]).toContain(sha(await readFile(join(hands, 'hand_landmark_full.tflite'))));
      }
    });
  }
});
