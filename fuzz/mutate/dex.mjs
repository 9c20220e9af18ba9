/**
 * DEX mutations: a header size/offset pair of an id table (strings, types, protos, fields, methods, classes,
 * map, data), or one word of a table entry (a string's data offset, a class's class_data_off, a method's
 * proto index), is set to an interesting value; the file keeps its size.
 */
import { mutateField, readUint } from './rand.mjs';

/** Header words (offsets from the start): file_size, header_size, link, map_off, then size/off pairs. */
const HEADER_WORDS = [0x20, 0x24, 0x2c, 0x30, 0x34, 0x38, 0x3c, 0x40, 0x44, 0x48, 0x4c, 0x50, 0x54, 0x58, 0x5c, 0x60, 0x64, 0x68, 0x6c, 0x70];
/** (size offset, off offset, entry size) of each id table. */
const TABLES = [[0x38, 0x3c, 4], [0x40, 0x44, 4], [0x48, 0x4c, 12], [0x50, 0x54, 8], [0x58, 0x5c, 8], [0x60, 0x64, 32]];

export function analyzeDex(buf) {
  const tables = [];
  if (buf.length < 0x70) return { tables };
  for (const [s, o, size] of TABLES) {
    const count = readUint(buf, s);
    const off = readUint(buf, o);
    if (count && off + count * size <= buf.length) tables.push({ count, off, size });
  }
  const mapOff = readUint(buf, 0x34);
  if (mapOff + 4 <= buf.length) {
    const n = readUint(buf, mapOff);
    if (mapOff + 4 + n * 12 <= buf.length) tables.push({ count: n, off: mapOff + 4, size: 12 });
  }
  return { tables };
}

export const dexMutators = {
  header(b, r) {
    return mutateField(b, r, r.pick(HEADER_WORDS), 32);
  },
  tableEntry(b, r, info) {
    if (!info.tables.length) return b;
    const t = r.pick(info.tables);
    const e = t.off + t.size * r.int(t.count);
    return mutateField(b, r, e + 4 * r.int(t.size >>> 2), t.size === 8 && r.int(2) ? 16 : 32);
  },
};
