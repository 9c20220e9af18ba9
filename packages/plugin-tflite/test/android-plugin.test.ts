/** The plugin's deploy tap on adb devices and its `plugins.tflite.android` options. */
import { Gauge, GaugeError, validateConfig, type GaugeConfig } from '@gaugenn/core';
import { describe, expect, it } from 'vitest';
import plugin, { AndroidTfliteRunner, BenchmarkModelRunner, HostTfliteRunner, type TflitePluginOptions } from '../src/index.js';
import { localDevice } from './support/local-device.js';

async function applied(options: TflitePluginOptions = {}): Promise<Gauge> {
  const gauge = new Gauge({} as GaugeConfig);
  await plugin.apply(gauge, options);
  return gauge;
}

describe('plugin-tflite on adb devices', () => {
  it("deploys gaugeNN's own runner by default: cpu, gpu, nnapi", async () => {
    const runner = await (await applied({ android: { xnnpack: false, nnapiAccelerator: 'qti-dsp' } })).runner('tflite', localDevice('adb'));
    expect(runner).toBeInstanceOf(AndroidTfliteRunner);
    expect((runner as AndroidTfliteRunner).options).toEqual({ xnnpack: false, nnapiAccelerator: 'qti-dsp' });
    expect(runner!.backends(localDevice('adb'))).toEqual(['cpu', 'gpu', 'nnapi']);
    expect(typeof runner!.prepare).toBe('function');
  });

  it('deploys benchmark_model when configured: classic cpu/gpu/nnapi/hexagon, LiteRT cpu/gpu/npu', async () => {
    const classic = await (await applied({ android: { runner: 'benchmark_model', benchmarkModel: '/opt/bm', opProfiling: true } })).runner('tflite', localDevice('adb'));
    expect(classic).toBeInstanceOf(BenchmarkModelRunner);
    expect((classic as BenchmarkModelRunner).options).toMatchObject({ binary: '/opt/bm', opProfiling: true });
    expect(classic!.backends(localDevice('adb'))).toEqual(['cpu', 'gpu', 'nnapi', 'hexagon']);
    const litert = await (await applied({ android: { runner: 'benchmark_model', benchmarkModel: '/opt/bm', benchmarkModelFlavor: 'litert' } })).runner('tflite', localDevice('adb'));
    expect((litert as BenchmarkModelRunner).flavor).toBe('litert');
    expect(litert!.backends(localDevice('adb'))).toEqual(['cpu', 'gpu', 'npu']);
  });

  it('keeps the host runner on the host, and offers nothing on other kinds', async () => {
    const gauge = await applied({ android: { runner: 'benchmark_model' } });
    expect(await gauge.runner('tflite', localDevice('host'))).toBeInstanceOf(HostTfliteRunner);
    expect(await gauge.runner('tflite', localDevice('ssh'))).toBeUndefined();
  });

  it('core validates plugins.tflite.android against the schema', () => {
    const schemas = { tflite: plugin.configSchema as Record<string, unknown> };
    const ok = validateConfig({ config: { plugins: { tflite: { android: { runner: 'benchmark_model', benchmarkModel: 'bm', benchmarkModelFlavor: 'litert', xnnpack: true, extraArgs: ['--use_caching=true'] } } } } }, schemas, '/');
    expect(ok.plugins.tflite).toMatchObject({ android: { runner: 'benchmark_model', benchmarkModelFlavor: 'litert' } });
    for (const bad of [{ runner: 'apk' }, { benchmarkModelFlavor: 'v2' }, { threads: 4 }, { extraArgs: '--x' }]) {
      let e: unknown;
      try {
        validateConfig({ config: { plugins: { tflite: { android: bad } } } }, schemas, '/');
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(GaugeError);
      expect((e as GaugeError).code).toBe('CONFIG_INVALID');
    }
  });
});
