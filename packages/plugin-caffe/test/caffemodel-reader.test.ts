/**
 * The streaming caffemodel reader: packed and unpacked blob data give the same figures, a tiny read window
 * (forcing refills everywhere) changes nothing, and broken files are MODEL_MALFORMED GaugeErrors.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GaugeError } from '@gaugenn/core';
import { missing } from '../../../test-support/fixtures.js';
import { encodeCaffemodel, readCaffemodel, seededFill } from '../src/index.js';
import { caffeFixture } from './support/models.js';

const varint = (n: number) => {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
};
const field = (num: number, body: Buffer) => Buffer.concat([varint(num * 8 + 2), varint(body.length), body]);
const floats = (v: number[]) => Buffer.from(new Float32Array(v).buffer);

/** A V1 caffemodel (field 2 `layers`, enum type) whose blob stores its values one field per value (wire type 5). */
function unpackedV1(values: number[]): Buffer {
  const data = Buffer.concat(values.map((v) => Buffer.concat([Buffer.from([0x2d]), floats([v])])));
  const blob = Buffer.concat([Buffer.from([0x08, 1, 0x10, 1, 0x18, 1, 0x20]), varint(values.length), data]); // num, channels, height, width
  const layer = Buffer.concat([field(2, Buffer.from('data')), field(3, Buffer.from('fc')), field(4, Buffer.from('fc')), Buffer.from([0x28, 14]), field(6, blob)]);
  return Buffer.concat([field(1, Buffer.from('old')), field(2, layer)]);
}

/** The same values as a V2 caffemodel with packed data and a BlobShape. */
function packedV2(values: number[]): Buffer {
  const shape = Buffer.concat([Buffer.from([0x08]), varint(values.length)]);
  const blob = Buffer.concat([field(7, shape), field(5, floats(values))]);
  const layer = Buffer.concat([field(1, Buffer.from('fc')), field(2, Buffer.from('InnerProduct')), field(7, blob)]);
  return Buffer.concat([field(1, Buffer.from('new')), field(100, layer)]);
}

describe('readCaffemodel', () => {
  const values = Array.from({ length: 300 }, (_, i) => Math.sin(i));
  const expected = createHash('sha256').update(floats(values)).digest('hex');

  it('packed and unpacked data give the same count and digest (V1 and V2 layers)', async () => {
    const v1 = await readCaffemodel(unpackedV1(values), { window: 64 });
    const v2 = await readCaffemodel(packedV2(values), { window: 64 });
    expect(v1.layers[0]!.v1).toBe(true);
    expect(v1.layers[0]!.msg).toMatchObject({ name: 'fc', type: 'INNER_PRODUCT', bottom: ['data'] });
    expect(v1.layers[0]!.blobs[0]).toMatchObject({ count: 300, bytes: 1200, shape: [1, 1, 1, 300], digest: expected, allZero: false });
    expect(v2.layers[0]!.blobs[0]).toMatchObject({ count: 300, bytes: 1200, shape: [300], digest: expected });
    expect(v2.net.name).toBe('new');
  });

  it.skipIf(missing(caffeFixture('mtcnn_det2.caffemodel')))('a 64-byte window reads mtcnn_det2 exactly as a 4 MiB one', async () => {
    const path = caffeFixture('mtcnn_det2.caffemodel');
    const big = await readCaffemodel(path);
    const small = await readCaffemodel(readFileSync(path), { window: 64 });
    expect(small.layers.map((l) => l.blobs)).toEqual(big.layers.map((l) => l.blobs));
    expect(big.layers.filter((l) => l.blobs.length > 0).length).toBe(11);
  });

  it('all-zero blobs are flagged; the writer and the reader agree on a generated model', async () => {
    const bytes = encodeCaffemodel({
      name: 'gen',
      layers: [
        { name: 'w', type: 'InnerProduct', blobs: [{ shape: [10, 20], fill: seededFill(1) }, { shape: [10], fill: (_o, v) => v.fill(0) }] },
      ],
    });
    const c = await readCaffemodel(bytes);
    expect(c.layers[0]!.blobs.map((b) => [b.shape, b.count, b.allZero])).toEqual([
      [[10, 20], 200, false],
      [[10], 10, true],
    ]);
  });

  async function malformed(bytes: Uint8Array, pattern: RegExp) {
    const e = await readCaffemodel(bytes).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(GaugeError);
    expect((e as GaugeError).code).toBe('MODEL_MALFORMED');
    expect((e as GaugeError).message).toMatch(pattern);
  }

  it('truncation, wrong wire types, lengths past the end and groups are MODEL_MALFORMED', async () => {
    const good = packedV2(values);
    for (const cut of [1, 3, 10, 30, good.length - 1]) await malformed(good.subarray(0, cut), /ends|past the end|varint/);
    await malformed(Buffer.from([0xa0, 0x06, 0x01]), /layer \(field 100\) has wire type 0/); // field 100 as a varint
    await malformed(Buffer.concat([Buffer.from([0xa2, 0x06]), varint(1 << 30), Buffer.alloc(4)]), /runs past the end/);
    await malformed(field(100, Buffer.from([0x3b])), /wire type 3|groups/); // blob field as a start-group
    await malformed(field(100, field(7, Buffer.from([0x2a, 0x03, 1, 2, 3]))), /not a multiple of 4/);
    await malformed(field(100, field(7, Buffer.from([0x28, 0x01]))), /wire type 0/);
    await malformed(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), /varint/);
    await malformed(field(100, field(1, Buffer.from([0xff, 0xfe]))).subarray(0, 5), /ends|past the end/);
  });

  it('a missing file is INPUT_NOT_FOUND', async () => {
    const e = await readCaffemodel('/nonexistent/x.caffemodel').catch((err: unknown) => err);
    expect((e as GaugeError).code).toBe('INPUT_NOT_FOUND');
  });
});
