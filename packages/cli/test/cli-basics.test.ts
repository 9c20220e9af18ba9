import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gaugenn } from './cli.js';

const COMMANDS = ['extract', 'analyze', 'devices', 'bench', 'convert', 'report', 'lineage', 'diff', 'run', 'demo', 'setup', 'plugins', 'sources fetch', 'sources status', 'simulate adb'];

describe('gaugenn CLI basics', () => {
  it('--help lists every command', async () => {
    const r = await gaugenn(['--help']);
    expect(r.exitCode).toBe(0);
    // Commands with a topic (`sources fetch`) show under their topic's name.
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^\\s+${c.split(' ')[0]}\\s`, 'm'));
  });

  it('each command has --help', async () => {
    for (const c of COMMANDS.filter((c) => c !== 'plugins')) {
      const r = await gaugenn([...c.split(' '), '--help']);
      expect(r.exitCode, c).toBe(0);
      expect(r.stdout, c).toContain('USAGE');
    }
  });

  it('a config with a misspelt key fails naming the key’s JSON path, with a non-zero exit', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-cli-'));
    writeFileSync(join(cwd, 'gaugenn.config.json'), JSON.stringify({ bench: { warmpu: 2 } }));
    const r = await gaugenn(['devices'], { cwd });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('/bench/warmpu');
    expect(r.stderr).toContain('Did you mean "warmup"?');
    const j = await gaugenn(['devices', '--json'], { cwd });
    expect(j.exitCode).not.toBe(0);
    expect(JSON.parse(j.stdout).error.code).toBe('CONFIG_INVALID');
  });

  it('devices --json describes the host from the OS, as JSON only on stdout', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-cli-'));
    const r = await gaugenn(['devices', '--json'], { cwd });
    expect(r.exitCode).toBe(0);
    const [host] = JSON.parse(r.stdout);
    expect(host.id).toBe('host');
    expect(host.info.cpu.cores).toBeGreaterThan(0);
    expect(host.backends.tflite).toEqual(['cpu']);
  });
});
