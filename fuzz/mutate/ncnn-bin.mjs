/**
 * ncnn .bin mutations: each weight blob may start with a 4-byte storage tag (0 = float32, 0x01306B47 = fp16,
 * 0x000D4B38 = int8, 0x0002C056 = float32 with a size). Tags found are swapped for another tag, so the reader
 * takes a different layout path over the same bytes.
 */
const TAGS = [0x00000000, 0x01306b47, 0x000d4b38, 0x0002c056, 0x00000001, 0xffffffff];

export function analyzeNcnnBin(buf) {
  const tags = [];
  for (let p = 0; p + 4 <= buf.length && tags.length < 10_000; p += 4) {
    const v = buf.readUInt32LE(p);
    if (v === 0x01306b47 || v === 0x000d4b38 || v === 0x0002c056) tags.push(p);
  }
  return { tags };
}

export const ncnnBinMutators = {
  tag(b, r, info) {
    const p = info.tags.length && r.int(3) ? r.pick(info.tags) : r.int(Math.max(1, b.length >>> 2)) << 2;
    if (p + 4 <= b.length) b.writeUInt32LE(r.pick(TAGS) >>> 0, p);
    return b;
  },
};
