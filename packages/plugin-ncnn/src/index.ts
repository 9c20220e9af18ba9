/**
 * @gaugenn/plugin-ncnn — ncnn models: sniffers for text/binary params and their `.bin` weights, a parser into
 * the IR with shape inference, a host runner over ncnn's Python package, and an Android benchncnn runner.
 */
import { readFile } from 'node:fs/promises';
import { GaugeError, definePlugin, sha256, type ModelArtifact, type ModelFile, type ModelGraph } from '@gaugenn/core';
import { parseNcnn, type ParseNcnnOptions } from './parse/parse-ncnn.js';
import { BenchncnnRunner } from './runner/benchncnn-runner.js';
import { HostNcnnRunner } from './runner/host-runner.js';
import { ncnnSniffer } from './sniff.js';
import { codeSignatures, nativeLibSignatures } from './signatures.js';

export { parseNcnn, DEFAULT_INPUT_SIZE, type ParseNcnnOptions, type NcnnSources } from './parse/parse-ncnn.js';
export { readParam, NCNN_MAGIC, type NcnnNet, type NcnnLayerDef } from './parse/param-reader.js';
export { layerCategory, knownLayerTypes } from './parse/op-table.js';
export { ncnnSniffer, ncnnGroup, looksLikeTextParam, looksLikeBinaryParam, looksLikeNcnnWeights } from './sniff.js';
export { pairByContent, binMatchesParam, type PairCandidate } from './pair.js';
export { HostNcnnRunner, RUNNER_SCRIPT, type HostNcnnRunnerOptions } from './runner/host-runner.js';
export { BenchncnnRunner, type BenchncnnRunnerOptions } from './runner/benchncnn-runner.js';
export { parseBenchncnnOutput, type BenchncnnStat } from './runner/benchncnn-output.js';
export { buildDemoNcnnModel, type DemoNcnnModel } from './demo/demo-model.js';

/** Options under `plugins.ncnn` in gaugenn.config. */
export interface NcnnPluginOptions {
  /** Python interpreter for the host runner (default: core's `hostPython()`). */
  python?: string;
  /** Path (on this machine) of an Android `benchncnn` binary; enables the runner on adb devices. */
  benchncnn?: string;
}

async function readOrThrow(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new GaugeError('INPUT_NOT_FOUND', `Cannot read the ncnn ${what} ${path}: ${(e as Error).message}. Re-run the extract stage.`, { plugin: 'ncnn', hook: 'parse', subject: path, cause: e });
  }
}

/** Split an artifact's files into param and weights: by role where given, else by name (`.bin` but not `.param.bin`). */
export function ncnnArtifactFiles(artifact: ModelArtifact): { param?: ModelArtifact['files'][number]; bin?: ModelArtifact['files'][number] } {
  const isBin = (f: { path: string; role?: string }) => f.role === 'weights' || (f.role !== 'param' && /\.bin$/i.test(f.path) && !/\.param\.bin$/i.test(f.path));
  const param = artifact.files.find((f) => f.role === 'param') ?? artifact.files.find((f) => !isBin(f));
  const bin = artifact.files.find((f) => f !== param && isBin(f));
  return { param, bin };
}

/** Read an artifact's param (and `.bin`, where paired) and parse it. */
export async function parseNcnnArtifact(artifact: ModelArtifact, options: ParseNcnnOptions = {}): Promise<ModelGraph> {
  const { param, bin } = ncnnArtifactFiles(artifact);
  if (!param) throw new GaugeError('MODEL_MALFORMED', 'The ncnn artifact has no param file.', { plugin: 'ncnn', hook: 'parse' });
  const paramBytes = await readOrThrow(param.path, 'param');
  const binBytes = bin ? await readOrThrow(bin.path, 'weights') : undefined;
  const record = (f: ModelArtifact['files'][number], bytes: Buffer, role: string): ModelFile => ({
    path: f.path,
    sha256: f.sha256 || sha256(bytes),
    bytes: f.bytes || bytes.length,
    role: f.role ?? role,
  });
  const files = [record(param, paramBytes, 'param'), ...(bin && binBytes ? [record(bin, binBytes, 'weights')] : [])];
  return parseNcnn({ param: paramBytes, bin: binBytes, files }, options);
}

/** The plugin object: `use: ['@gaugenn/plugin-ncnn']` in config, or tests apply it directly. */
export default definePlugin<NcnnPluginOptions>({
  name: 'ncnn',
  frameworks: ['ncnn'],
  // The host runner's runtime; `gaugenn setup` installs it into gaugeNN's venv.
  hostRequirements: ['ncnn==1.0.20261020'],
  configSchema: {
    type: 'object',
    properties: { python: { type: 'string' }, benchncnn: { type: 'string' } },
    additionalProperties: false,
  },
  apply(gauge, options) {
    gauge.addSniffer(ncnnSniffer);
    gauge.addCodeSignatures(codeSignatures);
    gauge.addNativeLibSignatures(nativeLibSignatures);
    gauge.hooks.parse.for('ncnn').tapPromise('ncnn', (artifact) => parseNcnnArtifact(artifact));
    gauge.hooks.deploy.for('ncnn').tapPromise('ncnn', async (device) => {
      if (device.kind === 'host') return new HostNcnnRunner({ python: options?.python });
      if (device.kind === 'adb' && options?.benchncnn) return new BenchncnnRunner({ binary: options.benchncnn });
      return undefined;
    });
  },
});
