/**
 * One inference everywhere: BVLC's deploy files state a batch of 10, and gaugeNN's figures are per single
 * inference at batch 1 with the file's batch kept in `metadata.batch`. The CaffeNet and GoogLeNet deploy nets are
 * written here from their published layer definitions (BVLC models/bvlc_reference_caffenet and
 * models/bvlc_googlenet deploy.prototxt: the same layers, kernels, strides, pads, groups and outputs).
 */
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import { parseCaffe, parsePrototxtGraph } from '../src/index.js';
import { caffeFixture } from './support/models.js';
import { caffenet, googlenet } from '../../../test-support/bvlc-nets.js';

const within = (x: number, published: number, tol = 0.02) => Math.abs(x - published) / published;

describe('BVLC deploy files with batch 10: figures per single inference', () => {
  it('CaffeNet: within 2% of the published 724M MACs, metadata.batch 10, and a note', () => {
    const g = parsePrototxtGraph(caffenet, 'caffenet/deploy.prototxt');
    expect(within(g.totals.macs, 724e6)).toBeLessThan(0.02);
    expect(within(g.totals.params, 61.0e6)).toBeLessThan(0.02);
    expect(g.metadata.batch).toBe(10);
    expect(g.inputs).toEqual([{ name: 'data', shape: [1, 3, 227, 227], dtype: 'float32' }]);
    expect(g.layers.find((l) => l.name === 'pool5')!.outputShapes).toEqual([[1, 256, 6, 6]]);
    expect(g.outputs[0]!.shape).toEqual([1, 1000]);
    expect(g.notes!.join(' ')).toMatch(/batch of 10 \(metadata\.batch\).*one inference \(batch 1\)/);
  });

  it('GoogLeNet: within 2% of the published 1.58G MACs, metadata.batch 10, and a note', () => {
    const g = parsePrototxtGraph(googlenet, 'googlenet/deploy.prototxt');
    expect(within(g.totals.macs, 1.58e9)).toBeLessThan(0.02);
    // 6.8M parameters is the published count for the inference path (auxiliary heads excluded).
    expect(within(g.totals.params, 6.99e6, 0.05)).toBeLessThan(0.05);
    expect(g.metadata.batch).toBe(10);
    expect(g.layers.find((l) => l.name === 'inception_5b/output')!.outputShapes).toEqual([[1, 1024, 7, 7]]);
    expect(g.notes!.join(' ')).toContain('metadata.batch');
  });

  it('a file at batch 1 says batch 1 and adds no batch note', () => {
    const g = parsePrototxtGraph(caffenet.replace('dim: 10', 'dim: 1'));
    expect(g.metadata.batch).toBe(1);
    expect(g.notes!.join(' ')).not.toContain('metadata.batch');
  });

  const alexnet = caffeFixture('bvlc_alexnet_deploy.prototxt');
  it.skipIf(missing(alexnet))('the AlexNet fixture (input_dim 10) counts one inference too', async () => {
    const g = await parseCaffe([{ path: alexnet }]);
    expect(g.metadata.batch).toBe(10);
    expect(g.inputs[0]!.shape[0]).toBe(1);
    expect(within(g.totals.macs, 724e6)).toBeLessThan(0.02);
  });
});
