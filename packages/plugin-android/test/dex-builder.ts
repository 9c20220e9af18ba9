/**
 * Test-only DEX writer: builds small, well-formed DEX files (header, string/type/proto/field/method ids, class
 * defs, type lists, string data; adler32 checksum and SHA-1 signature filled in) so tests can say exactly what
 * code references what. No bytecode and no map_list: the reader under test does not read them.
 * Types are given as descriptors (`Lcom/x/Y;`, `[I`, `V`).
 */
import { createHash } from 'node:crypto';

export interface DexSpec {
  /** Extra string constants (what `const-string` would load: log messages, URLs). */
  strings?: string[];
  /** Type ids with no other reference (as `const-class` alone would leave). */
  types?: string[];
  methods?: { class: string; name: string; returns?: string; params?: string[] }[];
  fields?: { class: string; name: string; type: string }[];
  classes?: { name: string; superclass?: string; interfaces?: string[] }[];
  bigEndian?: boolean;
  /** Three digits, default `035`. */
  version?: string;
}

const HEADER_SIZE = 0x70;
const NO_INDEX = 0xffffffff;

/** Java name to descriptor: `a.b.C` → `La/b/C;`. */
export function desc(javaName: string): string {
  return `L${javaName.replaceAll('.', '/')};`;
}

export function buildDex(spec: DexSpec): Buffer {
  const methods = spec.methods ?? [];
  const fields = spec.fields ?? [];
  const classes = spec.classes ?? [];
  const protoOf = (m: (typeof methods)[number]) => ({ returns: m.returns ?? 'V', params: m.params ?? [] });
  const shorty = (p: { returns: string; params: string[] }) => [p.returns, ...p.params].map((d) => (d[0] === '[' ? 'L' : d[0])).join('');

  const typeSet = new Set<string>(spec.types ?? []);
  for (const m of methods) {
    typeSet.add(m.class);
    const p = protoOf(m);
    typeSet.add(p.returns);
    p.params.forEach((t) => typeSet.add(t));
  }
  for (const f of fields) typeSet.add(f.class).add(f.type);
  for (const c of classes) {
    typeSet.add(c.name);
    if (c.superclass) typeSet.add(c.superclass);
    c.interfaces?.forEach((t) => typeSet.add(t));
  }
  const protoKeys = new Map<string, { returns: string; params: string[] }>();
  for (const m of methods) {
    const p = protoOf(m);
    protoKeys.set(`${p.returns}(${p.params.join('')})`, p);
  }
  const stringSet = new Set<string>([...(spec.strings ?? []), ...typeSet, ...methods.map((m) => m.name), ...fields.map((f) => f.name)]);
  for (const p of protoKeys.values()) stringSet.add(shorty(p));
  // The format sorts strings by UTF-16 code units, types and the rest by index.
  const strings = [...stringSet].sort(cmpUtf16);
  const sIdx = new Map(strings.map((s, i) => [s, i]));
  const types = [...typeSet].sort((a, b) => sIdx.get(a)! - sIdx.get(b)!);
  const tIdx = new Map(types.map((t, i) => [t, i]));
  const protos = [...protoKeys.values()].sort((a, b) => tIdx.get(a.returns)! - tIdx.get(b.returns)! || cmpLists(a.params.map((t) => tIdx.get(t)!), b.params.map((t) => tIdx.get(t)!)));
  const pIdx = new Map(protos.map((p, i) => [`${p.returns}(${p.params.join('')})`, i]));
  const fieldRows = fields
    .map((f) => [tIdx.get(f.class)!, tIdx.get(f.type)!, sIdx.get(f.name)!] as const)
    .sort((a, b) => a[0] - b[0] || a[2] - b[2] || a[1] - b[1]);
  const methodRows = methods
    .map((m) => {
      const p = protoOf(m);
      return [tIdx.get(m.class)!, pIdx.get(`${p.returns}(${p.params.join('')})`)!, sIdx.get(m.name)!] as const;
    })
    .sort((a, b) => a[0] - b[0] || a[2] - b[2] || a[1] - b[1]);

  // Layout: header, id tables, class defs, then data (type lists, string data).
  const off = { strings: HEADER_SIZE, types: 0, protos: 0, fields: 0, methods: 0, classDefs: 0, data: 0 };
  off.types = off.strings + 4 * strings.length;
  off.protos = off.types + 4 * types.length;
  off.fields = off.protos + 12 * protos.length;
  off.methods = off.fields + 8 * fieldRows.length;
  off.classDefs = off.methods + 8 * methodRows.length;
  off.data = off.classDefs + 32 * classes.length;

  const data: number[] = [];
  const dataAt = () => off.data + data.length;
  const typeList = (list: string[]): number => {
    if (list.length === 0) return 0;
    while (dataAt() % 4) data.push(0);
    const at = dataAt();
    pushU32(data, list.length, spec.bigEndian);
    for (const t of list) pushU16(data, tIdx.get(t)!, spec.bigEndian);
    return at;
  };
  const protoParams = protos.map((p) => typeList(p.params));
  const classInterfaces = classes.map((c) => typeList(c.interfaces ?? []));
  const stringOffs = strings.map((s) => {
    const at = dataAt();
    const units = s.length;
    for (let v = units; ; ) {
      const b = v & 0x7f;
      v >>>= 7;
      if (v) data.push(b | 0x80);
      else {
        data.push(b);
        break;
      }
    }
    data.push(...mutf8(s), 0);
    return at;
  });

  const size = dataAt();
  const buf = Buffer.alloc(size);
  const u32 = (at: number, v: number) => (spec.bigEndian ? buf.writeUInt32BE(v, at) : buf.writeUInt32LE(v, at));
  const u16 = (at: number, v: number) => (spec.bigEndian ? buf.writeUInt16BE(v, at) : buf.writeUInt16LE(v, at));
  buf.write(`dex\n${spec.version ?? '035'}\0`, 0, 'latin1');
  u32(0x20, size);
  u32(0x24, HEADER_SIZE);
  buf.writeUInt32LE(spec.bigEndian ? 0x78563412 : 0x12345678, 0x28);
  const table = (at: number, n: number, o: number) => {
    u32(at, n);
    u32(at + 4, n ? o : 0);
  };
  table(0x38, strings.length, off.strings);
  table(0x40, types.length, off.types);
  table(0x48, protos.length, off.protos);
  table(0x50, fieldRows.length, off.fields);
  table(0x58, methodRows.length, off.methods);
  table(0x60, classes.length, off.classDefs);
  u32(0x68, size - off.data);
  u32(0x6c, off.data);
  stringOffs.forEach((o, i) => u32(off.strings + 4 * i, o));
  types.forEach((t, i) => u32(off.types + 4 * i, sIdx.get(t)!));
  protos.forEach((p, i) => {
    u32(off.protos + 12 * i, sIdx.get(shorty(p))!);
    u32(off.protos + 12 * i + 4, tIdx.get(p.returns)!);
    u32(off.protos + 12 * i + 8, protoParams[i]!);
  });
  fieldRows.forEach(([c, t, n], i) => {
    u16(off.fields + 8 * i, c);
    u16(off.fields + 8 * i + 2, t);
    u32(off.fields + 8 * i + 4, n);
  });
  methodRows.forEach(([c, p, n], i) => {
    u16(off.methods + 8 * i, c);
    u16(off.methods + 8 * i + 2, p);
    u32(off.methods + 8 * i + 4, n);
  });
  classes.forEach((c, i) => {
    const at = off.classDefs + 32 * i;
    u32(at, tIdx.get(c.name)!);
    u32(at + 4, 1); // public
    u32(at + 8, c.superclass ? tIdx.get(c.superclass)! : NO_INDEX);
    u32(at + 12, classInterfaces[i]!);
    u32(at + 16, NO_INDEX); // no source file
  });
  Buffer.from(data).copy(buf, off.data);
  buf.set(createHash('sha1').update(buf.subarray(32)).digest(), 12);
  buf.writeUInt32LE(adler32(buf.subarray(12)), 8);
  return buf;
}

function mutf8(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0 && c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
}

function pushU32(a: number[], v: number, be?: boolean) {
  const b = Buffer.alloc(4);
  if (be) b.writeUInt32BE(v);
  else b.writeUInt32LE(v);
  a.push(...b);
}

function pushU16(a: number[], v: number, be?: boolean) {
  const b = Buffer.alloc(2);
  if (be) b.writeUInt16BE(v);
  else b.writeUInt16LE(v);
  a.push(...b);
}

function cmpUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpLists(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function adler32(b: Uint8Array): number {
  let s1 = 1;
  let s2 = 0;
  for (const x of b) {
    s1 = (s1 + x) % 65521;
    s2 = (s2 + s1) % 65521;
  }
  return ((s2 << 16) | s1) >>> 0;
}

/** A minimal app class so a DEX is not empty: `com.example.app.MainActivity extends android.app.Activity`. */
export const APP_ACTIVITY = { name: desc('com.example.app.MainActivity'), superclass: desc('android.app.Activity') };
