/**
 * ONNX models: a protobuf `ModelProto`. Protobuf has no magic, so the sniffer walks the first fields the way
 * every ONNX writer orders them (by field number): `ir_version` (1) first, a known IR version, then only
 * ModelProto's own header fields (producer, domain, model version, doc string) until the `graph` (7) or
 * `opset_import` (8) field, whose first inner field must be one a GraphProto / OperatorSetIdProto has.
 * Random binaries rarely survive this many checks.
 */
import type { SniffHit, SniffInput, Sniffer } from '@gaugenn/core';
import { WIRE, isTextBytes, tag, varint } from './protobuf.js';

/** IR versions released so far (IR 1 in 2017 … IR 11/12 in 2025). */
const MAX_IR_VERSION = 12;
/** GraphProto fields: node, name, initializer, doc_string, input, output, value_info, quantization_annotation, sparse_initializer, metadata_props. */
const GRAPH_FIELDS = new Set([1, 2, 5, 10, 11, 12, 13, 14, 15, 16]);
/** ModelProto text fields that may precede the graph: producer_name, producer_version, domain, doc_string. */
const TEXT_FIELDS = new Set([2, 3, 4, 6]);

/** True when the head looks like an ONNX ModelProto. */
export function looksLikeOnnx(head: Uint8Array, size: number): boolean {
  if (head.length < 4 || head[0] !== 0x08) return false;
  const ir = varint(head, 1);
  if (!ir || ir.value < 1 || ir.value > MAX_IR_VERSION) return false;
  let pos = ir.next;
  let producer = false;
  while (pos < head.length) {
    const t = tag(head, pos);
    if (!t) return false;
    if (t.field === 5) {
      // model_version
      if (t.wire !== WIRE.VARINT) return false;
      const v = varint(head, t.next);
      if (!v) return false;
      pos = v.next;
      continue;
    }
    if (t.wire !== WIRE.LEN) return false;
    const len = varint(head, t.next);
    if (!len) return false;
    const start = len.next;
    const end = start + len.value;
    if (end > size) return false;
    if (TEXT_FIELDS.has(t.field)) {
      if (!isTextBytes(head, start, Math.min(end, head.length))) return false;
      if (t.field === 2 && len.value > 0) producer = true;
      // A doc string can outrun the head; a named producer before it is then enough.
      if (end > head.length) return producer;
      pos = end;
      continue;
    }
    if (t.field === 7 || t.field === 8) {
      if (len.value < 2) return false;
      if (start >= head.length) return producer;
      const inner = tag(head, start, Math.min(end, head.length));
      if (!inner) return false;
      if (t.field === 7) return GRAPH_FIELDS.has(inner.field) && inner.wire === WIRE.LEN;
      // OperatorSetIdProto: domain (1, text) or version (2, varint).
      return (inner.field === 1 && inner.wire === WIRE.LEN) || (inner.field === 2 && inner.wire === WIRE.VARINT);
    }
    return false;
  }
  return false;
}

/** The ONNX sniffer. */
export const onnxSniffer: Sniffer = {
  name: 'onnx',
  sniff: (input: SniffInput): SniffHit | undefined => (looksLikeOnnx(input.head, input.size) ? { framework: 'onnx', kind: 'model', role: 'model' } : undefined),
};
