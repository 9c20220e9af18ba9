/** MACs and params of well-known models against their published figures (within 3%). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import { parseTflite } from '../src/index.js';
import { tfliteFixture } from './support/models.js';

/**
 * Within 3%, or within the published figure's rounding where that is coarser: the TF-slim table gives
 * MobileNet v1 0.25/128 as "14" million MACs, i.e. anything in [13.5M, 14.5M).
 */
const within = (actual: number, expected: number, unit: number) =>
  Math.abs(actual - expected) <= Math.max(0.03 * expected, unit / 2);

const PUBLISHED = [
  // TF-slim MobileNet tables: MACs and parameters, and the unit they are rounded to.
  { name: 'mobilenet_v2_1.0_224_quant', macs: 300e6, params: 3.47e6, unit: 1e6 },
  { name: 'mobilenet_v1_0.5_160_quant', macs: 76e6, params: 1.32e6, unit: 1e6 },
  { name: 'mobilenet_v1_0.25_128_quant', macs: 14e6, params: 0.47e6, unit: 1e6 },
];

/** MobileNet v1 MACs from its architecture (Howard et al. 2017, table 1), independent of the parser. */
function mobilenetV1Macs(alpha: number, resolution: number): number {
  const c = (n: number) => Math.round(n * alpha);
  let size = resolution / 2;
  let inC = c(32);
  let macs = size * size * inC * 3 * 3 * 3;
  const blocks: [number, number][] = [[1, 64], [2, 128], [1, 128], [2, 256], [1, 256], [2, 512], [1, 512], [1, 512], [1, 512], [1, 512], [1, 512], [2, 1024], [1, 1024]];
  for (const [stride, out] of blocks) {
    size /= stride;
    macs += size * size * inC * 9; // depthwise 3×3
    macs += size * size * inC * c(out); // pointwise
    inC = c(out);
  }
  return macs + inC * 1001; // the classifier (a 1×1 conv over the pooled features)
}

describe('published MACs and params', () => {
  for (const p of PUBLISHED) {
    const path = tfliteFixture(p.name);
    it.skipIf(missing(path))(`${p.name}: ${p.macs / 1e6}M MACs, ${p.params / 1e6}M params`, () => {
      const g = parseTflite(readFileSync(path));
      expect(within(g.totals.macs, p.macs, p.unit), `MACs ${g.totals.macs}`).toBe(true);
      expect(within(g.totals.params, p.params, 0.01e6), `params ${g.totals.params}`).toBe(true);
      expect(g.totals.flops).toBeGreaterThan(2 * g.totals.macs); // plus pooling/softmax/activation FLOPs
      expect(g.quantization.scheme).toBe('uint8');
      expect(g.modality).toBe('image');
    });
  }

  for (const [alpha, res] of [[0.25, 128], [0.5, 160]] as const) {
    const path = tfliteFixture(`mobilenet_v1_${alpha}_${res}_quant`);
    it.skipIf(missing(path))(`mobilenet_v1_${alpha}_${res}: MACs equal the architecture's exactly`, () => {
      expect(parseTflite(readFileSync(path)).totals.macs).toBe(mobilenetV1Macs(alpha, res));
    });
  }

  it.skipIf(missing(tfliteFixture('mobilenet_v1_0.25_128_quant')))('mobilenet_v1 first conv: MACs, params, weights and attrs', () => {
    const g = parseTflite(readFileSync(tfliteFixture('mobilenet_v1_0.25_128_quant')));
    const conv = g.layers[0]!;
    expect(conv.op).toBe('CONV_2D');
    expect(conv.category).toBe('conv');
    // 64×64×8 outputs × 3×3×3 taps.
    expect(conv.macs).toBe(64 * 64 * 8 * 27);
    expect(conv.flops).toBe(2 * conv.macs);
    expect(conv.params).toBe(8 * 27 + 8);
    expect(conv.attrs).toMatchObject({ stride: [2, 2], padding: 'SAME', activation: 'RELU6' });
    expect(conv.weights.map((w) => w.shape)).toEqual([[8, 3, 3, 3], [8]]);
    expect(conv.weights[0]!.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(conv.weights[0]!.trivial).toBe(false);
    expect(conv.weights[1]!.trivial).toBe(true); // 8 elements: too small for lineage
    const dw = g.layers[1]!;
    expect(dw.category).toBe('depthwise_conv');
    expect(dw.macs).toBe(64 * 64 * 8 * 9);
    expect(g.metadata).toMatchObject({ name: 'ImageClassifier', schemaVersion: 3 });
  });
});
