/**
 * Sniffers for ncnn models. A param opens with the magic 7767517, as a text line or as an int32 (binary
 * `.param.bin`). A weights `.bin` has no magic at all, so it is claimed only when both its name and its head
 * agree (see {@link looksLikeNcnnWeights}); the walker pairs it with the param of the same `group`.
 */
import { pairByContent } from './pair.js';
import type { SniffHit, SniffInput, Sniffer } from '@gaugenn/core';
import { isBinaryParam, LIMITS, NCNN_MAGIC } from './parse/param-reader.js';
import { FLAG_FP16, FLAG_FP32_RAW, FLAG_INT8 } from './parse/weights.js';

const MAGIC_TEXT = String(NCNN_MAGIC);

/** The group key that pairs a param with its weights: the entry path without `.param`, `.param.bin` or `.bin`. */
export function ncnnGroup(path: string): string {
  return path.replace(/\.param\.bin$/i, '').replace(/\.(param|bin)$/i, '');
}

/** True when `head` starts like a text param: the magic line, then `<layers> <blobs>`. */
export function looksLikeTextParam(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  for (let i = 0; i < MAGIC_TEXT.length; i++) if (head[i] !== MAGIC_TEXT.charCodeAt(i)) return false;
  const rest = new TextDecoder().decode(head.subarray(MAGIC_TEXT.length, Math.min(head.length, 64)));
  // Magic line, then `<layers> <blobs>`; a head cut short inside the second line still counts.
  return /^[ \t]*\r?\n[ \t]*(\d+[ \t]+\d+|\d*[ \t]*\d*$)/.test(rest);
}

/** True when `head` starts like a binary param: int32 magic and plausible layer/blob counts. */
export function looksLikeBinaryParam(head: Uint8Array): boolean {
  if (head.length < 12 || !isBinaryParam(head)) return false;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const layers = dv.getInt32(4, true);
  const blobs = dv.getInt32(8, true);
  if (layers < 1 || layers > LIMITS.layers || blobs < 1 || blobs > LIMITS.blobs) return false;
  if (head.length >= 24) {
    const bottoms = dv.getInt32(16, true);
    const tops = dv.getInt32(20, true);
    if (bottoms < 0 || tops < 0 || bottoms > LIMITS.blobsPerLayer || tops > LIMITS.blobsPerLayer) return false;
  }
  return true;
}

/**
 * A heuristic, not a proof: an ncnn weights file has no magic. We accept a `.bin` of a 4-byte-aligned size
 * whose first word is one of ModelBin's storage flags (0 plain fp32, fp16, int8, fp32-raw). That holds when the
 * first weighted layer is a conv/FC (nearly always); it misses models whose first weights are raw (BatchNorm
 * first) or lookup-table quantised, and a random `.bin` starting with four zero bytes passes — which is why the
 * name must also match a param's group before the walker attaches it.
 */
export function looksLikeNcnnWeights(head: Uint8Array, size: number): boolean {
  if (head.length < 4 || size < 8 || size % 4 !== 0) return false;
  const flag = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0, true);
  return flag === 0 || flag === FLAG_FP16 || flag === FLAG_INT8 || flag === FLAG_FP32_RAW;
}

/** The ncnn sniffer: text and binary params as models, matching `.bin` files as their weights. */
export const ncnnSniffer: Sniffer = {
  name: 'ncnn',
  sniff(input: SniffInput): SniffHit | undefined {
    const { path, head, size } = input;
    if (looksLikeTextParam(head)) return { framework: 'ncnn', kind: 'model', role: 'param', group: ncnnGroup(path) };
    if (looksLikeBinaryParam(head)) return { framework: 'ncnn', kind: 'model', role: 'param', group: ncnnGroup(path) };
    if (/\.bin$/i.test(path) && !/\.param\.bin$/i.test(path) && looksLikeNcnnWeights(head, size)) {
      return { framework: 'ncnn', kind: 'weights', role: 'weights', group: ncnnGroup(path) };
    }
    return undefined;
  },
  // Weights named unlike their param (`a.param` + `b.bin`) are paired by content: the param's layers must read the
  // .bin's bytes exactly. Reads each candidate whole, so very large files are left unpaired.
  async pair(models, weights) {
    const { readFile } = await import('node:fs/promises');
    const MAX = 512 * 1024 * 1024;
    const load = async (c: { path: string; bytes: number }, i: number) => ({ id: String(i), bytes: c.bytes <= MAX ? await readFile(c.path) : new Uint8Array() });
    const params = await Promise.all(models.map(load));
    const bins = await Promise.all(weights.map(load));
    return pairByContent(params, bins).map((p) => [Number(p.param), Number(p.weights)] as [number, number]);
  },
};
