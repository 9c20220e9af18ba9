/**
 * Zip header mutations: every local header, central directory header and end record (of nested, stored
 * archives too, since their headers lie in the outer bytes) is found by signature, and one field is set to an
 * interesting value: sizes, offsets, counts, name and extra lengths, method, CRC, flags, Unix mode (symlinks);
 * or an entry name is made to climb (`../`) or to be absolute.
 */
import { mutateField } from './rand.mjs';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const END64 = 0x06064b50;
const LOCATOR64 = 0x07064b50;

/** Field offsets and widths (bits) inside each record. */
const FIELDS = {
  [LOCAL]: [[4, 16], [6, 16], [8, 16], [14, 32], [18, 32], [22, 32], [26, 16], [28, 16]],
  [CENTRAL]: [[6, 16], [8, 16], [10, 16], [16, 32], [20, 32], [24, 32], [28, 16], [30, 16], [32, 16], [34, 16], [38, 32], [42, 32]],
  [END]: [[4, 16], [6, 16], [8, 16], [10, 16], [12, 32], [16, 32], [20, 16]],
  [END64]: [[4, 32], [24, 32], [32, 32], [40, 32], [48, 32]],
  [LOCATOR64]: [[8, 32], [16, 32]],
};
const MAX_RECORDS = 20_000;

export function analyzeZip(buf) {
  const records = [];
  let pos = buf.indexOf('PK');
  while (pos >= 0 && pos + 4 <= buf.length && records.length < MAX_RECORDS) {
    const sig = buf.readUInt32LE(pos);
    if (FIELDS[sig]) records.push({ pos, sig });
    pos = buf.indexOf('PK', pos + 1);
  }
  return { records };
}

export const zipMutators = {
  field(b, r, info) {
    if (!info.records.length) return b;
    const rec = r.pick(info.records);
    const [off, bits] = r.pick(FIELDS[rec.sig]);
    return mutateField(b, r, rec.pos + off, bits);
  },
  /** A central entry's Unix mode set to a symlink or a device, or its "is a directory" bit. */
  mode(b, r, info) {
    const cds = info.records.filter((x) => x.sig === CENTRAL);
    if (!cds.length) return b;
    const p = r.pick(cds).pos + 38;
    if (p + 4 <= b.length) b.writeUInt32LE(r.pick([0xa1ff0000, 0x41ed0010, 0x21800000, 0x11800000, 0x81a40000]) >>> 0, p);
    return b;
  },
  /** An entry name that escapes the root: `../`, `/`, `..\`, a NUL, in place (same length). */
  name(b, r, info) {
    const recs = info.records.filter((x) => x.sig === CENTRAL || x.sig === LOCAL);
    if (!recs.length) return b;
    const rec = r.pick(recs);
    const [lenOff, nameOff] = rec.sig === CENTRAL ? [28, 46] : [26, 30];
    if (rec.pos + nameOff >= b.length) return b;
    const n = b.readUInt16LE(rec.pos + lenOff);
    const evil = Buffer.from(r.pick(['../', '/', '..\\', 'a/../../', '\0', 'C:/', './', '//']), 'latin1');
    evil.copy(b, rec.pos + nameOff, 0, Math.min(evil.length, n, b.length - rec.pos - nameOff));
    return b;
  },
  /** Two central entries with the same name, or a central directory read twice. */
  duplicateRecord(b, r, info) {
    const cds = info.records.filter((x) => x.sig === CENTRAL);
    if (!cds.length) return b;
    const rec = r.pick(cds);
    if (rec.pos + 46 > b.length) return b;
    const size = 46 + b.readUInt16LE(rec.pos + 28) + b.readUInt16LE(rec.pos + 30) + b.readUInt16LE(rec.pos + 32);
    return Buffer.concat([b.subarray(0, rec.pos), b.subarray(rec.pos, rec.pos + size), b.subarray(rec.pos)]);
  },
};
