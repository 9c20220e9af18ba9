/** Sniffers decide from bytes; pairing by layer names finds a caffemodel's prototxt whatever the file names. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { caffeGroup, caffemodelLayerNames, caffemodelSniffer, pairByLayerNames, prototxtLayerNames, prototxtSniffer } from '../src/index.js';
import { caffeFixture } from './support/models.js';

const head = (path: string) => {
  const b = readFileSync(path);
  return { head: new Uint8Array(b.subarray(0, 4096)), size: b.length };
};
const all = ['mtcnn_det1.prototxt', 'mtcnn_det2.prototxt', 'lenet.prototxt', 'bvlc_alexnet_deploy.prototxt', 'mtcnn_det1.caffemodel', 'mtcnn_det2.caffemodel'].map(caffeFixture);

describe('sniffers', () => {
  it.skipIf(missing(...all))('prototxts are models, caffemodels weights, under any name; same group for det1.*', () => {
    for (const p of all.filter((p) => p.endsWith('.prototxt'))) {
      expect(prototxtSniffer.sniff({ path: 'assets/x.bin', ...head(p) }), p).toMatchObject({ framework: 'caffe', kind: 'model', role: 'prototxt', group: 'assets/x' });
      expect(caffemodelSniffer.sniff({ path: 'assets/x.bin', ...head(p) })).toBeUndefined();
    }
    for (const p of all.filter((p) => p.endsWith('.caffemodel'))) {
      expect(caffemodelSniffer.sniff({ path: 'assets/det1.dat', ...head(p) }), p).toEqual({ framework: 'caffe', kind: 'weights', role: 'caffemodel', group: 'assets/det1' });
      expect(prototxtSniffer.sniff({ path: 'assets/det1.dat', ...head(p) })).toBeUndefined();
    }
    expect(caffeGroup('base.apk!/assets/m/det1.prototxt')).toBe('base.apk!/assets/m/det1');
    expect(caffeGroup('assets/.hidden')).toBe('assets/.hidden');
  });

  const others = [fixture('tflite/mobilenet_v1_0.25_128_quant.tflite'), fixture('ncnn/squeezenet_v1.1.param'), fixture('ncnn/squeezenet_v1.1.bin'), fixture('android/tflite_app_classes.dex')];
  it.skipIf(missing(...others))('other frameworks\' models and app files are not Caffe', () => {
    for (const p of others) {
      expect(prototxtSniffer.sniff({ path: p, ...head(p) }), p).toBeUndefined();
      expect(caffemodelSniffer.sniff({ path: p, ...head(p) }), p).toBeUndefined();
    }
    // A TensorFlow GraphDef text (node { … }) is protobuf text too, but not a Caffe net.
    const pbtxt = new TextEncoder().encode('node {\n  name: "x"\n  op: "Const"\n}\n');
    expect(prototxtSniffer.sniff({ path: 'g.pbtxt', head: pbtxt, size: pbtxt.length })).toBeUndefined();
  });
});

describe('pairing by layer names', () => {
  it.skipIf(missing(...all))('deploy/weights with unrelated names pair with the right prototxt', async () => {
    const protos = ['mtcnn_det1', 'mtcnn_det2', 'lenet'].map((n) => ({ id: `${n}-deploy.prototxt`, names: prototxtLayerNames(readFileSync(caffeFixture(`${n}.prototxt`), 'utf8')) }));
    const models = await Promise.all(['mtcnn_det1', 'mtcnn_det2'].map(async (n) => ({ id: `weights-${n}.caffemodel`, names: await caffemodelLayerNames(caffeFixture(`${n}.caffemodel`)) })));
    const pairs = pairByLayerNames(protos, models);
    expect(Object.fromEntries(pairs)).toEqual({
      'weights-mtcnn_det1.caffemodel': 'mtcnn_det1-deploy.prototxt',
      'weights-mtcnn_det2.caffemodel': 'mtcnn_det2-deploy.prototxt',
    });
    expect(protos[0]!.names.weighted).toEqual(['conv1', 'PReLU1', 'conv2', 'PReLU2', 'conv3', 'PReLU3', 'conv4-1', 'conv4-2']);
  });
});
