/**
 * `gaugenn bench` with the phone's fuel gauge (`android-battery`) on the ADB device SIMULATOR, reached through a
 * private REAL adb server: the simulator's `current_now` rises while the runner's `app_process` runs (its current
 * profile), and the stored energy per inference must match what that current implies. The phone's `app_process` is
 * plugin-tflite's stand-in over real LiteRT (as in its own simulator tests), so the latencies are real timings.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostPython, pythonHas, runnerEnv } from '@gaugenn/core';
import { AdbDeviceSimulator } from '@gaugenn/plugin-android';
import { ANDROID_RUNNER_DIST, RUNNER_SCRIPT } from '@gaugenn/plugin-tflite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdbServer, type PrivateAdbServer } from '../../../test-support/adb-server.js';
import { fixture, missing, repoRoot } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

const MODEL = fixture('tflite/mobilenet_v1_0.25_128_quant.tflite');
const APP_PROCESS_PY = join(repoRoot, 'packages/plugin-tflite/test/support/standins/app_process.py');
const noRuntime = (await pythonHas(['ai_edge_litert'])) ? undefined : `no ai_edge_litert for ${hostPython()}: run \`npx gaugenn setup\``;
if (noRuntime) process.stderr.write(`[skip] ${noRuntime}\n`);
const skip = missing(MODEL) ?? noRuntime;

const IDLE_UA = -200_000; // kernel ABI sign: negative while discharging
const BUSY_UA = -900_000;
let server: PrivateAdbServer;
let phone: AdbDeviceSimulator;

beforeAll(async () => {
  if (skip) return;
  if (!existsSync(join(ANDROID_RUNNER_DIST, 'manifest.json'))) execFileSync(process.execPath, [join(ANDROID_RUNNER_DIST, '..', 'build.mjs')], { stdio: 'inherit', timeout: 600_000 });
  server = await startAdbServer();
  phone = await AdbDeviceSimulator.start({ profile: 'sm8450', serial: 'SIMENERGY1', env: { ...runnerEnv(), STANDIN_TFLITE_RUNNER_DIR: join(RUNNER_SCRIPT, '..') } });
  writeFileSync(phone.hostPath('/system/bin/app_process'), `#!/bin/sh\n# STAND-IN for app_process (gaugeNN test)\nexec "${hostPython()}" "${APP_PROCESS_PY}" "$@"\n`, { mode: 0o755 });
  await server.connect(phone);
  phone.setCurrentProfile({ idleUa: IDLE_UA, busyUa: BUSY_UA, busyWhile: /app_process/ });
}, 660_000);

afterAll(async () => {
  await server?.kill();
  await phone?.close();
});

describe('gaugenn bench with the android-battery energy source on the ADB device simulator', () => {
  it.skipIf(skip)('stores energy per inference within 25% of what the simulated current implies, marked coarse', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-bench-fuel-'));
    writeFileSync(join(cwd, 'gaugenn.config.yaml'), [
      'store: g.db',
      'devices:',
      `  - { kind: adb, server: "${server.address}", serial: "${phone.address}" }`,
      'plugins:',
      '  android: { startAdbServer: false }',
      'bench:',
      '  warmup: 5',
      '  runs: 400',
      'energy:',
      '  - { source: android-battery, intervalMs: 40, baselineMs: 1500 }',
      '',
    ].join('\n'));
    expect((await gaugenn(['extract', MODEL, '--json'], { cwd })).exitCode).toBe(0);
    expect((await gaugenn(['analyze', '--json'], { cwd })).exitCode).toBe(0);
    const r = await gaugenn(['bench', '--json'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const [job] = JSON.parse(r.stdout).jobs;
    expect(job.status, JSON.stringify(job.error)).toBe('done');
    expect(job.samplesMs).toHaveLength(400);
    expect(job.energy.source).toBe('android-battery');
    expect(job.energy.coarse).toBe(true);
    expect(job.energy.error, JSON.stringify(job.energy.error)).toBeUndefined();
    const volts = phone.batteryState().voltageUv / 1e6;
    const meanS = job.samplesMs.reduce((a: number, b: number) => a + b, 0) / job.samplesMs.length / 1000;
    const implied = ((IDLE_UA - BUSY_UA) / 1e6) * volts * meanS; // 0.7 A more while running × V × time per inference
    process.stderr.write(`[fuel gauge] stored ${job.energy.energyPerInferenceJ} J/inference, implied ${implied} J; baseline ${job.energy.baselineW} W, avg ${job.energy.avgPowerW} W\n`);
    expect(job.energy.baselineW).toBeCloseTo((-IDLE_UA / 1e6) * volts, 1);
    expect(Math.abs(job.energy.energyPerInferenceJ - implied) / implied).toBeLessThan(0.25);
    expect(job.energy.efficiencyMacsPerJ).toBeGreaterThan(0);
    // The report's energy export carries it, marked coarse.
    const rep = await gaugenn(['report', '--json'], { cwd });
    expect(rep.exitCode, rep.stderr).toBe(0);
    const csv = readFileSync(join(cwd, 'gaugenn-report', 'energy.csv'), 'utf8');
    expect(csv).toMatch(/android-battery \(coarse\)/);
  }, 600_000);
});
