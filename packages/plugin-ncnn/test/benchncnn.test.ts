/**
 * benchncnn's output parser on real captured output, and the Android runner against an adb device
 * *simulator* (a local transport whose "benchncnn" is a shell script replaying captured output).
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaugeError, type Device } from '@gaugenn/core';
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import { BenchncnnRunner, parseBenchncnnOutput } from '../src/index.js';
import { localDevice, localTransport } from './support/local-device.js';
import { paramPath } from './support/models.js';

/** Captured on a OnePlus 7T (Snapdragon 855+), from Tencent/ncnn benchmark/README.md. */
const SM8150 = `[0 Adreno (TM) 640]  queueC=0[3]  queueG=0[3]  queueT=0[3]
[0 Adreno (TM) 640]  buglssc=0  bugsbn1=0  buglbia=0  bugihfa=1
[0 Adreno (TM) 640]  fp16p=1  fp16s=0  fp16a=1  int8s=0  int8a=0
loop_count = 8
num_threads = 4
powersave = 2
gpu_device = -1
cooling_down = 1
          squeezenet  min =    8.84  max =    8.89  avg =    8.87
     squeezenet_int8  min =   11.86  max =   11.98  avg =   11.89
`;

/** Captured on a Snapdragon 820 (MSM8996) in adb shell, from Tencent/ncnn benchmark/README.md (older header). */
const MSM8996 = `loop_count = 8
num_threads = 4
powersave = 0
      squeezenet  min =   36.25  max =   38.47  avg =   37.28
       mobilenet  min =   55.31  max =   69.14  avg =   57.51
  squeezenet-ssd  min =   66.86  max =   75.74  avg =   68.65
`;

describe('parseBenchncnnOutput', () => {
  it('reads stats, settings and GPU lines of current benchncnn', () => {
    const o = parseBenchncnnOutput(SM8150);
    expect(o.stats).toEqual([
      { model: 'squeezenet', minMs: 8.84, maxMs: 8.89, avgMs: 8.87 },
      { model: 'squeezenet_int8', minMs: 11.86, maxMs: 11.98, avgMs: 11.89 },
    ]);
    expect(o.settings).toEqual({ loop_count: 8, num_threads: 4, powersave: 2, gpu_device: -1, cooling_down: 1 });
    expect(o.gpuInfo).toHaveLength(3);
  });

  it('reads the older output, and names with dashes', () => {
    const o = parseBenchncnnOutput(MSM8996);
    expect(o.stats.map((s) => s.model)).toEqual(['squeezenet', 'mobilenet', 'squeezenet-ssd']);
    expect(o.stats[2]!.avgMs).toBe(68.65);
    expect(o.settings.gpu_device).toBeUndefined();
  });

  it('finds nothing in an error message', () => {
    expect(parseBenchncnnOutput('input tensor shape empty!\n').stats).toEqual([]);
  });
});

describe('BenchncnnRunner on an adb device simulator', () => {
  const runner = new BenchncnnRunner({ binary: '/unused', powersave: 2 });

  it('builds the argument list in benchncnn order, shapes as w,h,c', () => {
    expect(runner.args('/data/local/tmp/m.param', [{ dims: [3, 224, 160] }], 4, 'vulkan')).toEqual(['1', '4', '2', '0', '0', 'param=/data/local/tmp/m.param', 'shape=[160,224,3]']);
    expect(runner.args('m.param', [{ dims: [3, 8, 8] }, { dims: [16] }], 1, 'cpu', 8)).toEqual(['8', '1', '2', '-1', '0', 'param=m.param', 'shape=[8,8,3],[16]']);
    expect(runner.backends(localDevice('adb'))).toEqual(['cpu', 'vulkan']);
    expect(runner.backends(localDevice('host'))).toEqual([]);
  });

  const simulator = (script: string): { device: Device; binary: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'benchncnn-sim-'));
    const binary = join(dir, 'benchncnn-script');
    writeFileSync(binary, script);
    chmodSync(binary, 0o755);
    const work = mkdtempSync(join(tmpdir(), 'benchncnn-work-'));
    return { device: { ...localDevice('adb'), transport: { ...localTransport, workDir: async () => work } }, binary };
  };

  it.skipIf(missing(paramPath('bench_mobilenet')))('pushes, runs once per sample and keeps every sample', async () => {
    // The simulator replays the captured SM8150 lines on stderr, as benchncnn writes them, and echoes its args.
    const { device, binary } = simulator(`#!/bin/sh\necho "args: $*" >&2\nprintf '%s\\n' "loop_count = $1" "num_threads = $2" >&2\necho "     bench_mobilenet  min =   11.36  max =   11.46  avg =   11.40" >&2\n`);
    const r = await new BenchncnnRunner({ binary }).run(device, { modelFiles: [{ path: paramPath('bench_mobilenet') }], backend: 'cpu', threads: 4, warmup: 1, runs: 3, timeoutMs: 30_000 });
    expect(r.samplesMs).toEqual([11.4, 11.4, 11.4]);
    expect(r.warmupMs).toEqual([11.4]);
    expect(r.extra).toMatchObject({ loopCountPerInvocation: 1, weights: 'generated-by-benchncnn', settings: { loop_count: 1, num_threads: 4 } });
  });

  it.skipIf(missing(paramPath('bench_mobilenet')))('a benchncnn that prints no stat line is a typed failure with its output', async () => {
    const { device, binary } = simulator(`#!/bin/sh\necho "input tensor shape empty!" >&2\nexit 255\n`);
    const e = (await new BenchncnnRunner({ binary }).run(device, { modelFiles: [{ path: paramPath('bench_mobilenet') }], backend: 'cpu', threads: 1, warmup: 0, runs: 1, timeoutMs: 30_000 }).catch((x: unknown) => x)) as GaugeError;
    expect(e).toBeInstanceOf(GaugeError);
    expect(e.code).toBe('RUNNER_FAILED');
    expect(e.message).toMatch(/input tensor shape empty/);
  });
});
