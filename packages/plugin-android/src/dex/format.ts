/**
 * DEX layout facts (Android's "Dalvik Executable format"): header field offsets and the size of each id item.
 * Only what the reference scan needs: string, type, proto, field and method ids, class definitions, and the
 * class data and code items that say which methods call which.
 */

/** `dex\n`, then a three-digit version and a NUL. */
export const DEX_MAGIC_PREFIX = [0x64, 0x65, 0x78, 0x0a] as const;

/** Versions this reader accepts. 035–040 share one layout; 041 adds a container (several DEX in one file). */
export const MIN_DEX_VERSION = 35;
export const MAX_DEX_VERSION = 41;

/** First version whose header carries `container_size` and `header_offset`. */
export const CONTAINER_DEX_VERSION = 41;

export const ENDIAN_CONSTANT = 0x12345678;
export const REVERSE_ENDIAN_CONSTANT = 0x78563412;

/** "No index" in `superclass_idx` and friends. */
export const NO_INDEX = 0xffffffff;

/** Header field offsets. */
export const HEADER = {
  fileSize: 0x20,
  headerSize: 0x24,
  endianTag: 0x28,
  stringIdsSize: 0x38,
  stringIdsOff: 0x3c,
  typeIdsSize: 0x40,
  typeIdsOff: 0x44,
  protoIdsSize: 0x48,
  protoIdsOff: 0x4c,
  fieldIdsSize: 0x50,
  fieldIdsOff: 0x54,
  methodIdsSize: 0x58,
  methodIdsOff: 0x5c,
  classDefsSize: 0x60,
  classDefsOff: 0x64,
  /** v41 only: bytes of the whole container, and this header's offset inside it. */
  containerSize: 0x70,
  headerOffset: 0x74,
} as const;

/** Size of the classic header; v41 headers are 8 bytes longer. */
export const HEADER_SIZE = 0x70;
export const CONTAINER_HEADER_SIZE = 0x78;

/** Bytes per item of each id table. */
export const ITEM_SIZE = {
  stringId: 4,
  typeId: 4,
  protoId: 12,
  fieldId: 8,
  methodId: 8,
  classDef: 32,
} as const;

/** Offsets inside one item. */
export const PROTO_ID = { returnType: 4, parametersOff: 8 } as const;
export const FIELD_ID = { classIdx: 0, typeIdx: 2, nameIdx: 4 } as const;
export const METHOD_ID = { classIdx: 0, protoIdx: 2, nameIdx: 4 } as const;
export const CLASS_DEF = { classIdx: 0, superclassIdx: 8, interfacesOff: 12, classDataOff: 24 } as const;
/** code_item: registers, ins, outs, tries (u16 each), debug_info_off (u32), insns_size (u32, in code units), insns. */
export const CODE_ITEM = { insnsSize: 12, insns: 16 } as const;
