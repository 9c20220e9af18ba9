/**
 * Writes a minimal, valid binary `AndroidManifest.xml`, laid out as aapt2 lays one out: android attribute names
 * first in the string pool with their ids in the resource map, attributes sorted by id, `package` last.
 * gaugeNN's demo and tests use it to build APKs at run time instead of shipping binary blobs.
 */
import { ANDROID_NS, ATTR_ID, CHUNK, NO_INDEX, UTF8_FLAG, VALUE_TYPE } from './axml-format.js';

/** What {@link writeManifest} puts in the manifest. */
export interface ManifestSpec {
  package: string;
  versionCode: number;
  versionName: string;
  minSdk: number;
  targetSdk: number;
  /** Plain-string `android:label` of `<application>`; omitted when absent. */
  label?: string;
}

/** Options of {@link writeManifest}. */
export interface WriteManifestOptions {
  /** String pool encoding. aapt2 writes manifests in UTF-16, the default here; UTF-8 exercises the other reader path. */
  encoding?: 'utf-16' | 'utf-8';
}

type AttrSpec = { id?: number; name: string; type: number; value: string | number };

/**
 * Build a binary AndroidManifest.xml holding `<manifest>` (package, versionCode, versionName),
 * `<uses-sdk>` (min/target SDK) and `<application>` (label, when given).
 *
 * @throws RangeError when a number is not a 32-bit integer or a string is too long for the chosen encoding.
 */
export function writeManifest(meta: ManifestSpec, options: WriteManifestOptions = {}): Buffer {
  for (const k of ['versionCode', 'minSdk', 'targetSdk'] as const) {
    const v = meta[k];
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new RangeError(`${k} must be a 32-bit integer, got ${v}`);
  }
  const elements: { name: string; attrs: AttrSpec[] }[] = [
    {
      name: 'manifest',
      attrs: [
        { id: ATTR_ID.versionCode, name: 'versionCode', type: VALUE_TYPE.INT_DEC, value: meta.versionCode },
        { id: ATTR_ID.versionName, name: 'versionName', type: VALUE_TYPE.STRING, value: meta.versionName },
        { name: 'package', type: VALUE_TYPE.STRING, value: meta.package },
      ],
    },
    {
      name: 'uses-sdk',
      attrs: [
        { id: ATTR_ID.minSdkVersion, name: 'minSdkVersion', type: VALUE_TYPE.INT_DEC, value: meta.minSdk },
        { id: ATTR_ID.targetSdkVersion, name: 'targetSdkVersion', type: VALUE_TYPE.INT_DEC, value: meta.targetSdk },
      ],
    },
    {
      name: 'application',
      attrs: meta.label === undefined ? [] : [{ id: ATTR_ID.label, name: 'label', type: VALUE_TYPE.STRING, value: meta.label }],
    },
  ];
  // Android binary-searches attributes by id, so they must be sorted; id-less ones (package) go last.
  for (const el of elements) el.attrs.sort((a, b) => (a.id ?? Infinity) - (b.id ?? Infinity));

  // The resource map is indexed by string index, so attribute names with ids take the first pool slots.
  const strings = new StringTable();
  const ids: number[] = [];
  for (const a of elements.flatMap((e) => e.attrs).filter((a) => a.id !== undefined).sort((a, b) => a.id! - b.id!)) {
    strings.add(a.name);
    ids.push(a.id!);
  }
  const prefix = strings.add('android');
  const uri = strings.add(ANDROID_NS);

  const body: Buffer[] = [];
  body.push(node(CHUNK.XML_START_NAMESPACE, 1, u32s(prefix, uri)));
  let line = 2;
  for (const el of elements) {
    const name = strings.add(el.name);
    const attrs = el.attrs.map((a) => {
      const isString = a.type === VALUE_TYPE.STRING;
      const raw = isString ? strings.add(String(a.value)) : NO_INDEX;
      const attr = Buffer.alloc(20);
      attr.writeUInt32LE(a.id === undefined ? NO_INDEX : uri, 0);
      attr.writeUInt32LE(strings.add(a.name), 4);
      attr.writeUInt32LE(raw, 8);
      attr.writeUInt16LE(8, 12); // Res_value.size
      attr.writeUInt8(a.type, 15);
      attr.writeUInt32LE(isString ? raw : Number(a.value) >>> 0, 16);
      return attr;
    });
    const ext = Buffer.alloc(20);
    ext.writeUInt32LE(NO_INDEX, 0); // element namespace: none
    ext.writeUInt32LE(name, 4);
    ext.writeUInt16LE(20, 8); // attributeStart, relative to ext
    ext.writeUInt16LE(20, 10); // attributeSize
    ext.writeUInt16LE(attrs.length, 12);
    // idIndex, classIndex, styleIndex stay 0: none.
    body.push(node(CHUNK.XML_START_ELEMENT, line++, Buffer.concat([ext, ...attrs])));
    // <uses-sdk> and <application> are leaves; <manifest> closes after them.
    if (el.name !== 'manifest') body.push(node(CHUNK.XML_END_ELEMENT, line++, u32s(NO_INDEX, name)));
  }
  body.push(node(CHUNK.XML_END_ELEMENT, line++, u32s(NO_INDEX, strings.add('manifest'))));
  body.push(node(CHUNK.XML_END_NAMESPACE, line, u32s(prefix, uri)));

  const pool = strings.encode(options.encoding ?? 'utf-16');
  const resMap = chunk(CHUNK.XML_RESOURCE_MAP, 8, u32s(...ids));
  return chunk(CHUNK.XML, 8, Buffer.concat([pool, resMap, ...body]));
}

/** Strings in insertion order, deduplicated, encoded as a `ResStringPool` chunk. */
class StringTable {
  private readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  add(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }

  encode(encoding: 'utf-16' | 'utf-8'): Buffer {
    const data = this.list.map((s) => (encoding === 'utf-8' ? utf8Entry(s) : utf16Entry(s)));
    const offsets: number[] = [];
    let at = 0;
    for (const d of data) {
      offsets.push(at);
      at += d.length;
    }
    const strings = Buffer.concat([...data, Buffer.alloc((4 - (at % 4)) % 4)]); // chunks stay 4-byte aligned
    const header = Buffer.alloc(20);
    header.writeUInt32LE(this.list.length, 0); // stringCount
    header.writeUInt32LE(0, 4); // styleCount
    header.writeUInt32LE(encoding === 'utf-8' ? UTF8_FLAG : 0, 8);
    header.writeUInt32LE(28 + offsets.length * 4, 12); // stringsStart, from the chunk start
    header.writeUInt32LE(0, 16); // stylesStart: no styles
    return chunk(CHUNK.STRING_POOL, 28, Buffer.concat([header, u32s(...offsets), strings]));
  }
}

/** UTF-16 entry: length in code units (two u16s above 0x7fff), the units, a u16 NUL. */
function utf16Entry(s: string): Buffer {
  const units = Buffer.from(s, 'utf16le');
  const n = s.length;
  if (n > 0x7fffffff) throw new RangeError('string too long for a string pool');
  const len = n > 0x7fff ? u16s(0x8000 | (n >>> 16), n & 0xffff) : u16s(n);
  return Buffer.concat([len, units, Buffer.alloc(2)]);
}

/** UTF-8 entry: UTF-16 length, UTF-8 byte length (one byte each, two above 0x7f), the bytes, a NUL. */
function utf8Entry(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([utf8Len(s.length), utf8Len(bytes.length), bytes, Buffer.alloc(1)]);
}

function utf8Len(n: number): Buffer {
  if (n > 0x7fff) throw new RangeError('string too long for a UTF-8 string pool (32767 units at most)');
  return n > 0x7f ? Buffer.from([0x80 | (n >>> 8), n & 0xff]) : Buffer.from([n]);
}

/** A chunk: type u16, headerSize u16, size u32, then the rest of the header and the body. */
function chunk(type: number, headerSize: number, rest: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16LE(type, 0);
  h.writeUInt16LE(headerSize, 2);
  h.writeUInt32LE(8 + rest.length, 4);
  return Buffer.concat([h, rest]);
}

/** An XML node chunk: 16-byte header (with line number and no comment), then its body. */
function node(type: number, line: number, body: Buffer): Buffer {
  return chunk(type, 16, Buffer.concat([u32s(line, NO_INDEX), body]));
}

function u32s(...v: number[]): Buffer {
  const b = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => b.writeUInt32LE(x >>> 0, i * 4));
  return b;
}

function u16s(...v: number[]): Buffer {
  const b = Buffer.alloc(v.length * 2);
  v.forEach((x, i) => b.writeUInt16LE(x, i * 2));
  return b;
}
