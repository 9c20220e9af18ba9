/**
 * DLC v2 (SNPE ≤ 1.24): undocumented (Netron reads none of it). What gaugeNN reads was established on the fixture
 * (SNPE 1.23.1) and is all it relies on: after the 8-byte header the record is a protobuf-style stream whose field 5
 * repeats one message per layer: { 1 name, 2 type code, 3 output dims (repeated), 6 index, 7 inputs (repeated),
 * 8 outputs (repeated), 30 convolution/deconvolution parameters { …, 20 weights { 1 kernel { 1 dims, 2 float32
 * bytes }, 2 bias { 1 dims, 2 float32 bytes } } } }. Type codes seen: 60 input, 40 convolution, 70 deconvolution,
 * 90 element-wise, 150 neuron (activation). Anything else is kept with its code and said in a note.
 */
import type { DlcModel, DlcNode, DlcTensor, DlcWeight } from './dlc-model.js';
import { WireError, wireFields } from './wire.js';

/** v2 type codes → the v3 layer names they correspond to, so one op table serves both. */
const V2_TYPES: Record<number, string> = { 60: 'Input', 40: 'Convolutional', 70: 'Deconvolution', 90: 'ElementwiseOp', 150: 'Neuron' };
const LAYER = 5;
const CONV_PARAMS = 30;
const CONV_WEIGHTS = 20;
const utf8 = new TextDecoder();

function blob(b: Uint8Array, start: number, length: number, name: string): DlcWeight {
  const f = wireFields(b, start, start + length);
  const shape = f.filter((x) => x.field === 1 && x.wire === 0).map((x) => x.value);
  const data = f.find((x) => x.field === 2 && x.wire === 2);
  const bytes = data ? b.subarray(data.start, data.start + data.length) : undefined;
  const elems = shape.reduce((a, d) => a * d, 1);
  const w: DlcWeight = { name, shape, dtype: bytes && bytes.length === 4 * elems ? 'float32' : 'unknown' };
  if (bytes) w.data = bytes;
  return w;
}

export function readV2(body: Uint8Array, minor: number): DlcModel {
  const notes = new Set<string>();
  const tensors = new Map<string, DlcTensor>();
  const nodes: DlcNode[] = [];
  const top = wireFields(body, 0, body.length);
  const unknown = new Set<number>();
  for (const l of top.filter((x) => x.field === LAYER && x.wire === 2)) {
    const f = wireFields(body, l.start, l.start + l.length);
    const str = (x: { start: number; length: number }) => utf8.decode(body.subarray(x.start, x.start + x.length));
    const nameF = f.find((x) => x.field === 1 && x.wire === 2);
    const code = f.find((x) => x.field === 2 && x.wire === 0)?.value ?? -1;
    const dims = f.filter((x) => x.field === 3 && x.wire === 0).map((x) => x.value);
    const inputs = f.filter((x) => x.field === 7 && x.wire === 2).map(str);
    const outputs = f.filter((x) => x.field === 8 && x.wire === 2).map(str);
    const name = nameF ? str(nameF) : `layer_${nodes.length}`;
    const type = V2_TYPES[code] ?? `v2:${code}`;
    if (!V2_TYPES[code]) unknown.add(code);
    const weights: DlcWeight[] = [];
    const conv = f.find((x) => x.field === CONV_PARAMS && x.wire === 2);
    if (conv) {
      const w = wireFields(body, conv.start, conv.start + conv.length).find((x) => x.field === CONV_WEIGHTS && x.wire === 2);
      if (w) {
        const parts = wireFields(body, w.start, w.start + w.length);
        const kernel = parts.find((x) => x.field === 1 && x.wire === 2);
        const bias = parts.find((x) => x.field === 2 && x.wire === 2);
        if (kernel) weights.push(blob(body, kernel.start, kernel.length, 'weights'));
        if (bias) weights.push(blob(body, bias.start, bias.length, 'bias'));
      }
    }
    for (const o of outputs.slice(0, 1)) if (dims.length) tensors.set(o, { name: o, shape: dims, dtype: 'float32' });
    nodes.push({ name, type, inputs: type === 'Input' ? [] : inputs, outputs, attrs: { v2TypeCode: code }, weights });
  }
  if (nodes.length === 0) throw new WireError('no layer messages (field 5) in the DLC v2 model record');
  const consumed = new Set(nodes.flatMap((n) => n.inputs));
  notes.add('DLC v2 (SNPE ≤ 1.24) is undocumented: layer names, types, output shapes and convolution/deconvolution weights were read; other layers\' parameters, data types other than float32 and quantization encodings could not be read');
  if (unknown.size) notes.add(`DLC v2 layer type code(s) ${[...unknown].join(', ')} are not known to gaugeNN: those layers are shown as "v2:<code>", category other, with no MACs`);
  return {
    version: 2,
    minor,
    nodes,
    tensors,
    inputs: nodes.filter((n) => n.type === 'Input').flatMap((n) => n.outputs),
    outputs: [...new Set(nodes.flatMap((n) => n.outputs).filter((t) => !consumed.has(t)))],
    notes: [...notes],
  };
}
