/**
 * Runaway work in a real campaign through the CLI: a runner that hangs (and forked a child) is killed with its
 * process tree at the job's timeout and the job fails with RUNNER_TIMEOUT; a plugin whose taps throw is named
 * in the error, and extraction and the campaign go on. The runner and the throwing observer are small plugins
 * loaded with the config's `use`, as a user's own would be; the host device and its transport are core's own.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

const core = pathToFileURL(join(repoRoot, 'packages', 'core', 'dist', 'index.js')).href;

/** A framework 'toyrun': models are files starting "TOYRUN"; its runner execs a shell script on the device. */
const RUNNER_PLUGIN = `
import { GaugeError, sumTotals, summariseQuantization } from ${JSON.stringify(core)};
import { readFileSync } from 'node:fs';
export default {
  name: 'toyrun',
  frameworks: ['toyrun'],
  apply(g) {
    g.addSniffer({ name: 'toyrun', sniff: ({ head }) => (head.subarray(0, 6).toString() === 'TOYRUN' ? { framework: 'toyrun', kind: 'model' } : undefined) });
    g.hooks.parse.for('toyrun').tapPromise('toyrun', async (a) => ({
      framework: 'toyrun', files: a.files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes })), inputs: [], outputs: [], layers: [],
      totals: sumTotals([]), modality: 'unknown', quantization: summariseQuantization([], []), metadata: {},
    }));
    g.hooks.deploy.for('toyrun').tapPromise('toyrun', async (device) => ({
      framework: 'toyrun',
      backends: () => ['cpu'],
      async run(device, req) {
        const text = readFileSync(req.modelFiles[0].path, 'utf8');
        // A "hanging" model: the runner forks a helper (its pid in ./hang.pid) and never finishes.
        const script = text.includes('HANG') ? 'sleep 300 & echo $! > "$1"; sleep 300' : 'echo 1.5';
        const r = await device.transport.exec('sh', ['-c', script, 'sh', process.cwd() + '/hang.pid'], { timeoutMs: req.timeoutMs, signal: req.signal });
        if (r.timedOut) throw new GaugeError('RUNNER_TIMEOUT', 'the toy runner did not finish within ' + req.timeoutMs + ' ms');
        return { samplesMs: Array(req.runs).fill(Number(r.stdout)), engine: 'toy 1.0' };
      },
    }));
  },
};
`;

/** An observer plugin whose taps throw. */
const BOOM_PLUGIN = `
export default {
  name: 'boom-observer',
  apply(g) {
    g.hooks.extract.tapPromise('boom-observer', async () => { throw new Error('extract tap exploded'); });
    g.hooks.measure.tapPromise('boom-observer', async () => { throw new Error('measure tap exploded'); });
  },
};
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/^\d+ \(.*\) Z/.test(existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '');
}

describe('runaway work', () => {
  it('a hanging runner is killed with its tree at the job timeout (RUNNER_TIMEOUT); a throwing plugin is named and the campaign goes on', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-runaway-'));
    writeFileSync(join(cwd, 'toyrun-plugin.mjs'), RUNNER_PLUGIN);
    writeFileSync(join(cwd, 'boom-plugin.mjs'), BOOM_PLUGIN);
    writeFileSync(join(cwd, 'gaugenn.config.json'), JSON.stringify({ use: ['./toyrun-plugin.mjs', './boom-plugin.mjs'], bench: { timeoutMs: 2000, runs: 3, warmup: 0 } }));
    const models = ['a-hangs.bin', 'b-fast.bin', 'c-fast.bin'].map((n) => join(cwd, n));
    writeFileSync(models[0]!, 'TOYRUN HANG');
    writeFileSync(models[1]!, 'TOYRUN fast one');
    writeFileSync(models[2]!, 'TOYRUN fast two');
    const db = join(cwd, 'g.db');

    const ex = await gaugenn(['extract', ...models, '--store', db, '--json'], { cwd });
    expect(ex.exitCode, ex.stderr).toBe(0);
    const apps = JSON.parse(ex.stdout);
    expect(apps).toHaveLength(3);
    for (const app of apps) {
      expect(app.models).toHaveLength(1);
      expect(app.errors).toContainEqual(expect.objectContaining({ code: 'PLUGIN_HOOK', plugin: 'boom-observer', hook: 'extract', message: 'extract tap exploded' }));
    }
    expect((await gaugenn(['analyze', '--store', db, '--json'], { cwd })).exitCode).toBe(0);

    const t0 = Date.now();
    const bench = await gaugenn(['bench', '--store', db, '--json'], { cwd });
    const took = Date.now() - t0;
    expect(bench.exitCode, bench.stderr).toBe(0);
    const jobs = JSON.parse(bench.stdout).jobs;
    expect(jobs).toHaveLength(3);
    const hung = jobs.find((j: any) => j.model.endsWith('a-hangs.bin'));
    expect(hung.status).toBe('failed');
    expect(hung.error.code).toBe('RUNNER_TIMEOUT');
    for (const j of jobs.filter((x: any) => x !== hung)) {
      expect(j.status).toBe('done');
      expect(j.samplesMs).toEqual([1.5, 1.5, 1.5]);
    }
    // The campaign waited the job's timeout, not the hanging child's 300 s, and the child is dead.
    expect(took).toBeLessThan(60_000);
    const child = Number(readFileSync(join(cwd, 'hang.pid'), 'utf8'));
    expect(child).toBeGreaterThan(0);
    expect(alive(child)).toBe(false);
    // The throwing measure tap was named on every job, and did not stop the campaign.
    expect(bench.stderr.match(/plugin boom-observer failed on job \d+ \(hook measure\): measure tap exploded/g)).toHaveLength(3);
  });
});
