/**
 * Reading a library by byte ranges: the ELF header first (a file that is not ELF costs those bytes and no
 * more), then the section header table, then only the sections {@link readElf} looks at: the section names,
 * the dynamic symbols and their strings, the dynamic table, and read-only data. Code (`.text`) and everything
 * else is never read. The fetched ranges are laid into a buffer of the library's size whose other bytes stay
 * zero (fresh zeroed pages, never touched), so the one bounds-checked parser serves both whole and ranged reads.
 */
import type { RangeReader } from '@gaugenn/core';
import { ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, SHF, SHN_XINDEX, SHT, isElf } from './elf-format.js';
import { ELF_LIMITS, NOT_STRING_DATA } from './elf-reader.js';

/** What a ranged read produced: the sparse image (undefined when the header says it is not ELF) and bytes read. */
export interface SparseElf {
  image?: Buffer;
  /** The first bytes, always read. */
  head: Buffer;
  bytesRead: number;
}

/** Bytes read to decide whether a file is ELF: the largest header (ELF64). */
const HEADER_BYTES = 64;

/** Fetch what the parser needs; malformed tables are left for the parser to report. */
export async function readElfRanges(entry: RangeReader): Promise<SparseElf> {
  const head = await entry.read(0, HEADER_BYTES);
  let bytesRead = head.length;
  if (!isElf(head) || head.length < 52) return { head, bytesRead };
  const is64 = head[4] === ELFCLASS64;
  const le = head[5] === ELFDATA2LSB;
  if ((head[4] !== ELFCLASS32 && !is64) || (head[5] !== ELFDATA2MSB && !le)) return { head, bytesRead };
  const image = Buffer.alloc(entry.size);
  head.copy(image, 0);
  const size = entry.size;
  const fetch = async (offset: number, length: number): Promise<Buffer | undefined> => {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= size || length <= 0) return undefined;
    const n = Math.min(length, size - offset);
    const b = await entry.read(offset, n);
    bytesRead += b.length;
    b.copy(image, offset);
    return b;
  };
  const u16 = (b: Buffer, o: number) => (o + 2 <= b.length ? new DataView(b.buffer, b.byteOffset).getUint16(o, le) : 0);
  const u32 = (b: Buffer, o: number) => (o + 4 <= b.length ? new DataView(b.buffer, b.byteOffset).getUint32(o, le) : 0);
  const word = (b: Buffer, o: number) => (is64 ? (o + 8 <= b.length ? Number(new DataView(b.buffer, b.byteOffset).getBigUint64(o, le)) : 0) : u32(b, o));
  const shoff = word(head, is64 ? 40 : 32);
  const shentsize = u16(head, is64 ? 58 : 46);
  let shnum = u16(head, is64 ? 60 : 48);
  let shstrndx = u16(head, is64 ? 62 : 50);
  if (shoff === 0) {
    // No section headers: the parser searches the whole file as read-only data, so it needs all of it.
    await fetch(HEADER_BYTES, size - HEADER_BYTES);
    return { image, head, bytesRead };
  }
  if (shentsize < (is64 ? 64 : 40)) return { image, head, bytesRead };
  const first = await fetch(shoff, shentsize);
  if (!first) return { image, head, bytesRead };
  if (shnum === 0) shnum = word(first, is64 ? 32 : 20);
  if (shstrndx === SHN_XINDEX) shstrndx = u32(first, is64 ? 40 : 24);
  if (shnum > ELF_LIMITS.maxSections || shnum * shentsize > size) return { image, head, bytesRead };
  const table = await fetch(shoff, shnum * shentsize);
  if (!table) return { image, head, bytesRead };
  const sections = Array.from({ length: shnum }, (_, i) => {
    const o = i * shentsize;
    return is64
      ? { nameOff: u32(table, o), type: u32(table, o + 4), flags: word(table, o + 8), offset: word(table, o + 24), size: word(table, o + 32), link: u32(table, o + 40) }
      : { nameOff: u32(table, o), type: u32(table, o + 4), flags: u32(table, o + 8), offset: u32(table, o + 16), size: u32(table, o + 20), link: u32(table, o + 24) };
  });
  const get = async (i: number) => {
    const s = sections[i];
    if (s && s.type !== SHT.NOBITS) await fetch(s.offset, s.size);
    return s;
  };
  const shstr = shstrndx < sections.length ? sections[shstrndx] : undefined;
  if (shstr?.type === SHT.STRTAB) await get(shstrndx);
  const nameOf = (nameOff: number): string => {
    if (!shstr || nameOff >= shstr.size) return '';
    const start = shstr.offset + nameOff;
    let end = start;
    while (end < size && end < start + 256 && image[end] !== 0) end++;
    return image.toString('latin1', start, end);
  };
  for (const [i, s] of sections.entries()) {
    if (s.type === SHT.DYNSYM || s.type === SHT.DYNAMIC) {
      await get(i);
      await get(s.link);
    } else if (s.type === SHT.PROGBITS && (s.flags & SHF.ALLOC) !== 0 && (s.flags & (SHF.WRITE | SHF.EXECINSTR)) === 0 && s.size > 0 && !NOT_STRING_DATA.test(nameOf(s.nameOff))) {
      await get(i);
    }
  }
  return { image, head, bytesRead };
}
