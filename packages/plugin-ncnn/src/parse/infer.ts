/**
 * Shape inference and MACs for ncnn layers, from the Input layers' sizes through the graph, following ncnn's
 * own forward() arithmetic (padding modes, pooling tail padding, broadcasting). Shapes are ncnn blob dims,
 * outermost first and without a batch: [w], [h, w], [c, h, w] or [c, d, h, w]. `undefined` = unknown.
 * MACs never read the `-23330` shape hints; those are only compared against afterwards.
 */
import { GaugeError } from '@gaugenn/core';
import type { ParamDict } from './param-dict.js';
import { UNSET } from './param-dict.js';

export type Shape = number[] | undefined;

export interface Inferred {
  outputs: Shape[];
  macs: number;
  /** Why MACs or shapes could not be worked out, for notes. */
  unknown?: string;
}

/** Largest blob dimension / element count believed: anything above is an absurd (lying) param. */
export const MAX_DIM = 1 << 24;
export const MAX_ELEMENTS = 2 ** 40;

export class InferError extends GaugeError {
  constructor(message: string) {
    super('MODEL_MALFORMED', message);
  }
}

const W = (s: number[]) => s[s.length - 1]!;
const H = (s: number[]) => (s.length >= 2 ? s[s.length - 2]! : 1);
const C = (s: number[]) => (s.length >= 3 ? s[0]! : 1);
const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Reject dimensions no real model has, so a lying param fails typed instead of overflowing later. */
export function checkShape(s: Shape, what: string): Shape {
  if (!s) return s;
  for (const d of s) {
    if (!Number.isInteger(d) || (d < 1 && d !== -1) || d > MAX_DIM) throw new InferError(`${what} has an absurd dimension ${d} (shape [${s.join(', ')}])`);
  }
  if (prod(s.map((d) => Math.max(d, 1))) > MAX_ELEMENTS) throw new InferError(`${what} has an absurd size (shape [${s.join(', ')}])`);
  return s;
}

/** One spatial axis of a convolution, with ncnn's padding rules (-233 SAME_UPPER, -234 SAME_LOWER). */
function convAxis(n: number, k: number, d: number, s: number, p0: number, p1: number, what: string): number {
  if (k < 1 || d < 1 || s < 1) throw new InferError(`${what} has kernel ${k}, dilation ${d}, stride ${s}; all must be at least 1`);
  const ext = d * (k - 1) + 1;
  let padded = n;
  if (p0 > 0 || p1 > 0) padded = n + Math.max(p0, 0) + Math.max(p1, 0);
  else if (p0 === -233 || p0 === -234) padded = Math.max(n, ext + Math.floor((n - 1) / s) * s);
  if (padded < ext) throw new InferError(`${what}: kernel extent ${ext} is larger than the padded input ${padded}`);
  return Math.floor((padded - ext) / s) + 1;
}

/** One spatial axis of a deconvolution. */
function deconvAxis(n: number, k: number, d: number, s: number, p0: number, p1: number, outPad: number, outFixed: number, what: string): number {
  if (k < 1 || d < 1 || s < 1) throw new InferError(`${what} has kernel ${k}, dilation ${d}, stride ${s}; all must be at least 1`);
  const full = (n - 1) * s + d * (k - 1) + 1 + outPad;
  if (p0 > 0 || p1 > 0) return full - Math.max(p0, 0) - Math.max(p1, 0);
  if (outFixed > 0) return outFixed;
  if (p0 === -233 || p0 === -234) return n * s;
  return full;
}

/** One spatial axis of pooling: pad_mode 0 full (ceil), 1 valid (floor), 2/3 SAME. */
function poolAxis(n: number, k: number, s: number, p0: number, p1: number, mode: number, what: string): number {
  if (k < 1 || s < 1) throw new InferError(`${what} has kernel ${k}, stride ${s}; both must be at least 1`);
  let padded = n + p0 + p1;
  if (mode === 0) {
    const tail = (padded - k) % s;
    if (tail > 0) padded += s - tail;
  } else if (mode === 2 || mode === 3) {
    padded = Math.max(n, k + Math.floor((n - 1) / s) * s);
  }
  if (padded < k) throw new InferError(`${what}: pooling kernel ${k} is larger than the padded input ${padded}`);
  return Math.floor((padded - k) / s) + 1;
}

/** numpy-style broadcast, plus ncnn's per-channel rule: a 1-D [c] against [c, h, w] broadcasts over channels. */
function broadcast(a: number[], b: number[]): number[] {
  if (a.length !== b.length) {
    const [big, small] = a.length > b.length ? [a, b] : [b, a];
    if (small.length === 1 && small[0] === big[0] && small[0] !== W(big)) return [...big];
  }
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    out.push(x === 1 ? y : y === 1 ? x : Math.max(x, y));
  }
  return out;
}

function conv2d(type: string, p: ParamDict, inp: number[], name: string): Inferred {
  const what = `${type} ${name}`;
  const out = p.int(0, 0);
  const kw = p.int(1, 0);
  const kh = p.int(11, kw);
  const dw = p.int(2, 1);
  const dh = p.int(12, dw);
  const sw = p.int(3, 1);
  const sh = p.int(13, sw);
  const pl = p.int(4, 0);
  const pr = p.int(15, pl);
  const pt = p.int(14, pl);
  const pb = p.int(16, pt);
  const size = p.int(6, 0);
  const group = type === 'ConvolutionDepthWise' ? p.int(7, 1) : 1;
  if (out < 1 || group < 1) throw new InferError(`${what} has num_output ${out} and group ${group}; both must be at least 1`);
  // ncnn runs a 1x1 conv on a flat [w] blob (after global pooling) as if it were [w, 1, 1].
  const x = inp.length === 1 ? [inp[0]!, 1, 1] : inp.length === 2 ? [1, inp[0]!, inp[1]!] : inp;
  const inC = C(x);
  const dynamic = p.int(19, 0) === 1;
  if (!dynamic) {
    const expected = out * Math.floor(inC / group) * kw * kh;
    if (inC % group !== 0 || size !== expected) {
      throw new InferError(`${what}: weight_data_size is ${size}, but ${out} outputs × ${inC}/${group} input channels × ${kh}×${kw} kernel = ${expected}`);
    }
  }
  const oh = convAxis(H(x), kh, dh, sh, pt, pb, what);
  const ow = convAxis(W(x), kw, dw, sw, pl, pr, what);
  const macs = oh * ow * out * Math.floor(inC / group) * kh * kw;
  return { outputs: [[out, oh, ow]], macs };
}

function conv1d(type: string, p: ParamDict, inp: number[], name: string): Inferred {
  const what = `${type} ${name}`;
  const out = p.int(0, 0);
  const kw = p.int(1, 0);
  const group = type === 'ConvolutionDepthWise1D' ? p.int(7, 1) : 1;
  const inC = inp.length >= 2 ? H(inp) : 1;
  if (out < 1 || group < 1 || inC % group !== 0) throw new InferError(`${what} has num_output ${out}, group ${group} for ${inC} input channels`);
  const ow = convAxis(W(inp), kw, p.int(2, 1), p.int(3, 1), p.int(4, 0), p.int(15, p.int(4, 0)), what);
  return { outputs: [[out, ow]], macs: ow * out * (inC / group) * kw };
}

function conv3d(type: string, p: ParamDict, inp: number[], name: string): Inferred {
  const what = `${type} ${name}`;
  if (inp.length !== 4) return { outputs: [undefined], macs: 0, unknown: `${what} expects a 4-D input, got [${inp.join(', ')}]` };
  const out = p.int(0, 0);
  const kw = p.int(1, 0);
  const kh = p.int(11, kw);
  const kd = p.int(21, kw);
  const group = type === 'ConvolutionDepthWise3D' ? p.int(7, 1) : 1;
  const inC = inp[0]!;
  if (out < 1 || group < 1 || inC % group !== 0) throw new InferError(`${what} has num_output ${out}, group ${group} for ${inC} input channels`);
  const pl = p.int(4, 0);
  const pt = p.int(14, pl);
  const pf = p.int(24, pl);
  const od = convAxis(inp[1]!, kd, p.int(22, p.int(2, 1)), p.int(23, p.int(3, 1)), pf, p.int(17, pf), what);
  const oh = convAxis(inp[2]!, kh, p.int(12, p.int(2, 1)), p.int(13, p.int(3, 1)), pt, p.int(16, pt), what);
  const ow = convAxis(inp[3]!, kw, p.int(2, 1), p.int(3, 1), pl, p.int(15, pl), what);
  return { outputs: [[out, od, oh, ow]], macs: od * oh * ow * out * (inC / group) * kw * kh * kd };
}

function deconv2d(type: string, p: ParamDict, inp: number[], name: string): Inferred {
  const what = `${type} ${name}`;
  const out = p.int(0, 0);
  const kw = p.int(1, 0);
  const kh = p.int(11, kw);
  const dw = p.int(2, 1);
  const sw = p.int(3, 1);
  const pl = p.int(4, 0);
  const pt = p.int(14, pl);
  const group = type === 'DeconvolutionDepthWise' ? p.int(7, 1) : 1;
  const x = inp.length === 1 ? [inp[0]!, 1, 1] : inp;
  const inC = C(x);
  if (out < 1 || group < 1 || inC % group !== 0) throw new InferError(`${what} has num_output ${out}, group ${group} for ${inC} input channels`);
  const size = p.int(6, 0);
  const expected = out * (inC / group) * kw * kh;
  if (p.int(28, 0) !== 1 && size !== expected) {
    throw new InferError(`${what}: weight_data_size is ${size}, but ${out} outputs × ${inC}/${group} input channels × ${kh}×${kw} kernel = ${expected}`);
  }
  const oh = deconvAxis(H(x), kh, p.int(12, dw), p.int(13, sw), pt, p.int(16, pt), p.int(19, p.int(18, 0)), p.int(21, p.int(20, 0)), what);
  const ow = deconvAxis(W(x), kw, dw, sw, pl, p.int(15, pl), p.int(18, 0), p.int(20, 0), what);
  // Every input pixel scatters a full kernel: MACs follow the input size, not the output.
  return { outputs: [[out, oh, ow]], macs: H(x) * W(x) * inC * (out / group) * kw * kh };
}

function pooling(p: ParamDict, inp: number[], name: string): Inferred {
  const what = `Pooling ${name}`;
  const c = C(inp);
  if (p.int(4, 0) === 1) return { outputs: [[c]], macs: 0 };
  if (p.int(7, 0) === 1) {
    const ow = p.int(8, 0);
    return { outputs: [[c, p.int(18, ow), ow]], macs: 0 };
  }
  const kw = p.int(1, 0);
  const kh = p.int(11, kw);
  const sw = p.int(2, 1);
  const sh = p.int(12, sw);
  const pl = p.int(3, 0);
  const pr = p.int(14, pl);
  const pt = p.int(13, pl);
  const pb = p.int(15, pt);
  const mode = p.int(5, 0);
  return { outputs: [[c, poolAxis(H(inp), kh, sh, pt, pb, mode, what), poolAxis(W(inp), kw, sw, pl, pr, mode, what)]], macs: 0 };
}

function innerProduct(p: ParamDict, inp: number[], name: string): Inferred {
  const out = p.int(0, 0);
  const size = p.int(2, 0);
  if (out < 1 || size % out !== 0) throw new InferError(`InnerProduct ${name}: weight_data_size ${size} is not a multiple of num_output ${out}`);
  const nIn = size / out;
  // A 2-D blob whose rows each have num_input values is a batch of rows (ncnn's gemm path).
  if (inp.length === 2 && W(inp) === nIn && H(inp) > 1) return { outputs: [[H(inp), out]], macs: H(inp) * size };
  if (p.int(19, 0) === 0 && prod(inp) !== nIn) {
    throw new InferError(`InnerProduct ${name}: weight_data_size ${size} / num_output ${out} = ${nIn} inputs, but its input blob [${inp.join(', ')}] has ${prod(inp)} values`);
  }
  return { outputs: [[out]], macs: size };
}

function reshape(p: ParamDict, inp: number[], name: string): Inferred {
  const total = prod(inp);
  const dimsOf = (s: number[]) => ({ w: W(s), h: H(s), d: s.length === 4 ? s[1]! : 1, c: C(s) });
  const src = dimsOf(inp);
  const w = p.int(0, UNSET);
  const h = p.int(1, UNSET);
  const d = p.int(11, UNSET);
  const c = p.int(2, UNSET);
  const raw = h === UNSET ? [['w', w]] : c === UNSET && d === UNSET ? [['h', h], ['w', w]] : d === UNSET ? [['c', c], ['h', h], ['w', w]] : [['c', c], ['d', d], ['h', h], ['w', w]];
  const dims = raw.map(([k, v]) => (v === 0 ? src[k as 'w'] : (v as number)));
  const known = dims.filter((v) => v !== -1).reduce((a, b) => a * b, 1);
  const inferIdx = dims.indexOf(-1);
  if (dims.some((v) => v < -1 || v === 0) || known <= 0) throw new InferError(`Reshape ${name} asks for dims [${dims.join(', ')}]`);
  if (inferIdx >= 0) {
    if (dims.lastIndexOf(-1) !== inferIdx || total % known !== 0) throw new InferError(`Reshape ${name}: [${dims.join(', ')}] cannot hold ${total} values`);
    dims[inferIdx] = total / known;
  }
  if (prod(dims) !== total) throw new InferError(`Reshape ${name}: [${dims.join(', ')}] holds ${prod(dims)} values, its input ${total}`);
  return { outputs: [dims], macs: 0 };
}

function permute(p: ParamDict, inp: number[]): Inferred {
  const t = p.int(0, 0);
  if (inp.length === 2) return { outputs: [t === 1 ? [W(inp), H(inp)] : [...inp]], macs: 0 };
  if (inp.length === 3) {
    const [c, h, w] = inp as [number, number, number];
    // order_type lists the new (w, h, c) axes, innermost first.
    const orders: Record<number, number[]> = { 0: [c, h, w], 1: [c, w, h], 2: [h, c, w], 3: [h, w, c], 4: [w, c, h], 5: [w, h, c] };
    return { outputs: [orders[t] ?? undefined], macs: 0 };
  }
  return { outputs: [t === 0 ? [...inp] : undefined], macs: 0 };
}

function concat(p: ParamDict, ins: number[][], name: string): Inferred {
  const first = ins[0]!;
  let axis = p.int(0, 0);
  if (axis < 0) axis += first.length;
  if (axis < 0 || axis >= first.length) throw new InferError(`Concat ${name} has axis ${p.int(0, 0)} for ${first.length}-D inputs`);
  const out = [...first];
  out[axis] = ins.reduce((s, x) => s + (x[axis] ?? 0), 0);
  return { outputs: [out], macs: 0 };
}

function slice(p: ParamDict, inp: number[], tops: number, name: string): Inferred {
  let axis = p.int(1, 0);
  if (axis < 0) axis += inp.length;
  if (axis < 0 || axis >= inp.length) throw new InferError(`Slice ${name} has axis ${p.int(1, 0)} for a ${inp.length}-D input`);
  const total = inp[axis]!;
  const slices = p.ints(0);
  const indices = p.ints(2);
  const outs: Shape[] = [];
  let q = 0;
  for (let i = 0; i < tops; i++) {
    let n: number;
    if (indices && indices.length > 0) n = (i < indices.length ? indices[i]! : total) - q;
    else if (slices && slices.length > 0) {
      const s = slices[i] ?? -233;
      n = s === -233 ? Math.floor((total - q) / (tops - i)) : s;
    } else n = Math.floor(total / tops);
    if (n < 1 || q + n > total) throw new InferError(`Slice ${name} cuts ${n} at ${q} from an axis of ${total}`);
    const s = [...inp];
    s[axis] = n;
    outs.push(s);
    q += n;
  }
  return { outputs: outs, macs: 0 };
}

function crop(p: ParamDict, ins: number[][]): Inferred {
  const inp = ins[0]!;
  const ref = ins[1];
  if (ref) {
    const out = [...inp];
    out[out.length - 1] = W(ref);
    if (out.length >= 2 && ref.length >= 2) out[out.length - 2] = H(ref);
    return { outputs: [out], macs: 0 };
  }
  const starts = p.ints(9);
  const ends = p.ints(10);
  if (starts && ends) {
    const axes = p.ints(11) ?? starts.map((_, i) => i);
    const out = [...inp];
    axes.forEach((a0, i) => {
      const a = a0 < 0 ? a0 + inp.length : a0;
      if (a < 0 || a >= inp.length) return;
      const n = inp[a]!;
      const s0 = starts[i] ?? 0;
      const e0 = ends[i] ?? n;
      const s = Math.min(Math.max(s0 < 0 ? s0 + n : s0, 0), n);
      const e = Math.min(Math.max(e0 < 0 ? e0 + n : e0, 0), n);
      out[a] = Math.max(e - s, 0);
    });
    return { outputs: [out], macs: 0 };
  }
  const axis = (n: number, off: number, want: number, off2: number) => (want === -233 ? n - off : want > 0 ? Math.min(want, n - off) : n - off - off2);
  const out = [...inp];
  out[out.length - 1] = axis(W(inp), p.int(0, 0), p.int(3, 0), p.int(6, 0));
  if (inp.length >= 2) out[out.length - 2] = axis(H(inp), p.int(1, 0), p.int(4, 0), p.int(7, 0));
  if (inp.length >= 3) out[0] = axis(C(inp), p.int(2, 0), p.int(5, 0), p.int(8, 0));
  return { outputs: [out], macs: 0 };
}

function interp(p: ParamDict, ins: number[][]): Inferred {
  const inp = ins[0]!;
  const ref = ins[1];
  const x = inp.length === 1 ? [inp[0]!, 1, 1] : inp;
  let oh = p.int(3, 0);
  let ow = p.int(4, 0);
  if (ref && p.int(5, 0) === 0) {
    oh = H(ref);
    ow = W(ref);
  } else if (ref) return { outputs: [undefined], macs: 0, unknown: 'Interp takes its output size from a second input at run time' };
  if (oh <= 0 || ow <= 0) {
    oh = Math.floor(H(x) * p.float(1, 1));
    ow = Math.floor(W(x) * p.float(2, 1));
  }
  if (x.length === 2) return { outputs: [[H(x), Math.floor(W(x) * p.float(2, 1)) || ow]], macs: 0 };
  return { outputs: [[C(x), oh, ow]], macs: 0 };
}

function padding(p: ParamDict, inp: number[]): Inferred {
  const [t, b, l, r, f, bh] = [p.int(0, 0), p.int(1, 0), p.int(2, 0), p.int(3, 0), p.int(7, 0), p.int(8, 0)];
  if (inp.length === 1) return { outputs: [[inp[0]! + l + r]], macs: 0 };
  if (inp.length === 2) return { outputs: [[H(inp) + t + b, W(inp) + l + r]], macs: 0 };
  const out = [...inp];
  out[0] = C(inp) + f + bh;
  out[out.length - 2] = H(inp) + t + b;
  out[out.length - 1] = W(inp) + l + r;
  return { outputs: [out], macs: 0 };
}

function priorBox(p: ParamDict, inp: number[]): Inferred {
  const nMin = p.floats(0)?.length ?? 0;
  const nMax = p.floats(1)?.length ?? 0;
  const nAr = p.floats(2)?.length ?? 0;
  let priors = nMin * nAr + nMin + nMax;
  if (p.int(7, 1)) priors += nMin * nAr;
  return { outputs: [[2, 4 * H(inp) * W(inp) * priors]], macs: 0 };
}

function recurrentLayer(type: string, p: ParamDict, inp: number[], tops: number): Inferred {
  const out = p.int(0, 0);
  const size = p.int(1, 0);
  const dirs = p.int(2, 0) === 2 ? 2 : 1;
  const hidden = type === 'LSTM' ? p.int(3, out) : out;
  const gates = type === 'LSTM' ? 4 : type === 'GRU' ? 3 : 1;
  const nIn = Math.floor(size / (dirs * hidden * gates || 1));
  const T = inp.length >= 2 ? H(inp) : 1;
  let macs = T * dirs * gates * hidden * (nIn + out);
  if (type === 'LSTM' && out !== hidden) macs += T * dirs * hidden * out;
  const outputs: Shape[] = [[T, out * dirs]];
  for (let i = 1; i < tops; i++) outputs.push([dirs, i === 2 ? hidden : out]);
  return { outputs, macs };
}

function attention(p: ParamDict, ins: number[][]): Inferred {
  const q = ins[0]!;
  const k = ins[1] ?? q;
  const v = ins[2] ?? k;
  const embed = p.int(0, 0);
  const qdim = embed > 0 ? Math.floor(p.int(2, 0) / embed) : 0;
  const seq = H(q);
  const kvSeq = H(k);
  const macs = seq * qdim * embed + kvSeq * W(k) * embed + H(v) * W(v) * embed + 2 * seq * kvSeq * embed + seq * embed * qdim;
  return { outputs: [[seq, qdim]], macs };
}

function gemm(p: ParamDict, ins: number[][], name: string): Inferred {
  const [transA, transB, cA, cB] = [p.int(2, 0), p.int(3, 0), p.int(4, 0), p.int(5, 0)];
  let i = 0;
  const A = cA ? undefined : ins[i++];
  const B = cB ? undefined : ins[i++];
  const M = A ? (transA ? W(A) : H(A)) : p.int(7, 0);
  const K = A ? (transA ? H(A) : W(A)) : p.int(9, 0);
  const N = B ? (transB ? H(B) : W(B)) : p.int(8, 0);
  if (M < 1 || N < 1 || K < 1) throw new InferError(`Gemm ${name} works out to M=${M} N=${N} K=${K}`);
  return { outputs: [p.int(14, 0) ? [N, M] : [M, N]], macs: M * N * K };
}

function matmul(p: ParamDict, ins: number[][], name: string): Inferred {
  const a = ins[0]!;
  const b = ins[1];
  if (!b) return { outputs: [undefined], macs: 0, unknown: `MatMul ${name} has one input` };
  const A = a.length === 1 ? [1, a[0]!] : a;
  const B = b.length === 1 ? [b[0]!, 1] : p.int(0, 0) ? [...b.slice(0, -2), W(b), H(b)] : b;
  const [M, K] = [H(A), W(A)];
  const [K2, N] = [H(B), W(B)];
  if (K !== K2) throw new InferError(`MatMul ${name}: inner dimensions ${K} and ${K2} differ`);
  const batch = broadcast(A.slice(0, -2).length ? A.slice(0, -2) : [1], B.slice(0, -2).length ? B.slice(0, -2) : [1]);
  const out = [...(A.length > 2 || B.length > 2 ? batch : []), ...(a.length === 1 ? [] : [M]), ...(b.length === 1 ? [] : [N])];
  return { outputs: [out.length ? out : [1]], macs: prod(batch) * M * N * K };
}

function inputShape(p: ParamDict): Shape {
  const [w, h, d, c] = [p.int(0, 0), p.int(1, 0), p.int(11, 0), p.int(2, 0)];
  if (c > 0 && d > 0) return [c, d, Math.max(h, 1), Math.max(w, 1)];
  if (c > 0) return [c, Math.max(h, 1), Math.max(w, 1)];
  if (h > 0) return [h, Math.max(w, 1)];
  if (w > 0) return [w];
  return undefined;
}

/** Identity-shaped layers: activations, norms, copies, quantisation, element-wise with one input. */
const SAME_SHAPE = new Set([
  'AbsVal', 'BNLL', 'ELU', 'Exp', 'Log', 'Power', 'PReLU', 'ReLU', 'Sigmoid', 'Softmax', 'TanH', 'Threshold', 'Clip',
  'HardSigmoid', 'SELU', 'HardSwish', 'Mish', 'Swish', 'Softplus', 'GELU', 'Erf', 'CELU', 'Shrink', 'UnaryOp',
  'BatchNorm', 'LRN', 'MVN', 'Normalize', 'InstanceNorm', 'GroupNorm', 'LayerNorm', 'RMSNorm', 'Bias', 'Scale',
  'Dropout', 'Noop', 'ShuffleChannel', 'Packing', 'Cast', 'DeepCopy', 'Quantize', 'Dequantize', 'Requantize',
  'CumulativeSum', 'Flip', 'Eltwise',
]);

/**
 * Output shapes and MACs of one layer. `ins` are its input shapes (some may be unknown).
 * Throws {@link InferError} when the layer's fields contradict its inputs (a lying param).
 */
export function inferLayer(type: string, name: string, p: ParamDict, ins: Shape[], tops: number): Inferred {
  if (type === 'Input') return { outputs: [inputShape(p)], macs: 0 };
  if (type === 'MemoryData') {
    const dims = [p.int(2, 0), p.int(11, 0), p.int(1, 0), p.int(0, 0)].filter((d) => d > 0);
    return { outputs: [dims.length ? dims : undefined], macs: 0 };
  }
  if (type === 'Split') return { outputs: Array.from({ length: tops }, () => (ins[0] ? [...ins[0]] : undefined)), macs: 0 };
  const known = ins.filter((s): s is number[] => !!s);
  if (known.length !== ins.length || ins.length === 0) {
    const why = ins.length === 0 ? `${type} ${name} has no inputs` : `${type} ${name} has an input of unknown shape`;
    return { outputs: Array.from({ length: tops }, () => undefined), macs: 0, unknown: why };
  }
  const inp = known[0]!;
  if (SAME_SHAPE.has(type)) return { outputs: Array.from({ length: tops }, () => [...inp]), macs: 0 };
  switch (type) {
    case 'Convolution':
    case 'ConvolutionDepthWise':
    case 'DeformableConv2D':
      return conv2d(type === 'DeformableConv2D' ? 'Convolution' : type, p, inp, name);
    case 'Convolution1D':
    case 'ConvolutionDepthWise1D':
      return conv1d(type, p, inp, name);
    case 'Convolution3D':
    case 'ConvolutionDepthWise3D':
      return conv3d(type, p, inp, name);
    case 'Deconvolution':
    case 'DeconvolutionDepthWise':
      return deconv2d(type, p, inp, name);
    case 'Pooling':
      return pooling(p, inp, name);
    case 'InnerProduct':
      return innerProduct(p, inp, name);
    case 'BinaryOp':
      return { outputs: [p.int(1, 0) === 1 || known.length < 2 ? [...inp] : broadcast(inp, known[1]!)], macs: 0 };
    case 'Concat':
      return concat(p, known, name);
    case 'Slice':
      return slice(p, inp, tops, name);
    case 'Reshape':
      return reshape(p, inp, name);
    case 'Flatten':
      return { outputs: [[prod(inp)]], macs: 0 };
    case 'Permute':
      return permute(p, inp);
    case 'Crop':
      return crop(p, known);
    case 'Interp':
      return interp(p, known);
    case 'Padding':
      return padding(p, inp);
    case 'PixelShuffle': {
      const r = p.int(0, 1);
      if (r < 1 || C(inp) % (r * r) !== 0) throw new InferError(`PixelShuffle ${name}: ${C(inp)} channels do not divide by ${r}²`);
      return { outputs: [[C(inp) / (r * r), H(inp) * r, W(inp) * r]], macs: 0 };
    }
    case 'Reorg': {
      const s = p.int(0, 1);
      if (s < 1) throw new InferError(`Reorg ${name} has stride ${s}`);
      return { outputs: [[C(inp) * s * s, Math.floor(H(inp) / s), Math.floor(W(inp) / s)]], macs: 0 };
    }
    case 'PriorBox':
      return priorBox(p, inp);
    case 'DetectionOutput':
    case 'YoloDetectionOutput':
    case 'Yolov3DetectionOutput':
      // The number of detections is only known at run time.
      return { outputs: [[-1, 6]], macs: 0 };
    case 'ROIPooling':
    case 'ROIAlign':
      return { outputs: [[C(inp), p.int(1, 1), p.int(0, 1)]], macs: 0 };
    case 'PSROIPooling':
      return { outputs: [[p.int(2, 1), p.int(1, 1), p.int(0, 1)]], macs: 0 };
    case 'LSTM':
    case 'GRU':
    case 'RNN':
      return recurrentLayer(type, p, inp, tops);
    case 'MultiHeadAttention':
      return attention(p, known);
    case 'Gemm':
      return gemm(p, known, name);
    case 'MatMul':
      return matmul(p, known, name);
    case 'Embed':
      return { outputs: [[prod(inp), p.int(0, 0)]], macs: 0 };
    default:
      return { outputs: Array.from({ length: tops }, () => undefined), macs: 0, unknown: `${type} ${name}: gaugeNN does not infer this layer's output shape` };
  }
}

/** The `-23330` hint of one layer as shapes, one per top blob; `undefined` when absent or unreadable. */
export function shapeHints(hint: number[] | undefined, tops: number): Shape[] | undefined {
  if (!hint || tops < 1 || hint.length % tops !== 0) return undefined;
  const per = hint.length / tops;
  if (per !== 4 && per !== 5) return undefined;
  const out: Shape[] = [];
  for (let t = 0; t < tops; t++) {
    const v = hint.slice(t * per, (t + 1) * per);
    const dims = v[0]!;
    const [w, h] = [v[1]!, v[2]!];
    const c = v[per - 1]!;
    const d = per === 5 ? v[3]! : 1;
    out.push(dims === 1 ? [w] : dims === 2 ? [h, w] : dims === 3 ? [c, h, w] : dims === 4 ? [c, d, h, w] : undefined);
  }
  return out;
}
