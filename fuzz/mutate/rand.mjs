/**
 * The harness's randomness: fast-check draws one 32-bit number per mutation, and a mutator expands it with this
 * small PRNG (mulberry32). So an input is fully given by fast-check's seed and path, and shrinking still works.
 */

/** A PRNG over [0, n) from a 32-bit seed. */
export function rand(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * Math.max(1, n));
  return { next, int, pick: (xs) => xs[int(xs.length)] };
}

/**
 * Values that break readers: edges of each width, off-by-ones around the old value and the buffer length,
 * halves and doubles. `old` is the field's current value, `len` the buffer's length.
 */
export function interesting(r, old, len, bits = 32) {
  const max = bits === 16 ? 0xffff : bits === 8 ? 0xff : 0xffffffff;
  const xs = [0, 1, 2, 3, 4, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
    old + 1, old - 1, old + 4, old - 4, old * 2, old >>> 1, len, len - 1, len + 1, len - old, r.int(len + 1), r.int(max + 1)];
  return (r.pick(xs) >>> 0) & max;
}

/** Write `v` as an unsigned little-endian integer of `bits` at `pos`, when it fits. */
export function writeUint(buf, pos, v, bits = 32) {
  if (pos < 0 || pos + bits / 8 > buf.length) return;
  if (bits === 8) buf[pos] = v & 0xff;
  else if (bits === 16) buf.writeUInt16LE(v & 0xffff, pos);
  else buf.writeUInt32LE(v >>> 0, pos);
}

export function readUint(buf, pos, bits = 32) {
  if (pos < 0 || pos + bits / 8 > buf.length) return 0;
  return bits === 8 ? buf[pos] : bits === 16 ? buf.readUInt16LE(pos) : buf.readUInt32LE(pos);
}

/** Replace the field at `pos` by an interesting value of its width. */
export function mutateField(buf, r, pos, bits) {
  writeUint(buf, pos, interesting(r, readUint(buf, pos, bits), buf.length, bits), bits);
  return buf;
}
