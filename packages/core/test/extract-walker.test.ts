import { beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { buildZip, writeZip } from '../src/archive/zip-writer.js';
import { extractApp, type ExtractOptions } from '../src/extract/walker.js';
import type { AppRef, Scanner } from '../src/extract/types.js';
import { missing, packageDir } from '../../../test-support/fixtures.js';
import { MODEL, tmp, toyPairSniffer, toyTfliteSniffer } from './archive-support.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const app = (...files: string[]): AppRef => ({ id: files[0], files, source: 'files' });

async function setup(tag: string): Promise<{ dir: string; opts: ExtractOptions }> {
  const dir = await tmp(tag);
  return { dir, opts: { sniffers: [toyTfliteSniffer], scanners: [], modelCacheDir: join(dir, 'cache'), workDir: join(dir, 'work') } };
}

describe.skipIf(missing(MODEL))('extractApp over an APK built at test time', () => {
  let model: Buffer;
  let apk: string;
  let dir: string;
  let opts: ExtractOptions;

  beforeAll(async () => {
    model = await readFile(MODEL);
    ({ dir, opts } = await setup('walker'));
    const inner = (method: 'store' | 'deflate') =>
      buildZip([
        { name: 'readme.txt', data: Buffer.from('pack'), method: 'deflate' },
        { name: 'm.tflite', data: model, method },
      ]);
    apk = join(dir, 'app.apk');
    await writeZip(
      apk,
      [
        { name: 'AndroidManifest.xml', data: Buffer.from('not really a manifest'), method: 'deflate' },
        { name: 'classes.dex', data: Buffer.concat([Buffer.from('dex\n035\0'), Buffer.alloc(5000, 1)]), method: 'deflate' },
        { name: 'assets/stored.tflite', data: model, method: 'store' },
        { name: 'assets/deflated.tflite', data: model, method: 'deflate' },
        { name: 'assets/labels.jpg', data: model, method: 'deflate' }, // a model under a misleading extension
        { name: 'assets/packs/a.zip', data: await inner('deflate'), method: 'store' }, // read in place
        { name: 'assets/packs/b.zip', data: await inner('store'), method: 'deflate' }, // inflated to workDir
        { name: 'res/raw/', data: Buffer.alloc(0), method: 'store' },
      ],
      { apkSigningBlock: true },
    );
  });

  it('finds the model stored, deflated, misnamed and inside stored and deflated nested zips', async () => {
    const x = await extractApp(app(apk), opts);
    expect(x.errors).toEqual([]);
    expect(x.models.map((m) => m.path)).toEqual([
      'assets/stored.tflite',
      'assets/deflated.tflite',
      'assets/labels.jpg',
      'assets/packs/a.zip!/m.tflite',
      'assets/packs/b.zip!/m.tflite',
    ]);
    const want = sha(model);
    for (const m of x.models) {
      expect(m).toMatchObject({ framework: 'tflite', sha256: want, bytes: model.length });
      expect(m.files).toEqual([{ path: join(opts.modelCacheDir, want), entry: m.path, sha256: want, bytes: model.length, role: 'model' }]);
    }
    expect(x.frameworks).toEqual(['tflite']);
    expect(x.stats.archives).toBe(3);
    expect(x.stats.entries).toBe(7 + 4);
    expect(x.stats.bytesRead).toBeGreaterThan(5 * model.length);
    // Content-addressed: five occurrences, one blob; no temp files left behind.
    expect(await readdir(opts.modelCacheDir)).toEqual([want]);
    expect(sha(await readFile(join(opts.modelCacheDir, want)))).toBe(want);
    expect(await readdir(opts.workDir)).toEqual([]);
  });

  it('runs scanners on the entries they want; a throwing scanner is an error, the walk goes on', async () => {
    const seen: string[] = [];
    const dexScanner: Scanner = {
      name: 'toy-dex',
      wants: (p) => /(^|!\/)classes\d*\.dex$/.test(p),
      scan: (data, path, sink) => {
        seen.push(path);
        expect(data.subarray(0, 4).toString('latin1')).toBe('dex\n');
        sink.addFinding({ id: 'toy.Interpreter', kind: 'framework', evidence: 'Lorg/toy/Interpreter;', path, framework: 'toyfw' });
        sink.addFinding({ id: 'cloud.toy', kind: 'cloud', evidence: 'Lcom/toy/Cloud;', path });
        sink.setMeta({ package: 'org.example.app' });
      },
    };
    const broken: Scanner = { name: 'broken', wants: (p) => p === 'AndroidManifest.xml', scan: () => { throw new Error('boom'); } };
    const tiny: Scanner = { name: 'tiny', wants: (p) => p === 'classes.dex', maxBytes: 10, scan: () => { throw new Error('must not be called'); } };
    const x = await extractApp(app(apk), { ...opts, scanners: [dexScanner, broken, tiny] });
    expect(seen).toEqual(['classes.dex']);
    expect(x.codeFindings.map((f) => f.id)).toEqual(['toy.Interpreter']);
    expect(x.cloudApis.map((f) => f.id)).toEqual(['cloud.toy']);
    expect(x.meta.package).toBe('org.example.app');
    expect(x.frameworks).toEqual(['tflite', 'toyfw']);
    expect(x.errors).toEqual([expect.objectContaining({ code: 'PLUGIN_HOOK', plugin: 'broken', hook: 'scan', subject: 'AndroidManifest.xml', message: 'boom' })]);
    expect(x.notes).toEqual([expect.objectContaining({ subject: 'classes.dex', message: expect.stringContaining('tiny skipped it') })]);
    expect(x.models).toHaveLength(5);
  });

  it('takes a loose model file as one entry', async () => {
    const x = await extractApp(app(MODEL), opts);
    expect(x.errors).toEqual([]);
    expect(x.models.map((m) => [m.path, m.sha256])).toEqual([['mobilenet_v1_0.25_128_quant.tflite', sha(model)]]);
    expect(x.stats).toMatchObject({ entries: 1, archives: 0, bytesRead: model.length });
  });

  it('names entries of later files (splits) after the file', async () => {
    const split = join(dir, 'split_config.arm64_v8a.apk');
    await writeZip(split, [{ name: 'assets/m.tflite', data: model, method: 'deflate' }]);
    const x = await extractApp(app(apk, split), opts);
    expect(x.models.map((m) => m.path)).toContain('split_config.arm64_v8a.apk!/assets/m.tflite');
    expect(x.stats.archives).toBe(4);
  });

  it('reads a zip with data before its first local header', async () => {
    const p = join(dir, 'prefixed.apk');
    await writeFile(p, Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), await buildZip([{ name: 'x/m.tflite', data: model, method: 'deflate' }])]));
    const x = await extractApp(app(p), opts);
    expect(x.errors).toEqual([]);
    expect(x.models.map((m) => m.path)).toEqual(['x/m.tflite']);
  });

  it('sniffs a loose model before looking for an appended zip (TFLite metadata carries one)', async () => {
    const p = join(dir, 'with-metadata.tflite');
    const withZip = Buffer.concat([model, await buildZip([{ name: 'labels.txt', data: Buffer.from('cat\ndog\n'), method: 'store' }])]);
    await writeFile(p, withZip);
    const x = await extractApp(app(p), opts);
    expect(x.models.map((m) => [m.path, m.sha256])).toEqual([['with-metadata.tflite', sha(withZip)]]);
  });

  it('yields an app with just the error when the top-level file is unreadable', async () => {
    const gone = join(dir, 'nope.apk');
    const x = await extractApp(app(gone), opts);
    expect(x.errors).toEqual([expect.objectContaining({ code: 'INPUT_NOT_FOUND', subject: gone })]);
    expect(x.models).toEqual([]);
    expect(x.stats).toEqual({ entries: 0, bytesRead: 0, archives: 0 });
  });

  it('stops with INTERRUPTED when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(extractApp(app(apk), { ...opts, signal: ac.signal })).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(await readdir(opts.workDir)).toEqual([]);
  });
});

describe('multi-file models', () => {
  it('pairs weights with the model of the same group; keeps unpaired weights as a note', async () => {
    const { dir, opts } = await setup('pair');
    const apk = join(dir, 'pair.apk');
    const param = Buffer.from('7767517\n3 3\nInput data 0 1 data\n');
    const bin = Buffer.alloc(4096, 9);
    await writeZip(apk, [
      { name: 'assets/net.param', data: param, method: 'deflate' },
      { name: 'assets/net.bin', data: bin, method: 'store' },
      { name: 'assets/orphan.bin', data: Buffer.alloc(100, 1), method: 'store' },
    ]);
    const x = await extractApp(app(apk), { ...opts, sniffers: [toyPairSniffer] });
    expect(x.errors).toEqual([]);
    expect(x.models).toHaveLength(1);
    const m = x.models[0];
    expect(m).toMatchObject({ path: 'assets/net.param', framework: 'toypair', sha256: sha(param), bytes: param.length });
    expect(m.files.map((f) => [f.entry, f.role, f.sha256, f.path])).toEqual([
      ['assets/net.param', 'graph', sha(param), join(opts.modelCacheDir, sha(param))],
      ['assets/net.bin', 'weights', sha(bin), join(opts.modelCacheDir, sha(bin))],
    ]);
    expect(x.notes).toEqual([expect.objectContaining({ subject: 'assets/orphan.bin' })]);
  });
});

describe('a real signed APK through the walker', () => {
  const dir = packageDir('io.appium.settings');
  const apk = dir ? join(dir, 'apks/settings_apk-debug.apk') : 'io.appium.settings/apks/settings_apk-debug.apk';
  it.skipIf(missing(apk))('walks every entry without errors and hands every dex to a scanner', async () => {
    const { opts } = await setup('real');
    const dex: string[] = [];
    const x = await extractApp(app(apk), { ...opts, scanners: [{ name: 'dex', wants: (p) => /^classes\d*\.dex$/.test(p), scan: (_d, p) => void dex.push(p) }] });
    expect(x.errors).toEqual([]);
    expect(x.models).toEqual([]);
    expect(x.stats.entries).toBe(121);
    expect(dex.length).toBeGreaterThanOrEqual(1);
    expect(dex).toContain('classes.dex');
  });
});
