import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gaugenn } from './cli.js';

describe('gaugenn plugins', () => {
  it('an oclif-installed package that names a gaugeNN plugin is loaded: its sniffer finds its models', async () => {
    const work = mkdtempSync(join(tmpdir(), 'gaugenn-plugins-'));
    // Stands for a team's framework plugin package: package.json names its gaugeNN entry, the entry adds a sniffer.
    const plug = join(work, 'gaugenn-plugin-toy');
    mkdirSync(join(plug, 'dist'), { recursive: true });
    writeFileSync(join(plug, 'package.json'), JSON.stringify({ name: 'gaugenn-plugin-toy', version: '1.0.0', type: 'module', oclif: {}, gaugenn: { plugin: './dist/index.js' } }));
    writeFileSync(
      join(plug, 'dist', 'index.js'),
      "export default { name: 'toy', frameworks: ['toy'], apply(g) { g.addSniffer({ name: 'toy', sniff: ({ head }) => (head[0] === 0x54 && head[1] === 0x4f && head[2] === 0x59 ? { framework: 'toy', kind: 'model' } : undefined) }); } };\n",
    );
    const model = join(work, 'weights.bin');
    writeFileSync(model, 'TOY model bytes');
    // oclif keeps installed and linked plugins under XDG_DATA_HOME: a fresh one isolates this test.
    const env = { XDG_DATA_HOME: join(work, 'data') };

    const before = await gaugenn(['extract', model, '--json', '--store', join(work, 'a.db')], { cwd: work, env });
    expect(JSON.parse(before.stdout)[0].models).toEqual([]);

    const link = await gaugenn(['plugins', 'link', plug, '--no-install'], { cwd: work, env });
    expect(link.exitCode, link.stderr).toBe(0);
    const list = await gaugenn(['plugins'], { cwd: work, env });
    expect(list.stdout).toContain('gaugenn-plugin-toy');

    const after = await gaugenn(['extract', model, '--json', '--store', join(work, 'b.db')], { cwd: work, env });
    expect(after.exitCode, after.stderr).toBe(0);
    const [app] = JSON.parse(after.stdout);
    expect(app.models.map((m: any) => m.framework)).toEqual(['toy']);
    expect(app.frameworks).toEqual(['toy']);
  });
});
