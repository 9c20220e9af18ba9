/** Every real model parses into a consistent IR; special ops (Edge TPU, LSTM, MediaPipe custom) come out right. */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CATEGORIES, MAC_CATEGORIES, layerFlops, sumTotals, type ModelGraph } from '@gaugenn/core';
import { describe, expect, it } from 'vitest';
import { missing, repoRoot } from '../../../test-support/fixtures.js';
import { parseTflite } from '../src/index.js';
import ops from '../src/parse/ops.json' with { type: 'json' };
import { fixtureNames, mediapipeModels, tfliteFixture } from './support/models.js';

function checkGraph(g: ModelGraph): void {
  expect(g.framework).toBe('tflite');
  expect(g.layers.length).toBeGreaterThanOrEqual(1);
  expect(g.inputs.length).toBeGreaterThanOrEqual(1);
  for (const i of g.inputs) expect(i.shape.length, `input ${i.name}`).toBeGreaterThan(0);
  expect(g.outputs.length).toBeGreaterThanOrEqual(1);
  expect(g.totals).toEqual(sumTotals(g.layers));
  for (const l of g.layers) {
    expect(CATEGORIES).toContain(l.category);
    expect(l.flops).toBe(layerFlops(l.category, l.macs, l.outputShapes));
    if (!MAC_CATEGORIES.has(l.category)) expect(l.macs).toBe(0);
    expect(l.params).toBe(l.weights.reduce((s, w) => s + w.shape.reduce((a, d) => a * Math.max(d, 1), 1), 0));
  }
}

describe('shared fixtures', () => {
  for (const name of fixtureNames()) {
    const path = tfliteFixture(name);
    it.skipIf(missing(path))(`${name} parses`, () => checkGraph(parseTflite(readFileSync(path), [{ path, sha256: 'x', bytes: 1 }])));
  }

  const edgetpu = tfliteFixture('mobilenet_v1_0.25_128_quant_edgetpu');
  it.skipIf(missing(edgetpu))('the Edge TPU model is one custom layer named edgetpu-custom-op', () => {
    const g = parseTflite(readFileSync(edgetpu));
    const custom = g.layers.filter((l) => l.category === 'custom');
    expect(custom.length).toBeGreaterThanOrEqual(1);
    expect(custom[0]!.attrs).toMatchObject({ customCode: 'edgetpu-custom-op', builtin: 'CUSTOM' });
    expect(custom[0]!.op).toBe('edgetpu-custom-op');
    expect(custom[0]!.macs).toBe(0);
  });

  const lstm = tfliteFixture('keras_lstm_mnist_ptq');
  it.skipIf(missing(lstm))('the Keras LSTM has a recurrent layer with its matrix MACs', () => {
    const g = parseTflite(readFileSync(lstm));
    const rec = g.layers.find((l) => l.category === 'recurrent');
    expect(rec?.op).toBe('UNIDIRECTIONAL_SEQUENCE_LSTM');
    // 28 time steps × (4 input matrices 20×28 + 4 recurrent matrices 20×20).
    expect(rec!.macs).toBe(28 * (4 * 20 * 28 + 4 * 20 * 20));
    expect(rec!.flops).toBe(2 * rec!.macs);
    // The loop body (every time step) is in the model's MACs, and a note says so.
    expect(rec!.attrs).toMatchObject({ timeSteps: 28 });
    expect(g.totals.macs).toBe(rec!.macs + 560 * 10);
    expect(g.notes!.join(' ')).toMatch(/UNIDIRECTIONAL_SEQUENCE_LSTM\) runs its recurrence loop inside the op: its MACs count all 28 time step/);
    expect(g.metadata.signatures).toEqual([{ key: 'serving_default', subgraph: 0, inputs: ['x'], outputs: ['output_0'] }]);
  });

  const split = tfliteFixture('split_concat');
  it.skipIf(missing(split))('split_concat has no weights and several inputs', () => {
    const g = parseTflite(readFileSync(split));
    expect(g.inputs.map((i) => i.shape)).toEqual([[1, 8, 8, 3], [1, 8, 8, 1], [1, 8, 8, 2]]);
    expect(g.layers.every((l) => l.category === 'concat_split')).toBe(true);
  });
});

describe('@mediapipe models', () => {
  const models = mediapipeModels();
  it.skipIf(models.length === 0 && missing(join(repoRoot, 'node_modules', '@mediapipe')))('the packages ship at least 17 models', () => {
    expect(models.length).toBeGreaterThanOrEqual(17);
  });
  for (const path of models) {
    it(`${basename(path)} parses`, () => {
      const g = parseTflite(readFileSync(path), [{ path, sha256: 'x', bytes: 1 }]);
      checkGraph(g);
      expect(g.totals.macs).toBeGreaterThan(1e6);
      expect(g.modality).toBe('image');
    });
  }

  const selfie = models.find((m) => basename(m) === 'selfie_segmentation.tflite');
  it.skipIf(!selfie)('Convolution2DTransposeBias counts as a transposed conv', () => {
    const g = parseTflite(readFileSync(selfie!));
    const up = g.layers.find((l) => l.op === 'Convolution2DTransposeBias')!;
    expect(up.category).toBe('transposed_conv');
    // input 128×128×16, filter [1, 2, 2, 16]: each input element meets 2×2×1 weights.
    expect(up.macs).toBe(128 * 128 * 16 * 2 * 2 * 1);
    expect(g.quantization.scheme).toBe('fp16');
  });

  const sparse = models.find((m) => basename(m) === 'face_detection_full_range_sparse.tflite');
  it.skipIf(!sparse)('sparse weights are named in notes', () => {
    const g = parseTflite(readFileSync(sparse!));
    expect(g.notes?.some((n) => n.includes('sparse'))).toBe(true);
  });

  const poses = models.filter((m) => basename(m) === 'pose_landmark_lite.tflite');
  it.skipIf(poses.length < 2)('the same model in two packages has the same weight digests', () => {
    const [a, b] = poses.map((p) => parseTflite(readFileSync(p)));
    const digests = (g: ModelGraph) => g.layers.flatMap((l) => l.weights.filter((w) => !w.trivial).map((w) => w.digest));
    expect(digests(a!)).toEqual(digests(b!));
    expect(digests(a!).length).toBeGreaterThan(10);
  });
});

describe('ops.json', () => {
  it('covers builtin codes 0..max with no gaps, each in a core category', () => {
    const codes = ops.builtins.map((o) => o.code);
    expect(codes).toEqual(codes.map((_, i) => i));
    expect(codes.length).toBeGreaterThan(200);
    for (const o of ops.builtins) expect(CATEGORIES, o.name).toContain(o.category);
    const byName = Object.fromEntries(ops.builtins.map((o) => [o.name, o]));
    expect(byName.CONV_2D).toMatchObject({ code: 3, category: 'conv' });
    expect(byName.CUSTOM).toMatchObject({ code: 32, category: 'custom' });
    expect(byName.BATCH_MATMUL).toMatchObject({ code: 126, category: 'matmul' });
  });
});
