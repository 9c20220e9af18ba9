/**
 * `gaugenn bench` end to end on a DLC, on a simulated phone: the ADB device SIMULATOR (plugin-android's loopback
 * adbd, an SM8450 profile) behind a private real adb server, the CLI in its own process with a config naming that
 * device and a STAND-IN SNPE SDK (scripts that print real captured snpe-net-run output and write a real SNPEDiag log
 * of 50 inferences; see packages/plugin-snpe/test/support/standin-sdk.ts). Expected samples: that log's inference
 * totals after the warm-up ones (the reader is checked against snpe-diagview in plugin-snpe's tests). Nothing ran on
 * a phone or on Qualcomm's binaries.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbDeviceSimulator } from '@gaugenn/plugin-android';
import { readDiagLog } from '@gaugenn/plugin-snpe';
import { startAdbServer, type PrivateAdbServer } from '../../../test-support/adb-server.js';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { DIAG_50, NET_RUN_CAPTURE, PV_CAPTURE, standinSdk, type StandinSdk } from '../../plugin-snpe/test/support/standin-sdk.js';
import { gaugenn } from './cli.js';

const DLC = fixture('snpe/mlcommons_v0_7_deeplabv3_quantized_hta_enabled.dlc');
const skip = missing(DLC, DIAG_50, NET_RUN_CAPTURE, PV_CAPTURE);
let adb: PrivateAdbServer;
let sim: AdbDeviceSimulator;
let sdk: StandinSdk;

beforeAll(async () => {
  if (skip) return;
  adb = await startAdbServer();
  sim = await AdbDeviceSimulator.start({ profile: 'sm8450' });
  await adb.connect(sim.address);
  sdk = await standinSdk();
}, 90_000);
afterAll(async () => {
  await sim?.close();
  await adb?.kill();
  if (sdk) await rm(sdk.root, { recursive: true, force: true });
});

describe('gaugenn bench: a DLC on a simulated Snapdragon phone', () => {
  it.skipIf(skip)('measures cpu and dsp jobs through the adb transport; every sample from the diag log is kept', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-snpe-sim-'));
    writeFileSync(join(cwd, 'gaugenn.config.json'), JSON.stringify({
      devices: [{ kind: 'adb', serial: sim.address, server: adb.address }],
      bench: { backends: ['cpu', 'dsp'], warmup: 10, runs: 40 },
      plugins: { snpe: { sdkRoot: sdk.root, perfProfile: 'burst' }, android: { startAdbServer: false } },
    }));
    const db = join(cwd, 'g.db');
    const a = await gaugenn(['analyze', DLC, '--store', db, '--json'], { cwd });
    expect(a.exitCode, a.stderr).toBe(0);
    const b = await gaugenn(['bench', '--store', db, '--json'], { cwd });
    expect(b.exitCode, b.stderr).toBe(0);
    const jobs = JSON.parse(b.stdout).jobs as Record<string, any>[];
    expect(jobs.map((j) => j.backend).sort()).toEqual(['cpu', 'dsp']);
    const want = readDiagLog(readFileSync(DIAG_50)).inferencesUs.slice(10, 50).map((u) => u / 1000);
    for (const j of jobs) {
      expect(j.status, JSON.stringify(j.error)).toBe('done');
      expect(j.framework).toBe('snpe');
      expect(j.engine).toBe('snpe-net-run 2.14.2.230905160328_61726');
      expect(j.samplesMs).toEqual(want);
    }
    const sent = sim.commands.map((c) => c.command).filter((c) => c.includes('snpe-net-run --container'));
    expect(sent.some((c) => c.includes('--use_dsp --perf_profile burst'))).toBe(true);
    expect(sent.some((c) => !c.includes('--use_') && c.includes('--perf_profile burst'))).toBe(true);
  }, 240_000);
});
