/**
 * Host runner: runs `runner/tflite_runner.py` (LiteRT's Python interpreter) through the device's transport.
 * Depends only on core's Device/Transport interfaces, so whichever host device core provides will do.
 */
import { fileURLToPath } from 'node:url';
import { GaugeError, hostPython, parseRunnerOutput, runnerEnv, type Device, type GaugeErrorCode, type RunRequest, type RunResult, type Runner } from '@gaugenn/core';

/** The Python script, beside `dist/` (or `src/`) in the package: `<pkg>/runner/tflite_runner.py`. */
export const RUNNER_SCRIPT = fileURLToPath(new URL('../../runner/tflite_runner.py', import.meta.url));

/** Options of {@link HostTfliteRunner}. */
export interface HostTfliteRunnerOptions {
  /** Python interpreter; defaults to core's `hostPython()`: `$GAUGENN_PYTHON`, gaugeNN's venv, then `python3`. */
  python?: string;
  /** Path of the runner script; defaults to {@link RUNNER_SCRIPT}. */
  script?: string;
}

const RUNNER_CODES = new Set<GaugeErrorCode>(['RUNNER_MISSING', 'RUNNER_FAILED', 'RUNNER_OUTPUT', 'RUNNER_TIMEOUT']);
const tail = (s: string, n = 800) => (s.length > n ? `…${s.slice(-n)}` : s).trim();

/** Runs TFLite models on the host CPU with LiteRT's Python interpreter. */
export class HostTfliteRunner implements Runner {
  readonly framework = 'tflite';
  readonly python: string;
  readonly script: string;

  constructor(options: HostTfliteRunnerOptions = {}) {
    this.python = options.python ?? hostPython();
    this.script = options.script ?? RUNNER_SCRIPT;
  }

  /** Only `cpu`, and only on the host: LiteRT's Python package has no GPU delegate for desktop. */
  backends(device: Device): string[] {
    return device.kind === 'host' ? ['cpu'] : [];
  }

  /** Run warm-up and timed invocations; every sample comes back. Throws GaugeError RUNNER_* on failure. */
  async run(device: Device, request: RunRequest): Promise<RunResult> {
    const model = request.modelFiles[0]?.path;
    const where = { plugin: 'tflite', hook: 'measure', subject: model };
    if (!model) throw new GaugeError('RUNNER_FAILED', 'The run request names no model file.', where);
    if (!this.backends(device).includes(request.backend)) {
      throw new GaugeError(
        'BACKEND_UNSUPPORTED',
        `The TFLite host runner offers ${this.backends(device).join(', ') || 'no backends'} on a ${device.kind} device, not "${request.backend}". Use backend "cpu" on the host.`,
        where,
      );
    }
    const args = [
      this.script,
      '--model', model,
      '--threads', String(request.threads),
      '--warmup', String(request.warmup),
      '--runs', String(request.runs),
      '--backend', request.backend,
    ];
    let res;
    try {
      res = await device.transport.exec(this.python, args, { timeoutMs: request.timeoutMs, signal: request.signal, env: runnerEnv() });
    } catch (e) {
      if (request.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The TFLite run was cancelled.', { ...where, cause: e });
      if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') throw this.missingPython(where, e);
      throw new GaugeError('RUNNER_FAILED', `Could not start ${this.python}: ${(e as Error)?.message ?? e}`, { ...where, cause: e });
    }
    if (request.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The TFLite run was cancelled.', where);
    if (res.timedOut) {
      throw new GaugeError(
        'RUNNER_TIMEOUT',
        `The TFLite host runner did not finish ${request.warmup} warm-up + ${request.runs} runs of ${model} within ${request.timeoutMs} ms. Raise the timeout or lower the number of runs.`,
        where,
      );
    }
    const doc = parseRunnerOutput(res.stdout);
    if (doc.ok === true) {
      if (res.exitCode !== 0) {
        throw new GaugeError('RUNNER_OUTPUT', `The TFLite host runner printed results but exited with ${res.exitCode}: ${tail(res.stderr)}`, where);
      }
      return doc.result;
    }
    if (doc.ok === false) {
      const code = RUNNER_CODES.has(doc.error.code as GaugeErrorCode) ? (doc.error.code as GaugeErrorCode) : 'RUNNER_FAILED';
      const hint =
        code === 'RUNNER_MISSING'
          ? ''
          : ' The runtime rejected the model: check that it runs in LiteRT without custom ops or delegates (Edge TPU models need their delegate).';
      throw new GaugeError(code, `TFLite host runner failed on ${model}: ${doc.error.message}.${hint}`, {
        ...where,
        cause: new Error(doc.error.message),
      });
    }
    if (res.exitCode === 127) throw this.missingPython(where, new Error(res.stderr));
    if (res.exitCode !== 0) {
      throw new GaugeError('RUNNER_FAILED', `The TFLite host runner exited with ${res.exitCode} and no result: ${tail(res.stderr) || 'no output'}`, {
        ...where,
        cause: new Error(res.stderr),
      });
    }
    throw new GaugeError('RUNNER_OUTPUT', `The TFLite host runner's output could not be read: ${doc.why}.`, where);
  }

  private missingPython(where: { plugin: string; hook: string; subject?: string }, cause: unknown): GaugeError {
    return new GaugeError(
      'RUNNER_MISSING',
      `Python interpreter "${this.python}" was not found. Install Python 3 with \`pip install ai-edge-litert\`, or point GAUGENN_PYTHON (or plugins.tflite.python in gaugenn.config) at one.`,
      { ...where, cause },
    );
  }
}
