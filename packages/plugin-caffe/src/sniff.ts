/**
 * Content sniffers for Caffe: `.prototxt` (protobuf text with `layer`/`layers` blocks) and `.caffemodel`
 * (binary NetParameter). Names are a hint only; the bytes decide. Both sniffers give the same `group` (the path
 * without its extension) so the walker pairs `det1.prototxt` with `det1.caffemodel`; see `pair.ts` for files
 * named differently.
 */
import type { SniffHit, SniffInput, Sniffer } from '@gaugenn/core';

/** Group key of a model file: its path without the extension. */
export function caffeGroup(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('!'));
  const dot = path.lastIndexOf('.');
  return dot > slash + 1 ? path.slice(0, dot) : path;
}

const LAYER_BLOCK = /(^|[\s}])layers?\s*:?\s*[{<]/m;
const NET_FIELD = /(^|\n)\s*(name|input|input_dim|input_shape|layers?)\s*[:{<]/;

/** True when `head` reads as Caffe prototxt: text, a `layer {`/`layers {` block or a net header with inputs. */
export function looksLikePrototxt(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  let text = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head[i]!;
    if (c === 0) return false;
    if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13 || c >= 0x80) text++;
  }
  if (text < head.length * 0.98) return false;
  const s = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('utf8');
  if (!NET_FIELD.test(s)) return false;
  if (LAYER_BLOCK.test(s) && /\btype\s*:/.test(s)) return true;
  // A long header may push the first layer past the head: inputs with their dims are evidence enough.
  return /(^|\n)\s*input\s*:\s*["']/.test(s) && /(^|\n)\s*(input_dim\s*:|input_shape\s*[:{])/.test(s);
}

/** Read a varint from `b` at `at`; undefined past the end or past 2^35. */
function varint(b: Uint8Array, at: number): [value: number, next: number] | undefined {
  let v = 0;
  let mul = 1;
  for (let i = at; i < b.length && i < at + 5; i++) {
    v += (b[i]! & 0x7f) * mul;
    mul *= 128;
    if ((b[i]! & 0x80) === 0) return [v, i + 1];
  }
  return undefined;
}

const printable = (b: Uint8Array) => b.length > 0 && b.every((c) => c >= 32 && c < 127);

/** NetParameter fields (number → wire type) that may precede the layers. */
const NET_HEADER: Record<number, number[]> = { 1: [2], 3: [2], 4: [0, 2], 5: [0], 6: [2], 7: [0], 8: [2] };

/**
 * True when `head` (the first bytes of a file of `size` bytes) has a NetParameter's wire structure: header
 * fields of the right wire types with sane lengths, then a `layer` (100) or V1 `layers` (2) message whose
 * first field is a printable name/type/bottom string.
 */
export function looksLikeCaffemodel(head: Uint8Array, size: number): boolean {
  let at = 0;
  let fields = 0;
  while (at < head.length && fields < 64) {
    const t = varint(head, at);
    if (!t) return false;
    const [tag, next] = t;
    const field = Math.floor(tag / 8);
    const wt = tag & 7;
    if (field === 100 || field === 2) {
      if (wt !== 2) return false;
      const l = varint(head, next);
      if (!l || l[0] < 2 || l[1] + l[0] > size) return false;
      return firstLayerFieldOk(head, l[1], field === 2);
    }
    const allowed = NET_HEADER[field];
    if (!allowed || !allowed.includes(wt)) return false;
    if (wt === 0) {
      const v = varint(head, next);
      if (!v) return false;
      at = v[1];
    } else {
      const l = varint(head, next);
      if (!l || l[1] + l[0] > size) return false;
      if ((field === 1 || field === 3) && !printable(head.subarray(l[1], Math.min(head.length, l[1] + l[0])))) return false;
      at = l[1] + l[0];
    }
    fields++;
  }
  return false;
}

function firstLayerFieldOk(head: Uint8Array, at: number, v1: boolean): boolean {
  if (at >= head.length) return true; // the layer starts right at the end of the head: the structure so far suffices
  const t = varint(head, at);
  if (!t) return false;
  const field = Math.floor(t[0] / 8);
  const wt = t[0] & 7;
  // V2 writes name(1), type(2), bottom(3), top(4) first; V1 writes bottom(2), top(3), name(4), then type(5, an enum).
  const strings = v1 ? [2, 3, 4] : [1, 2, 3, 4];
  if (v1 && field === 5 && wt === 0) return true;
  if (v1 && field === 1 && wt === 2) return true; // an embedded V0 layer
  if (!strings.includes(field) || wt !== 2) return false;
  const l = varint(head, t[1]);
  if (!l || l[0] > 4096) return false;
  return printable(head.subarray(l[1], Math.min(head.length, l[1] + l[0])));
}

/** The prototxt sniffer. */
export const prototxtSniffer: Sniffer = {
  name: 'caffe-prototxt',
  sniff(input: SniffInput): SniffHit | undefined {
    return looksLikePrototxt(input.head) ? { framework: 'caffe', kind: 'model', role: 'prototxt', group: caffeGroup(input.path) } : undefined;
  },
};

/** The caffemodel sniffer. */
export const caffemodelSniffer: Sniffer = {
  name: 'caffe-caffemodel',
  sniff(input: SniffInput): SniffHit | undefined {
    return looksLikeCaffemodel(input.head, input.size) ? { framework: 'caffe', kind: 'weights', role: 'caffemodel', group: caffeGroup(input.path) } : undefined;
  },
  // `deploy.prototxt` + `weights.caffemodel`: pair by layer names (every weighted prototxt layer is in the caffemodel).
  async pair(models, weights) {
    const { readFile } = await import('node:fs/promises');
    const { caffemodelLayerNames, pairByLayerNames, prototxtLayerNames } = await import('./pair.js');
    const prototxts = await Promise.all(models.map(async (m, i) => ({ id: String(i), names: prototxtLayerNames(await readFile(m.path, 'utf8'), m.entry) })));
    const caffemodels = await Promise.all(weights.map(async (w, i) => ({ id: String(i), names: await caffemodelLayerNames(w.path) })));
    return [...pairByLayerNames(prototxts, caffemodels)].map(([c, p]) => [Number(p), Number(c)] as [number, number]);
  },
  // A caffemodel holds its layer definitions too, so one without a prototxt is still a model.
  standaloneWeights: true,
};
