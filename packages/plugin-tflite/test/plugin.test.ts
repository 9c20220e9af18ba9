/** The plugin object taps the Gauge as core expects: sniffer, parse hook, deploy hook. */
import { GaugeError, Gauge, type GaugeConfig } from '@gaugenn/core';
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import plugin, { HostTfliteRunner } from '../src/index.js';
import { localDevice } from './support/local-device.js';
import { tfliteFixture } from './support/models.js';

async function applied(options: { python?: string } = {}): Promise<Gauge> {
  const gauge = new Gauge({} as GaugeConfig);
  await plugin.apply(gauge, options);
  return gauge;
}

describe('plugin-tflite', () => {
  it('declares its name, frameworks and config schema', () => {
    expect(plugin.name).toBe('tflite');
    expect(plugin.frameworks).toEqual(['tflite']);
    expect(plugin.configSchema).toMatchObject({ properties: { python: { type: 'string' } }, additionalProperties: false });
  });

  it('registers the sniffer', async () => {
    const gauge = await applied();
    expect(gauge.sniffers.map((s) => s.name)).toEqual(['tflite']);
  });

  const path = tfliteFixture('mobilenet_v1_0.25_128_quant');
  it.skipIf(missing(path))('parses an artifact through gauge.parse', async () => {
    const gauge = await applied();
    const g = await gauge.parse({ framework: 'tflite', files: [{ path, sha256: '', bytes: 0, entry: 'assets/m.tflite' }] });
    expect(g.layers).toHaveLength(31);
    expect(g.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(g.files[0]!.bytes).toBeGreaterThan(500_000);
  });

  it('a malformed artifact fails with MODEL_MALFORMED attributed to the plugin', async () => {
    const gauge = await applied();
    const e = await gauge.parse({ framework: 'tflite', files: [{ path: new URL(import.meta.url).pathname, sha256: 'x', bytes: 1 }] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GaugeError);
    expect((e as GaugeError).code).toBe('MODEL_MALFORMED');
    expect((e as GaugeError).plugin).toBe('tflite');
  });

  it('deploys the host runner on the host, with the configured python (adb devices: android-plugin.test.ts)', async () => {
    const gauge = await applied({ python: '/usr/bin/python3.11' });
    const runner = await gauge.runner('tflite', localDevice('host'));
    expect(runner).toBeInstanceOf(HostTfliteRunner);
    expect((runner as HostTfliteRunner).python).toBe('/usr/bin/python3.11');
    expect(await gauge.runner('tflite', localDevice('ssh'))).toBeUndefined();
  });
});
