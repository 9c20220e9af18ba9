/**
 * A reader for ELF shared objects (ELF32/ELF64, little or big endian), written for `.so` files from
 * untrusted apps: it reads the header, the section headers, the dynamic symbols (exported and imported
 * names), `DT_NEEDED`/`DT_SONAME`, and where the read-only data lies. It never follows a pointer without a
 * bounds check, and caps every count, so a malformed library costs a typed error, not a crash or a hang.
 */
import { GaugeError } from '@gaugenn/core';
import { ByteReader, ElfBoundsError } from './byte-reader.js';
import { DT, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, SHF, SHN_UNDEF, SHN_XINDEX, SHT, abiOfMachine, isElf } from './elf-format.js';

/** Caps that bound the work one library can cost. */
export const ELF_LIMITS = {
  /** Section headers read (real libraries have a few dozen). */
  maxSections: 65_536,
  /** Dynamic symbols read (a large runtime exports tens of thousands). */
  maxSymbols: 2_000_000,
  /** Dynamic entries read. */
  maxDynamic: 100_000,
  /** Longest name kept; longer mangled names are cut (prefix matching still works). */
  maxNameLength: 4096,
} as const;

/** One section header. */
export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

/** A byte range of the file. */
export interface ElfRange {
  offset: number;
  size: number;
}

/** What gaugeNN reads from an ELF shared object. */
export interface ElfFile {
  bits: 32 | 64;
  littleEndian: boolean;
  /** `e_type` (3 = shared object). */
  type: number;
  /** `e_machine`. */
  machine: number;
  /** Android ABI of the machine (`arm64-v8a`, …), where Android runs it. */
  abi?: string;
  sections: ElfSection[];
  /** `DT_SONAME`, where present. */
  soname?: string;
  /** `DT_NEEDED` libraries, in order. */
  needed: string[];
  /** Dynamic symbols the library defines (exports), in table order. */
  exported: string[];
  /** Dynamic symbols the library needs from others (imports), in table order. */
  imported: string[];
  /**
   * Read-only data: allocated, non-writable, non-executable PROGBITS sections (`.rodata*` and the like),
   * where string literals live. When the file has no section headers, the whole file stands in.
   */
  readOnlyData: ElfRange[];
}

/** Sections that are read-only and allocated but hold no string literals worth searching. */
export const NOT_STRING_DATA = /^\.(eh_frame|eh_frame_hdr|gcc_except_table|note|ARM\.ex|gnu\.hash|hash|gnu\.version|rel|init_array|fini_array)/;

/**
 * Read an ELF shared object.
 * @param path entry path, for error messages.
 * @throws GaugeError `ARCHIVE_CORRUPT` when the file is not ELF or is malformed.
 */
export function readElf(data: Uint8Array, path = 'library'): ElfFile {
  try {
    return parse(data, path);
  } catch (e) {
    if (e instanceof GaugeError) throw e;
    if (e instanceof ElfBoundsError) throw malformed(path, e.message, e);
    throw e;
  }
}

function malformed(path: string, why: string, cause?: unknown): GaugeError {
  return new GaugeError(
    'ARCHIVE_CORRUPT',
    `${path} is a malformed ELF library (${why}); it was reported without a fingerprint and the rest of the app is still scanned.`,
    { subject: path, cause },
  );
}

function parse(data: Uint8Array, path: string): ElfFile {
  if (!isElf(data)) throw malformed(path, 'no ELF magic');
  if (data.length < 52) throw malformed(path, `${data.length} bytes, shorter than an ELF header`);
  const cls = data[4];
  const enc = data[5];
  if (cls !== ELFCLASS32 && cls !== ELFCLASS64) throw malformed(path, `unknown ELF class ${cls}`);
  if (enc !== ELFDATA2LSB && enc !== ELFDATA2MSB) throw malformed(path, `unknown data encoding ${enc}`);
  const is64 = cls === ELFCLASS64;
  const r = new ByteReader(data, enc === ELFDATA2LSB);
  r.need(0, is64 ? 64 : 52, 'ELF header');

  const type = r.u16(16);
  const machine = r.u16(18);
  const shoff = r.word(is64 ? 40 : 32, is64, 'e_shoff');
  const shentsize = r.u16(is64 ? 58 : 46);
  let shnum = r.u16(is64 ? 60 : 48);
  let shstrndx = r.u16(is64 ? 62 : 50);

  const file: ElfFile = {
    bits: is64 ? 64 : 32,
    littleEndian: r.littleEndian,
    type,
    machine,
    abi: abiOfMachine(machine, is64),
    sections: [],
    needed: [],
    exported: [],
    imported: [],
    readOnlyData: [],
  };

  if (shoff === 0) {
    // Section headers are optional for loading; without them there is no table to find symbols by.
    file.readOnlyData = [{ offset: 0, size: data.length }];
    return file;
  }
  const minEnt = is64 ? 64 : 40;
  if (shentsize < minEnt) throw malformed(path, `section header size ${shentsize} is under ${minEnt}`);
  r.need(shoff, shentsize, 'section header 0');
  // Huge section counts and string-table indexes spill into section 0.
  if (shnum === 0) shnum = r.word(shoff + (is64 ? 32 : 20), is64, 'extended section count');
  if (shstrndx === SHN_XINDEX) shstrndx = r.u32(shoff + (is64 ? 40 : 24), 'extended shstrndx');
  if (shnum > ELF_LIMITS.maxSections) throw malformed(path, `${shnum} sections, over the ${ELF_LIMITS.maxSections} limit`);
  r.need(shoff, shnum * shentsize, 'section header table');

  const raw: (ElfSection & { nameOff: number })[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    raw.push(
      is64
        ? { nameOff: r.u32(o), name: '', type: r.u32(o + 4), flags: r.u64(o + 8), offset: r.u64(o + 24), size: r.u64(o + 32), link: r.u32(o + 40), entsize: r.u64(o + 56) }
        : { nameOff: r.u32(o), name: '', type: r.u32(o + 4), flags: r.u32(o + 8), offset: r.u32(o + 16), size: r.u32(o + 20), link: r.u32(o + 24), entsize: r.u32(o + 36) },
    );
  }
  const shstr = shstrndx < raw.length ? raw[shstrndx] : undefined;
  for (const s of raw) {
    if (shstr && shstr.type === SHT.STRTAB) s.name = cString(r, shstr, s.nameOff);
    const { nameOff: _drop, ...section } = s;
    file.sections.push(section);
  }

  const contained = (s: ElfSection): boolean => s.type === SHT.NOBITS || s.size === 0 || (s.offset <= data.length && s.size <= data.length - s.offset);
  const table = (s: ElfSection, what: string): void => {
    if (!contained(s)) throw malformed(path, `${what} section ${JSON.stringify(s.name)} (offset ${s.offset}, size ${s.size}) runs past the end of the file`);
  };

  const dynsym = file.sections.find((s) => s.type === SHT.DYNSYM);
  if (dynsym) {
    table(dynsym, 'dynamic symbol');
    const strtab = linked(file.sections, dynsym, path);
    table(strtab, 'dynamic string');
    const entsize = dynsym.entsize || (is64 ? 24 : 16);
    if (entsize < (is64 ? 24 : 16)) throw malformed(path, `dynamic symbol entry size ${entsize} is too small`);
    const count = Math.floor(dynsym.size / entsize);
    if (count > ELF_LIMITS.maxSymbols) throw malformed(path, `${count} dynamic symbols, over the ${ELF_LIMITS.maxSymbols} limit`);
    for (let i = 1; i < count; i++) {
      const o = dynsym.offset + i * entsize;
      const nameOff = r.u32(o, 'st_name');
      if (nameOff === 0) continue;
      const shndx = r.u16(o + (is64 ? 6 : 14), 'st_shndx');
      const name = cString(r, strtab, nameOff);
      if (!name) continue;
      (shndx === SHN_UNDEF ? file.imported : file.exported).push(name);
    }
  }

  const dynamic = file.sections.find((s) => s.type === SHT.DYNAMIC);
  if (dynamic) {
    table(dynamic, 'dynamic');
    const strtab = linked(file.sections, dynamic, path);
    table(strtab, 'dynamic string');
    const entsize = is64 ? 16 : 8;
    const count = Math.min(Math.floor(dynamic.size / entsize), ELF_LIMITS.maxDynamic);
    for (let i = 0; i < count; i++) {
      const o = dynamic.offset + i * entsize;
      const tag = r.sword(o, is64, 'd_tag');
      if (tag === DT.NULL) break;
      if (tag !== DT.NEEDED && tag !== DT.SONAME) continue;
      const name = cString(r, strtab, r.word(o + entsize / 2, is64, 'd_val'));
      if (tag === DT.NEEDED) file.needed.push(name);
      else file.soname = name;
    }
  }

  for (const s of file.sections) {
    const readOnly = s.type === SHT.PROGBITS && (s.flags & SHF.ALLOC) !== 0 && (s.flags & (SHF.WRITE | SHF.EXECINSTR)) === 0;
    if (!readOnly || s.size === 0 || NOT_STRING_DATA.test(s.name)) continue;
    table(s, 'read-only data');
    file.readOnlyData.push({ offset: s.offset, size: s.size });
  }
  return file;
}

/** The section a symbol or dynamic table names as its string table. */
function linked(sections: ElfSection[], s: ElfSection, path: string): ElfSection {
  const t = sections[s.link];
  if (!t || t.type !== SHT.STRTAB) throw malformed(path, `section ${JSON.stringify(s.name)} links to ${s.link}, which is not a string table`);
  return t;
}

/** A NUL-terminated name inside a string table, cut at the table's end and at the name-length cap. */
function cString(r: ByteReader, strtab: ElfSection, off: number): string {
  if (off >= strtab.size) throw new ElfBoundsError(`name offset ${off} is past its ${strtab.size}-byte string table`);
  const start = strtab.offset + off;
  if (start >= r.length) throw new ElfBoundsError(`name at offset ${start} lies outside the ${r.length}-byte file`);
  const end = Math.min(strtab.offset + strtab.size, start + ELF_LIMITS.maxNameLength, r.length);
  let i = start;
  while (i < end && r.bytes[i] !== 0) i++;
  return Buffer.from(r.bytes.buffer, r.bytes.byteOffset + start, i - start).toString('latin1');
}
