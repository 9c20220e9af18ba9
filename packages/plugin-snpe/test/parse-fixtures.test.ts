/**
 * The four real DLCs of the shared fixtures (three generations), found inside an APK by content and analysed.
 *
 * How the expected figures were counted, independently of this parser:
 * - member lists, sizes and converter versions: ../shared/fixtures/snpe/INVENTORY.txt (Python zipfile);
 * - v3/v4 layer types, input shapes, params and MACs: a separate Python script (zipfile + a generic FlatBuffer walk,
 *   /tmp-only, not shipped) over the same files: params = elements of the static tensors (v4: tensors with
 *   location 4, each once; v3: every tensor of model.params); MACs = Σ conv out_h·out_w·cout·kh·kw·cin/groups with
 *   kh, kw from the `kernel_size` attributes (v3) or the kernel tensor's dims (v4), plus Σ FC in·out;
 *   depthwise = v3 `Convolutional` with groups > 1 (19 in the deeplabv3 DLC);
 * - DLC v2 (EDSR): the TensorFlow graph it was converted from (the .pb beside it): its kernel and bias Const tensors
 *   hold 3·3·3·32+32 + 9·(3·3·32·32+32) + 5·5·3·32+3 = 86,531 elements; MACs from the converter command's input
 *   (1×240×426×3) and the layer output dims: 240·426·(864 + 9·9216) for the convolutions plus 240·426·2400 for the
 *   stride-4 transposed convolution = 8,813,905,920.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildZip, createGauge, extractApp, writeZip, type ExtractedApp, type Gauge, type ModelGraph } from '@gaugenn/core';
import snpePlugin from '../src/index.js';
import { missing } from '../../../test-support/fixtures.js';
import { DLC } from './support/fixtures.js';

const EXPECT = {
  v4: {
    entry: 'assets/face/scrfd.bin',
    formatVersion: 'DLC v4, SNPE 2.19.2',
    converterVersion: '2.19.2.240209155149_76529',
    converter: 'snpe-onnx-to-dlc',
    sourceFramework: 'onnx',
    inputs: [{ name: 'input.1', shape: [1, 640, 640, 3] }],
    outputCount: 9,
    layers: 137,
    categories: { conv: 40, depthwise_conv: 20, activation: 44, resize: 2, elementwise: 4, reshape: 27 },
    params: 626_322,
    macs: 733_545_600,
    quantization: 'uint8',
  },
  v3hta: {
    entry: 'res/raw/segmenter',
    formatVersion: 'DLC v3, SNPE 1.42.2',
    converterVersion: '1.42.2.2266',
    converter: 'snpe-tensorflow-to-dlc',
    sourceFramework: 'tensorflow',
    inputs: [{ name: 'ImageTensor:0', shape: [1, 512, 512, 3] }],
    outputCount: 1,
    layers: 120,
    categories: { other: 2, conv: 41, depthwise_conv: 19, activation: 42, elementwise: 13, pooling: 1, concat_split: 2 },
    params: 2_256_272,
    macs: 5_277_302_784,
    quantization: 'uint8',
  },
  v3: {
    entry: 'assets/packs/models.zip!/enhance.model',
    formatVersion: 'DLC v3, SNPE 1.37.0',
    converterVersion: '1.37.0.788',
    converter: 'snpe-tensorflow-to-dlc',
    sourceFramework: 'tensorflow',
    inputs: [{ name: 'model/input_image:0', shape: [1, 852, 480, 3] }],
    outputCount: 1,
    layers: 62,
    categories: { other: 1, reshape: 9, conv: 11, activation: 15, elementwise: 16, fully_connected: 10 },
    params: 234_684,
    macs: 5_830_139_520,
    quantization: 'fp32',
  },
  v2: {
    entry: 'assets/sr/edsr.dlc',
    formatVersion: 'DLC v2, SNPE 1.23.1',
    converterVersion: '1.23.1.245',
    converter: 'snpe-tensorflow-to-dlc',
    sourceFramework: 'tensorflow',
    inputs: [{ name: 'input_1:0', shape: [1, 240, 426, 3] }],
    outputCount: 1,
    layers: 21,
    categories: { other: 1, conv: 10, activation: 4, elementwise: 5, transposed_conv: 1 },
    params: 86_531,
    macs: 8_813_905_920,
    quantization: 'fp32',
  },
} as const;

const categories = (g: ModelGraph) => {
  const c: Record<string, number> = {};
  for (const l of g.layers) c[l.category] = (c[l.category] ?? 0) + 1;
  return c;
};

describe('DLC fixtures inside an APK', () => {
  let tmp: string;
  let gauge: Gauge;
  let app: ExtractedApp;
  const graphs: Record<string, ModelGraph> = {};

  beforeAll(async () => {
    if (missing(...Object.values(DLC))) return;
    tmp = await mkdtemp(join(tmpdir(), 'gaugenn-snpe-'));
    gauge = await createGauge({ cwd: tmp, builtins: [snpePlugin] });
    // Names that say nothing (the sniffer decides by content), one DLC deflated, one inside a nested zip.
    const nested = await buildZip([{ name: 'enhance.model', data: await readFile(DLC.v3), method: 'store' }]);
    const apk = join(tmp, 'app.apk');
    await writeZip(apk, [
      { name: 'AndroidManifest.xml', data: Buffer.from('not a real manifest'), method: 'deflate' },
      { name: EXPECT.v4.entry, data: await readFile(DLC.v4), method: 'store' },
      { name: EXPECT.v3hta.entry, data: await readFile(DLC.v3hta), method: 'deflate' },
      { name: 'assets/packs/models.zip', data: nested, method: 'store' },
      { name: EXPECT.v2.entry, data: await readFile(DLC.v2), method: 'store' },
    ]);
    app = await extractApp({ id: apk, files: [apk], source: 'files' }, { sniffers: gauge.sniffers, scanners: gauge.scanners, modelCacheDir: join(tmp, 'cache'), workDir: join(tmp, 'work') });
    for (const m of app.models) graphs[m.path] = await gauge.parse({ framework: m.framework, files: m.files });
  }, 60_000);
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it.skipIf(missing(...Object.values(DLC)))('finds each DLC by content, whole, under any name and in a nested zip', () => {
    expect(app.models.map((m) => [m.path, m.framework]).sort()).toEqual(Object.values(EXPECT).map((e) => [e.entry, 'snpe']).sort());
    expect(app.errors).toEqual([]);
  });

  for (const [key, e] of Object.entries(EXPECT)) {
    it.skipIf(missing(...Object.values(DLC)))(`${key}: ${e.formatVersion} — inputs, layers, categories, params, MACs, converter`, () => {
      const g = graphs[e.entry]!;
      expect(g.framework).toBe('snpe');
      expect(g.formatVersion).toBe(e.formatVersion);
      expect(g.metadata).toMatchObject({ converterVersion: e.converterVersion, converter: e.converter, sourceFramework: e.sourceFramework });
      expect(String(g.metadata.converterCommand)).toMatch(new RegExp(`^${e.converter} `));
      expect(g.inputs.map((i) => ({ name: i.name, shape: i.shape }))).toEqual(e.inputs);
      expect(g.outputs).toHaveLength(e.outputCount);
      expect(g.layers).toHaveLength(e.layers);
      expect(categories(g)).toEqual(e.categories);
      expect(g.totals.params).toBe(e.params);
      expect(g.totals.macs).toBe(e.macs);
      // FLOPs: 2 × MACs plus one per output element of the other arithmetic layers; never MACs.
      expect(g.totals.flops).toBeGreaterThan(2 * e.macs);
      expect(g.quantization.scheme).toBe(e.quantization);
      expect(g.modality).toBe('image');
      // Every weight tensor has a sha256 of its stored bytes; non-trivial ones drive lineage.
      const weights = g.layers.flatMap((l) => l.weights);
      expect(weights.length).toBeGreaterThan(0);
      expect(weights.every((w) => /^[0-9a-f]{64}$/.test(w.digest ?? ''))).toBe(true);
      expect(weights.some((w) => !w.trivial)).toBe(true);
    });
  }

  it.skipIf(missing(...Object.values(DLC)))('quantized DLCs carry their encodings; weight bytes follow the data types', () => {
    const v4 = graphs[EXPECT.v4.entry]!;
    // uFxp_8 weights: one byte per parameter.
    expect(v4.totals.weightBytes).toBe(EXPECT.v4.params);
    expect(v4.metadata).toMatchObject({ encodingBitwidths: [8], paramsRecord: 'NR64', graph: 'det_500m_1' });
    const conv0 = v4.layers[0]!;
    expect(conv0).toMatchObject({ name: 'Conv_0', op: 'Conv2d', category: 'conv', outputShapes: [[1, 320, 320, 16]] });
    // The first conv: 320·320 outputs × 16 channels × 3·3·3 = 11,059,200 MACs; kernel [3,3,3,16] + bias [16].
    expect(conv0.macs).toBe(320 * 320 * 16 * 27);
    expect(conv0.weights.map((w) => w.shape)).toEqual([[3, 3, 3, 16], [16]]);
    const sensifai = graphs[EXPECT.v3.entry]!;
    // float32: four bytes per parameter.
    expect(sensifai.totals.weightBytes).toBe(4 * EXPECT.v3.params);
    const hta = graphs[EXPECT.v3hta.entry]!;
    expect(hta.metadata.members).toEqual(['aip.metadata0', 'aip.metadata1', 'dlc.metadata', 'model', 'model.params']);
    expect(hta.metadata.quantizerCommand).toMatch(/^snpe-dlc-quantize .*enable_hta=true/);
  });

  it.skipIf(missing(...Object.values(DLC)))('DLC v2 says what it could not read', () => {
    const g = graphs[EXPECT.v2.entry]!;
    expect(g.notes?.join(' ')).toMatch(/DLC v2 .* undocumented.*could not be read/);
    expect(g.layers.at(-1)).toMatchObject({ op: 'Deconvolution', category: 'transposed_conv', outputShapes: [[1, 960, 1704, 3]], macs: 240 * 426 * 2400 });
  });
});
