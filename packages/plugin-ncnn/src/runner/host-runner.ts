/**
 * Host runner: runs `runner/ncnn_runner.py` (the official `ncnn` Python package) through the device's
 * transport. CPU threads always; Vulkan only where ncnn itself reports a GPU.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GaugeError, hostPython, parseRunnerOutput, runnerEnv, type Device, type GaugeErrorCode, type RunRequest, type RunResult, type Runner } from '@gaugenn/core';
import { runnableModel } from './model-inputs.js';

/** The Python script, beside `dist/` (or `src/`) in the package: `<pkg>/runner/ncnn_runner.py`. */
export const RUNNER_SCRIPT = fileURLToPath(new URL('../../runner/ncnn_runner.py', import.meta.url));

export interface HostNcnnRunnerOptions {
  /** Python interpreter; defaults to core's `hostPython()`. */
  python?: string;
  /** Path of the runner script; defaults to {@link RUNNER_SCRIPT}. */
  script?: string;
}

const RUNNER_CODES = new Set<GaugeErrorCode>(['RUNNER_MISSING', 'RUNNER_FAILED', 'RUNNER_OUTPUT', 'RUNNER_TIMEOUT', 'BACKEND_UNSUPPORTED']);
const tail = (s: string, n = 800) => (s.length > n ? `…${s.slice(-n)}` : s).trim();
const gpuCounts = new Map<string, number>();

/** Runs ncnn models on the host with ncnn's Python package. */
export class HostNcnnRunner implements Runner {
  readonly framework = 'ncnn';
  readonly python: string;
  readonly script: string;

  constructor(options: HostNcnnRunnerOptions = {}) {
    this.python = options.python ?? hostPython();
    this.script = options.script ?? RUNNER_SCRIPT;
  }

  /** Vulkan GPUs ncnn sees from this Python (asked once per interpreter; 0 when ncnn is missing). */
  gpuCount(): number {
    let n = gpuCounts.get(this.python);
    if (n === undefined) {
      const r = spawnSync(this.python, ['-c', 'import ncnn; print(ncnn.get_gpu_count())'], { encoding: 'utf8', timeout: 30_000 });
      n = r.status === 0 ? Number.parseInt(r.stdout.trim().split('\n').pop() ?? '0', 10) || 0 : 0;
      gpuCounts.set(this.python, n);
    }
    return n;
  }

  /** `cpu` on the host, plus `vulkan` when ncnn reports a GPU. */
  backends(device: Device): string[] {
    if (device.kind !== 'host') return [];
    return this.gpuCount() > 0 ? ['cpu', 'vulkan'] : ['cpu'];
  }

  /** Warm-up then timed extractions; every sample comes back. Throws GaugeError RUNNER_* on failure. */
  async run(device: Device, request: RunRequest): Promise<RunResult> {
    const where = { plugin: 'ncnn', hook: 'measure', subject: request.modelFiles[0]?.path };
    if (device.kind !== 'host' || (request.backend !== 'cpu' && request.backend !== 'vulkan')) {
      throw new GaugeError('BACKEND_UNSUPPORTED', `The ncnn host runner offers cpu (and vulkan where ncnn sees a GPU) on the host, not "${request.backend}" on a ${device.kind} device.`, where);
    }
    if (request.backend === 'vulkan' && !this.backends(device).includes('vulkan')) {
      throw new GaugeError('BACKEND_UNSUPPORTED', 'ncnn reports no Vulkan GPU on this host (get_gpu_count() is 0). Use backend "cpu", or install a Vulkan driver.', where);
    }
    const model = await runnableModel(request);
    const args = [this.script, '--param', model.param, '--threads', String(request.threads), '--warmup', String(request.warmup), '--runs', String(request.runs), '--backend', request.backend];
    if (model.bin) args.push('--bin', model.bin);
    if (model.binaryParam) args.push('--binary-param');
    for (const i of model.inputs) args.push('--input', `${i.name}=${i.dims.join(',')}`);
    let res;
    try {
      res = await device.transport.exec(this.python, args, { timeoutMs: request.timeoutMs, signal: request.signal, env: runnerEnv() });
    } catch (e) {
      if (request.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The ncnn run was cancelled.', { ...where, cause: e });
      if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') throw this.missingPython(where, e);
      throw new GaugeError('RUNNER_FAILED', `Could not start ${this.python}: ${(e as Error)?.message ?? e}`, { ...where, cause: e });
    }
    if (request.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The ncnn run was cancelled.', where);
    if (res.timedOut) {
      throw new GaugeError('RUNNER_TIMEOUT', `The ncnn host runner did not finish ${request.warmup} warm-up + ${request.runs} runs of ${model.param} within ${request.timeoutMs} ms. Raise the timeout or lower the number of runs.`, where);
    }
    const doc = parseRunnerOutput(res.stdout);
    if (doc.ok === true) {
      if (res.exitCode !== 0) throw new GaugeError('RUNNER_OUTPUT', `The ncnn host runner printed results but exited with ${res.exitCode}: ${tail(res.stderr)}`, where);
      return doc.result;
    }
    if (doc.ok === false) {
      const code = RUNNER_CODES.has(doc.error.code as GaugeErrorCode) ? (doc.error.code as GaugeErrorCode) : 'RUNNER_FAILED';
      throw new GaugeError(code, `ncnn host runner failed on ${model.param}: ${doc.error.message}.`, { ...where, cause: new Error(doc.error.message) });
    }
    if (res.exitCode === 127) throw this.missingPython(where, new Error(res.stderr));
    if (res.exitCode !== 0) throw new GaugeError('RUNNER_FAILED', `The ncnn host runner exited with ${res.exitCode} and no result: ${tail(res.stderr) || 'no output'}`, { ...where, cause: new Error(res.stderr) });
    throw new GaugeError('RUNNER_OUTPUT', `The ncnn host runner's output could not be read: ${doc.why}.`, where);
  }

  private missingPython(where: { plugin: string; hook: string; subject?: string }, cause: unknown): GaugeError {
    return new GaugeError('RUNNER_MISSING', `Python interpreter "${this.python}" was not found. Install Python 3 with \`pip install ncnn==1.0.20261020\`, or point GAUGENN_PYTHON (or plugins.ncnn.python in gaugenn.config) at one.`, { ...where, cause });
  }
}
