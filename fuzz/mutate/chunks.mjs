/**
 * Android binary XML (AXML) and resource-table mutations: the chunk tree (type u16, header size u16, size u32)
 * is walked, and a chunk's type, header size, size or one of its header words (string counts, offsets, attribute
 * counts) is set to an interesting value; or a string-pool offset is changed.
 */
import { mutateField } from './rand.mjs';

const CONTAINERS = new Set([0x0002, 0x0003, 0x0200]);
const STRING_POOL = 0x0001;
const MAX_CHUNKS = 20_000;

export function analyzeChunks(buf) {
  const chunks = [];
  const visit = (start, end, depth) => {
    let pos = start;
    while (pos + 8 <= end && chunks.length < MAX_CHUNKS) {
      const type = buf.readUInt16LE(pos);
      const headerSize = buf.readUInt16LE(pos + 2);
      const size = buf.readUInt32LE(pos + 4);
      if (size < 8 || headerSize < 8 || headerSize > size || pos + size > end) return;
      chunks.push({ pos, type, headerSize, size });
      if (CONTAINERS.has(type) && depth < 4) visit(pos + headerSize, pos + size, depth + 1);
      pos += size;
    }
  };
  visit(0, buf.length, 0);
  return { chunks };
}

export const chunkMutators = {
  header(b, r, info) {
    if (!info.chunks.length) return b;
    const c = r.pick(info.chunks);
    const [off, bits] = r.pick([[0, 16], [2, 16], [4, 32]]);
    return mutateField(b, r, c.pos + off, bits);
  },
  headerWord(b, r, info) {
    const cs = info.chunks.filter((c) => c.headerSize > 8);
    if (!cs.length) return b;
    const c = r.pick(cs);
    return mutateField(b, r, c.pos + 8 + 4 * r.int((c.headerSize - 8) >>> 2), 32);
  },
  /** A word of the chunk body (attribute records, string offsets, resource ids). */
  bodyWord(b, r, info) {
    const cs = info.chunks.filter((c) => c.size > c.headerSize + 4);
    if (!cs.length) return b;
    const c = r.pick(cs);
    return mutateField(b, r, c.pos + c.headerSize + 4 * r.int((c.size - c.headerSize) >>> 2), r.int(3) ? 32 : 16);
  },
  stringOffset(b, r, info) {
    const pools = info.chunks.filter((c) => c.type === STRING_POOL && c.pos + 12 <= b.length);
    if (!pools.length) return b;
    const p = r.pick(pools);
    const count = b.readUInt32LE(p.pos + 8);
    if (!count) return b;
    return mutateField(b, r, p.pos + p.headerSize + 4 * r.int(Math.min(count, 1 << 20)), 32);
  },
};
