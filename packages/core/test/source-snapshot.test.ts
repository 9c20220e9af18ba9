import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGauge } from '../src/gauge-factory.js';

describe('snapshot and category on source specs', () => {
  it('are accepted on every source in the config and stamped on every app a source lists', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-src-'));
    mkdirSync(join(cwd, 'apps'));
    writeFileSync(join(cwd, 'apps', 'x.apk'), 'PK');
    const sources = [
      { type: 'dir', path: 'apps', snapshot: '2025-06', category: 'games' },
      { type: 'files', paths: [join(cwd, 'apps', 'x.apk')], snapshot: '2026-06' },
    ];
    writeFileSync(join(cwd, 'gaugenn.config.json'), JSON.stringify({ sources }));
    const g = await createGauge({ cwd });
    expect(g.config.sources).toMatchObject([{ snapshot: '2025-06', category: 'games' }, { snapshot: '2026-06' }]);
    const refs = [];
    for (const s of g.config.sources) refs.push(...(await g.source(s.type === 'dir' ? { ...s, path: join(cwd, 'apps') } : s)));
    expect(refs.map((r) => [r.source, r.snapshot, r.category])).toEqual([['dir', '2025-06', 'games'], ['files', '2026-06', undefined]]);
  });

  it('reject a snapshot that is not a string, naming its path', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-src-'));
    writeFileSync(join(cwd, 'gaugenn.config.json'), JSON.stringify({ sources: [{ type: 'dir', path: '.', snapshot: 2025 }] }));
    await expect(createGauge({ cwd })).rejects.toThrow(/sources\/0\/snapshot/);
  });
});
