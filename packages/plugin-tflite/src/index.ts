/**
 * @gaugenn/plugin-tflite — TensorFlow Lite / LiteRT models: content sniffer, flatbuffer parser into the IR,
 * and a host runner over LiteRT's Python interpreter.
 */
import { readFile } from 'node:fs/promises';
import { GaugeError, definePlugin, sha256, type ModelArtifact, type ModelFile, type ModelGraph } from '@gaugenn/core';
import { parseTflite } from './parse/parse-tflite.js';
import { HostTfliteRunner } from './runner/host-runner.js';
import { tfliteSniffer } from './sniff.js';
import { codeSignatures, nativeLibSignatures } from './signatures.js';

export { parseTflite } from './parse/parse-tflite.js';
export { tfliteSniffer, looksLikeTflite } from './sniff.js';
export { HostTfliteRunner, RUNNER_SCRIPT, type HostTfliteRunnerOptions } from './runner/host-runner.js';
export * from './runner/android/benchmark-model-output.js';
export { backendTruth, aggregateOf, delegateOf, type BackendTruth } from './runner/android/backend-truth.js';

/** Options under `plugins.tflite` in gaugenn.config. */
export interface TflitePluginOptions {
  /** Python interpreter for the host runner (default: core's `hostPython()`, i.e. `$GAUGENN_PYTHON`, gaugeNN's venv, `python3`). */
  python?: string;
}

/** Read an artifact's main file and parse it. */
export async function parseTfliteArtifact(artifact: ModelArtifact): Promise<ModelGraph> {
  const main = artifact.files[0];
  if (!main) throw new GaugeError('MODEL_MALFORMED', 'The TFLite artifact has no files.', { plugin: 'tflite', hook: 'parse' });
  let bytes: Buffer;
  try {
    bytes = await readFile(main.path);
  } catch (e) {
    throw new GaugeError('INPUT_NOT_FOUND', `Cannot read the TFLite model ${main.path}: ${(e as Error).message}. Re-run the extract stage.`, {
      plugin: 'tflite',
      hook: 'parse',
      subject: main.path,
      cause: e,
    });
  }
  const files: ModelFile[] = artifact.files.map((f, i) => ({
    path: f.path,
    sha256: f.sha256 || (i === 0 ? sha256(bytes) : ''),
    bytes: f.bytes || (i === 0 ? bytes.length : 0),
    ...(f.role ? { role: f.role } : {}),
  }));
  return parseTflite(bytes, files);
}

/** The plugin object: `use: ['@gaugenn/plugin-tflite']` in config, or `gauge` tests apply it directly. */
export default definePlugin<TflitePluginOptions>({
  name: 'tflite',
  frameworks: ['tflite'],
  // The host runner's runtime; `gaugenn setup` installs it into gaugeNN's venv.
  hostRequirements: ['ai-edge-litert==2.3.0'],
  configSchema: { type: 'object', properties: { python: { type: 'string' } }, additionalProperties: false },
  apply(gauge, options) {
    gauge.addSniffer(tfliteSniffer);
    gauge.addCodeSignatures(codeSignatures);
    gauge.addNativeLibSignatures(nativeLibSignatures);
    gauge.hooks.parse.for('tflite').tapPromise('tflite', (artifact) => parseTfliteArtifact(artifact));
    gauge.hooks.deploy
      .for('tflite')
      .tapPromise('tflite', async (device) => (device.kind === 'host' ? new HostTfliteRunner({ python: options?.python }) : undefined));
  },
});
