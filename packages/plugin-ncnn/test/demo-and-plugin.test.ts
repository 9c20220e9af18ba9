/** The demo model parses and runs; the plugin taps the Gauge as core expects. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gauge, GaugeError, type GaugeConfig } from '@gaugenn/core';
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import { hostPython, runtimeMissing } from '../../../test-support/host-runtime.js';
import plugin, { BenchncnnRunner, buildDemoNcnnModel, HostNcnnRunner, parseNcnn } from '../src/index.js';
import { localDevice } from './support/local-device.js';
import { binPath, paramPath } from './support/models.js';

const noNcnn = runtimeMissing('import ncnn', 'ncnn==1.0.20261020');

describe('buildDemoNcnnModel', () => {
  it('is SqueezeNet v1.1 at 224 with every weight byte accounted for, the same bytes every time', async () => {
    const demo = await buildDemoNcnnModel();
    const [param, bin] = demo.files;
    expect(demo.files.map((f) => f.name)).toEqual(['squeezenet_demo.param', 'squeezenet_demo.bin']);
    const g = parseNcnn({ param: param!.data, bin: bin!.data });
    expect(g.totals.params).toBe(1_235_496);
    expect(g.totals.macs).toBe(349_151_936);
    expect(g.inputs[0]!.shape).toEqual([1, 3, 224, 224]);
    expect(g.layers.flatMap((l) => l.weights).every((w) => w.digest)).toBe(true);
    expect((await buildDemoNcnnModel()).files[1]!.data.equals(bin!.data)).toBe(true);
  });

  it.skipIf(noNcnn)('runs in ncnn', async () => {
    const demo = await buildDemoNcnnModel();
    const dir = mkdtempSync(join(tmpdir(), 'ncnn-demo-'));
    for (const f of demo.files) writeFileSync(join(dir, f.name), f.data);
    const r = await new HostNcnnRunner({ python: hostPython() }).run(localDevice('host'), {
      modelFiles: [{ path: join(dir, demo.files[0]!.name), role: 'param' }, { path: join(dir, demo.files[1]!.name), role: 'weights' }],
      backend: 'cpu', threads: 1, warmup: 1, runs: 2, timeoutMs: 60_000,
    });
    expect(r.samplesMs).toHaveLength(2);
  });
});

describe('plugin-ncnn', () => {
  const applied = async (options: Record<string, string> = {}) => {
    const gauge = new Gauge({} as GaugeConfig);
    await plugin.apply(gauge, options);
    return gauge;
  };

  it('declares its name, runtime and config schema', () => {
    expect(plugin.name).toBe('ncnn');
    expect(plugin.frameworks).toEqual(['ncnn']);
    expect(plugin.hostRequirements).toEqual(['ncnn==1.0.20261020']);
    expect(plugin.configSchema).toMatchObject({ properties: { python: { type: 'string' }, benchncnn: { type: 'string' } }, additionalProperties: false });
  });

  it('registers the sniffer and the signatures', async () => {
    const gauge = await applied();
    expect(gauge.sniffers.map((s) => s.name)).toEqual(['ncnn']);
  });

  it.skipIf(missing(paramPath('squeezenet_v1.1'), binPath('squeezenet_v1.1')))('parses through gauge.parse with the walker\'s file order', async () => {
    const gauge = await applied();
    const g = await gauge.parse({
      framework: 'ncnn',
      files: [
        { path: paramPath('squeezenet_v1.1'), sha256: '', bytes: 0, role: 'param', entry: 'assets/sq.param' },
        { path: binPath('squeezenet_v1.1'), sha256: '', bytes: 0, role: 'weights', entry: 'assets/sq.bin' },
      ],
    });
    expect(g.framework).toBe('ncnn');
    expect(g.layers).toHaveLength(48);
  });

  it('a malformed artifact is MODEL_MALFORMED attributed to the plugin', async () => {
    const gauge = await applied();
    const e = (await gauge.parse({ framework: 'ncnn', files: [{ path: new URL(import.meta.url).pathname, sha256: 'x', bytes: 1 }] }).catch((x: unknown) => x)) as GaugeError;
    expect(e).toBeInstanceOf(GaugeError);
    expect(e.code).toBe('MODEL_MALFORMED');
    expect(e.plugin).toBe('ncnn');
  });

  it('deploys the host runner on the host, benchncnn on adb only when configured', async () => {
    expect(await (await applied()).runner('ncnn', localDevice('host'))).toBeInstanceOf(HostNcnnRunner);
    expect(await (await applied()).runner('ncnn', localDevice('adb'))).toBeUndefined();
    expect(await (await applied({ benchncnn: '/opt/benchncnn' })).runner('ncnn', localDevice('adb'))).toBeInstanceOf(BenchncnnRunner);
  });
});
