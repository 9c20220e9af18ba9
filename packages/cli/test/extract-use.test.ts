/**
 * Used or bundled: two APKs built by the real toolchain (javac, D8, aapt, zipalign, apksigner) against the official
 * TFLite AARs from Maven Central. One app creates a GpuDelegate, the other an NnApiDelegate; both ship the whole
 * TFLite Java API (so both delegates' classes are in both DEX files). `gaugenn extract --json` must mark exactly
 * the delegate the app's code constructs `use: called`, and the other `use: bundled` (or leave it out).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aar, activity, ARTIFACTS, buildApk, toolchainMissing, type BuiltApk } from '../../../test-support/android-toolchain.js';
import { gaugenn } from './cli.js';

const skip = toolchainMissing();

describe.skipIf(skip)('code findings say whether the app calls them or only bundles them', () => {
  let dir = '';
  let gpu: BuiltApk;
  let nnapi: BuiltApk;
  let example: BuiltApk;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gaugenn-use-'));
    const [lite, api, gpuAar] = await Promise.all([aar(ARTIFACTS.tflite), aar(ARTIFACTS.tfliteApi), aar(ARTIFACTS.tfliteGpu)]);
    const libs = [lite.classesJar, api.classesJar, gpuAar.classesJar];
    const nativeLibs = {
      'lib/arm64-v8a/libtensorflowlite_jni.so': lite.jni.get('jni/arm64-v8a/libtensorflowlite_jni.so')!,
      'lib/arm64-v8a/libtensorflowlite_gpu_jni.so': gpuAar.jni.get('jni/arm64-v8a/libtensorflowlite_gpu_jni.so')!,
    };
    const app = (pkg: string, imports: string[], body: string) =>
      buildApk({ package: pkg, versionCode: 7, versionName: '1.7', minSdk: 24, targetSdk: 34, java: activity(pkg, ['org.tensorflow.lite.Interpreter', ...imports], body), libs, nativeLibs }, dir);
    gpu = await app('com.example.gpu', ['org.tensorflow.lite.gpu.GpuDelegate'], 'System.loadLibrary("tensorflowlite_gpu_jni"); Interpreter.Options o = new Interpreter.Options(); o.addDelegate(new GpuDelegate()); new Interpreter(model, o);');
    // An app whose own package lies inside the library's (TensorFlow's example apps do).
    example = await app('org.tensorflow.lite.examples.gpu', ['org.tensorflow.lite.gpu.GpuDelegate'], 'Interpreter.Options o = new Interpreter.Options(); o.addDelegate(new GpuDelegate()); new Interpreter(model, o);');
    nnapi = await app('com.example.nnapi', ['org.tensorflow.lite.nnapi.NnApiDelegate'], 'Interpreter.Options o = new Interpreter.Options(); o.addDelegate(new NnApiDelegate()); new Interpreter(model, o);');
  }, 600_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const findings = async (apk: string) => {
    const r = await gaugenn(['extract', '--json', '--store', join(dir, 'g.db'), apk]);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { codeFindings: { id: string; use?: string; calledBy?: string; path: string }[]; nativeLibs: { name: string; loadedBy?: string[] }[] }[];
    expect(doc).toHaveLength(1);
    return doc[0]!;
  };
  const useOf = (app: Awaited<ReturnType<typeof findings>>, id: string) => app.codeFindings.find((f) => f.id === id && f.path === 'classes.dex');

  it('the GPU app: GpuDelegate called (from its Activity), NnApiDelegate bundled', async () => {
    const app = await findings(gpu.apk);
    expect(useOf(app, 'tflite.GpuDelegate')).toMatchObject({ use: 'called', calledBy: 'com.example.gpu.Main' });
    const nn = useOf(app, 'tflite.NnApiDelegate');
    if (nn) expect(nn.use).toBe('bundled');
    expect(useOf(app, 'tflite.Interpreter')).toMatchObject({ use: 'called', calledBy: 'com.example.gpu.Main' });
  }, 300_000);

  it('the NNAPI app: NnApiDelegate called, GpuDelegate bundled', async () => {
    const app = await findings(nnapi.apk);
    expect(useOf(app, 'tflite.NnApiDelegate')).toMatchObject({ use: 'called', calledBy: 'com.example.nnapi.Main' });
    const g = useOf(app, 'tflite.GpuDelegate');
    if (g) expect(g.use).toBe('bundled');
  }, 300_000);

  it('an app in the library\'s own package tree (org.tensorflow.lite.examples) still counts as calling', async () => {
    const app = await findings(example.apk);
    expect(useOf(app, 'tflite.GpuDelegate')).toMatchObject({ use: 'called', calledBy: 'org.tensorflow.lite.examples.gpu.Main' });
    const nn = useOf(app, 'tflite.NnApiDelegate');
    if (nn) expect(nn.use).toBe('bundled');
    expect(app.codeFindings.some((f) => f.id.startsWith('android.'))).toBe(false);
  }, 300_000);

  it('native libraries say which classes load them; the TFLite runtime is loaded by TFLite itself, not the app', async () => {
    const app = await findings(gpu.apk);
    const jni = app.nativeLibs.find((l) => l.name === 'libtensorflowlite_jni.so')!;
    expect(jni.loadedBy?.length).toBeGreaterThan(0);
    expect(jni.loadedBy!.every((c) => c.startsWith('org.tensorflow.lite.'))).toBe(true);
    const native = app.codeFindings.filter((f) => f.path === 'lib/arm64-v8a/libtensorflowlite_jni.so');
    expect(native.length).toBeGreaterThan(0);
    for (const f of native) expect(f.use).toBe('bundled');
    // The GPU app loads the GPU delegate's library itself (System.loadLibrary in its Activity).
    const gpuLib = app.nativeLibs.find((l) => l.name === 'libtensorflowlite_gpu_jni.so')!;
    expect(gpuLib.loadedBy).toContain('com.example.gpu.Main');
    const gpuNative = app.codeFindings.filter((f) => f.path === 'lib/arm64-v8a/libtensorflowlite_gpu_jni.so');
    expect(gpuNative.length).toBeGreaterThan(0);
    for (const f of gpuNative) expect(f).toMatchObject({ use: 'called', calledBy: 'com.example.gpu.Main' });
  }, 300_000);
});
