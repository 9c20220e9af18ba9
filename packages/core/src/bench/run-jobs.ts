import { GaugeError } from '../errors/gauge-error.js';
import type { Device } from '../device/types.js';
import type { Gauge } from '../gauge.js';
import type { JobRow, Store } from '../store/store.js';
import { thermalGate } from './thermal-gate.js';

/** Protocol settings for one campaign (from `config.bench`). */
export interface ProtocolOptions {
  timeoutMs: number;
  thermalThresholdC: number;
  thermalMaxWaitMs: number;
  signal?: AbortSignal;
}

/**
 * Run one job by the measurement protocol: thermal gate → runner (warm-up, then every timed sample) →
 * temperature after. The job's row moves pending → running → done | failed; samples are committed with
 * the `done` state in one transaction, so a process killed mid-job leaves it `running` and it is re-run.
 * A failure of the model or runner is recorded on the job, never thrown: the campaign goes on.
 */
export async function runJob(gauge: Gauge, store: Store, job: JobRow, device: Device, opts: ProtocolOptions): Promise<JobRow> {
  const model = store.model(job.model);
  let tempBefore: number | undefined;
  try {
    const gate = await thermalGate(device, opts.thermalThresholdC, opts.thermalMaxWaitMs, opts.signal);
    tempBefore = gate.tempC;
    store.startJob(job.id, gate.tempC, gate.waitedMs);
    if (gate.gaveUp) gauge.log('warn', `${device.id} stayed above ${opts.thermalThresholdC} °C for ${gate.waitedMs} ms; measuring ${job.model.slice(0, 12)} anyway (recorded).`);
    if (!model) throw new GaugeError('MODEL_NOT_FOUND', `Model ${job.model} is not in the store. Run \`gaugenn extract\` again.`);
    const runner = await gauge.runner(job.framework, device);
    if (!runner) {
      throw new GaugeError('NO_HANDLER', `No plugin runs ${job.framework} models on ${device.kind} devices. Install the framework's plugin, or leave this device out of the campaign.`, { hook: `deploy:${job.framework}` });
    }
    if (!runner.backends(device).includes(job.backend)) {
      throw new GaugeError('BACKEND_UNSUPPORTED', `The ${job.framework} runner offers ${runner.backends(device).join(', ')} on ${device.id}, not ${job.backend}. Change bench.backends in the config.`);
    }
    const result = await runner.run(device, {
      modelFiles: model.files.map((f) => ({ path: f.path, role: f.role })),
      backend: job.backend,
      threads: job.threads,
      warmup: job.warmup,
      runs: job.runs,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
    });
    if (result.samplesMs.length === 0) throw new GaugeError('RUNNER_OUTPUT', `The ${job.framework} runner reported no samples. Check the runner's output.`);
    const tempAfterC = await device.temperature();
    store.finishJob(job.id, { ...result, tempAfterC });
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    const err = GaugeError.from(e, 'RUNNER_FAILED', { subject: model?.firstPath ?? job.model });
    if (store.job(job.id)?.status !== 'running') store.startJob(job.id, tempBefore, 0);
    store.failJob(job.id, err.toJSON(), await device.temperature().catch(() => undefined));
  }
  const after = store.job(job.id)!;
  const samplesMs = after.status === 'done' ? store.samples(job.id) : [];
  try {
    await gauge.hooks.measure.promise({
      jobId: job.id, device: job.deviceId, model: job.model, framework: job.framework, backend: job.backend, threads: job.threads,
      status: after.status === 'done' ? 'done' : 'failed', samplesMs, error: after.error?.message,
    });
  } catch (e) {
    // The job is committed; a plugin observing it must not stop the campaign. Say which plugin failed.
    const err = GaugeError.from(e, 'PLUGIN_HOOK', { hook: 'measure' });
    gauge.log('warn', `${err.plugin ? `plugin ${err.plugin}` : 'a plugin'} failed on job ${job.id} (hook measure): ${err.message}`);
  }
  return after;
}
