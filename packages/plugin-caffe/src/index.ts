/**
 * @gaugenn/plugin-caffe — Caffe models: sniffers for `.prototxt` and `.caffemodel`, a streaming parser into the
 * IR (protobufjs over a hand-written schema; the text format by gaugeNN's own reader), a host runner over
 * OpenCV DNN, and an Android runner over a user-supplied `caffe` binary.
 */
import { definePlugin, type ModelArtifact, type ModelGraph } from '@gaugenn/core';
import { parseCaffe } from './parse/parse-caffe.js';
import { HostCaffeRunner } from './runner/host-runner.js';
import { AndroidCaffeRunner } from './runner/android-runner.js';
import { caffemodelSniffer, prototxtSniffer } from './sniff.js';
import { codeSignatures, nativeLibSignatures } from './signatures.js';

export { parseCaffe, parsePrototxt, parsePrototxtGraph, buildGraph, type ParseCaffeOptions, type CaffeFile, type CaffeInputs, type ParsedPrototxt } from './parse/parse-caffe.js';
export { readCaffemodel, type BlobInfo, type CaffemodelContents, type StoredLayer, type ReadCaffemodelOptions } from './binary/read-caffemodel.js';
export { parseText, type TextParseResult } from './text/text-parser.js';
export { caffeType, NetParameter, LayerParameter, V1LayerParameter, BlobProto, type Msg } from './schema/schema.js';
export { prototxtSniffer, caffemodelSniffer, looksLikePrototxt, looksLikeCaffemodel, caffeGroup } from './sniff.js';
export { prototxtLayerNames, caffemodelLayerNames, layerNameMatch, pairByLayerNames, type PrototxtNames } from './pair.js';
export { writeCaffemodel, encodeCaffemodel, seededFill, type BlobSpec, type LayerSpec } from './write/caffemodel-writer.js';
export { randomWeightsFor } from './write/random-weights.js';
export { HostCaffeRunner, RUNNER_SCRIPT, type HostCaffeRunnerOptions } from './runner/host-runner.js';
export { AndroidCaffeRunner, type AndroidCaffeRunnerOptions } from './runner/android-runner.js';
export { parseCaffeTime, type CaffeTimeReport } from './runner/caffe-time.js';
export { buildDemoCaffeModel, type DemoCaffeModel } from './demo/demo-model.js';

/** The OpenCV release the host runner is pinned to: 4.x still reads Caffe models with `cv2.dnn.readNetFromCaffe`. */
export const OPENCV_REQUIREMENT = 'opencv-python-headless==4.12.0.88';

/** Options under `plugins.caffe` in gaugenn.config. */
export interface CaffePluginOptions {
  /** Python interpreter for the host runner (default: core's `hostPython()`). */
  python?: string;
  /** A `caffe` binary built for the Android device (its `caffe time` tool), pushed and run over ADB. */
  caffeBinary?: string;
}

/** Parse an artifact's files (prototxt and/or caffemodel; `role` tells which). */
export function parseCaffeArtifact(artifact: ModelArtifact): Promise<ModelGraph> {
  return parseCaffe(artifact.files);
}

/** The plugin object: `use: ['@gaugenn/plugin-caffe']` in config. */
export default definePlugin<CaffePluginOptions>({
  name: 'caffe',
  frameworks: ['caffe'],
  // Pinned to the 4.x release the runner tests ran on (4.12 reads prototxt + caffemodel); 5.x was not verified.
  hostRequirements: [OPENCV_REQUIREMENT],
  configSchema: {
    type: 'object',
    properties: { python: { type: 'string' }, caffeBinary: { type: 'string' } },
    additionalProperties: false,
  },
  apply(gauge, options) {
    gauge.addSniffer(caffemodelSniffer);
    gauge.addSniffer(prototxtSniffer);
    gauge.addCodeSignatures(codeSignatures);
    gauge.addNativeLibSignatures(nativeLibSignatures);
    gauge.hooks.parse.for('caffe').tapPromise('caffe', (artifact) => parseCaffeArtifact(artifact));
    gauge.hooks.deploy.for('caffe').tapPromise('caffe', async (device) => {
      if (device.kind === 'host') return new HostCaffeRunner({ python: options?.python });
      if (device.kind === 'adb' && options?.caffeBinary) return new AndroidCaffeRunner({ caffeBinary: options.caffeBinary });
      return undefined;
    });
  },
});
