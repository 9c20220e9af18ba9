/** The host runner really runs LiteRT, and its failures come back as GaugeErrors that say what to do. */
import { GaugeError, createHostDevice, parseRunnerOutput, type Device, type RunRequest } from '@gaugenn/core';
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import { runtimeMissing } from '../../../test-support/host-runtime.js';
import { HostTfliteRunner } from '../src/index.js';
import { localDevice } from './support/local-device.js';
import { tfliteFixture } from './support/models.js';

const litertMissing = () => runtimeMissing('import ai_edge_litert', 'ai-edge-litert');

const request = (path: string, over: Partial<RunRequest> = {}): RunRequest => ({
  modelFiles: [{ path }],
  backend: 'cpu',
  threads: 1,
  warmup: 1,
  runs: 5,
  timeoutMs: 60_000,
  ...over,
});

async function rejection(p: Promise<unknown>): Promise<GaugeError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(GaugeError);
  return e as GaugeError;
}

describe('HostTfliteRunner with ai-edge-litert', () => {
  const noRuntime = litertMissing();
  const mobilenet = tfliteFixture('mobilenet_v1_0.25_128_quant');
  const failing = tfliteFixture('model_invoking_error');
  const host = localDevice('host');

  it.skipIf(noRuntime || missing(mobilenet))('runs mobilenet_v1_0.25_128_quant: runs samples > 0 ms', async () => {
    const r = await new HostTfliteRunner().run(host, request(mobilenet, { runs: 7, warmup: 2, threads: 2 }));
    expect(r.samplesMs).toHaveLength(7);
    expect(r.samplesMs.every((s) => s > 0)).toBe(true);
    expect(r.warmupMs).toHaveLength(2);
    expect(r.engine).toMatch(/^ai-edge-litert \d/);
    expect(r.extra).toMatchObject({ threads: 2, inputs: [{ shape: [1, 128, 128, 3], dtype: 'uint8' }] });
    expect(r.extra!.loadMs).toBeGreaterThan(0);
  });

  it.skipIf(noRuntime || missing(failing))('model_invoking_error rejects with RUNNER_FAILED and the runtime cause', async () => {
    const e = await rejection(new HostTfliteRunner().run(host, request(failing)));
    expect(e.code).toBe('RUNNER_FAILED');
    expect(e.message).toContain('fake-op-double');
    expect((e.cause as Error).message).toContain('fake-op-double');
    expect(e.subject).toBe(failing);
  });

  it.skipIf(noRuntime || missing(mobilenet))("runs through core's host device too", async () => {
    const device = await createHostDevice();
    const r = await new HostTfliteRunner().run(device, request(mobilenet, { runs: 3 }));
    expect(r.samplesMs).toHaveLength(3);
    // core's transport reports a program that cannot start as exit 127: that is a missing runner.
    const e = await rejection(new HostTfliteRunner({ python: '/no/such/python3' }).run(device, request(mobilenet)));
    expect(e.code).toBe('RUNNER_MISSING');
  });

  it.skipIf(noRuntime)('a missing model file is RUNNER_FAILED naming it', async () => {
    const e = await rejection(new HostTfliteRunner().run(host, request('/nonexistent/model.tflite')));
    expect(e.code).toBe('RUNNER_FAILED');
    expect(e.message).toContain('/nonexistent/model.tflite');
  });
});

describe('HostTfliteRunner without a runtime', () => {
  const host = localDevice('host');

  it('offers cpu on the host and nothing elsewhere', () => {
    const r = new HostTfliteRunner();
    expect(r.framework).toBe('tflite');
    expect(r.backends(host)).toEqual(['cpu']);
    expect(r.backends(localDevice('adb'))).toEqual([]);
  });

  it('rejects a backend it does not offer', async () => {
    const e = await rejection(new HostTfliteRunner().run(host, request('/m.tflite', { backend: 'gpu' })));
    expect(e.code).toBe('BACKEND_UNSUPPORTED');
  });

  it('a python that does not exist is RUNNER_MISSING and says how to fix it', async () => {
    const e = await rejection(new HostTfliteRunner({ python: '/no/such/python3' }).run(host, request('/m.tflite')));
    expect(e.code).toBe('RUNNER_MISSING');
    expect(e.message).toMatch(/GAUGENN_PYTHON/);
  });

  it('GAUGENN_PYTHON picks the interpreter', () => {
    const before = process.env.GAUGENN_PYTHON;
    process.env.GAUGENN_PYTHON = '/opt/py/bin/python3';
    try {
      expect(new HostTfliteRunner().python).toBe('/opt/py/bin/python3');
      expect(new HostTfliteRunner({ python: 'py' }).python).toBe('py');
    } finally {
      if (before === undefined) delete process.env.GAUGENN_PYTHON;
      else process.env.GAUGENN_PYTHON = before;
    }
  });

  /** A device whose exec returns a canned result, to test how each outcome is read. */
  const canned = (res: { exitCode: number; stdout: string; stderr?: string; timedOut?: boolean }): Device => ({
    ...host,
    transport: { ...host.transport, exec: async () => ({ stderr: '', timedOut: false, ...res }) },
  });

  it('a timeout is RUNNER_TIMEOUT', async () => {
    const e = await rejection(new HostTfliteRunner().run(canned({ exitCode: -1, stdout: '', timedOut: true }), request('/m.tflite')));
    expect(e.code).toBe('RUNNER_TIMEOUT');
    expect(e.message).toMatch(/60000 ms/);
  });

  it('garbage on stdout is RUNNER_OUTPUT', async () => {
    const e = await rejection(new HostTfliteRunner().run(canned({ exitCode: 0, stdout: 'hello\n' }), request('/m.tflite')));
    expect(e.code).toBe('RUNNER_OUTPUT');
  });

  it('the runner reporting a missing runtime is RUNNER_MISSING', async () => {
    const stdout = JSON.stringify({ error: { code: 'RUNNER_MISSING', message: 'install it with `pip install ai-edge-litert`' } });
    const e = await rejection(new HostTfliteRunner().run(canned({ exitCode: 3, stdout }), request('/m.tflite')));
    expect(e.code).toBe('RUNNER_MISSING');
    expect(e.message).toContain('pip install ai-edge-litert');
  });

  it('a crash without JSON is RUNNER_FAILED with stderr', async () => {
    const e = await rejection(new HostTfliteRunner().run(canned({ exitCode: 139, stdout: '', stderr: 'Segmentation fault' }), request('/m.tflite')));
    expect(e.code).toBe('RUNNER_FAILED');
    expect(e.message).toContain('Segmentation fault');
  });

  it('parseRunnerOutput reads the last JSON line and checks its fields', () => {
    const good = parseRunnerOutput('noise\n{"engine":"x 1","samplesMs":[1.5,2],"warmupMs":[3]}\n');
    expect(good).toEqual({ ok: true, result: { engine: 'x 1', samplesMs: [1.5, 2], warmupMs: [3] } });
    expect(parseRunnerOutput('{"engine":"x","samplesMs":["a"]}').ok).toBe('invalid');
    expect(parseRunnerOutput('').ok).toBe('invalid');
  });
});
