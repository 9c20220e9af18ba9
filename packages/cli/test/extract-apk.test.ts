import { buildZip, writeZip } from '@gaugenn/core';
import { writeManifest } from '@gaugenn/plugin-android';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

const MODEL = fixture('tflite/mobilenet_v1_0.25_128_quant.tflite');
const OTHER = fixture('tflite/split_concat.tflite');

describe('gaugenn extract on an APK built at test time', () => {
  it.skipIf(missing(MODEL, OTHER))('finds a stored, a deflated, a disguised and a nested model, and refuses ../../x', async () => {
    // work sits one level inside a private temp dir, so `../x` would land where this test can see it.
    const outer = mkdtempSync(join(tmpdir(), 'gaugenn-apk-'));
    const work = join(outer, 'w');
    const cwd = join(work, 'cwd');
    mkdirSync(cwd, { recursive: true });
    const model = readFileSync(MODEL);
    const other = readFileSync(OTHER);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const nested = await buildZip([{ name: 'm.tflite', data: other, method: 'deflate' }]);
    const apk = join(work, 'app.apk');
    await writeZip(apk, [
      { name: 'AndroidManifest.xml', data: writeManifest({ package: 'org.example.vision', versionCode: 42, versionName: '4.2.0', minSdk: 23, targetSdk: 34 }), method: 'deflate' },
      { name: 'assets/stored.tflite', data: model, method: 'store' },
      { name: 'assets/deflated.tflite', data: model, method: 'deflate' },
      // A model under a misleading extension: found by its content, not its name.
      { name: 'assets/labels.jpg', data: other, method: 'store' },
      { name: 'assets/packs/a.zip', data: nested, method: 'deflate' },
      // A hostile entry name: must be refused, and nothing may be written outside the work directory.
      { name: '../../x', data: model, method: 'store' },
      { name: 'res/raw/readme.txt', data: Buffer.from('not a model'), method: 'deflate' },
    ], { apkSigningBlock: true });

    const r = await gaugenn(['extract', apk, '--json', '--store', join(cwd, 'g.db')], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const [x] = JSON.parse(r.stdout);
    expect(x.package).toBe('org.example.vision');
    expect(x.versionCode).toBe(42);
    expect(x.versionName).toBe('4.2.0');
    const byPath = Object.fromEntries(x.models.map((m: any) => [m.path, m]));
    expect(Object.keys(byPath).sort()).toEqual(['assets/deflated.tflite', 'assets/labels.jpg', 'assets/packs/a.zip!/m.tflite', 'assets/stored.tflite']);
    expect(byPath['assets/stored.tflite'].sha256).toBe(sha(model));
    expect(byPath['assets/deflated.tflite'].sha256).toBe(sha(model));
    expect(byPath['assets/labels.jpg'].sha256).toBe(sha(other));
    expect(byPath['assets/packs/a.zip!/m.tflite'].sha256).toBe(sha(other));
    for (const m of x.models) expect(m.framework).toBe('tflite');
    expect(x.frameworks).toEqual(['tflite']);
    const traversal = x.errors.find((e: any) => e.code === 'ARCHIVE_PATH_TRAVERSAL');
    expect(traversal?.subject ?? traversal?.message).toContain('../../x');
    // Nothing named x appeared above the work dir or beside the store.
    expect(readdirSync(outer)).toEqual(['w']);
    expect(existsSync(join(work, 'x'))).toBe(false);
    expect(readdirSync(work).sort()).toEqual(['app.apk', 'cwd']);

    // The store has the app and its two unique models, four occurrences.
    const a = await gaugenn(['analyze', '--json', '--store', join(cwd, 'g.db')], { cwd });
    expect(a.exitCode, a.stderr).toBe(0);
    const analysed = JSON.parse(a.stdout);
    expect(analysed.map((m: any) => m.sha256).sort()).toEqual([sha(model), sha(other)].sort());
  });

  it('records a corrupt APK as an app with a typed error and goes on with the next one', async () => {
    const work = mkdtempSync(join(tmpdir(), 'gaugenn-apk-'));
    const good = join(work, 'b-good.apk');
    await writeZip(good, [{ name: 'AndroidManifest.xml', data: writeManifest({ package: 'org.ok', versionCode: 1, versionName: '1', minSdk: 21, targetSdk: 30 }), method: 'deflate' }]);
    const bad = join(work, 'a-bad.apk');
    const { writeFileSync } = await import('node:fs');
    // Stands for an APK cut short by a failed download: the first 100 bytes of a real zip.
    writeFileSync(bad, readFileSync(good).subarray(0, 100));
    const r = await gaugenn(['extract', work, '--json', '--store', join(work, 'g.db')], { cwd: work });
    expect(r.exitCode, r.stderr).toBe(0);
    const apps = JSON.parse(r.stdout);
    const badApp = apps.find((a: any) => a.file.endsWith('a-bad.apk'));
    const goodApp = apps.find((a: any) => a.file.endsWith('b-good.apk'));
    expect(badApp.errors.length).toBeGreaterThan(0);
    expect(badApp.errors[0].code).toMatch(/^ARCHIVE_/);
    expect(goodApp.package).toBe('org.ok');
  });
});
