/** The three real param+bin models: weights read in ncnn's layout add up to the file, one digest per tensor. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaugeError } from '@gaugenn/core';
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import { parseNcnn, parseNcnnArtifact } from '../src/index.js';
import { binPath, paramPath, parseFixture, REAL } from './support/models.js';

describe('real ncnn models with weights', () => {
  for (const name of REAL) {
    it.skipIf(missing(paramPath(name), binPath(name)))(`${name}: every .bin byte is accounted for, fp16 weights, digests`, () => {
      const g = parseFixture(name);
      const size = readFileSync(binPath(name)).length;
      const weights = g.layers.flatMap((l) => l.weights);
      const tagged = g.layers.flatMap((l) => l.weights.filter((w) => w.name === 'weight')).length;
      // Stored tensor bytes plus one 4-byte storage flag per conv kernel = the file's size, exactly.
      expect(g.totals.weightBytes + 4 * tagged).toBe(size);
      expect(weights.every((w) => /^[0-9a-f]{64}$/.test(w.digest ?? ''))).toBe(true);
      expect(g.quantization.weightDtype).toBe('float16');
      expect(g.metadata.weights).toBe('file');
      expect(g.layers.some((l) => l.category === 'custom')).toBe(false);
    });
  }

  it.skipIf(missing(paramPath('squeezenet_v1.1'), binPath('squeezenet_v1.1')))('squeezenet_v1.1 at 227: 1.24 M params, MACs from its own shapes', () => {
    const g = parseFixture('squeezenet_v1.1');
    expect(g.totals.params).toBe(1_235_496);
    // The same network as bench_squeezenet (both 227×227), so the same count.
    expect(g.totals.macs).toBe(parseFixture('bench_squeezenet').totals.macs);
    expect(g.outputs.map((o) => o.name)).toEqual(['prob']);
  });

  it.skipIf(missing(paramPath('nanodet_m')))('an Input without a size is analysed at an assumed size, and says so', () => {
    const g = parseFixture('nanodet_m');
    expect(g.inputs[0]!.shape).toEqual([1, 3, 224, 224]);
    expect(g.notes?.join(' ')).toMatch(/states no size/);
    const at320 = parseNcnn({ param: readFileSync(paramPath('nanodet_m')) }, { inputShape: [3, 320, 320] });
    expect(at320.inputs[0]!.shape).toEqual([1, 3, 320, 320]);
    // Fully convolutional: MACs scale with the pixel count.
    expect(at320.totals.macs / g.totals.macs).toBeCloseTo((320 * 320) / (224 * 224), 1);
  });

  it.skipIf(missing(paramPath('mnet.25-opt'), binPath('mnet.25-opt')))('a changed weight byte changes exactly one digest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ncnn-flip-'));
    const param = join(dir, 'm.param');
    const bin = join(dir, 'm.bin');
    copyFileSync(paramPath('mnet.25-opt'), param);
    const bytes = readFileSync(binPath('mnet.25-opt'));
    const before = parseNcnn({ param: readFileSync(param), bin: bytes });
    const flipped = Buffer.from(bytes);
    const at = Math.floor(bytes.length / 2);
    flipped[at] = flipped[at]! ^ 0x01;
    writeFileSync(bin, flipped);
    const after = parseNcnn({ param: readFileSync(param), bin: readFileSync(bin) });
    const d0 = before.layers.flatMap((l) => l.weights.map((w) => w.digest));
    const d1 = after.layers.flatMap((l) => l.weights.map((w) => w.digest));
    expect(d1).toHaveLength(d0.length);
    expect(d0.filter((d, i) => d !== d1[i])).toHaveLength(1);
  });

  it.skipIf(missing(paramPath('squeezenet_v1.1'), binPath('nanodet_m')))('a .bin from another model is MODEL_MALFORMED', () => {
    const e = (() => {
      try {
        parseNcnn({ param: readFileSync(paramPath('squeezenet_v1.1')), bin: readFileSync(binPath('nanodet_m')) });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(GaugeError);
    expect((e as GaugeError).code).toBe('MODEL_MALFORMED');
    expect((e as GaugeError).message).toMatch(/bytes/);
  });

  it.skipIf(missing(paramPath('squeezenet_v1.1'), binPath('squeezenet_v1.1')))('parses an artifact whose files carry roles, hashing them', async () => {
    const g = await parseNcnnArtifact({
      framework: 'ncnn',
      files: [
        { path: paramPath('squeezenet_v1.1'), sha256: '', bytes: 0, role: 'param' },
        { path: binPath('squeezenet_v1.1'), sha256: '', bytes: 0, role: 'weights' },
      ],
    });
    expect(g.files.map((f) => f.role)).toEqual(['param', 'weights']);
    expect(g.files[1]!.bytes).toBe(2_478_984);
    expect(g.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
