/**
 * Schema-less flatbuffer mutations (TFLite, and any flatbuffer format): a walk from the root table finds
 * vtable entries, fields that hold offsets, and the length words of vectors; mutations change those in place
 * (the file keeps its size and every other byte), or point one offset at another table to make shared and
 * cyclic references, which a reader must survive.
 */
import { interesting, mutateField, readUint } from './rand.mjs';

const MAX_POSITIONS = 20_000;
const MAX_VECTOR_SCAN = 256;

export function analyzeFlatbuffer(buf) {
  const info = { offsets: [], vtableEntries: [], vectorLengths: [], tables: [] };
  const seen = new Set();
  const len = buf.length;
  const isTable = (t) => {
    if (t < 0 || t + 4 > len || t % 4 !== 0) return false;
    const vt = t - buf.readInt32LE(t);
    if (vt < 0 || vt + 4 > len || vt % 2 !== 0) return false;
    const vtSize = buf.readUInt16LE(vt);
    return vtSize >= 4 && vtSize % 2 === 0 && vtSize <= 4 + 2 * 128 && vt + vtSize <= len;
  };
  const full = () => info.offsets.length + info.vtableEntries.length + info.vectorLengths.length > MAX_POSITIONS;
  const stack = len >= 4 ? [buf.readUInt32LE(0)] : [];
  while (stack.length && !full()) {
    const t = stack.pop();
    if (seen.has(t) || !isTable(t)) continue;
    seen.add(t);
    info.tables.push(t);
    const vt = t - buf.readInt32LE(t);
    const n = (buf.readUInt16LE(vt) - 4) / 2;
    for (let i = 0; i < n; i++) {
      const entry = vt + 4 + 2 * i;
      const fo = buf.readUInt16LE(entry);
      if (fo === 0) continue;
      info.vtableEntries.push(entry);
      const p = t + fo;
      if (p + 4 > len || p % 4 !== 0) continue;
      const v = buf.readUInt32LE(p);
      const target = p + v;
      if (v === 0 || target + 4 > len) continue;
      info.offsets.push(p);
      if (isTable(target)) {
        stack.push(target);
        continue;
      }
      // A vector (or string): its length word, and its elements where they look like offsets to tables.
      const count = buf.readUInt32LE(target);
      if (target + 4 + count > len) continue;
      info.vectorLengths.push(target);
      for (let k = 0; k < Math.min(count, MAX_VECTOR_SCAN); k++) {
        const e = target + 4 + 4 * k;
        if (e + 4 > len) break;
        const et = e + buf.readUInt32LE(e);
        if (isTable(et)) {
          info.offsets.push(e);
          stack.push(et);
        }
      }
    }
  }
  return info;
}

export const flatbufferMutators = {
  offset(b, r, info) {
    return info.offsets.length ? mutateField(b, r, r.pick(info.offsets), 32) : b;
  },
  vtableEntry(b, r, info) {
    return info.vtableEntries.length ? mutateField(b, r, r.pick(info.vtableEntries), 16) : b;
  },
  vectorLength(b, r, info) {
    if (!info.vectorLengths.length) return b;
    const p = r.pick(info.vectorLengths);
    // Mostly small changes (off by a few elements), sometimes an edge value.
    const old = readUint(b, p);
    const v = r.int(2) ? old + r.int(9) - 4 : interesting(r, old, b.length);
    if (p + 4 <= b.length) b.writeUInt32LE(v >>> 0, p);
    return b;
  },
  /** Re-point an offset at another table: shared subtrees, and cycles when the table is an ancestor. */
  retarget(b, r, info) {
    if (!info.offsets.length || !info.tables.length) return b;
    const p = r.pick(info.offsets);
    const t = r.pick(info.tables);
    if (t > p && p + 4 <= b.length) b.writeUInt32LE(t - p, p);
    return b;
  },
};
