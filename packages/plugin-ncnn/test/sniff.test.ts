/** Sniffers claim text/binary params as models and matching `.bin` files as their weights; content pairing. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import { binMatchesParam, ncnnSniffer, pairByContent } from '../src/index.js';
import { toBinaryParam } from './support/binary-param.js';
import { binPath, paramPath } from './support/models.js';

const sniff = (path: string, data: Uint8Array) => ncnnSniffer.sniff({ path, size: data.length, head: data.subarray(0, 4096) });

describe('ncnn sniffer', () => {
  const names = ['squeezenet_v1.1', 'mnet.25-opt', 'nanodet_m'];
  it.skipIf(missing(...names.map(paramPath)))('claims text params as models grouped by path', () => {
    for (const n of names) {
      expect(sniff(`assets/${n}.param`, readFileSync(paramPath(n)))).toEqual({ framework: 'ncnn', kind: 'model', role: 'param', group: `assets/${n}` });
    }
  });

  it.skipIf(missing(paramPath('squeezenet_v1.1')))('claims binary params (.param.bin) with the same group', () => {
    const bin = toBinaryParam(readFileSync(paramPath('squeezenet_v1.1'), 'utf8'));
    expect(sniff('assets/sq.param.bin', bin)).toEqual({ framework: 'ncnn', kind: 'model', role: 'param', group: 'assets/sq' });
  });

  it.skipIf(missing(...names.map(binPath)))('claims a .bin as weights only when its name and head agree', () => {
    const bytes = readFileSync(binPath('nanodet_m'));
    expect(sniff('assets/nanodet_m.bin', bytes)).toEqual({ framework: 'ncnn', kind: 'weights', role: 'weights', group: 'assets/nanodet_m' });
    expect(sniff('assets/nanodet_m.dat', bytes)).toBeUndefined();
    // A .bin whose first word is no storage flag (here: a PNG header) is not ncnn weights.
    expect(sniff('assets/x.bin', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))).toBeUndefined();
  });

  it('ignores text that merely starts with digits', () => {
    expect(sniff('a.txt', Buffer.from('77675170\n1 2\n'))).toBeUndefined();
    expect(sniff('a.txt', Buffer.from('7767517 is a number\n'))).toBeUndefined();
  });

  it.skipIf(missing(...names.map(paramPath), ...names.map(binPath)))('pairs params and weights by content alone', () => {
    const params = names.map((n) => ({ id: n, bytes: readFileSync(paramPath(n)) }));
    const bins = [...names].reverse().map((n) => ({ id: `renamed-${n}`, bytes: readFileSync(binPath(n)) }));
    expect(pairByContent(params, bins).sort((a, b) => a.param.localeCompare(b.param))).toEqual(
      names.map((n) => ({ param: n, weights: `renamed-${n}` })).sort((a, b) => a.param.localeCompare(b.param)),
    );
    expect(binMatchesParam(params[0]!.bytes, bins[0]!.bytes)).toBe(false);
  });
});
