/**
 * The DEX scanner inside the real extract pipeline: APKs built at test time from a real app's DEX, compiled
 * manifest and native library, extracted by core's walker with the real plugins applied; and the real,
 * ML-free APKs that two appium packages ship, as negative controls.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipReader, createGauge, extractApp, writeZip } from '@gaugenn/core';
import type { CodeFinding, ExtractedApp, Gauge } from '@gaugenn/core';
import tflitePlugin from '@gaugenn/plugin-tflite';
import formatsPlugin from '@gaugenn/plugin-formats';
import androidPlugin from '../src/index.js';
import { DexCode } from '../src/dex/dex-code.js';
import { APP_ACTIVITY, buildDex, desc } from './dex-builder.js';
import { fixture, missing, packageDir } from '../../../test-support/fixtures.js';

const DEX = fixture('android/tflite_app_classes.dex');
const RES = fixture('android/tflite_app_resources.ap_');
const SO = fixture('android/libtensorflowlite_jni.so');
const settingsDir = packageDir('io.appium.settings');
const uia2Dir = packageDir('appium-uiautomator2-server');

let tmp: string;
let gauge: Gauge;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gaugenn-dex-apk-'));
  gauge = await createGauge({ cwd: tmp, builtins: [tflitePlugin, androidPlugin, formatsPlugin] });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Walk the app, then run the extract hook as the pipeline does (plugin-android resolves native-library use there). */
async function extract(apk: string): Promise<ExtractedApp> {
  const x = await extractApp({ id: apk, files: [apk], source: 'files' }, { sniffers: gauge.sniffers, scanners: gauge.scanners, modelCacheDir: join(tmp, 'models'), workDir: join(tmp, 'work') });
  await gauge.hooks.extract.promise(x);
  return x;
}

/** The compiled manifest and resource table out of the real app's `.ap_`. */
async function resources(): Promise<{ name: string; data: Buffer }[]> {
  const zip = await ZipReader.openFile(RES);
  try {
    const out = [];
    for (const e of zip.entries) if (e.name === 'AndroidManifest.xml' || e.name === 'resources.arsc') out.push({ name: e.name, data: await zip.readAll(e, 8 << 20) });
    return out;
  } finally {
    await zip.close();
  }
}

async function buildApk(name: string, dexEntries: { name: string; data: Buffer }[]): Promise<string> {
  const path = join(tmp, name);
  const entries = [...(await resources()), ...dexEntries, { name: 'lib/arm64-v8a/libtensorflowlite_jni.so', data: await readFile(SO) }];
  await writeZip(path, entries.map((e) => ({ ...e, method: 'deflate' as const })), { apkSigningBlock: true });
  return path;
}

const byId = (fs: CodeFinding[]) => Object.fromEntries(fs.map((f) => [f.id, f]));
const ml = (fs: CodeFinding[]) => fs.filter((f) => f.kind === 'framework' || f.kind === 'delegate' || f.kind === 'cloud');

describe('an APK built from the real TFLite app', () => {
  it.skipIf(missing(DEX, RES, SO))('reports the TFLite framework, GPU and NNAPI delegates with their evidence classes', async () => {
    const apk = await buildApk('tflite-app.apk', [{ name: 'classes.dex', data: await readFile(DEX) }]);
    const x = await extract(apk);
    expect(x.errors).toEqual([]);
    expect(x.meta.package).toBeTruthy();
    const f = byId(x.codeFindings);
    expect(f['tflite.Interpreter']).toEqual({ id: 'tflite.Interpreter', kind: 'framework', framework: 'tflite', evidence: 'org.tensorflow.lite.Interpreter', path: 'classes.dex', use: 'called', calledBy: 'com.example.android.nnPerf.ImageClassifier' });
    expect(f['tflite.GpuDelegate']).toEqual({ id: 'tflite.GpuDelegate', kind: 'delegate', framework: 'tflite', evidence: 'org.tensorflow.lite.gpu.GpuDelegate', path: 'classes.dex', use: 'called', calledBy: 'com.example.android.nnPerf.ImageClassifier' });
    expect(f['tflite.NnApiDelegate']).toEqual({ id: 'tflite.NnApiDelegate', kind: 'delegate', framework: 'tflite', evidence: 'org.tensorflow.lite.nnapi.NnApiDelegate', path: 'classes.dex', use: 'called', calledBy: 'com.example.android.nnPerf.ImageClassifier' });
    // The SDK bundled in this DEX has Interpreter.Options.setUseXNNPACK in its method table.
    expect(f['tflite.XnnpackOptions']?.evidence).toBe('org.tensorflow.lite.Interpreter$Options.setUseXNNPACK');
    // Defined in the bundled SDK, never called by the app's code.
    expect(f['tflite.XnnpackOptions']?.use).toBe('bundled');
    expect(f['tflite.SupportLibrary']?.evidence).toMatch(/^org\.tensorflow\.lite\.support\./);
    // Not in this app: no Hexagon, no other runtime, no cloud API.
    expect(f['tflite.HexagonDelegate']).toBeUndefined();
    expect(x.codeFindings.every((c) => c.framework === 'tflite')).toBe(true);
    expect(x.cloudApis).toEqual([]);
    expect(x.frameworks).toContain('tflite');
    // TFLite's own Java code loads its runtime, so the runtime library counts as bundled, not as the app's load.
    expect(x.nativeLibs.find((l) => l.name === 'libtensorflowlite_jni.so')?.loadedBy).toEqual(['org.tensorflow.lite.TensorFlowLite']);
  });

  it.skipIf(missing(DEX, RES, SO))('multidex: each classes*.dex is scanned on its own; a broken one is an error, the rest still reported', async () => {
    // classes.dex stands for the app's own small code; the real DEX as classes2.dex; classes3.dex is cut short.
    const appDex = buildDex({ classes: [APP_ACTIVITY], methods: [{ class: desc('com.example.app.MainActivity'), name: 'onCreate', params: [desc('android.os.Bundle')] }] });
    const real = await readFile(DEX);
    const apk = await buildApk('tflite-multidex.apk', [
      { name: 'classes.dex', data: appDex },
      { name: 'classes2.dex', data: real },
      { name: 'classes3.dex', data: real.subarray(0, 5000) },
    ]);
    const x = await extract(apk);
    expect(byId(x.codeFindings)['tflite.Interpreter']).toMatchObject({ path: 'classes2.dex', evidence: 'org.tensorflow.lite.Interpreter' });
    expect(byId(x.codeFindings)['tflite.GpuDelegate']).toMatchObject({ path: 'classes2.dex' });
    expect(x.codeFindings.filter((c) => c.path === 'classes.dex')).toEqual([]);
    expect(x.errors).toHaveLength(1);
    expect(x.errors[0]).toMatchObject({ code: 'ARCHIVE_CORRUPT', subject: 'classes3.dex' });
    expect(x.errors[0]!.message).toMatch(/^classes3\.dex is malformed: the file is truncated \(5000 of 3054276 bytes\).*other findings of the app are still reported/);
  });
});

/** Every `*.apk` the appium packages ship: real, signed, multidex, no ML. */
async function appiumApks(): Promise<string[]> {
  const out: string[] = [];
  if (settingsDir) out.push(join(settingsDir, 'apks/settings_apk-debug.apk'));
  if (uia2Dir) for (const f of await readdir(join(uia2Dir, 'apks'))) if (f.endsWith('.apk')) out.push(join(uia2Dir, 'apks', f));
  return out;
}

async function countClasses(apk: string): Promise<{ dexFiles: number; classes: number }> {
  const zip = await ZipReader.openFile(apk);
  try {
    let dexFiles = 0;
    let classes = 0;
    for (const e of zip.entries) {
      if (!/^classes\d*\.dex$/.test(e.name)) continue;
      dexFiles++;
      classes += DexCode.read(await zip.readAll(e, 64 << 20), e.name).classes.length;
    }
    return { dexFiles, classes };
  } finally {
    await zip.close();
  }
}

describe('negative controls: the APKs appium ships', () => {
  const noAppium = !settingsDir || !uia2Dir ? missing(join(settingsDir ?? 'node_modules/io.appium.settings', 'apks'), join(uia2Dir ?? 'node_modules/appium-uiautomator2-server', 'apks')) : undefined;
  it.skipIf(noAppium)('report zero ML frameworks and zero cloud APIs, though their DEX files hold thousands of classes', async () => {
    const apks = await appiumApks();
    expect(apks.length).toBeGreaterThanOrEqual(3);
    let total = 0;
    for (const apk of apks) {
      const { dexFiles, classes } = await countClasses(apk);
      const x = await extract(apk);
      expect(x.errors.filter((e) => e.plugin === 'android'), apk).toEqual([]);
      expect(ml(x.codeFindings), apk).toEqual([]);
      expect(x.cloudApis, apk).toEqual([]);
      expect(x.frameworks, apk).toEqual([]);
      expect(dexFiles, apk).toBeGreaterThanOrEqual(4);
      total += classes;
      if (apk.endsWith('settings_apk-debug.apk') || apk.endsWith('v10.6.6.apk')) expect(classes, apk).toBeGreaterThan(1000);
    }
    expect(total).toBeGreaterThan(10_000);
  });
});
