/**
 * A bounds-checked FlatBuffers table reader over a DataView. Written by hand rather than over the `flatbuffers`
 * runtime because that runtime's ByteBuffer checks no bounds, and DLC records and diagnostic logs come from
 * untrusted apps: every offset, length and vtable is checked here before it is followed, and a bad one throws
 * {@link FlatBufferError} naming what was being read.
 */

/** A structural fault in a flatbuffer; readers turn it into a GaugeError. */
export class FlatBufferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlatBufferError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** One flatbuffer's bytes with checked primitive reads. */
export class FlatBuffer {
  readonly view: DataView;
  readonly length: number;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.length;
  }

  check(pos: number, size: number, what: string): void {
    if (!Number.isSafeInteger(pos) || !Number.isSafeInteger(size) || pos < 0 || size < 0 || pos + size > this.length) {
      throw new FlatBufferError(`${what} at byte ${pos} (+${size}) lies outside the ${this.length}-byte buffer`);
    }
  }

  u8(pos: number): number {
    this.check(pos, 1, 'u8');
    return this.view.getUint8(pos);
  }
  u16(pos: number): number {
    this.check(pos, 2, 'u16');
    return this.view.getUint16(pos, true);
  }
  i32(pos: number): number {
    this.check(pos, 4, 'i32');
    return this.view.getInt32(pos, true);
  }
  u32(pos: number): number {
    this.check(pos, 4, 'u32');
    return this.view.getUint32(pos, true);
  }
  f32(pos: number): number {
    this.check(pos, 4, 'f32');
    return this.view.getFloat32(pos, true);
  }
  /** u64 as a number; values past 2^53 are refused (no timestamp or size here comes near). */
  u64(pos: number): number {
    this.check(pos, 8, 'u64');
    const v = this.view.getBigUint64(pos, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new FlatBufferError(`u64 at byte ${pos} is beyond 2^53`);
    return Number(v);
  }

  /** The 4-byte file identifier after the root offset, or '' when the buffer is too short. */
  identifier(): string {
    if (this.length < 8) return '';
    return String.fromCharCode(...this.bytes.subarray(4, 8));
  }

  root(what: string): Table {
    return new Table(this, this.u32(0), what);
  }
}

/** One table; fields are addressed by schema id (0, 1, 2, …). */
export class Table {
  private readonly vtable: number;
  private readonly fields: number;

  constructor(
    readonly fb: FlatBuffer,
    readonly pos: number,
    readonly what: string,
  ) {
    fb.check(pos, 4, `${what} table`);
    const vtable = pos - fb.i32(pos);
    fb.check(vtable, 4, `${what} vtable`);
    const size = fb.u16(vtable);
    const objectSize = fb.u16(vtable + 2);
    if (size < 4 || size % 2 !== 0) throw new FlatBufferError(`${what} vtable at byte ${vtable} has an impossible size ${size}`);
    fb.check(vtable, size, `${what} vtable`);
    fb.check(pos, objectSize, `${what} table body`);
    this.vtable = vtable;
    this.fields = (size - 4) / 2;
  }

  /** Absolute position of field `id`, or 0 when absent. */
  field(id: number): number {
    if (id >= this.fields) return 0;
    const off = this.fb.u16(this.vtable + 4 + 2 * id);
    return off === 0 ? 0 : this.pos + off;
  }

  has(id: number): boolean {
    return this.field(id) !== 0;
  }

  u8(id: number, dflt = 0): number {
    const p = this.field(id);
    return p ? this.fb.u8(p) : dflt;
  }
  i32(id: number, dflt = 0): number {
    const p = this.field(id);
    return p ? this.fb.i32(p) : dflt;
  }
  u32(id: number, dflt = 0): number {
    const p = this.field(id);
    return p ? this.fb.u32(p) : dflt;
  }
  f32(id: number, dflt = 0): number {
    const p = this.field(id);
    return p ? this.fb.f32(p) : dflt;
  }
  u64(id: number): number | undefined {
    const p = this.field(id);
    return p ? this.fb.u64(p) : undefined;
  }

  private deref(id: number): number {
    const p = this.field(id);
    if (!p) return 0;
    const target = p + this.fb.u32(p);
    this.fb.check(target, 4, `${this.what} field ${id} target`);
    return target;
  }

  table(id: number, what: string): Table | undefined {
    const t = this.deref(id);
    return t ? new Table(this.fb, t, what) : undefined;
  }

  string(id: number): string | undefined {
    const s = this.deref(id);
    if (!s) return undefined;
    const n = this.fb.u32(s);
    this.fb.check(s + 4, n, `${this.what} string ${id}`);
    return utf8.decode(this.fb.bytes.subarray(s + 4, s + 4 + n));
  }

  /** A vector's element start and count, checked for `elemSize`-byte elements. */
  vector(id: number, elemSize: number): { start: number; length: number } | undefined {
    const v = this.deref(id);
    if (!v) return undefined;
    const length = this.fb.u32(v);
    this.fb.check(v + 4, length * elemSize, `${this.what} vector ${id} (${length} × ${elemSize} bytes)`);
    return { start: v + 4, length };
  }

  bytes(id: number): Uint8Array | undefined {
    const v = this.vector(id, 1);
    return v ? this.fb.bytes.subarray(v.start, v.start + v.length) : undefined;
  }

  i32s(id: number): number[] | undefined {
    const v = this.vector(id, 4);
    if (!v) return undefined;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.fb.view.getInt32(v.start + 4 * i, true);
    return out;
  }

  f32s(id: number): number[] | undefined {
    const v = this.vector(id, 4);
    if (!v) return undefined;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.fb.view.getFloat32(v.start + 4 * i, true);
    return out;
  }

  /** Byte length of a vector of `elemSize`-byte elements without reading it (for weight sizes). */
  vectorBytes(id: number, elemSize: number): number {
    return (this.vector(id, elemSize)?.length ?? 0) * elemSize;
  }

  tables(id: number, what: string): Table[] {
    const v = this.vector(id, 4);
    if (!v) return [];
    const out: Table[] = [];
    for (let i = 0; i < v.length; i++) {
      const p = v.start + 4 * i;
      out.push(new Table(this.fb, p + this.fb.u32(p), `${what} ${i}`));
    }
    return out;
  }

  strings(id: number): string[] {
    const v = this.vector(id, 4);
    if (!v) return [];
    const out: string[] = [];
    for (let i = 0; i < v.length; i++) {
      const p = v.start + 4 * i;
      const s = p + this.fb.u32(p);
      const n = this.fb.u32(s);
      this.fb.check(s + 4, n, `${this.what} string ${i}`);
      out.push(utf8.decode(this.fb.bytes.subarray(s + 4, s + 4 + n)));
    }
    return out;
  }
}
