/**
 * One view of a Caffe net whichever file it came from: prototxt text or caffemodel, current `layer` or legacy
 * V1 `layers`. Layers are filtered to the TEST phase (what a deployed model runs).
 */
import { createHash } from 'node:crypto';
import type { BlobInfo, CaffemodelContents } from '../binary/read-caffemodel.js';
import type { Msg } from '../schema/schema.js';
import { v1TypeName } from './op-table.js';

/** One layer, normalised. */
export interface CaffeLayer {
  name: string;
  type: string;
  bottom: string[];
  top: string[];
  /** The layer's own message (its `*_param` sub-messages are read from here). */
  msg: Msg;
  blobs: BlobInfo[];
  v1: boolean;
}

/** A net as declared: name, declared inputs, layers in file order. */
export interface CaffeNet {
  name?: string;
  /** Inputs declared with `input` + `input_shape`/`input_dim` (Input layers are handled as layers). */
  inputs: { name: string; shape?: number[] }[];
  layers: CaffeLayer[];
  /** Layers dropped because their include/exclude rules leave them out of the TEST phase. */
  trainOnly: string[];
  /** Number of V1 layers seen. */
  v1Layers: number;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
export const msgs = (v: unknown): Msg[] => (Array.isArray(v) ? v.filter((x): x is Msg => !!x && typeof x === 'object') : []);

/** Whether a NetStateRule list admits the TEST phase; rules on levels and stages are not evaluated. */
function inTest(layer: Msg): boolean {
  const matches = (r: Msg) => r.phase === undefined || r.phase === 'TEST';
  const include = msgs(layer.include);
  if (include.length > 0 && !include.some(matches)) return false;
  return !msgs(layer.exclude).some((r) => r.phase === 'TEST');
}

/** Blobs written inline in a prototxt (rare, but legal): hashed like the binary reader hashes them. */
function textBlobs(v: unknown): BlobInfo[] {
  return msgs(v).map((b) => {
    const data = (b.data as number[] | undefined) ?? [];
    const dbl = (b.double_data as number[] | undefined) ?? [];
    const f = Buffer.from(new Float32Array(data).buffer);
    const d = Buffer.from(new Float64Array(dbl).buffer);
    const bytes = Buffer.concat([f, d]);
    const dims = ((b.shape as Msg | undefined)?.dim as number[] | undefined) ?? [];
    const legacy = ['num', 'channels', 'height', 'width'].map((k) => (b[k] as number | undefined) ?? 0);
    const info: BlobInfo = {
      shape: dims.length > 0 ? dims : legacy.some((x) => x > 0) ? legacy : [],
      count: data.length + dbl.length,
      dtype: data.length === 0 && dbl.length > 0 ? 'float64' : 'float32',
      bytes: bytes.length,
      allZero: bytes.every((x) => x === 0),
    };
    if (bytes.length > 0) info.digest = createHash('sha256').update(data.length > 0 ? f : d).digest('hex');
    return info;
  });
}

function inputsOf(net: Msg): CaffeNet['inputs'] {
  const names = strs(net.input);
  const shapes = msgs(net.input_shape).map((s) => ((s.dim as number[] | undefined) ?? []).map(Number));
  const dims = ((net.input_dim as number[] | undefined) ?? []).map(Number);
  return names.map((name, i) => {
    if (shapes[i]) return { name, shape: shapes[i] };
    // Legacy: four input_dim values per input, in order.
    if (dims.length >= 4 * (i + 1)) return { name, shape: dims.slice(4 * i, 4 * i + 4) };
    return { name };
  });
}

function layerOf(m: Msg, v1: boolean, index: number, blobs: BlobInfo[]): CaffeLayer {
  return {
    name: str(m.name) || `layer_${index}`,
    type: v1 ? v1TypeName(m.type) : str(m.type) || 'Unknown',
    bottom: strs(m.bottom),
    top: strs(m.top),
    msg: m,
    blobs,
    v1,
  };
}

function build(net: Msg, raw: { msg: Msg; v1: boolean; blobs: BlobInfo[] }[]): CaffeNet {
  const layers: CaffeLayer[] = [];
  const trainOnly: string[] = [];
  raw.forEach((r, i) => {
    const l = layerOf(r.msg, r.v1, i, r.blobs);
    if (inTest(r.msg)) layers.push(l);
    else trainOnly.push(l.name);
  });
  return {
    name: str(net.name) || undefined,
    inputs: inputsOf(net),
    layers,
    trainOnly,
    v1Layers: raw.filter((r) => r.v1).length,
  };
}

/** A net from a parsed prototxt message. */
export function netFromText(net: Msg): CaffeNet {
  const raw = [
    ...msgs(net.layers).map((m) => ({ msg: m, v1: true, blobs: textBlobs(m.blobs) })),
    ...msgs(net.layer).map((m) => ({ msg: m, v1: false, blobs: textBlobs(m.blobs) })),
  ];
  return build(net, raw);
}

/** A net from a caffemodel's contents. */
export function netFromCaffemodel(c: CaffemodelContents): CaffeNet {
  return build(c.net, c.layers);
}
