/**
 * Multiply-accumulates of one TFLite op, by the IR rules (core ir/model-graph.ts): only conv, depthwise,
 * transposed conv, fully connected, matmul and recurrent ops have MACs; everything else gets FLOPs from core's
 * `layerFlops`. Shapes are TFLite's: NHWC activations, conv filters [out_c, kh, kw, in_c/groups],
 * depthwise filters [1, kh, kw, out_c], transpose-conv filters [out_c, kh, kw, in_c].
 */
import { elementCount } from '@gaugenn/core';
import type { OpInfo } from './op-table.js';
import type { TfliteTensor } from './types.js';

export interface MacResult {
  macs: number;
  /** Why the count may be off (a shape the file leaves empty), for the model's notes. */
  note?: string;
}

/** Inputs by position; an optional input left out (-1) is undefined. */
export type OpTensors = (TfliteTensor | undefined)[];

const dim = (t: TfliteTensor | undefined, i: number): number => {
  const s = t?.shape ?? [];
  const d = s[i < 0 ? s.length + i : i];
  return d !== undefined && d > 0 ? d : 1;
};
const elems = (t: TfliteTensor | undefined) => (t ? elementCount(t.shape) : 0);

/** MACs of one op. `attrs` are its parsed builtin options (for BATCH_MATMUL's adjoint flags). */
export function opMacs(info: OpInfo, inputs: OpTensors, outputs: OpTensors, attrs: Record<string, unknown>): MacResult {
  const out = outputs[0];
  const outElems = elems(out);
  const missing = (what: string): MacResult => ({ macs: 0, note: `${info.name}: ${what}; its MACs are counted as 0.` });
  const shapeless = (t: TfliteTensor | undefined) => !t || t.shape.length === 0;
  const rule = info.customMacs ?? info.builtin;
  switch (rule) {
    case 'CONV_2D': {
      const w = inputs[1];
      if (shapeless(out) || w?.shape.length !== 4) return missing('output or filter shape is missing');
      return { macs: outElems * dim(w, 1) * dim(w, 2) * dim(w, 3) };
    }
    case 'DEPTHWISE_CONV_2D': {
      const w = inputs[1];
      if (shapeless(out) || w?.shape.length !== 4) return missing('output or filter shape is missing');
      return { macs: outElems * dim(w, 1) * dim(w, 2) };
    }
    case 'TRANSPOSE_CONV': // inputs: output_shape, filter, input, bias?
      return transposeConv(inputs[2], inputs[1], missing);
    case 'transpose_conv_bias': // MediaPipe Convolution2DTransposeBias: input, filter, bias
      return transposeConv(inputs[0], inputs[1], missing);
    case 'CONV_3D': {
      const w = inputs[1]; // [kd, kh, kw, in_c, out_c]
      if (shapeless(out) || w?.shape.length !== 5) return missing('output or filter shape is missing');
      return { macs: outElems * dim(w, 0) * dim(w, 1) * dim(w, 2) * dim(w, 3) };
    }
    case 'CONV_3D_TRANSPOSE': {
      const w = inputs[1]; // [kd, kh, kw, out_c, in_c]; inputs: output_shape, filter, input
      const x = inputs[2];
      if (shapeless(x) || w?.shape.length !== 5) return missing('input or filter shape is missing');
      return { macs: elems(x) * dim(w, 0) * dim(w, 1) * dim(w, 2) * dim(w, 3) };
    }
    case 'FULLY_CONNECTED': {
      const w = inputs[1]; // [out, in]
      if (shapeless(out) || !w || w.shape.length < 2) return missing('output or weight shape is missing');
      // batch × in × out, and output elements are batch × out.
      return { macs: outElems * dim(w, -1) };
    }
    case 'BATCH_MATMUL': {
      const a = inputs[0];
      if (shapeless(out) || !a || a.shape.length < 2) return missing('output or operand shape is missing');
      const k = attrs.adjX ? dim(a, -2) : dim(a, -1);
      return { macs: outElems * k };
    }
    default:
      return info.category === 'recurrent' ? recurrentMacs(info, inputs) : { macs: 0 };
  }
}

function transposeConv(x: TfliteTensor | undefined, w: TfliteTensor | undefined, missing: (w: string) => MacResult): MacResult {
  if (!x || x.shape.length === 0 || w?.shape.length !== 4) return missing('input or filter shape is missing');
  // Each input element is scattered through kh × kw × out_c weights.
  return { macs: elems(x) * dim(w, 1) * dim(w, 2) * dim(w, 0) };
}

/**
 * Recurrent ops (LSTM, RNN, SVDF, sequence and bidirectional variants): every 2-D weight matrix
 * (input-to-gate, recurrent, projection) multiplies one vector per batch row and time step, so
 * MACs = Σ matrix elements × (input elements / input features). Peephole and bias vectors are 1-D and
 * count as elementwise work, not MACs.
 */
/** Input positions of recurrent ops that hold state or a second input, not weights (TFLite kernel layouts). */
const NOT_WEIGHTS: Record<string, readonly number[]> = {
  LSTM: [18, 19],
  UNIDIRECTIONAL_SEQUENCE_LSTM: [18, 19],
  BIDIRECTIONAL_SEQUENCE_LSTM: [35, 36, 37, 38, 39],
  RNN: [4],
  UNIDIRECTIONAL_SEQUENCE_RNN: [4],
  SVDF: [4],
  BIDIRECTIONAL_SEQUENCE_RNN: [4, 8, 9],
};

function recurrentMacs(info: OpInfo, inputs: OpTensors): MacResult {
  const x = inputs[0];
  if (!x || x.shape.length < 2) return { macs: 0, note: `${info.name}: input shape is missing; its MACs are counted as 0.` };
  const steps = elementCount(x.shape) / dim(x, -1);
  const skip = NOT_WEIGHTS[info.builtin] ?? [];
  let macs = 0;
  for (let i = 1; i < inputs.length; i++) {
    const t = inputs[i];
    if (t && t.shape.length === 2 && !t.isVariable && !skip.includes(i)) macs += elementCount(t.shape) * steps;
  }
  return { macs };
}
