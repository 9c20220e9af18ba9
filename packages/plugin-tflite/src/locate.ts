/**
 * Finding TFLite models embedded in a larger blob (emscripten file-packager `.data` files, custom asset packs,
 * models appended to other files) and telling exactly how many bytes each one spans.
 *
 * A flatbuffer does not state its own length, so the length is the furthest byte any object of the model reaches:
 * the walk follows the TFLite schema (field ids below are the schema's) through every table, vector and string,
 * checking each offset against the bytes at hand. A candidate whose structure does not hold together (an
 * offset out of range, a vtable of impossible size, no subgraph, a schema version other than 3) is no model:
 * `TFL3` occurs by chance in random data, and a false model costs more than a missed one.
 */

/** What one field of a table points to. `union`: a table of a type the walk does not know (builtin options). */
type FieldKind =
  | { k: 'table'; t: TableName }
  | { k: 'tables'; t: TableName }
  | { k: 'vec'; size: number }
  | { k: 'str' }
  | { k: 'union' }
  | { k: 'unionVec'; typeField: number; sizes: Record<number, number> };

type TableName =
  | 'Model' | 'OperatorCode' | 'SubGraph' | 'Tensor' | 'Quant' | 'CustomQuant' | 'Sparsity' | 'DimMeta' | 'Variant'
  | 'Operator' | 'Buffer' | 'Metadata' | 'SignatureDef' | 'TensorMap';

const vec = (size: number): FieldKind => ({ k: 'vec', size });
const str: FieldKind = { k: 'str' };

/** The TFLite schema (v3) reduced to what points where: field id → kind. Scalars are covered by the table body. */
const SCHEMA: Record<TableName, Record<number, FieldKind>> = {
  Model: { 1: { k: 'tables', t: 'OperatorCode' }, 2: { k: 'tables', t: 'SubGraph' }, 3: str, 4: { k: 'tables', t: 'Buffer' }, 5: vec(4), 6: { k: 'tables', t: 'Metadata' }, 7: { k: 'tables', t: 'SignatureDef' } },
  OperatorCode: { 1: str },
  SubGraph: { 0: { k: 'tables', t: 'Tensor' }, 1: vec(4), 2: vec(4), 3: { k: 'tables', t: 'Operator' }, 4: str },
  Tensor: { 0: vec(4), 3: str, 4: { k: 'table', t: 'Quant' }, 6: { k: 'table', t: 'Sparsity' }, 7: vec(4), 9: { k: 'tables', t: 'Variant' } },
  Quant: { 0: vec(4), 1: vec(4), 2: vec(4), 3: vec(8), 5: { k: 'table', t: 'CustomQuant' } },
  CustomQuant: { 0: vec(1) },
  Sparsity: { 0: vec(4), 1: vec(4), 2: { k: 'tables', t: 'DimMeta' } },
  // array_segments / array_indices: unions of Int32Vector, Uint16Vector, Uint8Vector (types 1, 2, 3).
  DimMeta: { 3: { k: 'unionVec', typeField: 2, sizes: { 1: 4, 2: 2, 3: 1 } }, 5: { k: 'unionVec', typeField: 4, sizes: { 1: 4, 2: 2, 3: 1 } } },
  Variant: { 0: vec(4) },
  Operator: { 1: vec(4), 2: vec(4), 4: { k: 'union' }, 5: vec(1), 7: vec(1), 8: vec(4), 12: { k: 'union' } },
  Buffer: { 0: vec(1) },
  Metadata: { 0: str },
  SignatureDef: { 0: { k: 'tables', t: 'TensorMap' }, 1: { k: 'tables', t: 'TensorMap' }, 2: str, 3: str },
  TensorMap: { 0: str },
};

/** Objects visited per candidate before it is given up (a hostile model could claim millions of tensors). */
const MAX_OBJECTS = 4_000_000;
/** Trailing alignment padding a builder may leave after the last object. */
const MAX_PADDING = 16;

class Bad extends Error {}

/** Bounds-checked little-endian reads over `[0, limit)` of a model that starts at `base` in `data`. */
class Extent {
  end = 0;
  objects = 0;
  private readonly dv: DataView;
  constructor(
    data: Uint8Array,
    private readonly base: number,
    private readonly limit: number,
  ) {
    this.dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  /** Mark `[pos, pos+size)` as part of the model; throws when it lies outside the bytes at hand. */
  cover(pos: number, size: number): void {
    if (!Number.isSafeInteger(pos) || pos < 0 || size < 0 || pos + size > this.limit) throw new Bad();
    if (++this.objects > MAX_OBJECTS) throw new Bad();
    if (pos + size > this.end) this.end = pos + size;
  }
  u8(pos: number): number {
    this.cover(pos, 1);
    return this.dv.getUint8(this.base + pos);
  }
  u16(pos: number): number {
    this.cover(pos, 2);
    return this.dv.getUint16(this.base + pos, true);
  }
  u32(pos: number): number {
    this.cover(pos, 4);
    return this.dv.getUint32(this.base + pos, true);
  }
  i32(pos: number): number {
    this.cover(pos, 4);
    return this.dv.getInt32(this.base + pos, true);
  }
  u64(pos: number): number {
    this.cover(pos, 8);
    const v = this.dv.getBigUint64(this.base + pos, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Bad();
    return Number(v);
  }
}

/** A table's field positions: `field(id)` is the absolute position of the field, or 0 when absent. */
function openTable(x: Extent, pos: number): (id: number) => number {
  const vt = pos - x.i32(pos);
  const vtSize = x.u16(vt);
  const objSize = x.u16(vt + 2);
  if (vtSize < 4 || vtSize % 2 !== 0 || objSize < 4) throw new Bad();
  x.cover(vt, vtSize);
  x.cover(pos, objSize);
  return (id) => {
    const slot = 4 + 2 * id;
    if (slot + 2 > vtSize) return 0;
    const rel = x.u16(vt + slot);
    if (rel === 0) return 0;
    if (rel >= objSize) throw new Bad();
    return pos + rel;
  };
}

function follow(x: Extent, at: number): number {
  return at + x.u32(at);
}

function walkVector(x: Extent, at: number, size: number, nul = 0): void {
  const v = follow(x, at);
  const n = x.u32(v);
  x.cover(v + 4, n * size + nul);
}

function walkTable(x: Extent, pos: number, name: TableName, depth: number): void {
  if (depth > 16) throw new Bad();
  const field = openTable(x, pos);
  for (const [idStr, kind] of Object.entries(SCHEMA[name])) {
    const at = field(Number(idStr));
    if (!at) continue;
    switch (kind.k) {
      case 'vec':
        walkVector(x, at, kind.size);
        break;
      case 'str':
        walkVector(x, at, 1, 1);
        break;
      case 'table':
        walkTable(x, follow(x, at), kind.t, depth + 1);
        break;
      case 'union':
        openTable(x, follow(x, at)); // its scalars; its own vectors are unknown here and lie within the model
        break;
      case 'unionVec': {
        const t = field(kind.typeField);
        const size = t ? kind.sizes[x.u8(t)] : undefined;
        if (size === undefined) throw new Bad();
        const inner = openTable(x, follow(x, at));
        const vAt = inner(0);
        if (vAt) walkVector(x, vAt, size);
        break;
      }
      case 'tables': {
        const v = follow(x, at);
        const n = x.u32(v);
        x.cover(v + 4, n * 4);
        for (let i = 0; i < n; i++) walkTable(x, follow(x, v + 4 + 4 * i), kind.t, depth + 1);
        break;
      }
    }
  }
  // Models over 2 GB keep buffer data (and large custom options) after the flatbuffer, by offset from its start.
  if (name === 'Buffer' || name === 'Operator') {
    const [o, s] = name === 'Buffer' ? [field(1), field(2)] : [field(9), field(10)];
    if (o && s) {
      const off = x.u64(o);
      const size = x.u64(s);
      if (off > 1 && size > 0) x.cover(off, size);
    }
  }
}

/**
 * The length of the TFLite model starting at `start` in `data`, or undefined when no sound model starts there.
 * Only `data[start, start + available)` is read, so a model running past the bytes at hand is not confirmed.
 */
export function tfliteModelLength(data: Uint8Array, start: number, available = data.length - start): number | undefined {
  if (start < 0 || available < 16) return undefined;
  if (data[start + 4] !== 0x54 || data[start + 5] !== 0x46 || data[start + 6] !== 0x4c || data[start + 7] !== 0x33) return undefined;
  const x = new Extent(data, start, Math.min(available, data.length - start));
  try {
    x.cover(0, 8);
    const root = x.u32(0);
    if (root < 8 || root % 4 !== 0) return undefined;
    const field = openTable(x, root);
    // Schema version 3 is the only one TFLite has written since 2017; subgraphs and buffers are mandatory.
    const ver = field(0);
    if (!ver || x.u32(ver) !== 3) return undefined;
    for (const id of [2, 4]) {
      const at = field(id);
      if (!at) return undefined;
      if (x.u32(follow(x, at)) === 0) return undefined;
    }
    walkTable(x, root, 'Model', 0);
    return x.end;
  } catch (e) {
    if (e instanceof Bad || e instanceof RangeError) return undefined;
    throw e;
  }
}

/** One model found inside a blob. */
export interface LocatedTflite {
  offset: number;
  length: number;
}

/**
 * Every TFLite model in `data`: each `TFL3` identifier at p ≥ 4 is a candidate starting at p − 4, kept only when
 * its structure holds and it fits in `data`. The length is the extent of the flatbuffer, extended over trailing
 * alignment padding (zeros) up to the next model, and over a zip appended to it (TFLite metadata keeps associated
 * files so) when one starts right after. Models may not overlap: a candidate inside a found model is skipped.
 */
export function locateTflite(data: Uint8Array): LocatedTflite[] {
  const out: LocatedTflite[] = [];
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const starts: number[] = [];
  for (let p = buf.indexOf('TFL3', 4, 'latin1'); p >= 0; p = buf.indexOf('TFL3', p + 1, 'latin1')) starts.push(p - 4);
  let coveredTo = 0;
  for (const [i, s] of starts.entries()) {
    if (s < coveredTo) continue;
    let len = tfliteModelLength(data, s);
    if (len === undefined) continue;
    const next = starts.slice(i + 1).find((n) => n >= s + len!) ?? data.length;
    len = extendTail(buf, s, len, next);
    out.push({ offset: s, length: len });
    coveredTo = s + len;
  }
  return out;
}

/** Stretch a model's end over builder padding or an appended zip, never past `next` (the next model or the end). */
function extendTail(buf: Buffer, start: number, len: number, next: number): number {
  let end = start + len;
  // An appended zip (metadata associated files): through its end-of-central-directory record.
  if (end + 4 <= next && buf.readUInt32LE(end) === 0x04034b50) {
    const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]), next - 22);
    if (eocd >= end) {
      const zipEnd = eocd + 22 + buf.readUInt16LE(eocd + 20);
      if (zipEnd <= next) return zipEnd - start;
    }
  }
  // Padding: the builder aligns the first object it writes, which leaves zeros at the very end.
  const pad = Math.min(next - end, MAX_PADDING);
  let z = 0;
  while (z < pad && buf[end + z] === 0) z++;
  if (z === next - end) end = next;
  return end - start;
}
