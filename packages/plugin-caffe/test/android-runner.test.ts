/**
 * The Android runner against an ADB *simulator*: a Device of kind 'adb' whose transport records pushes and
 * answers `caffe time` with real captured output (NVIDIA/caffe issue #386, see caffe-time.test.ts). No phone
 * or caffe binary is involved; what is tested is what the runner pushes, runs and reads back.
 */
import { describe, expect, it } from 'vitest';
import { GaugeError, type Device, type ExecResult } from '@gaugenn/core';
import { missing } from '../../../test-support/fixtures.js';
import { AndroidCaffeRunner } from '../src/index.js';
import { localDevice } from './support/local-device.js';
import { caffeFixture } from './support/models.js';

const CAPTURED = `I0808 10:10:09.394212 30966 caffe.cpp:406] Average time per layer:
I0808 10:10:09.394212 30966 caffe.cpp:409]      pool6\tforward: 0.0209395 ms.
I0808 10:10:09.394227 30966 caffe.cpp:412]      pool6\tbackward: 0.0022912 ms.
I0808 10:10:09.394263 30966 caffe.cpp:417] Average Forward pass: 90.6376 ms.
I0808 10:10:09.394282 30966 caffe.cpp:419] Average Backward pass: 141.318 ms.
I0808 10:10:09.394302 30966 caffe.cpp:421] Average Forward-Backward: 232.109 ms.`;

/** ADB device simulator: records every push and exec; `caffe time` prints the captured log on stderr. */
function simulator(answer: (args: string[]) => ExecResult) {
  const pushes: string[] = [];
  const execs: string[][] = [];
  const base = localDevice('adb');
  const device: Device = {
    ...base,
    id: 'simulated-adb',
    transport: {
      ...base.transport,
      workDir: async () => '/data/local/tmp/gaugenn',
      push: async (_l, remote) => void pushes.push(remote),
      exec: async (cmd, args) => {
        execs.push([cmd, ...args]);
        return cmd === 'chmod' ? { exitCode: 0, stdout: '', stderr: '', timedOut: false } : answer(args);
      },
    },
  };
  return { device, pushes, execs };
}

const request = (files: { path: string; role?: string }[]) => ({ modelFiles: files, backend: 'cpu', threads: 4, warmup: 1, runs: 3, timeoutMs: 60_000 });

describe('AndroidCaffeRunner (ADB simulator)', () => {
  const proto = caffeFixture('mtcnn_det1.prototxt');
  const model = caffeFixture('mtcnn_det1.caffemodel');

  it.skipIf(missing(proto, model))('pushes binary and model, runs caffe time once per sample, keeps every sample', async () => {
    const sim = simulator(() => ({ exitCode: 0, stdout: '', stderr: CAPTURED, timedOut: false }));
    const r = await new AndroidCaffeRunner({ caffeBinary: '/opt/android/caffe' }).run(sim.device, request([{ path: proto, role: 'prototxt' }, { path: model, role: 'caffemodel' }]));
    expect(sim.pushes).toEqual(['/data/local/tmp/gaugenn/caffe', '/data/local/tmp/gaugenn/model.prototxt', '/data/local/tmp/gaugenn/model.caffemodel']);
    expect(sim.execs.filter((e) => e[1] === 'time')).toHaveLength(4);
    expect(sim.execs[1]).toEqual(['/data/local/tmp/gaugenn/caffe', 'time', '-model', '/data/local/tmp/gaugenn/model.prototxt', '-weights', '/data/local/tmp/gaugenn/model.caffemodel', '-iterations', '1']);
    expect(r.samplesMs).toEqual([90.6376, 90.6376, 90.6376]);
    expect(r.warmupMs).toEqual([90.6376]);
    expect(r.engine).toBe('caffe time (caffe)');
    expect(r.extra).toMatchObject({ backend: 'CPU', weights: 'caffemodel', perLayerForwardMs: { pool6: 0.0209395 } });
  });

  it.skipIf(missing(proto))('a prototxt alone gets generated weights; a crash and missing summary are typed errors', async () => {
    const ok = simulator(() => ({ exitCode: 0, stdout: '', stderr: CAPTURED, timedOut: false }));
    const r = await new AndroidCaffeRunner({ caffeBinary: '/opt/android/caffe' }).run(ok.device, request([{ path: proto }]));
    expect(String(r.extra!.weights)).toMatch(/^random/);
    const crash = simulator(() => ({ exitCode: 134, stdout: '', stderr: 'F0808 net.cpp:757] Check failed', timedOut: false }));
    const e1 = await new AndroidCaffeRunner({ caffeBinary: '/c' }).run(crash.device, request([{ path: proto }])).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(GaugeError);
    expect((e1 as GaugeError).code).toBe('RUNNER_FAILED');
    expect((e1 as GaugeError).message).toContain('Check failed');
    const silent = simulator(() => ({ exitCode: 0, stdout: 'hello', stderr: '', timedOut: false }));
    const e2 = await new AndroidCaffeRunner({ caffeBinary: '/c' }).run(silent.device, request([{ path: proto }])).catch((e: unknown) => e);
    expect((e2 as GaugeError).code).toBe('RUNNER_OUTPUT');
  });
});
