/**
 * Layers the fixtures do not use (deconvolution, Interp, Padding, Reshape, LSTM, MultiHeadAttention, Gemm and
 * an unknown custom layer), in one hand-made param that stands for a small sequence model. Shapes are checked
 * against the real ncnn runtime's own outputs (when installed), MACs against the formulas written out here.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNcnn } from '../src/index.js';
import { hostPython, runtimeMissing } from '../../../test-support/host-runtime.js';

const LAYERS = [
  'Input in 0 1 data 0=16 1=16 2=8',
  'Deconvolution dc 1 1 data dc 0=4 1=4 3=2 4=1 5=1 6=512',
  'Interp up 1 1 dc up 0=2 1=2.0 2=2.0',
  'Padding pd 1 1 up pd 0=1 1=2 2=3 3=4',
  'Reshape rs 1 1 pd rs 0=71 1=-1',
  'LSTM lstm 1 1 rs lstm 0=12 1=6816 2=2',
  'MultiHeadAttention mha 1 1 lstm mha 0=24 1=4 2=576',
  'Gemm gm 1 1 mha gm 4=0 5=1 6=0 7=0 8=10 9=24',
];
const PARAM = ['7767517', `${LAYERS.length} ${LAYERS.length}`, ...LAYERS].join('\n');

describe('layers beyond the fixtures', () => {
  const g = parseNcnn({ param: Buffer.from(PARAM) });
  const by = (op: string) => g.layers.find((l) => l.op === op)!;

  it('MACs and params follow the written-out formulas', () => {
    // Deconvolution: every input pixel scatters a 4×4 kernel into 4 outputs: 16·16 × 8 × 4 × 16.
    expect(by('Deconvolution').macs).toBe(16 * 16 * 8 * 4 * 16);
    // Bidirectional LSTM, T=268, input 71, hidden 12: 2 dirs × 4 gates × 12 × (71 + 12) per step.
    expect(by('LSTM').macs).toBe(268 * 2 * 4 * 12 * (71 + 12));
    expect(by('LSTM').params).toBe(2 * 48 * 71 + 2 * 4 * 12 + 2 * 48 * 12);
    // Self-attention, seq 268, embed 24: q/k/v/out projections + QKᵀ + AV.
    expect(by('MultiHeadAttention').macs).toBe(4 * 268 * 24 * 24 + 2 * 268 * 268 * 24);
    expect(by('Gemm').macs).toBe(268 * 10 * 24);
    expect(by('Gemm').category).toBe('matmul');
  });

  it('an unknown layer becomes custom with unknown shapes, and the notes say so', () => {
    const lines = [...LAYERS, 'MysteryOp x 1 1 gm x'];
    const h = parseNcnn({ param: Buffer.from(['7767517', `${lines.length} ${lines.length}`, ...lines].join('\n')) });
    const x = h.layers.at(-1)!;
    expect(x).toMatchObject({ op: 'MysteryOp', category: 'custom', macs: 0, outputShapes: [[]] });
    expect(h.notes!.join(' ')).toMatch(/custom.*MysteryOp/);
  });

  it.skipIf(runtimeMissing('import ncnn', 'ncnn==1.0.20261020'))('inferred shapes equal what ncnn itself produces', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ncnn-layers-'));
    writeFileSync(join(dir, 'm.param'), PARAM);
    const script = [
      'import ncnn, numpy as np, json, sys',
      'net = ncnn.Net(); assert net.load_param(sys.argv[1]) == 0; assert net.load_model(ncnn.DataReaderFromEmpty()) == 0',
      "ex = net.create_extractor(); ex.input('data', ncnn.Mat(np.random.rand(8,16,16).astype(np.float32)).clone())",
      'out = {}',
      "for b in ['dc','up','pd','rs','lstm','mha','gm']:",
      '    r, m = ex.extract(b); out[b] = [m.c, m.h, m.w][3 - m.dims:]',
      'print(json.dumps(out))',
    ].join('\n');
    const real = JSON.parse(execFileSync(hostPython(), ['-c', script, join(dir, 'm.param')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').pop()!);
    const ours = Object.fromEntries(g.layers.slice(1).map((l) => [l.name, l.outputShapes[0]]));
    expect(ours).toEqual(real);
  });
});
