/** Built models for what the real fixtures lack: external buffers, shared weights, new and unknown op codes. */
import { createHash } from 'node:crypto';
import { GaugeError } from '@gaugenn/core';
import { describe, expect, it } from 'vitest';
import { parseTflite } from '../src/index.js';
import { buildModel } from './support/build-model.js';

const DATA_AT = 4096;
const weights = new Uint8Array(new Float32Array([...Array(12).keys()].map((i) => i + 1)).buffer);

/** x[1,4] → FC(w) → a, FC(w) → b (shared weight), GELU(a), WHILE(b), unknown op 250; w lives after the flatbuffer. */
function model(): Uint8Array {
  const fb = buildModel({
    opcodes: [
      { deprecated: 9, builtin: 9 }, // FULLY_CONNECTED, old and new field agree
      { deprecated: 127, builtin: 150 }, // GELU: only the int32 field can hold it
      { deprecated: 119, builtin: 0 }, // WHILE, from an old converter that set only the int8 field
      { deprecated: 127, builtin: 250 }, // newer than any table
    ],
    subgraphs: [
      {
        tensors: [
          { name: 'x', shape: [1, 4] },
          { name: 'w', shape: [3, 4], buffer: 1 },
          { name: 'a', shape: [1, 3] },
          { name: 'b', shape: [1, 3] },
          { name: 'g', shape: [1, 3] },
          { name: 'l', shape: [1, 3] },
          { name: 'u', shape: [1, 3] },
        ],
        inputs: [0],
        outputs: [4, 5, 6],
        ops: [
          { opcode: 0, inputs: [0, 1, -1], outputs: [2] },
          { opcode: 0, inputs: [0, 1, -1], outputs: [3] },
          { opcode: 1, inputs: [2], outputs: [4] },
          { opcode: 2, inputs: [3], outputs: [5] },
          { opcode: 3, inputs: [3], outputs: [6] },
        ],
      },
      { tensors: [{ name: 'body_in', shape: [1, 3] }], inputs: [0], outputs: [0], ops: [] },
    ],
    buffers: [{}, { offset: DATA_AT, size: weights.length }],
  });
  expect(fb.length).toBeLessThan(DATA_AT);
  const file = new Uint8Array(DATA_AT + weights.length);
  file.set(fb, 0);
  file.set(weights, DATA_AT);
  return file;
}

describe('built models', () => {
  it('reads weights stored after the flatbuffer and counts a shared weight once', () => {
    const g = parseTflite(model());
    const [fc1, fc2] = g.layers;
    expect(fc1).toMatchObject({ op: 'FULLY_CONNECTED', category: 'fully_connected', macs: 12, flops: 24, params: 12 });
    expect(fc1!.weights).toEqual([
      { name: 'w', shape: [3, 4], dtype: 'float32', bytes: 48, digest: createHash('sha256').update(weights).digest('hex'), trivial: true },
    ]);
    expect(fc2).toMatchObject({ macs: 12, params: 0, weights: [], attrs: { sharedWeights: 1 } });
    expect(g.totals).toMatchObject({ macs: 24, params: 12, weightBytes: 48 });
    expect(g.notes!.some((n) => n.includes('after the flatbuffer'))).toBe(true);
  });

  it('takes the larger of the two builtin code fields, and names unknown codes', () => {
    const g = parseTflite(model());
    expect(g.layers.map((l) => [l.op, l.category])).toEqual([
      ['FULLY_CONNECTED', 'fully_connected'],
      ['FULLY_CONNECTED', 'fully_connected'],
      ['GELU', 'activation'],
      ['WHILE', 'other'],
      ['BUILTIN_250', 'other'],
    ]);
    expect(g.layers[2]!.flops).toBe(3);
    expect(g.notes!.some((n) => n.includes('builtin code 250'))).toBe(true);
  });

  it('says that other subgraphs are not walked', () => {
    const g = parseTflite(model());
    expect(g.metadata.subgraphs).toBe(2);
    expect(g.notes!.find((n) => n.includes('subgraph'))).toMatch(/1 subgraph\(s\) besides subgraph 0 \(called by WHILE\)/);
  });

  it('external data cut short is MODEL_MALFORMED', () => {
    const bytes = model().subarray(0, DATA_AT + 20);
    expect(() => parseTflite(bytes, [{ path: 'big.tflite', sha256: 'x', bytes: 1 }])).toThrow(GaugeError);
    try {
      parseTflite(bytes, [{ path: 'big.tflite', sha256: 'x', bytes: 1 }]);
    } catch (e) {
      expect((e as GaugeError).code).toBe('MODEL_MALFORMED');
      expect((e as GaugeError).message).toMatch(/big\.tflite.*buffer 1 external data/);
    }
  });

  it('a tensor index past the tensor table is MODEL_MALFORMED', () => {
    const fb = buildModel({
      opcodes: [{ deprecated: 0, builtin: 0 }],
      subgraphs: [{ tensors: [{ name: 'x', shape: [1] }], inputs: [0], outputs: [0], ops: [{ opcode: 0, inputs: [0, 7], outputs: [0] }] }],
      buffers: [{}],
    });
    expect(() => parseTflite(fb)).toThrow(/refers to tensor 7/);
  });
});
