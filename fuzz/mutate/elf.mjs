/**
 * ELF mutations: a header field (section header table offset, entry size, count, string table index) or a field
 * of one section header (type, offset, size, link, entry size) is set to an interesting value. 64-bit
 * fields are mutated in their low word, with the high word sometimes set too.
 */
import { mutateField, readUint } from './rand.mjs';

function layout(buf) {
  if (buf.length < 0x34 || buf.readUInt32BE(0) !== 0x7f454c46 || buf[5] !== 1) return undefined;
  const is64 = buf[4] === 2;
  return is64
    ? { header: [[0x20, 32], [0x24, 32], [0x28, 32], [0x2c, 32], [0x36, 16], [0x38, 16], [0x3a, 16], [0x3c, 16], [0x3e, 16]], shoff: readUint(buf, 0x28), shentsize: 64, shnum: readUint(buf, 0x3c, 16),
        section: [[0, 32], [4, 32], [8, 32], [24, 32], [28, 32], [32, 32], [36, 32], [40, 32], [44, 32], [56, 32]] }
    : { header: [[0x1c, 32], [0x20, 32], [0x2e, 16], [0x30, 16], [0x32, 16]], shoff: readUint(buf, 0x20), shentsize: 40, shnum: readUint(buf, 0x30, 16),
        section: [[0, 32], [4, 32], [8, 32], [16, 32], [20, 32], [24, 32], [28, 32], [36, 32]] };
}

export function analyzeElf(buf) {
  return { layout: layout(buf) };
}

export const elfMutators = {
  header(b, r, info) {
    if (!info.layout) return b;
    const [off, bits] = r.pick(info.layout.header);
    return mutateField(b, r, off, bits);
  },
  section(b, r, info) {
    const l = info.layout;
    if (!l || !l.shnum) return b;
    const base = l.shoff + l.shentsize * r.int(l.shnum);
    const [off, bits] = r.pick(l.section);
    mutateField(b, r, base + off, bits);
    // Sometimes the high word of a 64-bit offset or size too: offsets past 4 GiB.
    if (l.shentsize === 64 && (off === 24 || off === 32) && r.int(4) === 0 && base + off + 8 <= b.length) b.writeUInt32LE(r.pick([1, 0x7fffffff, 0xffffffff]), base + off + 4);
    return b;
  },
};
