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

  it('says that subgraphs no op runs are not counted (this WHILE, from an old converter, names no body)', () => {
    const g = parseTflite(model());
    expect(g.metadata.subgraphs).toBe(2);
    expect(g.notes!.find((n) => n.includes('subgraph'))).toMatch(/1 subgraph\(s\) besides subgraph 0 that no op of it runs/);
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

/** x → FC → WHILE(cond: LESS, body: FC 3×3) → IF(then: FC 5×3, else: nothing); one more subgraph no op runs. */
function controlFlowModel(): Uint8Array {
  const f32 = (n: number, v: number) => new Uint8Array(new Float32Array(n).fill(v).buffer);
  return buildModel({
    opcodes: [
      { deprecated: 9, builtin: 9 }, // FULLY_CONNECTED
      { deprecated: 119, builtin: 119 }, // WHILE
      { deprecated: 118, builtin: 118 }, // IF
      { deprecated: 58, builtin: 58 }, // LESS
    ],
    subgraphs: [
      {
        tensors: [
          { name: 'x', shape: [1, 4] },
          { name: 'w', shape: [3, 4], buffer: 1 },
          { name: 'a', shape: [1, 3] },
          { name: 'b', shape: [1, 3] },
          { name: 'c', shape: [1, 5] },
        ],
        inputs: [0],
        outputs: [4],
        ops: [
          { opcode: 0, inputs: [0, 1, -1], outputs: [2] },
          { opcode: 1, inputs: [2], outputs: [3], options: { type: 93, ints: [1, 2] } },
          { opcode: 2, inputs: [3], outputs: [4], options: { type: 92, ints: [3, 4] } },
        ],
      },
      { tensors: [{ name: 'cond_in', shape: [1, 3] }, { name: 'flag', shape: [1, 3], type: 6 }], inputs: [0], outputs: [1], ops: [{ opcode: 3, inputs: [0, 0], outputs: [1] }] },
      {
        tensors: [{ name: 'body_in', shape: [1, 3] }, { name: 'body_w', shape: [3, 3], buffer: 2 }, { name: 'body_out', shape: [1, 3] }],
        inputs: [0],
        outputs: [2],
        ops: [{ opcode: 0, inputs: [0, 1, -1], outputs: [2] }],
      },
      {
        tensors: [{ name: 'then_in', shape: [1, 3] }, { name: 'then_w', shape: [5, 3], buffer: 3 }, { name: 'then_out', shape: [1, 5] }],
        inputs: [0],
        outputs: [2],
        ops: [{ opcode: 0, inputs: [0, 1, -1], outputs: [2] }],
      },
      { tensors: [{ name: 'else_in', shape: [1, 5] }], inputs: [0], outputs: [0], ops: [] },
      { tensors: [{ name: 'other_signature', shape: [1] }], inputs: [0], outputs: [0], ops: [] },
    ],
    buffers: [{}, { data: f32(12, 0.5) }, { data: f32(9, 0.25) }, { data: f32(15, 0.125) }],
  });
}

describe('control flow', () => {
  it('a WHILE counts one iteration of its condition and body; an IF its costlier branch; with a note', () => {
    const g = parseTflite(controlFlowModel());
    const [fc, loop, branch] = g.layers;
    expect(g.layers.map((l) => l.op)).toEqual(['FULLY_CONNECTED', 'WHILE', 'IF']);
    expect(fc).toMatchObject({ macs: 12, params: 12 });
    // Body FC 3×3 = 9 MACs (18 FLOPs), condition LESS 3 FLOPs; the WHILE itself moves data (no FLOPs).
    expect(loop).toMatchObject({ macs: 9, params: 9, attrs: { condSubgraph: 1, bodySubgraph: 2, macsPer: 'iteration' } });
    expect(loop!.flops).toBe(18 + 3);
    expect(loop!.weights.map((w) => w.name)).toEqual(['body_w']);
    expect(loop!.weights[0]!.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(branch).toMatchObject({ macs: 15, params: 15, attrs: { thenSubgraph: 3, elseSubgraph: 4, macsPer: 'costlier branch' } });
    expect(g.totals).toMatchObject({ macs: 12 + 9 + 15, params: 12 + 9 + 15, weightBytes: (12 + 9 + 15) * 4 });
    const notes = g.notes!.join(' ');
    expect(notes).toMatch(/subgraph 2 \(body of WHILE \(operator 1\)\)/);
    expect(notes).toMatch(/one iteration/);
    expect(notes).toMatch(/1 subgraph\(s\) besides subgraph 0 that no op of it runs/);
  });

  it('a WHILE whose body runs the WHILE again is counted once, not forever', () => {
    const bytes = buildModel({
      opcodes: [{ deprecated: 119, builtin: 119 }],
      subgraphs: [
        { tensors: [{ name: 'x', shape: [1] }, { name: 'y', shape: [1] }], inputs: [0], outputs: [1], ops: [{ opcode: 0, inputs: [0], outputs: [1], options: { type: 93, ints: [1, 1] } }] },
        { tensors: [{ name: 'x', shape: [1] }, { name: 'y', shape: [1] }], inputs: [0], outputs: [1], ops: [{ opcode: 0, inputs: [0], outputs: [1], options: { type: 93, ints: [1, 1] } }] },
      ],
      buffers: [{}],
    });
    const g = parseTflite(bytes);
    expect(g.layers).toHaveLength(1);
    expect(g.notes!.join(' ')).toMatch(/recursively/);
  });
});
