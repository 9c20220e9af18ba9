/** Published Caffe nets: MACs and params against hand counts and the published AlexNet figures. */
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import { parseCaffe } from '../src/index.js';
import { caffeFixture, countStoredValues } from './support/models.js';

describe('lenet.prototxt (prototxt only, file batch 64)', () => {
  const path = caffeFixture('lenet.prototxt');
  it.skipIf(missing(path))('MACs and params equal a hand count', async () => {
    const g = await parseCaffe([{ path }]);
    // Per image: conv1 20·24·24·(1·5·5) = 288,000; conv2 50·8·8·(20·5·5) = 1,600,000;
    // ip1 (50·4·4=800)·500 = 400,000; ip2 500·10 = 5,000 → 2,293,000 per inference; the file's batch of 64 is metadata only.
    expect(g.totals.macs).toBe(2_293_000);
    expect(g.totals.flops).toBeGreaterThan(2 * g.totals.macs);
    // conv1 20·25+20 = 520; conv2 50·500+50 = 25,050; ip1 800·500+500 = 400,500; ip2 500·10+10 = 5,010.
    expect(g.totals.params).toBe(520 + 25_050 + 400_500 + 5_010);
    expect(g.inputs).toEqual([{ name: 'data', shape: [1, 1, 28, 28], dtype: 'float32' }]);
    expect(g.outputs).toEqual([{ name: 'prob', shape: [1, 10], dtype: 'float32' }]);
    expect(g.layers.map((l) => l.category)).toEqual(['conv', 'pooling', 'conv', 'pooling', 'fully_connected', 'activation', 'fully_connected', 'activation']);
    expect(g.layers[1]!.outputShapes).toEqual([[1, 20, 12, 12]]);
    expect(g.layers[0]!.weights.map((w) => w.shape)).toEqual([[20, 1, 5, 5], [20]]);
    expect(g.layers[0]!.weights[0]!.digest).toBeUndefined();
    expect(g.totals.weightBytes).toBe(0);
    expect(g.modality).toBe('image');
    expect(g.metadata).toMatchObject({ name: 'LeNet', batch: 64, source: 'prototxt' });
  });
});

describe('bvlc_alexnet_deploy.prototxt', () => {
  const path = caffeFixture('bvlc_alexnet_deploy.prototxt');
  it.skipIf(missing(path))('within 2% of the published 724M MACs (with groups) and 61.0M params', async () => {
    const g = await parseCaffe([{ path }]);
    expect(g.metadata.batch).toBe(10);
    expect(g.inputs[0]!.shape[0]).toBe(1);
    const macs = g.totals.macs;
    expect(Math.abs(macs - 724e6) / 724e6).toBeLessThan(0.02);
    expect(Math.abs(g.totals.params - 61.0e6) / 61.0e6).toBeLessThan(0.02);
    const conv2 = g.layers.find((l) => l.name === 'conv2')!;
    expect(conv2.attrs).toMatchObject({ group: 2 });
    expect(conv2.weights[0]!.shape).toEqual([256, 48, 5, 5]);
    // Pooling rounds up: 55 → 27 → 13 → 6.
    expect(g.layers.find((l) => l.name === 'pool5')!.outputShapes).toEqual([[1, 256, 6, 6]]);
  });
});

for (const det of ['mtcnn_det1', 'mtcnn_det2']) {
  describe(`${det} with its caffemodel`, () => {
    const proto = caffeFixture(`${det}.prototxt`);
    const model = caffeFixture(`${det}.caffemodel`);
    it.skipIf(missing(proto, model))('params equal the weight values stored for the layers it runs', async () => {
      const g = await parseCaffe([
        { path: proto, role: 'prototxt' },
        { path: model, role: 'caffemodel' },
      ]);
      const stored = countStoredValues(model);
      const ran = new Set(g.layers.map((l) => l.name));
      const storedForRun = [...stored.byLayer].filter(([n]) => ran.has(n)).reduce((s, [, v]) => s + v, 0);
      expect(g.totals.params).toBe(storedForRun);
      expect(g.totals.weightBytes).toBe(storedForRun * 4);
      for (const l of g.layers) for (const w of l.weights) expect(w.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(g.files.map((f) => f.role)).toEqual(['prototxt', 'caffemodel']);
      expect(g.totals.macs).toBeGreaterThan(0);
      if (det === 'mtcnn_det1') {
        // P-Net stores every weight the prototxt uses: 6,632 values.
        expect(g.totals.params).toBe(stored.total);
        expect(stored.total).toBe(6632);
        expect(g.outputs.map((o) => o.shape)).toEqual([[1, 4, 1, 1], [1, 2, 1, 1]]);
        // conv1 10·10·10·27 + conv2 16·3·3·90 + conv3 32·1·1·144 + conv4-1 2·32 + conv4-2 4·32.
        expect(g.totals.macs).toBe(27_000 + 12_960 + 4_608 + 64 + 128);
      } else {
        // The R-Net caffemodel also holds conv5-3 (landmarks), which this deploy prototxt does not run.
        expect(stored.total - g.totals.params).toBe(10 * 128 + 10);
        expect(g.notes!.join(' ')).toContain('conv5-3');
        expect(g.layers.find((l) => l.name === 'conv4')!.inputShapes).toEqual([[1, 64, 3, 3]]);
      }
    });

    it.skipIf(missing(model))('the caffemodel alone is analysable: all stored values count, inputs are open', async () => {
      const g = await parseCaffe([{ path: model }]);
      expect(g.totals.params).toBe(countStoredValues(model).total);
      expect(g.metadata.source).toBe('caffemodel');
      expect(g.layers.some((l) => l.op === 'HDF5Data')).toBe(false);
      expect(g.notes!.join(' ')).toMatch(/TRAIN-phase only/);
      // With the input size given, MACs are counted from the stored layer definitions too.
      const input = det === 'mtcnn_det1' ? 'data12face' : 'data24';
      const size = det === 'mtcnn_det1' ? 12 : 24;
      const sized = await parseCaffe([{ path: model }], { inputShapes: { [input]: [1, 3, size, size] } });
      const withProto = await parseCaffe([{ path: caffeFixture(`${det}.prototxt`) }, { path: model }]);
      const shared = withProto.layers.filter((l) => l.macs > 0);
      for (const l of shared) expect(sized.layers.find((s) => s.name === l.name)?.macs, l.name).toBe(l.macs);
    });
  });
}
