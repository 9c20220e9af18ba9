/**
 * Android runner over ncnn's `benchncnn` binary (given by `plugins.ncnn.benchncnn`), pushed with the param to
 * the device's work dir. benchncnn always runs with generated weights (it never reads a .bin) and prints only
 * min/max/avg per invocation, so to keep every sample this runner invokes it once per run with loop_count 1:
 * each sample is one timed inference after benchncnn's own in-process warm-up. Requested warm-up runs are
 * extra invocations reported as `warmupMs`. Cooling down is off: core's thermal gate does that job.
 */
import { basename } from 'node:path';
import { GaugeError, type Device, type RunRequest, type RunResult, type Runner } from '@gaugenn/core';
import { parseBenchncnnOutput } from './benchncnn-output.js';
import { runnableModel } from './model-inputs.js';

export interface BenchncnnRunnerOptions {
  /** Local path of the benchncnn binary built for the device's ABI. */
  binary: string;
  /** 0 all cores, 1 little cores only, 2 big cores only (benchncnn's powersave). Default 0. */
  powersave?: 0 | 1 | 2;
  /** Vulkan device index used for the `vulkan` backend. Default 0. */
  gpuDevice?: number;
}

const tail = (s: string, n = 800) => (s.length > n ? `…${s.slice(-n)}` : s).trim();

/** Runs ncnn params on Android devices with benchncnn. */
export class BenchncnnRunner implements Runner {
  readonly framework = 'ncnn';

  constructor(readonly options: BenchncnnRunnerOptions) {}

  /** `cpu` and `vulkan` on adb devices (whether the phone's Vulkan works shows when it runs). */
  backends(device: Device): string[] {
    return device.kind === 'adb' ? ['cpu', 'vulkan'] : [];
  }

  /** The argument list for one invocation, in benchncnn's order. */
  args(remoteParam: string, inputs: { dims: number[] }[], threads: number, backend: string, loops = 1): string[] {
    const gpu = backend === 'vulkan' ? (this.options.gpuDevice ?? 0) : -1;
    // benchncnn takes shapes as w,h,c: ncnn dims reversed.
    const shape = inputs.map((i) => `[${[...i.dims].reverse().join(',')}]`).join(',');
    return [String(loops), String(threads), String(this.options.powersave ?? 0), String(gpu), '0', `param=${remoteParam}`, `shape=${shape}`];
  }

  async run(device: Device, request: RunRequest): Promise<RunResult> {
    const where = { plugin: 'ncnn', hook: 'measure', subject: request.modelFiles[0]?.path };
    if (!this.backends(device).includes(request.backend)) {
      throw new GaugeError('BACKEND_UNSUPPORTED', `benchncnn offers cpu and vulkan on adb devices, not "${request.backend}" on a ${device.kind} device.`, where);
    }
    const model = await runnableModel(request);
    const t = device.transport;
    const dir = (await t.workDir()).replace(/\/+$/, '');
    const bin = `${dir}/benchncnn`;
    const param = `${dir}/${basename(model.param)}`;
    try {
      await t.push(this.options.binary, bin);
      await t.push(model.param, param);
      await t.exec('chmod', ['755', bin], { timeoutMs: 30_000 });
    } catch (e) {
      throw new GaugeError('RUNNER_MISSING', `Could not push benchncnn (${this.options.binary}) and the param to ${device.id}: ${(e as Error)?.message ?? e}. Check plugins.ncnn.benchncnn and the device connection.`, { ...where, cause: e });
    }
    const args = this.args(param, model.inputs, request.threads, request.backend);
    const deadline = Date.now() + request.timeoutMs;
    const once = async (): Promise<{ ms: number; raw: ReturnType<typeof parseBenchncnnOutput> }> => {
      const left = deadline - Date.now();
      if (left <= 0) throw new GaugeError('RUNNER_TIMEOUT', `benchncnn did not finish ${request.warmup} warm-up + ${request.runs} runs within ${request.timeoutMs} ms. Raise the timeout or lower the number of runs.`, where);
      if (request.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The benchncnn run was cancelled.', where);
      const res = await t.exec(bin, args, { timeoutMs: left, signal: request.signal, cwd: dir });
      if (res.timedOut) throw new GaugeError('RUNNER_TIMEOUT', `benchncnn did not finish within ${request.timeoutMs} ms.`, where);
      const raw = parseBenchncnnOutput(`${res.stdout}\n${res.stderr}`);
      const stat = raw.stats[0];
      if (res.exitCode !== 0 || !stat) {
        throw new GaugeError(res.exitCode !== 0 ? 'RUNNER_FAILED' : 'RUNNER_OUTPUT', `benchncnn ${args.join(' ')} exited with ${res.exitCode} and ${stat ? 'a result' : 'no min/max/avg line'}: ${tail(`${res.stderr}\n${res.stdout}`) || 'no output'}`, where);
      }
      return { ms: stat.avgMs, raw };
    };
    const warmupMs: number[] = [];
    for (let i = 0; i < request.warmup; i++) warmupMs.push((await once()).ms);
    const samplesMs: number[] = [];
    let last: ReturnType<typeof parseBenchncnnOutput> | undefined;
    for (let i = 0; i < request.runs; i++) {
      const r = await once();
      samplesMs.push(r.ms);
      last = r.raw;
    }
    return {
      engine: 'ncnn benchncnn',
      samplesMs,
      warmupMs,
      extra: {
        threads: request.threads,
        vulkan: request.backend === 'vulkan',
        powersave: this.options.powersave ?? 0,
        loopCountPerInvocation: 1,
        samples: 'one benchncnn invocation with loop_count 1 per sample (benchncnn reports only min/max/avg)',
        weights: 'generated-by-benchncnn',
        inputs: model.inputs,
        settings: last?.settings,
        gpuInfo: last?.gpuInfo,
      },
    };
  }
}
