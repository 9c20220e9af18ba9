import { NO_INDEX, UTF8_FLAG } from './axml-format.js';
import { manifestInvalid } from './malformed.js';

const utf8 = new TextDecoder('utf-8');
const utf16 = new TextDecoder('utf-16le');

/**
 * A `ResStringPool` chunk, decoded lazily: only the strings the tree refers to are decoded, so a pool that
 * claims millions of strings costs nothing beyond its (bounds-checked) offset table.
 */
export class StringPool {
  /** Number of strings the pool holds. */
  readonly count: number;
  /** True when the pool stores UTF-8, false for UTF-16LE. */
  readonly utf8: boolean;
  private readonly offsetsAt: number;
  private readonly stringsAt: number;
  private readonly cache = new Map<number, string>();

  /**
   * @param view  DataView over the whole file.
   * @param start offset of the chunk header.
   * @param headerSize the chunk's header size.
   * @param end   offset just past the chunk (already checked to lie inside the file).
   */
  constructor(private readonly view: DataView, start: number, headerSize: number, private readonly end: number) {
    if (headerSize < 28) throw manifestInvalid(`string pool header is ${headerSize} bytes, expected at least 28`);
    const stringCount = view.getUint32(start + 8, true);
    const styleCount = view.getUint32(start + 12, true);
    const flags = view.getUint32(start + 16, true);
    const stringsStart = view.getUint32(start + 20, true);
    this.offsetsAt = start + headerSize;
    // Both offset tables must fit in the chunk: this is what bounds a lying string count.
    const tables = (stringCount + styleCount) * 4;
    if (this.offsetsAt + tables > end) {
      throw manifestInvalid(`string pool claims ${stringCount} strings and ${styleCount} styles, more than its ${end - start} bytes hold`);
    }
    if (stringCount > 0 && (stringsStart < headerSize || start + stringsStart > end)) {
      throw manifestInvalid(`string pool data starts at ${stringsStart}, outside its chunk`);
    }
    this.count = stringCount;
    this.utf8 = (flags & UTF8_FLAG) !== 0;
    this.stringsAt = start + stringsStart;
  }

  /** The string at `index`, or undefined for the "no string" index 0xffffffff. */
  get(index: number): string | undefined {
    if (index === NO_INDEX) return undefined;
    if (index >= this.count) throw manifestInvalid(`string index ${index} is past the ${this.count} strings in the pool`);
    let s = this.cache.get(index);
    if (s === undefined) {
      s = this.decode(this.stringsAt + this.view.getUint32(this.offsetsAt + index * 4, true));
      this.cache.set(index, s);
    }
    return s;
  }

  private decode(at: number): string {
    return this.utf8 ? this.decodeUtf8(at) : this.decodeUtf16(at);
  }

  /** UTF-16: a u16 length (two u16s when the high bit is set), the code units, a u16 NUL. */
  private decodeUtf16(at: number): string {
    this.need(at, 2);
    let len = this.view.getUint16(at, true);
    let p = at + 2;
    if (len & 0x8000) {
      this.need(p, 2);
      len = ((len & 0x7fff) << 16) | this.view.getUint16(p, true);
      p += 2;
    }
    this.need(p, len * 2);
    return utf16.decode(this.bytes(p, len * 2));
  }

  /** UTF-8: the UTF-16 length, then the UTF-8 byte length (each one byte, or two when the high bit is set), the bytes, a NUL. */
  private decodeUtf8(at: number): string {
    let p = at;
    const readLen = (): number => {
      this.need(p, 1);
      let n = this.view.getUint8(p++);
      if (n & 0x80) {
        this.need(p, 1);
        n = ((n & 0x7f) << 8) | this.view.getUint8(p++);
      }
      return n;
    };
    readLen(); // UTF-16 length: only a hint, the byte length is what bounds the read
    const bytes = readLen();
    this.need(p, bytes);
    return utf8.decode(this.bytes(p, bytes));
  }

  private need(at: number, n: number): void {
    if (at < 0 || at + n > this.end) throw manifestInvalid(`a string runs past the end of the string pool`);
  }

  private bytes(at: number, n: number): Uint8Array {
    return new Uint8Array(this.view.buffer, this.view.byteOffset + at, n);
  }
}
