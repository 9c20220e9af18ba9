/**
 * @gaugenn/plugin-tflite — TensorFlow Lite / LiteRT models: content sniffer, flatbuffer parser into the IR,
 * a host runner over LiteRT's Python interpreter, and two Android runners: gaugeNN's own (Java over the official
 * runtime, every sample) and TFLite's `benchmark_model` (aggregates), both with the runtime's delegation truth.
 */
import { readFile } from 'node:fs/promises';
import { GaugeError, definePlugin, sha256, type ModelArtifact, type ModelFile, type ModelGraph } from '@gaugenn/core';
import { parseTflite } from './parse/parse-tflite.js';
import { HostTfliteRunner } from './runner/host-runner.js';
import { BenchmarkModelRunner, type BenchmarkModelFlavor } from './runner/android/benchmark-model-runner.js';
import { AndroidTfliteRunner } from './runner/android/gaugenn-runner.js';
import { tfliteSniffer } from './sniff.js';
import { codeSignatures, nativeLibSignatures } from './signatures.js';

export { parseTflite } from './parse/parse-tflite.js';
export { tfliteSniffer, looksLikeTflite } from './sniff.js';
export { HostTfliteRunner, RUNNER_SCRIPT, type HostTfliteRunnerOptions } from './runner/host-runner.js';
export * from './runner/android/benchmark-model-output.js';
export { backendTruth, aggregateOf, delegateOf, type BackendTruth } from './runner/android/backend-truth.js';
export { BenchmarkModelRunner, type BenchmarkModelFlavor, type BenchmarkModelRunnerOptions } from './runner/android/benchmark-model-runner.js';
export { AndroidTfliteRunner, type AndroidTfliteRunnerOptions } from './runner/android/gaugenn-runner.js';
export { ANDROID_RUNNER_DIST, loadRunnerBundle, type RunnerBundle, type RunnerManifest } from './runner/android/runner-bundle.js';

/** Options under `plugins.tflite.android` in gaugenn.config: which runner measures TFLite models on adb devices. */
export interface TfliteAndroidOptions {
  /** `gaugenn` (default): gaugeNN's own runner, every sample kept. `benchmark_model`: TFLite's tool, aggregates only. */
  runner?: 'gaugenn' | 'benchmark_model';
  /** Local path of the `benchmark_model` binary for the device's ABI (for `runner: benchmark_model`). */
  benchmarkModel?: string;
  /** `classic` (default): TFLite's tool. `litert`: LiteRT's CompiledModel tool of the same name (cpu/gpu/npu). */
  benchmarkModelFlavor?: BenchmarkModelFlavor;
  /** XNNPACK for CPU kernels (own runner default true; benchmark_model: `--use_xnnpack`, unset = tool default). */
  xnnpack?: boolean;
  /** benchmark_model's `--enable_op_profiling=true`. */
  opProfiling?: boolean;
  /** NNAPI accelerator for the nnapi backend (`qti-dsp`, `google-edgetpu`). */
  nnapiAccelerator?: string;
  /** benchmark_model's `--hexagon_lib_path`. */
  hexagonLibPath?: string;
  /** LiteRT benchmark_model's `--dispatch_library_path` for npu. */
  dispatchLibraryPath?: string;
  /** More benchmark_model flags, appended as given. */
  extraArgs?: string[];
}

/** Options under `plugins.tflite` in gaugenn.config. */
export interface TflitePluginOptions {
  /** Python interpreter for the host runner (default: core's `hostPython()`, i.e. `$GAUGENN_PYTHON`, gaugeNN's venv, `python3`). */
  python?: string;
  /** Which runner measures TFLite models on adb devices, and its flags. */
  android?: TfliteAndroidOptions;
}

/** The runner for an adb device, as `plugins.tflite.android` chooses. */
export function androidRunner(o: TfliteAndroidOptions = {}): AndroidTfliteRunner | BenchmarkModelRunner {
  if (o.runner === 'benchmark_model') {
    return new BenchmarkModelRunner({
      binary: o.benchmarkModel,
      flavor: o.benchmarkModelFlavor,
      xnnpack: o.xnnpack,
      opProfiling: o.opProfiling,
      nnapiAccelerator: o.nnapiAccelerator,
      hexagonLibPath: o.hexagonLibPath,
      dispatchLibraryPath: o.dispatchLibraryPath,
      extraArgs: o.extraArgs,
    });
  }
  return new AndroidTfliteRunner({ xnnpack: o.xnnpack, nnapiAccelerator: o.nnapiAccelerator });
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
  configSchema: {
    type: 'object',
    properties: {
      python: { type: 'string' },
      android: {
        type: 'object',
        properties: {
          runner: { type: 'string', enum: ['gaugenn', 'benchmark_model'] },
          benchmarkModel: { type: 'string' },
          benchmarkModelFlavor: { type: 'string', enum: ['classic', 'litert'] },
          xnnpack: { type: 'boolean' },
          opProfiling: { type: 'boolean' },
          nnapiAccelerator: { type: 'string' },
          hexagonLibPath: { type: 'string' },
          dispatchLibraryPath: { type: 'string' },
          extraArgs: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  apply(gauge, options) {
    gauge.addSniffer(tfliteSniffer);
    gauge.addCodeSignatures(codeSignatures);
    gauge.addNativeLibSignatures(nativeLibSignatures);
    gauge.hooks.parse.for('tflite').tapPromise('tflite', (artifact) => parseTfliteArtifact(artifact));
    gauge.hooks.deploy.for('tflite').tapPromise('tflite', async (device) => {
      if (device.kind === 'host') return new HostTfliteRunner({ python: options?.python });
      if (device.kind === 'adb') return androidRunner(options?.android);
      return undefined;
    });
  },
});
