import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { BufferByteSource, FileByteSource } from '../src/archive/byte-source.js';
import { ZipReader, type ZipEntry } from '../src/archive/zip-reader.js';
import { buildZip, generatedData, writeZip } from '../src/archive/zip-writer.js';
import { isGaugeError, type GaugeError, type GaugeErrorCode } from '../src/errors/gauge-error.js';
import { tmp } from './archive-support.js';

async function drain(r: ZipReader, e: ZipEntry): Promise<number> {
  let n = 0;
  for await (const c of r.chunks(e)) n += c.length;
  return n;
}

async function codeOf(p: Promise<unknown>): Promise<GaugeErrorCode | 'no error' | 'not a GaugeError'> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return isGaugeError(e) ? e.code : 'not a GaugeError';
  }
}

const codes = (ps: GaugeError[]) => ps.map((p) => [p.code, p.subject]);

describe('hostile zips: the reader refuses with typed errors and goes on', () => {
  it('refuses path-traversal, absolute and NUL names, keeps the rest', async () => {
    const bad = ['../../x', '/etc/x', 'C:\\x', '\\\\srv\\x', 'a/../../b', 'n\0ul'];
    const zip = await buildZip([...bad.map((name) => ({ name, data: Buffer.from('evil'), method: 'store' as const })), { name: 'ok.txt', data: Buffer.from('fine'), method: 'deflate' }]);
    const r = await ZipReader.open(new BufferByteSource(zip));
    expect(codes(r.problems)).toEqual(bad.map((n) => ['ARCHIVE_PATH_TRAVERSAL', n]));
    expect(r.entries.map((e) => e.name)).toEqual(['ok.txt']);
  });

  it('keeps the first of duplicate names', async () => {
    const zip = await buildZip([
      { name: 'm', data: Buffer.from('first'), method: 'store' },
      { name: 'm', data: Buffer.from('second'), method: 'store' },
    ]);
    const r = await ZipReader.open(new BufferByteSource(zip));
    expect(codes(r.problems)).toEqual([['ARCHIVE_DUPLICATE_ENTRY', 'm']]);
    expect((await r.readHead(r.entries[0], 100)).toString()).toBe('first');
  });

  it('never lists or reads symlinks', async () => {
    const zip = await buildZip([{ name: 'link', data: Buffer.from('/etc/passwd'), method: 'store', unixMode: 0o120777 }, { name: 'file', data: Buffer.from('x'), method: 'store', unixMode: 0o100644 }]);
    const r = await ZipReader.open(new BufferByteSource(zip));
    expect(codes(r.problems)).toEqual([['ARCHIVE_SYMLINK', 'link']]);
    expect(r.entries.map((e) => [e.name, e.unixMode])).toEqual([['file', 0o100644]]);
  });

  it('stops listing past maxEntries', async () => {
    const zip = await buildZip(Array.from({ length: 150 }, (_, i) => ({ name: `e${i}`, data: Buffer.from([i]), method: 'store' as const })));
    const r = await ZipReader.open(new BufferByteSource(zip), { limits: { maxEntries: 100 } });
    expect(r.entries).toHaveLength(100);
    expect(r.problems.map((p) => p.code)).toEqual(['ARCHIVE_TOO_MANY_ENTRIES']);
  });

  it('fails the CRC of a damaged entry at the end of its stream', async () => {
    const zip = await buildZip([{ name: 'bad', data: Buffer.from('some bytes '.repeat(100)), method: 'deflate', crc: 0x12345678 }, { name: 'good', data: Buffer.from('ok'), method: 'store' }]);
    const r = await ZipReader.open(new BufferByteSource(zip));
    expect(await codeOf(drain(r, r.entries[0]))).toBe('ARCHIVE_CRC');
    expect(await codeOf(drain(r, r.entries[1]))).toBe('no error');
  });

  it('refuses unknown compression methods and encryption per entry', async () => {
    const zip = await buildZip([{ name: 'bz', data: Buffer.from('x'), method: 'store' }, { name: 'enc', data: Buffer.from('y'), method: 'store' }, { name: 'ok', data: Buffer.from('z'), method: 'store' }]);
    const cd = (name: string) => zip.lastIndexOf(Buffer.from(name)) - 46;
    zip.writeUInt16LE(12, cd('bz') + 10); // bzip2
    zip.writeUInt16LE(1, cd('enc') + 8); // encrypted flag
    const r = await ZipReader.open(new BufferByteSource(zip));
    expect(await codeOf(drain(r, r.getEntry('bz')!))).toBe('ARCHIVE_UNSUPPORTED');
    expect(await codeOf(drain(r, r.getEntry('enc')!))).toBe('ARCHIVE_UNSUPPORTED');
    expect(await codeOf(drain(r, r.getEntry('ok')!))).toBe('no error');
  });

  it('reports a truncated or garbled archive as ARCHIVE_CORRUPT, at any cut', async () => {
    const zip = await buildZip([{ name: 'a', data: Buffer.alloc(50_000, 3), method: 'deflate' }, { name: 'b', data: Buffer.alloc(20_000, 4), method: 'store' }], { apkSigningBlock: true });
    for (const cut of [0, 3, 10, 100, 1000, zip.length >> 1, zip.length - 30, zip.length - 22, zip.length - 1]) {
      expect(await codeOf(ZipReader.open(new BufferByteSource(zip.subarray(0, cut)))), `cut at ${cut}`).toBe('ARCHIVE_CORRUPT');
    }
    // The end record survives but bytes in the middle are gone: the CD is no longer where it says.
    const holed = Buffer.concat([zip.subarray(0, 1000), zip.subarray(5000)]);
    expect(await codeOf(ZipReader.open(new BufferByteSource(holed)))).toBe('ARCHIVE_CORRUPT');
    // The CD claims to lie beyond the end of the file.
    const far = Buffer.from(zip);
    far.writeUInt32LE(0x7fff0000, far.length - 6);
    expect(await codeOf(ZipReader.open(new BufferByteSource(far)))).toBe('ARCHIVE_CORRUPT');
  });

  it('reports an entry whose data runs past the entry area, and damaged deflate data', async () => {
    const zip = await buildZip([{ name: 'entry-a', data: Buffer.alloc(50_000, 3), method: 'deflate' }, { name: 'entry-b', data: Buffer.from('b'), method: 'store' }]);
    const cdA = zip.lastIndexOf(Buffer.from('entry-a')) - 46;
    const long = Buffer.from(zip);
    long.writeUInt32LE(10_000_000, cdA + 20); // compressed size past the CD
    let r = await ZipReader.open(new BufferByteSource(long));
    expect(await codeOf(drain(r, r.entries[0]))).toBe('ARCHIVE_CORRUPT');
    const garbled = Buffer.from(zip);
    garbled.fill(0xff, 30 + 7 + 5, 30 + 7 + 40); // inside entry a's deflate stream
    r = await ZipReader.open(new BufferByteSource(garbled));
    expect(await codeOf(drain(r, r.entries[0]))).toMatch(/ARCHIVE_CORRUPT|ARCHIVE_CRC/);
    expect(await codeOf(drain(r, r.entries[1]))).toBe('no error');
  });

  describe('zip bombs', () => {
    const zeros = 200_000_000;

    it('refuses 200 MB of deflated zeros (ratio ~1030:1) at the ratio limit, fast', async () => {
      const dir = await tmp('bomb');
      const path = join(dir, 'bomb.zip');
      await writeZip(path, [{ name: 'zeros', data: generatedData(zeros), method: 'deflate' }, { name: 'ok', data: Buffer.from('ok'), method: 'store' }], { level: 9 });
      const src = await FileByteSource.open(path);
      try {
        const r = await ZipReader.open(src);
        const e = r.getEntry('zeros')!;
        expect(e.uncompressedSize / e.compressedSize).toBeGreaterThan(1000);
        expect(await codeOf(drain(r, e))).toBe('ARCHIVE_BOMB');
        // Fast because no work is done: refused on the declared ratio, before inflating a byte.
        // (Speed itself is measured in bench/, not in timed tests.)
        expect(r.budget.used).toBe(0);
        expect(await codeOf(drain(r, r.getEntry('ok')!))).toBe('no error');
      } finally {
        await src.close();
      }
    });

    it('cuts off an entry that lies about its size as soon as it expands past it', async () => {
      const zip = await buildZip([{ name: 'liar', data: Buffer.alloc(20_000_000), method: 'deflate', declaredSize: 5000 }]);
      const r = await ZipReader.open(new BufferByteSource(zip));
      expect(await codeOf(drain(r, r.entries[0]))).toBe('ARCHIVE_BOMB');
      expect(r.budget.used).toBeLessThan(200 * 1024); // a chunk or two, not 20 MB
    });

    it('catches a small entry that lies about its size too (one-shot inflate path)', async () => {
      const zip = await buildZip([{ name: 'small-liar', data: Buffer.alloc(100_000), method: 'deflate', declaredSize: 10 }]);
      const r = await ZipReader.open(new BufferByteSource(zip));
      expect(await codeOf(drain(r, r.entries[0]))).toBe('ARCHIVE_BOMB');
      expect(r.budget.used).toBeLessThanOrEqual(11);
    });

    it('enforces maxEntryBytes and the shared maxTotalBytes budget', async () => {
      const zip = await buildZip(Array.from({ length: 5 }, (_, i) => ({ name: `e${i}`, data: Buffer.alloc(400_000, i + 1), method: 'deflate' as const })));
      let r = await ZipReader.open(new BufferByteSource(zip), { limits: { maxEntryBytes: 300_000 } });
      expect(await codeOf(drain(r, r.entries[0]))).toBe('ARCHIVE_BOMB');
      r = await ZipReader.open(new BufferByteSource(zip), { limits: { maxTotalBytes: 1_000_000 } });
      const results = [];
      for (const e of r.entries) results.push(await codeOf(drain(r, e)));
      expect(results).toEqual(['no error', 'no error', 'ARCHIVE_BOMB', 'ARCHIVE_BOMB', 'ARCHIVE_BOMB']);
    });
  });

  it('lists 10,000 entries with bounded memory', async () => {
    const n = 10_000;
    const zip = await buildZip(Array.from({ length: n }, (_, i) => ({ name: `assets/many/f${i}.txt`, data: Buffer.from(`file ${i}`), method: 'store' as const })));
    const before = process.memoryUsage().heapUsed;
    const r = await ZipReader.open(new BufferByteSource(zip));
    expect(r.entries).toHaveLength(n);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });
});
