/**
 * Which weight blobs each ncnn layer reads from the `.bin`, in the order its load_model reads them.
 * `tagged` blobs (ModelBin type 0) start with a 4-byte storage flag (fp32 / fp16 / int8 / lookup table);
 * untagged ones (type 1) are raw fp32. Getting this order right is what makes the byte count of a real
 * `.bin` add up exactly to its size — the parser's strongest self-check.
 */
import type { ParamDict } from './param-dict.js';
import { UNSET } from './param-dict.js';

export interface WeightSpec {
  name: string;
  /** Elements the layer reads. */
  elements: number;
  /** Logical shape (outermost first); its product is `elements`. */
  shape: number[];
  /** True for ModelBin type 0 (storage flag first), false for raw fp32. */
  tagged: boolean;
  /** Quantisation scales, not model weights: listed, but not counted as params. */
  scale?: boolean;
}

const w = (name: string, elements: number, shape?: number[]): WeightSpec => ({ name, elements, shape: shape ?? [elements], tagged: true });
const raw = (name: string, elements: number, shape?: number[]): WeightSpec => ({ name, elements, shape: shape ?? [elements], tagged: false });
const scale = (name: string, elements: number): WeightSpec => ({ name, elements, shape: [elements], tagged: false, scale: true });

/** Conv-style kernel shape [out, in/group, (kd,) kh, kw] when the numbers divide, else flat. */
function kernelShape(size: number, out: number, k: number[]): number[] {
  const per = out * k.reduce((a, b) => a * b, 1);
  return per > 0 && size % per === 0 ? [out, size / per, ...k] : [size];
}

function convLike(type: string, p: ParamDict): WeightSpec[] {
  const out = p.int(0, 0);
  const kw = p.int(1, 0);
  const kh = p.int(11, kw);
  const kd = p.int(21, kw);
  const size = p.int(6, 0);
  const deconv = type.startsWith('Deconvolution');
  // Dynamic-weight convolutions take the kernel as a second input blob; nothing is in the .bin.
  if (p.int(deconv ? 28 : 19, 0) === 1) return [];
  const k = type.endsWith('1D') ? [kw] : type.endsWith('3D') ? [kd, kh, kw] : [kh, kw];
  const specs = [w('weight', size, kernelShape(size, out, k))];
  if (p.int(5, 0)) specs.push(raw('bias', out));
  const int8 = p.int(8, 0);
  if (int8 && type === 'Convolution') specs.push(scale('weight_int8_scales', out), scale('bottom_int8_scales', 1));
  if (int8 && type === 'ConvolutionDepthWise') {
    const group = p.int(7, 1);
    specs.push(scale('weight_int8_scales', int8 === 2 || int8 === 102 ? 1 : group), scale('bottom_int8_scales', 1));
  }
  if (int8 > 100 && (type === 'Convolution' || type === 'ConvolutionDepthWise')) specs.push(scale('top_int8_scales', 1));
  return specs;
}

/** Weight blobs of one layer, in file order. Layers without weights return []. */
export function weightLayout(type: string, p: ParamDict): WeightSpec[] {
  switch (type) {
    case 'Convolution':
    case 'ConvolutionDepthWise':
    case 'Convolution1D':
    case 'ConvolutionDepthWise1D':
    case 'Convolution3D':
    case 'ConvolutionDepthWise3D':
    case 'Deconvolution':
    case 'DeconvolutionDepthWise':
    case 'Deconvolution1D':
    case 'DeconvolutionDepthWise1D':
    case 'Deconvolution3D':
    case 'DeconvolutionDepthWise3D':
    case 'DeformableConv2D':
      return convLike(type, p);
    case 'InnerProduct': {
      const out = p.int(0, 0);
      const size = p.int(2, 0);
      const specs = [w('weight', size, out > 0 && size % out === 0 ? [out, size / out] : [size])];
      if (p.int(1, 0)) specs.push(raw('bias', out));
      if (p.int(8, 0)) specs.push(scale('weight_int8_scales', out), scale('bottom_int8_scales', 1));
      return specs;
    }
    case 'BatchNorm': {
      const c = p.int(0, 0);
      return [raw('slope', c), raw('mean', c), raw('var', c), raw('bias', c)];
    }
    case 'Scale': {
      const n = p.int(0, 0);
      // -233: the scale comes from a second input blob, so the .bin holds nothing for this layer.
      if (n === UNSET) return [];
      return p.int(1, 0) ? [raw('scale', n), raw('bias', n)] : [raw('scale', n)];
    }
    case 'Bias':
      return [raw('bias', p.int(0, 0))];
    case 'PReLU':
      return [raw('slope', p.int(0, 0))];
    case 'Embed': {
      const out = p.int(0, 0);
      const size = p.int(3, 0);
      const specs = [w('weight', size, out > 0 && size % out === 0 ? [size / out, out] : [size])];
      if (p.int(2, 0)) specs.push(raw('bias', out));
      if (p.int(18, 0)) specs.push(scale('weight_int8_scale', 1));
      return specs;
    }
    case 'InstanceNorm':
      return p.int(2, 1) ? [raw('gamma', p.int(0, 0)), raw('beta', p.int(0, 0))] : [];
    case 'GroupNorm':
      return p.int(3, 1) ? [raw('gamma', p.int(1, 0)), raw('beta', p.int(1, 0))] : [];
    case 'LayerNorm':
      return p.int(2, 1) ? [raw('gamma', p.int(0, 0)), raw('beta', p.int(0, 0))] : [];
    case 'RMSNorm':
      return p.int(2, 1) ? [raw('gamma', p.int(0, 0))] : [];
    case 'Normalize':
      return [raw('scale', p.int(3, 0))];
    case 'MemoryData': {
      const dims = [p.int(2, 0), p.int(11, 0), p.int(1, 0), p.int(0, 0)].filter((d) => d > 0);
      return [raw('data', dims.reduce((a, b) => a * b, 1), dims)];
    }
    case 'Padding': {
      const n = p.int(6, 0);
      return n > 0 ? [raw('per_channel_pad', n)] : [];
    }
    case 'Quantize':
      return [scale('scale', p.int(0, 1))];
    case 'Dequantize': {
      const specs = [scale('scale', p.int(0, 1))];
      if (p.int(1, 0) > 0) specs.push(raw('bias', p.int(1, 0)));
      return specs;
    }
    case 'Requantize': {
      const specs = [scale('scale_in', p.int(0, 1)), scale('scale_out', p.int(1, 1))];
      if (p.int(2, 0) > 0) specs.push(raw('bias', p.int(2, 0)));
      return specs;
    }
    case 'LSTM':
    case 'GRU':
    case 'RNN':
      return recurrent(type, p);
    case 'MultiHeadAttention': {
      const embed = p.int(0, 0);
      const size = p.int(2, 0);
      const qdim = embed > 0 ? Math.floor(size / embed) : 0;
      const kdim = p.int(3, embed);
      const vdim = p.int(4, embed);
      return [
        w('q_weight', size, [embed, qdim]), raw('q_bias', embed),
        w('k_weight', embed * kdim, [embed, kdim]), raw('k_bias', embed),
        w('v_weight', embed * vdim, [embed, vdim]), raw('v_bias', embed),
        w('out_weight', qdim * embed, [qdim, embed]), raw('out_bias', qdim),
      ];
    }
    case 'Gemm':
      return gemm(p);
    default:
      return [];
  }
}

function recurrent(type: string, p: ParamDict): WeightSpec[] {
  const out = p.int(0, 0);
  const size = p.int(1, 0);
  const dirs = p.int(2, 0) === 2 ? 2 : 1;
  const hidden = type === 'LSTM' ? p.int(3, out) : out;
  const gates = type === 'LSTM' ? 4 : type === 'GRU' ? 3 : 1;
  const perInput = dirs * hidden * gates;
  const input = perInput > 0 ? Math.floor(size / perInput) : 0;
  // Bias rows: LSTM 4 gates, GRU 4 (its reset gate keeps two biases), RNN 1.
  const biasRows = type === 'RNN' ? 1 : 4;
  const specs = [
    w('weight_xc', input * hidden * gates * dirs, [dirs, hidden * gates, input]),
    w('bias_c', hidden * biasRows * dirs, [dirs, biasRows, hidden]),
    w('weight_hc', out * hidden * gates * dirs, [dirs, hidden * gates, out]),
  ];
  if (type === 'LSTM' && out !== hidden) specs.push(w('weight_hr', hidden * out * dirs, [dirs, out, hidden]));
  return specs;
}

function gemm(p: ParamDict): WeightSpec[] {
  const [transA, transB, cA, cB, cC] = [p.int(2, 0), p.int(3, 0), p.int(4, 0), p.int(5, 0), p.int(6, 0)];
  const [M, N, K] = [p.int(7, 0), p.int(8, 0), p.int(9, 0)];
  const specs: WeightSpec[] = [];
  if (cA === 1) specs.push(w('A', M * K, transA ? [K, M] : [M, K]));
  if (cB === 1) specs.push(w('B', N * K, transB ? [N, K] : [K, N]));
  const bc = p.int(10, 0);
  if (cC === 1 && bc !== -1) {
    const n = bc === 0 ? 1 : bc === 1 || bc === 2 ? M : bc === 3 ? M * N : bc === 4 ? N : 0;
    specs.push(raw('C', n));
  }
  if (p.int(18, 0)) {
    if (cA === 1) specs.push(scale('A_int8_scales', M));
    if (cB === 1) specs.push(scale('B_int8_scale', 1));
  }
  return specs;
}
