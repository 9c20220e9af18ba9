/**
 * A bounds-checked view of one DEX file's id tables. It reads what a reference scan needs (strings, types,
 * protos, fields, methods, class definitions); the bytecode is walked separately (call-sites.ts), never run. Every offset and count from the header is
 * checked against the buffer before use, so a hostile DEX yields a typed error, never a crash or a long loop.
 */
import {
  CLASS_DEF,
  CONTAINER_DEX_VERSION,
  CONTAINER_HEADER_SIZE,
  DEX_MAGIC_PREFIX,
  ENDIAN_CONSTANT,
  FIELD_ID,
  HEADER,
  HEADER_SIZE,
  ITEM_SIZE,
  MAX_DEX_VERSION,
  METHOD_ID,
  MIN_DEX_VERSION,
  NO_INDEX,
  PROTO_ID,
  REVERSE_ENDIAN_CONSTANT,
} from './format.js';
import { dexMalformed } from './malformed.js';
import { readMutf8 } from './mutf8.js';

/** One id table: where it starts and how many items it holds. */
export interface DexTable {
  off: number;
  size: number;
}

/** Most DEX files one v041 container may hold before we call it hostile. */
const MAX_CONTAINER_DEX = 256;

/** True when the bytes start like a DEX file (`dex\n` + three digits + NUL). */
export function hasDexMagic(data: Uint8Array): boolean {
  if (data.length < 8) return false;
  for (let i = 0; i < 4; i++) if (data[i] !== DEX_MAGIC_PREFIX[i]) return false;
  return isDigit(data[4]!) && isDigit(data[5]!) && isDigit(data[6]!) && data[7] === 0;
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** One DEX file (or one DEX of a v041 container). */
export class DexFile {
  readonly version: number;
  readonly littleEndian: boolean;
  readonly stringIds: DexTable;
  readonly typeIds: DexTable;
  readonly protoIds: DexTable;
  readonly fieldIds: DexTable;
  readonly methodIds: DexTable;
  readonly classDefs: DexTable;
  private readonly strings: (string | undefined)[];

  private constructor(
    readonly data: Buffer,
    readonly path: string,
    /** Where this DEX's header starts (non-zero only inside a v041 container). */
    readonly base: number,
  ) {
    const version = Number(data.toString('latin1', base + 4, base + 7));
    if (!(version >= MIN_DEX_VERSION && version <= MAX_DEX_VERSION)) {
      throw dexMalformed(path, `DEX version ${data.toString('latin1', base + 4, base + 7)} is not one gaugeNN reads (035 to 041)`);
    }
    this.version = version;
    const minHeader = version >= CONTAINER_DEX_VERSION ? CONTAINER_HEADER_SIZE : HEADER_SIZE;
    if (base + minHeader > data.length) throw dexMalformed(path, `the header is cut short (${data.length - base} of ${minHeader} bytes)`);
    const tag = data.readUInt32LE(base + HEADER.endianTag);
    if (tag === ENDIAN_CONSTANT) this.littleEndian = true;
    else if (tag === REVERSE_ENDIAN_CONSTANT) this.littleEndian = false;
    else throw dexMalformed(path, `the endian tag is 0x${tag.toString(16)}, neither 0x12345678 nor 0x78563412`);
    const headerSize = this.u32(base + HEADER.headerSize);
    if (headerSize < minHeader || base + headerSize > data.length) throw dexMalformed(path, `header_size ${headerSize} is impossible`);
    const fileSize = this.u32(base + HEADER.fileSize);
    if (fileSize < headerSize) throw dexMalformed(path, `file_size ${fileSize} is smaller than the header`);
    if (version < CONTAINER_DEX_VERSION && fileSize > data.length) {
      throw dexMalformed(path, `the file is truncated (${data.length} of ${fileSize} bytes)`);
    }
    this.stringIds = this.table('string_ids', HEADER.stringIdsSize, ITEM_SIZE.stringId);
    this.typeIds = this.table('type_ids', HEADER.typeIdsSize, ITEM_SIZE.typeId);
    this.protoIds = this.table('proto_ids', HEADER.protoIdsSize, ITEM_SIZE.protoId);
    this.fieldIds = this.table('field_ids', HEADER.fieldIdsSize, ITEM_SIZE.fieldId);
    this.methodIds = this.table('method_ids', HEADER.methodIdsSize, ITEM_SIZE.methodId);
    this.classDefs = this.table('class_defs', HEADER.classDefsSize, ITEM_SIZE.classDef);
    // Indices into these tables are u16 in field/method ids: more types or protos than that is a lie.
    if (this.typeIds.size > 0x10000) throw dexMalformed(path, `type_ids_size ${this.typeIds.size} is over 65536`);
    if (this.protoIds.size > 0x10000) throw dexMalformed(path, `proto_ids_size ${this.protoIds.size} is over 65536`);
    this.strings = new Array<string | undefined>(this.stringIds.size);
  }

  /**
   * Every DEX in `data`: one, or for a v041 container each DEX it holds, in order.
   * @throws GaugeError `ARCHIVE_CORRUPT` (naming `path`) when the bytes are not a readable DEX.
   */
  static readAll(data: Buffer, path: string): DexFile[] {
    if (!hasDexMagic(data)) throw dexMalformed(path, 'it does not start with the DEX magic "dex\\n0NN\\0"');
    const first = new DexFile(data, path, 0);
    if (first.version < CONTAINER_DEX_VERSION) return [first];
    // v041: DEX headers follow one another; each file_size is the distance to the next header.
    const containerSize = first.u32(HEADER.containerSize);
    if (containerSize > data.length) throw dexMalformed(path, `the container is truncated (${data.length} of ${containerSize} bytes)`);
    const out = [first];
    let at = first.u32(HEADER.fileSize);
    while (at < containerSize) {
      if (out.length >= MAX_CONTAINER_DEX) throw dexMalformed(path, `the container holds more than ${MAX_CONTAINER_DEX} DEX files`);
      if (!hasDexMagic(data.subarray(at))) throw dexMalformed(path, `no DEX header at offset ${at} of the container`);
      const next = new DexFile(data, path, at);
      out.push(next);
      at += next.u32(at + HEADER.fileSize);
    }
    return out;
  }

  u32(at: number): number {
    return this.littleEndian ? this.data.readUInt32LE(at) : this.data.readUInt32BE(at);
  }

  u16(at: number): number {
    return this.littleEndian ? this.data.readUInt16LE(at) : this.data.readUInt16BE(at);
  }

  private table(name: string, sizeField: number, itemSize: number): DexTable {
    const size = this.u32(this.base + sizeField);
    const rel = this.u32(this.base + sizeField + 4);
    if (size === 0) return { off: 0, size: 0 };
    // Id tables sit after the header; in a container their offsets count from this DEX's header.
    const off = this.base + rel;
    if (rel < HEADER_SIZE || off + size * itemSize > this.data.length) {
      throw dexMalformed(this.path, `${name} (${size} items at offset ${rel}) lies outside the file`);
    }
    return { off, size };
  }

  /** The string with this index. */
  string(idx: number): string {
    const cached = this.strings[idx];
    if (cached !== undefined) return cached;
    if (idx >= this.stringIds.size) throw dexMalformed(this.path, `string index ${idx} is past string_ids (${this.stringIds.size})`);
    const off = this.u32(this.stringIds.off + idx * ITEM_SIZE.stringId);
    const s = off >= HEADER_SIZE ? readMutf8(this.data, off) : undefined;
    if (s === undefined) throw dexMalformed(this.path, `string ${idx} at offset ${off} runs past the end of the file`);
    this.strings[idx] = s;
    return s;
  }

  /** The descriptor (`Lorg/x/Y;`, `[I`) of a type index. */
  typeDescriptor(typeIdx: number): string {
    this.checkType(typeIdx, 'type');
    return this.string(this.u32(this.typeIds.off + typeIdx * ITEM_SIZE.typeId));
  }

  checkType(typeIdx: number, what: string): void {
    if (typeIdx >= this.typeIds.size) throw dexMalformed(this.path, `${what} index ${typeIdx} is past type_ids (${this.typeIds.size})`);
  }

  /** Class type index of method id `i`. */
  methodClass(i: number): number {
    return this.u16(this.methodIds.off + i * ITEM_SIZE.methodId + METHOD_ID.classIdx);
  }

  /** Name string index of method id `i`. */
  methodName(i: number): number {
    return this.u32(this.methodIds.off + i * ITEM_SIZE.methodId + METHOD_ID.nameIdx);
  }

  /** Proto index of method id `i`. */
  methodProto(i: number): number {
    return this.u16(this.methodIds.off + i * ITEM_SIZE.methodId + METHOD_ID.protoIdx);
  }

  fieldClass(i: number): number {
    return this.u16(this.fieldIds.off + i * ITEM_SIZE.fieldId + FIELD_ID.classIdx);
  }

  fieldType(i: number): number {
    return this.u16(this.fieldIds.off + i * ITEM_SIZE.fieldId + FIELD_ID.typeIdx);
  }

  protoReturn(i: number): number {
    return this.u32(this.protoIds.off + i * ITEM_SIZE.protoId + PROTO_ID.returnType);
  }

  /** Offset of proto `i`'s parameter type list, 0 when it has none. */
  protoParameters(i: number): number {
    return this.u32(this.protoIds.off + i * ITEM_SIZE.protoId + PROTO_ID.parametersOff);
  }

  classDefClass(i: number): number {
    return this.u32(this.classDefs.off + i * ITEM_SIZE.classDef + CLASS_DEF.classIdx);
  }

  /** Superclass type index of class def `i`, or {@link NO_INDEX}. */
  classDefSuper(i: number): number {
    return this.u32(this.classDefs.off + i * ITEM_SIZE.classDef + CLASS_DEF.superclassIdx);
  }

  /** Offset of class def `i`'s class_data_item, 0 when the class has no fields or methods. */
  classDefData(i: number): number {
    return this.u32(this.classDefs.off + i * ITEM_SIZE.classDef + CLASS_DEF.classDataOff);
  }

  classDefInterfaces(i: number): number {
    return this.u32(this.classDefs.off + i * ITEM_SIZE.classDef + CLASS_DEF.interfacesOff);
  }

  /**
   * Call `each` with every type index of the type list at `off` (0 = empty list). Data offsets count from the
   * start of the file (of the container, for v041).
   */
  forEachInTypeList(off: number, each: (typeIdx: number) => void): void {
    if (off === 0) return;
    if (off < HEADER_SIZE || off + 4 > this.data.length) throw dexMalformed(this.path, `a type list at offset ${off} lies outside the file`);
    const n = this.u32(off);
    if (off + 4 + n * 2 > this.data.length) throw dexMalformed(this.path, `a type list at offset ${off} claims ${n} entries past the end of the file`);
    for (let k = 0; k < n; k++) each(this.u16(off + 4 + k * 2));
  }
}

export { NO_INDEX };
