/**
 * DLC v3 (SNPE 1.25 – 1.x) records. Layout facts (field ids in schema order), as Netron's `dlc.fbs` reading and
 * the fixtures show them:
 * - `model` (NETD): Model { ?, nodes: [Node], ?, ?, attributes }; Node { index, name, type, inputs, outputs,
 *   attributes: [Attribute] }; Attribute { name, type, bool, int32, uint32, float32, string, ?, bytes, int32s,
 *   float32s, ?, attributes (nested, type 11) }. A node's output shapes are its `OutputDims` attribute (a list of
 *   int32 lists, one per output); `FxpData` (bitwidth/min/max/delta/offset) marks a quantized output.
 * - `model.params` (NETP): { nodes: [{ name, weights: [Tensor] }] }; Tensor { name, shape, data: { dtype (6 uint8,
 *   9 float32), bytes, floats }, attributes }.
 */
import { FlatBuffer, FlatBufferError, type Table } from '../flatbuffer/table.js';
import type { DlcEncoding, DlcModel, DlcNode, DlcTensor, DlcWeight } from './dlc-model.js';
import { v3DType } from './dtype.js';

const T_BOOL = 1, T_INT = 2, T_UINT = 3, T_FLOAT = 4, T_STRING = 5, T_BYTES = 7, T_INTS = 8, T_FLOATS = 9, T_NESTED = 11;
/** Lists longer than this are kept as their length only (attrs are for people, not for weights). */
const MAX_LIST = 64;
/** Nested attributes deeper than this are not followed (hostile files nest without end). */
const MAX_DEPTH = 4;

function attrValue(a: Table, depth: number): unknown {
  switch (a.u8(1)) {
    case T_BOOL:
      return a.u8(2) !== 0;
    case T_INT:
      return a.i32(3);
    case T_UINT:
      return a.u32(4);
    case T_FLOAT:
      return a.f32(5);
    case T_STRING:
      return a.string(6);
    case T_BYTES:
      return { bytes: a.vector(8, 1)?.length ?? 0 };
    case T_INTS: {
      const v = a.i32s(9) ?? [];
      return v.length > MAX_LIST ? { length: v.length } : v;
    }
    case T_FLOATS: {
      const v = a.vector(10, 4);
      return v && v.length <= MAX_LIST ? a.f32s(10) : { length: v?.length ?? 0 };
    }
    case T_NESTED: {
      if (depth >= MAX_DEPTH) return undefined;
      const kids = a.tables(12, 'nested attribute');
      const obj: Record<string, unknown> = {};
      let list = true;
      for (const [i, k] of kids.entries()) {
        const name = k.string(0) ?? String(i);
        obj[name] = attrValue(k, depth + 1);
        list &&= name === String(i);
      }
      return list ? Object.values(obj) : obj;
    }
    default:
      return undefined;
  }
}

function encodingOf(fxp: unknown): DlcEncoding | undefined {
  const e = Array.isArray(fxp) ? (fxp[0] as Record<string, unknown> | undefined) : undefined;
  if (!e || typeof e !== 'object') return undefined;
  const num = (k: string) => (typeof e[k] === 'number' ? (e[k] as number) : 0);
  // `precision` packs the bit width in its low byte (520 = 0x208: 8 bits).
  return { bitwidth: num('precision') & 0xff || 8, min: num('min'), max: num('max'), scale: num('delta'), offset: num('offset') };
}

/** Read a v3 `model` record body and, when given, its `model.params` body. */
export function readV3(model: Uint8Array, params: Uint8Array | undefined, minor: number): DlcModel {
  const notes = new Set<string>();
  const fb = new FlatBuffer(model);
  if (fb.identifier() !== 'NETD') throw new FlatBufferError(`the model record's identifier is "${fb.identifier()}", not NETD`);
  const root = fb.root('model');
  const tensors = new Map<string, DlcTensor>();
  const nodes: DlcNode[] = [];
  const inputs: string[] = [];
  const consumed = new Set<string>();
  for (const [i, n] of root.tables(1, 'node').entries()) {
    const attrs: Record<string, unknown> = {};
    for (const a of n.tables(5, `node ${i} attribute`)) attrs[a.string(0) ?? ''] = attrValue(a, 0);
    const outputs = n.strings(4);
    const type = n.string(2) ?? 'unknown';
    const dims = Array.isArray(attrs.OutputDims) ? (attrs.OutputDims as unknown[]) : [];
    const enc = encodingOf(attrs.FxpData);
    for (const [k, name] of outputs.entries()) {
      const shape = Array.isArray(dims[k]) ? (dims[k] as number[]) : undefined;
      if (shape && !tensors.has(name)) tensors.set(name, { name, shape, dtype: enc ? 'uint8' : 'float32', ...(enc ? { nativeType: `uFxp_${enc.bitwidth}`, encoding: enc } : { nativeType: 'Float_32' }) });
    }
    const ins = n.strings(3);
    if (type === 'Input') inputs.push(...outputs);
    else for (const x of ins) consumed.add(x);
    delete attrs.OutputDims;
    nodes.push({ name: n.string(1) ?? `layer_${i}`, type, inputs: type === 'Input' ? [] : ins, outputs, attrs, weights: [] });
  }
  if (params) attachParams(params, nodes, notes);
  else notes.add('the DLC has no model.params record: no weights were read');
  const produced = nodes.flatMap((n) => n.outputs);
  const outputs = [...new Set(produced.filter((t) => !consumed.has(t)))];
  return { version: 3, minor, nodes, tensors, inputs, outputs, notes: [...notes], ...(params ? { paramsKind: 'NETP' } : {}) };
}

function attachParams(params: Uint8Array, nodes: DlcNode[], notes: Set<string>): void {
  const pfb = new FlatBuffer(params);
  if (pfb.identifier() !== 'NETP') throw new FlatBufferError(`the model.params record's identifier is "${pfb.identifier()}", not NETP`);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const p of pfb.root('model.params').tables(0, 'params node')) {
    const name = p.string(0) ?? '';
    const node = byName.get(name);
    if (!node) {
      notes.add(`model.params holds weights for a layer the graph does not have (${name})`);
      continue;
    }
    for (const t of p.tables(1, `weights of ${name}`)) {
      const d = t.table(2, 'tensor data');
      const code = d?.u8(0) ?? 0;
      const facts = v3DType(code);
      const w: DlcWeight = { name: t.string(0) ?? '', shape: t.i32s(1) ?? [], dtype: facts?.dtype ?? 'unknown' };
      // Quantized data is a byte vector, float data a float vector; either way the stored bytes are hashed.
      const data = d?.bytes(1) ?? (d?.has(2) ? (() => { const v = d.vector(2, 4)!; return d.fb.bytes.subarray(v.start, v.start + 4 * v.length); })() : undefined);
      if (data) w.data = data;
      if (!facts) notes.add(`weight data type ${code} is not known to gaugeNN (${name}); shown as unknown`);
      node.weights.push(w);
    }
  }
}
