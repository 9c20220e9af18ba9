/**
 * The Android TFLite runners through an adb device STAND-IN (core's host transport, the device's work dir in a
 * temp folder, stand-ins of app_process, logcat and benchmark_model on PATH; see support/android-standins.ts):
 * gaugeNN's own runner's command line and output protocol with real LiteRT samples, and benchmark_model over
 * real captured outputs. The built DEX itself is read by dexdump, and the Java runner's error protocol runs on
 * the host JVM.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaugeError, sha256File } from '@gaugenn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { ANDROID_RUNNER_DIST, AndroidTfliteRunner, BenchmarkModelRunner, loadRunnerBundle, type RunnerManifest } from '../src/index.js';
import { benchmarkModelStandin, standinDevice } from './support/android-standins.js';
import { tfliteFixture } from './support/models.js';

const BUILD = join(ANDROID_RUNNER_DIST, '..', 'build.mjs');
const OUTPUTS = fixture('android/benchmark_model_outputs');
const output = (prefix: string) => join(OUTPUTS, execFileSync('ls', [OUTPUTS], { encoding: 'utf8' }).split('\n').find((f) => f.startsWith(prefix))!);
const mobilenet = tfliteFixture('mobilenet_v1_0.25_128_quant');
const request = (over: Partial<Parameters<AndroidTfliteRunner['run']>[1]> = {}) => ({
  modelFiles: [{ path: mobilenet }],
  backend: 'cpu',
  threads: 2,
  warmup: 2,
  runs: 5,
  timeoutMs: 120_000,
  ...over,
});

async function rejection(p: Promise<unknown>): Promise<GaugeError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(GaugeError);
  return e as GaugeError;
}

// The runner is built by the project's build; a fresh checkout builds it here rather than skipping.
beforeAll(() => {
  if (!existsSync(join(ANDROID_RUNNER_DIST, 'manifest.json'))) execFileSync(process.execPath, [BUILD], { stdio: 'inherit', timeout: 600_000 });
}, 620_000);

describe("gaugeNN's Android TFLite runner, as built", () => {
  it('dexdump reads the DEX and shows the runner class; the manifest matches the files', async () => {
    const { dir, manifest } = loadRunnerBundle();
    const dex = join(dir, manifest.dex.file);
    const dump = execFileSync('dexdump', ['-f', dex], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(dump).toMatch(/DEX file header:\nmagic\s+: 'dex\\n03[5-9]\\0'/);
    expect(dump).toContain("Class descriptor  : 'Ldev/gaugenn/tflite/TfliteRunner;'");
    // The official runtime's Java API is in the same DEX.
    expect(dump).toContain("Class descriptor  : 'Lorg/tensorflow/lite/Interpreter;'");
    expect(dump).toContain("Class descriptor  : 'Lorg/tensorflow/lite/gpu/GpuDelegate;'");
    expect(dump).toContain("Class descriptor  : 'Lorg/tensorflow/lite/nnapi/NnApiDelegate;'");
    expect(Number(/file_size\s+: (\d+)/.exec(dump)![1])).toBe(manifest.dex.bytes);
    expect(await sha256File(dex)).toBe(manifest.dex.sha256);
    expect(manifest.runnerClass).toBe('dev.gaugenn.tflite.TfliteRunner');
    expect(manifest.versions.tensorflowLite).toBe('org.tensorflow:tensorflow-lite:2.16.1');
  });

  it('has the native libraries of the AARs for arm64-v8a, armeabi-v7a and x86_64', async () => {
    const { dir, manifest } = loadRunnerBundle();
    for (const abi of ['arm64-v8a', 'armeabi-v7a', 'x86_64']) {
      const libs = manifest.abis[abi]!;
      expect(libs.map((l) => l.name).sort()).toEqual(['libtensorflowlite_gpu_jni.so', 'libtensorflowlite_jni.so']);
      for (const l of libs) {
        const p = join(dir, l.file);
        expect(statSync(p).size).toBe(l.bytes);
        expect(await sha256File(p)).toBe(l.sha256);
        // An ELF shared object for the ABI (e_machine: 183 AArch64, 40 ARM, 62 x86-64).
        const head = readFileSync(p).subarray(0, 20);
        expect(head.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
        expect(head.readUInt16LE(18)).toBe({ 'arm64-v8a': 183, 'armeabi-v7a': 40, x86_64: 62 }[abi]);
      }
    }
  });

  // The Java runner's own code on the host JVM: its argument checks and error documents are the protocol. Run from
  // javac's classes, and from the DEX itself translated back to JVM bytecode by enjarify (Debian package enjarify).
  const classes = join(ANDROID_RUNNER_DIST, '..', 'build', 'classes');
  const aar = join(ANDROID_RUNNER_DIST, '..', 'build', 'aar');
  const fromClasses = () => [classes, ...['tensorflow-lite', 'tensorflow-lite-api', 'tensorflow-lite-gpu', 'tensorflow-lite-gpu-api'].map((a) => join(aar, a, 'classes.jar'))].join(':');
  const fromDex = () => {
    const jar = join(mkdtempSync(join(tmpdir(), 'runner-dex-jar-')), 'runner.jar');
    // enjarify's launcher prefers pypy/python3 from PATH; the system Python has its module.
    execFileSync('enjarify', ['-o', jar, join(ANDROID_RUNNER_DIST, loadRunnerBundle().manifest.dex.file)], { env: { ...process.env, PYTHON: '/usr/bin/python3' }, stdio: 'ignore' });
    return jar;
  };
  const noEnjarify = (() => {
    try {
      execFileSync('sh', ['-c', 'command -v enjarify'], { stdio: 'ignore' });
      return undefined;
    } catch {
      process.stderr.write('[skip] enjarify is not installed (apt-get install enjarify)\n');
      return 'enjarify is not installed (apt-get install enjarify)';
    }
  })();
  const onJvm = (cp: string, args: string[]) => {
    try {
      return { status: 0, stdout: execFileSync('java', ['-cp', cp, 'dev.gaugenn.tflite.TfliteRunner', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
    } catch (e) {
      const x = e as { status: number; stdout: string };
      return { status: x.status, stdout: x.stdout };
    }
  };
  for (const [what, cp, skip] of [
    ["javac's classes", fromClasses, missing(classes)],
    ['the DEX (translated back by enjarify)', fromDex, noEnjarify],
  ] as const) {
    it.skipIf(skip)(`the Java runner prints one error document with a code and a status on the JVM, from ${what}`, () => {
      const path = cp();
      const noModel = onJvm(path, ['--model', '/nonexistent.tflite', '--backend', 'cpu']);
      expect(noModel.status).toBe(1);
      expect(JSON.parse(noModel.stdout)).toEqual({ error: { code: 'RUNNER_FAILED', message: 'model file not found: /nonexistent.tflite' } });
      expect(JSON.parse(onJvm(path, ['--model', mobilenet, '--backend', 'tpu']).stdout).error.message).toBe('backend tpu is not one of cpu, gpu, nnapi');
      expect(JSON.parse(onJvm(path, ['--model', mobilenet, '--runs', 'x']).stdout).error.message).toMatch(/--runs must be a whole number/);
      // Android's libraries are built for bionic: on this host they do not load, and the runner says the runtime is missing.
      const libs = onJvm(path, ['--model', mobilenet, '--libs', join(ANDROID_RUNNER_DIST, 'lib', 'x86_64')]);
      expect(libs.status).toBe(3);
      expect(JSON.parse(libs.stdout).error).toMatchObject({ code: 'RUNNER_MISSING', message: expect.stringContaining('libtensorflowlite_jni.so') });
    });
  }
});

describe("gaugeNN's Android TFLite runner through an adb device stand-in (real LiteRT samples)", () => {
  const skip = missing(mobilenet);

  it.skipIf(skip)('pushes the DEX and the ABI libraries once, runs app_process with the contract, keeps every sample', async () => {
    const s = standinDevice(['arm64-v8a', 'armeabi-v7a']);
    const runner = new AndroidTfliteRunner();
    const r = await runner.run(s.device, request());
    expect(r.samplesMs).toHaveLength(5);
    expect(r.warmupMs).toHaveLength(2);
    expect(r.samplesMs.every((x) => x > 0)).toBe(true);
    expect(r.engine).toMatch(/^ai-edge-litert \S+ \(host stand-in for app_process\)$/);
    expect(r.delegation).toBeNull();
    expect(r.warnings).toEqual([]);
    expect(r.extra).toMatchObject({ runner: 'gaugenn-tflite-runner', process: 'app_process', threads: 2, backend: 'cpu', xnnpack: true, runtimeLog: 'logcat', inputs: [{ shape: [1, 128, 128, 3], dtype: 'uint8' }] });
    // The runtime's own line reached the runner through the logcat stand-in.
    expect(r.extra!.createdDelegates).toEqual(['XNNPACK']);
    const manifest: RunnerManifest = loadRunnerBundle().manifest;
    const runnerDir = s.pushes.find((p) => p.endsWith(manifest.dex.file))!.replace(/\/[^/]+$/, '');
    expect(runnerDir).toMatch(new RegExp(`^${s.work}/tflite-runner-[0-9a-f]{16}$`));
    expect(s.pushes.filter((p) => p.startsWith(`${runnerDir}/lib/`)).sort()).toEqual([`${runnerDir}/lib/libtensorflowlite_gpu_jni.so`, `${runnerDir}/lib/libtensorflowlite_jni.so`]);
    // The first ABI the device prefers, pushed byte for byte.
    expect(await sha256File(`${runnerDir}/lib/libtensorflowlite_jni.so`)).toBe(manifest.abis['arm64-v8a']!.find((l) => l.name === 'libtensorflowlite_jni.so')!.sha256);
    const script = s.commands.at(-1)!.args[1]!;
    expect(s.commands.at(-1)!.command).toBe('sh');
    expect(script).toContain(`CLASSPATH=${runnerDir}/${manifest.dex.file} LD_LIBRARY_PATH=${runnerDir}/lib app_process -Djava.library.path=${runnerDir}/lib /system/bin dev.gaugenn.tflite.TfliteRunner --model `);
    expect(script).toMatch(/--backend cpu --threads 2 --warmup 2 --runs 5 --xnnpack true --libs /);
    expect(script.split('\n')[0]).toBe('logcat -c 2>/dev/null');

    const pushesBefore = s.pushes.length;
    const again = await new AndroidTfliteRunner().run(s.device, request({ runs: 3, warmup: 0 }));
    expect(again.samplesMs).toHaveLength(3);
    expect(again.warmupMs).toEqual([]);
    expect(s.pushes.length).toBe(pushesBefore); // runner and model are on the device already
  });

  it.skipIf(skip)('a runner folder removed on the device fails once with RUNNER_MISSING, then is pushed again', async () => {
    const s = standinDevice();
    const runner = new AndroidTfliteRunner();
    await runner.run(s.device, request({ runs: 1, warmup: 0 }));
    const dex = s.pushes.find((p) => p.endsWith('.dex'))!;
    rmSync(join(dex, '..'), { recursive: true, force: true });
    const e = await rejection(runner.run(s.device, request({ runs: 1, warmup: 0 })));
    expect(e.code).toBe('RUNNER_MISSING');
    const r = await runner.run(s.device, request({ runs: 2, warmup: 0 }));
    expect(r.samplesMs).toHaveLength(2);
    expect(s.pushes.filter((p) => p === dex)).toHaveLength(2);
  });

  it.skipIf(skip)('pins with taskset on request, and turns XNNPACK off', async () => {
    const s = standinDevice();
    const r = await new AndroidTfliteRunner({ xnnpack: false }).run(s.device, request({ cpuMask: '1', threads: 1 }));
    expect(r.samplesMs).toHaveLength(5);
    expect(r.extra).toMatchObject({ cpuMask: '1', xnnpack: false });
    expect(r.extra!.createdDelegates).toEqual([]);
    expect(s.commands.at(-1)!.args[1]).toContain(' taskset 1 app_process ');
  });

  it.skipIf(skip || missing(OUTPUTS))('GPU taking part of the graph → DELEGATE_PARTIAL with node counts, from the runtime log', async () => {
    const s = standinDevice();
    // The lines a phone's TFLite logs for this case (captured on a real device: fixture 16).
    s.setDelegateLog(readFileSync(output('16_'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')));
    const r = await new AndroidTfliteRunner().run(s.device, request({ backend: 'gpu' }));
    expect(r.samplesMs).toHaveLength(5);
    expect(r.delegation).toEqual({ delegate: 'TfLiteGpuDelegateV2', applied: true, nodesDelegated: 29, nodesTotal: 65, partitions: 3, verdict: 'Replacing 29 out of 65 node(s) with delegate (TfLiteGpuDelegateV2) node, yielding 3 partitions for the whole graph.' });
    expect(r.warnings).toEqual([{ code: 'DELEGATE_PARTIAL', message: 'The GPU delegate (TfLiteGpuDelegateV2) took 29 of 65 nodes in 3 partitions; the other 36 ran on the CPU.' }]);
    expect(s.commands.at(-1)!.args[1]).toContain('--backend gpu');
  });

  it.skipIf(skip)('NNAPI created but given nothing → DELEGATE_NOT_APPLIED (the silent CPU fallback)', async () => {
    const s = standinDevice();
    s.setDelegateLog(['Created TensorFlow Lite delegate for NNAPI.']);
    const r = await new AndroidTfliteRunner({ nnapiAccelerator: 'qti-dsp' }).run(s.device, request({ backend: 'nnapi' }));
    expect(r.delegation).toMatchObject({ delegate: 'NNAPI', applied: false, nodesDelegated: 0 });
    expect(r.warnings).toEqual([{ code: 'DELEGATE_NOT_APPLIED', message: expect.stringContaining('the NNAPI delegate was created but no line says it took any node') }]);
    expect(s.commands.at(-1)!.args[1]).toContain('--backend nnapi --threads 2 --warmup 2 --runs 5 --xnnpack true --libs ');
    expect(s.commands.at(-1)!.args[1]).toContain('--nnapi-accelerator qti-dsp');
  });

  it.skipIf(skip)('prepare() gives the single command that measures the job (unplugged mode)', async () => {
    const s = standinDevice();
    const runner = new AndroidTfliteRunner();
    const inv = await runner.prepare(s.device, request({ runs: 4, warmup: 1 }));
    expect(inv.command).toBe('sh');
    const res = await s.device.transport.exec(inv.command, inv.args, { timeoutMs: 120_000 });
    const r = await inv.parse({ ...res, files: {} });
    expect(r.samplesMs).toHaveLength(4);
    expect(r.warmupMs).toHaveLength(1);
  });

  it.skipIf(missing(tfliteFixture('model_invoking_error')))('a model the runtime cannot run is RUNNER_FAILED with the runtime cause', async () => {
    const s = standinDevice();
    const e = await rejection(new AndroidTfliteRunner().run(s.device, request({ modelFiles: [{ path: tfliteFixture('model_invoking_error') }] })));
    expect(e.code).toBe('RUNNER_FAILED');
    expect(e.message).toContain('fake-op-double');
  });

  it.skipIf(skip)('not built, an ABI without libraries, a backend it does not offer: typed failures that say what to do', async () => {
    const s = standinDevice();
    const unbuilt = await rejection(new AndroidTfliteRunner({ bundleDir: mkdtempSync(join(tmpdir(), 'no-runner-')) }).run(s.device, request()));
    expect(unbuilt.code).toBe('RUNNER_MISSING');
    expect(unbuilt.message).toContain('npm run build:android-runner');
    const mips = await rejection(new AndroidTfliteRunner().run(standinDevice(['mips']).device, request()));
    expect(mips.code).toBe('RUNNER_MISSING');
    expect(mips.message).toMatch(/runs mips/);
    const hexagon = await rejection(new AndroidTfliteRunner().run(s.device, request({ backend: 'hexagon' })));
    expect(hexagon.code).toBe('BACKEND_UNSUPPORTED');
    expect(new AndroidTfliteRunner().backends(s.device)).toEqual(['cpu', 'gpu', 'nnapi']);
  });
});

describe('benchmark_model through an adb device stand-in (real captured outputs)', () => {
  const skip = missing(mobilenet, OUTPUTS);
  const setup = (prefix: string, exitCode = 0, options: ConstructorParameters<typeof BenchmarkModelRunner>[0] = {}) => {
    const s = standinDevice();
    const tool = benchmarkModelStandin(mkdtempSync(join(tmpdir(), 'bm-standin-')), output(prefix), exitCode);
    return { s, tool, runner: new BenchmarkModelRunner({ binary: tool.binary, ...options }) };
  };

  it('builds the flags of each flavour', () => {
    const classic = new BenchmarkModelRunner({ binary: 'x', nnapiAccelerator: 'qti-gpu', xnnpack: false, opProfiling: true });
    expect(classic.flags('/d/m.tflite', { backend: 'nnapi', threads: 4, warmup: 2, runs: 30, timeoutMs: 90_500 })).toEqual([
      '--graph=/d/m.tflite', '--num_threads=4', '--num_runs=30', '--warmup_runs=2', '--min_secs=0', '--warmup_min_secs=0', '--max_secs=91',
      '--use_nnapi=true', '--nnapi_accelerator_name=qti-gpu', '--use_xnnpack=false', '--enable_op_profiling=true',
    ]);
    expect(new BenchmarkModelRunner({ binary: 'x', hexagonLibPath: '/data/local/tmp/hex' }).flags('m', { backend: 'hexagon', threads: 1, warmup: 1, runs: 1, timeoutMs: 1000 })).toContain('--hexagon_lib_path=/data/local/tmp/hex');
    const litert = new BenchmarkModelRunner({ binary: 'x', flavor: 'litert' });
    expect(litert.flags('m', { backend: 'gpu', threads: 1, warmup: 1, runs: 10, timeoutMs: 1000 }).slice(7)).toEqual(['--use_cpu=false', '--use_gpu=true', '--use_npu=false']);
    expect(litert.backends(standinDevice().device)).toEqual(['cpu', 'gpu', 'npu']);
    expect(classic.backends(standinDevice().device)).toEqual(['cpu', 'gpu', 'nnapi', 'hexagon']);
  });

  it.skipIf(skip)('GPU fully delegated (fixture 05): aggregates in ms, no samples invented, delegation, notes on counts', async () => {
    const { s, tool, runner } = setup('05_');
    const r = await runner.run(s.device, request({ backend: 'gpu', threads: 4, warmup: 1, runs: 50 }));
    expect(r.samplesMs).toEqual([]);
    expect(r.warmupMs).toBeUndefined();
    expect(r.aggregate).toEqual({ count: 50, mean: 119.375, std: 1.948, min: 113.737, max: 124.776, median: null, p5: null, p95: null });
    expect(r.engine).toBe('tflite benchmark_model');
    expect(r.delegation).toMatchObject({ delegate: 'GPU', applied: true, verdict: 'Explicitly applied GPU delegate, and the model graph will be completely executed by the delegate.' });
    expect(r.warnings).toEqual([]);
    expect(r.extra).toMatchObject({ flavor: 'classic', initMs: 870.557, firstInferenceMs: 130.565, warmup: { count: 4, mean: 122.373 }, note: 'benchmark_model ran 4 warm-up runs for 1 asked' });
    const args = readFileSync(tool.argsFile, 'utf8').trim().split('\n');
    expect(args).toEqual([expect.stringMatching(/^--graph=.*mobilenet_v1_0\.25_128_quant\.tflite$/), '--num_threads=4', '--num_runs=50', '--warmup_runs=1', '--min_secs=0', '--warmup_min_secs=0', '--max_secs=120', '--use_gpu=true']);
    // Pushed once, executable.
    const bin = s.pushes.find((p) => p.endsWith('benchmark_model'))!;
    expect(statSync(bin).mode & 0o111).toBe(0o111);
    await runner.run(s.device, request({ backend: 'gpu', threads: 4, warmup: 1, runs: 50 }));
    expect(s.pushes.filter((p) => p.endsWith('benchmark_model'))).toHaveLength(1);
  });

  it.skipIf(skip)('NNAPI partially applied through logcat-format output (fixture 07), pinned with taskset', async () => {
    const { s, tool, runner } = setup('07_');
    const r = await runner.run(s.device, request({ backend: 'nnapi', runs: 50, warmup: 1, cpuMask: '1' }));
    expect(r.aggregate).toMatchObject({ count: 75, mean: 12.1676, min: 11.787, max: 13.649, std: 0.325 });
    expect(r.warnings).toEqual([{ code: 'DELEGATE_PARTIAL', message: expect.stringContaining('44 delegate kernels') }]);
    expect(r.extra).toMatchObject({ format: 'logcat', cpuMask: '1', note: expect.stringContaining('ran 75 timed runs for 50 asked') });
    expect(s.commands.at(-1)).toMatchObject({ command: 'taskset', args: ['1', expect.stringMatching(/benchmark_model$/), expect.stringMatching(/^--graph=/), '--num_threads=2', '--num_runs=50', '--warmup_runs=1', '--min_secs=0', '--warmup_min_secs=0', '--max_secs=120', '--use_nnapi=true'] });
    expect(readFileSync(tool.argsFile, 'utf8')).toContain('--use_nnapi=true');
  });

  it.skipIf(skip)('a delegate that fails to apply (fixture 03, exit 1) is RUNNER_FAILED quoting the tool', async () => {
    const { s, runner } = setup('03_', 1);
    const e = await rejection(runner.run(s.device, request({ backend: 'nnapi' })));
    expect(e.code).toBe('RUNNER_FAILED');
    expect(e.message).toContain('Failed to apply NNAPI delegate.');
    expect(e.message).toContain('ANEURALNETWORKS_OP_FAILED');
  });

  it.skipIf(skip)('prepare() is the single invocation; no binary configured is RUNNER_MISSING', async () => {
    const { s, runner } = setup('12_');
    const inv = await runner.prepare(s.device, request({ runs: 50 }));
    const res = await s.device.transport.exec(inv.command, inv.args, { timeoutMs: 30_000 });
    const r = await inv.parse({ ...res, files: {} });
    expect(r.aggregate).toMatchObject({ count: 50, mean: 266.473, std: 0.419 });
    expect(r.delegation).toBeNull();
    const e = await rejection(new BenchmarkModelRunner({}).run(s.device, request()));
    expect(e.code).toBe('RUNNER_MISSING');
    expect(e.message).toContain('plugins.tflite.android.benchmarkModel');
  });
});
