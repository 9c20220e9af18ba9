/**
 * Structure-blind mutations, for every target: byte and bit flips, truncation, insertion, deletion, duplicated
 * slices, and an aligned 32-bit word set to an interesting value. Each takes (buffer copy, rng) and returns bytes.
 */
import { interesting, readUint, writeUint } from './rand.mjs';

export const byteMutators = {
  flipBytes(b, r) {
    for (let i = 1 + r.int(8); i > 0 && b.length; i--) b[r.int(b.length)] = r.int(256);
    return b;
  },
  flipBits(b, r) {
    for (let i = 1 + r.int(4); i > 0 && b.length; i--) b[r.int(b.length)] ^= 1 << r.int(8);
    return b;
  },
  truncate(b, r) {
    return b.subarray(0, r.int(b.length));
  },
  insert(b, r) {
    const at = r.int(b.length + 1);
    const junk = Buffer.from(Array.from({ length: 1 + r.int(16) }, () => r.int(256)));
    return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
  },
  remove(b, r) {
    const at = r.int(b.length);
    return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + r.int(64))]);
  },
  duplicate(b, r) {
    const at = r.int(b.length);
    return Buffer.concat([b.subarray(0, at), b.subarray(at, at + 1 + r.int(64)), b.subarray(at)]);
  },
  word(b, r) {
    if (b.length < 4) return b;
    const pos = r.int(b.length >>> 2) << 2;
    writeUint(b, pos, interesting(r, readUint(b, pos), b.length));
    return b;
  },
};
