/**
 * Host runner: runs `runner/caffe_runner.py` (OpenCV DNN) through the device's transport. Input shapes come from
 * gaugeNN's own parse of the model; a prototxt without a caffemodel runs with seeded random weights that this
 * runner writes to a temporary caffemodel (OpenCV refuses to run a net whose layers have no blobs).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GaugeError, hostPython, parseRunnerOutput, runnerEnv, type Device, type GaugeErrorCode, type ModelGraph, type RunRequest, type RunResult, type Runner } from '@gaugenn/core';
import { parseCaffe } from '../parse/parse-caffe.js';
import { writeCaffemodel } from '../write/caffemodel-writer.js';
import { randomWeightsFor } from '../write/random-weights.js';
import { splitRoles } from './roles.js';

/** The Python script, beside `dist/` (or `src/`) in the package: `<pkg>/runner/caffe_runner.py`. */
export const RUNNER_SCRIPT = fileURLToPath(new URL('../../runner/caffe_runner.py', import.meta.url));

/** Options of {@link HostCaffeRunner}. */
export interface HostCaffeRunnerOptions {
  /** Python interpreter; defaults to core's `hostPython()`. */
  python?: string;
  /** Path of the runner script; defaults to {@link RUNNER_SCRIPT}. */
  script?: string;
}

const RUNNER_CODES = new Set<GaugeErrorCode>(['RUNNER_MISSING', 'RUNNER_FAILED', 'RUNNER_OUTPUT', 'RUNNER_TIMEOUT']);
const tail = (s: string, n = 800) => (s.length > n ? `…${s.slice(-n)}` : s).trim();

/** Runs Caffe models on the host CPU with OpenCV DNN. */
export class HostCaffeRunner implements Runner {
  readonly framework = 'caffe';
  readonly python: string;
  readonly script: string;

  constructor(options: HostCaffeRunnerOptions = {}) {
    this.python = options.python ?? hostPython();
    this.script = options.script ?? RUNNER_SCRIPT;
  }

  /** `cpu` on the host (OpenCV's own backend, CPU target). */
  backends(device: Device): string[] {
    return device.kind === 'host' ? ['cpu'] : [];
  }

  async run(device: Device, request: RunRequest): Promise<RunResult> {
    const where = { plugin: 'caffe', hook: 'measure', subject: request.modelFiles[0]?.path };
    if (request.modelFiles.length === 0) throw new GaugeError('RUNNER_FAILED', 'The run request names no model file.', where);
    if (!this.backends(device).includes(request.backend)) {
      throw new GaugeError('BACKEND_UNSUPPORTED', `The Caffe host runner offers ${this.backends(device).join(', ') || 'no backends'} on a ${device.kind} device, not "${request.backend}". Use backend "cpu" on the host.`, where);
    }
    const { prototxt, caffemodel } = await splitRoles(request.modelFiles);
    if (!prototxt) {
      throw new GaugeError('RUNNER_FAILED', `OpenCV DNN needs the model's prototxt, and only a caffemodel was given (${caffemodel}). Pair it with its prototxt (see pairByLayerNames).`, where);
    }
    let graph: ModelGraph;
    try {
      graph = await parseCaffe(caffemodel ? [{ path: prototxt, role: 'prototxt' }, { path: caffemodel, role: 'caffemodel' }] : [{ path: prototxt, role: 'prototxt' }]);
    } catch (e) {
      throw new GaugeError('RUNNER_FAILED', `gaugeNN could not read the model to run it: ${(e as Error).message}`, { ...where, cause: e });
    }
    const open = graph.inputs.filter((i) => i.shape.length === 0 || i.shape.some((d) => d <= 0));
    if (open.length > 0) {
      throw new GaugeError('RUNNER_FAILED', `Input(s) ${open.map((i) => i.name).join(', ')} have no fixed shape in the prototxt; state them with input_shape or an Input layer.`, where);
    }
    let tmp: string | undefined;
    try {
      let weights = caffemodel;
      let source = 'caffemodel';
      if (!weights) {
        tmp = await mkdtemp(join(tmpdir(), 'gaugenn-caffe-'));
        weights = join(tmp, 'random.caffemodel');
        await writeCaffemodel(weights, { name: String(graph.metadata.name ?? 'net'), layers: randomWeightsFor(graph) });
        source = 'random (seeded weights in a temporary caffemodel written by gaugeNN)';
      }
      const args = [this.script, '--prototxt', prototxt, '--caffemodel', weights, '--threads', String(request.threads), '--warmup', String(request.warmup), '--runs', String(request.runs), '--weights-source', source];
      // The IR's shapes are per inference (batch 1); a request may ask for a larger batch.
      const batch = request.batch ?? 1;
      for (const i of graph.inputs) args.push('--input', `${i.name}:${(i.shape.length >= 2 ? [batch, ...i.shape.slice(1)] : i.shape).join(',')}`);
      return await this.exec(device, request, args, where);
    } finally {
      if (tmp) await rm(tmp, { recursive: true, force: true });
    }
  }

  private async exec(device: Device, request: RunRequest, args: string[], where: { plugin: string; hook: string; subject?: string }): Promise<RunResult> {
    let res;
    try {
      res = await device.transport.exec(this.python, args, { timeoutMs: request.timeoutMs, signal: request.signal, env: runnerEnv() });
    } catch (e) {
      if (request.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The Caffe run was cancelled.', { ...where, cause: e });
      if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') throw this.missingPython(where, e);
      throw new GaugeError('RUNNER_FAILED', `Could not start ${this.python}: ${(e as Error)?.message ?? e}`, { ...where, cause: e });
    }
    if (request.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The Caffe run was cancelled.', where);
    if (res.timedOut) {
      throw new GaugeError('RUNNER_TIMEOUT', `The Caffe host runner did not finish ${request.warmup} warm-up + ${request.runs} runs within ${request.timeoutMs} ms. Raise the timeout or lower the number of runs.`, where);
    }
    const doc = parseRunnerOutput(res.stdout);
    if (doc.ok === true) {
      if (res.exitCode !== 0) throw new GaugeError('RUNNER_OUTPUT', `The Caffe host runner printed results but exited with ${res.exitCode}: ${tail(res.stderr)}`, where);
      return doc.result;
    }
    if (doc.ok === false) {
      const code = RUNNER_CODES.has(doc.error.code as GaugeErrorCode) ? (doc.error.code as GaugeErrorCode) : 'RUNNER_FAILED';
      const hint = code === 'RUNNER_MISSING' ? '' : ' OpenCV DNN rejected the model: check that its layer types are ones OpenCV supports (custom fork layers are not).';
      throw new GaugeError(code, `Caffe host runner failed: ${doc.error.message}.${hint}`, { ...where, cause: new Error(doc.error.message) });
    }
    if (res.exitCode === 127) throw this.missingPython(where, new Error(res.stderr));
    if (res.exitCode !== 0) throw new GaugeError('RUNNER_FAILED', `The Caffe host runner exited with ${res.exitCode} and no result: ${tail(res.stderr) || 'no output'}`, { ...where, cause: new Error(res.stderr) });
    throw new GaugeError('RUNNER_OUTPUT', `The Caffe host runner's output could not be read: ${doc.why}.`, where);
  }

  private missingPython(where: { plugin: string; hook: string; subject?: string }, cause: unknown): GaugeError {
    return new GaugeError('RUNNER_MISSING', `Python interpreter "${this.python}" was not found. Install Python 3 with \`pip install opencv-python-headless==4.12.0.88\` (or run \`gaugenn setup\`), or point GAUGENN_PYTHON (or plugins.caffe.python) at one.`, { ...where, cause });
  }
}
