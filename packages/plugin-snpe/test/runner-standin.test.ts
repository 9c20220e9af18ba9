/**
 * The SNPE runner's Android command lines for each runtime (command, environment, pushed files), through a device
 * stand-in: core's host transport under a Device of kind 'adb' (test-support localDevice), and a stand-in SDK whose
 * scripts print the real captured console output of snpe-net-run 2.14.2 on a Galaxy S22 and of
 * snpe-platform-validator, and write a real SNPEDiag log (50 inferences). No phone or Qualcomm binary is involved.
 *
 * Expected samples: the diag log's own inference totals (checked against snpe-diagview in diag-and-outputs.test.ts),
 * the first `warmup` of them kept apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GaugeError, type Device } from '@gaugenn/core';
import { localDevice, localTransport } from '../../../test-support/local-device.js';
import { missing } from '../../../test-support/fixtures.js';
import { readDiagLog, SnpeRunner } from '../src/index.js';
import { DLC } from './support/fixtures.js';
import { ANDROID_LIBS, DIAG_50, DSP_LIBS, NET_RUN_CAPTURE, PV_CAPTURE, standinSdk, type StandinSdk } from './support/standin-sdk.js';

const ADSP_SYSTEM = '/system/lib/rfsa/adsp;/system/vendor/lib/rfsa/adsp;/dsp';
const request = (backend: string, over: Partial<{ warmup: number; runs: number; cpuMask: string }> = {}) => ({
  modelFiles: [{ path: DLC.v4, role: 'model' }],
  backend,
  threads: 4,
  warmup: 10,
  runs: 40,
  timeoutMs: 60_000,
  ...over,
});

function adbStandIn(dir: string): Device {
  return { ...localDevice('adb'), id: 'standin-adb', transport: { ...localTransport, workDir: async () => dir } };
}
const skip = missing(DLC.v4, DIAG_50, NET_RUN_CAPTURE, PV_CAPTURE);

describe('SnpeRunner on an adb device stand-in', () => {
  let sdk: StandinSdk;
  let dir: string;
  let device: Device;
  const logUs = skip ? [] : readDiagLog(readFileSync(DIAG_50)).inferencesUs;
  beforeAll(async () => {
    if (skip) return;
    sdk = await standinSdk();
    dir = await mkdtemp(join(tmpdir(), 'gaugenn-snpe-dev-'));
    device = adbStandIn(dir);
  });
  afterAll(async () => {
    if (sdk) await rm(sdk.root, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const CASES = [
    { backend: 'cpu', flags: [], dsp: false },
    { backend: 'gpu', flags: ['--use_gpu'], dsp: false },
    { backend: 'gpu_fp16', flags: ['--use_gpu', '--gpu_mode', 'float16'], dsp: false },
    { backend: 'dsp', flags: ['--use_dsp'], dsp: true },
    { backend: 'aip', flags: ['--use_aip'], dsp: true },
  ];
  for (const c of CASES) {
    it.skipIf(skip)(`${c.backend}: pushes tool, libraries${c.dsp ? ', DSP skels' : ''}, model and inputs; runs snpe-net-run ${c.flags.join(' ') || '(CPU default)'}; keeps every sample`, async () => {
      const r = await new SnpeRunner({ sdkRoot: sdk.root, perfProfile: 'burst' }).run(device, request(c.backend));
      const call = await sdk.lastCall('snpe-net-run');
      const job = `${dir}/snpe-job`;
      expect(call.args).toEqual([
        '--container', `${job}/model.dlc`,
        '--input_list', `${job}/input_list.txt`,
        '--output_dir', `${job}/out`,
        ...c.flags,
        '--perf_profile', 'burst',
        '--profiling_level', 'basic',
      ]);
      expect(call.cwd).toBe(job);
      expect(call.env.LD_LIBRARY_PATH).toBe(`${dir}/snpe/lib`);
      expect(call.env.ADSP_LIBRARY_PATH).toBe(c.backend === 'cpu' ? '' : `${dir}/snpe/dsp;${ADSP_SYSTEM}`);
      expect(readdirSync(`${dir}/snpe/lib`).sort()).toEqual([...ANDROID_LIBS].sort());
      expect(readdirSync(`${dir}/snpe/bin`).sort()).toEqual(c.backend === 'cpu' ? ['snpe-net-run'] : ['snpe-net-run', 'snpe-platform-validator']);
      if (c.dsp) expect(readdirSync(`${dir}/snpe/dsp`)).toEqual(DSP_LIBS);
      // The det_500m input is 1×640×640×3 float32: 4,915,200 bytes; one input-list line per inference.
      expect(readdirSync(job).sort()).toEqual(['input_0.raw', 'input_list.txt', 'model.dlc', 'out']);
      expect(readFileSync(`${job}/input_0.raw`).length).toBe(640 * 640 * 3 * 4);
      expect(readFileSync(join(sdk.calls, 'input_list.txt'), 'utf8')).toBe(`${job}/input_0.raw\n`.repeat(50));
      expect(readFileSync(`${job}/model.dlc`).equals(readFileSync(DLC.v4))).toBe(true);
      expect(r.warmupMs).toEqual(logUs.slice(0, 10).map((u) => u / 1000));
      expect(r.samplesMs).toEqual(logUs.slice(10, 50).map((u) => u / 1000));
      expect(r.engine).toBe('snpe-net-run 2.14.2.230905160328_61726');
      expect(r.extra).toMatchObject({ backend: c.backend, perfProfile: 'burst', inferencesLogged: 50, initUs: 239185 });
      if (c.backend === 'cpu') expect(r.delegation).toBeNull();
      else {
        expect(r.delegation).toMatchObject({ delegate: { gpu: 'GPU', gpu_fp16: 'GPU', dsp: 'DSP', aip: 'AIP' }[c.backend], applied: true });
        expect((await sdk.lastCall('snpe-platform-validator')).args).toEqual(['--runtime', { gpu: 'gpu', gpu_fp16: 'gpu', dsp: 'dsp', aip: 'aip' }[c.backend]]);
      }
      if (c.backend === 'dsp') expect(r.extra!.platformValidator).toMatchObject({ runtime: 'DSP', unitTest: 'passed', coreVersion: 'Hexagon Architecture V69' });
      expect(r.warnings ?? []).toEqual([]);
    });
  }

  it.skipIf(skip)('prepare() gives the single invocation: command, args, env, outputs, and parse reads the log', async () => {
    const runner = new SnpeRunner({ sdkRoot: sdk.root });
    const inv = await runner.prepare(device, request('dsp', { cpuMask: 'f0' }));
    expect(inv.command).toBe('taskset');
    expect(inv.args.slice(0, 2)).toEqual(['f0', `${dir}/snpe/bin/snpe-net-run`]);
    expect(inv.args).toContain('high_performance');
    expect(inv.env).toEqual({ LD_LIBRARY_PATH: `${dir}/snpe/lib`, ADSP_LIBRARY_PATH: `${dir}/snpe/dsp;${ADSP_SYSTEM}` });
    expect(inv.outputs).toEqual([`${dir}/snpe-job/out/SNPEDiag_0.log`]);
    const r = await inv.parse({ exitCode: 0, stdout: 'Successfully executed!\n', stderr: '', files: { [inv.outputs![0]!]: readFileSync(DIAG_50) } });
    expect(r.samplesMs).toHaveLength(40);
  });

  it.skipIf(skip)('a DSP the validator rejects, with CPU fallback allowed, is a DELEGATE_NOT_APPLIED warning', async () => {
    const failing = await standinSdk({ validator: 'fail' });
    try {
      const r = await new SnpeRunner({ sdkRoot: failing.root, cpuFallback: true }).run(device, request('dsp'));
      expect((await failing.lastCall('snpe-net-run')).args).toContain('--enable_cpu_fallback');
      expect(r.delegation).toMatchObject({ delegate: 'DSP', applied: false });
      expect(r.warnings?.map((w) => w.code)).toContain('DELEGATE_NOT_APPLIED');
      expect(r.warnings?.find((w) => w.code === 'DELEGATE_NOT_APPLIED')?.message).toMatch(/platform validator reports the DSP runtime unusable/);
      expect(r.samplesMs).toHaveLength(40);
    } finally {
      await rm(failing.root, { recursive: true, force: true });
    }
  });

  it.skipIf(skip)('the captured error 311 output fails the job with its code and message', async () => {
    const bad = await standinSdk({ netRun: 'error311' });
    try {
      const e = await new SnpeRunner({ sdkRoot: bad.root }).run(device, request('dsp')).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(GaugeError);
      expect((e as GaugeError).code).toBe('RUNNER_FAILED');
      expect((e as GaugeError).message).toContain('error_code=311 (Dl Container): Dlc container is bad');
    } finally {
      await rm(bad.root, { recursive: true, force: true });
    }
  });

  it.skipIf(skip)('snpe-throughput-net-run: one aggregate, no invented samples', async () => {
    const r = await new SnpeRunner({ sdkRoot: sdk.root, tool: 'throughput', durationS: 4 }).run(device, request('gpu_fp16'));
    expect((await sdk.lastCall('snpe-throughput-net-run')).args).toEqual(['--container', `${dir}/snpe-job/model.dlc`, '--input_raw', `${dir}/snpe-job/input_0.raw`, '--use_gpu_fp16', '--perf_profile', 'high_performance', '--duration', '4']);
    expect(r.samplesMs).toEqual([]);
    expect(r.aggregate).toMatchObject({ count: 102, mean: 1000 / 25.5, median: null });
  });

  it.skipIf(missing(DLC.v4))('without the SDK: SNPE_SDK_MISSING naming where to get it and the setting', async () => {
    const e = await new SnpeRunner({ env: {} }).run(adbStandIn(tmpdir()), request('dsp')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GaugeError);
    expect((e as GaugeError).code).toBe('SNPE_SDK_MISSING');
    expect((e as GaugeError).message).toMatch(/plugins\.snpe\.sdkRoot/);
    expect((e as GaugeError).message).toMatch(/softwarecenter\.qualcomm\.com/);
    const e2 = await new SnpeRunner({ sdkRoot: '/nonexistent/qairt', env: { SNPE_ROOT: '/also/missing' } }).run(adbStandIn(tmpdir()), request('cpu')).catch((x: unknown) => x);
    expect((e2 as GaugeError).message).toMatch(/plugins\.snpe\.sdkRoot=\/nonexistent\/qairt, SNPE_ROOT=\/also\/missing/);
  });
});

describe('SnpeRunner on an x86-64 Linux host', () => {
  it.skipIf(skip || process.platform !== 'linux' || process.arch !== 'x64')('runs the SDK host binary in place with its lib folder; CPU only', async () => {
    const sdk = await standinSdk({ host: true });
    const dir = await mkdtemp(join(tmpdir(), 'gaugenn-snpe-host-'));
    try {
      const host: Device = { ...localDevice('host'), transport: { ...localTransport, workDir: async () => dir } };
      const runner = new SnpeRunner({ env: { QAIRT_SDK_ROOT: sdk.root } });
      expect(runner.backends(host)).toEqual(['cpu']);
      const r = await runner.run(host, request('cpu', { warmup: 0, runs: 50 }));
      const call = await sdk.lastCall('snpe-net-run');
      expect(call.env.LD_LIBRARY_PATH).toBe(join(sdk.root, 'lib', 'x86_64-linux-clang'));
      expect(call.args.slice(0, 2)).toEqual(['--container', `${dir}/snpe-job/model.dlc`]);
      expect(r.samplesMs).toHaveLength(50);
      const e = await runner.run(host, request('dsp')).catch((x: unknown) => x);
      expect((e as GaugeError).code).toBe('BACKEND_UNSUPPORTED');
    } finally {
      await rm(sdk.root, { recursive: true, force: true });
      await rm(dir, { recursive: true, force: true });
    }
  });
});
