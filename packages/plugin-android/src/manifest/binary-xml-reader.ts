/**
 * A reader of Android's binary XML (AXML), the form `AndroidManifest.xml` takes inside an APK.
 *
 * The file is a tree of chunks, each `{type u16, headerSize u16, size u32}`: one XML chunk (0x0003) holding a
 * string pool, a resource map and a flat stream of namespace/element/CDATA events that this reader folds into a
 * small element tree. Every offset is bounds-checked against its chunk, every loop advances by at least one
 * chunk header, so lying sizes end in a MANIFEST_INVALID GaugeError, never in a hang or a RangeError.
 */
import { ATTR_NAME_BY_ID, CHUNK, NO_INDEX, VALUE_TYPE } from './axml-format.js';
import { manifestInvalid } from './malformed.js';
import { StringPool } from './string-pool.js';

/** An attribute's value, interpreted from its `Res_value`: strings, numbers, booleans, `@0x7f…` references. */
export type XmlValue = string | number | boolean | null;

/** One attribute of an element. */
export interface XmlAttribute {
  /** Namespace URI (`http://schemas.android.com/apk/res/android` for `android:`), absent for none. */
  ns?: string;
  /** Local name; taken from the resource id when the name string is empty (obfuscated manifests). */
  name: string;
  /** Framework attribute id from the resource map (`0x0101021b` for versionCode), when there is one. */
  resId?: number;
  /** The raw string value, when the compiler kept one. */
  rawValue?: string;
  /** `Res_value.dataType` (0x03 string, 0x10 int, 0x12 boolean, 0x01 reference, …). */
  type: number;
  /** `Res_value.data`, the raw 32 bits. */
  data: number;
  /** The value, interpreted from `type` and `data`. */
  value: XmlValue;
}

/** One element of the tree. */
export interface XmlElement {
  ns?: string;
  name: string;
  attributes: XmlAttribute[];
  children: XmlElement[];
  /** Character data directly inside the element, concatenated. */
  text?: string;
  /** Source line the compiler recorded. */
  line: number;
}

/** A decoded binary XML document. */
export interface BinaryXmlDocument {
  /** The first top-level element (`<manifest>` in a manifest). */
  root: XmlElement;
  /** Namespace declarations, in order. */
  namespaces: { prefix?: string; uri?: string }[];
  /** Encoding of the string pool. */
  encoding: 'utf-8' | 'utf-16';
}

/** Deeper trees than this are refused: no real manifest comes close, and consumers may recurse. */
const MAX_DEPTH = 256;
/** Sizes of the fixed parts the reader relies on. */
const CHUNK_HEADER = 8;
const NODE_HEADER = 16; // chunk header + lineNumber + comment
const ATTR_EXT = 20; // ns, name, attributeStart, attributeSize, attributeCount, id/class/style indices
const ATTR_MIN = 20; // ns, name, rawValue, Res_value(8)

/** True when the bytes start like a binary XML file (an XML chunk header). */
export function isBinaryXml(buf: Uint8Array): boolean {
  return buf.length >= CHUNK_HEADER && buf[0] === (CHUNK.XML & 0xff) && buf[1] === CHUNK.XML >> 8;
}

/**
 * Parse a binary XML file into an element tree.
 *
 * @param buf the file's bytes.
 * @returns the document: root element, namespaces and string encoding.
 * @throws GaugeError `MANIFEST_INVALID` for any truncation, out-of-bounds offset or broken structure.
 */
export function parseBinaryXml(buf: Uint8Array): BinaryXmlDocument {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < CHUNK_HEADER) throw manifestInvalid(`only ${buf.length} bytes, shorter than a chunk header`);
  const type = view.getUint16(0, true);
  const headerSize = view.getUint16(2, true);
  const size = view.getUint32(4, true);
  if (type !== CHUNK.XML) throw manifestInvalid(`starts with chunk type 0x${hex(type, 4)}, not a binary XML chunk (0x0003)`);
  if (headerSize < CHUNK_HEADER || headerSize > size) throw manifestInvalid(`XML chunk header size ${headerSize} is invalid`);
  if (size > buf.length) throw manifestInvalid(`XML chunk declares ${size} bytes but the file has ${buf.length}: truncated`);

  let pool: StringPool | undefined;
  let resIds: Uint32Array = new Uint32Array(0);
  const namespaces: BinaryXmlDocument['namespaces'] = [];
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  const str = (i: number): string | undefined => {
    if (i === NO_INDEX) return undefined;
    if (!pool) throw manifestInvalid('an element comes before the string pool');
    return pool.get(i);
  };

  // Each iteration consumes a whole chunk of at least 8 bytes, so this ends after at most size/8 steps.
  for (let pos = headerSize; pos < size; ) {
    if (pos + CHUNK_HEADER > size) throw manifestInvalid(`${size - pos} stray bytes at offset ${pos}`);
    const cType = view.getUint16(pos, true);
    const cHeader = view.getUint16(pos + 2, true);
    const cSize = view.getUint32(pos + 4, true);
    if (cHeader < CHUNK_HEADER || cSize < cHeader || pos + cSize > size) {
      throw manifestInvalid(`chunk 0x${hex(cType, 4)} at offset ${pos} has header ${cHeader} and size ${cSize}, which do not fit the file`);
    }
    const end = pos + cSize;
    switch (cType) {
      case CHUNK.STRING_POOL:
        pool = new StringPool(view, pos, cHeader, end);
        break;
      case CHUNK.XML_RESOURCE_MAP: {
        const n = Math.floor((cSize - cHeader) / 4);
        resIds = new Uint32Array(n);
        for (let i = 0; i < n; i++) resIds[i] = view.getUint32(pos + cHeader + i * 4, true);
        break;
      }
      case CHUNK.XML_START_NAMESPACE:
      case CHUNK.XML_END_NAMESPACE: {
        const ext = nodeExt(pos, cHeader, end, 8);
        if (cType === CHUNK.XML_START_NAMESPACE) {
          namespaces.push({ prefix: str(view.getUint32(ext, true)), uri: str(view.getUint32(ext + 4, true)) });
        }
        break;
      }
      case CHUNK.XML_START_ELEMENT: {
        const el = readStartElement(pos, cHeader, end);
        const parent = stack[stack.length - 1];
        if (parent) parent.children.push(el);
        else root ??= el; // a second top-level element is read (for bounds) but not kept
        if (stack.length >= MAX_DEPTH) throw manifestInvalid(`elements nest deeper than ${MAX_DEPTH} levels`);
        stack.push(el);
        break;
      }
      case CHUNK.XML_END_ELEMENT:
        nodeExt(pos, cHeader, end, 8);
        if (!stack.pop()) throw manifestInvalid(`an end tag at offset ${pos} closes no element`);
        break;
      case CHUNK.XML_CDATA: {
        const ext = nodeExt(pos, cHeader, end, 12);
        const text = str(view.getUint32(ext, true));
        const parent = stack[stack.length - 1];
        if (parent && text !== undefined) parent.text = (parent.text ?? '') + text;
        break;
      }
      default:
        break; // unknown chunks are skipped, as Android's own parser does
    }
    pos = end;
  }

  if (!root) throw manifestInvalid('it holds no element');
  return { root, namespaces, encoding: pool?.utf8 ? 'utf-8' : 'utf-16' };

  /** Offset of a node chunk's body, after checking the body has `need` bytes. */
  function nodeExt(pos: number, cHeader: number, end: number, need: number): number {
    if (cHeader < NODE_HEADER) throw manifestInvalid(`node chunk at offset ${pos} has a ${cHeader}-byte header, expected 16`);
    const ext = pos + cHeader;
    if (ext + need > end) throw manifestInvalid(`node chunk at offset ${pos} is too short for its body`);
    return ext;
  }

  function readStartElement(pos: number, cHeader: number, end: number): XmlElement {
    const ext = nodeExt(pos, cHeader, end, ATTR_EXT);
    const el: XmlElement = {
      name: str(view.getUint32(ext + 4, true)) ?? '',
      attributes: [],
      children: [],
      line: view.getUint32(pos + 8, true),
    };
    const ns = str(view.getUint32(ext, true));
    if (ns !== undefined) el.ns = ns;
    const attrStart = view.getUint16(ext + 8, true);
    const attrSize = view.getUint16(ext + 10, true);
    const attrCount = view.getUint16(ext + 12, true);
    if (attrCount > 0 && attrSize < ATTR_MIN) throw manifestInvalid(`attribute size ${attrSize} is below 20 bytes`);
    const first = ext + attrStart;
    if (first + attrCount * attrSize > end) {
      throw manifestInvalid(`<${el.name}> claims ${attrCount} attributes, more than its chunk holds`);
    }
    for (let i = 0; i < attrCount; i++) el.attributes.push(readAttribute(first + i * attrSize));
    return el;
  }

  function readAttribute(at: number): XmlAttribute {
    const nsIdx = view.getUint32(at, true);
    const nameIdx = view.getUint32(at + 4, true);
    const rawIdx = view.getUint32(at + 8, true);
    // Res_value: size u16, res0 u8, dataType u8, data u32.
    const type = view.getUint8(at + 15);
    const data = view.getUint32(at + 16, true);
    const resId = nameIdx < resIds.length && resIds[nameIdx] !== 0 ? resIds[nameIdx] : undefined;
    let name = str(nameIdx) ?? '';
    if (name === '' && resId !== undefined) name = ATTR_NAME_BY_ID.get(resId) ?? `attr_0x${hex(resId, 8)}`;
    const a: XmlAttribute = { name, type, data, value: typedValue(type, data, rawIdx) };
    const ns = str(nsIdx);
    if (ns !== undefined) a.ns = ns;
    if (resId !== undefined) a.resId = resId;
    const raw = str(rawIdx);
    if (raw !== undefined) a.rawValue = raw;
    return a;
  }

  function typedValue(type: number, data: number, rawIdx: number): XmlValue {
    switch (type) {
      case VALUE_TYPE.STRING:
        return str(data) ?? str(rawIdx) ?? '';
      case VALUE_TYPE.INT_DEC:
      case VALUE_TYPE.INT_HEX:
        return data | 0; // Res_value ints are signed
      case VALUE_TYPE.INT_BOOLEAN:
        return data !== 0;
      case VALUE_TYPE.REFERENCE:
      case VALUE_TYPE.DYNAMIC_REFERENCE:
        return `@0x${hex(data, 8)}`;
      case VALUE_TYPE.ATTRIBUTE:
        return `?0x${hex(data, 8)}`;
      case VALUE_TYPE.FLOAT:
        return new DataView(new Uint32Array([data]).buffer).getFloat32(0, true);
      case VALUE_TYPE.INT_COLOR_ARGB8:
      case VALUE_TYPE.INT_COLOR_RGB8:
      case VALUE_TYPE.INT_COLOR_ARGB4:
      case VALUE_TYPE.INT_COLOR_RGB4:
        return `#${hex(data, 8)}`;
      case VALUE_TYPE.NULL:
        return null;
      default:
        return data; // dimensions, fractions: the packed bits, for whoever needs them
    }
  }
}

/**
 * The first attribute of `el` that matches: by framework attribute id when given (robust to obfuscated names),
 * else by local name (and namespace URI when given).
 */
export function findAttribute(el: XmlElement, key: { id?: number; name: string; ns?: string | null }): XmlAttribute | undefined {
  if (key.id !== undefined) {
    const byId = el.attributes.find((a) => a.resId === key.id);
    if (byId) return byId;
  }
  return el.attributes.find(
    (a) => a.name === key.name && (key.ns === undefined || (key.ns === null ? a.ns === undefined : a.ns === key.ns)),
  );
}

function hex(n: number, width: number): string {
  return (n >>> 0).toString(16).padStart(width, '0');
}
