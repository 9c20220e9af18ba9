/**
 * ELF facts the reader needs (System V gABI): magic, header layouts, section and symbol constants, and the
 * Android ABI each machine stands for.
 */

/** `\x7fELF` */
export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;

export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;

/** Section types. */
export const SHT = { NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, NOBITS: 8, DYNAMIC: 6, DYNSYM: 11 } as const;
/** Section flags. */
export const SHF = { WRITE: 0x1, ALLOC: 0x2, EXECINSTR: 0x4 } as const;
/** Program header types. */
export const PT_DYNAMIC = 2;
/** Dynamic tags. */
export const DT = { NULL: 0, NEEDED: 1, SONAME: 14 } as const;
/** Section index of an undefined (imported) symbol. */
export const SHN_UNDEF = 0;
/** `e_shstrndx` escape: the real index is in section 0's `sh_link`. */
export const SHN_XINDEX = 0xffff;

/** e_machine values Android ships, and the ABI directory name each stands for. */
export const MACHINE_ABI: Readonly<Record<number, { abi: string; abi64?: string }>> = {
  3: { abi: 'x86' }, // EM_386
  8: { abi: 'mips', abi64: 'mips64' }, // EM_MIPS
  40: { abi: 'armeabi-v7a' }, // EM_ARM (armeabi too: the machine alone cannot tell them apart)
  62: { abi: 'x86_64' }, // EM_X86_64
  183: { abi: 'arm64-v8a' }, // EM_AARCH64
  243: { abi: 'riscv64' }, // EM_RISCV
};

/** The Android ABI for an ELF machine and class, or undefined for machines Android does not run. */
export function abiOfMachine(machine: number, is64: boolean): string | undefined {
  const m = MACHINE_ABI[machine];
  if (!m) return undefined;
  return is64 && m.abi64 ? m.abi64 : m.abi;
}

/**
 * True when a `lib/<abi>/` directory name agrees with the ABI the ELF header states. `armeabi` and
 * `armeabi-v7a` are both EM_ARM: the header cannot tell them apart.
 */
export function abiMatches(dirAbi: string, elfAbi: string): boolean {
  if (dirAbi === elfAbi) return true;
  return elfAbi === 'armeabi-v7a' && dirAbi === 'armeabi';
}

/** True when the bytes start with the ELF magic. */
export function isElf(head: Uint8Array): boolean {
  return head.length >= 4 && ELF_MAGIC.every((b, i) => head[i] === b);
}
