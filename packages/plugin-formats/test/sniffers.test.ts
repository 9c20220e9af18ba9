import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNIFF_HEAD_BYTES, ZipReader, buildZip, createGauge, extractApp, sha256, writeZip, type Gauge, type SniffHit, type Sniffer } from '@gaugenn/core';
import formatsPlugin, { formatSniffers } from '../src/index.js';
import { fixture, fixturesRoot, missing, packageDir } from '../../../test-support/fixtures.js';
import { flatbuffer, graphDef, mnnNet, onnxModel, paddleNb, pbLen, savedModel, torchTensorFirstHead, torchZip } from './heads.js';

/** Every sniffer's verdict on one input, by sniffer name. */
function verdicts(path: string, bytes: Buffer, size = bytes.length): Record<string, SniffHit> {
  const head = bytes.subarray(0, SNIFF_HEAD_BYTES);
  const out: Record<string, SniffHit> = {};
  for (const s of formatSniffers) {
    const hit = s.sniff({ path, size, head });
    if (hit) out[s.name] = hit;
  }
  return out;
}

/** The first SNIFF_HEAD_BYTES of a file, as the walker would hand them to sniffers. */
function headOf(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(SNIFF_HEAD_BYTES);
    return b.subarray(0, readSync(fd, b, 0, b.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const heads: { what: string; path: string; bytes: () => Buffer | Promise<Buffer>; sniffer: string; hit: SniffHit }[] = [
  { what: 'ONNX ModelProto', path: 'assets/model.bin', bytes: onnxModel, sniffer: 'onnx', hit: { framework: 'onnx', kind: 'model', role: 'model' } },
  { what: 'ORT-format model', path: 'assets/m.ort', bytes: () => flatbuffer('ORTM'), sniffer: 'ort', hit: { framework: 'onnxruntime', kind: 'model', role: 'model' } },
  { what: 'ExecuTorch program', path: 'assets/m.pte', bytes: () => flatbuffer('ET12'), sniffer: 'executorch', hit: { framework: 'executorch', kind: 'model', role: 'model' } },
  { what: 'frozen GraphDef', path: 'assets/frozen.pb', bytes: () => graphDef(), sniffer: 'tensorflow', hit: { framework: 'tensorflow', kind: 'model', role: 'graphdef' } },
  { what: 'SavedModel', path: 'assets/saved_model.pb', bytes: savedModel, sniffer: 'tensorflow', hit: { framework: 'tensorflow', kind: 'model', role: 'saved_model' } },
  { what: 'TorchScript zip', path: 'assets/m.ptl', bytes: torchZip, sniffer: 'pytorch', hit: { framework: 'pytorch', kind: 'model', role: 'model' } },
  { what: 'PyTorch zip with a large first tensor', path: 'assets/m.pt', bytes: torchTensorFirstHead, sniffer: 'pytorch', hit: { framework: 'pytorch', kind: 'model', role: 'model' } },
  { what: 'Paddle-Lite .nb', path: 'assets/m.nb', bytes: () => paddleNb(), sniffer: 'paddle-lite', hit: { framework: 'paddle-lite', kind: 'model', role: 'model' } },
  { what: 'MNN Net', path: 'assets/face.mnn', bytes: mnnNet, sniffer: 'mnn', hit: { framework: 'mnn', kind: 'model', role: 'model' } },
];

describe('format sniffers on hand-made heads (standing for each format)', () => {
  for (const h of heads) {
    it(`${h.what} → ${h.sniffer} only`, async () => {
      const bytes = await h.bytes();
      const size = Math.max(bytes.length, h.what.includes('large first tensor') ? (1 << 20) + 200 : 0);
      expect(verdicts(h.path, bytes, size)).toEqual({ [h.sniffer]: h.hit });
    });
  }

  it('each head, cut at every length, never throws', async () => {
    for (const h of heads) {
      const bytes = await h.bytes();
      for (let n = 0; n <= Math.min(bytes.length, 700); n++) {
        const cut = bytes.subarray(0, n);
        for (const s of formatSniffers) expect(() => s.sniff({ path: h.path, size: n, head: cut })).not.toThrow();
        // Sizes that lie (smaller than the head says) are refused or at least survive.
        for (const s of formatSniffers) expect(() => s.sniff({ path: h.path, size: Math.floor(n / 2), head: cut })).not.toThrow();
      }
    }
  });
});

describe('format sniffers refuse near misses', () => {
  it('ONNX: unknown IR version, foreign field, binary producer, graph longer than the file', () => {
    const m = onnxModel();
    expect(verdicts('m.onnx', Buffer.concat([Buffer.from([0x08, 0x40]), m.subarray(2)]))).toEqual({});
    expect(verdicts('m.onnx', Buffer.concat([m.subarray(0, 2), Buffer.from([0x62, 0x01, 0x00]), m.subarray(2)]))).toEqual({});
    expect(verdicts('m.onnx', Buffer.concat([m.subarray(0, 2), Buffer.from([0x12, 0x03, 0x01, 0x02, 0x03]), m.subarray(11)]))).toEqual({});
    expect(verdicts('m.onnx', m, 40)).toEqual({});
  });

  it('GraphDef: an op that does not look like an op, a bad node name, an unusual op without TF attributes', () => {
    expect(verdicts('g.pb', graphDef('placeholder'))).toEqual({});
    expect(verdicts('g.pb', Buffer.concat([Buffer.from([0x0a, 0x10, 0x0a, 0x05]), Buffer.from('in pu'), Buffer.from([0x12, 0x05]), Buffer.from('Const'), Buffer.alloc(4)]))).toEqual({});
    const unusual = graphDef('MyCustomOp');
    expect(verdicts('g.pb', unusual)).toEqual({ tensorflow: { framework: 'tensorflow', kind: 'model', role: 'graphdef' } });
    expect(verdicts('g.pb', unusual.subarray(0, 25), unusual.length)).toEqual({});
    // Stands for a MediaPipe CalculatorGraphConfig: node { name, calculator, input_stream, input_side_packet }.
    const mpNode = Buffer.concat([pbLen(1, 'flowlimiter'), pbLen(2, 'FlowLimiterCalculator'), pbLen(3, 'IMAGE:input_video'), pbLen(5, 'FINISHED:detections')]);
    expect(verdicts('hands.binarypb', Buffer.concat([pbLen(1, mpNode), pbLen(1, mpNode)]))).toEqual({});
  });

  it('flatbuffer identifiers alone are not enough: the root must be sane', () => {
    const bad = flatbuffer('ORTM');
    bad.writeUInt32LE(3, 0);
    expect(verdicts('m.ort', bad)).toEqual({});
    const far = flatbuffer('ET12');
    far.writeUInt32LE(1 << 30, 0);
    expect(verdicts('m.pte', far)).toEqual({});
    expect(verdicts('m.pte', flatbuffer('ETAB'))).toEqual({});
  });

  it('MNN needs its extension and an oplists field', () => {
    expect(verdicts('assets/face.bin', mnnNet())).toEqual({});
    const noOps = mnnNet();
    noOps.writeUInt16LE(0, 40 + 4 + 6);
    expect(verdicts('assets/face.mnn', noOps)).toEqual({});
    expect(verdicts('assets/readme.mnn', Buffer.from('MNN is a lightweight deep neural network inference engine.\n'.repeat(20)))).toEqual({});
  });

  it('Paddle-Lite: version text, NUL padding and topology size must agree', () => {
    expect(verdicts('m.nb', paddleNb('hello world'))).toEqual({});
    expect(verdicts('m.nb', paddleNb('v2.10', 900))).toEqual({});
    expect(verdicts('m.nb', paddleNb('v2.10', 1, 0))).toEqual({});
    expect(verdicts('m.nb', paddleNb('v2.10', 1, 5000))).toEqual({});
    expect(verdicts('m.nb', paddleNb('3f2a9c1'))).toEqual({ 'paddle-lite': { framework: 'paddle-lite', kind: 'model', role: 'model' } });
    // Stands for a Mathematica notebook, the other common `.nb`.
    expect(verdicts('doc.nb', Buffer.from('(* Content-type: application/vnd.wolfram.mathematica *)\n'.repeat(40)))).toEqual({});
  });

  it('zips that are no model container are left to the walker', async () => {
    const onlyModel = await buildZip([{ name: 'model', data: Buffer.from('just some data named model'), method: 'store' }]);
    expect(verdicts('a.zip', onlyModel)).toEqual({});
    const assets = await buildZip([
      { name: 'archive/readme.txt', data: Buffer.from('x'), method: 'store' },
      { name: 'archive/data.json', data: Buffer.from('{}'), method: 'store' },
    ]);
    expect(verdicts('a.zip', assets)).toEqual({});
  });
});

describe('false-positive guard: real files of other kinds produce no hits', () => {
  it('every entry of the real appium APKs', async () => {
    const settings = packageDir('io.appium.settings');
    const uia2 = packageDir('appium-uiautomator2-server');
    const apks = [
      ...(settings ? [join(settings, 'apks/settings_apk-debug.apk')] : []),
      ...(uia2 ? readdirSync(join(uia2, 'apks')).filter((f) => f.endsWith('.apk')).map((f) => join(uia2, 'apks', f)) : []),
    ];
    if (missing(...(apks.length >= 3 ? apks : ['node_modules/io.appium.settings/apks', 'node_modules/appium-uiautomator2-server/apks']))) return;
    let seen = 0;
    const hits: string[] = [];
    for (const apk of apks) {
      const zip = await ZipReader.openFile(apk);
      try {
        for (const e of zip.entries) {
          if (e.isDirectory) continue;
          const head = await zip.readHead(e, SNIFF_HEAD_BYTES);
          seen++;
          for (const s of formatSniffers) if (s.sniff({ path: e.name, size: e.uncompressedSize, head })) hits.push(`${s.name}: ${apk}!/${e.name}`);
        }
      } finally {
        await zip.close();
      }
    }
    expect(seen).toBeGreaterThan(3000);
    expect(hits).toEqual([]);
  });

  it('the shared fixtures (TFLite, ncnn, Caffe models, DEX, ELF, compiled resources)', () => {
    if (missing(fixturesRoot)) return;
    const files: string[] = [];
    for (const dir of ['tflite', 'ncnn', 'caffe', 'android']) {
      const d = join(fixturesRoot, dir);
      if (missing(d)) continue;
      for (const f of readdirSync(d)) if (statSync(join(d, f)).isFile()) files.push(join(d, f));
    }
    expect(files.length).toBeGreaterThan(10);
    const hits = files.filter((f) => Object.keys(verdicts(f, headOf(f), statSync(f).size)).length > 0);
    expect(hits).toEqual([]);
  });

  it('every file of the seven MediaPipe npm packages (the demo corpus: TFLite models, packed assets, graphs, wasm, js)', () => {
    const names = ['face_detection', 'face_mesh', 'hands', 'holistic', 'objectron', 'pose', 'selfie_segmentation'].map((n) => `@mediapipe/${n}`);
    const dirs = names.map((p) => packageDir(p)).filter((d): d is string => !!d);
    if (missing(...(dirs.length ? dirs : ['node_modules/@mediapipe/pose']))) return;
    const files: string[] = [];
    const walk = (d: string, depth: number): void => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        const st = statSync(p);
        if (st.isDirectory() && depth < 4) walk(p, depth + 1);
        else if (st.isFile()) files.push(p);
      }
    };
    for (const d of dirs) walk(d, 0);
    expect(files.length).toBeGreaterThan(30);
    const hits = files.filter((p) => Object.keys(verdicts(p, headOf(p), statSync(p).size)).length > 0);
    expect(hits).toEqual([]);
  });

  it('5000 random heads: no hits, no throws', () => {
    const rand = rng(42);
    for (let i = 0; i < 5000; i++) {
      const n = 1 + Math.floor(rand() * 512);
      const b = Buffer.alloc(n);
      for (let j = 0; j < n; j++) b[j] = Math.floor(rand() * 256);
      // Give a third of them a protobuf-ish or zip-ish start, where false positives would come from.
      if (i % 3 === 1 && n > 2) b.set([0x08, 1 + (i % 12)], 0);
      if (i % 3 === 2 && n > 4) b.set([0x50, 0x4b, 0x03, 0x04], 0);
      expect(verdicts(i % 2 ? 'x.mnn' : 'x.nb', b, n + Math.floor(rand() * 1e6))).toEqual({});
    }
  });
});

describe('plugin-formats through the walker', () => {
  let tmp: string;
  let gauge: Gauge;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'gaugenn-formats-'));
    gauge = await createGauge({ cwd: tmp, builtins: [formatsPlugin] });
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('registers its sniffers and names the frameworks it detects', () => {
    const names = new Set(gauge.sniffers.map((s: Sniffer) => s.name));
    for (const s of formatSniffers) expect(names).toContain(s.name);
    expect(gauge.plugins.find((p) => p.name === 'formats')?.frameworks.sort()).toEqual(['executorch', 'mnn', 'onnx', 'onnxruntime', 'paddle-lite', 'pytorch', 'tensorflow']);
  });

  it('detects each format in an APK: framework, path, hash and size; containers are not opened', async () => {
    const onnx = onnxModel();
    const torch = await torchZip();
    const paddle = paddleNb('v2.12', 1, 100);
    const apk = join(tmp, 'formats.apk');
    await writeZip(apk, [
      { name: 'assets/face.onnx', data: onnx, method: 'deflate' },
      { name: 'assets/seg.ptl', data: torch, method: 'store' },
      { name: 'assets/ocr.nb', data: paddle, method: 'deflate' },
      { name: 'assets/net.mnn', data: mnnNet(), method: 'deflate' },
      { name: 'assets/frozen_graph.pb', data: graphDef(), method: 'deflate' },
    ]);
    const app = await extractApp({ id: apk, files: [apk], source: 'files' }, { sniffers: gauge.sniffers, scanners: gauge.scanners, modelCacheDir: join(tmp, 'cache'), workDir: join(tmp, 'work') });
    const byPath = Object.fromEntries(app.models.map((m) => [m.path, m]));
    expect(Object.keys(byPath).sort()).toEqual([
      'assets/face.onnx',
      'assets/frozen_graph.pb',
      'assets/net.mnn',
      'assets/ocr.nb',
      'assets/seg.ptl',
    ]);
    expect(byPath['assets/face.onnx']).toMatchObject({ framework: 'onnx', sha256: sha256(onnx), bytes: onnx.length });
    expect(byPath['assets/seg.ptl']).toMatchObject({ framework: 'pytorch', sha256: sha256(torch), bytes: torch.length });
    expect(byPath['assets/ocr.nb']).toMatchObject({ framework: 'paddle-lite', bytes: paddle.length });
    // The TorchScript archive was taken whole, not walked into.
    expect(app.models.some((m) => m.path.startsWith('assets/seg.ptl!/'))).toBe(false);
    expect(app.frameworks).toEqual(['mnn', 'onnx', 'paddle-lite', 'pytorch', 'tensorflow']);
    expect(app.errors).toEqual([]);
  });
});
