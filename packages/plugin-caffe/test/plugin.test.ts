/** The plugin object wires sniffers, the parse hook and runners into a real Gauge. */
import { describe, expect, it } from 'vitest';
import { Gauge } from '@gaugenn/core';
import { missing } from '../../../test-support/fixtures.js';
import plugin, { AndroidCaffeRunner, HostCaffeRunner, OPENCV_REQUIREMENT } from '../src/index.js';
import { localDevice } from './support/local-device.js';
import { caffeFixture } from './support/models.js';

async function gauge(options: Record<string, unknown> = {}) {
  const g = new Gauge({} as never);
  await plugin.apply(g, options);
  return g;
}

describe('plugin-caffe', () => {
  it('declares its framework, OpenCV 4.x requirement and config schema', () => {
    expect(plugin.name).toBe('caffe');
    expect(plugin.frameworks).toEqual(['caffe']);
    expect(plugin.hostRequirements).toEqual([OPENCV_REQUIREMENT]);
    expect(OPENCV_REQUIREMENT).toMatch(/^opencv-python-headless==4\./);
    expect(plugin.configSchema).toMatchObject({ properties: { python: { type: 'string' }, caffeBinary: { type: 'string' } }, additionalProperties: false });
  });

  const proto = caffeFixture('mtcnn_det1.prototxt');
  const model = caffeFixture('mtcnn_det1.caffemodel');
  it.skipIf(missing(proto, model))('parses through gauge.parse with the roles the sniffers gave', async () => {
    const g = await gauge();
    expect(g.sniffers.map((s) => s.name)).toEqual(['caffe-caffemodel', 'caffe-prototxt']);
    const graph = await g.parse({ framework: 'caffe', files: [{ path: proto, sha256: '', bytes: 0, role: 'prototxt' }, { path: model, sha256: '', bytes: 0, role: 'caffemodel' }] });
    expect(graph.framework).toBe('caffe');
    expect(graph.totals.params).toBe(6632);
    expect(graph.files[1]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a broken file comes back as a GaugeError naming the plugin and hook', async () => {
    const g = await gauge();
    const e = await g.parse({ framework: 'caffe', files: [{ path: '/nonexistent.prototxt', sha256: '', bytes: 0, role: 'prototxt' }] }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'INPUT_NOT_FOUND', plugin: 'caffe', hook: 'parse:caffe' });
  });

  it('deploys the OpenCV runner on the host, and the caffe-binary runner on adb only when configured', async () => {
    expect(await (await gauge()).runner('caffe', localDevice('host'))).toBeInstanceOf(HostCaffeRunner);
    expect(await (await gauge()).runner('caffe', localDevice('adb'))).toBeUndefined();
    const adb = await (await gauge({ caffeBinary: '/opt/caffe-android/caffe' })).runner('caffe', localDevice('adb'));
    expect(adb).toBeInstanceOf(AndroidCaffeRunner);
    expect(adb!.backends(localDevice('adb'))).toEqual(['cpu']);
  });
});
