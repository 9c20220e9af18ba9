/**
 * Android runner over TFLite's `benchmark_model`, a binary the user supplies (`plugins.tflite.android.benchmarkModel`):
 * the classic tool (`--use_gpu/--use_nnapi/--use_hexagon/--use_xnnpack`) or LiteRT's CompiledModel tool of the same
 * name (`--use_cpu/--use_gpu/--use_npu`). It prints aggregates only, so the job stores them as aggregates
 * (`samplesMs: []`) and never invents samples; delegation comes from the same output.
 */
import { GaugeError, type Device, type Invocation, type RunRequest, type RunResult, type Runner } from '@gaugenn/core';
import { aggregateOf, backendTruth } from './backend-truth.js';
import { parseBenchmarkModelOutput, type BenchmarkModelOutput } from './benchmark-model-output.js';
import { pushOnce } from './device-files.js';

/** Which `benchmark_model`: TFLite's classic tool, or LiteRT's CompiledModel tool. */
export type BenchmarkModelFlavor = 'classic' | 'litert';

/** Options of {@link BenchmarkModelRunner} (`plugins.tflite.android` in gaugenn.config). */
export interface BenchmarkModelRunnerOptions {
  /** Local path of the `benchmark_model` binary built for the device's ABI. */
  binary?: string;
  /** Default `classic`. */
  flavor?: BenchmarkModelFlavor;
  /** `--use_xnnpack` for the classic tool (unset: the tool's default, XNNPACK on). */
  xnnpack?: boolean;
  /** `--enable_op_profiling=true` (the per-node-type summary goes into `extra.profile`). */
  opProfiling?: boolean;
  /** `--nnapi_accelerator_name` for the nnapi backend. */
  nnapiAccelerator?: string;
  /** `--hexagon_lib_path` for the hexagon backend (the tool's default is /data/local/tmp/). */
  hexagonLibPath?: string;
  /** `--dispatch_library_path` for LiteRT's npu backend. */
  dispatchLibraryPath?: string;
  /** More flags, appended as given. */
  extraArgs?: string[];
}

const BACKENDS: Record<BenchmarkModelFlavor, string[]> = { classic: ['cpu', 'gpu', 'nnapi', 'hexagon'], litert: ['cpu', 'gpu', 'npu'] };
const tail = (s: string, n = 800) => (s.length > n ? `…${s.slice(-n)}` : s).trim();

/** Runs TFLite models on Android devices with a user-supplied `benchmark_model`. */
export class BenchmarkModelRunner implements Runner {
  readonly framework = 'tflite';
  readonly flavor: BenchmarkModelFlavor;

  constructor(readonly options: BenchmarkModelRunnerOptions = {}) {
    this.flavor = options.flavor ?? 'classic';
  }

  backends(device: Device): string[] {
    return device.kind === 'adb' ? BACKENDS[this.flavor] : [];
  }

  /**
   * The tool's flags for a job. `num_runs`/`warmup_runs` come from the request and `min_secs=0`/`warmup_min_secs=0`
   * stop the tool from adding runs to fill its default seconds, so the count is what was asked; `max_secs` is the
   * job's timeout, so the tool's own 150 s default does not cut the runs short first.
   */
  flags(remoteModel: string, request: Pick<RunRequest, 'backend' | 'threads' | 'warmup' | 'runs' | 'timeoutMs'>): string[] {
    const o = this.options;
    const f = [
      `--graph=${remoteModel}`,
      `--num_threads=${request.threads}`,
      `--num_runs=${request.runs}`,
      `--warmup_runs=${request.warmup}`,
      '--min_secs=0',
      '--warmup_min_secs=0',
      `--max_secs=${Math.max(1, Math.ceil(request.timeoutMs / 1000))}`,
    ];
    if (this.flavor === 'classic') {
      if (request.backend === 'gpu') f.push('--use_gpu=true');
      if (request.backend === 'nnapi') f.push('--use_nnapi=true', ...(o.nnapiAccelerator ? [`--nnapi_accelerator_name=${o.nnapiAccelerator}`] : []));
      if (request.backend === 'hexagon') f.push('--use_hexagon=true', ...(o.hexagonLibPath ? [`--hexagon_lib_path=${o.hexagonLibPath}`] : []));
      if (o.xnnpack !== undefined) f.push(`--use_xnnpack=${o.xnnpack}`);
      if (o.opProfiling) f.push('--enable_op_profiling=true');
    } else {
      f.push(`--use_cpu=${request.backend === 'cpu'}`, `--use_gpu=${request.backend === 'gpu'}`, `--use_npu=${request.backend === 'npu'}`);
      if (request.backend === 'npu' && o.dispatchLibraryPath) f.push(`--dispatch_library_path=${o.dispatchLibraryPath}`);
      if (o.opProfiling) f.push('--enable_op_profiling=true');
    }
    return [...f, ...(o.extraArgs ?? [])];
  }

  /** Push the tool (once, executable) and the model; the one command that measures the job. */
  async prepare(device: Device, request: RunRequest): Promise<Invocation> {
    const model = request.modelFiles[0]?.path;
    const where = { plugin: 'tflite', hook: 'deploy', subject: model };
    if (!model) throw new GaugeError('RUNNER_FAILED', 'The run request names no model file.', where);
    if (!this.backends(device).includes(request.backend)) {
      throw new GaugeError('BACKEND_UNSUPPORTED', `benchmark_model (${this.flavor}) offers ${BACKENDS[this.flavor].join(', ')} on adb devices, not "${request.backend}" on a ${device.kind} device.`, where);
    }
    if (!this.options.binary) {
      throw new GaugeError('RUNNER_MISSING', 'plugins.tflite.android.runner is benchmark_model but plugins.tflite.android.benchmarkModel names no binary. Set it to the benchmark_model built for the device (e.g. android_aarch64_benchmark_model), or use the default runner.', where);
    }
    let bin: string;
    let remoteModel: string;
    try {
      bin = await pushOnce(device, this.options.binary, { name: 'benchmark_model', mode: 0o755 });
      remoteModel = await pushOnce(device, model);
    } catch (e) {
      if (e instanceof GaugeError) throw e;
      throw new GaugeError('RUNNER_MISSING', `Could not push benchmark_model (${this.options.binary}) and the model to ${device.id}: ${(e as Error)?.message ?? e}. Check plugins.tflite.android.benchmarkModel and the device connection.`, { ...where, cause: e });
    }
    const flags = this.flags(remoteModel, request);
    const [command, args] = request.cpuMask ? ['taskset', [request.cpuMask, bin, ...flags]] : [bin, flags];
    return { command, args, parse: (o) => this.parse(`${o.stdout}\n${o.stderr}`, o.exitCode, request, model, flags) };
  }

  async run(device: Device, request: RunRequest): Promise<RunResult> {
    const where = { plugin: 'tflite', hook: 'measure', subject: request.modelFiles[0]?.path };
    const inv = await this.prepare(device, request);
    let res;
    try {
      res = await device.transport.exec(inv.command, inv.args, { timeoutMs: request.timeoutMs, signal: request.signal });
    } catch (e) {
      if (request.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The benchmark_model run was cancelled.', { ...where, cause: e });
      if (e instanceof GaugeError) throw e;
      throw new GaugeError('RUNNER_FAILED', `Could not run benchmark_model on ${device.id}: ${(e as Error)?.message ?? e}`, { ...where, cause: e });
    }
    if (request.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The benchmark_model run was cancelled.', where);
    if (res.timedOut) {
      throw new GaugeError('RUNNER_TIMEOUT', `benchmark_model did not finish ${request.warmup} warm-up + ${request.runs} runs within ${request.timeoutMs} ms. Raise bench.timeoutMs or lower the number of runs.`, where);
    }
    return inv.parse({ exitCode: res.exitCode, stdout: res.stdout, stderr: res.stderr, files: {} });
  }

  /** The tool's text as an aggregate result, or a typed failure quoting what the tool said. */
  parse(text: string, exitCode: number, request: RunRequest, model: string, flags: string[]): RunResult {
    const where = { plugin: 'tflite', hook: 'measure', subject: model };
    const out = parseBenchmarkModelOutput(text);
    if (exitCode !== 0 || out.failed) {
      const said = [...out.failedToApply.map((d) => `Failed to apply ${d} delegate.`), ...out.errors].slice(0, 6);
      const missing = (exitCode === 126 || exitCode === 127 || /not found|Permission denied|cannot execute/i.test(tail(text, 300))) && !out.runs;
      throw new GaugeError(
        missing && said.length === 0 ? 'RUNNER_MISSING' : 'RUNNER_FAILED',
        `benchmark_model ${flags.join(' ')} failed (exit ${exitCode}): ${said.length ? said.join(' | ') : tail(text) || 'no output'}`,
        where,
      );
    }
    if (!out.runs || out.runs.count === 0) {
      throw new GaugeError('RUNNER_OUTPUT', `benchmark_model printed no statistics of its timed runs (no count= line after "Running benchmark for at least ${request.runs} iterations"): ${tail(text)}`, where);
    }
    const truth = backendTruth(out, request.backend);
    const notes: string[] = [];
    if (out.runs.count !== request.runs) notes.push(`benchmark_model ran ${out.runs.count} timed runs for ${request.runs} asked (its min_secs/max_secs loop decides the count)`);
    if (out.warmup && out.warmup.count !== request.warmup) notes.push(`benchmark_model ran ${out.warmup.count} warm-up runs for ${request.warmup} asked`);
    return {
      samplesMs: [],
      aggregate: aggregateOf(out.runs),
      delegation: truth.delegation,
      warnings: truth.warnings,
      engine: 'tflite benchmark_model',
      extra: summaryExtra(out, this.flavor, flags, request, notes),
    };
  }
}

/** What else the tool printed, for the job's extra. */
function summaryExtra(out: BenchmarkModelOutput, flavor: BenchmarkModelFlavor, flags: string[], request: RunRequest, notes: string[]): Record<string, unknown> {
  const ms = (us: number | null | undefined) => (us == null ? null : Math.round(us * 1000) / 1e6);
  return {
    flavor,
    flags,
    format: out.format,
    samples: 'aggregate only: benchmark_model prints statistics, not samples',
    runsAsked: request.runs,
    warmupAsked: request.warmup,
    ...(notes.length ? { note: notes.join('; ') } : {}),
    initMs: out.initSessionMs ?? ms(out.summary?.initUs),
    firstInferenceMs: ms(out.summary?.firstInferenceUs),
    warmup: out.warmup ? aggregateOf(out.warmup) : null,
    memory: out.memory,
    ...(out.peakMB !== null ? { peakMB: out.peakMB } : {}),
    ...(Object.keys(out.memoryStatusMB).length ? { memoryStatusMB: out.memoryStatusMB } : {}),
    ...(out.nnapiAccelerators ? { nnapiAccelerators: out.nnapiAccelerators } : {}),
    delegates: out.delegates,
    ...(out.gpuUnsupported ? { gpuUnsupported: out.gpuUnsupported } : {}),
    ...(out.profile.length ? { profile: out.profile.map((b) => ({ phase: b.phase, byNodeType: b.byNodeType, nodesExecuted: b.nodesExecuted })) } : {}),
    ...(request.cpuMask ? { cpuMask: request.cpuMask } : {}),
  };
}
