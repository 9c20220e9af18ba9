/**
 * TensorFlow graphs: frozen `GraphDef`s (`.pb`, the TF Mobile format) and `SavedModel`s (`saved_model.pb`).
 * Both are protobufs without magic, so the sniffers are conservative:
 * - GraphDef: field 1 is a `NodeDef` whose first fields are `name` (1) — a valid TF node name — and `op` (2),
 *   and the op must be one a graph plausibly starts with, or the node's first `attr` key one TF ops use;
 * - SavedModel: `saved_model_schema_version` = 1, then a `MetaGraphDef` (2) whose `meta_info_def` (1) holds
 *   `tags` (like `serve`) or a stripped op list whose first op has an op-like name.
 */
import type { SniffHit, SniffInput, Sniffer } from '@gaugenn/core';
import { WIRE, isTextBytes, tag, text, varint } from './protobuf.js';

const NODE_NAME = /^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$/;
const OP_NAME = /^[A-Z][A-Za-z0-9_]*$/;
/** Ops a frozen inference graph's first node commonly has (inputs, constants, variables, first layers). */
const FIRST_OPS = new Set([
  'Placeholder', 'PlaceholderWithDefault', 'Const', 'VariableV2', 'Variable', 'VarHandleOp', 'Identity', 'NoOp', 'Cast',
  'Conv2D', 'DepthwiseConv2dNative', 'MatMul', 'BiasAdd', 'Reshape', 'Shape', 'Sub', 'Mul', 'Add', 'AddV2', 'RealDiv',
  'ExpandDims', 'Squeeze', 'Transpose', 'ResizeBilinear', 'DecodeJpeg', 'Fill', 'Range', 'Pack', 'StridedSlice',
]);

/** Attribute names TF ops use (the keys of `NodeDef.attr`). */
const TF_ATTRS = new Set([
  'T', 'N', 'dtype', 'value', 'shape', 'data_format', 'strides', 'padding', 'dilations', 'ksize', 'use_cudnn_on_gpu',
  'Tidx', 'Tshape', 'Tpaddings', 'SrcT', 'DstT', 'Truncate', 'keep_dims', 'transpose_a', 'transpose_b', 'axis',
  'container', 'shared_name', '_output_shapes', '_class', 'explicit_paddings', 'epsilon', 'is_training',
]);

interface Str {
  value: string;
  next: number;
}

/** A length-delimited text field with tag byte `tagByte` at `pos`, wholly inside the head and at most `max` bytes. */
function textField(b: Uint8Array, pos: number, tagByte: number, max: number, end: number): Str | undefined {
  if (b[pos] !== tagByte) return undefined;
  const len = varint(b, pos + 1, end);
  if (!len || len.value < 1 || len.value > max) return undefined;
  const stop = len.next + len.value;
  if (stop > end || !isTextBytes(b, len.next, stop)) return undefined;
  return { value: text(b, len.next, stop), next: stop };
}

/**
 * Parse one NodeDef header (field 1 of GraphDef) at `pos`: its op, and the key of its first `attr` (5) entry
 * when the head shows one.
 */
function nodeHeader(b: Uint8Array, pos: number, size: number): { op: string; attrKey?: string } | undefined {
  if (b[pos] !== 0x0a) return undefined;
  const len = varint(b, pos + 1);
  if (!len || len.value < 4) return undefined;
  const end = len.next + len.value;
  if (end > size) return undefined;
  const lim = Math.min(end, b.length);
  const name = textField(b, len.next, 0x0a, 1024, lim);
  if (!name || !NODE_NAME.test(name.value)) return undefined;
  const op = textField(b, name.next, 0x12, 128, lim);
  if (!op || !OP_NAME.test(op.value)) return undefined;
  // Skip inputs (3) and device (4); an attr map entry (5) starts with its key (1).
  let p = op.next;
  for (let i = 0; i < 64 && p < lim; i++) {
    const t = tag(b, p, lim);
    if (!t || t.wire !== WIRE.LEN) break;
    const l = varint(b, t.next, lim);
    if (!l) break;
    if (t.field === 5) {
      const key = textField(b, l.next, 0x0a, 64, lim);
      return { op: op.value, attrKey: key?.value };
    }
    if (t.field !== 3 && t.field !== 4) break;
    p = l.next + l.value;
  }
  return { op: op.value };
}

/**
 * True when the head looks like a TensorFlow GraphDef. Other protobufs share its first two fields (MediaPipe's
 * CalculatorGraphConfig nodes have a name and a calculator), so besides the op name, a NodeDef-only trait
 * decides: a common first op, or an `attr` map entry keyed like TF attributes.
 */
export function looksLikeGraphDef(head: Uint8Array, size: number): boolean {
  const first = nodeHeader(head, 0, size);
  if (!first) return false;
  return FIRST_OPS.has(first.op) || (first.attrKey !== undefined && TF_ATTRS.has(first.attrKey));
}

/** True when the head looks like a TensorFlow SavedModel (`saved_model.pb`). */
export function looksLikeSavedModel(head: Uint8Array, size: number): boolean {
  if (head.length < 8 || head[0] !== 0x08 || head[1] !== 0x01 || head[2] !== 0x12) return false;
  const mg = varint(head, 3);
  if (!mg || mg.value < 4 || mg.next + mg.value > size) return false;
  if (head[mg.next] !== 0x0a) return false; // MetaGraphDef.meta_info_def
  const mi = varint(head, mg.next + 1);
  if (!mi || mi.value < 2 || mi.next + mi.value > mg.next + mg.value) return false;
  const end = Math.min(mi.next + mi.value, head.length);
  let pos = mi.next;
  // MetaInfoDef: meta_graph_version 1, stripped_op_list 2, any_info 3, tags 4, tensorflow_version 5, …
  for (let i = 0; i < 16 && pos < end; i++) {
    const t = tag(head, pos, end);
    if (!t || t.field > 16) return false;
    if (t.wire === WIRE.VARINT) {
      const v = varint(head, t.next, end);
      if (!v) return false;
      pos = v.next;
      continue;
    }
    if (t.wire !== WIRE.LEN) return false;
    const len = varint(head, t.next, end);
    if (!len) return false;
    const stop = len.next + len.value;
    if (t.field === 4) {
      // tags: a short word (serve, train, gpu, tpu).
      return stop <= end && len.value >= 2 && len.value <= 64 && /^[a-z_]+$/.test(text(head, len.next, stop));
    }
    if (t.field === 2) {
      // stripped_op_list: OpList.op (1) → OpDef.name (1).
      if (head[len.next] !== 0x0a) return false;
      const opDef = varint(head, len.next + 1, end);
      if (!opDef) return false;
      const name = textField(head, opDef.next, 0x0a, 128, end);
      return name !== undefined && OP_NAME.test(name.value);
    }
    pos = stop;
  }
  return false;
}

/** The TensorFlow sniffer: GraphDef first, then SavedModel. */
export const tensorflowSniffer: Sniffer = {
  name: 'tensorflow',
  sniff(input: SniffInput): SniffHit | undefined {
    if (looksLikeGraphDef(input.head, input.size)) return { framework: 'tensorflow', kind: 'model', role: 'graphdef' };
    if (looksLikeSavedModel(input.head, input.size)) return { framework: 'tensorflow', kind: 'model', role: 'saved_model' };
    return undefined;
  },
};
