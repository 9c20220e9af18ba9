/**
 * The SNPE runner through the ADB device SIMULATOR (plugin-android's loopback adbd, a simulated SM8450 phone)
 * reached by the real adb server (a private one for this file) and plugin-android's adbkit device: what is pushed
 * where, the command line and environment as the phone's shell receives them, and the timings read back from the
 * diag log over sync. The SDK is the stand-in tree (test/support/standin-sdk.ts): scripts that print real captured
 * snpe-net-run / snpe-platform-validator output and write a real SNPEDiag log. Nothing here ran on a phone.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gauge, defaultConfig, type Device } from '@gaugenn/core';
import androidPlugin, { AdbDeviceSimulator } from '@gaugenn/plugin-android';
import { startAdbServer, type PrivateAdbServer } from '../../../test-support/adb-server.js';
import { missing } from '../../../test-support/fixtures.js';
import snpePlugin, { readDiagLog, SnpeRunner } from '../src/index.js';
import { DLC } from './support/fixtures.js';
import { ANDROID_LIBS, DIAG_50, DSP_LIBS, NET_RUN_CAPTURE, PV_CAPTURE, standinSdk, type StandinSdk } from './support/standin-sdk.js';

const skip = missing(DLC.v3hta, DIAG_50, NET_RUN_CAPTURE, PV_CAPTURE);
let WORK = '';
let adb: PrivateAdbServer;
let sim: AdbDeviceSimulator;
let sdk: StandinSdk;
let device: Device;
let gauge: Gauge;

beforeAll(async () => {
  if (skip) return;
  adb = await startAdbServer();
  sim = await AdbDeviceSimulator.start({ profile: 'sm8450' });
  await adb.connect(sim.address);
  sdk = await standinSdk();
  gauge = new Gauge(defaultConfig());
  await androidPlugin.apply(gauge, { startAdbServer: false });
  await snpePlugin.apply(gauge, { sdkRoot: sdk.root });
  [device] = await gauge.devices({ kind: 'adb', serial: sim.address, server: adb.address });
  WORK = await device.transport.workDir();
}, 90_000);

afterAll(async () => {
  await device?.release?.();
  await sim?.close();
  await adb?.kill();
  if (sdk) await rm(sdk.root, { recursive: true, force: true });
});

describe('SnpeRunner through the ADB device simulator', () => {
  it.skipIf(skip)('the deploy hook offers every SNPE runtime on an adb phone', async () => {
    const runner = await gauge.runner('snpe', device);
    expect(runner).toBeInstanceOf(SnpeRunner);
    expect(runner!.backends(device)).toEqual(['cpu', 'gpu', 'gpu_fp16', 'dsp', 'aip']);
  });

  it.skipIf(skip)('dsp: pushes tool, libraries and skels, runs the validator and snpe-net-run with the DSP environment, reads the log back', async () => {
    const runner = (await gauge.runner('snpe', device))!;
    const before = sim.commands.length;
    const r = await runner.run(device, { modelFiles: [{ path: DLC.v3hta, role: 'model' }], backend: 'dsp', threads: 1, warmup: 5, runs: 45, timeoutMs: 120_000 });
    const sent = sim.commands.slice(before).map((c) => c.command);
    const netRun = sent.find((c) => c.includes('/snpe/bin/snpe-net-run --container'))!;
    expect(netRun).toBeDefined();
    expect(WORK).toMatch(/^\/data\/local\/tmp\//);
    // As the phone's shell receives it: working directory, environment (ADSP_LIBRARY_PATH quoted: it holds ';'), tool, flags.
    expect(netRun).toContain(`cd ${WORK}/snpe-job`);
    expect(netRun).toMatch(new RegExp(`LD_LIBRARY_PATH='?${WORK}/snpe/lib'?`));
    expect(netRun).toContain(`ADSP_LIBRARY_PATH='${WORK}/snpe/dsp;/system/lib/rfsa/adsp;/system/vendor/lib/rfsa/adsp;/dsp'`);
    expect(netRun).toMatch(new RegExp(`${WORK}/snpe/bin/snpe-net-run --container ${WORK}/snpe-job/model.dlc --input_list ${WORK}/snpe-job/input_list.txt --output_dir ${WORK}/snpe-job/out --use_dsp --perf_profile high_performance --profiling_level basic`));
    expect(sent.some((c) => c.includes('/snpe/bin/snpe-platform-validator --runtime dsp'))).toBe(true);
    const ls = async (d: string) => (await device.transport.exec('ls', [d])).stdout.split(/\s+/).filter(Boolean).sort();
    expect(await ls(`${WORK}/snpe/lib`)).toEqual([...ANDROID_LIBS].sort());
    expect(await ls(`${WORK}/snpe/dsp`)).toEqual(DSP_LIBS);
    expect(await ls(`${WORK}/snpe-job`)).toEqual(['input_0.raw', 'input_list.txt', 'model.dlc', 'out']);
    // deeplabv3's input 1×512×512×3 float32; 50 input-list lines.
    expect((await device.transport.readFile(`${WORK}/snpe-job/input_0.raw`)).length).toBe(512 * 512 * 3 * 4);
    expect((await device.transport.readFile(`${WORK}/snpe-job/input_list.txt`)).toString().trim().split('\n')).toHaveLength(50);
    const logUs = readDiagLog(readFileSync(DIAG_50)).inferencesUs;
    expect(r.warmupMs).toEqual(logUs.slice(0, 5).map((u) => u / 1000));
    expect(r.samplesMs).toEqual(logUs.slice(5, 50).map((u) => u / 1000));
    expect(r.delegation).toMatchObject({ delegate: 'DSP', applied: true });
    expect(r.extra!.platformValidator).toMatchObject({ runtime: 'DSP', unitTest: 'passed' });
  }, 120_000);

  const FLAGS: Record<string, string> = { cpu: '', gpu: ' --use_gpu', gpu_fp16: ' --use_gpu --gpu_mode float16', dsp: ' --use_dsp', aip: ' --use_aip' };
  for (const backend of Object.keys(FLAGS)) {
    it.skipIf(skip)(`${backend}: the command line and environment the phone's shell receives`, async () => {
      const runner = (await gauge.runner('snpe', device))!;
      const before = sim.commands.length;
      const r = await runner.run(device, { modelFiles: [{ path: DLC.v3hta, role: 'model' }], backend, threads: 1, warmup: 0, runs: 50, timeoutMs: 120_000 });
      const netRun = sim.commands.slice(before).map((c) => c.command).find((c) => c.includes('/snpe/bin/snpe-net-run --container'))!;
      expect(netRun).toContain(`${WORK}/snpe/bin/snpe-net-run --container ${WORK}/snpe-job/model.dlc --input_list ${WORK}/snpe-job/input_list.txt --output_dir ${WORK}/snpe-job/out${FLAGS[backend]} --perf_profile high_performance --profiling_level basic`);
      if (backend === 'cpu') expect(netRun).not.toContain('ADSP_LIBRARY_PATH');
      else expect(netRun).toContain(`ADSP_LIBRARY_PATH='${WORK}/snpe/dsp;/system/lib/rfsa/adsp;/system/vendor/lib/rfsa/adsp;/dsp'`);
      expect(r.samplesMs).toHaveLength(50);
    }, 120_000);
  }

  it.skipIf(skip)('a second job pushes no library and no model again: they come from the device\'s content cache', async () => {
    const runner = (await gauge.runner('snpe', device))!;
    const pushed: string[] = [];
    const onPush = (p: unknown) => pushed.push(JSON.stringify(p));
    sim.on('pushed', onPush);
    try {
      await runner.run(device, { modelFiles: [{ path: DLC.v3hta, role: 'model' }], backend: 'dsp', threads: 1, warmup: 0, runs: 50, timeoutMs: 120_000 });
    } finally {
      sim.off('pushed', onPush);
    }
    expect(pushed.some((p) => /lib(SNPE|SnpeHtp)|deeplab|model\.dlc/.test(p))).toBe(false);
    // The job's own inputs are pushed every time (the pushed event does fire).
    expect(pushed.some((p) => p.includes('input_list.txt'))).toBe(true);
  }, 120_000);

  it.skipIf(skip)('prepare() + the phone: the single invocation runs detached-ready (command, env, outputs on the device)', async () => {
    const runner = (await gauge.runner('snpe', device))!;
    const inv = await runner.prepare!(device, { modelFiles: [{ path: DLC.v3hta, role: 'model' }], backend: 'gpu_fp16', threads: 1, warmup: 0, runs: 50, timeoutMs: 120_000 });
    const out = await device.transport.exec(inv.command, inv.args, { cwd: inv.cwd, env: inv.env, timeoutMs: 60_000 });
    expect(out.stdout).toContain('Successfully executed!');
    const files: Record<string, Buffer> = {};
    for (const o of inv.outputs!) files[o] = await device.transport.readFile(o);
    const r = await inv.parse({ ...out, files });
    expect(inv.args).toEqual(expect.arrayContaining(['--use_gpu', '--gpu_mode', 'float16']));
    expect(r.samplesMs).toHaveLength(50);
  }, 120_000);
});
