/**
 * Test-only: hand-made file heads that stand for each format, built from the formats' published layouts
 * (protobuf field numbers of onnx.proto / graph.proto / saved_model.proto, the flatbuffer identifiers of
 * ort.fbs / program.fbs, Paddle-Lite's naive-buffer header, PyTorch's zip records). No real model of
 * these formats ships in an npm package installed here, so these heads are what the positive tests use.
 */
import { buildZip } from '@gaugenn/core';

/** Protobuf encoding helpers. */
export function pbVarint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}
export const pbTag = (field: number, wire: number): Buffer => pbVarint(field * 8 + wire);
export const pbLen = (field: number, body: Buffer | string): Buffer => {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([pbTag(field, 2), pbVarint(b.length), b]);
};
export const pbInt = (field: number, v: number): Buffer => Buffer.concat([pbTag(field, 0), pbVarint(v)]);

/** An ONNX ModelProto as PyTorch's exporter writes it: ir_version, producer, graph with a Conv node, opset. */
export function onnxModel(): Buffer {
  const node = Buffer.concat([pbLen(1, 'input'), pbLen(1, 'conv.weight'), pbLen(2, 'out'), pbLen(3, '/conv/Conv'), pbLen(4, 'Conv')]);
  const graph = Buffer.concat([pbLen(1, node), pbLen(2, 'main_graph'), pbLen(5, Buffer.alloc(600, 1))]);
  return Buffer.concat([pbInt(1, 8), pbLen(2, 'pytorch'), pbLen(3, '2.1.0'), pbLen(7, graph), pbLen(8, pbInt(2, 17))]);
}

/** A minimal flatbuffer: root table at 16 with one scalar field, `ident` at bytes 4..8. */
export function flatbuffer(ident: string, extra = 64): Buffer {
  const b = Buffer.alloc(24 + extra);
  b.writeUInt32LE(16, 0);
  b.write(ident, 4, 'latin1');
  b.writeUInt16LE(6, 8); // vtable: size 6
  b.writeUInt16LE(8, 10); // table size 8
  b.writeUInt16LE(4, 12); // field 0 at +4
  b.writeInt32LE(16 - 8, 16); // table → vtable
  b.writeUInt32LE(5, 20);
  return b;
}

/** A frozen GraphDef: an input Placeholder, then a Const. */
export function graphDef(firstOp = 'Placeholder'): Buffer {
  const attr = pbLen(5, Buffer.concat([pbLen(1, 'dtype'), pbLen(2, pbInt(6, 1))]));
  const n1 = Buffer.concat([pbLen(1, 'input'), pbLen(2, firstOp), attr]);
  const n2 = Buffer.concat([pbLen(1, 'MobilenetV1/Conv2d_0/weights'), pbLen(2, 'Const'), attr]);
  return Buffer.concat([pbLen(1, n1), pbLen(1, n2), pbLen(4, pbInt(1, 27))]);
}

/** A SavedModel: schema version 1, one MetaGraphDef whose MetaInfoDef has a stripped op list and tags. */
export function savedModel(): Buffer {
  const opList = pbLen(1, Buffer.concat([pbLen(1, 'AddV2'), pbLen(2, pbLen(1, 'x'))]));
  const metaInfo = Buffer.concat([pbLen(2, opList), pbLen(4, 'serve'), pbLen(5, '2.15.0')]);
  const metaGraph = Buffer.concat([pbLen(1, metaInfo), pbLen(2, Buffer.alloc(300, 0))]);
  return Buffer.concat([pbInt(1, 1), pbLen(2, metaGraph)]);
}

/** A PyTorch zip as torch.jit.save writes it: stored records under `archive/`. */
export function torchZip(): Promise<Buffer> {
  return buildZip([
    { name: 'archive/data.pkl', data: Buffer.from([0x80, 0x02, 0x63, 0x5f, 0x5f, 0x74, 0x6f, 0x72, 0x63, 0x68, 0x2e]), method: 'store' },
    { name: 'archive/code/__torch__.py', data: Buffer.from('class Net(Module):\n  pass\n'), method: 'store' },
    { name: 'archive/constants.pkl', data: Buffer.from([0x80, 0x02, 0x29, 0x2e]), method: 'store' },
    { name: 'archive/version', data: Buffer.from('3\n'), method: 'store' },
  ]);
}

/**
 * The first local header of a PyTorch archive whose first record is a large tensor (`archive/data/0`), padded
 * to 64-byte alignment with PyTorch's `FB` extra field of `Z`s: nothing else of the archive is in the head.
 */
export function torchTensorFirstHead(): Buffer {
  const name = Buffer.from('archive/data/0');
  const start = 30 + name.length + 4;
  const pad = (64 - (start % 64)) % 64;
  const extra = Buffer.concat([Buffer.from('FB'), Buffer.from([pad & 0xff, pad >> 8]), Buffer.alloc(pad, 0x5a)]);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0, 8); // stored
  h.writeUInt32LE(1 << 20, 18);
  h.writeUInt32LE(1 << 20, 22);
  h.writeUInt16LE(name.length, 26);
  h.writeUInt16LE(extra.length, 28);
  return Buffer.concat([h, name, extra, Buffer.alloc(4096, 0x3f)]);
}

/** A Paddle-Lite `.nb` header: meta version, opt version string, topology size. */
export function paddleNb(version = 'v2.10', meta = 1, topo = 2000): Buffer {
  const b = Buffer.alloc(4096, 0x11);
  b.writeUInt16LE(meta, 0);
  b.fill(0, 2, 18);
  b.write(version, 2, 'latin1');
  b.writeBigUInt64LE(BigInt(topo), 18);
  return b;
}

/** An MNN Net flatbuffer head: root at 24, a 12-field vtable, `oplists` (field 3) pointing further in. */
export function mnnNet(): Buffer {
  const b = Buffer.alloc(4096);
  const vt = 40; // vtable after the table, as MNN's converter writes it
  b.writeUInt32LE(24, 0);
  b.writeInt32LE(24 - vt, 24); // soffset: table → vtable
  b.writeUInt16LE(4 + 2 * 12, vt);
  b.writeUInt16LE(16, vt + 2);
  b.writeUInt16LE(4, vt + 4); // bizCode at +4
  b.writeUInt16LE(8, vt + 4 + 2 * 3); // oplists at +8
  b.writeUInt32LE(100, 28);
  b.writeUInt32LE(200, 32); // → 232
  return b;
}

