/**
 * ncnn's own benchmark networks (param-only): MACs and params within 2% of an independent count for the same
 * network at the input size the file states — the published figure where one exists, otherwise a count this
 * test makes itself from the file's layer fields and the output shapes its `-23330` hints state.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import { BENCH, paramPath, parseFixture } from './support/models.js';

/**
 * Published figures (multiply-accumulates, parameters) for the exact network and input size:
 * MobileNet v1 1.0-224: 569 M / 4.2 M (Howard et al. 2017, Table 8);
 * ResNet-18 at 224: 1.82 G / 11.7 M (He et al. 2016, Table 1 FLOPs column counts MACs);
 * GoogLeNet at 224: 1.58 G / 7.0 M (the commonly cited count; Szegedy et al. give ~1.5 G multiply-adds, 6.8 M);
 * ShuffleNet v2 1.0× at 224: 146 M / 2.3 M (Ma et al. 2018, Table 5 / official repo 2.28 M).
 */
const PUBLISHED: Record<string, { macs: number; params: number; input: number[] }> = {
  bench_mobilenet: { macs: 569e6, params: 4.2e6, input: [1, 3, 224, 224] },
  bench_resnet18: { macs: 1.82e9, params: 11.7e6, input: [1, 3, 224, 224] },
  bench_googlenet: { macs: 1.58e9, params: 7.0e6, input: [1, 3, 224, 224] },
  bench_shufflenet_v2: { macs: 146e6, params: 2.28e6, input: [1, 3, 224, 224] },
};

/** Text param → [type, name, fields] per layer (the test's own tiny reader). */
function layers(text: string) {
  return text
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const t = l.trim().split(/\s+/);
      const nb = Number(t[2]);
      const nt = Number(t[3]);
      const kv = new Map(t.slice(4 + nb + nt).map((x) => x.split('=') as [string, string]));
      return { type: t[0]!, ins: t.slice(4, 4 + nb), outs: t.slice(4 + nb, 4 + nb + nt), kv };
    });
}

/** MACs/params from weight_data_size × the hinted output h×w (convs) and weight_data_size (FC). */
function countFromHints(text: string) {
  let macs = 0;
  let params = 0;
  for (const l of layers(text)) {
    const wds = Number(l.kv.get('6') ?? 0);
    if (l.type === 'Convolution' || l.type === 'ConvolutionDepthWise') {
      const [, w, h] = l.kv.get('-23330')!.split(',').slice(1).map(Number) as [number, number, number];
      macs += wds * w * h;
      params += wds + (l.kv.get('5') === '1' ? Number(l.kv.get('0')) : 0);
    } else if (l.type === 'InnerProduct') {
      macs += Number(l.kv.get('2'));
      params += Number(l.kv.get('2')) + (l.kv.get('1') === '1' ? Number(l.kv.get('0')) : 0);
    }
  }
  return { macs, params };
}

/**
 * BlazeFace's param has no hints: follow the square spatial size by hand through the only layer kinds it uses
 * (Padding adds top+bottom, conv/pool shrink by their own kernel, stride and pad fields).
 */
function countBlazeface(text: string) {
  const size = new Map<string, number>();
  let macs = 0;
  let params = 0;
  for (const l of layers(text)) {
    const n = (k: string, d = 0) => Number(l.kv.get(k) ?? d);
    const s = l.type === 'Input' ? n('0') : size.get(l.ins[0]!)!;
    let out = s;
    if (l.type === 'Padding') out = s + n('0') + n('1');
    if (l.type === 'Convolution' || l.type === 'ConvolutionDepthWise') {
      out = Math.floor((s + 2 * n('4') - n('1')) / n('3', 1)) + 1;
      macs += n('6') * out * out;
      params += n('6') + (n('5') ? n('0') : 0);
    }
    if (l.type === 'Pooling') out = Math.floor((s - n('1')) / n('2', 1)) + 1;
    for (const o of l.outs) size.set(o, out);
  }
  return { macs, params };
}

const within = (actual: number, expected: number, tol = 0.02) => Math.abs(actual - expected) / expected <= tol;

describe('bench_*.param: MACs and params against independent counts', () => {
  for (const name of Object.keys(PUBLISHED)) {
    it.skipIf(missing(paramPath(name)))(`${name} matches the published figure within 2%`, () => {
      const g = parseFixture(name);
      const pub = PUBLISHED[name]!;
      expect(g.inputs[0]!.shape).toEqual(pub.input);
      expect(within(g.totals.macs, pub.macs), `${g.totals.macs} MACs vs ${pub.macs}`).toBe(true);
      expect(within(g.totals.params, pub.params), `${g.totals.params} params vs ${pub.params}`).toBe(true);
      expect(g.totals.flops).toBeGreaterThan(2 * g.totals.macs);
    });
  }

  for (const name of ['bench_squeezenet', 'bench_mobilenet_ssd', 'bench_mobilenet_int8']) {
    it.skipIf(missing(paramPath(name)))(`${name} matches the count from its layer fields and -23330 shapes`, () => {
      const g = parseFixture(name);
      const ref = countFromHints(readFileSync(paramPath(name), 'utf8'));
      expect(ref.macs).toBeGreaterThan(1e8);
      expect(within(g.totals.macs, ref.macs), `${g.totals.macs} vs ${ref.macs}`).toBe(true);
      expect(within(g.totals.params, ref.params), `${g.totals.params} vs ${ref.params}`).toBe(true);
      // Every inferred shape agrees with the file's hints, so the shapes were not a lucky guess.
      expect((g.metadata.shapeHintsChecked as { mismatched: number }).mismatched).toBe(0);
    });
  }

  it.skipIf(missing(paramPath('bench_blazeface')))('bench_blazeface matches a hand-followed count at 128×128', () => {
    const g = parseFixture('bench_blazeface');
    const ref = countBlazeface(readFileSync(paramPath('bench_blazeface'), 'utf8'));
    expect(g.inputs[0]!.shape).toEqual([1, 3, 128, 128]);
    expect(within(g.totals.macs, ref.macs), `${g.totals.macs} vs ${ref.macs}`).toBe(true);
    expect(g.totals.params).toBe(ref.params);
  });

  it.skipIf(missing(...BENCH.map(paramPath)))('param-only models say weights are absent and carry no digests', () => {
    for (const name of BENCH) {
      const g = parseFixture(name);
      expect(g.metadata.weights).toBe('absent');
      expect(g.notes?.join(' ')).toMatch(/No \.bin weights file.*generated/);
      expect(g.layers.flatMap((l) => l.weights).every((w) => w.digest === undefined)).toBe(true);
      expect(g.layers.some((l) => l.category === 'custom')).toBe(false);
    }
  });

  it.skipIf(missing(paramPath('bench_mobilenet_int8')))('the int8 MobileNet reads as int8 weights with fp32 activations', () => {
    const g = parseFixture('bench_mobilenet_int8');
    expect(g.quantization.weightDtype).toBe('int8');
    expect(g.quantization.scheme).toBe('dynamic-range-int8');
    const conv = g.layers.find((l) => l.op === 'Convolution')!;
    expect(conv.weights.map((w) => w.name)).toEqual(['weight', 'bias', 'weight_int8_scales', 'bottom_int8_scales', 'top_int8_scales']);
  });

  it.skipIf(missing(paramPath('bench_shufflenet_v2')))('categories come from the table: depthwise, shuffle, slice', () => {
    const g = parseFixture('bench_shufflenet_v2');
    const cat = (op: string) => g.layers.find((l) => l.op === op)!.category;
    expect(cat('ConvolutionDepthWise')).toBe('depthwise_conv');
    expect(cat('ShuffleChannel')).toBe('reshape');
    expect(cat('Slice')).toBe('concat_split');
    expect(cat('InnerProduct')).toBe('fully_connected');
    expect(g.modality).toBe('image');
  });
});
