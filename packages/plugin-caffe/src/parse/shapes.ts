/**
 * Shape inference and arithmetic per Caffe layer type, following Caffe's own rules (NCHW blobs, ceil rounding
 * in Pooling, `pad`/`kernel_size`/`stride`/`dilation` in all their spellings). A layer whose input shapes are
 * unknown, or whose type is not modelled, gets unknown output shapes and a note, never a guess.
 */
import { GaugeError } from '@gaugenn/core';
import type { Msg } from '../schema/schema.js';
import { msgs, type CaffeLayer } from './net.js';

/** A blob shape, or undefined when inference could not tell. */
export type Shape = number[] | undefined;

/** What one layer computes, before weights from a caffemodel are attached. */
export interface LayerMath {
  outputs: Shape[];
  macs: number;
  /** Weight shapes the layer's hyperparameters imply, in Caffe's blob order (used when no blobs are stored). */
  weights: number[][];
  attrs: Record<string, unknown>;
  /** Why a figure could not be computed. */
  note?: string;
}

/** Largest dimension accepted; Caffe stores dims as int32/int64, real ones are far below. */
const MAX_DIM = 2 ** 31 - 1;
/** Largest element count of one blob accepted (2^48 floats is a petabyte: anything above is absurd). */
const MAX_ELEMENTS = 2 ** 48;

/** Check a declared shape: integer dims in [0, 2^31), bounded element count, at most 8 axes. */
export function checkShape(shape: number[], what: string, subject: string): number[] {
  const bad = (why: string) =>
    new GaugeError('MODEL_MALFORMED', `${subject}: ${what} has shape [${shape.join(', ')}], ${why}. Fix the net definition (dims must be small non-negative integers).`, { subject });
  if (shape.length > 8) throw bad('more than 8 axes');
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < -1 || d > MAX_DIM) throw bad(`dimension ${d} is absurd`);
    n *= Math.max(d, 1);
  }
  if (n > MAX_ELEMENTS) throw new GaugeError('LIMIT_EXCEEDED', `${subject}: ${what} has shape [${shape.join(', ')}], ${n} elements is absurd (beyond the 2^48 limit). gaugeNN refuses it rather than compute with it.`, { subject });
  return shape;
}

const prod = (a: readonly number[]) => a.reduce((x, y) => x * y, 1);
const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
const param = (l: CaffeLayer, key: string): Msg => ((l.msg[key] as Msg | undefined) ?? {});
const axisOf = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** Spatial geometry of Convolution/Deconvolution from any of its spellings. */
function convGeometry(p: Msg, spatial: number) {
  const pick = (list: unknown, h: unknown, w: unknown, dflt: number): number[] => {
    if (spatial === 2 && (h !== undefined || w !== undefined)) return [num(h, dflt), num(w, dflt)];
    const v = nums(list);
    return Array.from({ length: spatial }, (_, i) => (v.length === 0 ? dflt : v.length === 1 ? v[0]! : num(v[i], dflt)));
  };
  return {
    kernel: pick(p.kernel_size, p.kernel_h, p.kernel_w, 0),
    pad: pick(p.pad, p.pad_h, p.pad_w, 0),
    stride: pick(p.stride, p.stride_h, p.stride_w, 1),
    dilation: pick(p.dilation, undefined, undefined, 1),
  };
}

const same = (inputs: Shape[]): LayerMath => ({ outputs: [inputs[0]], macs: 0, weights: [], attrs: {} });

/**
 * Outputs, MACs and implied weight shapes of one layer.
 * @param inputs shapes of its bottoms (undefined where unknown)
 * @param weightShapes shapes of the blobs stored for it, when a caffemodel was read (they settle channel counts)
 */
export function layerMath(l: CaffeLayer, inputs: Shape[], weightShapes: number[][], subject: string): LayerMath {
  const x = inputs[0];
  const tops = l.top.length;
  const unknown = (why: string): LayerMath => ({ outputs: l.top.map(() => undefined), macs: 0, weights: [], attrs: {}, note: why });
  const needInput = () => unknown(`input shape unknown, so its output shape and MACs are not counted`);
  switch (l.type) {
    case 'Input': {
      const shapes = msgs(param(l, 'input_param').shape).map((s) => checkShape(nums(s.dim), `Input ${l.name}`, subject));
      return { outputs: l.top.map((_, i) => shapes[i] ?? shapes[0]), macs: 0, weights: [], attrs: {} };
    }
    case 'DummyData': {
      const shapes = msgs(param(l, 'dummy_data_param').shape).map((s) => checkShape(nums(s.dim), `DummyData ${l.name}`, subject));
      return { outputs: l.top.map((_, i) => shapes[i] ?? shapes[0]), macs: 0, weights: [], attrs: {} };
    }
    case 'MemoryData': {
      const p = param(l, 'memory_data_param');
      const s = checkShape([num(p.batch_size, 1), num(p.channels, 1), num(p.height, 1), num(p.width, 1)], `MemoryData ${l.name}`, subject);
      return { outputs: [s, [s[0]!]].slice(0, tops), macs: 0, weights: [], attrs: {} };
    }
    case 'Convolution':
    case 'ConvolutionDepthwise':
    case 'DepthwiseConvolution':
    case 'Deconvolution': {
      const p = param(l, 'convolution_param');
      const deconv = l.type === 'Deconvolution';
      const biasTerm = p.bias_term !== false;
      let group = Math.max(1, num(p.group, 1));
      if (!x) return { ...needInput(), weights: [] };
      if (x.length < 3) return unknown(`input rank ${x.length} is too small for a convolution`);
      const spatial = x.length - 2;
      const g = convGeometry(p, spatial);
      const cin = x[1]!;
      // Depthwise forks omit `group`; it equals the channel count.
      if (l.type !== 'Convolution' && !deconv && p.group === undefined) group = cin;
      const w0 = weightShapes[0];
      const cout = num(p.num_output, w0 ? (deconv ? w0[1]! * group : w0[0]!) : 0);
      // Kernel from the stored blob when the prototxt omits it (caffemodels written by converters do).
      const kernel = g.kernel.map((k, i) => (k > 0 ? k : (w0?.[2 + i] ?? 0)));
      if (kernel.some((k) => k <= 0)) return unknown('kernel size not stated');
      if (cout <= 0 || cin % group !== 0 || cout % group !== 0) return unknown(`channels ${cin}→${cout} do not divide into ${group} groups`);
      const inSp = x.slice(2);
      const outSp = inSp.map((d, i) => {
        const ext = g.dilation[i]! * (kernel[i]! - 1) + 1;
        return deconv ? g.stride[i]! * (d - 1) + ext - 2 * g.pad[i]! : Math.floor((d + 2 * g.pad[i]! - ext) / g.stride[i]!) + 1;
      });
      const attrs = { kernel, stride: g.stride, pad: g.pad, dilation: g.dilation, group, numOutput: cout, biasTerm };
      if (outSp.some((d) => d <= 0)) return { ...unknown(`output size ${outSp.join('x')} is not positive (kernel larger than padded input)`), attrs };
      const out = [x[0]!, cout, ...outSp];
      const macs = deconv ? x[0]! * cin * prod(inSp) * (cout / group) * prod(kernel) : x[0]! * cout * prod(outSp) * (cin / group) * prod(kernel);
      const wshape = deconv ? [cin, cout / group, ...kernel] : [cout, cin / group, ...kernel];
      return { outputs: [out], macs, weights: biasTerm ? [wshape, [cout]] : [wshape], attrs };
    }
    case 'InnerProduct': {
      const p = param(l, 'inner_product_param');
      if (!x) return needInput();
      const axis = axisOf(num(p.axis, 1), x.length);
      const w0 = weightShapes[0];
      const n = num(p.num_output, w0 ? (p.transpose ? w0[w0.length - 1]! : w0[w0.length - 2] ?? 0) : 0);
      const m = prod(x.slice(0, axis));
      const k = prod(x.slice(axis));
      const biasTerm = p.bias_term !== false;
      const w = p.transpose ? [k, n] : [n, k];
      return { outputs: [[...x.slice(0, axis), n]], macs: m * k * n, weights: biasTerm ? [w, [n]] : [w], attrs: { numOutput: n, biasTerm } };
    }
    case 'Embed': {
      const p = param(l, 'embed_param');
      if (!x) return needInput();
      const n = num(p.num_output, 0);
      const w = [[num(p.input_dim, 0), n]];
      if (p.bias_term !== false) w.push([n]);
      return { outputs: [[...x, n]], macs: 0, weights: w, attrs: { numOutput: n } };
    }
    case 'Pooling': {
      const p = param(l, 'pooling_param');
      if (!x) return needInput();
      if (x.length !== 4) return unknown(`pooling over a rank-${x.length} blob is not modelled`);
      const global = p.global_pooling === true;
      const k = global ? [x[2]!, x[3]!] : [num(p.kernel_h, num(p.kernel_size, 0)), num(p.kernel_w, num(p.kernel_size, 0))];
      const pad = global ? [0, 0] : [num(p.pad_h, num(p.pad, 0)), num(p.pad_w, num(p.pad, 0))];
      const stride = global ? [1, 1] : [num(p.stride_h, num(p.stride, 1)), num(p.stride_w, num(p.stride, 1))];
      if (k.some((v) => v <= 0) || stride.some((v) => v <= 0)) return unknown('kernel or stride not stated');
      const floor = p.round_mode === 'FLOOR';
      const out = [0, 1].map((i) => {
        const span = (x[2 + i]! + 2 * pad[i]! - k[i]!) / stride[i]!;
        let o = (floor ? Math.floor(span) : Math.ceil(span)) + 1;
        // Caffe: the last window must start inside the image (not in the padding).
        if (pad[i]! > 0 && (o - 1) * stride[i]! >= x[2 + i]! + pad[i]!) o--;
        return o;
      });
      const attrs = { pool: p.pool ?? 'MAX', kernel: k, stride, pad, global, roundMode: floor ? 'FLOOR' : 'CEIL' };
      if (out.some((d) => d <= 0)) return { ...unknown('pooling output size is not positive'), attrs };
      return { outputs: [[x[0]!, x[1]!, ...out]], macs: 0, weights: [], attrs };
    }
    case 'LRN': {
      const p = param(l, 'lrn_param');
      return { ...same(inputs), attrs: { localSize: num(p.local_size, 5), normRegion: p.norm_region ?? 'ACROSS_CHANNELS' } };
    }
    case 'BatchNorm': {
      if (!x) return needInput();
      const c = x[1] ?? 1;
      return { outputs: [x], macs: 0, weights: [[c], [c], [1]], attrs: {} };
    }
    case 'Scale':
    case 'Bias': {
      const p = param(l, l.type === 'Scale' ? 'scale_param' : 'bias_param');
      if (!x) return needInput();
      if (inputs.length > 1) return { outputs: [x], macs: 0, weights: [], attrs: {} };
      const axis = axisOf(num(p.axis, 1), x.length);
      const na = num(p.num_axes, 1);
      const w = na < 0 ? x.slice(axis) : x.slice(axis, axis + na);
      const weights = [w];
      if (l.type === 'Scale' && p.bias_term === true) weights.push(w);
      return { outputs: [x], macs: 0, weights, attrs: {} };
    }
    case 'PReLU': {
      if (!x) return needInput();
      const shared = param(l, 'prelu_param').channel_shared === true;
      return { outputs: [x], macs: 0, weights: [[shared ? 1 : (x[1] ?? 1)]], attrs: { channelShared: shared } };
    }
    case 'Normalize': {
      if (!x) return needInput();
      const p = param(l, 'norm_param');
      const shared = p.channel_shared !== false;
      return { outputs: [x], macs: 0, weights: [[shared ? 1 : (x[1] ?? 1)]], attrs: { acrossSpatial: p.across_spatial !== false, channelShared: shared } };
    }
    case 'Concat': {
      const p = param(l, 'concat_param');
      if (inputs.some((s) => !s) || !x) return needInput();
      const axis = axisOf(p.axis !== undefined ? num(p.axis, 1) : num(p.concat_dim, 1), x.length);
      const out = [...x];
      out[axis] = inputs.reduce((s, sh) => s + (sh![axis] ?? 0), 0);
      return { outputs: [out], macs: 0, weights: [], attrs: { axis } };
    }
    case 'Eltwise':
      return { ...same(inputs), attrs: { operation: param(l, 'eltwise_param').operation ?? 'SUM' } };
    case 'Slice': {
      const p = param(l, 'slice_param');
      if (!x) return needInput();
      const axis = axisOf(p.axis !== undefined ? num(p.axis, 1) : num(p.slice_dim, 1), x.length);
      const total = x[axis] ?? 0;
      const points = nums(p.slice_point);
      const bounds = points.length > 0 ? [0, ...points, total] : Array.from({ length: tops + 1 }, (_, i) => Math.floor((total * i) / Math.max(tops, 1)));
      const outputs = l.top.map((_, i) => {
        const o = [...x];
        o[axis] = (bounds[i + 1] ?? total) - (bounds[i] ?? 0);
        return o[axis]! > 0 ? o : undefined;
      });
      return { outputs, macs: 0, weights: [], attrs: { axis, slicePoint: points } };
    }
    case 'Split':
      return { outputs: l.top.map(() => x), macs: 0, weights: [], attrs: {} };
    case 'Flatten': {
      const p = param(l, 'flatten_param');
      if (!x) return needInput();
      const a = axisOf(num(p.axis, 1), x.length);
      const e = axisOf(num(p.end_axis, -1), x.length);
      return { outputs: [[...x.slice(0, a), prod(x.slice(a, e + 1)), ...x.slice(e + 1)]], macs: 0, weights: [], attrs: { axis: a, endAxis: e } };
    }
    case 'Reshape': {
      const p = param(l, 'reshape_param');
      if (!x) return needInput();
      const dims = nums((p.shape as Msg | undefined)?.dim);
      const axis = axisOf(num(p.axis, 0), x.length + 1);
      const na = num(p.num_axes, -1);
      const end = na < 0 ? x.length : axis + na;
      const mid = dims.map((d, i) => (d === 0 ? (x[axis + i] ?? 1) : d));
      const out = [...x.slice(0, axis), ...mid, ...x.slice(end)];
      const infer = out.indexOf(-1);
      if (infer >= 0) {
        const known = prod(out.filter((_, i) => i !== infer));
        out[infer] = known > 0 ? prod(x) / known : 0;
      }
      if (out.some((d) => !Number.isInteger(d) || d < 0)) return unknown(`reshape to [${dims.join(', ')}] does not fit the input`);
      return { outputs: [checkShape(out, `Reshape ${l.name}`, subject)], macs: 0, weights: [], attrs: { shape: dims } };
    }
    case 'Permute': {
      if (!x) return needInput();
      const order = nums(param(l, 'permute_param').order).filter((o) => o < x.length);
      for (let i = 0; i < x.length; i++) if (!order.includes(i)) order.push(i);
      return { outputs: [order.map((o) => x[o]!)], macs: 0, weights: [], attrs: { order } };
    }
    case 'Crop': {
      const ref = inputs[1];
      if (!x || !ref) return needInput();
      const axis = axisOf(num(param(l, 'crop_param').axis, 2), x.length);
      return { outputs: [x.map((d, i) => (i >= axis ? (ref[i] ?? d) : d))], macs: 0, weights: [], attrs: { axis } };
    }
    case 'Tile': {
      if (!x) return needInput();
      const p = param(l, 'tile_param');
      const axis = axisOf(num(p.axis, 1), x.length);
      const out = [...x];
      out[axis] = (out[axis] ?? 1) * num(p.tiles, 1);
      return { outputs: [out], macs: 0, weights: [], attrs: { axis } };
    }
    case 'Reduction': {
      if (!x) return needInput();
      const axis = axisOf(num(param(l, 'reduction_param').axis, 0), x.length);
      return { outputs: [x.slice(0, axis)], macs: 0, weights: [], attrs: { axis } };
    }
    case 'ArgMax': {
      if (!x) return needInput();
      const p = param(l, 'argmax_param');
      const k = num(p.top_k, 1);
      if (p.axis !== undefined) {
        const o = [...x];
        o[axisOf(num(p.axis, 0), x.length)] = k;
        return { outputs: [o], macs: 0, weights: [], attrs: { topK: k } };
      }
      return { outputs: [[x[0]!, p.out_max_val ? 2 : 1, k]], macs: 0, weights: [], attrs: { topK: k } };
    }
    case 'PriorBox': {
      if (!x || x.length !== 4) return needInput();
      const p = param(l, 'prior_box_param');
      const ratios = [1];
      for (const ar of nums(p.aspect_ratio)) {
        if (ratios.some((r) => Math.abs(r - ar) < 1e-6)) continue;
        ratios.push(ar);
        if (p.flip !== false) ratios.push(1 / ar);
      }
      const priors = ratios.length * nums(p.min_size).length + nums(p.max_size).length;
      return { outputs: [[1, 2, x[2]! * x[3]! * priors * 4]], macs: 0, weights: [], attrs: { priorsPerCell: priors } };
    }
    case 'DetectionOutput': {
      const p = param(l, 'detection_output_param');
      // The row count depends on the detections: open dimension.
      return { outputs: [[1, 1, -1, 7]], macs: 0, weights: [], attrs: { numClasses: p.num_classes, keepTopK: p.keep_top_k } };
    }
    case 'Silence':
      return { outputs: [], macs: 0, weights: [], attrs: {} };
    case 'Accuracy':
    case 'SoftmaxWithLoss':
    case 'EuclideanLoss':
    case 'HingeLoss':
    case 'InfogainLoss':
    case 'MultinomialLogisticLoss':
    case 'SigmoidCrossEntropyLoss':
    case 'ContrastiveLoss':
      return { outputs: l.top.map(() => []), macs: 0, weights: [], attrs: {} };
    case 'ReLU':
    case 'ReLU6':
    case 'Sigmoid':
    case 'TanH':
    case 'ELU':
    case 'AbsVal':
    case 'BNLL':
    case 'Power':
    case 'Exp':
    case 'Log':
    case 'Threshold':
    case 'Softmax':
    case 'Swish':
    case 'Clip':
    case 'Dropout':
    case 'MVN':
      return same(inputs);
    default:
      return unknown(`layer type ${l.type} is not modelled, so its output shape is unknown`);
  }
}
