import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GaugeError, isGaugeError } from '@gaugenn/core';
import { readElf } from '../src/elf/elf-reader.js';
import { printableStrings } from '../src/elf/elf-strings.js';
import { abiMatches, abiOfMachine, isElf } from '../src/elf/elf-format.js';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { buildElf, shoffField } from './native-elf-builder.js';

const realLib = fixture('android/libtensorflowlite_jni.so');

/** Deterministic PRNG (mulberry32), so fuzz failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readError(data: Uint8Array): unknown {
  try {
    readElf(data, 'lib/arm64-v8a/libbad.so');
    return undefined;
  } catch (e) {
    return e;
  }
}

describe('ELF reader on the real arm64 libtensorflowlite_jni.so', () => {
  it.skipIf(missing(realLib))('reads header, sections, dynamic symbols, DT_NEEDED and DT_SONAME as readelf shows them', () => {
    const data = readFileSync(realLib);
    const elf = readElf(data, 'libtensorflowlite_jni.so');
    // readelf -h -S -d: ELF64 LE, AArch64, 26 sections, soname and four DT_NEEDED.
    expect(elf.bits).toBe(64);
    expect(elf.littleEndian).toBe(true);
    expect(elf.machine).toBe(183);
    expect(elf.abi).toBe('arm64-v8a');
    expect(elf.type).toBe(3);
    expect(elf.sections).toHaveLength(26);
    expect(elf.sections.map((s) => s.name)).toContain('.rodata');
    expect(elf.soname).toBe('libtensorflowlite_jni.so');
    expect(elf.needed).toEqual(['libdl.so', 'libm.so', 'liblog.so', 'libc.so']);
    // nm -D: 103 defined (incl. the version symbol), 149 undefined.
    expect(elf.exported).toHaveLength(103);
    expect(elf.imported).toHaveLength(149);
    expect(elf.exported).toContain('TfLiteInterpreterCreate');
    expect(elf.exported).toContain('Java_org_tensorflow_lite_nnapi_NnApiDelegate_createDelegate');
    expect(elf.imported).toContain('dlopen');
    expect(elf.imported).not.toContain('TfLiteInterpreterCreate');
    // .rodata only (eh_frame and friends are left out).
    expect(elf.readOnlyData).toEqual([{ offset: 0x24e360, size: 0x1bb10 }]);
  });

  it.skipIf(missing(realLib))('finds the printable strings of .rodata as strings(1) does', () => {
    const data = readFileSync(realLib);
    const strings = printableStrings(data, readElf(data).readOnlyData);
    // `strings -n 6` over the .rodata bytes prints 2053 strings.
    expect(strings).toHaveLength(2053);
    expect(strings).toContain('tensorflow/lite/delegates/nnapi/nnapi_delegate.cc');
    expect(strings.every((s) => s.length >= 6)).toBe(true);
    expect(printableStrings(data, readElf(data).readOnlyData, { maxCount: 10 })).toHaveLength(10);
    expect(printableStrings(data, readElf(data).readOnlyData, { minLength: 40 }).every((s) => s.length >= 40)).toBe(true);
  });
});

describe('ELF reader on hand-made libraries (standing for the other ABIs and byte orders)', () => {
  const cases = [
    { bits: 32 as const, littleEndian: true, machine: 40, abi: 'armeabi-v7a' },
    { bits: 32 as const, littleEndian: true, machine: 3, abi: 'x86' },
    { bits: 64 as const, littleEndian: true, machine: 62, abi: 'x86_64' },
    { bits: 32 as const, littleEndian: false, machine: 8, abi: 'mips' },
    { bits: 64 as const, littleEndian: false, machine: 8, abi: 'mips64' },
  ];
  for (const c of cases) {
    it(`ELF${c.bits} ${c.littleEndian ? 'LE' : 'BE'} machine ${c.machine} → ${c.abi}`, () => {
      const data = buildElf({ ...c, exported: ['ncnn_create', '_ZN4ncnn3Net10load_paramEPKc'], imported: ['malloc', 'ANeuralNetworksModel_create'], needed: ['libc.so', 'libneuralnetworks.so'], soname: 'libdemo.so', rodata: ['hello rodata string', 'tiny'] });
      const elf = readElf(data);
      expect(elf.bits).toBe(c.bits);
      expect(elf.littleEndian).toBe(c.littleEndian);
      expect(elf.abi).toBe(c.abi);
      expect(elf.exported).toEqual(['ncnn_create', '_ZN4ncnn3Net10load_paramEPKc']);
      expect(elf.imported).toEqual(['malloc', 'ANeuralNetworksModel_create']);
      expect(elf.needed).toEqual(['libc.so', 'libneuralnetworks.so']);
      expect(elf.soname).toBe('libdemo.so');
      expect(printableStrings(data, elf.readOnlyData)).toEqual(['hello rodata string']);
    });
  }

  it('maps machines to ABIs, and knows armeabi and armeabi-v7a share EM_ARM', () => {
    expect(abiOfMachine(183, true)).toBe('arm64-v8a');
    expect(abiOfMachine(164, false)).toBeUndefined(); // Hexagon DSP code, shipped in lib/ by some apps
    expect(abiMatches('armeabi', 'armeabi-v7a')).toBe(true);
    expect(abiMatches('x86', 'arm64-v8a')).toBe(false);
    expect(isElf(Buffer.from('PK\x03\x04'))).toBe(false);
  });

  it('reads a library without section headers as symbol-less, with the whole file as data', () => {
    const data = buildElf({ bits: 64, machine: 183, exported: ['x_func'] });
    data.writeBigUInt64LE(0n, shoffField(64));
    const elf = readElf(data);
    expect(elf.exported).toEqual([]);
    expect(elf.readOnlyData).toEqual([{ offset: 0, size: data.length }]);
  });
});

describe('ELF reader on malformed libraries', () => {
  const good = (): Buffer => buildElf({ bits: 64, machine: 183, exported: ['TfLiteInterpreterCreate'], needed: ['libc.so'], soname: 'libx.so', rodata: ['some string here'] });
  const shoff = (b: Buffer): number => Number(b.readBigUInt64LE(40));

  const bad: [string, () => Uint8Array][] = [
    ['no ELF magic', () => Buffer.from('not an elf at all, just text')],
    ['a header cut short', () => good().subarray(0, 40)],
    ['an unknown class', () => Object.assign(good(), { 4: 9 })],
    ['an unknown byte order', () => Object.assign(good(), { 5: 7 })],
    ['a section table past the end', () => good().subarray(0, good().length - 10)],
    ['a section offset that overflows 2^53', () => {
      const b = good();
      b.writeBigUInt64LE(0xffffffffffffffffn, shoff(b) + 64 + 24); // .dynsym sh_offset
      return b;
    }],
    ['a symbol table past the end of the file', () => {
      const b = good();
      b.writeBigUInt64LE(BigInt(b.length), shoff(b) + 64 + 24);
      return b;
    }],
    ['a symbol table linked to a non-string section', () => {
      const b = good();
      b.writeUInt32LE(5, shoff(b) + 64 + 40); // .dynsym sh_link → .text
      return b;
    }],
    ['a symbol name offset past its string table', () => {
      const b = good();
      const dynsym = Number(b.readBigUInt64LE(shoff(b) + 64 + 24));
      b.writeUInt32LE(0xfffffff0, dynsym + 24);
      return b;
    }],
    ['a tiny section header size', () => {
      const b = good();
      b.writeUInt16LE(8, 58);
      return b;
    }],
    ['an absurd extended section count', () => {
      const b = good();
      b.writeUInt16LE(0, 60);
      b.writeBigUInt64LE(10n ** 9n, shoff(b) + 32);
      return b;
    }],
  ];
  for (const [what, make] of bad) {
    it(`${what} → ARCHIVE_CORRUPT that says the rest of the app is still scanned`, () => {
      const e = readError(make());
      expect(isGaugeError(e, 'ARCHIVE_CORRUPT')).toBe(true);
      expect((e as GaugeError).message).toMatch(/lib\/arm64-v8a\/libbad\.so is a malformed ELF library \(.+\); .*rest of the app is still scanned/);
      expect((e as GaugeError).subject).toBe('lib/arm64-v8a/libbad.so');
    });
  }

  it('never crashes or hangs on 3000 randomly damaged libraries (typed error or a result)', () => {
    const rand = rng(1234);
    const base = good();
    let errors = 0;
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(base);
      const flips = 1 + Math.floor(rand() * 8);
      for (let f = 0; f < flips; f++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      const cut = rand() < 0.2 ? b.subarray(0, Math.floor(rand() * b.length)) : b;
      const e = readError(cut);
      if (e === undefined) continue;
      errors++;
      expect(isGaugeError(e, 'ARCHIVE_CORRUPT'), String(e)).toBe(true);
    }
    expect(errors).toBeGreaterThan(100);
  });
});
