/**
 * Streaming reader of binary `.caffemodel` files (a serialized `NetParameter`). Everything but the blob payloads
 * is small and decoded with protobufjs from the hand-written schema; blob `data`/`double_data` (packed or one
 * field per value, both occur in real files) are streamed through sha256 and counted, never held. Both the
 * current `layer` (field 100) and the legacy V1 `layers` (field 2) are read.
 */
import protobuf from 'protobufjs';
import { ByteStream } from './byte-stream.js';
import { BlobDigest } from './blob-digest.js';
import { BlobProto, LayerParameter, NetParameter, TO_OBJECT, V1LayerParameter, type Msg } from '../schema/schema.js';

const WT_VARINT = 0;
const WT_I64 = 1;
const WT_LEN = 2;
const WT_I32 = 5;

/** Largest non-blob field kept in memory (a layer's parameters, a name); real ones are bytes to kilobytes. */
const MAX_SMALL_FIELD = 16 << 20;
/** Most layers and most blobs per layer accepted from one file. */
const MAX_LAYERS = 200_000;
const MAX_BLOBS = 4096;

/** What the reader learned about one stored blob, without its values. */
export interface BlobInfo {
  /** From `shape.dim`, or the legacy num/channels/height/width. Empty when the blob states none. */
  shape: number[];
  /** Values stored (data + double_data). */
  count: number;
  dtype: 'float32' | 'float64';
  /** Bytes of the stored values. */
  bytes: number;
  /** sha256 (hex) of the stored values' bytes, as little-endian floats; absent when nothing is stored. */
  digest?: string;
  /** True when every stored byte is zero. */
  allZero: boolean;
}

/** One layer as stored: its parameters (plain message, blobs removed) and its blobs. */
export interface StoredLayer {
  /** `true` for the legacy V1 `layers` field (enum types). */
  v1: boolean;
  msg: Msg;
  blobs: BlobInfo[];
}

/** A caffemodel read without its blob payloads. */
export interface CaffemodelContents {
  /** NetParameter fields other than layers (name, input, input_shape, input_dim, state, …). */
  net: Msg;
  layers: StoredLayer[];
  /** File size in bytes. */
  bytes: number;
  /** Top-level fields the schema does not declare, by field number, skipped. */
  unknownFields: number[];
}

/** Options of {@link readCaffemodel}. */
export interface ReadCaffemodelOptions {
  /** Hash blob payloads (default true). Pairing by layer names turns it off to skim. */
  digests?: boolean;
  /** Read window in bytes (default 4 MiB); tests shrink it to exercise refills. */
  window?: number;
}

/**
 * Read a caffemodel from a file path or from bytes.
 * @throws GaugeError `MODEL_MALFORMED` on truncation, wrong wire types, lengths past their message, or fields
 * that do not decode; `INPUT_NOT_FOUND` when the file cannot be opened.
 */
export async function readCaffemodel(source: string | Uint8Array, options: ReadCaffemodelOptions = {}): Promise<CaffemodelContents> {
  const s = typeof source === 'string' ? await ByteStream.open(source, options.window) : ByteStream.of(source, 'caffemodel', options.window);
  try {
    return await new CaffemodelReader(s, options.digests !== false).read();
  } finally {
    await s.close();
  }
}

/** Append a varint to a list of byte chunks (to re-frame fields for protobufjs). */
function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

class CaffemodelReader {
  private readonly unknown = new Set<number>();
  constructor(private readonly s: ByteStream, private readonly digests: boolean) {}

  async read(): Promise<CaffemodelContents> {
    const s = this.s;
    const end = s.size;
    const kept: Buffer[] = [];
    const layers: StoredLayer[] = [];
    while (s.pos < end) {
      const tag = await s.varint(end);
      const field = Math.floor(tag / 8);
      const wt = tag & 7;
      if (field === 0) throw s.malformed('field number 0');
      if (field === 100 || field === 2) {
        if (wt !== WT_LEN) throw s.malformed(`${field === 100 ? 'layer' : 'layers'} (field ${field}) has wire type ${wt}, not a message`);
        const len = await s.varint(end);
        if (s.pos + len > end) throw s.malformed(`a layer of ${len} bytes runs past the end of the file`);
        if (layers.length >= MAX_LAYERS) throw s.malformed(`more than ${MAX_LAYERS} layers`);
        layers.push(await this.layer(s.pos + len, field === 2, layers.length));
      } else if (NetParameter.fieldsById[field]) {
        kept.push(await this.keepField(tag, wt, end));
      } else {
        this.unknown.add(field);
        await this.skipField(wt, end);
      }
    }
    const net = this.decode(NetParameter, kept, 'the net header');
    return { net, layers, bytes: end, unknownFields: [...this.unknown] };
  }

  private decode(type: protobuf.Type, parts: Buffer[], what: string): Msg {
    try {
      return type.toObject(type.decode(Buffer.concat(parts)), TO_OBJECT) as Msg;
    } catch (e) {
      throw this.s.malformed(`${what} does not decode as ${type.name} (${(e as Error).message})`);
    }
  }

  private async layer(end: number, v1: boolean, index: number): Promise<StoredLayer> {
    const s = this.s;
    const type = v1 ? V1LayerParameter : LayerParameter;
    const blobField = v1 ? 6 : 7;
    const kept: Buffer[] = [];
    const blobs: BlobInfo[] = [];
    while (s.pos < end) {
      const tag = await s.varint(end);
      const field = Math.floor(tag / 8);
      const wt = tag & 7;
      if (field === 0) throw s.malformed(`field number 0 in layer ${index}`);
      if (field === blobField) {
        if (wt !== WT_LEN) throw s.malformed(`blobs of layer ${index} have wire type ${wt}, not a message`);
        const len = await s.varint(end);
        if (s.pos + len > end) throw s.malformed(`a blob of ${len} bytes runs past the end of layer ${index}`);
        if (blobs.length >= MAX_BLOBS) throw s.malformed(`layer ${index} has more than ${MAX_BLOBS} blobs`);
        blobs.push(await this.blob(s.pos + len, index));
      } else if (type.fieldsById[field]) {
        kept.push(await this.keepField(tag, wt, end));
      } else {
        await this.skipField(wt, end);
      }
    }
    return { v1, msg: this.decode(type, kept, `layer ${index}`), blobs };
  }

  private async blob(end: number, layer: number): Promise<BlobInfo> {
    const s = this.s;
    const kept: Buffer[] = [];
    let single: BlobDigest | undefined;
    let double: BlobDigest | undefined;
    while (s.pos < end) {
      const tag = await s.varint(end);
      const field = Math.floor(tag / 8);
      const wt = tag & 7;
      if (field === 5 || field === 8) {
        const size = field === 5 ? 4 : 8;
        const d = field === 5 ? (single ??= new BlobDigest(4, this.digests)) : (double ??= new BlobDigest(8, this.digests));
        if (wt === WT_LEN) {
          const len = await s.varint(end);
          if (len % size !== 0) throw s.malformed(`packed ${field === 5 ? 'float' : 'double'} data of layer ${layer} is ${len} bytes, not a multiple of ${size}`);
          await s.pipe(len, end, (c) => d.addBytes(c));
          d.count += len / size;
        } else if (wt === (size === 4 ? WT_I32 : WT_I64)) {
          await this.unpacked(d, tag, size, end);
        } else throw s.malformed(`blob data of layer ${layer} has wire type ${wt}`);
      } else if (field === 6 || field === 9) {
        // Gradients: saved by some tools, meaningless for inference; stepped over unread.
        await this.skipField(wt, end);
      } else if (BlobProto.fieldsById[field]) {
        kept.push(await this.keepField(tag, wt, end));
      } else {
        await this.skipField(wt, end);
      }
    }
    const meta = this.decode(BlobProto, kept, `a blob of layer ${layer}`);
    const dims = ((meta.shape as Msg | undefined)?.dim as number[] | undefined) ?? [];
    const legacy = ['num', 'channels', 'height', 'width'].map((k) => (meta[k] as number | undefined) ?? 0);
    const shape = dims.length > 0 || meta.shape ? dims : legacy.some((d) => d > 0) ? legacy : [];
    const main = single && single.count > 0 ? single : (double ?? single);
    const count = (single?.count ?? 0) + (double?.count ?? 0);
    const info: BlobInfo = {
      shape,
      count,
      dtype: main === double && double ? 'float64' : 'float32',
      bytes: (single?.count ?? 0) * 4 + (double?.count ?? 0) * 8,
      allZero: (single?.allZero ?? true) && (double?.allZero ?? true),
    };
    const digest = main?.finish();
    if (digest) info.digest = digest;
    return info;
  }

  /** One field per value: consume the run of same-tag fields that follows, within the window, in a tight loop. */
  private async unpacked(d: BlobDigest, tag: number, size: number, end: number): Promise<void> {
    const s = this.s;
    if (s.pos + size > end) throw s.malformed('a blob value runs past the end of its blob');
    await s.ensure(size);
    d.addValue(s.view(size), 0);
    s.pos += size;
    if (tag > 0x7f) return; // field numbers 5 and 8 have one-byte tags
    for (;;) {
      const room = Math.min(end - s.pos, await s.ensure(1 << 16));
      const v = s.view(room);
      let i = 0;
      while (i + 1 + size <= v.length && v[i] === tag) {
        d.addValue(v, i + 1);
        i += 1 + size;
      }
      s.pos += i;
      if (i === 0 || i + 1 + size <= v.length || s.pos >= end) return;
    }
  }

  /** Re-frame a known field (tag + payload) so protobufjs can decode the collected fields as one message. */
  private async keepField(tag: number, wt: number, end: number): Promise<Buffer> {
    const s = this.s;
    const head = varint(tag);
    switch (wt) {
      case WT_VARINT:
        return Buffer.concat([head, Buffer.from(await s.varintBytes(end))]);
      case WT_I64:
        return Buffer.concat([head, await s.bytes(8, end)]);
      case WT_I32:
        return Buffer.concat([head, await s.bytes(4, end)]);
      case WT_LEN: {
        const len = await s.varint(end);
        if (len > MAX_SMALL_FIELD) throw s.malformed(`field ${Math.floor(tag / 8)} claims ${len} bytes, more than a Caffe parameter ever holds`);
        return Buffer.concat([head, varint(len), await s.bytes(len, end)]);
      }
      default:
        throw s.malformed(`wire type ${wt} (groups or invalid) in field ${Math.floor(tag / 8)}`);
    }
  }

  private async skipField(wt: number, end: number): Promise<void> {
    const s = this.s;
    switch (wt) {
      case WT_VARINT:
        await s.varintBytes(end);
        return;
      case WT_I64:
        return s.skip(8, end);
      case WT_I32:
        return s.skip(4, end);
      case WT_LEN:
        return s.skip(await s.varint(end), end);
      default:
        throw s.malformed(`wire type ${wt} (groups or invalid)`);
    }
  }
}
