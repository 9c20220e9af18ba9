/** The host runner really runs ncnn's Python package on the three real models and on param-only ones. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaugeError, type RunRequest } from '@gaugenn/core';
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import { hostPython, runtimeMissing } from '../../../test-support/host-runtime.js';
import { HostNcnnRunner } from '../src/index.js';
import { toBinaryParam } from './support/binary-param.js';
import { localDevice } from './support/local-device.js';
import { binPath, paramPath, REAL } from './support/models.js';

const ncnnMissing = () => runtimeMissing('import ncnn', 'ncnn==1.0.20261020');

const request = (files: { path: string; role?: string }[], over: Partial<RunRequest> = {}): RunRequest => ({
  modelFiles: files,
  backend: 'cpu',
  threads: 2,
  warmup: 1,
  runs: 5,
  timeoutMs: 120_000,
  ...over,
});

describe('HostNcnnRunner with the ncnn Python package', () => {
  const noRuntime = ncnnMissing();
  const host = localDevice('host');
  const runner = new HostNcnnRunner({ python: hostPython() });

  for (const name of REAL) {
    it.skipIf(noRuntime || missing(paramPath(name), binPath(name)))(`runs ${name} with its real weights`, async () => {
      const r = await runner.run(host, request([{ path: paramPath(name), role: 'param' }, { path: binPath(name), role: 'weights' }]));
      expect(r.samplesMs).toHaveLength(5);
      expect(r.samplesMs.every((s) => s > 0)).toBe(true);
      expect(r.warmupMs).toHaveLength(1);
      expect(r.engine).toBe('ncnn 1.0.20261020');
      expect(r.extra).toMatchObject({ threads: 2, vulkan: false, weights: 'file' });
    });
  }

  it.skipIf(noRuntime || missing(paramPath('bench_mobilenet_ssd')))('runs a param-only model with generated weights', async () => {
    const r = await runner.run(host, request([{ path: paramPath('bench_mobilenet_ssd') }], { runs: 2 }));
    expect(r.samplesMs).toHaveLength(2);
    expect(r.extra).toMatchObject({ weights: 'generated-zeros', inputs: [{ name: 'data', shape: [3, 300, 300] }] });
  });

  it.skipIf(noRuntime || missing(paramPath('squeezenet_v1.1'), binPath('squeezenet_v1.1')))('runs a binary param (.param.bin) with the real weights', async () => {
    // ncnn loading our binary form with the real .bin proves the type-index table in ops.json.
    const dir = mkdtempSync(join(tmpdir(), 'ncnn-bin-'));
    const p = join(dir, 'sq.param.bin');
    writeFileSync(p, toBinaryParam(readFileSync(paramPath('squeezenet_v1.1'), 'utf8')));
    const r = await runner.run(host, request([{ path: p, role: 'param' }, { path: binPath('squeezenet_v1.1'), role: 'weights' }], { runs: 2 }));
    expect(r.samplesMs).toHaveLength(2);
  });

  it.skipIf(noRuntime || missing(paramPath('squeezenet_v1.1'), binPath('nanodet_m')))('a mismatched .bin is a RUNNER_FAILED from ncnn', async () => {
    const e = await runner.run(host, request([{ path: paramPath('squeezenet_v1.1'), role: 'param' }, { path: binPath('nanodet_m'), role: 'weights' }])).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GaugeError);
    expect((e as GaugeError).code).toMatch(/^RUNNER_/);
  });

  it.skipIf(noRuntime)('offers vulkan only when ncnn reports a GPU', () => {
    const gpus = runner.gpuCount();
    expect(runner.backends(host)).toEqual(gpus > 0 ? ['cpu', 'vulkan'] : ['cpu']);
  });
});

describe('HostNcnnRunner without a runtime', () => {
  const host = localDevice('host');
  it('offers nothing off the host and rejects other backends', async () => {
    const r = new HostNcnnRunner({ python: '/no/such/python3' });
    expect(r.backends(localDevice('adb'))).toEqual([]);
    const e = (await r.run(host, request([{ path: '/m.param' }], { backend: 'nnapi' })).catch((x: unknown) => x)) as GaugeError;
    expect(e.code).toBe('BACKEND_UNSUPPORTED');
  });

  it.skipIf(missing(paramPath('bench_mobilenet')))('a python that does not exist is RUNNER_MISSING', async () => {
    const e = (await new HostNcnnRunner({ python: '/no/such/python3' }).run(host, request([{ path: paramPath('bench_mobilenet') }])).catch((x: unknown) => x)) as GaugeError;
    expect(e).toBeInstanceOf(GaugeError);
    expect(e.code).toBe('RUNNER_MISSING');
    expect(e.message).toMatch(/GAUGENN_PYTHON/);
  });
});
