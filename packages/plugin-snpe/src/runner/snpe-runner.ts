/**
 * The SNPE runner: `snpe-net-run` (every inference's time, from the binary diagnostic log) or
 * `snpe-throughput-net-run` (aggregate throughput) on an Android device through its transport, or on an x86-64
 * Linux host when the SDK has host binaries (CPU only there). One invocation measures the whole job: the input list
 * holds warm-up + timed lines, and the log's first warm-up inferences are kept apart ({@link SnpeRunner.prepare}).
 *
 * Runtime truth: SNPE without `--enable_cpu_fallback` runs the whole network on the requested runtime or fails
 * (error 1002 "No backend could validate Op…"), so a clean run is the runtime's own report that it executed. With
 * fallback allowed, the platform validator's verdict (pushed from the SDK, run before the job) and, where the SDK
 * has a host snpe-diagview and profiling is detailed, each layer's runtime say what really ran.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { buildZip, GaugeError, type Delegation, type Device, type Invocation, type JobWarning, type RunRequest, type RunResult, type Runner, type TensorInfo } from '@gaugenn/core';
import { readDiagLog } from '../diag/diag-log.js';
import { parseDlcArtifact } from '../parse/parse-dlc.js';
import { requireSdk, sdkTool, sharedLibs, type SnpeSdk } from '../sdk/locate-sdk.js';
import { parseDiagview } from '../text/diagview.js';
import { parseNetRunOutput } from '../text/net-run-output.js';
import { parsePlatformValidator, runtimeUsable, type RuntimeVerdict } from '../text/platform-validator.js';
import { parseThroughputOutput } from '../text/throughput-output.js';
import { netRunArgs, runEnv, SNPE_BACKENDS, throughputArgs, type SnpeBackend } from './command.js';
import { inputList, rawInputs } from './inputs.js';

const run = promisify(execFile);

/** Options of {@link SnpeRunner} (from `plugins.snpe`). */
export interface SnpeRunnerOptions {
  sdkRoot?: string;
  /** `--perf_profile` (default `high_performance`, as the SDK's own benchmark uses). */
  perfProfile?: string;
  /** `--profiling_level` (default `basic`: per-inference totals; `detailed` adds per-layer times). */
  profilingLevel?: string;
  /** `net-run` (every sample, default) or `throughput` (snpe-throughput-net-run, aggregate only). */
  tool?: 'net-run' | 'throughput';
  /** Seconds of a throughput run (default 10). */
  durationS?: number;
  /** Pass `--enable_cpu_fallback` (default false: a runtime that cannot run the model fails the job). */
  cpuFallback?: boolean;
  /** Run the SDK's snpe-platform-validator before GPU/DSP/AIP jobs (default true). */
  platformValidator?: boolean;
  /** Environment to read SNPE_ROOT / QAIRT_SDK_ROOT from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

const tail = (s: string, n = 800) => (s.length > n ? `…${s.slice(-n)}` : s).trim();
const RUNTIME_NAME: Record<SnpeBackend, string> = { cpu: 'CPU', gpu: 'GPU', gpu_fp16: 'GPU', dsp: 'DSP', aip: 'AIP' };
const isHostCapable = () => process.platform === 'linux' && process.arch === 'x64';

interface Deployed {
  sdk: SnpeSdk;
  sdkDir: string;
  jobDir: string;
  env: Record<string, string>;
  validator?: string;
  inputs: TensorInfo[];
}

/** Runs DLC models with the SNPE SDK's tools. */
export class SnpeRunner implements Runner {
  readonly framework = 'snpe';
  /** What prepare() deployed for an invocation (the validator run() uses before the job). */
  private readonly deployed = new WeakMap<Invocation, Deployed>();
  constructor(readonly options: SnpeRunnerOptions = {}) {}

  backends(device: Device): string[] {
    if (device.kind === 'adb') return [...SNPE_BACKENDS];
    if (device.kind === 'host' && isHostCapable()) return ['cpu'];
    return [];
  }

  private where(request: RunRequest) {
    return { plugin: 'snpe', hook: 'measure', subject: request.modelFiles[0]?.path };
  }

  /** Push the SDK's tool and libraries, the model and its inputs; return the single command that measures the job. */
  async prepare(device: Device, request: RunRequest): Promise<Invocation> {
    const where = this.where(request);
    const backend = request.backend as SnpeBackend;
    if (!this.backends(device).includes(backend)) {
      throw new GaugeError('BACKEND_UNSUPPORTED', `SNPE offers ${this.backends(device).join(', ') || 'nothing'} on ${device.kind} devices (${device.id}), not "${request.backend}".`, where);
    }
    const tool = this.options.tool === 'throughput' ? 'snpe-throughput-net-run' : 'snpe-net-run';
    const sdk = requireSdk(this.options.sdkRoot, `a ${tool} job (${backend} on ${device.id})`, this.options.env ?? process.env, where);
    const android = device.kind === 'adb';
    const arch = android ? sdk.androidArch : sdk.hostArch;
    const localBin = sdkTool(sdk, arch, tool);
    if (!localBin) {
      throw new GaugeError('SNPE_SDK_MISSING', `The SDK at ${sdk.root} has no ${android ? 'Android (bin/aarch64-android)' : 'x86-64 Linux host (bin/x86_64-linux-clang)'} ${tool}. Point plugins.snpe.sdkRoot at a full QAIRT SDK.`, where);
    }
    const d = await this.deploy(device, request, sdk, arch!, localBin, tool, backend);
    const container = `${d.jobDir}/model.dlc`;
    const perfProfile = this.options.perfProfile ?? 'high_performance';
    const bin = android ? `${d.sdkDir}/bin/${tool}` : localBin;
    const wrap = (args: string[]) => (request.cpuMask ? { command: 'taskset', args: [request.cpuMask, bin, ...args] } : { command: bin, args });
    if (tool === 'snpe-throughput-net-run') {
      const durationS = this.options.durationS ?? 10;
      const raws = d.inputs.map((_, i) => `${d.jobDir}/input_${i}.raw`);
      const inv: Invocation = {
        ...wrap(throughputArgs({ container, inputRaws: raws, backend, perfProfile, durationS })),
        cwd: d.jobDir,
        env: d.env,
        parse: (out) => this.parseThroughput(out, backend, durationS, sdk, request),
      };
      this.deployed.set(inv, d);
      return inv;
    }
    const profilingLevel = this.options.profilingLevel ?? 'basic';
    const args = netRunArgs({ container, inputList: `${d.jobDir}/input_list.txt`, outputDir: `${d.jobDir}/out`, backend, perfProfile, profilingLevel, cpuFallback: this.options.cpuFallback === true });
    const inv: Invocation = {
      ...wrap(args),
      cwd: d.jobDir,
      env: d.env,
      outputs: [`${d.jobDir}/out/SNPEDiag_0.log`],
      parse: (out) => this.parseNetRun(out, backend, sdk, request, { perfProfile, profilingLevel }),
    };
    this.deployed.set(inv, d);
    return inv;
  }

  private async deploy(device: Device, request: RunRequest, sdk: SnpeSdk, arch: string, localBin: string, tool: string, backend: SnpeBackend): Promise<Deployed> {
    const where = this.where(request);
    const t = device.transport;
    const android = device.kind === 'adb';
    const work = await t.workDir();
    const sdkDir = `${work}/snpe`;
    const jobDir = `${work}/snpe-job`;
    const tmp = await mkdtemp(join(tmpdir(), 'gaugenn-snpe-'));
    try {
      const { container, inputs } = await this.containerOf(request, tmp);
      const raws = rawInputs(inputs);
      const lines = request.warmup + request.runs;
      for (const r of raws) await writeFile(join(tmp, r.file), r.data);
      await writeFile(join(tmp, 'input_list.txt'), inputList(raws.map((r) => ({ name: r.name, path: `${jobDir}/${r.file}` })), lines));
      const exec = async (cmd: string, args: string[]) => {
        const r = await t.exec(cmd, args, { timeoutMs: 60_000 });
        if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${tail(r.stderr || r.stdout)}`);
      };
      // Libraries and the model go through the transport's content cache where it has one (the SDK's lib folder is
      // hundreds of MB, a DLC up to ~100 MB; a second job pushes nothing) and are linked under the names the loaders
      // and the tool expect.
      const put = async (local: string, remote: string) => {
        if (android && t.pushCached) await exec('ln', ['-sf', await t.pushCached(local), remote]);
        else await t.push(local, remote);
      };
      let validator: string | undefined;
      let env: Record<string, string>;
      try {
        await exec('rm', ['-rf', jobDir]);
        await exec('mkdir', ['-p', jobDir]);
        if (android) {
          await exec('rm', ['-rf', `${sdkDir}/lib`, `${sdkDir}/dsp`]);
          await exec('mkdir', ['-p', `${sdkDir}/bin`, `${sdkDir}/lib`, `${sdkDir}/dsp`]);
          await t.push(localBin, `${sdkDir}/bin/${tool}`);
          const bins = [`${sdkDir}/bin/${tool}`];
          const pv = backend !== 'cpu' && this.options.platformValidator !== false ? sdkTool(sdk, arch, 'snpe-platform-validator') : undefined;
          if (pv) {
            await t.push(pv, `${sdkDir}/bin/snpe-platform-validator`);
            bins.push(`${sdkDir}/bin/snpe-platform-validator`);
            validator = `${sdkDir}/bin/snpe-platform-validator`;
          }
          await exec('chmod', ['755', ...bins]);
          for (const lib of sharedLibs(join(sdk.root, 'lib', arch))) await put(lib, `${sdkDir}/lib/${basename(lib)}`);
          const needsDsp = backend === 'dsp' || backend === 'aip';
          if (needsDsp) for (const dir of sdk.dspDirs) for (const lib of sharedLibs(dir)) await put(lib, `${sdkDir}/dsp/${basename(lib)}`);
          env = runEnv(`${sdkDir}/lib`, needsDsp || validator ? `${sdkDir}/dsp` : undefined);
        } else env = runEnv(join(sdk.root, 'lib', arch), undefined);
        await put(container, `${jobDir}/model.dlc`);
        for (const r of raws) await t.push(join(tmp, r.file), `${jobDir}/${r.file}`);
        await t.push(join(tmp, 'input_list.txt'), `${jobDir}/input_list.txt`);
      } catch (e) {
        if (e instanceof GaugeError) throw e;
        throw new GaugeError('DEVICE_UNAVAILABLE', `Could not put the SNPE tools or the model on ${device.id}: ${(e as Error).message}. Check the connection and free space in ${work}.`, { ...where, cause: e });
      }
      return { sdk, sdkDir, jobDir, env, inputs, ...(validator ? { validator } : {}) };
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /** A .dlc container to push (records of an opened container are zipped again) and the model's inputs. */
  private async containerOf(request: RunRequest, tmp: string): Promise<{ container: string; inputs: TensorInfo[] }> {
    const files = request.modelFiles.map((f) => ({ path: f.path, sha256: '', bytes: 0, ...(f.role ? { role: f.role } : {}) }));
    const graph = await parseDlcArtifact({ framework: 'snpe', files });
    const main = request.modelFiles[0]!;
    const head = (await readFile(main.path)).subarray(0, 4);
    if (head.readUInt32LE(0) === 0x04034b50) return { container: main.path, inputs: graph.inputs };
    const names: Record<string, string> = { graph: 'model', weights: 'model.params', metadata: 'dlc.metadata' };
    const entries = [];
    for (const f of request.modelFiles) if (f.role && names[f.role]) entries.push({ name: names[f.role]!, data: await readFile(f.path), method: 'store' as const });
    const out = join(tmp, 'model.dlc');
    await writeFile(out, await buildZip(entries));
    return { container: out, inputs: graph.inputs };
  }

  async run(device: Device, request: RunRequest): Promise<RunResult> {
    const where = this.where(request);
    const inv = await this.prepare(device, request);
    const t = device.transport;
    // The platform validator's verdict, before the job (it pushes nothing new: prepare did).
    let verdict: RuntimeVerdict | undefined;
    const runtime = RUNTIME_NAME[request.backend as SnpeBackend];
    const validator = this.deployed.get(inv)?.validator;
    if (validator) {
      const r = await t.exec(validator, ['--runtime', runtime.toLowerCase()], { env: inv.env, timeoutMs: 120_000, signal: request.signal }).catch(() => undefined);
      if (r && r.exitCode !== 127) verdict = parsePlatformValidator(`${r.stdout}\n${r.stderr}`).runtimes[runtime];
    }
    const r = await t.exec(inv.command, inv.args, { cwd: inv.cwd, env: inv.env, timeoutMs: request.timeoutMs, signal: request.signal });
    if (request.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The SNPE run was cancelled.', where);
    if (r.timedOut) throw new GaugeError('RUNNER_TIMEOUT', `${basename(inv.command)} did not finish within ${request.timeoutMs} ms on ${device.id}. Raise bench.timeoutMs or lower bench.runs.`, where);
    const files: Record<string, Buffer> = {};
    for (const o of inv.outputs ?? []) {
      try {
        files[o] = await t.readFile(o);
      } catch {
        // A missing log is reported by parse, with the tool's own output.
      }
    }
    const result = await inv.parse({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, files });
    if (verdict) {
      result.extra = { ...result.extra, platformValidator: verdict };
      const usable = runtimeUsable(verdict);
      if (usable === false && result.delegation) {
        result.delegation = { ...result.delegation, applied: false, verdict: `snpe-platform-validator: ${runtime} ${verdict.unitTest === 'failed' ? 'unit test failed' : 'not supported'}` };
        result.warnings = [...(result.warnings ?? []).filter((w) => w.code !== 'DELEGATE_NOT_APPLIED'), { code: 'DELEGATE_NOT_APPLIED', message: `The platform validator reports the ${runtime} runtime unusable on ${device.id}, yet the run succeeded with --enable_cpu_fallback: SNPE ran the model on the CPU. Push the right DSP skel libraries (ADSP_LIBRARY_PATH) or use a signed/testsig build.` }];
      }
    }
    return result;
  }

  private failure(out: { exitCode: number; stdout: string; stderr: string }, tool: string, request: RunRequest): GaugeError | undefined {
    const text = `${out.stdout}\n${out.stderr}`;
    const parsed = parseNetRunOutput(text);
    if (out.exitCode === 0 && parsed.errors.length === 0) return undefined;
    const first = parsed.errors[0];
    const why = first ? `error_code=${first.code} (${first.component ?? 'SNPE'}): ${first.message}` : tail(out.stderr || out.stdout);
    const hint = first?.code === 1002 ? ' The runtime cannot run one of the model\'s ops: try another backend, or set plugins.snpe.cpuFallback.' : out.exitCode === 139 ? ' The tool crashed (segmentation fault).' : '';
    return new GaugeError('RUNNER_FAILED', `${tool} exited with ${out.exitCode} on the ${request.backend} backend: ${why}.${hint}`, this.where(request));
  }

  private async parseNetRun(out: { exitCode: number; stdout: string; stderr: string; files: Record<string, Buffer> }, backend: SnpeBackend, sdk: SnpeSdk, request: RunRequest, settings: { perfProfile: string; profilingLevel: string }): Promise<RunResult> {
    const fail = this.failure(out, 'snpe-net-run', request);
    if (fail) throw fail;
    const console = parseNetRunOutput(`${out.stdout}\n${out.stderr}`);
    const log = Object.values(out.files)[0];
    if (!log) throw new GaugeError('RUNNER_OUTPUT', `snpe-net-run wrote no SNPEDiag_0.log (profiling level ${settings.profilingLevel}); use profiling level basic or higher. Output: ${tail(out.stdout)}`, this.where(request));
    const diag = readDiagLog(log);
    const want = request.warmup + request.runs;
    if (diag.inferencesUs.length < want) {
      throw new GaugeError('RUNNER_OUTPUT', `The SNPEDiag log holds ${diag.inferencesUs.length} inferences, fewer than the ${want} (warm-up + runs) asked for.`, this.where(request));
    }
    const ms = diag.inferencesUs.map((us) => us / 1000);
    const warmupMs = ms.slice(0, request.warmup);
    const samplesMs = ms.slice(request.warmup, want);
    const warnings: JobWarning[] = [];
    let delegation: Delegation | null = null;
    const layers = await this.hostDiagview(sdk, log);
    if (backend !== 'cpu') {
      const runtime = RUNTIME_NAME[backend];
      const ran = layers?.filter((l) => l.runtime);
      if (ran && ran.length) {
        const off = ran.filter((l) => l.runtime!.toUpperCase() !== runtime).length;
        delegation = { delegate: runtime, applied: off < ran.length, nodesDelegated: ran.length - off, nodesTotal: ran.length, partitions: null, verdict: `snpe-diagview: ${ran.length - off} of ${ran.length} layers on ${runtime}` };
        if (off === ran.length) warnings.push({ code: 'DELEGATE_NOT_APPLIED', message: `snpe-diagview shows every layer on another runtime than ${runtime}: SNPE fell back.` });
        else if (off > 0) warnings.push({ code: 'DELEGATE_PARTIAL', message: `${off} of ${ran.length} layers ran outside ${runtime} (CPU fallback).` });
      } else {
        delegation = {
          delegate: runtime,
          applied: this.options.cpuFallback !== true,
          nodesDelegated: null,
          nodesTotal: null,
          partitions: null,
          verdict: this.options.cpuFallback ? 'unknown: --enable_cpu_fallback was set and no per-layer runtimes were available' : `snpe-net-run --use_${backend === 'gpu_fp16' ? 'gpu' : backend} succeeded without --enable_cpu_fallback, so the whole network ran on ${runtime}`,
        };
        if (this.options.cpuFallback) warnings.push({ code: 'DELEGATE_NOT_APPLIED', message: `CPU fallback was allowed and nothing shows which runtime ran each layer; set plugins.snpe.profilingLevel to detailed with a host snpe-diagview to find out.` });
      }
    }
    return {
      engine: `snpe-net-run ${console.sdkVersion ?? diag.sdkVersion ?? sdk.version ?? ''}`.trim(),
      samplesMs,
      warmupMs,
      delegation,
      ...(warnings.length ? { warnings } : {}),
      extra: {
        backend,
        runtime: RUNTIME_NAME[backend],
        perfProfile: settings.perfProfile,
        profilingLevel: settings.profilingLevel,
        threads: 'SNPE chooses its own CPU threads; the request is recorded only',
        initUs: diag.initUs ?? null,
        loadUs: diag.loadUs ?? null,
        createUs: diag.createUs ?? null,
        deInitUs: diag.deInitUs ?? null,
        inferencesLogged: diag.inferencesUs.length,
        ...(Object.keys(diag.unreadFields).length ? { diagUnreadFields: diag.unreadFields } : {}),
        ...(layers?.length ? { layersUs: layers } : {}),
      },
    };
  }

  /** Per-layer times and runtimes from the SDK's host snpe-diagview, where this machine can run it. */
  private async hostDiagview(sdk: SnpeSdk, log: Buffer) {
    const tool = isHostCapable() ? sdkTool(sdk, sdk.hostArch, 'snpe-diagview') : undefined;
    if (!tool) return undefined;
    const dir = await mkdtemp(join(tmpdir(), 'gaugenn-diag-'));
    try {
      await writeFile(join(dir, 'SNPEDiag_0.log'), log);
      const { stdout } = await run(tool, ['--input_log', join(dir, 'SNPEDiag_0.log')], { timeout: 60_000, env: { ...process.env, LD_LIBRARY_PATH: join(sdk.root, 'lib', sdk.hostArch!) } });
      return parseDiagview(stdout).layers;
    } catch {
      return undefined;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private parseThroughput(out: { exitCode: number; stdout: string; stderr: string }, backend: SnpeBackend, durationS: number, sdk: SnpeSdk, request: RunRequest): RunResult {
    const fail = this.failure(out, 'snpe-throughput-net-run', request);
    if (fail) throw fail;
    const tp = parseThroughputOutput(`${out.stdout}\n${out.stderr}`).totalThroughput;
    if (!tp || tp <= 0) throw new GaugeError('RUNNER_OUTPUT', `snpe-throughput-net-run printed no "Total throughput:" figure: ${tail(out.stdout)}`, this.where(request));
    return {
      engine: `snpe-throughput-net-run ${sdk.version ?? ''}`.trim(),
      samplesMs: [],
      // The tool prints one throughput figure: its inverse is a mean time per inference, nothing more.
      aggregate: { count: Math.round(tp * durationS), mean: 1000 / tp, std: null, min: null, max: null, median: null, p5: null, p95: null },
      delegation: backend === 'cpu' ? null : { delegate: RUNTIME_NAME[backend], applied: this.options.cpuFallback !== true, nodesDelegated: null, nodesTotal: null, partitions: null },
      extra: { backend, throughputPerS: tp, durationS },
    };
  }
}
