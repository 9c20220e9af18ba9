/**
 * A bounds-checked reader of FlatBuffers tables over the `flatbuffers` runtime.
 *
 * The runtime's `ByteBuffer` does no bounds checking (a read past the end yields `undefined` bits, not an error),
 * and a model pulled out of an app can be truncated or hostile. So every offset, length and vtable is checked here
 * against the buffer before it is followed, and a bad one throws {@link MalformedError} naming what was read.
 */
import { ByteBuffer } from 'flatbuffers';

const utf8 = new TextDecoder();

/** Raised for any structural fault; the parser turns it into a GaugeError `MODEL_MALFORMED`. */
export class MalformedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedError';
  }
}

/** The bytes of one flatbuffer plus checked primitive reads. */
export class FlatBuffer {
  readonly bb: ByteBuffer;
  readonly length: number;

  constructor(readonly bytes: Uint8Array) {
    this.bb = new ByteBuffer(bytes);
    this.length = bytes.length;
  }

  /** Throw unless `[pos, pos + size)` lies inside the buffer. */
  check(pos: number, size: number, what: string): void {
    if (!Number.isSafeInteger(pos) || pos < 0 || size < 0 || pos + size > this.length) {
      throw new MalformedError(`${what} at byte ${pos} (+${size}) lies outside the ${this.length}-byte buffer`);
    }
  }

  /** The 4-byte file identifier at bytes 4..8, or '' when the buffer is too short. */
  identifier(): string {
    if (this.length < 8) return '';
    return String.fromCharCode(...this.bytes.subarray(4, 8));
  }

  /** The root table: its uoffset is the buffer's first 4 bytes. */
  root(what: string): Table {
    this.check(0, 4, `${what} root offset`);
    return new Table(this, this.bb.readUint32(0), what);
  }
}

/** Where a vector's elements start and how many there are. */
export interface VectorRef {
  start: number;
  length: number;
}

/** One FlatBuffers table. Fields are addressed by their schema id (0, 1, 2, …). */
export class Table {
  private readonly vtable: number;
  private readonly vtableSize: number;

  constructor(
    readonly fb: FlatBuffer,
    readonly pos: number,
    /** What this table is, for error messages (`subgraph 0 tensor 12`). */
    readonly what: string,
  ) {
    fb.check(pos, 4, `${what} table`);
    const vtable = pos - fb.bb.readInt32(pos);
    fb.check(vtable, 4, `${what} vtable`);
    const size = fb.bb.readUint16(vtable);
    const objectSize = fb.bb.readUint16(vtable + 2);
    if (size < 4 || size % 2 !== 0) throw new MalformedError(`${what} vtable at byte ${vtable} has an impossible size ${size}`);
    fb.check(vtable, size, `${what} vtable`);
    fb.check(pos, objectSize, `${what} table body`);
    this.vtable = vtable;
    this.vtableSize = size;
  }

  /** Absolute position of field `id`, or 0 when absent (so the default applies). */
  private field(id: number, size: number): number {
    const slot = 4 + 2 * id;
    if (slot + 2 > this.vtableSize) return 0;
    const rel = this.fb.bb.readUint16(this.vtable + slot);
    if (rel === 0) return 0;
    const at = this.pos + rel;
    this.fb.check(at, size, `${this.what} field ${id}`);
    return at;
  }

  has(id: number): boolean {
    return this.field(id, 0) !== 0;
  }

  int8(id: number, dflt = 0): number {
    const at = this.field(id, 1);
    return at ? this.fb.bb.readInt8(at) : dflt;
  }

  uint8(id: number, dflt = 0): number {
    const at = this.field(id, 1);
    return at ? this.fb.bb.readUint8(at) : dflt;
  }

  bool(id: number, dflt = false): boolean {
    const at = this.field(id, 1);
    return at ? this.fb.bb.readUint8(at) !== 0 : dflt;
  }

  int32(id: number, dflt = 0): number {
    const at = this.field(id, 4);
    return at ? this.fb.bb.readInt32(at) : dflt;
  }

  uint32(id: number, dflt = 0): number {
    const at = this.field(id, 4);
    return at ? this.fb.bb.readUint32(at) : dflt;
  }

  float32(id: number, dflt = 0): number {
    const at = this.field(id, 4);
    return at ? this.fb.bb.readFloat32(at) : dflt;
  }

  /** A 64-bit unsigned field as a number (offsets and sizes beyond 2^53 are not real files). */
  uint64(id: number, dflt = 0): number {
    const at = this.field(id, 8);
    return at ? Number(this.fb.bb.readUint64(at)) : dflt;
  }

  /** Follow the uoffset stored in field `id`; returns the absolute target or 0. */
  private indirect(id: number): number {
    const at = this.field(id, 4);
    if (!at) return 0;
    const target = at + this.fb.bb.readUint32(at);
    this.fb.check(target, 4, `${this.what} field ${id} target`);
    return target;
  }

  /** A vector field's element start and length, checked for `elemSize`-byte elements. */
  vector(id: number, elemSize: number): VectorRef | undefined {
    const at = this.indirect(id);
    if (!at) return undefined;
    const length = this.fb.bb.readUint32(at);
    const start = at + 4;
    this.fb.check(start, length * elemSize, `${this.what} field ${id} vector of ${length}`);
    return { start, length };
  }

  string(id: number): string | undefined {
    const v = this.vector(id, 1);
    if (!v) return undefined;
    return utf8.decode(this.fb.bytes.subarray(v.start, v.start + v.length));
  }

  /** A `[ubyte]` field as a view on the buffer (no copy). */
  bytes(id: number): Uint8Array | undefined {
    const v = this.vector(id, 1);
    return v ? this.fb.bytes.subarray(v.start, v.start + v.length) : undefined;
  }

  int32Vector(id: number): number[] {
    const v = this.vector(id, 4);
    const out: number[] = [];
    if (v) for (let i = 0; i < v.length; i++) out.push(this.fb.bb.readInt32(v.start + 4 * i));
    return out;
  }

  float32Vector(id: number): number[] {
    const v = this.vector(id, 4);
    const out: number[] = [];
    if (v) for (let i = 0; i < v.length; i++) out.push(this.fb.bb.readFloat32(v.start + 4 * i));
    return out;
  }

  int64Vector(id: number): number[] {
    const v = this.vector(id, 8);
    const out: number[] = [];
    if (v) for (let i = 0; i < v.length; i++) out.push(Number(this.fb.bb.readInt64(v.start + 8 * i)));
    return out;
  }

  table(id: number, what: string): Table | undefined {
    const at = this.indirect(id);
    return at ? new Table(this.fb, at, what) : undefined;
  }

  /** A vector of tables; `what(i)` names element i for errors. */
  tables(id: number, what: (i: number) => string): Table[] {
    const v = this.vector(id, 4);
    const out: Table[] = [];
    if (!v) return out;
    for (let i = 0; i < v.length; i++) {
      const slot = v.start + 4 * i;
      const target = slot + this.fb.bb.readUint32(slot);
      out.push(new Table(this.fb, target, what(i)));
    }
    return out;
  }
}
