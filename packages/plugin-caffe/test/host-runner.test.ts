/** The host runner really runs OpenCV DNN (opencv-python-headless 4.x) on MTCNN, LeNet and the demo model. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GaugeError, createHostDevice, type RunRequest } from '@gaugenn/core';
import { missing } from '../../../test-support/fixtures.js';
import { runtimeMissing } from '../../../test-support/host-runtime.js';
import { HostCaffeRunner, buildDemoCaffeModel, parseCaffe } from '../src/index.js';
import { localDevice } from './support/local-device.js';
import { caffeFixture } from './support/models.js';

const opencvMissing = () => runtimeMissing('import cv2; cv2.dnn.readNetFromCaffe', 'opencv-python-headless==4.12.0.88');

const request = (files: { path: string; role?: string }[], over: Partial<RunRequest> = {}): RunRequest => ({
  modelFiles: files,
  backend: 'cpu',
  threads: 1,
  warmup: 1,
  runs: 5,
  timeoutMs: 60_000,
  ...over,
});

describe('HostCaffeRunner with OpenCV DNN', () => {
  const noCv = opencvMissing();
  const host = localDevice('host');

  for (const det of ['mtcnn_det1', 'mtcnn_det2']) {
    const proto = caffeFixture(`${det}.prototxt`);
    const model = caffeFixture(`${det}.caffemodel`);
    it.skipIf(noCv || missing(proto, model))(`runs ${det} with its weights`, async () => {
      // Roles left out on purpose: the runner tells the files apart by content.
      const r = await new HostCaffeRunner().run(host, request([{ path: model }, { path: proto }], { runs: 6, warmup: 2, threads: 2 }));
      expect(r.samplesMs).toHaveLength(6);
      expect(r.samplesMs.every((s) => s > 0)).toBe(true);
      expect(r.warmupMs).toHaveLength(2);
      expect(r.engine).toMatch(/^opencv-dnn 4\.\d+/);
      expect(r.extra).toMatchObject({ backend: 'OPENCV', target: 'CPU', threads: 2, weights: 'caffemodel' });
    });
  }

  const lenet = caffeFixture('lenet.prototxt');
  it.skipIf(noCv || missing(lenet))('runs a prototxt-only model with seeded random weights and says so', async () => {
    const r = await new HostCaffeRunner().run(host, request([{ path: lenet, role: 'prototxt' }], { runs: 2 }));
    expect(r.samplesMs).toHaveLength(2);
    expect(String(r.extra!.weights)).toMatch(/^random/);
    // The file says batch 64; one inference is measured unless the request asks for a batch.
    expect(r.extra!.inputs).toEqual([{ name: 'data', shape: [1, 1, 28, 28], dtype: 'float32' }]);
    const batched = await new HostCaffeRunner().run(host, request([{ path: lenet, role: 'prototxt' }], { runs: 1, batch: 8 }));
    expect(batched.extra!.inputs).toEqual([{ name: 'data', shape: [8, 1, 28, 28], dtype: 'float32' }]);
  });

  it.skipIf(noCv)('the demo model parses and runs, through core\'s host device', async () => {
    const demo = await buildDemoCaffeModel();
    const dir = await mkdtemp(join(tmpdir(), 'caffe-demo-'));
    try {
      const files = [];
      for (const f of demo.files) {
        await writeFile(join(dir, f.name), f.data);
        files.push({ path: join(dir, f.name) });
      }
      const g = await parseCaffe(files);
      expect(g.totals.params).toBeGreaterThan(6000);
      expect(g.layers.every((l) => l.weights.every((w) => !!w.digest))).toBe(true);
      const r = await new HostCaffeRunner().run(await createHostDevice(), request(files, { runs: 3 }));
      expect(r.samplesMs).toHaveLength(3);
      expect(r.extra!.weights).toBe('caffemodel');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('HostCaffeRunner failures', () => {
  const host = localDevice('host');
  const rejection = async (p: Promise<unknown>) => {
    const e = await p.then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(GaugeError);
    return e as GaugeError;
  };

  it('offers cpu on the host only and rejects other backends', async () => {
    expect(new HostCaffeRunner().backends(host)).toEqual(['cpu']);
    expect(new HostCaffeRunner().backends(localDevice('adb'))).toEqual([]);
    expect((await rejection(new HostCaffeRunner().run(host, request([{ path: '/m.prototxt' }], { backend: 'gpu' })))).code).toBe('BACKEND_UNSUPPORTED');
  });

  const det1 = caffeFixture('mtcnn_det1.caffemodel');
  it.skipIf(missing(det1))('a caffemodel without its prototxt, and a missing python, say what to do', async () => {
    const e = await rejection(new HostCaffeRunner().run(host, request([{ path: det1 }])));
    expect(e.code).toBe('RUNNER_FAILED');
    expect(e.message).toMatch(/prototxt/);
    const p = await rejection(new HostCaffeRunner({ python: '/no/such/python3' }).run(host, request([{ path: caffeFixture('mtcnn_det1.prototxt') }, { path: det1 }])));
    expect(p.code).toBe('RUNNER_MISSING');
    expect(p.message).toMatch(/GAUGENN_PYTHON/);
  });
});
