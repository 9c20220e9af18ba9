import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGauge } from '../src/gauge-factory.js';
import { definePlugin } from '../src/plugin/types.js';
import { GaugeError } from '../src/errors/gauge-error.js';

const dir = (files: Record<string, string>) => {
  const d = mkdtempSync(join(tmpdir(), 'gaugenn-config-'));
  for (const [n, c] of Object.entries(files)) writeFileSync(join(d, n), c);
  return d;
};

async function configError(cwd: string, builtins = [] as any[]): Promise<GaugeError> {
  try {
    await createGauge({ cwd, builtins });
  } catch (e) {
    return e as GaugeError;
  }
  throw new Error('expected the config to be rejected');
}

describe('config', () => {
  it('runs on defaults with no config file: host device, cpu backend, ./gaugenn.db', async () => {
    const cwd = dir({});
    const g = await createGauge({ cwd });
    expect(g.config.devices).toEqual([{ kind: 'host' }]);
    expect(g.config.bench.backends).toEqual(['cpu']);
    expect(g.config.store).toBe(join(cwd, 'gaugenn.db'));
  });

  it('names the JSON path of a misspelt key and suggests the right one', async () => {
    const e = await configError(dir({ 'gaugenn.config.json': JSON.stringify({ bench: { runz: 5 } }) }));
    expect(e).toBeInstanceOf(GaugeError);
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain('/bench/runz');
    expect(e.message).toContain('Did you mean "runs"?');
  });

  it('reads YAML and package.json "gaugenn" keys, resolving paths against the file', async () => {
    const y = dir({ 'gaugenn.config.yaml': 'store: out/s.db\nbench:\n  runs: 7\n' });
    const g = await createGauge({ cwd: y });
    expect(g.config.store).toBe(join(y, 'out', 's.db'));
    expect(g.config.bench.runs).toBe(7);
    expect(g.config.bench.warmup).toBe(3); // defaults survive a partial bench section
    const p = dir({ 'package.json': JSON.stringify({ name: 'x', gaugenn: { bench: { threads: [1, 4] } } }) });
    expect((await createGauge({ cwd: p })).config.bench.threads).toEqual([1, 4]);
  });

  it('validates plugin options under plugins.<name> with the plugin’s own schema', async () => {
    const plug = definePlugin({ name: 'demo-fw', configSchema: { type: 'object', properties: { binary: { type: 'string' } }, additionalProperties: false }, apply() {} });
    const bad = await configError(dir({ 'gaugenn.config.json': JSON.stringify({ plugins: { 'demo-fw': { binray: 'x' } } }) }), [plug]);
    expect(bad.message).toContain('/plugins/demo-fw/binray');
    const unknownPlugin = await configError(dir({ 'gaugenn.config.json': JSON.stringify({ plugins: { nope: {} } }) }), [plug]);
    expect(unknownPlugin.message).toContain('/plugins/nope');
    let seen: unknown;
    const ok = definePlugin({ name: 'demo-fw', configSchema: plug.configSchema, apply(_g, o) { seen = o; } });
    await createGauge({ cwd: dir({ 'gaugenn.config.json': JSON.stringify({ plugins: { 'demo-fw': { binary: '/bin/x' } } }) }), builtins: [ok] });
    expect(seen).toEqual({ binary: '/bin/x' });
  });

  it('rejects wrong types with the path', async () => {
    const e = await configError(dir({ 'gaugenn.config.json': JSON.stringify({ bench: { runs: 'many' } }) }));
    expect(e.message).toContain('/bench/runs');
  });

  it('reports a syntax error in the file as CONFIG_LOAD', async () => {
    const e = await configError(dir({ 'gaugenn.config.json': '{ "store": ' }));
    expect(e.code).toBe('CONFIG_LOAD');
  });

  it('loads plugins named in `use`, relative to the config file', async () => {
    const d = dir({
      'gaugenn.config.json': JSON.stringify({ use: ['./local-plugin.mjs'], plugins: { local: { flag: true } } }),
      // Stands for a team's own plugin file; it only records that it was applied with its options.
      'local-plugin.mjs': "export default { name: 'local', configSchema: { type: 'object' }, apply(g, o) { g.addSniffer({ name: 'local', sniff: () => undefined }); globalThis.__localOpts = o; } };",
    });
    const g = await createGauge({ cwd: d });
    expect(g.sniffers.map((s) => s.name)).toContain('local');
    expect((globalThis as any).__localOpts).toEqual({ flag: true });
  });

  it('says which plugin is missing when `use` names one that does not exist', async () => {
    const e = await configError(dir({ 'gaugenn.config.json': JSON.stringify({ use: ['@nobody/gaugenn-plugin-nothing'] }) }));
    expect(e.code).toBe('PLUGIN_LOAD');
    expect(e.message).toContain('gaugenn plugins install');
  });
});
