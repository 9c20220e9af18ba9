import Database from 'better-sqlite3';
import { hostPython, pythonHas } from '@gaugenn/core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixture, missing, repoRoot } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

const MODEL = fixture('tflite/mobilenet_v1_0.25_128_quant.tflite');
const noRuntime = (await pythonHas(['ai_edge_litert'])) ? undefined : `no ai_edge_litert for ${hostPython()}: run \`npx gaugenn setup\``;
if (noRuntime) process.stderr.write(`[skip] ${noRuntime}\n`);

async function prepared(config: string[], extraFiles: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-bench-energy-'));
  for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(cwd, name), text);
  writeFileSync(join(cwd, 'gaugenn.config.yaml'), ['store: g.db', 'bench:', '  warmup: 2', '  runs: 30', ...config, ''].join('\n'));
  expect((await gaugenn(['extract', MODEL, '--json'], { cwd })).exitCode).toBe(0);
  expect((await gaugenn(['analyze', '--json'], { cwd })).exitCode).toBe(0);
  return cwd;
}

describe('gaugenn bench with the monsoon energy source (host, real LiteRT runner)', () => {
  it.skipIf(missing(MODEL) ?? noRuntime)('no monitor attached: the source fails saying what to check, and latency is still measured', async () => {
    const cwd = await prepared(['energy:', '  - { source: monsoon, voltage: 4.2, maxVoltage: 4.4, baselineMs: 200 }']);
    const r = await gaugenn(['bench', '--json'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const [job] = JSON.parse(r.stdout).jobs;
    expect(job.status, JSON.stringify(job.error)).toBe('done');
    expect(job.samplesMs).toHaveLength(30);
    expect(job.energy).toMatchObject({ source: 'monsoon', coarse: false, energyPerInferenceJ: null, avgPowerW: null, baselineW: null, efficiencyMacsPerJ: null });
    expect(job.energy.error.code).toBe('ENERGY_SOURCE_UNAVAILABLE');
    expect(job.energy.error.message).toMatch(/No Monsoon power monitor found/);
    expect(job.energy.error.message).toMatch(/switched on/);
  });

  it.skipIf(missing(MODEL) ?? noRuntime)('a simulated monitor: full start → stream → stop gives energy; unplugged mid-window gives ENERGY_SOURCE_LOST while latency is stored', async () => {
    // A config plugin that offers the Monsoon DEVICE SIMULATOR as the `monsoon-simulator` source (never as `monsoon`).
    const dist = pathToFileURL(join(repoRoot, 'packages/plugin-energy-monsoon/dist/index.js')).href;
    const plugin = `
      import { MonsoonSimulator, monsoonPlugin } from ${JSON.stringify(dist)};
      export default monsoonPlugin({
        sourceName: 'monsoon-simulator',
        openUsb: async (o) => new MonsoonSimulator({ currentA: () => 0.25, unplugAfterMs: o.unplugAfterMs }),
      });
    `;
    const cwd = await prepared([
      'use: [./sim-monsoon.mjs]',
      'energy:',
      '  - { source: monsoon-simulator, voltage: 4.0, maxVoltage: 4.4, baselineMs: 300, traceDir: traces }',
    ], { 'sim-monsoon.mjs': plugin });
    const r = await gaugenn(['bench', '--json'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const [job] = JSON.parse(r.stdout).jobs;
    expect(job.status).toBe('done');
    expect(job.energy.source).toBe('monsoon-simulator');
    expect(job.energy.error, JSON.stringify(job.energy.error)).toBeUndefined();
    // The simulated current is flat, so the baseline and the run draw the same 0.25 A × 4.0 V.
    expect(job.energy.baselineW).toBeCloseTo(1.0, 2);
    expect(job.energy.avgPowerW).toBeCloseTo(1.0, 2);
    expect(Math.abs(job.energy.energyPerInferenceJ)).toBeLessThan(1e-3);
    const db = new Database(join(cwd, 'g.db'), { readonly: true });
    const row = db.prepare('SELECT rate_hz, length(trace_power) AS bytes, markers FROM energy_windows WHERE job_id = ?').get(job.id) as { rate_hz: number; bytes: number; markers: string };
    db.close();
    expect(row.rate_hz).toBe(5000);
    expect(row.bytes / 4).toBeGreaterThan(0.3 * 5000); // at least the baseline's worth of 5 kHz float32 samples
    expect(JSON.parse(row.markers).map((m: { label: string }) => m.label)).toEqual(['baseline-start', 'run-start', 'run-end']);

    // Same campaign settings, the simulated monitor unplugs 600 ms into sampling (after the 300 ms baseline).
    const lost = await prepared([
      'use: [./sim-monsoon.mjs]',
      'energy:',
      '  - { source: monsoon-simulator, voltage: 4.0, baselineMs: 300, unplugAfterMs: 600 }',
    ], { 'sim-monsoon.mjs': plugin });
    const r2 = await gaugenn(['bench', '--json'], { cwd: lost });
    expect(r2.exitCode, r2.stderr).toBe(0);
    const [j2] = JSON.parse(r2.stdout).jobs;
    expect(j2.status).toBe('done');
    expect(j2.samplesMs).toHaveLength(30);
    expect(j2.median).toBeGreaterThan(0);
    expect(j2.energy.error.code).toBe('ENERGY_SOURCE_LOST');
    expect(j2.energy.energyPerInferenceJ).toBeNull();
  });
});
