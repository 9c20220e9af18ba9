/** The detection sniffers of plugin-formats, in the order they are asked (cheapest and surest first). */
import type { Sniffer } from '@gaugenn/core';
import { executorchSniffer, ortSniffer } from './flatbuffer-formats.js';
import { mnnSniffer } from './mnn.js';
import { onnxSniffer } from './onnx.js';
import { paddleLiteSniffer } from './paddle-lite.js';
import { pytorchSniffer } from './pytorch.js';
import { tensorflowSniffer } from './tensorflow.js';

export { looksLikeOrt, looksLikeExecutorch, ortSniffer, executorchSniffer } from './flatbuffer-formats.js';
export { looksLikeMnn, mnnSniffer } from './mnn.js';
export { looksLikeOnnx, onnxSniffer } from './onnx.js';
export { looksLikePaddleLite, paddleLiteSniffer } from './paddle-lite.js';
export { looksLikePytorchZip, pytorchSniffer } from './pytorch.js';
export { looksLikeGraphDef, looksLikeSavedModel, tensorflowSniffer } from './tensorflow.js';

/** Every sniffer this plugin registers. */
export const formatSniffers: readonly Sniffer[] = [
  ortSniffer,
  executorchSniffer,
  pytorchSniffer,
  paddleLiteSniffer,
  mnnSniffer,
  onnxSniffer,
  tensorflowSniffer,
];

/** Frameworks these sniffers report. */
export const detectedFrameworks = ['onnx', 'onnxruntime', 'tensorflow', 'pytorch', 'executorch', 'mnn', 'paddle-lite'];
