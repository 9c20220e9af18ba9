/**
 * Truncated or lying params and bins give typed errors that say what is wrong, never a crash. The small
 * params here are hand-made stand-ins for damaged files: each names the lie it tells.
 */
import { readFileSync } from 'node:fs';
import { GaugeError, type ModelGraph } from '@gaugenn/core';
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import { parseNcnn } from '../src/index.js';
import { toBinaryParam } from './support/binary-param.js';
import { binPath, paramPath } from './support/models.js';

const CONV = ['7767517', '2 2', 'Input in 0 1 data 0=32 1=32 2=3', 'Convolution c 1 1 data out 0=8 1=3 5=1 6=216'].join('\n');

function fails(param: string | Uint8Array, bin?: Uint8Array): GaugeError {
  let g: ModelGraph | undefined;
  try {
    g = parseNcnn({ param: typeof param === 'string' ? Buffer.from(param) : param, bin });
  } catch (e) {
    expect(e).toBeInstanceOf(GaugeError);
    expect((e as GaugeError).code).toBe('MODEL_MALFORMED');
    return e as GaugeError;
  }
  throw new Error(`parsed without error: ${g?.layers.length} layers`);
}

describe('malformed ncnn params', () => {
  it('the hand-made conv parses (the baseline the lies below change)', () => {
    const g = parseNcnn({ param: Buffer.from(CONV) });
    expect(g.layers[1]!.outputShapes).toEqual([[8, 30, 30]]);
    expect(g.totals.macs).toBe(216 * 30 * 30);
  });

  it('not a param: wrong magic', () => expect(fails('7767518\n1 1\nInput a 0 1 a').message).toMatch(/magic/));
  it('a layer count that does not match the lines', () => expect(fails(CONV.replace('2 2', '3 2')).message).toMatch(/declares 3 layers but the file has 2/));
  it('a blob count smaller than the blobs made', () => expect(fails(CONV.replace('2 2', '2 1')).message).toMatch(/declares 1 blobs/));
  it('a missing blob', () => expect(fails(CONV.replace('1 1 data out', '1 1 nosuch out')).message).toMatch(/reads blob "nosuch"/));
  it('fewer blob names than the counts', () => expect(fails(CONV.replace('1 1 data out 0=8 1=3 5=1 6=216', '1 9 data out')).message).toMatch(/names only/));
  it('weight_data_size that contradicts the channels', () => expect(fails(CONV.replace('6=216', '6=217')).message).toMatch(/weight_data_size is 217/));
  it('absurd dimensions', () => expect(fails(CONV.replace('0=32 1=32', '0=2000000000 1=32')).message).toMatch(/absurd/));
  it('a kernel larger than its input', () => expect(fails(CONV.replace('1=3 5=1 6=216', '1=99 5=1 6=235224')).message).toMatch(/larger than/));
  it('a non-numeric param value', () => expect(fails(CONV.replace('0=8', '0=eight')).message).toMatch(/not a number/));
  it('an array param whose count lies', () => expect(fails(CONV.replace('6=216', '6=216 -23300=3,1,2')).message).toMatch(/declares 3 array values/));
  it('a huge layer count is refused by the safety limit (LIMIT_EXCEEDED), before any allocation', () => {
    expect(() => parseNcnn({ param: Buffer.from('7767517\n999999999 1\nInput a 0 1 a') })).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED', message: expect.stringMatching(/declares 999999999 layers/) }));
  });
  it('an empty file', () => expect(fails('').message).toMatch(/magic/));

  it('a truncated binary param', () => {
    const bin = toBinaryParam(CONV);
    expect(parseNcnn({ param: bin }).totals.macs).toBe(216 * 30 * 30);
    for (const cut of [3, 12, 20, bin.length - 4]) expect(fails(bin.subarray(0, cut)).code).toBe('MODEL_MALFORMED');
  });

  it('a binary param whose array length runs past the file', () => {
    const bin = Buffer.from(toBinaryParam(CONV.replace('6=216', '6=216 -23300=1,5')));
    // The array length word sits right after its id (-23300); make it enormous.
    const at = bin.indexOf(Buffer.from(new Int32Array([-23300]).buffer)) + 4;
    bin.writeInt32LE(0x7fffffff, at);
    expect(fails(bin).message).toMatch(/beyond the file/);
  });
});

describe('malformed ncnn weights', () => {
  const p = paramPath('squeezenet_v1.1');
  const b = binPath('squeezenet_v1.1');
  it.skipIf(missing(p, b))('a truncated .bin says where it ran out', () => {
    const bin = readFileSync(b);
    const e = fails(readFileSync(p), bin.subarray(0, bin.length - 1000));
    expect(e.message).toMatch(/has 2477984 bytes but/);
  });
  it.skipIf(missing(p, b))('a .bin with extra bytes states expected vs actual', () => {
    const e = fails(readFileSync(p), Buffer.concat([readFileSync(b), Buffer.alloc(8)]));
    expect(e.message).toMatch(/read 2478984 bytes of weights but the \.bin has 2478992 bytes/);
  });
});
