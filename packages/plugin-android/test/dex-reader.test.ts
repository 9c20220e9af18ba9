import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Gauge, isGaugeError } from '@gaugenn/core';
import type { CodeFinding, CodeSignature, GaugeConfig, GaugeError, ScanSink } from '@gaugenn/core';
import { DexCode } from '../src/dex/dex-code.js';
import { DexFile } from '../src/dex/dex-file.js';
import { descriptorToClassName } from '../src/dex/descriptor.js';
import { readMutf8 } from '../src/dex/mutf8.js';
import { SignatureIndex } from '../src/dex/signature-index.js';
import { dexScanner } from '../src/scan/dex-scanner.js';
import { APP_ACTIVITY, buildDex, desc } from './dex-builder.js';
import { fixture, missing } from '../../../test-support/fixtures.js';

const REAL_DEX = fixture('android/tflite_app_classes.dex');

function sink(): ScanSink & { findings: CodeFinding[] } {
  const findings: CodeFinding[] = [];
  return { findings, setMeta() {}, addFinding: (f) => findings.push(f), addNativeLib() {}, addSuspect() {} };
}

function gaugeWith(sigs: CodeSignature[]): Gauge {
  const g = new Gauge({} as GaugeConfig);
  g.addCodeSignatures(sigs);
  return g;
}

async function scan(g: Gauge, dex: Buffer, path = 'classes.dex'): Promise<CodeFinding[]> {
  const s = sink();
  await dexScanner(g).scan(dex, path, s);
  return s.findings;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

const VISION: CodeSignature = { id: 'cloud.google.vision', kind: 'cloud', service: 'Google Cloud Vision', classes: ['com.google.cloud.vision.v1.ImageAnnotatorClient'] };

describe('DEX reader on a real app DEX', () => {
  it.skipIf(missing(REAL_DEX))('reads the referenced classes and the method table', () => {
    const code = DexCode.read(readFileSync(REAL_DEX), 'classes.dex');
    // Figures of this fixture (nnPerf's app DEX): 2633 class defs, 24596 method ids, 3274 referenced classes.
    expect(code.definedClasses).toBe(2633);
    expect(code.methodCount).toBe(24596);
    expect(code.classes.length).toBe(3274);
    expect(code.classes).toEqual(expect.arrayContaining(['org.tensorflow.lite.Interpreter', 'org.tensorflow.lite.gpu.GpuDelegate', 'org.tensorflow.lite.nnapi.NnApiDelegate', 'java.lang.Object']));
    expect([...code.classes].sort()).toEqual(code.classes);
    const m = code.methodsOn(new Set(['org.tensorflow.lite.Interpreter$Options']));
    expect([...m.get('org.tensorflow.lite.Interpreter$Options')!]).toEqual(expect.arrayContaining(['addDelegate', 'setNumThreads', 'setUseNNAPI', 'setUseXNNPACK']));
  });
});

describe('evidence rule (hand-made DEX files)', () => {
  it('a class named only in a log message string is not a use', async () => {
    // Stands for an app that logs "falling back from com.google.cloud.vision.v1.ImageAnnotatorClient" but never calls it.
    const dex = buildDex({
      strings: ['com.google.cloud.vision.v1.ImageAnnotatorClient', 'Lcom/google/cloud/vision/v1/ImageAnnotatorClient;', 'falling back from com.google.cloud.vision.v1.ImageAnnotatorClient'],
      classes: [APP_ACTIVITY],
      methods: [{ class: desc('android.util.Log'), name: 'i', returns: 'I', params: [desc('java.lang.String'), desc('java.lang.String')] }],
    });
    expect(dex.includes(Buffer.from('com/google/cloud/vision/v1/ImageAnnotatorClient'))).toBe(true);
    expect(await scan(gaugeWith([VISION]), dex)).toEqual([]);
  });

  it('a type id that nothing references is not a use either', async () => {
    const dex = buildDex({ types: [desc('com.google.cloud.vision.v1.ImageAnnotatorClient')], classes: [APP_ACTIVITY] });
    expect(DexCode.read(dex, 'classes.dex').classes).not.toContain('com.google.cloud.vision.v1.ImageAnnotatorClient');
    expect(await scan(gaugeWith([VISION]), dex)).toEqual([]);
  });

  it('a method id on the class is a use, and the finding names the class', async () => {
    // Stands for `ImageAnnotatorClient.create()` called from the app.
    const dex = buildDex({
      classes: [APP_ACTIVITY],
      methods: [{ class: desc('com.google.cloud.vision.v1.ImageAnnotatorClient'), name: 'create', returns: desc('com.google.cloud.vision.v1.ImageAnnotatorClient') }],
    });
    expect(await scan(gaugeWith([VISION]), dex, 'classes2.dex')).toEqual([
      { id: 'cloud.google.vision', kind: 'cloud', evidence: 'com.google.cloud.vision.v1.ImageAnnotatorClient', path: 'classes2.dex', use: 'bundled' },
    ]);
  });

  it('field ids, proto parameters (arrays too), superclasses, interfaces and class defs are uses', () => {
    const dex = buildDex({
      fields: [{ class: desc('com.example.app.Holder'), name: 'interpreter', type: desc('org.tensorflow.lite.Interpreter') }],
      methods: [{ class: desc('com.example.app.Holder'), name: 'run', params: ['[' + desc('org.tensorflow.lite.Tensor'), 'I'] }],
      classes: [
        { name: desc('com.example.app.MyDelegate'), superclass: desc('org.tensorflow.lite.gpu.GpuDelegate'), interfaces: [desc('org.tensorflow.lite.Delegate')] },
        { name: desc('ai.onnxruntime.OrtSession'), superclass: desc('java.lang.Object') },
      ],
    });
    const code = DexCode.read(dex, 'classes.dex');
    expect(code.classes).toEqual(
      expect.arrayContaining(['org.tensorflow.lite.Interpreter', 'org.tensorflow.lite.Tensor', 'org.tensorflow.lite.gpu.GpuDelegate', 'org.tensorflow.lite.Delegate', 'ai.onnxruntime.OrtSession']),
    );
    expect(code.definedClasses).toBe(2);
  });

  it('reads a big-endian DEX the same way', () => {
    const spec = { classes: [APP_ACTIVITY], methods: [{ class: desc('org.pytorch.Module'), name: 'load', params: [desc('java.lang.String')], returns: desc('org.pytorch.Module') }] };
    const le = DexCode.read(buildDex(spec), 'classes.dex');
    const be = DexCode.read(buildDex({ ...spec, bigEndian: true }), 'classes.dex');
    expect(be.classes).toEqual(le.classes);
    expect(be.classes).toContain('org.pytorch.Module');
    expect(be.methodsOn(new Set(['org.pytorch.Module']))).toEqual(new Map([['org.pytorch.Module', new Set(['load'])]]));
  });

  it('decodes Modified UTF-8 (two- and three-byte units, encoded NUL)', () => {
    const dex = buildDex({ classes: [{ name: desc('com.example.Café\u4e2d'), superclass: desc('java.lang.Object') }], strings: ['a\u0000b'] });
    expect(DexCode.read(dex, 'classes.dex').classes).toContain('com.example.Café\u4e2d');
    const at = dex.indexOf(Buffer.from([0x61, 0xc0, 0x80, 0x62, 0x00])) - 1;
    expect(readMutf8(dex, at)).toBe('a\u0000b');
  });

  it('converts descriptors to Java names', () => {
    expect(descriptorToClassName('Lorg/tensorflow/lite/Interpreter;')).toBe('org.tensorflow.lite.Interpreter');
    expect(descriptorToClassName('[[Lorg/tensorflow/lite/Tensor;')).toBe('org.tensorflow.lite.Tensor');
    expect(descriptorToClassName('Lorg/tensorflow/lite/Interpreter$Options;')).toBe('org.tensorflow.lite.Interpreter$Options');
    expect(descriptorToClassName('I')).toBeUndefined();
    expect(descriptorToClassName('[J')).toBeUndefined();
    expect(descriptorToClassName('L;')).toBeUndefined();
  });
});

describe('signature matching', () => {
  const dex = buildDex({
    classes: [APP_ACTIVITY],
    methods: [
      { class: desc('org.tensorflow.lite.Interpreter$Options'), name: 'setUseXNNPACK', params: ['Z'], returns: desc('org.tensorflow.lite.Interpreter$Options') },
      { class: desc('org.tensorflow.lite.support.image.TensorImage'), name: 'load', params: [desc('android.graphics.Bitmap')] },
      { class: desc('org.tensorflow.lite.support.common.FileUtil'), name: 'loadLabels', returns: desc('java.util.List') },
      { class: desc('org.tensorflow.lite.Interpreter'), name: 'run', params: [desc('java.lang.Object'), desc('java.lang.Object')] },
    ],
  });
  const code = DexCode.read(dex, 'classes.dex');

  it('matches exact classes, whole packages (with subpackages) and methods, each with its evidence', () => {
    const idx = new SignatureIndex([
      { id: 'a', kind: 'framework', classes: ['org.tensorflow.lite.Interpreter'] },
      { id: 'b', kind: 'framework', classes: ['org.tensorflow.lite.support.*'] },
      { id: 'c', kind: 'delegate', methods: ['org.tensorflow.lite.Interpreter$Options.setUseXNNPACK'] },
      { id: 'd', kind: 'delegate', methods: ['org.tensorflow.lite.Interpreter$Options.setUseNNAPI'] },
      { id: 'e', kind: 'framework', classes: ['org.tensorflow.lite.Interp'] },
      { id: 'f', kind: 'framework', classes: ['org.tensorflow.lit.*'] },
    ]);
    const got = idx.match(code).map((m) => [m.signature.id, m.evidence]);
    // Package evidence is the alphabetically first class under it.
    expect(got).toEqual([
      ['a', 'org.tensorflow.lite.Interpreter'],
      ['b', 'org.tensorflow.lite.support.common.FileUtil'],
      ['c', 'org.tensorflow.lite.Interpreter$Options.setUseXNNPACK'],
    ]);
  });

  it('prefers classes, then methods, each in listed order; merges entries with one id', () => {
    const idx = new SignatureIndex([
      { id: 'x', kind: 'framework', classes: ['org.tensorflow.lite.support.*', 'org.tensorflow.lite.Interpreter'] },
      { id: 'x', kind: 'framework', methods: ['org.tensorflow.lite.Interpreter.run'] },
      { id: 'y', kind: 'framework', classes: ['org.tensorflow.lite.Interpreter', 'org.tensorflow.lite.support.*'], methods: ['org.tensorflow.lite.Interpreter.run'] },
      { id: 'z', kind: 'framework', classes: ['org.tensorflow.lite.gpu.GpuDelegate'], methods: ['org.tensorflow.lite.Interpreter.run'] },
    ]);
    expect(idx.match(code).map((m) => [m.signature.id, m.evidence])).toEqual([
      ['x', 'org.tensorflow.lite.support.common.FileUtil'],
      ['y', 'org.tensorflow.lite.Interpreter'],
      ['z', 'org.tensorflow.lite.Interpreter.run'],
    ]);
  });

  it('ignores patterns that could match everything or nothing', () => {
    const idx = new SignatureIndex([{ id: 'bad', kind: 'other', classes: ['*', '.*', 'a.*.b', ''], methods: ['NoDot', 'Trailing.'] }]);
    expect(idx.ignored).toEqual(['*', '.*', 'a.*.b', '', 'NoDot', 'Trailing.']);
    expect(idx.match(code)).toEqual([]);
  });

  it('the scanner reads the catalogue at scan time, so later additions count', async () => {
    const g = gaugeWith([]);
    const scanner = dexScanner(g);
    const s = sink();
    await scanner.scan(dex, 'classes.dex', s);
    expect(s.findings).toEqual([]);
    g.addCodeSignatures([{ id: 'late', kind: 'framework', framework: 'tflite', classes: ['org.tensorflow.lite.Interpreter'] }]);
    await scanner.scan(dex, 'classes.dex', s);
    expect(s.findings).toEqual([{ id: 'late', kind: 'framework', framework: 'tflite', evidence: 'org.tensorflow.lite.Interpreter', path: 'classes.dex', use: 'bundled' }]);
  });
});

describe('which entries the scanner wants', () => {
  const w = dexScanner(gaugeWith([]));
  it.each([
    ['classes.dex', true],
    ['classes2.dex', true],
    ['classes16.dex', true],
    ['split_feature.apk!/classes3.dex', true],
    ['assets/plugin.jar!/classes.dex', true],
    ['assets/secondary/code.dex', true],
    ['lib/arm64-v8a/classes.dex', false],
    ['res/raw/classes.dex', false],
    ['classes.dex.bak', false],
    ['myclasses.dex', false],
    ['assets/model.tflite', false],
  ])('%s → %s', (path, want) => {
    expect(w.wants(path, 1000)).toBe(want);
  });

  it('skips a non-DEX asset quietly, but reports a classes.dex that is not a DEX', async () => {
    const junk = Buffer.from('encrypted by a packer, not a dex at all');
    expect(await scan(gaugeWith([VISION]), junk, 'assets/code.dex')).toEqual([]);
    const err = thrown(() => dexScanner(gaugeWith([])).scan(junk, 'classes.dex', sink()));
    expect(isGaugeError(err, 'ARCHIVE_CORRUPT')).toBe(true);
    expect((err as Error).message).toMatch(/^classes\.dex is malformed: it does not start with the DEX magic/);
  });
});

describe('malformed DEX files', () => {
  const good = buildDex({
    classes: [APP_ACTIVITY],
    fields: [{ class: desc('com.example.app.MainActivity'), name: 'model', type: desc('org.tensorflow.lite.Interpreter') }],
    methods: [{ class: desc('org.tensorflow.lite.Interpreter'), name: '<init>', params: [desc('java.io.File')] }],
  });
  const patched = (at: number, v: number) => {
    const b = Buffer.from(good);
    b.writeUInt32LE(v, at);
    return b;
  };
  const cases: [string, Buffer, RegExp][] = [
    ['empty', Buffer.alloc(0), /does not start with the DEX magic/],
    ['a truncated header', good.subarray(0, 0x40), /header is cut short/],
    ['a truncated file', good.subarray(0, good.length - 10), /truncated/],
    ['an unknown version', Buffer.concat([Buffer.from('dex\n099\0'), good.subarray(8)]), /version 099/],
    ['a bad endian tag', patched(0x28, 0xdeadbeef), /endian tag/],
    ['string_ids_size lying', patched(0x38, 0x7fffffff), /string_ids .* lies outside the file/],
    ['method_ids_off lying', patched(0x5c, good.length - 4), /method_ids .* lies outside the file/],
    ['type_ids_off inside the header', patched(0x44, 8), /type_ids .* lies outside the file/],
  ];
  it.each(cases)('%s → ARCHIVE_CORRUPT naming the entry', (_name, bytes, message) => {
    const err = thrown(() => DexCode.read(bytes, 'classes2.dex'));
    expect(isGaugeError(err, 'ARCHIVE_CORRUPT')).toBe(true);
    expect((err as GaugeError).subject).toBe('classes2.dex');
    expect((err as GaugeError).plugin).toBe('android');
    expect((err as GaugeError).message).toMatch(message);
    expect((err as GaugeError).message).toMatch(/^classes2\.dex is malformed: .*other findings of the app are still reported\.$/);
  });

  it('an index past its table, a string past the end, a type list past the end → ARCHIVE_CORRUPT', () => {
    const dex = DexFile.readAll(good, 'classes.dex')[0]!;
    // The method's class index points past type_ids.
    const badClass = Buffer.from(good);
    badClass.writeUInt16LE(0xfff0, dex.methodIds.off);
    expect((thrown(() => DexCode.read(badClass, 'classes.dex')) as Error).message).toMatch(/method 0's class index 65520 is past type_ids/);
    // The descriptor string of type 0 has its data offset past the end.
    const badString = Buffer.from(good);
    const descriptorIdx = good.readUInt32LE(dex.typeIds.off);
    badString.writeUInt32LE(good.length + 100, dex.stringIds.off + 4 * descriptorIdx);
    expect((thrown(() => DexCode.read(badString, 'classes.dex')) as Error).message).toMatch(/string \d+ at offset \d+ runs past the end/);
    // The proto's parameter list claims a huge count.
    const badList = Buffer.from(good);
    const listOff = badList.readUInt32LE(dex.protoIds.off + 8);
    badList.writeUInt32LE(0x10000000, listOff);
    expect((thrown(() => DexCode.read(badList, 'classes.dex')) as Error).message).toMatch(/type list .* past the end/);
  });

  it('random damage never crashes or hangs: every mutation reads or fails with ARCHIVE_CORRUPT', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    let failed = 0;
    for (let round = 0; round < 3000; round++) {
      const b = Buffer.from(good);
      for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      const cut = rand() < 0.2 ? b.subarray(0, Math.floor(rand() * b.length)) : b;
      const err = thrown(() => DexCode.read(cut, 'classes.dex'));
      if (err !== undefined) {
        failed++;
        expect(isGaugeError(err, 'ARCHIVE_CORRUPT'), String(err)).toBe(true);
      }
    }
    // Most damage is caught (header, tables); some lands in bytes the reference scan never reads.
    expect(failed).toBeGreaterThan(300);
  });
});

describe('the DEX scanner reads the header first', () => {
  const reader = (data: Buffer, path: string) => {
    const r = { path, size: data.length, reads: [] as [number, number][], read: async (o: number, n: number) => (r.reads.push([o, n]), data.subarray(o, o + n)) };
    return r;
  };
  it('an encrypted assets/*.dex costs its header only, quietly', async () => {
    const r = reader(Buffer.alloc(1 << 20, 0xa7), 'assets/payload.dex');
    const s = sink();
    await dexScanner(gaugeWith([VISION])).scanRanges!(r, s);
    expect(r.reads).toEqual([[0, 0x78]]);
    expect(s.findings).toEqual([]);
  });

  it('a DEX whose header names no ids is not read past its header', async () => {
    const dex = Buffer.concat([buildDex({}), Buffer.alloc(1 << 20)]);
    dex.writeUInt32LE(dex.length, 0x20);
    const r = reader(dex, 'classes.dex');
    await dexScanner(gaugeWith([VISION])).scanRanges!(r, sink());
    expect(r.reads).toEqual([[0, 0x78]]);
  });

  it.skipIf(missing(REAL_DEX))('a real DEX is then read whole and gives what scan gives', async () => {
    const data = readFileSync(REAL_DEX);
    const r = reader(data, 'classes.dex');
    const s = sink();
    await dexScanner(gaugeWith([VISION, { id: 't', kind: 'framework', classes: ['org.tensorflow.lite.Interpreter'] }])).scanRanges!(r, s);
    expect(r.reads).toEqual([[0, 0x78], [0, data.length]]);
    expect(s.findings.filter((f) => f.id !== 'android.loadLibrary').map((f) => [f.id, f.use])).toEqual([['t', 'called']]);
  });
});
