/**
 * gaugeNN's own TFLite runner on Android devices (the default): the Java runner of `android-runner/`, dexed with
 * D8 against the official TFLite AARs, run with `app_process`. It keeps every warm-up and timed sample; what the
 * runtime did with the delegate comes from the runtime's own log lines (tag `tflite`), read from logcat.
 *
 * Why `app_process` and not an APK started with `am start`: a shell command has an exit status, a timeout and
 * cancellation through the transport, takes `taskset` for pinning, reads models from /data/local/tmp like every
 * other Android runner here, installs nothing (no install prompts, no package left behind), and runs detached
 * for unplugged mode as one command (`prepare()`). The price is the one LiteRT's docs name for the CLI
 * `benchmark_model`: a background process is scheduled like one, which can make GPU and multi-thread timings
 * slower than in a foreground Activity; `extra.process` records it so reports can say so.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { GaugeError, parseRunnerOutput, type Device, type GaugeErrorCode, type Invocation, type RunRequest, type RunResult, type Runner } from '@gaugenn/core';
import { backendTruth } from './backend-truth.js';
import { parseBenchmarkModelOutput } from './benchmark-model-output.js';
import { pushOnce, sh, workDir } from './device-files.js';
import { loadRunnerBundle, pickAbi, type RunnerBundle } from './runner-bundle.js';
import { shellLine, shq } from './shell.js';

/** Options of {@link AndroidTfliteRunner} (`plugins.tflite.android` in gaugenn.config). */
export interface AndroidTfliteRunnerOptions {
  /** Use XNNPACK for CPU kernels (default true, as TFLite does). */
  xnnpack?: boolean;
  /** NNAPI accelerator name for the `nnapi` backend (`qti-dsp`, `google-edgetpu`); default: NNAPI chooses. */
  nnapiAccelerator?: string;
  /** Folder of a built runner (default: this package's `android-runner/dist`). */
  bundleDir?: string;
}

const LOGCAT_MARK = '__GAUGENN_TFLITE_LOGCAT__';
const RUNNER_CODES = new Set<GaugeErrorCode>(['RUNNER_MISSING', 'RUNNER_FAILED', 'RUNNER_OUTPUT', 'RUNNER_TIMEOUT']);
const tail = (s: string, n = 800) => (s.length > n ? `…${s.slice(-n)}` : s).trim();
/** Bundles already on a device in this process: device id + bundle hash → remote folder. */
const deployed = new Map<string, string>();
const forget = (device: Device) => {
  for (const k of deployed.keys()) if (k.startsWith(`${device.id}\0`)) deployed.delete(k);
};

/** Runs TFLite models on Android devices with gaugeNN's own Java runner. */
export class AndroidTfliteRunner implements Runner {
  readonly framework = 'tflite';

  constructor(readonly options: AndroidTfliteRunnerOptions = {}) {}

  /** cpu (XNNPACK on or off), gpu (GpuDelegate) and nnapi (NnApiDelegate), on adb devices. */
  backends(device: Device): string[] {
    return device.kind === 'adb' ? ['cpu', 'gpu', 'nnapi'] : [];
  }

  /** Push the runner (once per content) and the model, and build the one command that measures the job. */
  async prepare(device: Device, request: RunRequest): Promise<Invocation> {
    const model = request.modelFiles[0]?.path;
    const where = { plugin: 'tflite', hook: 'deploy', subject: model };
    if (!model) throw new GaugeError('RUNNER_FAILED', 'The run request names no model file.', where);
    if (!this.backends(device).includes(request.backend)) {
      throw new GaugeError('BACKEND_UNSUPPORTED', `gaugeNN's Android TFLite runner offers cpu, gpu and nnapi on adb devices, not "${request.backend}" on a ${device.kind} device.`, where);
    }
    const bundle = loadRunnerBundle(this.options.bundleDir);
    const dir = await this.deploy(device, bundle, where);
    const remoteModel = await pushOnce(device, model);
    const libs = `${dir}/lib`;
    const args = [
      '--model', remoteModel,
      '--backend', request.backend,
      '--threads', String(request.threads),
      '--warmup', String(request.warmup),
      '--runs', String(request.runs),
      '--xnnpack', String(this.options.xnnpack ?? true),
      '--libs', libs,
      ...(request.backend === 'nnapi' && this.options.nnapiAccelerator ? ['--nnapi-accelerator', this.options.nnapiAccelerator] : []),
    ];
    const launch = [...(request.cpuMask ? ['taskset', request.cpuMask] : []), 'app_process', `-Djava.library.path=${libs}`, '/system/bin', bundle.manifest.runnerClass, ...args];
    // Clear the log, run, then dump the runtime's lines (tag tflite) after a marker; the runner's exit status is kept.
    const script = [
      'logcat -c 2>/dev/null',
      `CLASSPATH=${shq(`${dir}/${bundle.manifest.dex.file}`)} LD_LIBRARY_PATH=${shq(libs)} ${shellLine(launch[0]!, launch.slice(1))}`,
      'rc=$?',
      `echo ${LOGCAT_MARK}`,
      'logcat -d -v threadtime -s tflite 2>/dev/null',
      'exit $rc',
    ].join('\n');
    return {
      command: 'sh',
      args: ['-c', script],
      parse: (o) => this.parse(o, request, model),
    };
  }

  /** Deploy, run and parse: every warm-up and timed sample, and the delegate's truth from logcat. */
  async run(device: Device, request: RunRequest): Promise<RunResult> {
    const model = request.modelFiles[0]?.path;
    const where = { plugin: 'tflite', hook: 'measure', subject: model };
    const inv = await this.prepare(device, request);
    let res;
    try {
      res = await device.transport.exec(inv.command, inv.args, { timeoutMs: request.timeoutMs, signal: request.signal, cwd: inv.cwd });
    } catch (e) {
      if (request.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The TFLite run was cancelled.', { ...where, cause: e });
      if (e instanceof GaugeError) throw e;
      throw new GaugeError('RUNNER_FAILED', `Could not run the TFLite runner on ${device.id}: ${(e as Error)?.message ?? e}`, { ...where, cause: e });
    }
    if (request.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The TFLite run was cancelled.', where);
    if (res.timedOut) {
      throw new GaugeError('RUNNER_TIMEOUT', `The TFLite runner did not finish ${request.warmup} warm-up + ${request.runs} runs of ${model} on ${device.id} within ${request.timeoutMs} ms. Raise bench.timeoutMs or lower the number of runs.`, where);
    }
    try {
      return await inv.parse({ exitCode: res.exitCode, stdout: res.stdout, stderr: res.stderr, files: {} });
    } catch (e) {
      // The runner or its libraries went missing on the device: deploy again on the next job.
      if (e instanceof GaugeError && e.code === 'RUNNER_MISSING') forget(device);
      throw e;
    }
  }

  /** Push the DEX and the ABI's libraries into a folder named by their content, once per device. */
  private async deploy(device: Device, bundle: RunnerBundle, where: { plugin: string; hook: string; subject?: string }): Promise<string> {
    const abis = device.info.abis?.length ? device.info.abis : [device.info.abi];
    const abi = pickAbi(bundle, abis);
    if (!abi) {
      throw new GaugeError('RUNNER_MISSING', `gaugeNN's TFLite runner has native libraries for ${Object.keys(bundle.manifest.abis).join(', ')}, but ${device.id} runs ${abis.join(', ')}.`, where);
    }
    const libs = bundle.manifest.abis[abi]!;
    const hash = createHash('sha256').update(bundle.manifest.dex.sha256).update(libs.map((l) => `${l.name}:${l.sha256}`).join(',')).digest('hex').slice(0, 16);
    const key = `${device.id}\0${hash}`;
    const known = deployed.get(key);
    if (known) return known;
    const dir = `${await workDir(device)}/tflite-runner-${hash}`;
    const stamp = `${dir}/.complete`;
    const present = await sh(device, `test -f ${shq(stamp)} && echo present`);
    if (!present.out.includes('present')) {
      const t = device.transport;
      try {
        // A folder without its stamp is a cut-short push: start it afresh.
        const mk = await sh(device, `rm -rf ${shq(dir)} && mkdir -p ${shq(`${dir}/lib`)}`);
        if (mk.exitCode !== 0) throw new Error(mk.out.trim() || `mkdir exited with ${mk.exitCode}`);
        await t.push(join(bundle.dir, bundle.manifest.dex.file), `${dir}/${bundle.manifest.dex.file}`);
        for (const l of libs) await t.push(join(bundle.dir, l.file), `${dir}/lib/${l.name}`);
        // Read-only DEX: Android 14 refuses to load writable dex files in some loading paths; it costs nothing here.
        const done = await sh(device, `chmod 444 ${shq(`${dir}/${bundle.manifest.dex.file}`)} && touch ${shq(stamp)}`);
        if (done.exitCode !== 0) throw new Error(done.out.trim() || `touch exited with ${done.exitCode}`);
      } catch (e) {
        if (e instanceof GaugeError) throw e;
        throw new GaugeError('RUNNER_MISSING', `Could not push gaugeNN's TFLite runner (${abi}) to ${device.id}: ${(e as Error)?.message ?? e}. Check the device connection and free space under its work dir.`, { ...where, cause: e });
      }
    }
    deployed.set(key, dir);
    return dir;
  }

  /** The runner's document plus the runtime's log lines, as a RunResult or a typed failure. */
  private parse(o: { exitCode: number; stdout: string; stderr: string }, request: RunRequest, model: string): RunResult {
    const where = { plugin: 'tflite', hook: 'measure', subject: model };
    const at = o.stdout.lastIndexOf(LOGCAT_MARK);
    const runnerOut = at >= 0 ? o.stdout.slice(0, at) : o.stdout;
    const logcat = at >= 0 ? o.stdout.slice(at + LOGCAT_MARK.length) : '';
    // The runtime writes its lines to logcat and to stderr; logcat is the truth where it could be read.
    const pid = /"pid":\s*(\d+)/.exec(runnerOut)?.[1];
    const logLines = logcat.split('\n').filter((l) => l.trim() !== '' && !/^-+ beginning of/.test(l));
    const mine = pid ? logLines.filter((l) => !/^\d\d-\d\d \S+\s+\d+\s/.test(l) || new RegExp(`^\\d\\d-\\d\\d \\S+\\s+${pid}\\s`).test(l)) : logLines;
    const runtimeText = mine.length > 0 ? mine.join('\n') : `${o.stderr}\n${runnerOut}`;
    const runtime = parseBenchmarkModelOutput(runtimeText);
    const doc = parseRunnerOutput(runnerOut);
    if (doc.ok === false) {
      const code = RUNNER_CODES.has(doc.error.code as GaugeErrorCode) ? (doc.error.code as GaugeErrorCode) : 'RUNNER_FAILED';
      const said = [...runtime.failedToApply.map((d) => `Failed to apply ${d} delegate.`), ...runtime.errors].slice(0, 6);
      const hint =
        code === 'RUNNER_MISSING'
          ? ' Rebuild it with `npm run build:android-runner`; the next job pushes it again.'
          : request.backend !== 'cpu'
            ? ` Try backend cpu to see whether the ${request.backend} delegate is the cause.`
            : '';
      throw new GaugeError(code, `The TFLite runner failed on ${model} (${request.backend}): ${doc.error.message}.${said.length ? ` The runtime said: ${said.join(' | ')}.` : ''}${hint}`, { ...where, cause: new Error(doc.error.message) });
    }
    if (doc.ok !== true) {
      if (/ClassNotFoundException|NoClassDefFoundError/.test(o.stdout + o.stderr)) {
        throw new GaugeError('RUNNER_MISSING', `The runner's DEX is not on the device or incomplete (${tail(`${runnerOut}\n${o.stderr}`, 300)}); the next job pushes it again.`, where);
      }
      if (o.exitCode === 127 || /app_process: (not found|inaccessible)/.test(o.stdout + o.stderr)) {
        throw new GaugeError('RUNNER_MISSING', `app_process was not found on the device: gaugeNN's TFLite runner needs an Android device (${tail(o.stderr || runnerOut)}).`, where);
      }
      throw new GaugeError(o.exitCode !== 0 ? 'RUNNER_FAILED' : 'RUNNER_OUTPUT', `The TFLite runner exited with ${o.exitCode} and no result: ${doc.why}. Output: ${tail(`${runnerOut}\n${o.stderr}`) || 'none'}`, where);
    }
    if (o.exitCode !== 0) throw new GaugeError('RUNNER_OUTPUT', `The TFLite runner printed results but exited with ${o.exitCode}: ${tail(o.stderr)}`, where);
    const result = doc.result;
    if (result.samplesMs.length !== request.runs || (result.warmupMs?.length ?? 0) !== request.warmup) {
      throw new GaugeError('RUNNER_OUTPUT', `The TFLite runner returned ${result.samplesMs.length} samples and ${result.warmupMs?.length ?? 0} warm-ups for ${request.runs} runs and ${request.warmup} warm-ups.`, where);
    }
    const truth = backendTruth(runtime, request.backend);
    return {
      ...result,
      delegation: truth.delegation,
      warnings: truth.warnings,
      extra: {
        ...result.extra,
        runtimeLog: mine.length > 0 ? 'logcat' : 'stderr',
        delegates: runtime.delegates,
        createdDelegates: runtime.created,
        ...(runtime.gpuUnsupported ? { gpuUnsupported: runtime.gpuUnsupported } : {}),
        ...(request.cpuMask ? { cpuMask: request.cpuMask } : {}),
      },
    };
  }
}
