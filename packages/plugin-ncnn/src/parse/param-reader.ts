/**
 * Reads an ncnn `.param` (text, magic line `7767517`) or `.param.bin` (the same structure as little-endian
 * int32s, with blob indexes instead of names) into layers and blobs. Every count is bounded: params come
 * from hostile APKs, and a lying count must give a typed error, not a hang or a huge allocation.
 */
import { GaugeError } from '@gaugenn/core';
import { ARRAY_ID_BASE, ParamDict, type ParamValue } from './param-dict.js';
import { layerTypeByIndex } from './op-table.js';

/** The magic number that opens every ncnn param file, text or binary. */
export const NCNN_MAGIC = 7767517;

/** Limits far above any real model (the largest LLM params have some 10⁴ layers). */
export const LIMITS = { layers: 200_000, blobs: 1_000_000, blobsPerLayer: 65_536, paramsPerLayer: 4_096, arrayLength: 1 << 20, paramBytes: 64 << 20 };

export interface NcnnLayerDef {
  index: number;
  type: string;
  name: string;
  /** Blob indexes read. */
  bottoms: number[];
  /** Blob indexes written. */
  tops: number[];
  params: ParamDict;
}

export interface NcnnNet {
  format: 'text' | 'binary';
  layers: NcnnLayerDef[];
  /** Blob names by index (`blob<N>` for binary params, which store no names). */
  blobs: string[];
  /** The blob count the header declares. */
  declaredBlobs: number;
}

const bad = (why: string, subject?: string) =>
  new GaugeError('MODEL_MALFORMED', `${subject ? `${subject}: ` : ''}${why}. The ncnn param is truncated, corrupt or hand-edited wrongly; re-extract it or check it with ncnn's own tools (ncnn2table/ncnnoptimize).`, { subject });

/** True when `bytes` start like a binary param (int32 LE magic). */
export function isBinaryParam(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true) === NCNN_MAGIC;
}

/** Parse a param file's bytes, text or binary. */
export function readParam(bytes: Uint8Array, subject?: string): NcnnNet {
  if (bytes.length > LIMITS.paramBytes) throw limit(`the param is ${bytes.length} bytes, above the ${LIMITS.paramBytes}-byte limit`, subject);
  return isBinaryParam(bytes) ? readBinaryParam(bytes, subject) : readTextParam(new TextDecoder('utf-8', { fatal: false }).decode(bytes), subject);
}

/** A count past the safety limits: the file may be well-formed, but reading it would cost too much. */
function limit(why: string, subject?: string): GaugeError {
  return new GaugeError('LIMIT_EXCEEDED', `${subject ?? 'ncnn param'}: ${why}. gaugeNN refuses it rather than allocate for it.`, { subject });
}

function checkCounts(layerCount: number, blobCount: number, subject?: string): void {
  if (layerCount > LIMITS.layers) throw limit(`the header declares ${layerCount} layers, above the limit of ${LIMITS.layers}`, subject);
  if (blobCount > LIMITS.blobs) throw limit(`the header declares ${blobCount} blobs, above the limit of ${LIMITS.blobs}`, subject);
  if (!Number.isInteger(layerCount) || layerCount <= 0 || layerCount > LIMITS.layers) throw bad(`the header declares ${layerCount} layers (expected 1..${LIMITS.layers})`, subject);
  if (!Number.isInteger(blobCount) || blobCount <= 0 || blobCount > LIMITS.blobs) throw bad(`the header declares ${blobCount} blobs (expected 1..${LIMITS.blobs})`, subject);
}

const INT_RE = /^[-+]?\d+$/;
const FLOAT_RE = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function numberValue(tok: string, where: string, subject?: string): ParamValue {
  if (INT_RE.test(tok)) {
    const i = Number(tok);
    if (!Number.isSafeInteger(i) || Math.abs(i) > 0x7fffffff) throw bad(`${where}: ${tok} does not fit a 32-bit int`, subject);
    return { i, f: i };
  }
  if (FLOAT_RE.test(tok)) {
    const f = Math.fround(Number(tok));
    if (!Number.isFinite(f)) throw bad(`${where}: ${tok} is not a finite float`, subject);
    return { i: Math.trunc(f), f };
  }
  throw bad(`${where}: "${tok.slice(0, 40)}" is not a number`, subject);
}

/** The text form: magic line, `layer_count blob_count`, then one layer per line. */
export function readTextParam(text: string, subject?: string): NcnnNet {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines[0] !== String(NCNN_MAGIC)) throw bad(`the first line is "${(lines[0] ?? '').slice(0, 40)}", not the magic ${NCNN_MAGIC}`, subject);
  const head = (lines[1] ?? '').split(/\s+/);
  if (head.length !== 2 || !INT_RE.test(head[0]!) || !INT_RE.test(head[1]!)) throw bad('the second line must be "<layer_count> <blob_count>"', subject);
  const layerCount = Number(head[0]);
  const blobCount = Number(head[1]);
  checkCounts(layerCount, blobCount, subject);
  if (lines.length - 2 !== layerCount) throw bad(`the header declares ${layerCount} layers but the file has ${lines.length - 2} layer lines`, subject);

  const blobIndex = new Map<string, number>();
  const blobs: string[] = [];
  const layers: NcnnLayerDef[] = [];
  for (let li = 0; li < layerCount; li++) {
    const toks = lines[li + 2]!.split(/\s+/);
    const where = `layer ${li}`;
    if (toks.length < 4) throw bad(`${where} has ${toks.length} fields; it needs type, name, bottom count and top count`, subject);
    const [type, name, bc, tc] = toks as [string, string, string, string];
    if (!INT_RE.test(bc) || !INT_RE.test(tc)) throw bad(`${where} (${name}) has bottom/top counts "${bc} ${tc}" that are not integers`, subject);
    const nb = Number(bc);
    const nt = Number(tc);
    if (nb < 0 || nt < 0 || nb > LIMITS.blobsPerLayer || nt > LIMITS.blobsPerLayer) throw bad(`${where} (${name}) declares ${nb} inputs and ${nt} outputs`, subject);
    if (toks.length < 4 + nb + nt) throw bad(`${where} (${name}) declares ${nb} inputs and ${nt} outputs but names only ${toks.length - 4} blobs`, subject);
    const bottoms: number[] = [];
    for (let k = 0; k < nb; k++) {
      const bn = toks[4 + k]!;
      const idx = blobIndex.get(bn);
      if (idx === undefined) throw bad(`${where} (${name}) reads blob "${bn}", which no earlier layer produces`, subject);
      bottoms.push(idx);
    }
    const tops: number[] = [];
    for (let k = 0; k < nt; k++) {
      const tn = toks[4 + nb + k]!;
      if (blobIndex.has(tn)) throw bad(`${where} (${name}) writes blob "${tn}", which an earlier layer already wrote`, subject);
      if (blobs.length >= blobCount) throw bad(`the header declares ${blobCount} blobs but layer ${li} (${name}) makes more`, subject);
      blobIndex.set(tn, blobs.length);
      tops.push(blobs.length);
      blobs.push(tn);
    }
    const params = new ParamDict();
    const kv = toks.slice(4 + nb + nt);
    if (kv.length > LIMITS.paramsPerLayer) throw bad(`${where} (${name}) has ${kv.length} params`, subject);
    for (const item of kv) {
      const eq = item.indexOf('=');
      const key = eq > 0 ? item.slice(0, eq) : '';
      if (!INT_RE.test(key)) throw bad(`${where} (${name}) has a param "${item.slice(0, 40)}" that is not id=value`, subject);
      const id = Number(key);
      const raw = item.slice(eq + 1);
      if (id <= ARRAY_ID_BASE) {
        const parts = raw.split(',');
        const n = numberValue(parts[0]!, `${where} (${name}) param ${id}`, subject).i;
        if (n < 0 || n > LIMITS.arrayLength || parts.length - 1 !== n) throw bad(`${where} (${name}) param ${id} declares ${n} array values but lists ${parts.length - 1}`, subject);
        params.setArray(ARRAY_ID_BASE - id, parts.slice(1).map((p) => numberValue(p, `${where} (${name}) param ${id}`, subject)));
      } else {
        if (id < 0 || id >= 32) throw bad(`${where} (${name}) has param id ${id}; ncnn ids are 0..31 (or ≤ -23300 for arrays)`, subject);
        params.setScalar(id, numberValue(raw, `${where} (${name}) param ${id}`, subject));
      }
    }
    layers.push({ index: li, type, name, bottoms, tops, params });
  }
  return { format: 'text', layers, blobs, declaredBlobs: blobCount };
}

/** The binary form (`ncnn2mem` output): all int32 LE, params typed only by the layer that reads them. */
export function readBinaryParam(bytes: Uint8Array, subject?: string): NcnnNet {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const int = (what: string): number => {
    if (pos + 4 > bytes.length) throw bad(`the binary param ends at byte ${bytes.length} while reading ${what}`, subject);
    const v = dv.getInt32(pos, true);
    pos += 4;
    return v;
  };
  const value = (what: string): ParamValue => {
    if (pos + 4 > bytes.length) throw bad(`the binary param ends at byte ${bytes.length} while reading ${what}`, subject);
    const v = { i: dv.getInt32(pos, true), f: dv.getFloat32(pos, true) };
    pos += 4;
    return v;
  };
  if (int('the magic') !== NCNN_MAGIC) throw bad(`the binary param does not start with the magic ${NCNN_MAGIC}`, subject);
  const layerCount = int('the layer count');
  const blobCount = int('the blob count');
  checkCounts(layerCount, blobCount, subject);
  // Each layer needs at least 16 bytes (type, two counts, the -233 terminator).
  if (layerCount * 16 > bytes.length - 12) throw bad(`the header declares ${layerCount} layers but the file has room for at most ${Math.floor((bytes.length - 12) / 16)}`, subject);
  const written = new Uint8Array(blobCount);
  const layers: NcnnLayerDef[] = [];
  for (let li = 0; li < layerCount; li++) {
    const where = `layer ${li}`;
    const typeIndex = int(`${where} type`);
    const nb = int(`${where} bottom count`);
    const nt = int(`${where} top count`);
    if (nb < 0 || nt < 0 || nb > LIMITS.blobsPerLayer || nt > LIMITS.blobsPerLayer) throw bad(`${where} declares ${nb} inputs and ${nt} outputs`, subject);
    const bottoms: number[] = [];
    for (let k = 0; k < nb; k++) {
      const b = int(`${where} bottom ${k}`);
      if (b < 0 || b >= blobCount) throw bad(`${where} reads blob ${b}, outside 0..${blobCount - 1}`, subject);
      if (!written[b]) throw bad(`${where} reads blob ${b}, which no earlier layer produces`, subject);
      bottoms.push(b);
    }
    const tops: number[] = [];
    for (let k = 0; k < nt; k++) {
      const t = int(`${where} top ${k}`);
      if (t < 0 || t >= blobCount) throw bad(`${where} writes blob ${t}, outside 0..${blobCount - 1}`, subject);
      if (written[t]) throw bad(`${where} writes blob ${t}, which an earlier layer already wrote`, subject);
      written[t] = 1;
      tops.push(t);
    }
    const params = new ParamDict();
    for (let n = 0; ; n++) {
      if (n > LIMITS.paramsPerLayer) throw bad(`${where} has more than ${LIMITS.paramsPerLayer} params (no -233 terminator)`, subject);
      let id = int(`${where} param id`);
      if (id === -233) break;
      if (id <= ARRAY_ID_BASE) {
        id = ARRAY_ID_BASE - id;
        const len = int(`${where} param ${id} length`);
        if (len < 0 || len > LIMITS.arrayLength || pos + len * 4 > bytes.length) throw bad(`${where} param array ${id} declares ${len} values, beyond the file`, subject);
        const vals: ParamValue[] = [];
        for (let k = 0; k < len; k++) vals.push(value(`${where} param ${id}`));
        params.setArray(id, vals);
      } else {
        if (id < 0 || id >= 32) throw bad(`${where} has param id ${id}; ncnn ids are 0..31`, subject);
        params.setScalar(id, value(`${where} param ${id}`));
      }
    }
    layers.push({ index: li, type: layerTypeByIndex(typeIndex), name: `layer${li}`, bottoms, tops, params });
  }
  const blobs = Array.from({ length: blobCount }, (_, i) => `blob${i}`);
  return { format: 'binary', layers, blobs, declaredBlobs: blobCount };
}
