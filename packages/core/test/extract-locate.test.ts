import { beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeZip } from '../src/archive/zip-writer.js';
import { extractApp, type ExtractOptions } from '../src/extract/walker.js';
import { WindowLocator, type FoundModel } from '../src/extract/locate-window.js';
import { encryptedSuspect, shannonEntropy } from '../src/extract/encrypted-suspect.js';
import type { AppRef, Scanner, Sniffer } from '../src/extract/types.js';
import { tmp } from './archive-support.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * A toy embeddable format standing in for a framework's locator (plugin-tflite's `locate`): `TOYM` + u32 total
 * length + body. Core must find embedded models without knowing any format, so these tests use this.
 */
function toyModel(len: number, fill: number): Buffer {
  const b = Buffer.alloc(len, fill);
  b.write('TOYM', 0, 'latin1');
  b.writeUInt32LE(len, 4);
  return b;
}
const toyLocator: Sniffer = {
  name: 'toy-locator',
  sniff: ({ head }) => (head.length >= 8 && head.toString('latin1', 0, 4) === 'TOYM' ? { framework: 'toy', kind: 'model' } : undefined),
  locate(data) {
    const out = [];
    const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    for (let p = b.indexOf('TOYM'); p >= 0 && p + 8 <= b.length; p = b.indexOf('TOYM', p + 1)) {
      const len = b.readUInt32LE(p + 4);
      if (len >= 8 && p + len <= b.length) out.push({ offset: p, length: len, hit: { framework: 'toy', kind: 'model' as const } });
    }
    return out;
  },
};

/** Random filler: no `TOYM` in it by chance (checked). */
function noise(n: number): Buffer {
  const b = randomBytes(n);
  for (let p = b.indexOf('TOYM'); p >= 0; p = b.indexOf('TOYM', p)) b[p] = 0;
  return b;
}

describe('WindowLocator: models at offsets in bounded windows', () => {
  const opts = { windowBytes: 64 * 1024, overlapBytes: 16 * 1024, minEntryBytes: 1024, searchLibraries: false };
  async function run(blob: Buffer, chunk: number) {
    const found: { offset: number; sha: string }[] = [];
    const l = new WindowLocator([toyLocator], blob.length, opts, async (m: FoundModel) => void found.push({ offset: m.offset, sha: sha(m.bytes) }), (e) => { throw e; });
    for (let o = 0; o < blob.length; o += chunk) await l.push(blob.subarray(o, o + chunk));
    await l.end();
    return found;
  }

  it('finds every model, including ones straddling window edges, once each, in offset order', async () => {
    const models = [toyModel(5000, 1), toyModel(12_000, 2), toyModel(9000, 3), toyModel(15_000, 4), toyModel(300, 5)];
    const parts: Buffer[] = [];
    const want: { offset: number; sha: string }[] = [];
    let at = 0;
    // Gaps chosen so models cross the 64 KiB window edges and the 48 KiB steps.
    for (const [i, m] of models.entries()) {
      const gap = noise([100, 44_000, 20_000, 37_000, 61_000][i]!);
      parts.push(gap, m);
      at += gap.length;
      want.push({ offset: at, sha: sha(m) });
      at += m.length;
    }
    parts.push(noise(3000));
    const blob = Buffer.concat(parts);
    expect(blob.length).toBeGreaterThan(3 * opts.windowBytes);
    for (const chunk of [1000, 65_536, 7777]) expect(await run(blob, chunk)).toEqual(want);
  });

  it('keeps memory to one window: the buffer never grows past windowBytes', async () => {
    const l = new WindowLocator([toyLocator], 10 * 1024 * 1024, opts, async () => {}, () => {});
    expect((l as unknown as { buf: Buffer }).buf.length).toBe(opts.windowBytes);
  });

  it('ignores located ranges outside the window and reports a throwing locate as a plugin error', async () => {
    const liar: Sniffer = { name: 'liar', sniff: () => undefined, locate: () => [{ offset: 10, length: 1e9, hit: { framework: 'x', kind: 'model' } }, { offset: -1, length: 5, hit: { framework: 'x', kind: 'model' } }] };
    const thrower: Sniffer = { name: 'thrower', sniff: () => undefined, locate: () => { throw new Error('boom'); } };
    const errors: string[] = [];
    const found: number[] = [];
    const n = await WindowLocator.searchAll([liar, thrower], noise(5000), opts, async (m) => void found.push(m.offset), (e) => errors.push(`${e.code} ${e.plugin}`));
    expect([n, found, errors]).toEqual([0, [], ['PLUGIN_HOOK thrower']]);
  });
});

describe('encrypted-model suspects', () => {
  it('flags random bytes named or placed like a model, with the rules that fired', () => {
    const rnd = randomBytes(4096);
    expect(shannonEntropy(rnd)).toBeGreaterThan(7.9);
    const s = encryptedSuspect('assets/face_model.tflite', 2_000_000, rnd);
    expect(s?.reason.split('; ').slice(0, 3)).toEqual(['named like a model, no known magic', 'in a model folder (assets/ or res/raw/)', 'model-like size (2000000 bytes)']);
    expect(s?.reason).toMatch(/high entropy \(7\.9\d bits\/byte\)$/);
    expect(encryptedSuspect('lib/blob.xyz', 50_000, rnd)?.reason).toBeUndefined(); // no rule about place, name or size fired
  });

  it('never flags known formats or low-entropy data', () => {
    const rnd = randomBytes(4096);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), rnd]);
    expect(encryptedSuspect('assets/model.bin', 1_000_000, png)).toBeUndefined();
    expect(encryptedSuspect('assets/model.bin', 1_000_000, Buffer.alloc(4096, 'ab'))).toBeUndefined();
  });
});

describe('extractApp: blobs, folders, suspects and manifests in nested APKs', () => {
  let dir: string;
  let opts: ExtractOptions;
  const m1 = toyModel(30_000, 7);
  const m2 = toyModel(20_000, 8);
  beforeAll(async () => {
    dir = await tmp('locate');
    opts = { sniffers: [toyLocator], scanners: [], modelCacheDir: join(dir, 'cache'), workDir: join(dir, 'work'), locate: { windowBytes: 64 * 1024, overlapBytes: 32 * 1024, minEntryBytes: 1024 } };
  });

  it('reports each model inside an unclaimed blob as entry@offset, caching just its bytes', async () => {
    const gap = noise(12_345);
    const blob = Buffer.concat([gap, m1, noise(100), m2, noise(5)]);
    const apk = join(dir, 'blob.apk');
    await writeZip(apk, [
      { name: 'assets/packed.data', data: blob, method: 'deflate' },
      { name: 'assets/enc_model.bin', data: noise(200_000), method: 'store' },
    ]);
    const x = await extractApp({ id: apk, files: [apk], source: 'files' }, opts);
    expect(x.errors).toEqual([]);
    expect(x.models.map((m) => [m.path, m.offset, m.bytes, m.sha256])).toEqual([
      [`assets/packed.data@${gap.length}`, gap.length, m1.length, sha(m1)],
      [`assets/packed.data@${gap.length + m1.length + 100}`, gap.length + m1.length + 100, m2.length, sha(m2)],
    ]);
    expect(x.models[0]!.files[0]!.entry).toBe('assets/packed.data');
    expect(sha(await readFile(x.models[1]!.files[0]!.path))).toBe(sha(m2));
    // The noise beside it has no model and no magic: a suspect, not a model.
    expect(x.suspectedEncrypted.map((s) => s.path)).toEqual(['assets/enc_model.bin']);
    expect(x.suspectedEncrypted[0]!.reason).toContain('named like a model, no known magic');
  });

  it('splits a blob that starts with a model into its models, and leaves no orphan in the cache', async () => {
    const cache = join(dir, 'cache-split');
    const blob = Buffer.concat([m1, m2]);
    const f = join(dir, 'starts-with-model.data');
    await writeFile(f, blob);
    const x = await extractApp({ id: f, files: [f], source: 'files' }, { ...opts, modelCacheDir: cache });
    expect(x.models.map((m) => [m.path, m.sha256])).toEqual([[`starts-with-model.data@0`, sha(m1)], [`starts-with-model.data@${m1.length}`, sha(m2)]]);
    expect((await readdir(cache)).sort()).toEqual([sha(m1), sha(m2)].sort());
    // A file that is just one model stays one model with its own path.
    const g = join(dir, 'one.bin');
    await writeFile(g, m1);
    const y = await extractApp({ id: g, files: [g], source: 'files' }, { ...opts, modelCacheDir: cache });
    expect(y.models.map((m) => [m.path, m.offset, m.sha256])).toEqual([['one.bin', undefined, sha(m1)]]);
  });

  it('walks a folder app: entries named by their path in the folder, zips inside it nested', async () => {
    const root = join(dir, 'pkg');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'sub', 'a.model'), m2);
    await writeZip(join(root, 'inner.zip'), [{ name: 'm.bin', data: m1, method: 'deflate' }]);
    const app: AppRef = { id: root, root, files: [join(root, 'inner.zip'), join(root, 'sub', 'a.model')], source: 'pkgdir' };
    const x = await extractApp(app, opts);
    expect(x.models.map((m) => m.path)).toEqual(['inner.zip!/m.bin', 'sub/a.model']);
  });

  it('takes app meta from the shallowest manifest; at equal depth the first wins and later ones only fill gaps', async () => {
    // A toy manifest scanner standing in for plugin-android's: `package=<name>;split=<x>` as text.
    const toyManifest: Scanner = {
      name: 'toy-manifest',
      wants: (p) => /(^|\.apk!\/)AndroidManifest\.xml$/.test(p),
      scan: (data, _p, sink) => {
        const kv = Object.fromEntries(data.toString().split(';').map((s) => s.split('=')));
        sink.setMeta(kv.split ? { versionName: kv.versionName } : { package: kv.package, versionName: kv.versionName });
      },
    };
    const inner = (text: string) => ({ name: 'AndroidManifest.xml', data: Buffer.from(text), method: 'deflate' as const });
    const { buildZip } = await import('../src/archive/zip-writer.js');
    const set = join(dir, 'set.apks');
    await writeZip(set, [
      { name: 'splits/config.apk', data: await buildZip([inner('package=evil;split=config;versionName=9')]), method: 'store' },
      { name: 'splits/base.apk', data: await buildZip([inner('package=com.base;versionName=1.0')]), method: 'store' },
      { name: 'splits/other.apk', data: await buildZip([inner('package=com.other;versionName=2.0')]), method: 'store' },
    ]);
    const x = await extractApp({ id: set, files: [set], source: 'files' }, { ...opts, scanners: [toyManifest] });
    expect(x.meta).toEqual({ versionName: '9', package: 'com.base' });
    // An APK's own top-level manifest beats one in an APK it carries, whatever the entry order.
    const apk = join(dir, 'carrier.apk');
    await writeZip(apk, [
      { name: 'assets/plugin.apk', data: await buildZip([inner('package=com.plugin;versionName=5')]), method: 'store' },
      inner('package=com.carrier;versionName=3'),
    ]);
    const y = await extractApp({ id: apk, files: [apk], source: 'files' }, { ...opts, scanners: [toyManifest] });
    expect(y.meta).toEqual({ package: 'com.carrier', versionName: '3' });
  });
});

describe('models inside native libraries', () => {
  // An ELF-headed blob standing for a native library that embeds a model as a byte array.
  const lib = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\0', 'latin1'), noise(100_000), toyModel(20_000, 7), noise(50_000)]);
  // Stands for plugin-android's native-library scanner: it reads every lib/**.so whole.
  const libReader: Scanner = { name: 'lib-reader', wants: (p) => p.startsWith('lib/'), scan: () => {} };
  async function extract(scanners: Scanner[], searchLibraries?: boolean) {
    const dir = await tmp();
    const apk = join(dir, 'a.apk');
    await writeZip(apk, [{ name: 'lib/arm64-v8a/libvision.so', data: lib, method: 'store' }]);
    const opts: ExtractOptions = { sniffers: [toyLocator], scanners, modelCacheDir: join(dir, 'cache'), workDir: join(dir, 'work'), ...(searchLibraries === undefined ? {} : { locate: { searchLibraries } }) };
    return extractApp({ id: apk, files: [apk], source: 'test' }, opts);
  }

  it('are found when a scanner has read the library anyway, without reading it again', async () => {
    const x = await extract([libReader]);
    expect(x.models.map((m) => m.offset)).toEqual([100_008]);
  });

  it('are not searched for by default when nothing else reads the library (no whole read just to search)', async () => {
    const x = await extract([]);
    expect(x.models).toEqual([]);
    expect(x.stats.bytesRead).toBeLessThan(lib.length / 4);
  });

  it('are searched with searchLibraries even when no scanner reads the library', async () => {
    const x = await extract([], true);
    expect(x.models.map((m) => m.offset)).toEqual([100_008]);
  });
});
