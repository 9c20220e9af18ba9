import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { BufferByteSource, FileByteSource, SubByteSource } from '../src/archive/byte-source.js';
import { decodeCp437, unsafeEntryName } from '../src/archive/entry-name.js';
import { ZipReader, type ZipEntry } from '../src/archive/zip-reader.js';
import { buildZip, generatedData, writeZip, type ZipWriteEntry } from '../src/archive/zip-writer.js';
import { missing, packageDir } from '../../../test-support/fixtures.js';
import { tmp } from './archive-support.js';

async function readAll(r: ZipReader, e: ZipEntry): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r.openEntry(e)) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

const text = Buffer.from('hello, zip '.repeat(1000));
const noise = randomBytes(300_000);
const sample: ZipWriteEntry[] = [
  { name: 'a.txt', data: text, method: 'deflate' },
  { name: 'dir/b.bin', data: noise, method: 'store' },
  { name: 'dir/empty', data: Buffer.alloc(0), method: 'deflate' },
  { name: 'dir/empty-stored', data: Buffer.alloc(0), method: 'store' },
  { name: 'ünïcödé/名前.txt', data: Buffer.from('utf8 name'), method: 'deflate' },
];

describe('zip round trips (writer → reader)', () => {
  const variants: [string, Parameters<typeof buildZip>[1]][] = [
    ['plain', {}],
    ['ZIP64', { zip64: true }],
    ['APK Signing Block', { apkSigningBlock: true }],
    ['ZIP64 + APK Signing Block + comment', { zip64: true, apkSigningBlock: true, comment: 'PK\x05\x06 not an end record' }],
  ];
  for (const [label, opts] of variants) {
    it(`reads back every entry byte for byte: ${label}`, async () => {
      const zip = await buildZip(sample, opts);
      const r = await ZipReader.open(new BufferByteSource(zip));
      expect(r.problems).toEqual([]);
      expect(r.entries.map((e) => e.name)).toEqual(sample.map((e) => e.name));
      expect(r.zip64).toBe(opts?.zip64 === true);
      if (opts?.apkSigningBlock) {
        expect(r.apkSigningBlock).toBeDefined();
        expect(zip.subarray(r.cdOffset - 16, r.cdOffset).toString('latin1')).toBe('APK Sig Block 42');
        // The CD is not right after the last entry: offsets must come from the directory.
        expect(r.apkSigningBlock!.offset + r.apkSigningBlock!.size).toBe(r.cdOffset);
      } else expect(r.apkSigningBlock).toBeUndefined();
      for (const [i, e] of r.entries.entries()) {
        expect(e.method).toBe(sample[i].method === 'store' ? 0 : 8);
        expect(e.uncompressedSize).toBe(sample[i].data.length);
        expect((await readAll(r, e)).equals(sample[i].data)).toBe(true);
      }
    });
  }

  it('reads the head only as far as asked', async () => {
    const r = await ZipReader.open(new BufferByteSource(await buildZip(sample)));
    const head = await r.readHead(r.entries[0], 5);
    expect(head.toString()).toBe('hello');
    expect(r.budget.used).toBeLessThan(200 * 1024); // one inflate chunk or so, not the whole entry
  });

  it('tolerates data before the first local header (self-extractor stubs)', async () => {
    const zip = Buffer.concat([Buffer.alloc(777, 0x41), await buildZip(sample)]);
    const r = await ZipReader.open(new BufferByteSource(zip));
    expect(r.prefixBytes).toBe(777);
    expect((await readAll(r, r.entries[1])).equals(noise)).toBe(true);
  });

  it('reads a STORED zip inside a zip in place, through a sub-range source', async () => {
    const inner = await buildZip(sample);
    const outer = await buildZip([{ name: 'x', data: Buffer.from('x'), method: 'store' }, { name: 'in.zip', data: inner, method: 'store' }], { apkSigningBlock: true });
    const r = await ZipReader.open(new BufferByteSource(outer));
    const range = await r.dataRange(r.getEntry('in.zip')!);
    const nested = await ZipReader.open(new SubByteSource(r.source, range.offset, range.length));
    expect((await readAll(nested, nested.getEntry('dir/b.bin')!)).equals(noise)).toBe(true);
  });

  it('decodes names without the UTF-8 flag as UTF-8 when valid, else CP437', async () => {
    const zip = await buildZip([{ name: 'cafX.txt', data: Buffer.from('x'), method: 'store' }]);
    for (let i = zip.indexOf('cafX'); i >= 0; i = zip.indexOf('cafX', i + 1)) zip[i + 3] = 0x82; // CP437 'é', invalid UTF-8
    const r = await ZipReader.open(new BufferByteSource(zip));
    expect(r.entries[0].name).toBe('café.txt');
    expect(decodeCp437(Buffer.from([0x41, 0x82, 0xe1]))).toBe('Aéß');
  });

  it('lists by the directory size, not a wrapped 16-bit entry count', async () => {
    const zip = await buildZip(sample);
    zip.writeUInt16LE(1, zip.length - 14); // as if 65,536 + 1 entries had been written without ZIP64
    zip.writeUInt16LE(1, zip.length - 12);
    const r = await ZipReader.open(new BufferByteSource(zip));
    expect(r.entries.map((e) => e.name)).toEqual(sample.map((e) => e.name));
    expect(r.problems).toEqual([]);
  });

  it('reads an empty archive', async () => {
    const r = await ZipReader.open(new BufferByteSource(await buildZip([])));
    expect(r.entries).toEqual([]);
  });

  it('streams a big generated entry to disk and back without holding it (writer streaming variant)', async () => {
    const dir = await tmp('zip-stream');
    const path = join(dir, 'big.zip');
    const total = 48 * 1024 * 1024 + 123;
    const fill = (c: Buffer, off: number) => {
      for (let i = 0; i < c.length; i += 4096) c.writeUInt32LE((off + i) >>> 0, i);
    };
    const expected = createHash('sha256');
    for (const c of generatedData(total, fill)) expected.update(c);
    await writeZip(path, [
      { name: 'big.bin', data: generatedData(total, fill), method: 'deflate' },
      { name: 'big-stored.bin', data: generatedData(total, fill), method: 'store' },
    ]);
    const r = await ZipReader.openFile(path);
    try {
      for (const e of r.entries) {
        const h = createHash('sha256');
        let n = 0;
        for await (const c of r.chunks(e)) {
          h.update(c);
          n += c.length;
        }
        expect(n).toBe(total);
        expect(h.digest('hex')).toBe(expected.copy().digest('hex'));
      }
    } finally {
      await r.close();
    }
    expect((await stat(path)).size).toBeGreaterThan(total);
  });
});

describe('entry-name safety', () => {
  it.each([['../../x'], ['/etc/x'], ['C:\\x'], ['c:x'], ['\\\\server\\x'], ['a/../../b'], ['a\\..\\b'], ['a\0b'], ['']])('refuses %j', (name) => {
    expect(unsafeEntryName(name)).toBeDefined();
  });
  it.each([['a/b.tflite'], ['..a/b'], ['a..b'], ['assets/packs/a.zip']])('accepts %j', (name) => {
    expect(unsafeEntryName(name)).toBeUndefined();
  });
});

describe('real signed APKs from node_modules', () => {
  const settings = packageDir('io.appium.settings');
  const uia = packageDir('appium-uiautomator2-server');
  const apks = [
    ...(settings ? [join(settings, 'apks/settings_apk-debug.apk')] : ['io.appium.settings/apks/settings_apk-debug.apk']),
    ...(uia ? readdirSync(join(uia, 'apks')).filter((f) => f.endsWith('.apk')).map((f) => join(uia, 'apks', f)) : ['appium-uiautomator2-server/apks']),
  ];
  for (const apk of apks) {
    it.skipIf(missing(apk))(`lists and CRC-checks every entry of ${apk.split('/').pop()}`, async () => {
      const r = await ZipReader.openFile(apk);
      try {
        expect(r.problems).toEqual([]);
        expect(r.entries.length).toBe(r.declaredEntries);
        // v2-signed: the signing block sits between the last entry and the central directory.
        expect(r.apkSigningBlock).toBeDefined();
        const names = r.entries.map((e) => e.name);
        expect(names).toContain('AndroidManifest.xml');
        expect(names.some((n) => /^classes\d*\.dex$/.test(n))).toBe(true);
        let bytes = 0;
        for (const e of r.entries) {
          let n = 0;
          for await (const c of r.chunks(e)) n += c.length; // CRC-32 is verified at the end of each stream
          expect(n).toBe(e.uncompressedSize);
          bytes += n;
        }
        const dex = await r.readHead(r.getEntry('classes.dex')!, 8);
        expect(dex.subarray(0, 4).toString('latin1')).toBe('dex\n');
        expect(bytes).toBeGreaterThan(0);
      } finally {
        await r.close();
      }
    });
  }

  it.skipIf(missing(apks[0]))('agrees with zlib on a deflated entry of a real APK', async () => {
    const src = await FileByteSource.open(apks[0]);
    const r = await ZipReader.open(src);
    try {
      const e = r.entries.find((x) => x.method === 8 && x.compressedSize > 1000)!;
      const { offset, length } = await r.dataRange(e);
      const raw = (await readFile(apks[0])).subarray(offset, offset + length);
      expect((await readAll(r, e)).equals(zlib.inflateRawSync(raw))).toBe(true);
    } finally {
      await src.close();
    }
  });
});
