/**
 * Test-only: writes small but well-formed ELF shared objects (ELF32/ELF64, either byte order) with a dynamic
 * symbol table, `.dynamic` (DT_NEEDED, DT_SONAME) and `.rodata`. They stand for libraries of the ABIs the
 * one real fixture (arm64) does not cover, and for libraries with chosen symbols and strings.
 */

export interface ElfSpec {
  bits: 32 | 64;
  littleEndian?: boolean;
  /** e_machine (183 AArch64, 40 ARM, 3 x86, 62 x86-64, 8 MIPS). */
  machine: number;
  exported?: string[];
  imported?: string[];
  needed?: string[];
  soname?: string;
  rodata?: string[];
}

/** Build the ELF bytes for `spec`. */
export function buildElf(spec: ElfSpec): Buffer {
  const is64 = spec.bits === 64;
  const le = spec.littleEndian ?? true;

  // .dynstr
  const strs: string[] = [];
  const strOff = new Map<string, number>();
  let dynstrLen = 1;
  const str = (s: string): number => {
    if (!strOff.has(s)) {
      strOff.set(s, dynstrLen);
      strs.push(s);
      dynstrLen += Buffer.byteLength(s) + 1;
    }
    return strOff.get(s)!;
  };
  const syms = [...(spec.exported ?? []).map((n) => ({ n, defined: true })), ...(spec.imported ?? []).map((n) => ({ n, defined: false }))];
  for (const s of syms) str(s.n);
  const dyn: [number, number][] = [];
  for (const n of spec.needed ?? []) dyn.push([1, str(n)]);
  if (spec.soname) dyn.push([14, str(spec.soname)]);
  dyn.push([0, 0]);
  const dynstr = Buffer.concat([Buffer.alloc(1), ...strs.map((s) => Buffer.from(s + '\0'))]);

  const symEnt = is64 ? 24 : 16;
  const dynEnt = is64 ? 16 : 8;
  const rodata = Buffer.from((spec.rodata ?? []).map((s) => s + '\0').join(''), 'latin1');
  const shstrNames = ['', '.dynsym', '.dynstr', '.dynamic', '.rodata', '.text', '.shstrtab'];
  const shstrtab = Buffer.from(shstrNames.join('\0') + '\0');
  const nameOff = (i: number): number => shstrNames.slice(0, i).reduce((a, n) => a + n.length + 1, 0);

  const ehsize = is64 ? 64 : 52;
  const align = (n: number): number => (n + 7) & ~7;
  const dynsymOff = align(ehsize);
  const dynsymSize = (syms.length + 1) * symEnt;
  const dynstrOff = dynsymOff + dynsymSize;
  const dynamicOff = align(dynstrOff + dynstr.length);
  const dynamicSize = dyn.length * dynEnt;
  const rodataOff = dynamicOff + dynamicSize;
  const textOff = align(rodataOff + rodata.length);
  const text = Buffer.from([0xc0, 0x03, 0x5f, 0xd6]);
  const shstrOff = textOff + text.length;
  const shoff = align(shstrOff + shstrtab.length);
  const shentsize = is64 ? 64 : 40;
  const total = shoff + shentsize * shstrNames.length;

  const b = Buffer.alloc(total);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u16 = (o: number, v: number): void => dv.setUint16(o, v, le);
  const u32 = (o: number, v: number): void => dv.setUint32(o, v, le);
  const word = (o: number, v: number): void => (is64 ? dv.setBigUint64(o, BigInt(v), le) : dv.setUint32(o, v, le));

  b.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1], 0);
  u16(16, 3); // ET_DYN
  u16(18, spec.machine);
  u32(20, 1);
  if (is64) {
    word(40, shoff);
    u16(52, ehsize);
    u16(58, shentsize);
    u16(60, shstrNames.length);
    u16(62, shstrNames.length - 1);
  } else {
    word(32, shoff);
    u16(40, ehsize);
    u16(46, shentsize);
    u16(48, shstrNames.length);
    u16(50, shstrNames.length - 1);
  }

  syms.forEach((s, i) => {
    const o = dynsymOff + (i + 1) * symEnt;
    u32(o, strOff.get(s.n)!);
    const shndx = s.defined ? 5 : 0; // .text
    if (is64) {
      b[o + 4] = 0x12; // GLOBAL FUNC
      u16(o + 6, shndx);
    } else {
      b[o + 12] = 0x12;
      u16(o + 14, shndx);
    }
  });
  dynstr.copy(b, dynstrOff);
  dyn.forEach(([t, v], i) => {
    const o = dynamicOff + i * dynEnt;
    word(o, t);
    word(o + dynEnt / 2, v);
  });
  rodata.copy(b, rodataOff);
  text.copy(b, textOff);
  shstrtab.copy(b, shstrOff);

  // [name, type, flags, offset, size, link, entsize]
  const sections: [number, number, number, number, number, number][] = [
    [0, 0, 0, 0, 0, 0],
    [11, 0x2, dynsymOff, dynsymSize, 2, symEnt],
    [3, 0x2, dynstrOff, dynstr.length, 0, 0],
    [6, 0x3, dynamicOff, dynamicSize, 2, dynEnt],
    [1, 0x2, rodataOff, rodata.length, 0, 0],
    [1, 0x6, textOff, text.length, 0, 0],
    [3, 0, shstrOff, shstrtab.length, 0, 0],
  ];
  sections.forEach(([type, flags, offset, size, link, entsize], i) => {
    const o = shoff + i * shentsize;
    u32(o, nameOff(i));
    u32(o + 4, type);
    if (is64) {
      word(o + 8, flags);
      word(o + 24, offset);
      word(o + 32, size);
      u32(o + 40, link);
      word(o + 56, entsize);
    } else {
      word(o + 8, flags);
      word(o + 16, offset);
      word(o + 20, size);
      u32(o + 24, link);
      word(o + 36, entsize);
    }
  });
  return b;
}

/** Offsets of header fields a test may want to damage. */
export function shoffField(bits: 32 | 64): number {
  return bits === 64 ? 40 : 32;
}
