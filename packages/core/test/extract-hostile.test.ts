import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { buildZip, generatedData, writeZip, type ZipStreamEntry, type ZipWriteEntry } from '../src/archive/zip-writer.js';
import { extractApp, type ExtractOptions } from '../src/extract/walker.js';
import type { AppRef, ExtractedApp } from '../src/extract/types.js';
import { missing } from '../../../test-support/fixtures.js';
import { MODEL, tmp, toyTfliteSniffer } from './archive-support.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const app = (file: string): AppRef => ({ id: file, files: [file], source: 'files' });
const errs = (x: ExtractedApp) => x.errors.map((e) => [e.code, e.subject]);

/** Every file under `dir`, relative to it. */
async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (d.isFile() || d.isSymbolicLink()) out.push(relative(dir, join(d.parentPath, d.name)));
  }
  return out.sort();
}

describe.skipIf(missing(MODEL))('hostile apps: typed errors, the walk goes on, nothing escapes', () => {
  let model: Buffer;
  let base: string;
  let opts: ExtractOptions;
  const good: ZipWriteEntry[] = [];

  beforeAll(async () => {
    model = await readFile(MODEL);
    base = await tmp('hostile');
    // Work and cache dirs sit two levels down so `../../x` from either would land inside `base`, where we look.
    await mkdir(join(base, 'a', 'b'), { recursive: true });
    opts = { sniffers: [toyTfliteSniffer], scanners: [], modelCacheDir: join(base, 'a', 'b', 'cache'), workDir: join(base, 'a', 'b', 'work') };
    good.push({ name: 'assets/good.tflite', data: model, method: 'deflate' });
  });

  async function apk(name: string, entries: ZipStreamEntry[]): Promise<string> {
    const p = join(base, 'in', name);
    await mkdir(join(base, 'in'), { recursive: true });
    await writeZip(p, entries, { apkSigningBlock: true });
    return p;
  }

  it('refuses traversal, absolute and NUL names; writes nothing outside the cache and work dirs', async () => {
    const bad = ['../../x', '/etc/x', '../../../../../../../../../tmp/gaugenn-escape-x', 'C:\\x', 'a/../../x', 'x\0.tflite'];
    const p = await apk('traversal.apk', [...bad.map((name) => ({ name, data: model, method: 'store' as const })), ...good]);
    const x = await extractApp(app(p), opts);
    expect(errs(x)).toEqual(bad.map((n) => ['ARCHIVE_PATH_TRAVERSAL', n]));
    expect(x.models.map((m) => m.path)).toEqual(['assets/good.tflite']);
    expect(await tree(base)).toEqual([`a/b/cache/${sha(model)}`, 'in/traversal.apk']);
    expect(existsSync('/etc/x')).toBe(false);
    expect(existsSync('/tmp/gaugenn-escape-x')).toBe(false);
    expect(existsSync(join(process.cwd(), 'x'))).toBe(false);
  });

  it('refuses a 200 MB deflated-zeros bomb at the ratio limit, fast, and finds the model beside it', async () => {
    const p = await apk('bomb.apk', [{ name: 'assets/zeros.bin', data: generatedData(200_000_000), method: 'deflate' }, ...good]);
    const x = await extractApp(app(p), opts);
    expect(errs(x)).toEqual([['ARCHIVE_BOMB', 'assets/zeros.bin']]);
    expect(x.errors[0].message).toMatch(/ratio/);
    expect(x.models.map((m) => m.path)).toEqual(['assets/good.tflite']);
    // Fast because bounded: the bomb cost no inflating; bytes read are the model's (head + cache pass).
    expect(x.stats.bytesRead).toBeLessThan(3 * model.length);
  });

  it('refuses a bomb nested in a zip, and a lying header, while streaming', async () => {
    const inner = await buildZip([{ name: 'liar.tflite', data: Buffer.concat([model, Buffer.alloc(50_000_000)]), method: 'deflate', declaredSize: model.length }]);
    const p = await apk('nested-bomb.apk', [{ name: 'assets/pack.zip', data: inner, method: 'store' }, ...good]);
    const x = await extractApp(app(p), opts);
    // The head passes (it is a model's head); caching it streams past the declared size and is cut off.
    expect(errs(x)).toEqual([['ARCHIVE_BOMB', 'assets/pack.zip!/liar.tflite']]);
    expect(x.models.map((m) => m.path)).toEqual(['assets/good.tflite']);
    expect((await readdir(opts.modelCacheDir)).filter((f) => f.startsWith('.tmp'))).toEqual([]);
  });

  it('reports a truncated APK as ARCHIVE_CORRUPT at any cut, never throwing', async () => {
    const whole = await buildZip([...good, { name: 'classes.dex', data: Buffer.alloc(10_000, 2), method: 'deflate' }], { apkSigningBlock: true });
    for (const cut of [4, 30, 100, 4096, whole.length >> 1, whole.length - 100, whole.length - 22, whole.length - 1]) {
      const p = join(base, 'in', `cut-${cut}.apk`);
      await writeFile(p, whole.subarray(0, cut));
      const x = await extractApp(app(p), opts);
      expect(errs(x), `cut at ${cut}`).toEqual([['ARCHIVE_CORRUPT', p]]);
      expect(x.models).toEqual([]);
    }
  });

  it('reports a bad CRC on the damaged entry only', async () => {
    const p = await apk('crc.apk', [
      { name: 'assets/bad.tflite', data: model, method: 'deflate', crc: 0xdeadbeef },
      { name: 'assets/small.txt', data: Buffer.from('tiny'), method: 'store', crc: 1 },
      ...good,
    ]);
    const x = await extractApp(app(p), opts);
    expect(errs(x)).toEqual([
      ['ARCHIVE_CRC', 'assets/bad.tflite'],
      ['ARCHIVE_CRC', 'assets/small.txt'],
    ]);
    expect(x.models.map((m) => m.path)).toEqual(['assets/good.tflite']);
  });

  it('never reads or follows a symlink entry', async () => {
    const p = await apk('symlink.apk', [{ name: 'assets/link.tflite', data: Buffer.from('/etc/passwd'), method: 'store', unixMode: 0o120777 }, ...good]);
    const x = await extractApp(app(p), opts);
    expect(errs(x)).toEqual([['ARCHIVE_SYMLINK', 'assets/link.tflite']]);
    expect(x.models).toHaveLength(1);
  });

  it('walks 10,000 entries to the end with bounded memory', async () => {
    const entries: ZipWriteEntry[] = Array.from({ length: 10_000 }, (_, i) => ({ name: `assets/many/f${i}.txt`, data: Buffer.from(`file ${i} `.repeat(20)), method: i % 2 ? 'deflate' : 'store' }));
    const p = await apk('many.apk', [...entries, ...good]);
    const before = process.memoryUsage().rss;
    const x = await extractApp(app(p), opts);
    expect(x.errors).toEqual([]);
    expect(x.stats.entries).toBe(10_001);
    expect(x.models).toHaveLength(1);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });

  it('stops listing past maxEntries with a typed error', async () => {
    const p = await apk('too-many.apk', [...good, ...Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x'), method: 'store' as const }))]);
    const x = await extractApp(app(p), { ...opts, limits: { maxEntries: 20 } });
    expect(errs(x)).toEqual([['ARCHIVE_TOO_MANY_ENTRIES', p]]);
    expect(x.stats.entries).toBe(20);
    expect(x.models).toHaveLength(1);
  });

  it('keeps the first of duplicate names', async () => {
    const p = await apk('dup.apk', [...good, { name: 'assets/good.tflite', data: Buffer.from('impostor'), method: 'store' }]);
    const x = await extractApp(app(p), opts);
    expect(errs(x)).toEqual([['ARCHIVE_DUPLICATE_ENTRY', 'assets/good.tflite']]);
    expect(x.models.map((m) => m.sha256)).toEqual([sha(model)]);
  });

  it('does not open archives nested deeper than maxDepth', async () => {
    // level k holds m.tflite and n.zip (level k+1); alternate stored and deflated nesting.
    let zip = await buildZip([{ name: 'm.tflite', data: model, method: 'deflate' }]);
    for (let k = 0; k < 4; k++) {
      zip = await buildZip([{ name: 'm.tflite', data: model, method: 'store' }, { name: 'n.zip', data: zip, method: k % 2 ? 'store' : 'deflate' }]);
    }
    const p = join(base, 'in', 'deep.apk');
    await writeFile(p, zip);
    const x = await extractApp(app(p), { ...opts, limits: { maxDepth: 2 } });
    expect(errs(x)).toEqual([['ARCHIVE_NESTING', 'n.zip!/n.zip!/n.zip']]);
    expect(x.models.map((m) => m.path)).toEqual(['m.tflite', 'n.zip!/m.tflite', 'n.zip!/n.zip!/m.tflite']);
    const all = await extractApp(app(p), opts); // default maxDepth 4 reaches the bottom
    expect(all.errors).toEqual([]);
    expect(all.models).toHaveLength(5);
    expect(all.models[4].path).toBe('n.zip!/n.zip!/n.zip!/n.zip!/m.tflite');
  });

  it('refuses an unsupported method per entry and a throwing sniffer per entry', async () => {
    const zip = await buildZip([{ name: 'assets/bz.tflite', data: model, method: 'store' }, ...good]);
    zip.writeUInt16LE(12, zip.lastIndexOf(Buffer.from('assets/bz.tflite')) - 46 + 10);
    const p = join(base, 'in', 'method.apk');
    await writeFile(p, zip);
    const angry = { name: 'angry', sniff: ({ path }: { path: string }) => { if (path.endsWith('good.tflite')) throw new Error('sniffer bug'); return undefined; } };
    const x = await extractApp(app(p), { ...opts, sniffers: [angry, toyTfliteSniffer] });
    expect(x.errors.map((e) => [e.code, e.subject, e.plugin])).toEqual([
      ['ARCHIVE_UNSUPPORTED', 'assets/bz.tflite', undefined],
      ['PLUGIN_HOOK', 'assets/good.tflite', 'angry'],
    ]);
    expect(x.models).toHaveLength(1); // the next sniffer still saw it
  });

  it('left no temp files in the work dir after all of the above', async () => {
    expect(await readdir(opts.workDir)).toEqual([]);
    expect((await readdir(opts.modelCacheDir)).filter((f) => !/^[0-9a-f]{64}$/.test(f))).toEqual([]);
  });
});
