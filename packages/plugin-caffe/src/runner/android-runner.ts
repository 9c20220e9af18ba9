/**
 * Android runner over a user-supplied `caffe` binary built for the device: pushes it and the model, runs
 * `caffe time -model X -weights Y -iterations 1` once per sample and reads "Average Forward pass" from each run,
 * so every sample is one forward pass (the tool's per-iteration figure includes the backward pass).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { GaugeError, type Device, type RunRequest, type RunResult, type Runner } from '@gaugenn/core';
import { parseCaffe } from '../parse/parse-caffe.js';
import { writeCaffemodel } from '../write/caffemodel-writer.js';
import { randomWeightsFor } from '../write/random-weights.js';
import { parseCaffeTime } from './caffe-time.js';
import { splitRoles } from './roles.js';

/** Options of {@link AndroidCaffeRunner}. */
export interface AndroidCaffeRunnerOptions {
  /** Path on this machine of a `caffe` binary built for the device's ABI. */
  caffeBinary: string;
}

const tail = (s: string, n = 800) => (s.length > n ? `…${s.slice(-n)}` : s).trim();

/** Runs Caffe models on an ADB device with the `caffe time` tool. */
export class AndroidCaffeRunner implements Runner {
  readonly framework = 'caffe';
  constructor(readonly options: AndroidCaffeRunnerOptions) {}

  backends(device: Device): string[] {
    return device.kind === 'adb' ? ['cpu'] : [];
  }

  async run(device: Device, request: RunRequest): Promise<RunResult> {
    const where = { plugin: 'caffe', hook: 'measure', subject: request.modelFiles[0]?.path };
    if (!this.backends(device).includes(request.backend)) {
      throw new GaugeError('BACKEND_UNSUPPORTED', `The Caffe Android runner offers cpu on adb devices, not "${request.backend}" on a ${device.kind} device.`, where);
    }
    const { prototxt, caffemodel } = await splitRoles(request.modelFiles);
    if (!prototxt) throw new GaugeError('RUNNER_FAILED', '`caffe time` needs the model\'s prototxt; only a caffemodel was given. Pair it with its prototxt.', where);
    const t = device.transport;
    const dir = await t.workDir();
    const bin = `${dir}/caffe`;
    let tmp: string | undefined;
    try {
      let weights = caffemodel;
      let source = 'caffemodel';
      if (!weights) {
        const graph = await parseCaffe([{ path: prototxt, role: 'prototxt' }]);
        tmp = await mkdtemp(join(tmpdir(), 'gaugenn-caffe-'));
        weights = join(tmp, 'random.caffemodel');
        await writeCaffemodel(weights, { name: String(graph.metadata.name ?? 'net'), layers: randomWeightsFor(graph) });
        source = 'random (seeded weights in a temporary caffemodel written by gaugeNN)';
      }
      try {
        await t.push(this.options.caffeBinary, bin);
        await t.exec('chmod', ['755', bin], { timeoutMs: 30_000 });
        await t.push(prototxt, `${dir}/model.prototxt`);
        await t.push(weights, `${dir}/model.caffemodel`);
      } catch (e) {
        throw new GaugeError('DEVICE_UNAVAILABLE', `Could not push the caffe binary or the model to ${device.id}: ${(e as Error).message}. Check the ADB connection and free space in ${dir}.`, { ...where, cause: e });
      }
      const once = async () => {
        const r = await t.exec(bin, ['time', '-model', `${dir}/model.prototxt`, '-weights', `${dir}/model.caffemodel`, '-iterations', '1'], {
          timeoutMs: request.timeoutMs,
          signal: request.signal,
          cwd: dir,
        });
        if (request.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The Caffe run was cancelled.', where);
        if (r.timedOut) throw new GaugeError('RUNNER_TIMEOUT', `caffe time did not finish within ${request.timeoutMs} ms on ${device.id}. Raise the timeout.`, where);
        const report = parseCaffeTime(`${r.stderr}\n${r.stdout}`);
        if (r.exitCode !== 0) throw new GaugeError('RUNNER_FAILED', `caffe time exited with ${r.exitCode} on ${device.id}: ${tail(r.stderr || r.stdout)}`, where);
        if (report.averageForwardMs === undefined) throw new GaugeError('RUNNER_OUTPUT', `caffe time printed no "Average Forward pass" line: ${tail(r.stderr || r.stdout)}`, where);
        return report;
      };
      const warmupMs: number[] = [];
      for (let i = 0; i < request.warmup; i++) warmupMs.push((await once()).averageForwardMs!);
      const samplesMs: number[] = [];
      const layerSums = new Map<string, number>();
      for (let i = 0; i < request.runs; i++) {
        const r = await once();
        samplesMs.push(r.averageForwardMs!);
        for (const l of r.layers) layerSums.set(l.name, (layerSums.get(l.name) ?? 0) + l.forwardMs);
      }
      const perLayerForwardMs = Object.fromEntries([...layerSums].map(([k, v]) => [k, v / Math.max(1, request.runs)]));
      return {
        engine: `caffe time (${basename(this.options.caffeBinary)})`,
        samplesMs,
        warmupMs,
        extra: { backend: 'CPU', threads: request.threads, weights: source, perLayerForwardMs, note: 'one `caffe time -iterations 1` per sample; threads are whatever the binary\'s BLAS uses' },
      };
    } finally {
      if (tmp) await rm(tmp, { recursive: true, force: true });
    }
  }
}
