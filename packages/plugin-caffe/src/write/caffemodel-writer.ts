/**
 * Writes binary caffemodels: for the demo corpus, for prototxt-only models the host runner must feed weights
 * to, and for the large-file benchmark. Small parts go through protobufjs; blob values are streamed as packed
 * floats in pieces, so a file of any size is written in bounded memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import protobuf from 'protobufjs';
import { LayerParameter, type Msg } from '../schema/schema.js';

/** One blob to write: its shape and a filler called for consecutive ranges of its values. */
export interface BlobSpec {
  shape: number[];
  /** Fill `out` with values `[offset, offset + out.length)` of the blob. */
  fill(offset: number, out: Float32Array): void;
}

/** One layer to write: its LayerParameter fields (snake_case, as in prototxt) and its blobs. */
export interface LayerSpec {
  name: string;
  type: string;
  bottom?: string[];
  top?: string[];
  /** Other LayerParameter fields, e.g. `{ convolution_param: { num_output: 10, kernel_size: [3] } }`. */
  fields?: Msg;
  blobs?: BlobSpec[];
}

/** Values written per piece. */
const PIECE = 1 << 18;

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

const frame = (field: number, body: number) => Buffer.concat([varint(field * 8 + 2), varint(body)]);

/** The pieces of one blob message: its header bytes, then its values as packed floats. */
function blobParts(b: BlobSpec): { head: Buffer; count: number; size: number } {
  const count = b.shape.reduce((x, y) => x * y, 1);
  const shape = protobuf.Writer.create();
  for (const d of b.shape) shape.uint32(8).int64(d);
  const shapeBytes = Buffer.from(shape.finish());
  const data = count * 4;
  const inner = Buffer.concat([frame(7, shapeBytes.length), shapeBytes, frame(5, data)]);
  const size = inner.length + data;
  return { head: Buffer.concat([frame(7, size), inner]), count, size: frame(7, size).length + size };
}

function layerHead(l: LayerSpec): { head: Buffer; blobs: ReturnType<typeof blobParts>[]; size: number } {
  const msg = LayerParameter.fromObject({ name: l.name, type: l.type, bottom: l.bottom ?? [], top: l.top ?? [], ...(l.fields ?? {}) });
  const fields = Buffer.from(LayerParameter.encode(msg).finish());
  const blobs = (l.blobs ?? []).map(blobParts);
  const body = fields.length + blobs.reduce((s, b) => s + b.size, 0);
  return { head: Buffer.concat([frame(100, body), fields]), blobs, size: body };
}

/** Write a caffemodel to `path`, streaming blob values; returns the bytes written. */
export async function writeCaffemodel(path: string, net: { name: string; layers: LayerSpec[] }): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  const put = async (b: Buffer) => {
    written += b.length;
    if (!out.write(b)) await once(out, 'drain');
  };
  await put(Buffer.concat([frame(1, Buffer.byteLength(net.name)), Buffer.from(net.name)]));
  const piece = new Float32Array(PIECE);
  for (const l of net.layers) {
    const h = layerHead(l);
    await put(h.head);
    for (let i = 0; i < h.blobs.length; i++) {
      const b = h.blobs[i]!;
      await put(b.head);
      for (let off = 0; off < b.count; off += PIECE) {
        const n = Math.min(PIECE, b.count - off);
        const view = piece.subarray(0, n);
        l.blobs![i]!.fill(off, view);
        // Copy: the stream may still hold the previous piece when we refill the array.
        await put(Buffer.from(new Uint8Array(view.buffer, view.byteOffset, n * 4)));
      }
    }
  }
  out.end();
  await once(out, 'finish');
  return written;
}

/** Encode a small caffemodel in memory (demo, tests). */
export function encodeCaffemodel(net: { name: string; layers: LayerSpec[] }): Buffer {
  const parts: Buffer[] = [frame(1, Buffer.byteLength(net.name)), Buffer.from(net.name)];
  for (const l of net.layers) {
    const h = layerHead(l);
    parts.push(h.head);
    h.blobs.forEach((b, i) => {
      parts.push(b.head);
      const v = new Float32Array(b.count);
      l.blobs![i]!.fill(0, v);
      parts.push(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    });
  }
  return Buffer.concat(parts);
}

/** Deterministic pseudo-random weights in [-scale, scale): the same seed gives the same bytes on every machine. */
export function seededFill(seed: number, scale = 0.1): BlobSpec['fill'] {
  return (offset, out) => {
    for (let i = 0; i < out.length; i++) {
      // A stateless hash of (seed, index) so any range can be filled without replaying the ones before it.
      let x = (Math.imul(offset + i, 0x9e3779b1) ^ seed) >>> 0;
      x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
      x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
      x = (x ^ (x >>> 16)) >>> 0;
      out[i] = (x / 0x100000000 - 0.5) * 2 * scale;
    }
  };
}
