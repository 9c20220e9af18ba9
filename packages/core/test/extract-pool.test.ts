import { beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeZip } from '../src/archive/zip-writer.js';
import { extractApp } from '../src/extract/walker.js';
import { extractInWorkers } from '../src/extract/worker-pool.js';
import type { AppRef, ExtractedApp, Sniffer } from '../src/extract/types.js';
import { tmp } from './archive-support.js';

/**
 * A toy plugin module standing in for a framework plugin that workers load by name: it sniffs `TOYM` heads.
 * Workers rebuild the Gauge from module specifiers, so the plugin must be a file, not an object.
 */
const TOY_PLUGIN = `export default {
  name: 'toy',
  apply(gauge) {
    gauge.addSniffer({ name: 'toy', sniff: ({ head }) => (head.length >= 4 && Buffer.from(head.subarray(0, 4)).toString('latin1') === 'TOYM' ? { framework: 'toy', kind: 'model' } : undefined) });
  },
};
`;
const toySniffer: Sniffer = {
  name: 'toy',
  sniff: ({ head }) => (head.length >= 4 && Buffer.from(head.subarray(0, 4)).toString('latin1') === 'TOYM' ? { framework: 'toy', kind: 'model' } : undefined),
};

describe('extraction across worker threads', () => {
  let dir: string;
  let plugin: string;
  const apps: AppRef[] = [];
  beforeAll(async () => {
    dir = await tmp('pool');
    plugin = join(dir, 'toy-plugin.mjs');
    await writeFile(plugin, TOY_PLUGIN);
    for (let i = 0; i < 9; i++) {
      const f = join(dir, `app${i}.apk`);
      // Uneven sizes so workers finish out of order.
      const entries = Array.from({ length: i + 1 }, (_, k) => ({ name: `assets/m${k}.bin`, data: Buffer.concat([Buffer.from('TOYM'), randomBytes((9 - i) * 50_000 + k)]), method: 'deflate' as const }));
      await writeZip(f, entries);
      apps.push({ id: f, files: [f], source: 'files' });
    }
    apps.push({ id: join(dir, 'gone.apk'), files: [join(dir, 'gone.apk')], source: 'files' });
  });

  it('gives the same results as one thread, in input order', async () => {
    const options = { modelCacheDir: join(dir, 'cache'), workDir: join(dir, 'work') };
    const seq: ExtractedApp[] = [];
    for (const a of apps) seq.push(await extractApp(a, { ...options, sniffers: [toySniffer], scanners: [] }));
    const par: [number, ExtractedApp][] = [];
    const stats = await extractInWorkers(apps, { workers: 3, recipe: { builtins: [plugin], cwd: dir }, options }, (x, i) => void par.push([i, x]));
    expect(par.map(([i]) => i)).toEqual(apps.map((_, i) => i));
    expect(par.map(([, x]) => x)).toEqual(seq);
    expect(seq[3]!.models).toHaveLength(4);
    expect(seq.at(-1)!.errors.map((e) => e.code)).toEqual(['INPUT_NOT_FOUND']);
    expect(stats.maxRss).toBeGreaterThan(0);
  });

  it('fails with PLUGIN_LOAD when a worker cannot rebuild the Gauge', async () => {
    const p = extractInWorkers(apps.slice(0, 2), { workers: 2, recipe: { builtins: [join(dir, 'no-such-plugin.mjs')], cwd: dir }, options: { modelCacheDir: join(dir, 'c2'), workDir: join(dir, 'w2') } }, () => {});
    await expect(p).rejects.toMatchObject({ code: 'PLUGIN_LOAD' });
  });

  it('stops with INTERRUPTED when aborted', async () => {
    const ac = new AbortController();
    const p = extractInWorkers(apps, { workers: 2, recipe: { builtins: [plugin], cwd: dir }, options: { modelCacheDir: join(dir, 'c3'), workDir: join(dir, 'w3') }, signal: ac.signal }, () => ac.abort());
    await expect(p).rejects.toMatchObject({ code: 'INTERRUPTED' });
  });
});
