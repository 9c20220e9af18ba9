/**
 * Bounds-checked little/big-endian reads over a byte array. Every read that would leave the array throws
 * {@link ElfBoundsError}, so a hostile library can make the reader fail but never read out of range.
 */

/** Thrown by {@link ByteReader} on an out-of-range read; the ELF reader turns it into a GaugeError. */
export class ElfBoundsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfBoundsError';
  }
}

/** Fixed-endian reads at absolute offsets. */
export class ByteReader {
  private readonly dv: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Throws unless `[offset, offset + n)` lies inside the bytes. */
  need(offset: number, n: number, what: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(n) || offset < 0 || n < 0 || offset + n > this.bytes.length) {
      throw new ElfBoundsError(`${what} at offset ${offset} (+${n}) lies outside the ${this.bytes.length}-byte file`);
    }
  }

  u8(offset: number, what = 'byte'): number {
    this.need(offset, 1, what);
    return this.bytes[offset]!;
  }

  u16(offset: number, what = 'u16'): number {
    this.need(offset, 2, what);
    return this.dv.getUint16(offset, this.littleEndian);
  }

  u32(offset: number, what = 'u32'): number {
    this.need(offset, 4, what);
    return this.dv.getUint32(offset, this.littleEndian);
  }

  /** A 64-bit unsigned value; values past 2^53 cannot be offsets or sizes in a real file, so they throw. */
  u64(offset: number, what = 'u64'): number {
    this.need(offset, 8, what);
    const v = this.dv.getBigUint64(offset, this.littleEndian);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfBoundsError(`${what} at offset ${offset} is too large (${v})`);
    return Number(v);
  }

  /** A word of the file's class: 4 bytes for ELF32, 8 for ELF64. */
  word(offset: number, is64: boolean, what = 'word'): number {
    return is64 ? this.u64(offset, what) : this.u32(offset, what);
  }

  /** A signed 64-bit (or 32-bit) tag, as a number; huge tags are clamped (they match no known tag anyway). */
  sword(offset: number, is64: boolean, what = 'sword'): number {
    if (!is64) {
      this.need(offset, 4, what);
      return this.dv.getInt32(offset, this.littleEndian);
    }
    this.need(offset, 8, what);
    const v = this.dv.getBigInt64(offset, this.littleEndian);
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    return Number(v > max ? max : v < -max ? -max : v);
  }
}
