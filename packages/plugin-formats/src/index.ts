/**
 * @gaugenn/plugin-formats — detection of model formats gaugeNN does not parse (yet): ONNX, ORT, TensorFlow
 * GraphDef/SavedModel, PyTorch Mobile/TorchScript, ExecuTorch, MNN, Paddle-Lite (SNPE DLC lives in plugin-snpe). Models are found
 * and recorded (framework, path, hash, size); parsing is left to a plugin per format.
 */
import { definePlugin } from '@gaugenn/core';
import { codeSignatures, nativeLibSignatures } from './signatures.js';
import { detectedFrameworks, formatSniffers } from './sniff/index.js';

export * from './sniff/index.js';

export default definePlugin({
  name: 'formats',
  frameworks: detectedFrameworks,
  configSchema: { type: 'object', properties: {}, additionalProperties: false },
  apply(gauge) {
    gauge.addCodeSignatures(codeSignatures);
    gauge.addNativeLibSignatures(nativeLibSignatures);
    for (const s of formatSniffers) gauge.addSniffer(s);
  },
});
