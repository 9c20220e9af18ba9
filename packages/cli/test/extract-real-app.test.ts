import { ZipReader, writeZip } from '@gaugenn/core';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, missing, packageDir } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

const DEX = fixture('android/tflite_app_classes.dex');
const RES = fixture('android/tflite_app_resources.ap_');
const SO = fixture('android/libtensorflowlite_jni.so');
const MODEL = fixture('tflite/mobilenet_v1_0.25_128_quant.tflite');

describe('gaugenn extract + report on an app rebuilt from a real app’s parts', () => {
  it.skipIf(missing(DEX, RES, SO, MODEL))('shows package, model, framework, GPU and NNAPI delegates and the TFLite native library, in JSON and in the report', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-real-app-'));
    // The real app's compiled manifest and resources come out of its .ap_; its DEX and native library go in as built.
    const res = await ZipReader.openFile(RES);
    const manifest = await res.readAll(res.getEntry('AndroidManifest.xml')!, 1 << 20);
    const arsc = await res.readAll(res.getEntry('resources.arsc')!, 16 << 20);
    await res.close();
    const apk = join(cwd, 'nnperf.apk');
    await writeZip(apk, [
      { name: 'AndroidManifest.xml', data: manifest, method: 'deflate' },
      { name: 'resources.arsc', data: arsc, method: 'store' },
      { name: 'classes.dex', data: readFileSync(DEX), method: 'deflate' },
      { name: 'lib/arm64-v8a/libtensorflowlite_jni.so', data: readFileSync(SO), method: 'store' },
      { name: 'assets/mobilenet.tflite', data: readFileSync(MODEL), method: 'store' },
    ], { apkSigningBlock: true });
    const db = join(cwd, 'g.db');
    const r = await gaugenn(['extract', apk, '--store', db, '--json'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const [app] = JSON.parse(r.stdout);
    expect(app.package).toBe('com.example.android.nnPerf');
    expect(app.models.map((m: any) => m.path)).toEqual(['assets/mobilenet.tflite']);
    expect(app.frameworks).toContain('tflite');
    const ids = app.codeFindings.map((f: any) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['tflite.Interpreter', 'tflite.GpuDelegate', 'tflite.NnApiDelegate']));
    expect(app.codeFindings.find((f: any) => f.id === 'tflite.GpuDelegate').evidence).toBe('org.tensorflow.lite.gpu.GpuDelegate');
    expect(app.nativeLibs).toEqual([expect.objectContaining({ name: 'libtensorflowlite_jni.so', abi: 'arm64-v8a', framework: 'tflite' })]);
    expect(app.cloudApis).toEqual([]);
    expect(app.errors).toEqual([]);

    const rep = await gaugenn(['report', '--store', db, '--out', join(cwd, 'report'), '--json'], { cwd });
    expect(rep.exitCode, rep.stderr).toBe(0);
    const html = readFileSync(JSON.parse(rep.stdout).html, 'utf8');
    expect(html).toContain('tflite.GpuDelegate');
    expect(html).toContain('libtensorflowlite_jni.so (tflite, arm64-v8a)');
  });

  it.skipIf(missing() ?? (packageDir('io.appium.settings') ? undefined : 'missing npm package io.appium.settings'))('a real no-ML app reports zero models, frameworks and cloud APIs', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-real-app-'));
    const apk = join(packageDir('io.appium.settings')!, 'apks', 'settings_apk-debug.apk');
    const r = await gaugenn(['extract', apk, '--store', join(cwd, 'g.db'), '--json'], { cwd });
    const [app] = JSON.parse(r.stdout);
    expect(app.package).toBe('io.appium.settings');
    expect(app.models).toEqual([]);
    expect(app.frameworks).toEqual([]);
    expect(app.cloudApis).toEqual([]);
  });
});
