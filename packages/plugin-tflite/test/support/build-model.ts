/**
 * Builds small TFLite flatbuffers with the `flatbuffers` Builder, for the cases no real fixture covers
 * (external buffers, shared weights, codes > 127, unknown codes, extra subgraphs). Field ids are the schema's.
 */
import { Builder } from 'flatbuffers';

export interface TensorSpec {
  shape: number[];
  type?: number;
  buffer?: number;
  name: string;
}
export interface OpSpec {
  opcode: number;
  inputs: number[];
  outputs: number[];
  /** Builtin options: the BuiltinOptions union type and the table's int32 fields in id order (WHILE: cond, body). */
  options?: { type: number; ints: number[] };
}
export interface OpCodeSpec {
  deprecated: number;
  builtin: number;
  custom?: string;
}
export interface BufferSpec {
  data?: Uint8Array;
  offset?: number;
  size?: number;
}
export interface ModelSpec {
  opcodes: OpCodeSpec[];
  subgraphs: { tensors: TensorSpec[]; inputs: number[]; outputs: number[]; ops: OpSpec[] }[];
  buffers: BufferSpec[];
}

const ints = (b: Builder, xs: number[]) => {
  b.startVector(4, xs.length, 4);
  for (let i = xs.length - 1; i >= 0; i--) b.addInt32(xs[i]!);
  return b.endVector();
};
const offsets = (b: Builder, xs: number[]) => {
  b.startVector(4, xs.length, 4);
  for (let i = xs.length - 1; i >= 0; i--) b.addOffset(xs[i]!);
  return b.endVector();
};
const bytes = (b: Builder, xs: Uint8Array) => {
  b.startVector(1, xs.length, 16);
  for (let i = xs.length - 1; i >= 0; i--) b.addInt8(xs[i]!);
  return b.endVector();
};

/** Serialise a model spec to a `TFL3` flatbuffer. */
export function buildModel(spec: ModelSpec): Uint8Array {
  const b = new Builder(1024);
  const opcodes = spec.opcodes.map((c) => {
    const custom = c.custom ? b.createString(c.custom) : 0;
    b.startObject(4);
    b.addFieldInt8(0, c.deprecated, 0);
    if (custom) b.addFieldOffset(1, custom, 0);
    b.addFieldInt32(2, 1, 0);
    b.addFieldInt32(3, c.builtin, 0);
    return b.endObject();
  });
  const subgraphs = spec.subgraphs.map((sg) => {
    const tensors = sg.tensors.map((t) => {
      const name = b.createString(t.name);
      const shape = ints(b, t.shape);
      b.startObject(8);
      b.addFieldOffset(0, shape, 0);
      b.addFieldInt8(1, t.type ?? 0, 0);
      b.addFieldInt32(2, t.buffer ?? 0, 0);
      b.addFieldOffset(3, name, 0);
      return b.endObject();
    });
    const ops = sg.ops.map((o) => {
      const inputs = ints(b, o.inputs);
      const outputs = ints(b, o.outputs);
      let options = 0;
      if (o.options) {
        b.startObject(o.options.ints.length);
        o.options.ints.forEach((v, i) => b.addFieldInt32(i, v, -1));
        options = b.endObject();
      }
      b.startObject(5);
      b.addFieldInt32(0, o.opcode, 0);
      b.addFieldOffset(1, inputs, 0);
      b.addFieldOffset(2, outputs, 0);
      if (o.options) {
        b.addFieldInt8(3, o.options.type, 0);
        b.addFieldOffset(4, options, 0);
      }
      return b.endObject();
    });
    const t = offsets(b, tensors);
    const i = ints(b, sg.inputs);
    const o = ints(b, sg.outputs);
    const ops_ = offsets(b, ops);
    b.startObject(5);
    b.addFieldOffset(0, t, 0);
    b.addFieldOffset(1, i, 0);
    b.addFieldOffset(2, o, 0);
    b.addFieldOffset(3, ops_, 0);
    return b.endObject();
  });
  const buffers = spec.buffers.map((buf) => {
    const data = buf.data ? bytes(b, buf.data) : 0;
    b.startObject(3);
    if (data) b.addFieldOffset(0, data, 0);
    if (buf.offset !== undefined) b.addFieldInt64(1, BigInt(buf.offset), 0n);
    if (buf.size !== undefined) b.addFieldInt64(2, BigInt(buf.size), 0n);
    return b.endObject();
  });
  const oc = offsets(b, opcodes);
  const sgs = offsets(b, subgraphs);
  const bufs = offsets(b, buffers);
  b.startObject(5);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(1, oc, 0);
  b.addFieldOffset(2, sgs, 0);
  b.addFieldOffset(4, bufs, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array().slice();
}
