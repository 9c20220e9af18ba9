/**
 * The Android TFLite runners on the ADB device SIMULATOR, reached through the REAL adb server (a private one for
 * this file) and plugin-android's adbkit device: what a phone would see, command line and file pushes included.
 * The simulator runs commands on the host in its Android-like sandbox; its `app_process` is the stand-in of
 * support/standins/app_process.py (real LiteRT samples), its logcat is the simulator's own, and benchmark_model
 * is a stand-in replaying a real captured output. plugin-android is used here only, as a test dependency.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gauge, defaultConfig, type Device } from '@gaugenn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdbServer, type PrivateAdbServer } from '../../../test-support/adb-server.js';
import { fixture, missing } from '../../../test-support/fixtures.js';
import android, { AdbDeviceSimulator, type AdbTransport } from '../../plugin-android/src/index.js';
import tflite, { ANDROID_RUNNER_DIST, AndroidTfliteRunner, BenchmarkModelRunner, type TflitePluginOptions } from '../src/index.js';
import { appProcessStandin, benchmarkModelStandin } from './support/android-standins.js';
import { tfliteFixture } from './support/models.js';

const mobilenet = tfliteFixture('mobilenet_v1_0.25_128_quant');
const OUTPUTS = fixture('android/benchmark_model_outputs');
const host = mkdtempSync(join(tmpdir(), 'gaugenn-tflite-sim-'));
const delegateLog = join(host, 'delegate.log');

let server: PrivateAdbServer;
let phone: AdbDeviceSimulator;

beforeAll(async () => {
  if (!existsSync(join(ANDROID_RUNNER_DIST, 'manifest.json'))) execFileSync(process.execPath, [join(ANDROID_RUNNER_DIST, '..', 'build.mjs')], { stdio: 'inherit', timeout: 600_000 });
  writeFileSync(delegateLog, '');
  server = await startAdbServer();
  phone = await AdbDeviceSimulator.start({ profile: 'sm8450', serial: 'SIMTFLITE1' });
  // The phone's app_process: the stand-in of gaugeNN's Java runner (a phone has the real one in /system/bin).
  phone.installTool('/system/bin/app_process', appProcessStandin({ delegateLog }));
  await server.connect(phone);
}, 660_000);

afterAll(async () => {
  await server?.kill();
  await phone?.close();
});

async function deviceAndGauge(options: TflitePluginOptions = {}): Promise<{ gauge: Gauge; device: Device }> {
  const gauge = new Gauge(defaultConfig());
  await android.apply(gauge, { startAdbServer: false });
  await tflite.apply(gauge, options);
  const [device] = await gauge.devices({ kind: 'adb', server: server.address, serial: phone.address });
  return { gauge, device: device! };
}

const request = (over: Record<string, unknown> = {}) => ({ modelFiles: [{ path: mobilenet }], backend: 'cpu', threads: 4, warmup: 2, runs: 6, timeoutMs: 120_000, ...over });

describe('TFLite runners on the ADB device simulator through the real adb server', () => {
  const skip = missing(mobilenet);

  it.skipIf(skip)("gaugeNN's runner: pushed once under /data/local/tmp/gaugenn, run by app_process pinned to the big core, every sample", async () => {
    const { gauge, device } = await deviceAndGauge();
    const runner = await gauge.runner('tflite', device);
    expect(runner).toBeInstanceOf(AndroidTfliteRunner);
    expect(runner!.backends(device)).toEqual(['cpu', 'gpu', 'nnapi']);
    writeFileSync(delegateLog, '');
    const r = await runner!.run(device, { ...request(), cpuMask: '80' });
    expect(r.samplesMs).toHaveLength(6);
    expect(r.warmupMs).toHaveLength(2);
    expect(r.samplesMs.every((x) => x > 0)).toBe(true);
    expect(r.delegation).toBeNull();
    expect(r.extra).toMatchObject({ process: 'app_process', threads: 4, runtimeLog: 'logcat', createdDelegates: ['XNNPACK'], cpuMask: '80' });
    // What the phone was asked to do: clear the log, pin, dump the tflite tag.
    expect(phone.toolCalls('taskset').at(-1)!.args.slice(0, 2)).toEqual(['80', 'app_process']);
    expect(phone.toolCalls('logcat').slice(-2).map((c) => c.args)).toEqual([['-c'], ['-d', '-v', 'threadtime', '-s', 'tflite']]);
    // The runner's DEX and the arm64-v8a libraries (the phone's first ABI) are on the phone, once.
    const work = phone.hostPath('/data/local/tmp/gaugenn/work');
    const dir = readdirSync(work).find((d) => d.startsWith('tflite-runner-'))!;
    expect(readdirSync(join(work, dir, 'lib')).sort()).toEqual(['libtensorflowlite_gpu_jni.so', 'libtensorflowlite_jni.so']);
    expect(readFileSync(join(work, dir, 'lib', 'libtensorflowlite_jni.so')).readUInt16LE(18)).toBe(183); // EM_AARCH64
    const t = device.transport as AdbTransport;
    const pushed = t.filesPushed;
    const again = await (await deviceAndGauge()).gauge.runner('tflite', device).then((x) => x!.run(device, request({ runs: 3, warmup: 0 })));
    expect(again.samplesMs).toHaveLength(3);
    expect(t.filesPushed).toBe(pushed);
  });

  it.skipIf(skip || missing(OUTPUTS))('GPU silently falling back (the runtime lines of tensorflow#49012) → DELEGATE_NOT_APPLIED on the job', async () => {
    const { gauge, device } = await deviceAndGauge();
    writeFileSync(delegateLog, ['Created TensorFlow Lite delegate for GPU.', 'Created 0 GPU delegate kernels.'].join('\n'));
    const r = await (await gauge.runner('tflite', device))!.run(device, request({ backend: 'gpu', threads: 1 }));
    writeFileSync(delegateLog, '');
    expect(r.samplesMs).toHaveLength(6);
    expect(r.delegation).toMatchObject({ delegate: 'GPU', applied: false, nodesDelegated: 0 });
    expect(r.warnings).toEqual([{ code: 'DELEGATE_NOT_APPLIED', message: expect.stringContaining('Created 0 GPU delegate kernels.') }]);
  });

  it.skipIf(skip)('prepare() runs detached on the phone (unplugged mode) and its output file parses to the same result', async () => {
    const { gauge, device } = await deviceAndGauge();
    const runner = (await gauge.runner('tflite', device))!;
    const inv = await runner.prepare!(device, request({ runs: 4, warmup: 1 }));
    const dir = await device.transport.workDir();
    const outFile = `${dir}/job.out`;
    const rcFile = `${dir}/job.rc`;
    await device.transport.spawnDetached!(inv.command, inv.args, { cwd: inv.cwd, env: inv.env, outFile, rcFile });
    const t0 = Date.now();
    while (!existsSync(phone.hostPath(rcFile)) || readFileSync(phone.hostPath(rcFile), 'utf8').trim() === '') {
      if (Date.now() - t0 > 60_000) throw new Error('the detached job did not finish');
      await new Promise((r) => setTimeout(r, 200));
    }
    const exitCode = Number((await device.transport.readFile(rcFile)).toString().trim());
    const r = await inv.parse({ exitCode, stdout: (await device.transport.readFile(outFile)).toString(), stderr: '', files: {} });
    expect(exitCode).toBe(0);
    expect(r.samplesMs).toHaveLength(4);
    expect(r.warmupMs).toHaveLength(1);
  });

  it.skipIf(skip || missing(OUTPUTS))('benchmark_model: pushed by content and made executable, flags on the phone, aggregates and the XNNPACK partitioning', async () => {
    const tool = benchmarkModelStandin(mkdtempSync(join(host, 'bm-')), join(OUTPUTS, readdirSync(OUTPUTS).find((f) => f.startsWith('13_'))!));
    const { gauge, device } = await deviceAndGauge({ android: { runner: 'benchmark_model', benchmarkModel: tool.binary, xnnpack: true } });
    const runner = await gauge.runner('tflite', device);
    expect(runner).toBeInstanceOf(BenchmarkModelRunner);
    // Fixture 13's first run: 1000 runs asked and printed, XNNPACK taking every node.
    const r = await runner!.run(device, request({ runs: 1000, warmup: 5, threads: 4 }));
    expect(r.samplesMs).toEqual([]);
    expect(r.aggregate).toEqual({ count: 1000, mean: 63.7432, std: 60.716, min: 49.088, max: 686.105, median: 51.891, p5: 49.62, p95: 68.628 });
    expect(r.engine).toBe('tflite benchmark_model');
    expect(r.extra).toMatchObject({ format: 'info-prefix', delegates: { TfLiteXNNPackDelegate: { nodesDelegated: 2168, nodesTotal: 2168 } }, note: 'benchmark_model ran 9 warm-up runs for 5 asked' });
    const args = readFileSync(tool.argsFile, 'utf8').trim().split('\n');
    expect(args[0]).toMatch(/^--graph=\/.*\/mobilenet_v1_0\.25_128_quant\.tflite$/);
    expect(args.slice(1)).toEqual(['--num_threads=4', '--num_runs=1000', '--warmup_runs=5', '--min_secs=0', '--warmup_min_secs=0', '--max_secs=120', '--use_xnnpack=true']);
    // On the phone by content hash (plugin-android's pushCached), executable.
    const cache = phone.hostPath('/data/local/tmp/gaugenn/by-hash');
    const bin = readdirSync(cache).map((h) => join(cache, h, 'benchmark_model')).find((p) => existsSync(p))!;
    expect(statSync(bin).mode & 0o111).toBe(0o111);
  });
});
