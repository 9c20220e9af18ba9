/**
 * DLC v4 (SNPE 2.x / QAIRT) records. Layout facts (field ids in schema order), as Netron's `dlc.fbs` reading and
 * the fixtures show them:
 * - `model` (NETD): Model { graphs: [Graph] }; Graph { name, nodes: [Node], tensors: [Tensor] };
 *   Node { name, type, inputs: [string], outputs: [string], attributes: [Attribute] };
 *   Attribute { name, kind (0 scalar, 1 tensor), flag, value: Value { kind, int32, float32, string }, tensor };
 *   Tensor { id, name, location (0 graph input, 1 graph output, 3 intermediate, 4 static), shape: [int32], ?,
 *   info: TensorInfo { ?, ?, encoding { bitwidth, min, max, scale, offset } }, dtype, outputDtype, ? }.
 * - `model.params` NR64: { buffers: [{ bytes }], params: nested NETP }; the buffers follow the static tensors
 *   sorted by name, then each node's attribute tensors in node order (checked against sizes, see below).
 *   NETP: { graphs: [{ name, tensors: [{ name, bytes }], nodes: [{ tensors }] }] }.
 */
import { FlatBuffer, FlatBufferError, type Table } from '../flatbuffer/table.js';
import type { DlcModel, DlcNode, DlcTensor, DlcWeight } from './dlc-model.js';
import { v4DType } from './dtype.js';
import { elementCount } from '@gaugenn/core';

const LOCATION_INPUT = 0;
const LOCATION_OUTPUT = 1;
const LOCATION_STATIC = 4;
const VALUE_STRING = 0x7fffffff;

interface RawTensor extends DlcTensor {
  location: number;
  size: number;
}

function readTensor(t: Table, notes: Set<string>): RawTensor {
  const name = t.string(1) ?? '';
  const code = t.i32(6);
  const facts = v4DType(code);
  if (!facts) notes.add(`data type code 0x${code.toString(16)} is not known to gaugeNN (tensor ${name}); shown as unknown`);
  const tensor: RawTensor = {
    name,
    shape: t.i32s(3) ?? [],
    dtype: facts?.dtype ?? 'unknown',
    location: t.i32(2),
    size: facts?.size ?? 0,
  };
  if (facts) tensor.nativeType = facts.native;
  const enc = t.table(5, `tensor ${name} info`)?.table(2, `tensor ${name} encoding`);
  if (enc && enc.i32(0) > 0) tensor.encoding = { bitwidth: enc.i32(0), min: enc.f32(1), max: enc.f32(2), scale: enc.f32(3), offset: enc.i32(4) };
  return tensor;
}

function attrValue(a: Table): unknown {
  if (a.i32(1) === 1) {
    const t = a.table(4, 'attribute tensor');
    return t ? { tensor: t.string(1) ?? '', shape: t.i32s(3) ?? [] } : undefined;
  }
  const v = a.table(3, 'attribute value');
  if (!v) return undefined;
  const kind = v.i32(0);
  if (kind === VALUE_STRING) return v.string(3);
  if (kind === 0x0232) return v.f32(2);
  if (kind === 0x0508) return v.i32(1) !== 0;
  return v.i32(1);
}

/** Read a v4 `model` record body (the FlatBuffer after the 8-byte header) and, when given, its `model.params`. */
export function readV4(model: Uint8Array, params: Uint8Array | undefined, minor: number): DlcModel {
  const notes = new Set<string>();
  const fb = new FlatBuffer(model);
  if (fb.identifier() !== 'NETD') throw new FlatBufferError(`the model record's identifier is "${fb.identifier()}", not NETD`);
  const graphs = fb.root('model').tables(0, 'graph');
  const g = graphs[0];
  if (!g) throw new FlatBufferError('the model record holds no graph');
  if (graphs.length > 1) notes.add(`the DLC holds ${graphs.length} graphs; only the first (${g.string(0) ?? ''}) is analysed`);
  const graphName = g.string(0);
  const raw = g.tables(2, 'tensor').map((t) => readTensor(t, notes));
  const tensors = new Map<string, DlcTensor>(raw.map((t) => [t.name, t]));
  const byName = new Map(raw.map((t) => [t.name, t]));

  const nodeTables = g.tables(1, 'node');
  const nodes: DlcNode[] = [];
  const attrTensors: { node: number; name: string; shape: number[]; size: number }[] = [];
  for (const [i, n] of nodeTables.entries()) {
    const attrs: Record<string, unknown> = {};
    for (const a of n.tables(4, `node ${i} attribute`)) {
      const name = a.string(0) ?? '';
      attrs[name] = attrValue(a);
      if (a.i32(1) === 1) {
        const t = a.table(4, 'attribute tensor');
        if (t) attrTensors.push({ node: i, name: t.string(1) ?? '', shape: t.i32s(3) ?? [], size: v4DType(t.i32(6))?.size ?? 0 });
      }
    }
    const inputs = n.strings(2);
    const weights: DlcWeight[] = inputs
      .map((x) => byName.get(x))
      .filter((t): t is RawTensor => t !== undefined && t.location === LOCATION_STATIC)
      .map((t) => ({ name: t.name, id: t.name, shape: t.shape, dtype: t.dtype }));
    nodes.push({ name: n.string(0) ?? `node_${i}`, type: n.string(1) ?? 'unknown', inputs, outputs: n.strings(3), attrs, weights });
  }

  let paramsKind: string | undefined;
  if (params) {
    paramsKind = attachParams(params, raw, attrTensors, nodes, notes);
  } else notes.add('the DLC has no model.params record: weight sizes come from tensor shapes, no weight digests');

  return {
    version: 4,
    minor,
    ...(graphName ? { graphName } : {}),
    nodes,
    tensors,
    inputs: raw.filter((t) => t.location === LOCATION_INPUT).map((t) => t.name),
    outputs: raw.filter((t) => t.location === LOCATION_OUTPUT).map((t) => t.name),
    notes: [...notes],
    ...(paramsKind ? { paramsKind } : {}),
  };
}

/** Code-unit order, as the converter sorts static tensor names (checked on the fixtures by buffer sizes). */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function attachParams(params: Uint8Array, raw: RawTensor[], attrTensors: { name: string; shape: number[]; size: number }[], nodes: DlcNode[], notes: Set<string>): string {
  const pfb = new FlatBuffer(params);
  const id = pfb.identifier();
  const data = new Map<string, Uint8Array>();
  if (id === 'NR64') {
    const root = pfb.root('model.params');
    const buffers = root.tables(0, 'params buffer').map((b) => b.bytes(0) ?? new Uint8Array());
    const statics = raw.filter((t) => t.location === LOCATION_STATIC).sort((a, b) => byCodeUnit(a.name, b.name));
    const order = [...statics.map((t) => ({ name: t.name, shape: t.shape, size: t.size })), ...attrTensors];
    // The buffers carry no names: the order is inferred, so it is only trusted when every size matches.
    let mismatch = buffers.length !== order.length;
    for (let i = 0; !mismatch && i < order.length; i++) {
      const o = order[i]!;
      if (o.size > 0 && buffers[i]!.length !== elementCount(o.shape) * o.size) mismatch = true;
    }
    if (mismatch) notes.add(`the ${buffers.length} weight buffers of model.params (NR64) do not line up with the ${order.length} static tensors by size: weight digests are left out`);
    else for (let i = 0; i < statics.length; i++) data.set(statics[i]!.name, buffers[i]!);
  } else if (id === 'NETP') {
    const g = pfb.root('model.params').tables(0, 'params graph')[0];
    for (const t of g?.tables(1, 'params tensor') ?? []) {
      const b = t.bytes(1);
      if (b) data.set(t.string(0) ?? '', b);
    }
  } else {
    notes.add(`model.params has the unknown identifier "${id}": no weight data read`);
    return id;
  }
  for (const n of nodes) for (const w of n.weights) {
    const d = data.get(w.name);
    if (d) w.data = d;
  }
  return id;
}
