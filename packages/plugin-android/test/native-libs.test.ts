import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipReader, buildZip, createGauge, extractApp, writeZip, type ExtractedApp, type Gauge, type NativeLibSignature } from '@gaugenn/core';
import tflitePlugin from '@gaugenn/plugin-tflite';
import formatsPlugin from '@gaugenn/plugin-formats';
import snpePlugin from '@gaugenn/plugin-snpe';
import ncnnPlugin from '@gaugenn/plugin-ncnn';
import caffePlugin from '@gaugenn/plugin-caffe';
import androidPlugin from '../src/index.js';
import { readElf } from '../src/elf/elf-reader.js';
import { readElfRanges } from '../src/elf/elf-ranges.js';
import { NATIVE_LIB_MAX_BYTES, compileSignatures, fingerprintNativeLib, nativeLibScanner } from '../src/scan/native-lib-scanner.js';
import { fixture, missing, packageDir } from '../../../test-support/fixtures.js';
import { buildElf } from './native-elf-builder.js';

const realLib = fixture('android/libtensorflowlite_jni.so');
const realDex = fixture('android/tflite_app_classes.dex');
const realRes = fixture('android/tflite_app_resources.ap_');

let tmp: string;
let gauge: Gauge;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gaugenn-native-'));
  gauge = await createGauge({ cwd: tmp, builtins: [tflitePlugin, androidPlugin, formatsPlugin, ncnnPlugin, caffePlugin, snpePlugin] });
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function extract(files: string[]): Promise<ExtractedApp> {
  return extractApp({ id: files[0]!, files, source: 'files' }, { sniffers: gauge.sniffers, scanners: gauge.scanners, modelCacheDir: join(tmp, 'cache'), workDir: join(tmp, 'work') });
}

function fingerprint(name: string, data: Buffer, sigs: readonly NativeLibSignature[] = gauge.nativeLibSignatures) {
  return fingerprintNativeLib(name, data, data[0] === 0x7f ? readElf(data) : undefined, compileSignatures(sigs));
}

describe('native-lib scanner: what it reads', () => {
  it('wants lib/<abi>/*.so at the top and inside nested or split APKs, nothing else', () => {
    const s = nativeLibScanner(gauge);
    expect(s.wants('lib/arm64-v8a/libfoo.so', 10)).toBe(true);
    expect(s.wants('split_config.arm64_v8a.apk!/lib/arm64-v8a/libfoo.so', 10)).toBe(true);
    expect(s.wants('assets/x.apk!/lib/x86/libbar.so', 10)).toBe(true);
    expect(s.wants('assets/lib/arm64-v8a/libfoo.so', 10)).toBe(false);
    expect(s.wants('lib/arm64-v8a/sub/libfoo.so', 10)).toBe(false);
    expect(s.wants('lib/arm64-v8a/libfoo.so.1', 10)).toBe(false);
    expect(s.wants('classes.dex', 10)).toBe(false);
    // Runtimes reach 100+ MB; the scanner reads them whole for their symbol tables.
    expect(s.maxBytes).toBe(NATIVE_LIB_MAX_BYTES);
    expect(NATIVE_LIB_MAX_BYTES).toBe(256 * 1024 * 1024);
  });

  it('every plugin contributes its signatures, and each compiles', () => {
    const frameworks = new Set(gauge.nativeLibSignatures.map((s) => s.framework));
    for (const fw of ['tflite', 'ncnn', 'caffe', 'snpe', 'qnn', 'onnxruntime', 'pytorch', 'executorch', 'mnn', 'paddle-lite', 'mediapipe', 'tensorflow', 'opencv-dnn']) {
      expect(frameworks, fw).toContain(fw);
    }
    expect(() => compileSignatures(gauge.nativeLibSignatures)).not.toThrow();
    expect(() => compileSignatures([{ id: 'bad', framework: 'x', names: ['(['] }])).toThrow(/signature bad has an invalid name pattern/);
  });
});

describe('native-lib fingerprints', () => {
  it.skipIf(missing(realLib))('the real TFLite library under any name is TFLite, by its exported symbols', () => {
    const data = readFileSync(realLib);
    for (const name of ['libtensorflowlite_jni.so', 'libfoo.so']) {
      const fp = fingerprint(name, data);
      expect(fp.framework).toBe('tflite');
      const rt = fp.matches.find((m) => m.signature.id === 'tflite.runtime')!;
      expect(rt.evidence).toBe('symbol TfLiteInterpreterCreate');
      expect(rt.strength).toBe(4);
      // Its NNAPI delegate JNI binding is in there too.
      expect(fp.matches.find((m) => m.signature.id === 'tflite.nnapi-delegate')?.kind).toBe('delegate');
    }
    // By name only (the bytes of another file), it is still recognised, more weakly.
    const byName = fingerprint('libtensorflowlite_jni.so', Buffer.from('not an ELF'));
    expect(byName.framework).toBe('tflite');
    expect(byName.matches.map((m) => m.evidence)).toEqual(['name libtensorflowlite_jni.so']);
  });

  it('finds a statically linked runtime by strings, and lets a stronger signature decide', () => {
    // Stands for an app's JNI library that links ncnn statically with hidden symbols.
    const ncnnInside = buildElf({ bits: 64, machine: 183, exported: ['Java_com_example_Det_run'], rodata: ['param is too old, please regenerate'] });
    const fp = fingerprint('libdetector.so', ncnnInside);
    expect(fp.framework).toBe('ncnn');
    expect(fp.matches[0]!.evidence).toBe('string "param is too old, please regenerate"');
    // Stands for MediaPipe's library: its own name and symbols, with TFLite's sources inside.
    const mp = buildElf({ bits: 64, machine: 183, exported: ['Java_com_google_mediapipe_framework_Graph_nativeCreateGraph'], rodata: ['./tensorflow/lite/core/subgraph.h'] });
    const mfp = fingerprint('libmediapipe_tasks_vision_jni.so', mp);
    expect(mfp.framework).toBe('mediapipe');
    expect(mfp.matches.map((m) => m.signature.framework).sort()).toEqual(['mediapipe', 'tflite']);
  });

  it('imports alone never make a library a runtime', () => {
    // Stands for an app library that calls ONNX Runtime and NNAPI from other libraries.
    const user = buildElf({ bits: 64, machine: 183, imported: ['OrtGetApiBase', 'ANeuralNetworksModel_create'], needed: ['libonnxruntime.so', 'libneuralnetworks.so'] });
    const fp = fingerprint('libapp.so', user);
    expect(fp.framework).toBeUndefined();
    expect(fp.matches.map((m) => [m.signature.id, m.evidence, m.strength])).toEqual([
      ['onnxruntime.runtime', 'imported symbol OrtGetApiBase', 1],
      ['nnapi.delegate', 'imported symbol ANeuralNetworksModel_create', 1],
    ]);
  });

  it('a plain library matches nothing', () => {
    const plain = buildElf({ bits: 32, machine: 40, exported: ['Java_com_example_Native_add', 'add'], imported: ['malloc', 'free'], needed: ['libc.so'], rodata: ['Hello from JNI'] });
    expect(fingerprint('libnative-lib.so', plain)).toEqual({ framework: undefined, matches: [] });
  });
});

describe('native-lib scanner through the walker', () => {
  let apk: string;
  let app: ExtractedApp;
  const broken = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(100, 0xee)]);
  const plainX86 = buildElf({ bits: 64, machine: 62, exported: ['Java_com_example_Native_add'], needed: ['libc.so'] });
  const armInX86Dir = buildElf({ bits: 32, machine: 40, exported: ['f'] });

  beforeAll(async () => {
    if (missing(realLib, realDex, realRes)) return;
    const lib = readFileSync(realLib);
    // The real app's compiled manifest, taken from its resources archive with core's reader.
    const res = await ZipReader.openFile(realRes);
    const manifest = await res.readAll(res.entries.find((e) => e.name === 'AndroidManifest.xml')!, 1 << 20);
    await res.close();
    // A config split nested as an asset, standing for split APKs delivered inside an APK.
    const split = await buildZip([{ name: 'lib/x86_64/libplain.so', data: plainX86, method: 'deflate' }]);
    apk = join(tmp, 'tflite-app.apk');
    await writeZip(apk, [
      { name: 'AndroidManifest.xml', data: manifest, method: 'deflate' },
      { name: 'classes.dex', data: readFileSync(realDex), method: 'deflate' },
      { name: 'lib/arm64-v8a/libtensorflowlite_jni.so', data: lib, method: 'deflate' },
      { name: 'lib/arm64-v8a/libfoo.so', data: lib, method: 'store' },
      { name: 'lib/arm64-v8a/libbroken.so', data: broken, method: 'deflate' },
      { name: 'lib/x86/libwrongabi.so', data: armInX86Dir, method: 'deflate' },
      { name: 'assets/split_config.x86_64.apk', data: split, method: 'store' },
    ]);
    app = await extract([apk]);
  });

  it.skipIf(missing(realLib, realDex, realRes))('reports every .so with ABI and size; TFLite ones by name and by symbols', () => {
    const lib = readFileSync(realLib);
    const byPath = new Map(app.nativeLibs.map((l) => [l.path, l]));
    expect([...byPath.keys()].sort()).toEqual([
      'assets/split_config.x86_64.apk!/lib/x86_64/libplain.so',
      'lib/arm64-v8a/libbroken.so',
      'lib/arm64-v8a/libfoo.so',
      'lib/arm64-v8a/libtensorflowlite_jni.so',
      'lib/x86/libwrongabi.so',
    ]);
    for (const p of ['lib/arm64-v8a/libtensorflowlite_jni.so', 'lib/arm64-v8a/libfoo.so']) {
      // No whole-file hash: the walker reads only the library's tables and read-only data (elf-ranges.ts).
      expect(byPath.get(p)).toEqual({ path: p, abi: 'arm64-v8a', name: p.split('/').pop(), bytes: lib.length, framework: 'tflite' });
    }
    expect(byPath.get('assets/split_config.x86_64.apk!/lib/x86_64/libplain.so')).toMatchObject({ abi: 'x86_64', bytes: plainX86.length });
    expect(byPath.get('assets/split_config.x86_64.apk!/lib/x86_64/libplain.so')?.framework).toBeUndefined();
    // The header wins over the folder: an ARM library misplaced under x86.
    expect(byPath.get('lib/x86/libwrongabi.so')?.abi).toBe('armeabi-v7a');
    expect(app.frameworks).toContain('tflite');
  });

  it.skipIf(missing(realLib, realDex, realRes))('adds a finding per matched signature, naming its evidence', () => {
    const foo = app.codeFindings.filter((f) => f.path === 'lib/arm64-v8a/libfoo.so');
    expect(foo).toContainEqual({ id: 'tflite.runtime', kind: 'framework', framework: 'tflite', evidence: 'symbol TfLiteInterpreterCreate', path: 'lib/arm64-v8a/libfoo.so' });
    expect(foo).toContainEqual({
      id: 'tflite.nnapi-delegate',
      kind: 'delegate',
      framework: 'tflite',
      evidence: 'symbol Java_org_tensorflow_lite_nnapi_NnApiDelegate_createDelegate',
      path: 'lib/arm64-v8a/libfoo.so',
    });
  });

  it.skipIf(missing(realLib, realDex, realRes))('a malformed library is listed, costs a typed error, and the walk goes on', () => {
    const b = app.nativeLibs.find((l) => l.name === 'libbroken.so');
    expect(b).toMatchObject({ abi: 'arm64-v8a', bytes: broken.length });
    expect(b?.framework).toBeUndefined();
    const err = app.errors.find((e) => e.subject === 'lib/arm64-v8a/libbroken.so');
    expect(err?.code).toBe('ARCHIVE_CORRUPT');
    expect(err?.message).toMatch(/malformed ELF library.*rest of the app is still scanned/);
    expect(app.errors.filter((e) => e.subject?.endsWith('.so'))).toHaveLength(1);
    // Entries after it were still scanned.
    expect(app.nativeLibs.some((l) => l.name === 'libplain.so')).toBe(true);
  });
});

describe('negative controls: real apps without ML', () => {
  const settings = packageDir('io.appium.settings');
  const uia2 = packageDir('appium-uiautomator2-server');
  const apks = [
    ...(settings ? [join(settings, 'apks/settings_apk-debug.apk')] : []),
    ...(uia2 ? readdirSync(join(uia2, 'apks')).filter((f) => f.endsWith('.apk')).map((f) => join(uia2, 'apks', f)) : []),
  ];

  it.skipIf(missing(...(apks.length ? apks : ['node_modules/io.appium.settings', 'node_modules/appium-uiautomator2-server'])))(
    'the appium APKs report zero ML frameworks, and any native library they ship has none',
    async () => {
      expect(apks.length).toBeGreaterThanOrEqual(3);
      for (const apk of apks) {
        const app = await extract([apk]);
        expect(app.stats.entries, apk).toBeGreaterThan(5);
        expect(app.frameworks, apk).toEqual([]);
        expect(app.models, apk).toEqual([]);
        for (const l of app.nativeLibs) expect(l.framework, l.path).toBeUndefined();
        expect(app.codeFindings.filter((f) => f.path.endsWith('.so')), apk).toEqual([]);
      }
    },
  );
});

describe('reading a library by ranges', () => {
  const reader = (data: Buffer) => {
    const r = { path: 'lib/arm64-v8a/x.so', size: data.length, reads: [] as [number, number][], read: async (o: number, n: number) => (r.reads.push([o, n]), data.subarray(o, o + n)) };
    return r;
  };
  it.skipIf(missing(realLib))('reads the header, section headers, symbols and read-only data of the real runtime, never its code, and parses the same', async () => {
    const lib = readFileSync(realLib);
    const r = reader(lib);
    const { image, bytesRead } = await readElfRanges(r);
    const whole = readElf(lib, 'x.so');
    const ranged = readElf(image!, 'x.so');
    expect(ranged.exported).toEqual(whole.exported);
    expect(ranged.imported).toEqual(whole.imported);
    expect(ranged.readOnlyData).toEqual(whole.readOnlyData);
    expect(ranged.needed).toEqual(whole.needed);
    const text = whole.sections.find((s) => s.name === '.text')!;
    expect(r.reads.some(([o, n]) => o < text.offset + text.size && o + n > text.offset)).toBe(false);
    expect(bytesRead).toBeLessThan(lib.length / 2);
  });

  it('a library whose header is not ELF costs its first 64 bytes', async () => {
    const junk = Buffer.alloc(1 << 20, 0x5a);
    const r = reader(junk);
    const { image, bytesRead } = await readElfRanges(r);
    expect(image).toBeUndefined();
    expect(bytesRead).toBe(64);
    expect(r.reads).toEqual([[0, 64]]);
  });
});
